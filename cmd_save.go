package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"frontdoor/config"
	"frontdoor/install"
	"frontdoor/render"
)

// targetFlags say where a snippet goes and how it is checked and reloaded.
// The wizard and save both take them, and both refuse the same
// contradictions (targetFlags.commands), so the rule cannot drift.
type targetFlags struct {
	to, link, check, reload, root string
	noCheck                       bool
}

// commands validates --check/--no-check/--reload and turns them into
// argument lists (nil check: keep the detected default). Commands are split
// on white space: there is no shell, so no quoting, pipes or variables.
// A contradiction is said on stderr, and ok is false (exit 2).
func (t *targetFlags) commands(e env, c *cobra.Command) (checkCmd, reloadCmd []string, ok bool) {
	name, flags := c.CommandPath(), c.Flags()
	if name == "frontdoor" {
		name = "frontdoor wizard" // `frontdoor --check x --no-check` is the wizard
	}
	switch {
	case t.noCheck && flags.Changed("check"):
		fmt.Fprintf(e.stderr, "%s: --check and --no-check contradict each other\n", name)
	case flags.Changed("check") && install.ParseCommand(t.check) == nil:
		fmt.Fprintf(e.stderr, "%s: empty --check; use --no-check to skip the check\n", name)
	case flags.Changed("reload") && install.ParseCommand(t.reload) == nil:
		fmt.Fprintf(e.stderr, "%s: empty --reload; leave it out for no reload\n", name)
	case t.noCheck && flags.Changed("reload"):
		fmt.Fprintf(e.stderr, "%s: --reload needs a check: the server is reloaded only after the configuration passed it\n", name)
	default:
		return install.ParseCommand(t.check), install.ParseCommand(t.reload), true
	}
	return nil, nil, false
}

// completeTargetFlags offers paths for the path flags and nothing (not
// file names) for the command flags.
func completeTargetFlags(c *cobra.Command) {
	for _, name := range []string{"check", "reload"} {
		_ = c.RegisterFlagCompletionFunc(name, cobra.NoFileCompletions)
	}
	_ = c.RegisterFlagCompletionFunc("root", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	})
}

// saveFlags are the flags of `frontdoor save`.
type saveFlags struct {
	provider, backupDir string
	target              targetFlags
}

func newSaveCmd(e env, g *globals) *cobra.Command {
	s := &saveFlags{}
	c := &cobra.Command{
		Use:   "save [--config PATH] [--provider nginx|apache] [--to PATH] [--link PATH] [--check CMD | --no-check] [--reload CMD] [--backup-dir DIR] [--root DIR]",
		Short: "install the snippet safely: backup, atomic write, check, rollback",
		Long: "Install the snippet of the settings file into the web server safely: back up the previous file, write\n" +
			"atomically, enable it, run the check (nginx -t / apache2ctl -t) and roll back when it fails, then reload\n" +
			"when --reload says how. The report goes to stderr; stdout gets only the path of the installed file.\n" +
			"It needs a settings file (--config PATH or ./frontdoor.yaml): the built-in example is never installed.",
		Example: "  frontdoor save --config frontdoor.yaml --reload \"systemctl reload nginx\"\n" +
			"  frontdoor save --to /tmp/artifactory.conf --no-check",
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return status(cmdSave(e, c, g, s))
		},
	}
	fs := c.Flags()
	fs.StringVar(&s.provider, "provider", "", "override proxy.provider (nginx or apache)")
	fs.StringVar(&s.target.to, "to", "", "snippet file (default: detected from the web server's layout, e.g. /etc/nginx/sites-available/artifactory.conf)")
	fs.StringVar(&s.target.link, "link", "", "symlink that enables the file (default: the detected sites-enabled link, none with --to; --link= for none)")
	fs.StringVar(&s.target.check, "check", "", "command that checks the configuration (default: nginx -t / apache2ctl -t); split on spaces, no shell")
	fs.BoolVar(&s.target.noCheck, "no-check", false, "do not check the configuration after writing (no rollback possible)")
	fs.StringVar(&s.target.reload, "reload", "", "command run after a passing check, e.g. \"systemctl reload nginx\"; split on spaces, no shell (default: no reload)")
	fs.StringVar(&s.backupDir, "backup-dir", "", "directory for the backup of the previous file (default: beside it, as .artifactory.conf.frontdoor-bak)")
	fs.StringVar(&s.target.root, "root", "/", "file system root under which the layout is detected (for tests and chroots)")
	completeTargetFlags(c)
	completeProvider(c)
	_ = c.RegisterFlagCompletionFunc("backup-dir", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	})
	return c
}

