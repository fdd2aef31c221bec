// Command frontdoor is a terminal wizard (and a set of script-friendly
// commands) that puts Artifactory behind nginx or Apache and checks its LDAP
// settings against the real directory. This file is CLI wiring only: flags,
// exit codes and streams; the work lives in the packages.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"frontdoor/config"
	"frontdoor/render"
)

// Exit codes shared by every command.
const (
	exitOK      = 0 // the operation succeeded
	exitFailed  = 1 // the operation ran and failed
	exitInvalid = 2 // invalid input: settings, flags or usage
)

// env is what a command may touch; tests pass their own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

type command struct {
	name, summary string
	run           func(e env, args []string) int
}

func commands() []command {
	return []command{
		{"wizard", "open the interactive wizard (the default)", cmdWizard},
		{"render", "print the proxy snippet (or the vendor's JSON) to stdout", cmdRender},
		{"validate", "check the settings and print every finding", cmdValidate},
		{"save", "install the snippet safely: backup, atomic write, check, rollback", cmdSave},
		{"ldap", "LDAP: `ldap test` (bind and search a real user), `ldap export` (vendor YAML)", cmdLDAP},
	}
}

func main() {
	os.Exit(run(env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:]))
}

func run(e env, args []string) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && args[0] != "-h" && args[0] != "--help" && args[0] != "-help" {
		return cmdWizard(e, args)
	}
	switch args[0] {
	case "-h", "--help", "-help", "help":
		usage(e.stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(e, args[1:])
		}
	}
	fmt.Fprintf(e.stderr, "frontdoor: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return exitInvalid
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "frontdoor: put Artifactory behind nginx or Apache, and check its LDAP settings.")
	fmt.Fprintln(w, "\nUsage: frontdoor [command] [--config PATH] [flags]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nSettings come from --config PATH, else ./frontdoor.yaml. `frontdoor COMMAND --help` for details.")
	fmt.Fprintln(w, "Exit codes: 0 ok, 1 the operation ran and failed, 2 invalid settings or usage.")
}

// newFlags makes a flag set that reports errors and help the same way everywhere.
func newFlags(e env, name, synopsis string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg := fs.String("config", config.DefaultPath, "settings file (frontdoor.yaml, or the vendor's webServer REST JSON)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: frontdoor %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs, cfg
}

// parseFlags returns (exit code, done): done when help was printed or flags were bad.
func parseFlags(e env, fs *flag.FlagSet, args []string) (int, bool) {
	fs.SetOutput(e.stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(e.stdout)
			fs.Usage()
			return exitOK, true
		}
		return exitInvalid, true
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "frontdoor: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitInvalid, true
	}
	return 0, false
}

// flagSet reports whether the user gave the flag explicitly.
func flagSet(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// loadSettings reads --config (or ./frontdoor.yaml, or the built-in example).
func loadSettings(e env, fs *flag.FlagSet, path string) (*config.File, config.Source, bool) {
	f, src, err := config.Load(path, flagSet(fs, "config"))
	if err != nil {
		fmt.Fprintf(e.stderr, "frontdoor: %v\n", err)
		return nil, src, false
	}
	return f, src, true
}

func cmdWizard(e env, args []string) int {
	fmt.Fprintln(e.stderr, "frontdoor: the wizard is not built yet")
	return exitFailed
}

func cmdRender(e env, args []string) int {
	fs, cfgPath := newFlags(e, "render", "render [--config PATH] [--provider nginx|apache] [--format conf|artifactory-json]")
	provider := fs.String("provider", "", "override proxy.provider (nginx or apache)")
	format := fs.String("format", "conf", "conf: the web server snippet; artifactory-json: the vendor's webServer REST JSON, ready to POST")
	if code, done := parseFlags(e, fs, args); done {
		return code
	}
	if *format != "conf" && *format != "artifactory-json" {
		fmt.Fprintf(e.stderr, "frontdoor render: unknown --format %q (use conf or artifactory-json)\n", *format)
		return exitInvalid
	}
	f, ok := loadProxySettings(e, fs, *cfgPath, *provider)
	if !ok {
		return exitInvalid
	}
	findings, _ := render.ValidateWithFiles(&f.Proxy, time.Now())
	printFindings(e.stderr, findings)
	if findings.HasErrors() {
		return exitInvalid
	}
	if *format == "artifactory-json" {
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
	out, err := render.Render(&f.Proxy)
	if errors.Is(err, render.ErrNoSnippet) {
		fmt.Fprintf(e.stderr, "frontdoor render: %v\n", err)
		return exitInvalid
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "frontdoor render: %v\n", err)
		return exitFailed
	}
	e.stdout.Write(out)
	return exitOK
}

// loadProxySettings loads the settings and applies a --provider override.
func loadProxySettings(e env, fs *flag.FlagSet, path, provider string) (*config.File, bool) {
	f, src, ok := loadSettings(e, fs, path)
	if !ok {
		return nil, false
	}
	if src == config.FromExample {
		fmt.Fprintf(e.stderr, "note: no %s here, using the built-in example (give --config PATH, or run `frontdoor` to write one)\n", path)
	}
	if provider != "" {
		if !slices.Contains(render.Providers, render.Provider(provider)) {
			fmt.Fprintf(e.stderr, "frontdoor: unknown --provider %q (use nginx or apache)\n", provider)
			return nil, false
		}
		f.Proxy.Provider = render.Provider(provider)
	}
	return f, true
}

// printFindings writes one finding per line, errors first.
func printFindings(w io.Writer, fs render.Findings) {
	for _, f := range fs.Errors() {
		fmt.Fprintln(w, f)
	}
	for _, f := range fs.Warnings() {
		fmt.Fprintln(w, f)
	}
}

func cmdValidate(e env, args []string) int {
	fs, cfgPath := newFlags(e, "validate", "validate [--config PATH] [--json]")
	asJSON := fs.Bool("json", false, "print the findings as a JSON array of {path, severity, message}")
	if code, done := parseFlags(e, fs, args); done {
		return code
	}
	f, ok := loadProxySettings(e, fs, *cfgPath, "")
	if !ok {
		return exitInvalid
	}
	findings, _ := render.ValidateWithFiles(&f.Proxy, time.Now())
	if *asJSON {
		type jsonFinding struct {
			Path     string `json:"path"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
		}
		out := []jsonFinding{}
		for _, x := range append(findings.Errors(), findings.Warnings()...) {
			out = append(out, jsonFinding{x.Path, x.Severity.String(), x.Message})
		}
		data, _ := json.MarshalIndent(out, "", "  ")
		fmt.Fprintf(e.stdout, "%s\n", data)
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

func cmdSave(e env, args []string) int {
	fmt.Fprintln(e.stderr, "frontdoor: save is not built yet")
	return exitFailed
}

func cmdLDAP(e env, args []string) int {
	fmt.Fprintln(e.stderr, "frontdoor: ldap is not built yet")
	return exitFailed
}
