package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"frontdoor/app"
	"frontdoor/assets"
	"frontdoor/config"
	"frontdoor/finding"
	"frontdoor/render"
)

type renderFlags struct {
	provider, format, template string
	example                    bool
}

func newRenderCmd(e env, g *globals) *cobra.Command {
	r := &renderFlags{}
	c := &cobra.Command{
		Use:   "render [--config PATH | --example] [--provider NAME] [--template DIR] [--format conf|artifactory-json]",
		Short: "print the proxy configuration (or the vendor's JSON) to stdout",
		Long: "Print the output of the settings file's provider to stdout: nginx, Apache, HAProxy or Caddy configuration,\n" +
			"or Kubernetes manifests; --provider renders another for this run:\n" +
			"  " + render.ProviderNames() + ".\n" +
			"--format artifactory-json prints the vendor's webServer REST JSON instead. --template DIR renders with\n" +
			"your own templates (see `frontdoor templates export`) for this run, over proxy.templates; the settings\n" +
			"file is not changed.\n" +
			"Findings go to stderr; with an error nothing is printed and the exit code is 2.",
		Example: "  frontdoor render > /etc/nginx/sites-available/artifactory.conf\n" +
			"  frontdoor render --provider haproxy --config frontdoor.yaml\n" +
			"  frontdoor render --provider gateway-api > artifactory-gateway.yaml\n" +
			"  frontdoor render --template /etc/frontdoor/templates\n" +
			"  frontdoor render --example --format artifactory-json",
		SuggestFor: []string{"print", "show", "generate"},
		Args:       noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return status(cmdRender(e, c, g, r))
		},
	}
	fs := c.Flags()
	fs.StringVar(&r.provider, "provider", "", "override proxy.provider for this run: "+render.ProviderNames())
	fs.StringVar(&r.template, "template", "", "directory of your own templates for this run, over proxy.templates (frontdoor templates export DIR writes a starting point)")
	_ = c.RegisterFlagCompletionFunc("template", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	})
	fs.StringVar(&r.format, "format", "conf", "conf: the web server snippet; artifactory-json: the vendor's webServer REST JSON, ready to POST")
	addExampleFlag(c, &r.example)
	completeProvider(c)
	_ = c.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{
		"conf\tthe web server snippet", "artifactory-json\tthe vendor's webServer REST JSON",
	}, cobra.ShellCompDirectiveNoFileComp))
	return c
}

func cmdRender(e env, c *cobra.Command, g *globals, r *renderFlags) int {
	if r.format != "conf" && r.format != "artifactory-json" {
		fmt.Fprintf(e.stderr, "frontdoor render: unknown --format %q (use conf or artifactory-json)\n", r.format)
		return exitInvalid
	}
	template, code := templateFlag(e, c, r)
	if code != exitOK {
		return code
	}
	f, ok := loadSettingsOrExample(e, c, g, r.example)
	if !ok || !applyProvider(e, f, r.provider, r.example) {
		return exitInvalid
	}
	if template != "" {
		f.Proxy.Templates = template // this run only: the settings file is not written
	}
	if !validProxySettings(e, f) {
		return exitInvalid
	}
	if r.format == "artifactory-json" {
		out, notes, err := render.ToArtifactoryJSON(&f.Proxy)
		if err != nil {
			fmt.Fprintf(e.stderr, "frontdoor render: %v\n", err)
			return exitFailed
		}
		for _, n := range notes {
			fmt.Fprintf(e.stderr, "note: %s\n", n)
		}
		e.stdout.Write(out)
		return exitOK
	}
	out, code := renderSnippet(e, "render", f)
	if code != exitOK {
		return code
	}
	e.stdout.Write(out)
	return exitOK
}

// templateFlag reads --template: an absolute directory (a relative one is
// taken from the current directory), for --format conf only; "" when not
// given. A usage error is said on stderr (exit 2).
func templateFlag(e env, c *cobra.Command, r *renderFlags) (string, int) {
	if !c.Flags().Changed("template") {
		return "", exitOK
	}
	switch {
	case strings.TrimSpace(r.template) == "":
		fmt.Fprintln(e.stderr, "frontdoor render: empty --template; leave it out for proxy.templates or the embedded templates")
		return "", exitInvalid
	case r.format != "conf":
		fmt.Fprintf(e.stderr, "frontdoor render: --template applies to --format conf, not %s\n", r.format)
		return "", exitInvalid
	}
	dir, err := filepath.Abs(r.template)
	if err != nil {
		fmt.Fprintf(e.stderr, "frontdoor render: --template %s: %v\n", r.template, err)
		return "", exitInvalid
	}
	return dir, exitOK
}

