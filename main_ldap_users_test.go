package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"frontdoor/finding"
	"frontdoor/internal/testenv"
	"frontdoor/ldapcheck/sambatest"
)

// recordingEnv is an env whose stdin and environment tell what a command
// read: a command that must not read a password can be caught reading one.
type recordingEnv struct {
	stdin          *strings.Reader
	stdout, stderr bytes.Buffer
	asked          []string // every variable looked up, in order
}

func (r *recordingEnv) run(environ map[string]string, args ...string) int {
	e := env{stdin: r.stdin, stdout: &r.stdout, stderr: &r.stderr, getenv: func(k string) string {
		r.asked = append(r.asked, k)
		return environ[k]
	}}
	return run(e, args)
}

// jsonLines parses --json output: every line one object; the types in order.
func jsonLines(t *testing.T, stdout string) (types []string, last map[string]any) {
	t.Helper()
	for i, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, l)
		}
		types = append(types, fmt.Sprint(m["type"]))
		last = m
	}
	return types, last
}

// onlySteps reports whether every type but the last is "step".
func onlySteps(types []string, lastType string) bool {
	n := len(types)
	return n > 1 && types[n-1] == lastType && !slices.ContainsFunc(types[:n-1], func(s string) bool { return s != "step" })
}

func TestLDAPUsersCommand(t *testing.T) {
	dir := startDirectory(t)
	good := writeConfig(t, ldapTestConfig(dir.URL, "(uid={0})"))
	nobody := writeConfig(t, ldapTestConfig(dir.URL, "(&(objectClass=device)(uid={0}))"))
	badFilter := writeConfig(t, ldapTestConfig(dir.URL, "(uid={0}"))
	manager := map[string]string{"FD_TEST_MANAGER_PW": "reader-pw"}

	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		code     int
		stdout   []string // each must appear
		stderr   []string
		noOutput []string // must appear nowhere
	}{
		{"help", nil, []string{"ldap", "users", "--help"}, exitOK, []string{"Usage: frontdoor ldap users", "--limit", "0: all", "no user password"}, nil, nil},
		{"help names --risk-lockout", nil, []string{"ldap", "users", "--help"}, exitOK, []string{"--risk-lockout", "bind as the manager even when"}, nil, nil},
		{"in the ldap group's help", nil, []string{"ldap", "--help"}, exitOK, []string{"frontdoor ldap users"}, nil, nil},
		{"the first users", manager, []string{"ldap", "users", "--config", good}, exitOK,
			[]string{"Listing users of LDAP setting corp (" + dir.URL + "/dc=example,dc=com)\n", "✓ Manager bind cn=reader",
				"✓ Users in ou=people,dc=example,dc=com: scope sub-tree, filter (uid=*)", "✓ Users in ou=contractors", "✓ Groups corp-groups (static)",
				"✓ Summary: 9 user(s); 3 without email; 1 hidden by an entry",
				"LOGIN  EMAIL              GROUPS             FLAGS              DN\n",
				"alice  alice@example.com  admins,developers  -                  uid=alice,ou=people,dc=example,dc=com\n",
				"dup    -                  -                  no-email,shadowed  uid=dup,ou=contractors,dc=example,dc=com\n"},
			nil, []string{"reader-pw", "more users match"}},
		{"a limit", manager, []string{"ldap", "users", "--config", good, "--limit", "2"}, exitOK,
			[]string{"the first 2 user(s); more match", "alice  ", "bob    ", "(more users match: raise the limit to list them)"}, nil, []string{"carol"}},
		{"--limit 0 lists all", manager, []string{"ldap", "users", "--config", good, "--limit", "0"}, exitOK,
			[]string{"✓ Summary: 9 user(s)", "zoe"}, nil, []string{"more users match"}},
		{"a negative limit", manager, []string{"ldap", "users", "--config", good, "--limit", "-1"}, exitInvalid,
			nil, []string{"--limit -1: give a number of users, or 0 for all"}, []string{"Listing"}},
		{"a limit that is no number", manager, []string{"ldap", "users", "--config", good, "--limit", "all"}, exitInvalid, nil, []string{"--limit"}, nil},
		{"a negative timeout", manager, []string{"ldap", "users", "--config", good, "--timeout", "-1s"}, exitInvalid, nil, []string{"frontdoor ldap users: --timeout must be positive"}, nil},
		{"nobody matches", manager, []string{"ldap", "users", "--config", nobody}, exitFailed,
			[]string{"✗ Summary: no entry matches (&(objectClass=device)(uid=*)) under the search bases"}, nil, []string{"LOGIN"}},
		{"no manager password", nil, []string{"ldap", "users", "--config", good}, exitFailed,
			[]string{"✗ Manager bind", "FD_TEST_MANAGER_PW is not set", "✗ Summary"}, nil, []string{"LOGIN"}},
		{"a disabled setting chosen explicitly", manager, []string{"ldap", "users", "--config", good, "--setting", "off"}, exitFailed,
			[]string{"Listing users of LDAP setting off", "connection refused"}, []string{`setting "off" is disabled; using it anyway`}, nil},
		{"an unknown setting", manager, []string{"ldap", "users", "--config", good, "--setting", "nope"}, exitInvalid,
			nil, []string{`no LDAP setting "nope" (there are: off, corp)`}, []string{"Listing"}},
		{"invalid settings", manager, []string{"ldap", "users", "--config", badFilter}, exitInvalid,
			nil, []string{"ldap.settings[1].search.filter: error: does not compile"}, []string{"Listing"}},
		{"no user flag", manager, []string{"ldap", "users", "--config", good, "--user", "alice"}, exitInvalid, nil, []string{"unknown flag: --user"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runLDAPCLI(t, "", tc.env, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			wantOutput(t, stdout, stderr, tc.stdout, tc.stderr, tc.noOutput)
		})
	}

	t.Run("the built-in example is refused", func(t *testing.T) {
		t.Chdir(t.TempDir()) // no ./frontdoor.yaml
		code, stdout, stderr := runLDAPCLI(t, "", manager, "ldap", "users")
		if code != exitInvalid || stdout != "" || !strings.Contains(stderr, "frontdoor ldap users: no frontdoor.yaml here: give --config PATH") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
		}
	})

	t.Run("json lines", func(t *testing.T) {
		code, stdout, stderr := runLDAPCLI(t, "", manager, "ldap", "users", "--config", good, "--limit", "0", "--json")
		types, last := jsonLines(t, stdout)
		if code != exitOK || !onlySteps(types, "users") || stderr != "" {
			t.Fatalf("exit %d, types %v, stderr %q", code, types, stderr)
		}
		users, _ := last["users"].([]any)
		if last["ok"] != true || last["setting"] != "corp" || last["filter"] != "(uid=*)" || last["loginAttribute"] != "uid" ||
			last["more"] != false || len(users) != 9 || last["steps"] != nil {
			t.Errorf("users line: %v", last)
		}
		alice, _ := users[0].(map[string]any)
		groups, _ := alice["groups"].([]any)
		if alice["dn"] != "uid=alice,ou=people,dc=example,dc=com" || alice["login"] != "alice" || alice["email"] != "alice@example.com" || len(groups) != 2 {
			t.Errorf("first user: %v", alice)
		}
		if strings.Contains(stdout, "reader-pw") {
			t.Error("the manager password is in the JSON output")
		}
	})

	t.Run("json when nobody matches", func(t *testing.T) {
		code, stdout, _ := runLDAPCLI(t, "", manager, "ldap", "users", "--config", nobody, "--json")
		types, last := jsonLines(t, stdout)
		if code != exitFailed || !onlySteps(types, "users") || last["ok"] != false || !strings.Contains(stdout, `"users":[]`) {
			t.Errorf("exit %d, types %v, last %v", code, types, last)
		}
	})

	t.Run("no password is read", func(t *testing.T) {
		secrets := map[string]string{"FD_TEST_MANAGER_PW": "reader-pw", ldapPasswordEnv: "Env-Secret-1"}
		for _, args := range [][]string{
			{"ldap", "users", "--config", good},
			{"ldap", "users", "--config", good, "--json"},
			{"ldap", "test", "--config", good, "--user", "alice", "--lookup-only"},
			{"ldap", "test", "--config", good, "--user", "alice", "--lookup-only", "--json"},
		} {
			r := &recordingEnv{stdin: strings.NewReader("Stdin-Secret-2\n")}
			code := r.run(secrets, args...)
			out := r.stdout.String() + r.stderr.String()
			if code != exitOK || r.stdin.Len() != len("Stdin-Secret-2\n") || slices.Contains(r.asked, ldapPasswordEnv) ||
				strings.Contains(out, "Secret") || strings.Contains(out, "reader-pw") || strings.Contains(out, "password for") {
				t.Errorf("%v: exit %d, %d bytes of stdin left, variables looked up %v\n%s", args, code, r.stdin.Len(), r.asked, out)
			}
		}
		// The same test with a password does read it: the recorder works.
		r := &recordingEnv{stdin: strings.NewReader("")}
		if code := r.run(secrets, "ldap", "test", "--config", good, "--user", "alice"); code != exitFailed || !slices.Contains(r.asked, ldapPasswordEnv) {
			t.Errorf("a test with a password: exit %d (Env-Secret-1 is wrong), variables looked up %v", code, r.asked)
		}
	})

	t.Run("lookup only json", func(t *testing.T) {
		code, stdout, _ := runLDAPCLI(t, "", manager, "ldap", "test", "--config", good, "--user", "lena", "--lookup-only", "--json")
		types, last := jsonLines(t, stdout)
		lockout, _ := last["lockout"].(map[string]any)
		if code != exitOK || !onlySteps(types, "result") || last["ok"] != true || last["lookupOnly"] != true || last["authenticated"] != false ||
			last["userDn"] != "uid=lena,ou=people,dc=example,dc=com" || lockout["source"] != "ppolicy" || lockout["threshold"] != 3.0 {
			t.Errorf("exit %d, types %v, result %v", code, types, last)
		}
		for _, want := range []string{`"kind":"lockout"`, `"kind":"user-bind","name":"User bind uid=lena,ou=people,dc=example,dc=com","status":"skip"`, `"reason":"lookup-only"`} {
			if !strings.Contains(stdout, want) {
				t.Errorf("no %s in\n%s", want, stdout)
			}
		}
		code, stdout, _ = runLDAPCLI(t, "", manager, "ldap", "test", "--config", good, "--user", "zed", "--lookup-only", "--json")
		_, last = jsonLines(t, stdout)
		why, _ := last["whyNotFound"].([]any)
		if code != exitFailed || last["ok"] != false || last["lookupOnly"] != true || len(why) == 0 || !strings.Contains(stdout, `"kind":"why-not-found"`) {
			t.Errorf("exit %d, result %v", code, last)
		}
	})
}

