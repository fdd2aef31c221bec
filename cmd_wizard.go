package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"frontdoor/app"
	"frontdoor/config"
	"frontdoor/install"
	"frontdoor/render"
	"frontdoor/tui"
)

// wizardFlags are the wizard's own flags: on `frontdoor wizard` and on
// `frontdoor` alone, which opens the wizard.
type wizardFlags struct {
	accessible bool
	target     targetFlags
}

const wizardUse = "wizard [--config PATH] [--accessible] [--to PATH] [--link PATH] [--check CMD | --no-check] [--reload CMD] [--root DIR]"

func addWizardFlags(c *cobra.Command, w *wizardFlags) {
	fs := c.Flags()
	fs.BoolVar(&w.accessible, "accessible", false, "for screen readers: no full screen, no colour, one question per line")
	fs.StringVar(&w.target.to, "to", "", "save target (default: detected from the web server's layout; editable on the review step)")
	fs.StringVar(&w.target.link, "link", "", "symlink that enables the target (default: the detected sites-enabled link, none with --to)")
	fs.StringVar(&w.target.check, "check", "", "check run after the write (default: nginx -t / apache2ctl -t); split on spaces, no shell")
	fs.BoolVar(&w.target.noCheck, "no-check", false, "save without a check (no rollback possible)")
	fs.StringVar(&w.target.reload, "reload", "", "reload command offered on the review step (default: systemctl reload nginx / apache2ctl graceful)")
	fs.StringVar(&w.target.root, "root", "/", "file system root under which the web server's layout is detected (tests, chroots)")
	completeTargetFlags(c)
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
	flags := w.target.appFlags(c)
	if err := flags.Validate(); err != nil { // the same rule as save's, before anything else
		return fail(e, c, err)
	}
	if !isTerminal(e.stdin) || !isTerminal(e.stdout) {
		fmt.Fprintln(e.stderr, "frontdoor: the wizard needs a terminal on stdin and stdout.\n"+
			"From a script, use `frontdoor render` to print the snippet or `frontdoor save` to install it (`frontdoor help`).")
		return exitInvalid
	}
	// The wizard may start on the built-in example, or on a --config file
	// that does not exist yet (written on the first save).
	doc, err := config.Open(g.configPath, configGiven(c))
	if err != nil {
		fmt.Fprintf(e.stderr, "frontdoor: %v\n", err)
		return app.ExitCode(err)
	}
	loaded := doc.Settings()
	opts := tui.Options{
		File:       doc.Settings(),
		Source:     doc.Source(),
		ConfigPath: doc.Target(),
		LoadedFrom: doc.Path(),
		// Where each provider's snippet goes: flags, then the save: section,
		// then detection (app.Resolve, the rule save uses).
		Target: func(provider string) install.Target {
			t, _ := app.Resolve(render.Provider(provider), loaded, flags) // the flags were validated above
			return t.Install()
		},
		NoColor:  e.getenv("NO_COLOR") != "",
		Debounce: 250 * time.Millisecond,
	}
	run := tui.Run
	if w.accessible {
		run = tui.RunAccessible
	}
	// A dropped SSH session (SIGHUP) ends the wizard like SIGTERM does, so a
	// save in the middle of its check is rolled back rather than left unchecked.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGHUP)
	defer stop()
	res, err := run(ctx, opts, e.stdin, e.stdout)
	switch {
	case errors.Is(err, tui.ErrInterrupted):
		fmt.Fprintln(e.stderr, "frontdoor: interrupted; nothing was saved after the last save shown")
		return exitFailed
	case err != nil:
		fmt.Fprintf(e.stderr, "frontdoor: %v\n", err)
		return exitFailed
	}
	if res.Saved {
		if res.Target != "" {
			fmt.Fprintf(e.stderr, "frontdoor: saved %s; settings in %s\n", res.Target, res.ConfigPath)
		} else {
			fmt.Fprintf(e.stderr, "frontdoor: settings saved in %s\n", res.ConfigPath)
		}
	}
	return exitOK
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