type validateFlags struct {
	json, example bool
}

func newValidateCmd(e env, g *globals) *cobra.Command {
	v := &validateFlags{}
	c := &cobra.Command{
		Use:   "validate [--config PATH | --example] [--json]",
		Short: "check the settings and print every finding",
		Long: "Check the proxy and LDAP settings (and the certificate files they name) and print every finding on\n" +
			"stdout, one per line: proxy.docker.repositories[1].port: error: ... Exit code 2 when there is an error.",
		Example:    "  frontdoor validate\n  frontdoor validate --config frontdoor.yaml --json",
		SuggestFor: []string{"lint", "verify"},
		Args:       noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return status(cmdValidate(e, c, g, v))
		},
	}
	c.Flags().BoolVar(&v.json, "json", false, "print the findings as a JSON array of {path, severity, message}")
	addExampleFlag(c, &v.example)
	return c
}

func cmdValidate(e env, c *cobra.Command, g *globals, v *validateFlags) int {
	f, err := settingsOrExample(c, g, v.example)
	var bad *config.Error
	switch {
	case v.json && errors.As(err, &bad):
		// A file that does not parse has findings too: the same JSON, with
		// the file and line of each problem.
		printJSON(e, problemsJSON(bad))
		return exitInvalid
	case err != nil:
		fmt.Fprintln(e.stderr, err)
		return exitInvalid
	}
	// The checks a save runs (app.ValidateFile: one rule for both), so
	// validate never says "ok" where save warns or refuses.
	ctx, stop := app.WithSignals(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	findings, proxy := app.ValidateFile(ctx, f, time.Now())
	if !proxy {
		fmt.Fprintln(e.stderr, "note: no proxy section: checking the LDAP settings only")
	}
	if v.json {
		printJSON(e, findingsJSON(findings))
	} else {
		printFindings(e.stdout, findings)
		if len(findings) == 0 {
			fmt.Fprintln(e.stdout, "ok: no findings")
		}
	}
	if findings.HasErrors() {
		return exitInvalid
	}
	return exitOK
}

// printJSON prints v indented on stdout, as every --json output does.
func printJSON(e env, v any) {
	data, _ := json.MarshalIndent(v, "", "  ")
	fmt.Fprintf(e.stdout, "%s\n", data)
}

// jsonFinding is one finding as every --json output shows it (validate's
// array, import's "findings"). File and Line are set for a settings file
// that does not parse (config.Error): where the problem is.
type jsonFinding struct {
	Path     string `json:"path"`
	File     string `json:"file,omitempty"`
	Line     int    `json:"line,omitempty"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

// findingsJSON is the findings for --json: errors, then warnings; [] (not
// null) when there are none.
func findingsJSON(findings finding.Findings) []jsonFinding {
	out := []jsonFinding{}
	for _, x := range append(findings.Errors(), findings.Warnings()...) {
		out = append(out, jsonFinding{Path: x.Path, Severity: x.Severity.String(), Message: x.Message})
	}
	return out
}

// problemsJSON is a settings file that does not parse as --json findings:
// one error for each problem, with its settings path, file and line.
func problemsJSON(bad *config.Error) []jsonFinding {
	out := []jsonFinding{}
	for _, p := range bad.Problems {
		out = append(out, jsonFinding{Path: p.Key, File: bad.Path, Line: p.Line, Severity: finding.Error.String(), Message: p.Message})
	}
	if len(out) == 0 {
		out = append(out, jsonFinding{File: bad.Path, Severity: finding.Error.String(), Message: bad.Error()})
	}
	return out
}

// addExampleFlag gives a command --example: the only way a command that is
// not the wizard reads the built-in example settings.
func addExampleFlag(c *cobra.Command, example *bool) {
	c.Flags().BoolVar(example, "example", false, "use the built-in example settings instead of a settings file")
}

// loadSettings reads the settings file (or, when path was not given and
// ./frontdoor.yaml does not exist, the built-in example: the caller decides
// whether that is acceptable). Errors are said on stderr.
func loadSettings(e env, path string, explicit bool) (*config.File, config.Source, bool) {
	f, src, err := config.Load(path, explicit)
	if err != nil {
		fmt.Fprintf(e.stderr, "frontdoor: %v\n", err)
		return nil, src, false
	}
	return f, src, true
}

// loadSettingsOrExample is settingsOrExample with its error said on stderr.
func loadSettingsOrExample(e env, c *cobra.Command, g *globals, example bool) (*config.File, bool) {
	f, err := settingsOrExample(c, g, example)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return nil, false
	}
	return f, true
}

// settingsOrExample is the rule for commands that are not the wizard:
// they read the settings file, and the built-in example only with
// --example, so a script run in the wrong directory never acts on the
// example by accident. A file that does not parse is a *config.Error
// (its problems, for --json); the error's text is what to print.
func settingsOrExample(c *cobra.Command, g *globals, example bool) (*config.File, error) {
	if example {
		if configGiven(c) {
			return nil, fmt.Errorf("%s: --config and --example contradict each other (--example reads no file)", c.CommandPath())
		}
		f, err := config.Parse(assets.Example)
		if err != nil {
			return nil, fmt.Errorf("%s: the built-in example: %w", c.CommandPath(), err)
		}
		return f, nil
	}
	f, src, err := config.Load(g.configPath, configGiven(c))
	if err != nil {
		return nil, fmt.Errorf("frontdoor: %w", err)
	}
	if src == config.FromExample {
		return nil, fmt.Errorf("%s: no %s here: give --config PATH, or --example for the built-in example (`frontdoor` writes settings)", c.CommandPath(), g.configPath)
	}
	return f, nil
}

// applyProvider applies a --provider override; false (said on stderr) when
// the provider is unknown. On the built-in example the provider's default
// paths follow (render.FollowProvider: HAProxy's one PEM file), as in the
// wizard; a settings file's paths are the user's and stay.
func applyProvider(e env, f *config.File, provider string, example bool) bool {
	if provider == "" {
		return true
	}
	if !slices.Contains(render.Providers, render.Provider(provider)) {
		fmt.Fprintf(e.stderr, "frontdoor: unknown --provider %q (use %s)\n", provider, render.ProviderNames())
		return false
	}
	f.Proxy.Provider = render.Provider(provider)
	if example {
		render.FollowProvider(&f.Proxy)
	}
	return true
}

// completeProvider offers the providers for --provider.
func completeProvider(c *cobra.Command) {
	_ = c.RegisterFlagCompletionFunc("provider", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		var names []string
		for _, p := range render.Providers {
			names = append(names, string(p))
		}
		return names, cobra.ShellCompDirectiveNoFileComp
	})
}

// validProxySettings validates the proxy settings with the certificate
// files and prints the findings to stderr; false when errors block the
// command.
func validProxySettings(e env, f *config.File) bool {
	findings, _ := render.ValidateWithFiles(&f.Proxy, time.Now())
	printFindings(e.stderr, findings)
	return !findings.HasErrors()
}

// renderSnippet renders the snippet of valid settings, or says why not and
// returns the exit code: tomcat has no snippet (invalid for the command).
func renderSnippet(e env, cmd string, f *config.File) ([]byte, int) {
	out, err := render.Render(&f.Proxy)
	if err != nil {
		fmt.Fprintf(e.stderr, "frontdoor %s: %v\n", cmd, err)
		if errors.Is(err, render.ErrNoSnippet) {
			return nil, exitInvalid
		}
		return nil, exitFailed
	}
	return out, exitOK
}

// printFindings writes the findings as every printer does (finding.Lines):
// errors first, the same finding on many rows once ("and N more like it"),
// at most finding.Limit lines, so an alias-heavy file never multiplies output.
func printFindings(w io.Writer, fs finding.Findings) {
	for _, line := range fs.Lines(0) {
		fmt.Fprintln(w, line)
	}
}