func TestLDAPUsersCompletion(t *testing.T) {
	t.Parallel()
	cfg := writeConfig(t, ldapTestConfig("ldap://127.0.0.1:1", "(uid={0})"))
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"__complete", "ldap", ""}, []string{"test\t", "users\t", "export\t"}},
		{[]string{"__complete", "--config", cfg, "ldap", "users", "--setting", ""}, []string{"off\n", "corp\n", ":4\n"}}, // 4: no file names
		{[]string{"__complete", "ldap", "users", "--"}, []string{"--limit\t", "--setting\t", "--timeout\t", "--json\t"}},
		{[]string{"__complete", "ldap", "test", "--"}, []string{"--lookup-only\t"}},
	} {
		code, stdout, _ := runCLI(t, "", tc.args...)
		for _, w := range tc.want {
			if code != 0 || !strings.Contains(stdout, w) {
				t.Errorf("%v: exit %d, stdout lacks %q:\n%s", tc.args, code, w, stdout)
			}
		}
	}
}

// Findings print through finding.Lines: at most finding.Limit lines, and
// one line for the same finding on many rows, however the YAML repeats it.
func TestFindingsAreCapped(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(ldapTestConfig("ldap://127.0.0.1:1", "(uid={0})"))
	for i := range finding.Limit + 10 { // distinct findings: no two alike
		fmt.Fprintf(&b, "    - {name: g%d, ldapSetting: corp, baseDn: ou=groups, nameAttribute: \"bad_%d\"}\n", i, i)
	}
	distinct := writeConfig(t, b.String())

	// An alias repeated: thousands of copies of one group setting.
	b.Reset()
	b.WriteString(strings.Replace(ldapTestConfig("ldap://127.0.0.1:1", "(uid={0})"), "  groups:\n    - {name: corp-groups",
		"  groups:\n    - &g {name: corp-groups", 1))
	for range 3000 {
		b.WriteString("    - *g\n")
	}
	aliases := writeConfig(t, b.String())

	for _, tc := range []struct {
		name  string
		args  []string
		code  int
		lines int    // at most
		want  string // the line that stands for the rest
	}{
		{"ldap users, distinct", []string{"ldap", "users", "--config", distinct}, exitInvalid, finding.Limit + 1, finding.More(10)},
		{"ldap test, distinct", []string{"ldap", "test", "--config", distinct, "--user", "alice", "--lookup-only"}, exitInvalid, finding.Limit + 1, finding.More(10)},
		{"ldap export, distinct", []string{"ldap", "export", "--config", distinct}, exitInvalid, finding.Limit + 1, finding.More(10)},
		{"validate, distinct", []string{"validate", "--config", distinct}, exitInvalid, finding.Limit + 1, finding.More(10)},
		{"ldap users, aliases", []string{"ldap", "users", "--config", aliases}, exitInvalid, 1, "(and 2,999 more like it)"},
		{"validate, aliases", []string{"validate", "--config", aliases}, exitInvalid, 1, "(and 2,999 more like it)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runLDAPCLI(t, "", nil, tc.args...)
			out := strings.TrimSpace(stdout + stderr)
			lines := strings.Split(out, "\n")
			if code != tc.code || len(lines) > tc.lines || !strings.Contains(out, tc.want) {
				t.Errorf("exit %d (want %d), %d lines (want at most %d), %q in them?\n%s", code, tc.code, len(lines), tc.lines, tc.want, out)
			}
		})
	}
}

