package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"frontdoor/app"
	"frontdoor/config"
	"frontdoor/internal/textwrap"
	"frontdoor/tui"
)

// wizardFlags are the wizard's own flags: on `frontdoor wizard` and on
// `frontdoor` alone, which opens the wizard.
type wizardFlags struct {
	accessible bool
	target     targetFlags
}

const wizardUse = "wizard [--config PATH] [--accessible] [--to PATH] [--link PATH] [--check CMD | --no-check] [--require-check] [--reload CMD] [--backup-dir DIR] [--keep N] [--root DIR]"

func addWizardFlags(c *cobra.Command, w *wizardFlags) {
	fs := c.Flags()
	fs.BoolVar(&w.accessible, "accessible", false, "for screen readers: no full screen, no colour, one question per line")
	fs.StringVar(&w.target.to, "to", "", "save target (default: detected from the web server's layout; editable on the review step)")
	fs.StringVar(&w.target.link, "link", "", "symlink that enables the target (default: the detected sites-enabled link, none with --to)")
	fs.StringVar(&w.target.check, "check", "", "check run after the write (default: the server's own, e.g. nginx -t, apache2ctl -t, haproxy -c, caddy validate); split on spaces, no shell")
	fs.BoolVar(&w.target.noCheck, "no-check", false, "save without a check (no rollback possible)")
	fs.BoolVar(&w.target.requireCheck, "require-check", false, "roll a save back unless a check ran, passed and read the configuration that loads the file")
	fs.StringVar(&w.target.reload, "reload", "", "reload command offered on the review step (default: the server's, e.g. systemctl reload nginx, apache2ctl graceful)")
	fs.StringVar(&w.target.root, "root", "/", "file system root under which the web server's layout is detected and checked (tests, chroots)")
	fs.StringVar(&w.target.backupDir, "backup-dir", "", "directory for the backups of the previous versions (default: beside the file)")
	fs.IntVar(&w.target.keep, "keep", 0, keepUsage)
	completeTargetFlags(c)
	_ = c.RegisterFlagCompletionFunc("backup-dir", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	})
}

func newWizardCmd(e env, g *globals) *cobra.Command {
	w := &wizardFlags{}
	c := &cobra.Command{
		Use:   wizardUse,
		Short: "open the interactive wizard (the default)",
		Long: "Open the interactive wizard: HTTP settings with live validation and a live preview of the snippet,\n" +
			"a safe save into the web server, LDAP settings with a live test bind and search.\n" +
			"It needs a terminal on stdin and stdout; `frontdoor` alone does the same.",
		Example: "  frontdoor\n  frontdoor --config /etc/frontdoor/frontdoor.yaml\n  frontdoor wizard --accessible",
		Args:    noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return status(cmdWizard(e, c, g, w))
		},
	}
	addWizardFlags(c, w)
	return c
}

func cmdWizard(e env, c *cobra.Command, g *globals, w *wizardFlags) int {
	startQuickly()
	flags := w.target.appFlags(c)
	if err := flags.Validate(); err != nil { // the same rule as save's, before anything else
		return fail(e, c, err)
	}
	// The wizard may start on the built-in example, or on a --config file
	// that does not exist yet (the first save creates it).
	doc, err := config.Open(g.configPath, configGiven(c))
	// --config naming an nginx or Apache configuration (config.Open reads
	// it as settings of the wrong shape: a *config.Error) opens the wizard
	// on ./frontdoor.yaml (or the example) with the offer to import it.
	importPath := ""
	var bad *config.Error
	if errors.As(err, &bad) && configGiven(c) {
		if _, ok := tui.WebServerConfig(g.configPath); ok {
			importPath = g.configPath
			doc, err = config.Open(config.DefaultPath, false)
		}
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "frontdoor: %v\n", err)
		return app.ExitCode(err)
	}
	// A --config naming no file is a new file, unless it is a typo of a
	// settings file beside it: ask (a terminal), else refuse with the name.
	if doc.Source() == config.FromNew {
		if similar := similarSettings(g.configPath); similar != "" {
			asked := isTerminal(e.stdin) && isTerminal(e.stderr)
			if !asked || !askNewSettings(e.stdin, e.stderr, g.configPath, similar) {
				fmt.Fprintf(e.stderr, "%s: --config %s: no such file; did you mean %s? Nothing was started.\n", wizardName(c), g.configPath, similar)
				return exitInvalid
			}
		}
	}
	// The flags with the settings file's save: section, for its provider:
	// a contradiction there (--reload with save.noCheck) is a usage error
	// before the program starts, as for `frontdoor save`.
	if _, err := app.Resolve(doc.Settings().Proxy.Provider, doc.Settings(), flags); err != nil {
		return fail(e, c, err)
	}
	if !isTerminal(e.stdin) || !isTerminal(e.stdout) {
		fmt.Fprintln(e.stderr, "frontdoor: the wizard needs a terminal on stdin and stdout.\n"+
			"From a script, use `frontdoor render` to print the snippet or `frontdoor save` to install it (`frontdoor help`).")
		return exitInvalid
	}
	opts := tui.Options{
		Doc: doc, Flags: flags, Import: importPath,
		NoColor:  e.getenv("NO_COLOR") != "",
		Debounce: 250 * time.Millisecond,
	}
	run := tui.Run
	if w.accessible {
		run = tui.RunAccessible
	}
	// SIGINT, SIGTERM and a dropped SSH session (SIGHUP) end the wizard; a
	// save in the middle of its check is cancelled with the signal as its
	// cause and rolled back first, never left unchecked.
	ctx, stop := app.WithSignals(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	res, err := run(ctx, opts, e.stdin, e.stdout)
	return wizardExit(e, ctx, res, err)
}

