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

	"github.com/spf13/cobra"

	"frontdoor/config"
	"frontdoor/ldapcheck"
)

// newLDAPCmd is the `ldap` group: `ldap test`, `ldap users` and `ldap export`.
func newLDAPCmd(e env, g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "ldap test|users|export [flags]",
		Short: "LDAP: `ldap test` (a real user), `ldap users` (who can log in), `ldap export` (vendor YAML)",
		Long: "The LDAP settings of the settings file: test them against the real directory with a real user, list the\n" +
			"users and groups the server will see, or export them in the vendor's YAML.\n\n" +
			"The user's password is asked for at a terminal (no echo), or comes from stdin (--password-stdin)\n" +
			"or $" + ldapPasswordEnv + "; never from a flag. `ldap test --lookup-only` and `ldap users` need none.\n" +
			"Exit codes: 0 ok (test: user found and authenticated; users: someone listed; export: written),\n" +
			"1 the test or listing failed, 2 invalid settings or usage.",
		SuggestionsMinimumDistance: 2,
		Args:                       cobra.ArbitraryArgs,
		// Flags of a subcommand typed before it (`ldap --user x tset`) must
		// not hide the real mistake: the subcommand.
		FParseErrWhitelist: cobra.FParseErrWhitelist{UnknownFlags: true},
		RunE: func(c *cobra.Command, args []string) error {
			switch {
			case len(args) == 0:
				return errors.New("which one: `ldap users`, `ldap test` or `ldap export`?")
			case args[0] == "help":
				return c.Help()
			}
			return fmt.Errorf("unknown subcommand %q for %q%s", args[0], c.CommandPath(), didYouMean(c.SuggestionsFor(args[0])))
		},
	}
	c.AddCommand(newLDAPTestCmd(e, g), newLDAPUsersCmd(e, g), newLDAPExportCmd(e, g))
	return c
}

// ldapPasswordEnv holds the test user's password when --password-stdin is not given.
const ldapPasswordEnv = "FRONTDOOR_LDAP_PASSWORD"

type ldapTestFlags struct {
	setting, user string
	passwordStdin bool
	lookupOnly    bool
	riskLockout   bool
	timeout       time.Duration
	json          bool
}

