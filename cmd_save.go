package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"frontdoor/app"
	"frontdoor/doorcheck"
	"frontdoor/install"
	"frontdoor/render"
)

// targetFlags say where a snippet goes and how it is checked and reloaded:
// save, restore and the wizard take them. They are only collected here;
// app.Flags.Validate is the one place that judges them.
type targetFlags struct {
	to, link, check, reload, root, backupDir string
	noCheck, requireCheck                    bool
	keep                                     int
}

// appFlags hands the flags as typed to package app (Given: typed at all).
func (t *targetFlags) appFlags(c *cobra.Command) app.Flags {
	name := c.CommandPath()
	if name == "frontdoor" {
		name = "frontdoor wizard" // `frontdoor --check x --no-check` is the wizard
	}
	fs := c.Flags()
	str := func(flag, v string) app.Flag[string] {
		return app.Flag[string]{Value: v, Given: fs.Lookup(flag) != nil && fs.Changed(flag)}
	}
	return app.Flags{
		Command:      name,
		To:           str("to", t.to),
		Link:         str("link", t.link),
		Check:        str("check", t.check),
		NoCheck:      t.noCheck,
		RequireCheck: t.requireCheck,
		Reload:       str("reload", t.reload),
		Root:         str("root", t.root),
		BackupDir:    str("backup-dir", t.backupDir),
		Keep:         app.Flag[int]{Value: t.keep, Given: fs.Lookup("keep") != nil && fs.Changed("keep")},
	}
}

// addCheckFlags adds --check, --no-check and --reload, shared by save and restore.
func addCheckFlags(c *cobra.Command, t *targetFlags) {
	fs := c.Flags()
	fs.StringVar(&t.check, "check", "", "command that checks the configuration (default: the server's own, e.g. nginx -t, apache2ctl -t, haproxy -c, caddy validate); split on spaces, no shell")
	fs.BoolVar(&t.noCheck, "no-check", false, "do not check the configuration after writing (no rollback possible)")
	fs.BoolVar(&t.requireCheck, "require-check", false, "roll back and exit 1 unless a check ran, passed and read the configuration that loads the file (never leave an unchecked file)")
	fs.StringVar(&t.reload, "reload", "", "command run after a passing check, e.g. \"systemctl reload nginx\"; split on spaces, no shell (default: no reload)")
}

// addPlaceFlags adds --backup-dir, --keep and --root, shared by save and
// restore (a restore keeps the version it replaces, and rotates as a save).
func addPlaceFlags(c *cobra.Command, t *targetFlags) {
	fs := c.Flags()
	fs.IntVar(&t.keep, "keep", 0, keepUsage)
	fs.StringVar(&t.backupDir, "backup-dir", "", "directory for the backups of the previous versions (default: beside the file, as .artifactory.conf.frontdoor-bak.<time>)")
	fs.StringVar(&t.root, "root", "/", "file system root under which the layout is detected and checked (copies, chroots, tests)")
	_ = c.RegisterFlagCompletionFunc("backup-dir", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	})
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

const keepUsage = "how many backups of the snippet to keep (default: save.keep, else 5)"

// saveFlags are the flags of `frontdoor save`.
type saveFlags struct {
	provider      string
	target        targetFlags
	verify        bool
	verifyTimeout time.Duration
	verifyAddr    string
}

