package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"frontdoor/config"
	"frontdoor/ldapcheck"
)

// newLDAPCmd is the `ldap` group: `ldap test` and `ldap export`.
func newLDAPCmd(e env, g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "ldap test|export [flags]",
		Short: "LDAP: `ldap test` (bind and search a real user), `ldap export` (vendor YAML)",
		Long: "The LDAP settings of the settings file: test them against the real directory, or export them in the\n" +
			"vendor's YAML.\n\n" +
			"The user's password is asked for at a terminal (no echo), or comes from stdin (--password-stdin)\n" +
			"or $" + ldapPasswordEnv + "; never from a flag.\n" +
			"Exit codes: 0 user found and authenticated (export: written), 1 the test failed, 2 invalid settings or usage.",
		SuggestionsMinimumDistance: 2,
		Args:                       cobra.ArbitraryArgs,
		// Flags of a subcommand typed before it (`ldap --user x tset`) must
		// not hide the real mistake: the subcommand.
		FParseErrWhitelist: cobra.FParseErrWhitelist{UnknownFlags: true},
		RunE: func(c *cobra.Command, args []string) error {
			switch {
			case len(args) == 0:
				return errors.New("which one: `ldap test` or `ldap export`?")
			case args[0] == "help":
				return c.Help()
			}
			return fmt.Errorf("unknown subcommand %q for %q%s", args[0], c.CommandPath(), didYouMean(c.SuggestionsFor(args[0])))
		},
	}
	c.AddCommand(newLDAPTestCmd(e, g), newLDAPExportCmd(e, g))
	return c
}

// ldapPasswordEnv holds the test user's password when --password-stdin is not given.
const ldapPasswordEnv = "FRONTDOOR_LDAP_PASSWORD"

type ldapTestFlags struct {
	setting, user string
	passwordStdin bool
	timeout       time.Duration
	json          bool
}

func newLDAPTestCmd(e env, g *globals) *cobra.Command {
	t := &ldapTestFlags{}
	c := &cobra.Command{
		Use:   "test [--config PATH] [--setting KEY] --user NAME [--password-stdin] [--timeout 10s] [--json]",
		Short: "bind and search a real user step by step: DNS, TCP, TLS, manager bind, user, email, groups",
		Long: "Bind and search a real user against the real directory, step by step: DNS, TCP, TLS, manager bind,\n" +
			"user search and bind, email, groups. Each step is printed as it ends, with a hint when it fails.\n" +
			"The password is asked for at a terminal (no echo), or read from the first line of stdin\n" +
			"(--password-stdin), or from $" + ldapPasswordEnv + "; never from a flag.\n" +
			"Exit codes: 0 user found and authenticated, 1 the test failed, 2 invalid settings or usage.",
		Example: "  frontdoor ldap test --user alice\n" +
			"  printf '%s\\n' \"$PW\" | frontdoor ldap test --setting corp --user alice --password-stdin --json",
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return status(cmdLDAPTest(e, c, g, t))
		},
	}
	fs := c.Flags()
	fs.StringVar(&t.setting, "setting", "", "key of the LDAP setting to test (default: the first enabled one)")
	fs.StringVar(&t.user, "user", "", "login name of a real user to test (required)")
	fs.BoolVar(&t.passwordStdin, "password-stdin", false, "read the user's password from the first line of stdin (default: $"+ldapPasswordEnv+")")
	fs.DurationVar(&t.timeout, "timeout", 0, "limit for connecting and for each LDAP request (default: connect 10s, requests 15s)")
	fs.BoolVar(&t.json, "json", false, "print one JSON object per line: each step as it ends, then {\"type\":\"result\",...}")
	_ = c.RegisterFlagCompletionFunc("user", cobra.NoFileCompletions)
	_ = c.RegisterFlagCompletionFunc("timeout", cobra.NoFileCompletions)
	_ = c.RegisterFlagCompletionFunc("setting", func(c *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		return ldapSettingKeys(c, g), cobra.ShellCompDirectiveNoFileComp
	})
	return c
}