func newLDAPTestCmd(e env, g *globals) *cobra.Command {
	t := &ldapTestFlags{}
	c := &cobra.Command{
		Use:   "test [--config PATH] [--setting KEY] --user NAME [--password-stdin | --lookup-only] [--risk-lockout] [--timeout 10s] [--json]",
		Short: "bind and search a real user step by step: DNS, TCP, TLS, manager bind, user, email, groups",
		Long: "Bind and search a real user against the real directory, step by step: DNS, TCP, TLS, manager bind,\n" +
			"user search, lockout policy, user bind, email, groups. Each step is printed as it ends, with a hint\n" +
			"when it fails; a user not found is explained (outside the bases, another attribute, a filter clause...).\n" +
			"The password is asked for at a terminal (no echo), or read from the first line of stdin\n" +
			"(--password-stdin), or from $" + ldapPasswordEnv + "; never from a flag. --lookup-only runs everything\n" +
			"but the user's bind: no password is asked for or sent, so the test cannot lock the account.\n" +
			"A locked-out account is never bound as; one that one more wrong password would lock (the user, or the\n" +
			"manager when its entry is readable before the bind) is bound as only with --risk-lockout.\n" +
			"Exit codes: 0 user found and authenticated (--lookup-only: found), 1 the test failed, 2 invalid settings or usage.",
		Example: "  frontdoor ldap test --user alice\n" +
			"  frontdoor ldap test --user alice --lookup-only\n" +
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
	fs.BoolVar(&t.lookupOnly, "lookup-only", false, "run everything but the user's bind: no password asked or sent (no lockout risk)")
	durationVar(fs, &t.timeout, "timeout", 0, "limit for connecting and for each LDAP request (default: connect 10s, requests 15s)")
	fs.BoolVar(&t.json, "json", false, "print one JSON object per line: each step as it ends, then {\"type\":\"result\",...}")
	fs.BoolVar(&t.riskLockout, riskLockoutFlag, false, "bind even when one more wrong password locks the account (never when it is locked out)")
	_ = c.RegisterFlagCompletionFunc("user", cobra.NoFileCompletions)
	_ = c.RegisterFlagCompletionFunc("timeout", cobra.NoFileCompletions)
	completeLDAPSetting(c, g)
	return c
}

// riskLockoutFlag lets `ldap test` bind as an account one wrong password
// away from a lockout; skipped binds name it (Options.LockoutRiskControl).
const riskLockoutFlag = "risk-lockout"

// completeLDAPSetting offers the keys of the settings file for --setting.
func completeLDAPSetting(c *cobra.Command, g *globals) {
	_ = c.RegisterFlagCompletionFunc("setting", func(c *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		return ldapSettingKeys(c, g), cobra.ShellCompDirectiveNoFileComp
	})
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
	if t.lookupOnly && t.passwordStdin {
		fmt.Fprintln(e.stderr, "frontdoor ldap test: --lookup-only sends no password: drop --password-stdin (or --lookup-only to test the password)")
		return exitInvalid
	}
	if t.lookupOnly && t.riskLockout {
		fmt.Fprintln(e.stderr, "frontdoor ldap test: --lookup-only does not bind as the user, so there is no lockout to risk: drop --risk-lockout")
		return exitInvalid
	}
	if !validLDAPTimeout(e, c, t.timeout) {
		return exitInvalid
	}
	f, idx, ok := loadLDAPSetting(e, c, g, t.setting)
	if !ok {
		return exitInvalid
	}
	var password string
	if !t.lookupOnly { // a lookup reads no password, not even $FRONTDOOR_LDAP_PASSWORD
		var err error
		if password, err = readPassword(e, t.passwordStdin, ldapPasswordEnv, "LDAP password for "+ldapcheck.Quote(t.user)+": "); err != nil {
			fmt.Fprintf(e.stderr, "frontdoor ldap test: %v\n", err)
			return exitInvalid
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s := f.LDAP.Settings[idx]
	opt := ldapcheck.Options{Username: t.user, Password: password, LookupOnly: t.lookupOnly, Getenv: e.getenv,
		ConnectTimeout: t.timeout, ReadTimeout: t.timeout, AllowLockoutRisk: t.riskLockout, LockoutRiskControl: "--" + riskLockoutFlag}
	header := fmt.Sprintf("Testing LDAP setting %s (%s) as %s", s.Key, s.URL, ldapcheck.Quote(t.user))
	if t.lookupOnly {
		header += " (lookup only: no password is sent)"
	}
	res := ldapcheck.Run(ctx, s, f.LDAP.Groups, opt, ldapStepReporter(e, t.json, header, s))
	if t.json {
		res.Steps = nil // already streamed, one per line
		writeLDAPJSONLine(e, "result", res.OK(), res)
	}
	if res.OK() {
		return exitOK
	}
	return exitFailed
}

type ldapUsersFlags struct {
	setting     string
	riskLockout bool
	limit       int
	timeout     time.Duration
	json        bool
}

func newLDAPUsersCmd(e env, g *globals) *cobra.Command {
	u := &ldapUsersFlags{}
	c := &cobra.Command{
		Use:   "users [--config PATH] [--setting KEY] [--limit 20] [--risk-lockout] [--timeout 10s] [--json]",
		Short: "list the users and groups the server will see, as the manager (no user password)",
		Long: "List, as the manager, the entries the setting's search bases and filter find (the filter with {0} as *),\n" +
			"each with its login name, email, the groups the group settings give it, and flags for entries that\n" +
			"will not log in as expected (no-email, several-bases, duplicate-login, shadowed) and for accounts that\n" +
			"cannot log in now (disabled, locked, expired, must-change-password, password-expired). Steps are printed\n" +
			"as they end, then the table on stdout. Paged (pages of 500); at most --limit users (0: all).\n" +
			"Nothing binds as a user: no user password is asked for.\n" +
			"Exit codes: 0 at least one user listed, 1 nobody matches or a step failed, 2 invalid settings or usage.",
		Example: "  frontdoor ldap users\n" +
			"  frontdoor ldap users --setting corp --limit 0 --json",
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return status(cmdLDAPUsers(e, c, g, u))
		},
	}
	fs := c.Flags()
	fs.StringVar(&u.setting, "setting", "", "key of the LDAP setting to list (default: the first enabled one)")
	fs.IntVar(&u.limit, "limit", ldapcheck.DefaultListLimit, "list at most this many users (0: all)")
	durationVar(fs, &u.timeout, "timeout", 0, "limit for connecting and for each LDAP request (default: connect 10s, requests 15s)")
	fs.BoolVar(&u.json, "json", false, "print one JSON object per line: each step as it ends, then {\"type\":\"users\",...}")
	fs.BoolVar(&u.riskLockout, riskLockoutFlag, false, "bind as the manager even when one more wrong password locks it (when its policy is readable)")
	_ = c.RegisterFlagCompletionFunc("limit", cobra.NoFileCompletions)
	_ = c.RegisterFlagCompletionFunc("timeout", cobra.NoFileCompletions)
	completeLDAPSetting(c, g)
	return c
}

func cmdLDAPUsers(e env, c *cobra.Command, g *globals, u *ldapUsersFlags) int {
	if u.limit < 0 {
		fmt.Fprintf(e.stderr, "frontdoor ldap users: --limit %d: give a number of users, or 0 for all\n", u.limit)
		return exitInvalid
	}
	if !validLDAPTimeout(e, c, u.timeout) {
		return exitInvalid
	}
	f, idx, ok := loadLDAPSetting(e, c, g, u.setting)
	if !ok {
		return exitInvalid
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s := f.LDAP.Settings[idx]
	opt := ldapcheck.Options{Getenv: e.getenv, ConnectTimeout: u.timeout, ReadTimeout: u.timeout,
		AllowLockoutRisk: u.riskLockout, LockoutRiskControl: "--" + riskLockoutFlag}
	lo := ldapcheck.ListOptions{Limit: u.limit}
	if u.limit == 0 {
		lo.Limit = -1 // the CLI's 0 is "all"; ListOptions' 0 is its default
	}
	header := fmt.Sprintf("Listing users of LDAP setting %s (%s)", s.Key, s.URL)
	list := ldapcheck.ListUsers(ctx, s, f.LDAP.Groups, opt, lo, ldapStepReporter(e, u.json, header, s))
	ok = list.OK()
	switch {
	case u.json:
		list.Steps = nil // already streamed, one per line
		if list.Users == nil {
			list.Users = []ldapcheck.ListedUser{} // "users":[] rather than null
		}
		writeLDAPJSONLine(e, "users", ok, list)
	case len(list.Users) > 0:
		ldapcheck.WriteUsers(e.stdout, list)
	}
	if ok {
		return exitOK
	}
	return exitFailed
}

// validLDAPTimeout refuses a negative --timeout (0 keeps the vendor's).
func validLDAPTimeout(e env, c *cobra.Command, d time.Duration) bool {
	if d < 0 {
		fmt.Fprintf(e.stderr, "%s: --timeout must be positive\n", c.CommandPath())
		return false
	}
	return true
}

// loadLDAPSetting is how `ldap test` and `ldap users` pick what they talk
// to: the settings file (never the built-in example, which points at no
// real directory), --setting KEY or the first enabled setting, and the
// findings about it on stderr. False (said on stderr) means exit 2.
func loadLDAPSetting(e env, c *cobra.Command, g *globals, key string) (*config.File, int, bool) {
	f, src, ok := loadSettings(e, g.configPath, configGiven(c))
	if !ok {
		return nil, 0, false
	}
	if src == config.FromExample {
		fmt.Fprintf(e.stderr, "%s: no %s here: give --config PATH (the built-in example points at no real directory)\n", c.CommandPath(), g.configPath)
		return nil, 0, false
	}
	idx, ok := pickLDAPSetting(e, f.LDAP, key)
	if !ok {
		return nil, 0, false
	}
	findings := ldapcheck.ForSetting(ldapcheck.Validate(f.LDAP), f.LDAP, idx)
	printFindings(e.stderr, findings)
	if findings.HasErrors() {
		return nil, 0, false
	}
	return f, idx, true
}

// ldapStepReporter prints the steps of a run or a listing as they end: with
// asJSON one {"type":"step",...} line each; otherwise the header (and a loud
// line when certificates are not verified) first, then one line per step.
func ldapStepReporter(e env, asJSON bool, header string, s ldapcheck.Setting) func(ldapcheck.Step) {
	if asJSON {
		return func(st ldapcheck.Step) {
			b, _ := json.Marshal(st) // Step has its own MarshalJSON: splice the type in front
			fmt.Fprintf(e.stdout, "{\"type\":\"step\",%s\n", b[1:])
		}
	}
	fmt.Fprintln(e.stdout, header)
	if s.InsecureSkipVerify {
		fmt.Fprintln(e.stdout, "WARNING: insecureSkipVerify is on: the certificate is NOT verified, anyone in between could be answering")
	}
	return func(st ldapcheck.Step) { printLDAPStep(e.stdout, st) }
}

// writeLDAPJSONLine writes the last line of a --json run:
// {"type":TYPE,"ok":OK, ...the fields of v}.
func writeLDAPJSONLine(e env, typ string, ok bool, v any) {
	b, _ := json.Marshal(v) // Result and UserList hold no channels or funcs: cannot fail
	fmt.Fprintf(e.stdout, "{\"type\":%q,\"ok\":%t,%s\n", typ, ok, b[1:])
}

// pickLDAPSetting finds --setting KEY, or the first enabled setting.
func pickLDAPSetting(e env, c ldapcheck.Config, key string) (int, bool) {
	var keys []string
	for i, s := range c.Settings {
		if key != "" && s.Key == key {
			if !s.Enabled {
				fmt.Fprintf(e.stderr, "note: setting %s is disabled; using it anyway\n", ldapcheck.Quote(key))
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
		fmt.Fprintf(e.stderr, "frontdoor ldap: no LDAP setting %s (there are: %s)\n", ldapcheck.Quote(key), strings.Join(keys, ", "))
	}
	return 0, false
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
