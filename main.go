// Command frontdoor is a terminal wizard (and a set of script-friendly
// commands) that puts Artifactory behind nginx or Apache and checks its LDAP
// settings against the real directory. This file is CLI wiring only: flags,
// exit codes and streams; the work lives in the packages.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"frontdoor/config"
	"frontdoor/finding"
	"frontdoor/install"
	"frontdoor/ldapcheck"
	"frontdoor/render"
	"frontdoor/tui"

	"github.com/charmbracelet/x/term"
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
	// Help asked for is the output, on stdout; the flag package would print
	// it to stderr (as it does for a bad flag) before returning ErrHelp.
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(e.stdout)
			fs.Usage()
			return exitOK, true
		}
	}
	fs.SetOutput(e.stderr)
	if err := fs.Parse(args); err != nil {
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
	fs, cfgPath := newFlags(e, "wizard", "[wizard] [--config PATH] [--accessible] [--to PATH] [--link PATH] [--check CMD | --no-check] [--reload CMD] [--root DIR]")
	accessible := fs.Bool("accessible", false, "for screen readers: no full screen, no colour, one question per line")
	to := fs.String("to", "", "save target (default: detected from the web server's layout; editable on the review step)")
	link := fs.String("link", "", "symlink that enables the target (default: the detected sites-enabled link, none with --to)")
	check := fs.String("check", "", "check run after the write (default: nginx -t / apache2ctl -t); split on spaces, no shell")
	noCheck := fs.Bool("no-check", false, "save without a check (no rollback possible)")
	reload := fs.String("reload", "", "reload command offered on the review step (default: systemctl reload nginx / apache2ctl graceful)")
	root := fs.String("root", "/", "file system root under which the web server's layout is detected (tests, chroots)")
	if code, done := parseFlags(e, fs, args); done {
		return code
	}
	if *noCheck && flagSet(fs, "check") {
		fmt.Fprintln(e.stderr, "frontdoor wizard: --check and --no-check contradict each other")
		return exitInvalid
	}
	if !isTerminal(e.stdin) || !isTerminal(e.stdout) {
		fmt.Fprintln(e.stderr, "frontdoor: the wizard needs a terminal on stdin and stdout.\n"+
			"From a script, use `frontdoor render` to print the snippet or `frontdoor save` to install it (`frontdoor help`).")
		return exitInvalid
	}
	f, src, ok := loadSettings(e, fs, *cfgPath)
	if !ok {
		return exitInvalid
	}
	opts := tui.Options{
		File:       f,
		Source:     src,
		ConfigPath: wizardSettingsPath(*cfgPath),
		LoadedFrom: *cfgPath,
		Target: func(provider string) install.Target {
			t := install.DetectTarget(provider, *root)
			if flagSet(fs, "to") {
				t.Path, t.EnableLink, t.Note = *to, "", ""
			}
			if flagSet(fs, "link") {
				t.EnableLink = *link
			}
			if flagSet(fs, "check") {
				t.CheckCmd, t.CheckChosen = install.ParseCommand(*check), true
			}
			if *noCheck {
				t.CheckCmd = nil
			}
			if flagSet(fs, "reload") {
				t.ReloadCmd = install.ParseCommand(*reload)
			}
			return t
		},
		NoColor:  e.getenv("NO_COLOR") != "",
		Debounce: 250 * time.Millisecond,
	}
	run := tui.Run
	if *accessible {
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

// wizardSettingsPath is where the wizard writes the settings after a save:
// the --config file, except that the vendor's JSON is never overwritten
// with YAML; frontdoor.yaml beside it gets the settings instead.
func wizardSettingsPath(path string) string {
	data, err := os.ReadFile(path)
	if err == nil && render.LooksLikeArtifactoryJSON(bytes.TrimSpace(data)) {
		return filepath.Join(filepath.Dir(path), config.DefaultPath)
	}
	return path
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
	f, ok := loadValidProxySettings(e, fs, *cfgPath, *provider)
	if !ok {
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
	out, code := renderSnippet(e, "render", f)
	if code != exitOK {
		return code
	}
	e.stdout.Write(out)
	return exitOK
}

// loadValidProxySettings loads the settings, validates them with the
// certificate files, and prints the findings to stderr; false when errors
// block the command.
func loadValidProxySettings(e env, fs *flag.FlagSet, path, provider string) (*config.File, bool) {
	f, ok := loadProxySettings(e, fs, path, provider)
	if !ok {
		return nil, false
	}
	findings, _ := render.ValidateWithFiles(&f.Proxy, time.Now())
	printFindings(e.stderr, findings)
	return f, !findings.HasErrors()
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
func printFindings(w io.Writer, fs finding.Findings) {
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
	var findings finding.Findings
	if f.HasProxy || len(f.LDAP.Settings) == 0 {
		findings, _ = render.ValidateWithFiles(&f.Proxy, time.Now())
	} else {
		fmt.Fprintln(e.stderr, "note: no proxy section: checking the LDAP settings only")
	}
	findings = append(findings, ldapcheck.Validate(f.LDAP)...) // the whole file: proxy and LDAP
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
	fs, cfgPath := newFlags(e, "save", "save [--config PATH] [--provider nginx|apache] [--to PATH] [--link PATH] [--check CMD | --no-check] [--reload CMD] [--backup-dir DIR] [--root DIR]")
	provider := fs.String("provider", "", "override proxy.provider (nginx or apache)")
	to := fs.String("to", "", "snippet file (default: detected from the web server's layout, e.g. /etc/nginx/sites-available/artifactory.conf)")
	link := fs.String("link", "", "symlink that enables the file (default: the detected sites-enabled link, none with --to; --link= for none)")
	check := fs.String("check", "", "command that checks the configuration (default: nginx -t / apache2ctl -t); split on spaces, no shell")
	noCheck := fs.Bool("no-check", false, "do not check the configuration after writing (no rollback possible)")
	reload := fs.String("reload", "", "command run after a passing check, e.g. \"systemctl reload nginx\"; split on spaces, no shell (default: no reload)")
	backupDir := fs.String("backup-dir", "", "directory for the backup of the previous file (default: beside it, as .artifactory.conf.frontdoor-bak)")
	root := fs.String("root", "/", "file system root under which the layout is detected (for tests and chroots)")
	if code, done := parseFlags(e, fs, args); done {
		return code
	}
	checkCmd, reloadCmd, ok := saveCommands(e, fs, *check, *noCheck, *reload)
	if !ok {
		return exitInvalid
	}
	f, ok := loadValidProxySettings(e, fs, *cfgPath, *provider)
	if !ok {
		return exitInvalid
	}
	content, code := renderSnippet(e, "save", f)
	if code != exitOK {
		return code
	}

	target := install.DetectTarget(string(f.Proxy.Provider), *root)
	plan := target.Plan(content)
	plan.ReloadCmd = reloadCmd
	plan.BackupDir = *backupDir
	if *to != "" {
		plan.Target, plan.EnableLink = *to, "" // a chosen file is not linked unless --link says so
	} else if !target.Detected {
		fmt.Fprintf(e.stderr, "note: %s\n", target.Note)
	}
	if flagSet(fs, "link") {
		plan.EnableLink = *link
	}
	if checkCmd != nil || *noCheck {
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
		saveSettingsBeside(e, fs, *cfgPath, f)
	}
	if err != nil { // check failed and rolled back, reload failed, or I/O: the report above says which
		fmt.Fprintf(e.stderr, "frontdoor save: %v\n", err)
		return exitFailed
	}
	fmt.Fprintln(e.stdout, rep.File) // the only stdout output: the file that holds the snippet
	return exitOK
}

// saveCommands turns --check/--no-check/--reload into argument lists
// (nil check: keep the detected default). Commands are split on white space:
// there is no shell, so no quoting, pipes or variables.
func saveCommands(e env, fs *flag.FlagSet, check string, noCheck bool, reload string) (checkCmd, reloadCmd []string, ok bool) {
	if noCheck && flagSet(fs, "check") {
		fmt.Fprintln(e.stderr, "frontdoor save: --check and --no-check contradict each other")
		return nil, nil, false
	}
	if flagSet(fs, "check") && install.ParseCommand(check) == nil {
		fmt.Fprintln(e.stderr, "frontdoor save: empty --check; use --no-check to skip the check")
		return nil, nil, false
	}
	if flagSet(fs, "reload") && install.ParseCommand(reload) == nil {
		fmt.Fprintln(e.stderr, "frontdoor save: empty --reload; leave it out for no reload")
		return nil, nil, false
	}
	if noCheck && flagSet(fs, "reload") {
		fmt.Fprintln(e.stderr, "frontdoor save: --reload needs a check: the server is reloaded only after the configuration passed it")
		return nil, nil, false
	}
	return install.ParseCommand(check), install.ParseCommand(reload), true
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
// where this save left off. It writes the --config file (or ./frontdoor.yaml)
// only when that changes something: settings from the built-in example are
// written to ./frontdoor.yaml; a frontdoor.yaml is rewritten only when flags
// (--provider) changed what it says, so a hand-written file keeps its
// comments otherwise; the vendor's JSON is never overwritten.
func saveSettingsBeside(e env, fs *flag.FlagSet, path string, f *config.File) {
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist) && !flagSet(fs, "config"):
		// Settings came from the built-in example: keep them for next time.
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

func cmdLDAP(e env, args []string) int {
	if len(args) == 0 {
		ldapUsage(e.stderr)
		return exitInvalid
	}
	switch args[0] {
	case "-h", "--help", "-help", "help":
		ldapUsage(e.stdout)
		return exitOK
	case "test":
		return cmdLDAPTest(e, args[1:])
	case "export":
		return cmdLDAPExport(e, args[1:])
	}
	fmt.Fprintf(e.stderr, "frontdoor ldap: unknown subcommand %q\n\n", args[0])
	ldapUsage(e.stderr)
	return exitInvalid
}

func ldapUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: frontdoor ldap test [--config PATH] [--setting KEY] --user NAME [--password-stdin] [--timeout 10s] [--json]")
	fmt.Fprintln(w, "       frontdoor ldap export [--config PATH]")
	fmt.Fprintln(w, "\n  test    bind and search a real user step by step: DNS, TCP, TLS, manager bind, user, email, groups")
	fmt.Fprintln(w, "  export  print the LDAP settings in the vendor's YAML (security.ldapSettings / ldapGroupSettings)")
	fmt.Fprintln(w, "\nThe user's password is asked for at a terminal (no echo), or comes from stdin (--password-stdin)")
	fmt.Fprintln(w, "or $FRONTDOOR_LDAP_PASSWORD; never from a flag.")
	fmt.Fprintln(w, "Exit codes: 0 user found and authenticated (export: written), 1 the test failed, 2 invalid settings or usage.")
}

// ldapPasswordEnv holds the test user's password when --password-stdin is not given.
const ldapPasswordEnv = "FRONTDOOR_LDAP_PASSWORD"

func cmdLDAPTest(e env, args []string) int {
	fs, cfgPath := newFlags(e, "ldap test", "ldap test [--config PATH] [--setting KEY] --user NAME [--password-stdin] [--timeout 10s] [--json]")
	settingKey := fs.String("setting", "", "key of the LDAP setting to test (default: the first enabled one)")
	user := fs.String("user", "", "login name of a real user to test (required)")
	passwordStdin := fs.Bool("password-stdin", false, "read the user's password from the first line of stdin (default: $"+ldapPasswordEnv+")")
	timeout := fs.Duration("timeout", 0, "limit for connecting and for each LDAP request (default: connect 10s, requests 15s)")
	asJSON := fs.Bool("json", false, "print one JSON object per line: each step as it ends, then {\"type\":\"result\",...}")
	if code, done := parseFlags(e, fs, args); done {
		return code
	}
	if *user == "" {
		fmt.Fprintln(e.stderr, "frontdoor ldap test: --user NAME is required (the login name of a real user)")
		return exitInvalid
	}
	if *timeout < 0 {
		fmt.Fprintln(e.stderr, "frontdoor ldap test: --timeout must be positive")
		return exitInvalid
	}
	f, src, ok := loadSettings(e, fs, *cfgPath)
	if !ok {
		return exitInvalid
	}
	if src == config.FromExample {
		fmt.Fprintf(e.stderr, "frontdoor ldap test: no %s here: give --config PATH (the built-in example points at no real directory)\n", *cfgPath)
		return exitInvalid
	}
	idx, ok := pickLDAPSetting(e, f.LDAP, *settingKey)
	if !ok {
		return exitInvalid
	}
	findings := ldapcheck.ForSetting(ldapcheck.Validate(f.LDAP), f.LDAP, idx)
	printFindings(e.stderr, findings)
	if findings.HasErrors() {
		return exitInvalid
	}
	password, err := ldapTestPassword(e, *passwordStdin, *user)
	if err != nil {
		fmt.Fprintf(e.stderr, "frontdoor ldap test: %v\n", err)
		return exitInvalid
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s := f.LDAP.Settings[idx]
	opt := ldapcheck.Options{Username: *user, Password: password, Getenv: e.getenv, ConnectTimeout: *timeout, ReadTimeout: *timeout}
	var report func(ldapcheck.Step)
	if *asJSON {
		report = func(st ldapcheck.Step) {
			b, _ := json.Marshal(st) // Step has its own MarshalJSON: splice the type in front
			fmt.Fprintf(e.stdout, "{\"type\":\"step\",%s\n", b[1:])
		}
	} else {
		fmt.Fprintf(e.stdout, "Testing LDAP setting %s (%s) as %q\n", s.Key, s.URL, *user)
		if s.InsecureSkipVerify {
			fmt.Fprintln(e.stdout, "WARNING: insecureSkipVerify is on: the certificate is NOT verified, anyone in between could be answering")
		}
		report = func(st ldapcheck.Step) { printLDAPStep(e.stdout, st) }
	}
	res := ldapcheck.Run(ctx, s, f.LDAP.Groups, opt, report)
	if *asJSON {
		res.Steps = nil // already streamed, one per line
		json.NewEncoder(e.stdout).Encode(struct {
			Type string `json:"type"`
			OK   bool   `json:"ok"`
			ldapcheck.Result
		}{"result", res.OK(), res})
	}
	if res.OK() {
		return exitOK
	}
	return exitFailed
}

// pickLDAPSetting finds --setting KEY, or the first enabled setting.
func pickLDAPSetting(e env, c ldapcheck.Config, key string) (int, bool) {
	var keys []string
	for i, s := range c.Settings {
		if key != "" && s.Key == key {
			if !s.Enabled {
				fmt.Fprintf(e.stderr, "note: setting %q is disabled; testing it anyway\n", key)
			}
			return i, true
		}
		if key == "" && s.Enabled {
			return i, true
		}
		keys = append(keys, s.Key)
	}
	switch {
	case len(c.Settings) == 0:
		fmt.Fprintln(e.stderr, "frontdoor ldap: no ldap.settings in the settings file: add one (see docs/ldap.md) or use the wizard")
	case key == "":
		fmt.Fprintf(e.stderr, "frontdoor ldap: no enabled LDAP setting: pick one with --setting (%s)\n", strings.Join(keys, ", "))
	default:
		fmt.Fprintf(e.stderr, "frontdoor ldap: no LDAP setting %q (there are: %s)\n", key, strings.Join(keys, ", "))
	}
	return 0, false
}

// ldapTestPassword asks at a terminal without echo, or reads the first line
// of stdin, or the environment. The
// password is never a flag: flags show up in ps and shell history.
func ldapTestPassword(e env, fromStdin bool, user string) (string, error) {
	if !fromStdin {
		if pw := e.getenv(ldapPasswordEnv); pw != "" {
			return pw, nil
		}
	}
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(f.Fd()) {
		// A person at a terminal: ask, without echo (and without the shell
		// history that an environment variable on the command line ends up in).
		fmt.Fprintf(e.stderr, "LDAP password for %s: ", user)
		pw, err := term.ReadPassword(f.Fd())
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("reading the password: %v", err)
		}
		if len(pw) == 0 {
			return "", errors.New("empty password: an empty password is never sent (it would test nothing)")
		}
		return string(pw), nil
	}
	if !fromStdin {
		return "", fmt.Errorf("no password: type it at the prompt (run from a terminal), pipe it with --password-stdin, or set $%s (never on the command line)", ldapPasswordEnv)
	}
	var line []byte
	one := make([]byte, 1) // byte by byte: stop at the newline, read nothing after it
	for {
		n, err := e.stdin.Read(one)
		if n == 1 {
			if one[0] == '\n' {
				break
			}
			line = append(line, one[0])
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("reading the password from stdin: %v", err)
		}
	}
	pw := strings.TrimSuffix(string(line), "\r")
	if pw == "" {
		return "", errors.New("empty password on stdin: an empty password is never sent (it would test nothing)")
	}
	return pw, nil
}

// printLDAPStep writes one step as it ends: "✓ Name: detail (1.2 ms)" and
// the hint on the next line.
func printLDAPStep(w io.Writer, st ldapcheck.Step) {
	line := st.Status.Symbol() + " " + st.Name
	if st.Detail != "" {
		line += ": " + st.Detail
	}
	if st.Kind != ldapcheck.StepSummary {
		line += fmt.Sprintf(" (%.1f ms)", float64(st.Duration.Microseconds())/1000)
	}
	fmt.Fprintln(w, line)
	if st.Hint != "" {
		fmt.Fprintln(w, "    hint: "+st.Hint)
	}
}

func cmdLDAPExport(e env, args []string) int {
	fs, cfgPath := newFlags(e, "ldap export", "ldap export [--config PATH]")
	if code, done := parseFlags(e, fs, args); done {
		return code
	}
	f, src, ok := loadSettings(e, fs, *cfgPath)
	if !ok {
		return exitInvalid
	}
	if src == config.FromExample {
		fmt.Fprintf(e.stderr, "note: no %s here, exporting the built-in example (give --config PATH, or run `frontdoor` to write one)\n", *cfgPath)
	}
	if len(f.LDAP.Settings) == 0 {
		fmt.Fprintln(e.stderr, "frontdoor ldap export: no ldap.settings in the settings file")
		return exitInvalid
	}
	findings := ldapcheck.Validate(f.LDAP)
	printFindings(e.stderr, findings)
	if findings.HasErrors() {
		return exitInvalid
	}
	out, err := ldapcheck.ExportYAML(f.LDAP)
	if err != nil {
		fmt.Fprintf(e.stderr, "frontdoor ldap export: %v\n", err)
		return exitFailed
	}
	e.stdout.Write(out)
	return exitOK
}