func newSaveCmd(e env, g *globals) *cobra.Command {
	s := &saveFlags{}
	c := &cobra.Command{
		Use:   "save [--config PATH] [--provider NAME] [--to PATH] [--link PATH] [--check CMD | --no-check] [--require-check] [--reload CMD [--verify]] [--backup-dir DIR] [--keep N] [--root DIR]",
		Short: "install the snippet safely: backup, atomic write, check, rollback",
		Long: "Install the snippet of the settings file into the web server safely: back up the previous file, write\n" +
			"atomically, enable it, run the server's check (nginx -t, apache2ctl -t, haproxy -c, caddy validate) and roll\n" +
			"back when it fails, then reload when --reload says how. With --verify, the reloaded server is then checked\n" +
			"from a client's side on this machine's listeners (as `frontdoor check` does); when the new configuration is\n" +
			"not the one serving (a port already taken, a listener missing, the old certificate), the save is rolled\n" +
			"back, the server reloaded and the previous configuration verified, and the command exits 1.\n" +
			"Kubernetes outputs (kubernetes-ingress, gateway-api) are only written to a file (./artifactory-ingress.yaml,\n" +
			"./artifactory-gateway.yaml or --to): nothing checks or reloads them here; apply them with kubectl apply -f.\n" +
			"The report goes to stderr; stdout gets only the path of the installed file.\n" +
			"It needs a settings file (--config PATH or ./frontdoor.yaml): the built-in example is never installed.\n" +
			"Flags apply to this run only, over the file's save: section; the settings file is never rewritten.",
		Example: "  frontdoor save --config frontdoor.yaml --reload \"systemctl reload nginx\"\n" +
			"  frontdoor save --reload \"systemctl reload nginx\" --verify\n" +
			"  frontdoor save --to /tmp/artifactory.conf --no-check",
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return status(cmdSave(e, c, g, s))
		},
	}
	fs := c.Flags()
	fs.StringVar(&s.provider, "provider", "", "override proxy.provider for this run: "+render.ProviderNames())
	fs.StringVar(&s.target.to, "to", "", "snippet file (default: save.target, else detected from the web server's layout, e.g. /etc/nginx/sites-available/artifactory.conf)")
	fs.StringVar(&s.target.link, "link", "", "symlink that enables the file (default: the detected sites-enabled link, none with --to; --link= for none)")
	addCheckFlags(c, &s.target)
	addPlaceFlags(c, &s.target)
	fs.BoolVar(&s.verify, "verify", false, "after the reload, check that the new configuration is the one serving; roll back when it is not (needs a reload)")
	durationVar(fs, &s.verifyTimeout, "verify-timeout", doorcheck.DefaultTimeout, "limit for each network step of --verify")
	fs.StringVar(&s.verifyAddr, "verify-addr", "127.0.0.1", "address of this machine's listeners that --verify sends every name to")
	for _, name := range []string{"verify-timeout", "verify-addr"} {
		_ = c.RegisterFlagCompletionFunc(name, cobra.NoFileCompletions)
	}
	completeTargetFlags(c)
	completeProvider(c)
	return c
}

func cmdSave(e env, c *cobra.Command, g *globals, s *saveFlags) int {
	flags := s.target.appFlags(c)
	flags.Provider = app.Flag[string]{Value: s.provider, Given: c.Flags().Changed("provider")}
	flags.Verify = s.verify
	flags.VerifyTimeout = app.Flag[time.Duration]{Value: s.verifyTimeout, Given: c.Flags().Changed("verify-timeout")}
	flags.VerifyAddr = app.Flag[string]{Value: s.verifyAddr, Given: c.Flags().Changed("verify-addr")}
	if err := flags.Validate(); err != nil {
		return fail(e, c, err)
	}
	doc, err := app.OpenSettings(c.CommandPath(), g.configPath, configGiven(c))
	if err != nil {
		return fail(e, c, err)
	}
	req, err := app.CommandLine(doc, flags)
	if err != nil {
		return fail(e, c, err)
	}
	ctx, stop := app.WithSignals(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop() // Ctrl+C or SIGTERM during the check: the save is rolled back, not left unchecked
	return streamed(e, app.Report{Op: app.OpSave, Target: req.Target}, func(progress func(install.Step)) app.Report {
		req.Progress = progress
		return app.Save(ctx, req)
	})
}

// streamed runs a save or restore with its report on stderr as it happens:
// where it goes (head), each step as it ends, then the backups, the
// restore command and the result: the report's own words, each line once.
// What was printed stays on the terminal when the process is killed in
// the middle. When it succeeded, stdout gets the installed file (the only
// stdout output).
func streamed(e env, head app.Report, run func(progress func(install.Step)) app.Report) int {
	width := terminalWidth(e.stderr)
	fmt.Fprint(e.stderr, head.RenderTarget(width))
	rep := run(func(s install.Step) { fmt.Fprint(e.stderr, app.RenderStep(s, width)) })
	fmt.Fprint(e.stderr, rep.RenderEnd(width))
	code := rep.ExitCode()
	if code == exitOK && rep.Installed() != "" {
		fmt.Fprintln(e.stdout, rep.Installed())
	}
	return code
}

// fail says why a command did not start (flags, the settings file) and
// returns its exit code: 2 for invalid input.
func fail(e env, c *cobra.Command, err error) int {
	if app.IsUsage(err) {
		fmt.Fprintln(e.stderr, err) // names the command already
	} else {
		fmt.Fprintf(e.stderr, "%s: %v\n", c.CommandPath(), err)
	}
	return app.ExitCode(err)
}

// terminalWidth is the width to wrap a report at: the terminal's, or 0 (no
// wrapping) for a pipe or a log file.
func terminalWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return 0
	}
	if width, _, err := term.GetSize(f.Fd()); err == nil {
		return width
	}
	return 0
}