// wizardExit says how the session ended and maps it to the exit code: 0
// when the user quit, 128+N when a signal ended it (130 SIGINT, 143 SIGTERM;
// a save it stopped was rolled back first), 1 otherwise.
func wizardExit(e env, ctx context.Context, res tui.Result, err error) int {
	switch {
	case errors.Is(err, tui.ErrInterrupted):
		code := exitFailed
		var sig *app.SignalError
		if cause := context.Cause(ctx); errors.As(cause, &sig) {
			code = app.SignalExitCode(cause)
		}
		if res.Stopped != nil {
			fmt.Fprint(e.stderr, sayWrapped(terminalWidth(e.stderr), "interrupted during a save: "+res.Stopped.Headline()))
			if code == exitFailed {
				code = res.Stopped.ExitCode()
			}
		} else {
			fmt.Fprint(e.stderr, sayWrapped(terminalWidth(e.stderr), "interrupted; nothing was saved after the last save shown"))
		}
		return code
	case err != nil:
		fmt.Fprint(e.stderr, sayWrapped(terminalWidth(e.stderr), err.Error()))
		return exitFailed
	}
	fmt.Fprint(e.stderr, sayWrapped(terminalWidth(e.stderr), lastWords(outcomeOf(res))...))
	return exitOK
}

// sayWrapped is what the wizard says after it left the screen, each line
// after "frontdoor: " and wrapped at the terminal's width (0: a pipe, not
// wrapped), its continuation lines indented; a path is never cut.
func sayWrapped(width int, lines ...string) string {
	var b strings.Builder
	for _, line := range lines {
		for _, l := range textwrap.Wrap(line, width, "frontdoor: ", "  ") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// session is what the wizard's last words are made of.
type session struct {
	settingsPath string
	installed    string      // the snippet file of the session's last save that installed one
	last         *app.Report // the session's last save, whatever came of it (nil: none)
	dropped      bool        // "quit without saving" dropped unsaved changes
	after        []string    // more about the last save (tui.Result.After): an installed snippet older than the settings
}

// outcomeOf is the session tui.Result tells of: the last save's report
// and whether unsaved changes were dropped.
func outcomeOf(res tui.Result) session {
	return session{settingsPath: res.ConfigPath, installed: res.Target,
		last: res.Last, dropped: res.Dropped, after: res.After}
}

// lastWords are the lines the wizard ends with, after the user quit: how
// the last save went, in app's words (a rolled-back or unchecked save is
// never "saved"), what an earlier save left installed, and changes
// dropped unsaved.
func lastWords(s session) []string {
	var lines []string
	switch last := s.last; {
	case last == nil:
	case last.Op == app.OpSettings:
		lines = append(lines, "last save: "+last.Headline())
		lines = append(lines, s.after...)
	default:
		what := last.Headline()
		if undone(last) {
			what += " (the file is as before)"
		}
		switch last.Settings {
		case app.SettingsWritten:
			what += "; settings written to " + last.SettingsFile
		case app.SettingsUnchanged:
			what += "; settings in " + last.SettingsFile
		}
		lines = append(lines, fmt.Sprintf("last save, of %s: %s", last.Target.Path.Value, what))
		if last.Installed() == "" && s.installed != "" {
			lines = append(lines, "an earlier save this session installed "+s.installed)
		}
	}
	if s.dropped {
		lines = append(lines, "unsaved changes were dropped (quit without saving)")
	}
	return lines
}

// undone reports whether a save was taken back: its check failed or it was
// cancelled (rolled back), or it did not serve after the reload.
func undone(r *app.Report) bool {
	return r.Install != nil && r.Install.RolledBack || r.Verify != nil && !r.Saved() && r.Install != nil && r.Install.Saved
}

// wizardName is how the wizard names itself in a message.
func wizardName(c *cobra.Command) string {
	if !c.HasParent() {
		return "frontdoor"
	}
	return c.CommandPath()
}

// isTerminal reports whether a stream is a terminal (the wizard draws and
// reads keys there; pipes get the script commands instead).
func isTerminal(stream any) bool {
	f, ok := stream.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// wizardSettingsPath is where the wizard writes the settings: the --config
// file, except that the vendor's JSON is never overwritten with YAML;
// frontdoor.yaml beside it gets the settings instead (config.Document.Target).
func wizardSettingsPath(path string) string {
	if doc, err := config.Open(path, true); err == nil {
		return doc.Target()
	}
	return path
}

// startQuickly lets the heap grow four times as far as usual between
// collections for the wizard's first moments (loading the settings,
// building the screens, the first frame), then puts the usual rate back:
// collections during start-up cost a few milliseconds of the first frame
// (scripts/wizard-start.sh: GOGC=400 vs 100), while the session's peak
// memory, reached later, is as before.
func startQuickly() {
	old := debug.SetGCPercent(400)
	limit := debug.SetMemoryLimit(startMemoryLimit) // the heap still never grows past this meanwhile
	time.AfterFunc(50*time.Millisecond, func() {
		debug.SetGCPercent(old)
		debug.SetMemoryLimit(limit)
	})
}

// startMemoryLimit bounds the Go runtime's memory while collections are
// rarer at start: the session's peak RSS stays within its budget (30 MB
// with 1,000 repositories, scripts/wizard-start.sh).
const startMemoryLimit = 16 << 20