// ldapSettingKeys offers the keys of the settings file for --setting.
func ldapSettingKeys(c *cobra.Command, g *globals) []string {
	f, _, err := config.Load(g.configPath, configGiven(c))
	if err != nil {
		return nil
	}
	var keys []string
	for _, s := range f.LDAP.Settings {
		keys = append(keys, s.Key)
	}
	return keys
}

func cmdLDAPTest(e env, c *cobra.Command, g *globals, t *ldapTestFlags) int {
	if t.user == "" {
		fmt.Fprintln(e.stderr, "frontdoor ldap test: --user NAME is required (the login name of a real user)")
		return exitInvalid
	}
	if t.timeout < 0 {
		fmt.Fprintln(e.stderr, "frontdoor ldap test: --timeout must be positive")
		return exitInvalid
	}
	f, src, ok := loadSettings(e, g.configPath, configGiven(c))
	if !ok {
		return exitInvalid
	}
	if src == config.FromExample {
		fmt.Fprintf(e.stderr, "frontdoor ldap test: no %s here: give --config PATH (the built-in example points at no real directory)\n", g.configPath)
		return exitInvalid
	}
	idx, ok := pickLDAPSetting(e, f.LDAP, t.setting)
	if !ok {
		return exitInvalid
	}
	findings := ldapcheck.ForSetting(ldapcheck.Validate(f.LDAP), f.LDAP, idx)
	printFindings(e.stderr, findings)
	if findings.HasErrors() {
		return exitInvalid
	}
	password, err := ldapTestPassword(e, t.passwordStdin, t.user)
	if err != nil {
		fmt.Fprintf(e.stderr, "frontdoor ldap test: %v\n", err)
		return exitInvalid
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s := f.LDAP.Settings[idx]
	opt := ldapcheck.Options{Username: t.user, Password: password, Getenv: e.getenv, ConnectTimeout: t.timeout, ReadTimeout: t.timeout}
	var report func(ldapcheck.Step)
	if t.json {
		report = func(st ldapcheck.Step) {
			b, _ := json.Marshal(st) // Step has its own MarshalJSON: splice the type in front
			fmt.Fprintf(e.stdout, "{\"type\":\"step\",%s\n", b[1:])
		}
	} else {
		fmt.Fprintf(e.stdout, "Testing LDAP setting %s (%s) as %q\n", s.Key, s.URL, t.user)
		if s.InsecureSkipVerify {
			fmt.Fprintln(e.stdout, "WARNING: insecureSkipVerify is on: the certificate is NOT verified, anyone in between could be answering")
		}
		report = func(st ldapcheck.Step) { printLDAPStep(e.stdout, st) }
	}
	res := ldapcheck.Run(ctx, s, f.LDAP.Groups, opt, report)
	if t.json {
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

type ldapExportFlags struct {
	example bool
}

func newLDAPExportCmd(e env, g *globals) *cobra.Command {
	x := &ldapExportFlags{}
	c := &cobra.Command{
		Use:   "export [--config PATH | --example]",
		Short: "print the LDAP settings in the vendor's YAML (security.ldapSettings / ldapGroupSettings)",
		Long: "Print the LDAP settings in the vendor's YAML (security.ldapSettings / ldapGroupSettings) on stdout.\n" +
			"Manager passwords are never written: they appear as \"<set me: ENV>\" placeholders.",
		Example: "  frontdoor ldap export > ldap-settings.yaml",
		Args:    noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return status(cmdLDAPExport(e, c, g, x))
		},
	}
	addExampleFlag(c, &x.example)
	return c
}

func cmdLDAPExport(e env, c *cobra.Command, g *globals, x *ldapExportFlags) int {
	f, ok := loadSettingsOrExample(e, c, g, x.example)
	if !ok {
		return exitInvalid
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