func cmdSave(e env, c *cobra.Command, g *globals, s *saveFlags) int {
	checkCmd, reloadCmd, ok := s.target.commands(e, c)
	if !ok {
		return exitInvalid
	}
	f, src, ok := loadSettings(e, g.configPath, configGiven(c))
	if !ok {
		return exitInvalid
	}
	if src == config.FromExample {
		fmt.Fprintf(e.stderr, "frontdoor save: no %s here: give --config PATH (the built-in example is never installed; run `frontdoor` to write settings)\n", g.configPath)
		return exitInvalid
	}
	if !applyProvider(e, f, s.provider) || !validProxySettings(e, f) {
		return exitInvalid
	}
	content, code := renderSnippet(e, "save", f)
	if code != exitOK {
		return code
	}

	flags := c.Flags()
	target := install.DetectTarget(string(f.Proxy.Provider), s.target.root)
	plan := target.Plan(content)
	plan.ReloadCmd = reloadCmd
	plan.BackupDir = s.backupDir
	if s.target.to != "" {
		plan.Target, plan.EnableLink = s.target.to, "" // a chosen file is not linked unless --link says so
	} else if !target.Detected {
		fmt.Fprintf(e.stderr, "note: %s\n", target.Note)
	}
	if flags.Changed("link") {
		plan.EnableLink = s.target.link
	}
	if checkCmd != nil || s.target.noCheck {
		plan.CheckCmd = checkCmd
		plan.CheckRequired = checkCmd != nil // a --check the user typed must run
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop() // Ctrl+C or SIGTERM during the check: the save is rolled back, not left unchecked
	if f.Proxy.Provider == render.Apache && target.ApacheCtl != "" {
		warnMissingApacheModules(ctx, e, target.ApacheCtl, render.ApacheModules(&f.Proxy))
	}

	rep, err := install.Save(ctx, plan)
	fmt.Fprint(e.stderr, rep.String())
	if rep.Saved {
		saveSettingsBeside(e, g.configPath, f)
	}
	if err != nil { // check failed and rolled back, reload failed, or I/O: the report above says which
		fmt.Fprintf(e.stderr, "frontdoor save: %v\n", err)
		return exitFailed
	}
	fmt.Fprintln(e.stdout, rep.File) // the only stdout output: the file that holds the snippet
	return exitOK
}

// warnMissingApacheModules lists the modules the snippet needs that Apache
// has not loaded, with the command that enables them. Informational: the
// check that follows is what decides.
func warnMissingApacheModules(ctx context.Context, e env, ctl string, required []string) {
	missing, err := install.MissingApacheModules(ctx, ctl, required)
	switch {
	case errors.Is(err, exec.ErrNotFound):
		fmt.Fprintf(e.stderr, "note: cannot list Apache modules: %s not found\n", ctl)
	case err != nil:
		fmt.Fprintf(e.stderr, "note: cannot list Apache modules: %v\n", err)
	case len(missing) > 0:
		fmt.Fprintf(e.stderr, "warning: Apache modules not enabled: %s\n  fix: %s\n", strings.Join(missing, " "), install.EnableModulesLine(ctl, missing))
	}
}

// saveSettingsBeside records the installed settings so the wizard reopens
// where this save left off. It rewrites the settings file only when flags
// (--provider) changed what it says, so a hand-written file keeps its
// comments otherwise; the vendor's JSON is never overwritten.
func saveSettingsBeside(e env, path string, f *config.File) {
	data, err := os.ReadFile(path)
	switch {
	case err != nil:
		fmt.Fprintf(e.stderr, "warning: settings not saved: %v\n", err)
		return
	case render.LooksLikeArtifactoryJSON(bytes.TrimSpace(data)):
		if orig, perr := config.Parse(data); perr == nil && orig.Proxy.Provider != f.Proxy.Provider {
			fmt.Fprintf(e.stderr, "note: %s (the vendor's JSON) is left as it is; it does not record --provider %s\n", path, f.Proxy.Provider)
		}
		return
	default:
		orig, perr := config.Parse(data)
		if perr != nil {
			return // cannot happen: the same bytes were just loaded
		}
		before, _ := config.Marshal(orig)
		after, _ := config.Marshal(f)
		if bytes.Equal(before, after) {
			return
		}
	}
	if err := config.Save(path, f); err != nil {
		fmt.Fprintf(e.stderr, "warning: settings not saved to %s: %v\n", path, err)
		return
	}
	fmt.Fprintf(e.stderr, "settings saved to %s\n", path)
}