// The same commands against a real Active Directory domain controller
// (Samba, provisioned for this test in about 5 s).
func TestLDAPCommandsOnActiveDirectory(t *testing.T) {
	t.Parallel() // a Samba DC of its own: starting it is most of the test
	if err := sambatest.Available(); err != nil {
		testenv.Unavailable(t, "%v", err)
	}
	dc, err := sambatest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dc.Stop() })

	cfg := writeConfig(t, fmt.Sprintf(`ldap:
  settings:
    - key: corp
      url: %s/%s
      caFile: %s
      search:
        filter: (&(objectClass=user)(sAMAccountName={0})(!(userAccountControl:1.2.840.113556.1.4.803:=2)))
        base: OU=Staff|OU=Contractors
        subTree: true
        managerDn: %s
        managerPasswordEnv: FD_TEST_AD_MANAGER_PW
  groups:
    - {name: corp-groups, ldapSetting: corp, baseDn: OU=Groups, nameAttribute: cn, memberAttribute: "member:1.2.840.113556.1.4.1941:", subTree: true, filter: (objectClass=group), strategy: static}
`, dc.LDAPSURL, sambatest.BaseDN, dc.CAFile, sambatest.Reader().UPN()))
	manager := map[string]string{"FD_TEST_AD_MANAGER_PW": sambatest.Reader().Password}
	alice, bob, dave := sambatest.UserByLogin("alice"), sambatest.UserByLogin("bob"), sambatest.UserByLogin("dave")

	// The directory returns entries and groups in an order of its own:
	// lines are matched by their start, then by what they hold.
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   []string
		lines    map[string][]string // a line starting with the key holds each value
		noOutput []string
	}{
		{"users", []string{"ldap", "users", "--config", cfg, "--limit", "0"}, exitOK, []string{
			"✓ Manager bind " + sambatest.Reader().UPN(),
			"✓ Users in OU=Staff,DC=corp,DC=test", "✓ Users in OU=Contractors,DC=corp,DC=test",
			"✓ Summary: 9 user(s); 1 without email; 1 locked out; 1 expired; 1 that must change their password first (the server cannot); 1 with an expired password",
		}, map[string][]string{
			"alice ": {"alice@corp.test", "Developers", "Engineering", alice.DN},
			"bob ":   {"no-email", bob.DN},
			"dave ":  {"dave@corp.test", "Engineering", dave.DN},
			// Accounts that cannot log in now, flagged.
			sambatest.LockedLogin + " ":          {"locked", sambatest.UserByLogin(sambatest.LockedLogin).DN},
			sambatest.MustChangeLogin + " ":      {"must-change-password"},
			sambatest.AccountExpiredLogin + " ":  {"expired"},
			sambatest.ExpiredPasswordLogin + " ": {"password-expired"},
		}, []string{sambatest.UserByLogin(sambatest.DisabledLogin).DN, sambatest.Reader().DN, "Developers,Developers"}},
		{"lookup only", []string{"ldap", "test", "--config", cfg, "--user", "alice", "--lookup-only"}, exitOK, []string{
			`as "alice" (lookup only: no password is sent)`,
			fmt.Sprintf("i Lockout policy: Active Directory locks an account after %d wrong passwords", sambatest.LockoutThreshold),
			"- User bind " + alice.DN + ": not tried: lookup only",
		}, map[string][]string{"✓ Groups corp-groups": {"2 group(s)", "Developers", "Engineering"}, "✓ Summary": {"(lookup only"}},
			[]string{"password accepted"}},
		{"lookup only of a locked account", []string{"ldap", "test", "--config", cfg, "--user", sambatest.LockedLogin, "--lookup-only"}, exitOK,
			nil, map[string][]string{"! Lockout policy": {"5 recent wrong password(s)", "locked out now"}, "- User bind": {"not tried: lookup only"}}, nil},
		// risky is one wrong password away from a lockout; locked is locked out.
		{"one more locks: no bind", []string{"ldap", "test", "--config", cfg, "--user", sambatest.LockoutRiskLogin, "--password-stdin"}, exitFailed, []string{
			"    hint: make sure of the password, then test again with --risk-lockout",
		}, map[string][]string{"! Lockout policy": {"4 recent wrong password(s)", "so this test does not bind"}, "- User bind": {"not tried: the user has 4 recent wrong password(s)"},
			"✗ Summary": {"but the login was not tried"}}, []string{"password accepted"}},
		{"locked out: no bind, even with --risk-lockout", []string{"ldap", "test", "--config", cfg, "--user", sambatest.LockedLogin, "--password-stdin", "--risk-lockout"}, exitFailed, []string{
			"    hint: wait for the lockout to end (it lasts 30m0s) or unlock it in Active Directory",
		}, map[string][]string{"- User bind": {"not tried: the account is locked out (until"}, "✗ Summary": {"locked out, so the login was not tried"}}, []string{"data 775"}},
		{"one more locks: --risk-lockout binds", []string{"ldap", "test", "--config", cfg, "--user", sambatest.LockoutRiskLogin, "--password-stdin", "--risk-lockout"}, exitOK, nil,
			map[string][]string{"✓ User bind": {"password accepted"}, "✓ Summary": {"authenticated"}}, nil},
		{"lookup only of a name typed with the domain", []string{"ldap", "test", "--config", cfg, "--user", alice.NT(), "--lookup-only"}, exitFailed,
			[]string{`as "CORP\alice" (lookup only`, `✗ Summary: "CORP\alice" was not found`}, map[string][]string{"i Why not found": {`"CORP\alice" is a down-level logon name`, `is "alice"`}}, []string{`CORP\\alice`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdin := ""
			if slices.Contains(tc.args, "--password-stdin") {
				stdin = sambatest.UserByLogin(tc.args[slices.Index(tc.args, "--user")+1]).Password + "\n"
			}
			code, stdout, stderr := runLDAPCLI(t, stdin, manager, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			for start, parts := range tc.lines {
				if !slices.ContainsFunc(strings.Split(stdout, "\n"), func(l string) bool {
					return strings.HasPrefix(l, start) && !slices.ContainsFunc(parts, func(p string) bool { return !strings.Contains(l, p) })
				}) {
					t.Errorf("no line %q... with %q", start, parts)
				}
			}
			wantOutput(t, stdout, stderr, tc.stdout, nil, append(tc.noOutput, sambatest.Reader().Password))
		})
	}

	t.Run("json reasons of a locked-out account", func(t *testing.T) {
		code, stdout, _ := runLDAPCLI(t, sambatest.UserByLogin(sambatest.LockedLogin).Password+"\n", manager,
			"ldap", "test", "--config", cfg, "--user", sambatest.LockedLogin, "--password-stdin", "--json")
		_, last := jsonLines(t, stdout)
		lockout, _ := last["lockout"].(map[string]any)
		if code != exitFailed || last["ok"] != false || lockout["locked"] != true || lockout["lockedUntil"] == nil {
			t.Errorf("exit %d, result %v", code, last)
		}
		for _, want := range []string{`"kind":"user-bind","name":"User bind ` + sambatest.UserByLogin(sambatest.LockedLogin).DN + `","status":"skip"`, `"reason":"locked-out"`} {
			if !strings.Contains(stdout, want) {
				t.Errorf("no %s in\n%s", want, stdout)
			}
		}
		if strings.Contains(stdout, `"reason":"account-problem"`) {
			t.Errorf("two reasons for one lockout:\n%s", stdout)
		}
	})

	t.Run("users json flags accounts that cannot log in", func(t *testing.T) {
		code, stdout, _ := runLDAPCLI(t, "", manager, "ldap", "users", "--config", cfg, "--limit", "0", "--json")
		_, last := jsonLines(t, stdout)
		users, _ := last["users"].([]any)
		flags := map[string]string{}
		for _, u := range users {
			m, _ := u.(map[string]any)
			fs, _ := json.Marshal(m["flags"])
			flags[fmt.Sprint(m["login"])] = string(fs)
		}
		if code != exitOK || flags[sambatest.LockedLogin] != `["locked"]` || flags[sambatest.MustChangeLogin] != `["must-change-password"]` ||
			flags[sambatest.AccountExpiredLogin] != `["expired"]` || flags[sambatest.ExpiredPasswordLogin] != `["password-expired"]` || flags["alice"] != "null" {
			t.Errorf("exit %d, flags %v", code, flags)
		}
	})

	t.Run("users json", func(t *testing.T) {
		code, stdout, _ := runLDAPCLI(t, "", manager, "ldap", "users", "--config", cfg, "--limit", "2", "--json")
		types, last := jsonLines(t, stdout)
		users, _ := last["users"].([]any)
		if code != exitOK || !onlySteps(types, "users") || last["ok"] != true || last["more"] != true || len(users) != 2 ||
			last["loginAttribute"] != "sAMAccountName" {
			t.Errorf("exit %d, types %v, last %v", code, types, last)
		}
	})
}
