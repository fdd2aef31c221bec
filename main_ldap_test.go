package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/internal/testenv"
	"frontdoor/ldapcheck/slapdtest"
)

// ldapTestConfig is a frontdoor.yaml for the test directory at url.
func ldapTestConfig(url, filter string) string {
	return fmt.Sprintf(`proxy:
  provider: nginx
  serverName: artifactory.example.com
ldap:
  settings:
    - key: off
      enabled: false
      url: ldap://127.0.0.1:1/dc=example,dc=com
      search: {filter: "(uid={0})"}
    - key: corp
      url: %s/dc=example,dc=com
      search:
        filter: %q
        base: ou=people|ou=contractors
        managerDn: cn=reader,dc=example,dc=com
        managerPasswordEnv: FD_TEST_MANAGER_PW
  groups:
    - {name: corp-groups, ldapSetting: corp, baseDn: ou=groups, memberAttribute: member, filter: "(objectClass=groupOfNames)"}
`, url, filter)
}

func runLDAPCLI(t *testing.T, stdin string, environ map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, getenv: func(k string) string { return environ[k] }}
	code = run(e, args)
	return code, out.String(), errOut.String()
}

// startDirectory starts the test directory of package ldapcheck (users,
// groups, a password policy) for one test; without slapd the test skips,
// under CI=true it fails.
func startDirectory(t *testing.T) *slapdtest.Server {
	t.Helper()
	if err := slapdtest.Available(); err != nil {
		testenv.Unavailable(t, "%v", err)
	}
	dir, err := slapdtest.Start(slapdtest.Config{
		LDIF:        []string{"ldapcheck/testdata/directory.ldif", "ldapcheck/testdata/ppolicy.ldif"},
		RuntimeLDIF: []string{"ldapcheck/testdata/groups.ldif"},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dir.Stop() })
	return dir
}

func TestLDAPCommand(t *testing.T) {
	t.Parallel() // a slapd of its own; the timeout cases wait
	dir := startDirectory(t)

	// A loopback server that accepts and never answers.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { silent.Close() })
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(io.Discard, c); c.Close() }()
		}
	}()

	tmp := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.yaml", ldapTestConfig(dir.URL, "(uid={0})"))
	badFilter := write("bad.yaml", ldapTestConfig(dir.URL, "(uid={0}"))
	contractorsOnly := write("contractors.yaml", strings.Replace(ldapTestConfig(dir.URL, "(uid={0})"), "base: ou=people|ou=contractors", "base: ou=contractors", 1))
	stalled := write("silent.yaml", ldapTestConfig("ldap://"+silent.Addr().String(), "(uid={0})"))
	manager := map[string]string{"FD_TEST_MANAGER_PW": "reader-pw"}
	withPassword := map[string]string{"FD_TEST_MANAGER_PW": "reader-pw", "FRONTDOOR_LDAP_PASSWORD": "alice-pw"}

	tests := []struct {
		name     string
		stdin    string
		env      map[string]string
		args     []string
		code     int
		stdout   []string // each must appear
		stderr   []string
		noOutput []string // must appear nowhere
	}{
		{"ldap help", "", nil, []string{"ldap", "--help"}, exitOK, []string{"frontdoor ldap test", "frontdoor ldap export"}, nil, nil},
		{"ldap without subcommand", "", nil, []string{"ldap"}, exitInvalid, nil, []string{"Usage"}, nil},
		{"unknown subcommand", "", nil, []string{"ldap", "bind"}, exitInvalid, nil, []string{`unknown subcommand "bind"`}, nil},
		{"test help", "", nil, []string{"ldap", "test", "--help"}, exitOK, []string{"-password-stdin", "-timeout", "--risk-lockout", "never when it is locked out"}, nil, nil},
		{"export help", "", nil, []string{"ldap", "export", "-h"}, exitOK, []string{"ldap export"}, nil, nil},
		{"no user", "", withPassword, []string{"ldap", "test", "--config", good}, exitInvalid, nil, []string{"--user NAME is required"}, nil},
		{"no password", "", manager, []string{"ldap", "test", "--config", good, "--user", "alice"}, exitInvalid, nil, []string{"no password", "FRONTDOOR_LDAP_PASSWORD"}, nil},
		{"empty password on stdin", "\n", manager, []string{"ldap", "test", "--config", good, "--user", "alice", "--password-stdin"}, exitInvalid, nil, []string{"empty password"}, nil},
		{"missing config file", "", withPassword, []string{"ldap", "test", "--config", filepath.Join(tmp, "nope.yaml"), "--user", "alice"}, exitInvalid, nil, []string{"nope.yaml"}, nil},
		{"invalid settings", "", withPassword, []string{"ldap", "test", "--config", badFilter, "--user", "alice"}, exitInvalid, nil,
			[]string{"ldap.settings[1].search.filter: error: does not compile"}, nil},
		{"unknown setting", "", withPassword, []string{"ldap", "test", "--config", good, "--user", "alice", "--setting", "nope"}, exitInvalid, nil,
			[]string{`no LDAP setting "nope"`, "off, corp"}, nil},
		{"success with the password in the environment", "", withPassword, []string{"ldap", "test", "--config", good, "--user", "alice"}, exitOK,
			[]string{"Testing LDAP setting corp", "✓ Manager bind", "✓ User bind uid=alice", "✓ Groups corp-groups (static)", "✓ Summary"}, nil, []string{"alice-pw", "reader-pw"}},
		{"success with the password on stdin", "alice-pw\n", manager, []string{"ldap", "test", "--config", good, "--user", "alice", "--password-stdin"}, exitOK,
			[]string{"✓ Summary"}, nil, []string{"alice-pw", "reader-pw"}},
		{"found in the second base", "dave-pw\r\n", manager, []string{"ldap", "test", "--config", good, "--user", "dave", "--password-stdin"}, exitOK,
			[]string{"! User search in ou=people", "✓ User search in ou=contractors"}, nil, nil},
		{"wrong password", "Wr0ng-Secret\n", manager, []string{"ldap", "test", "--config", good, "--user", "alice", "--password-stdin"}, exitFailed,
			[]string{"✗ User bind", "hint: careful", "✗ Summary"}, nil, []string{"Wr0ng-Secret"}},
		// lena locks after 3 wrong passwords: at 2, the bind waits for --risk-lockout.
		{"lena: a wrong password", "Wr0ng-1\n", manager, []string{"ldap", "test", "--config", good, "--user", "lena", "--password-stdin"}, exitFailed,
			[]string{"✗ User bind uid=lena"}, nil, nil},
		{"lena: another", "Wr0ng-2\n", manager, []string{"ldap", "test", "--config", good, "--user", "lena", "--password-stdin"}, exitFailed,
			[]string{"✗ User bind uid=lena"}, nil, nil},
		{"one more locks: no bind without --risk-lockout", "lena-pw\n", manager, []string{"ldap", "test", "--config", good, "--user", "lena", "--password-stdin"}, exitFailed,
			[]string{"! Lockout policy: ", "one more wrong password locks the account, so this test does not bind as the user",
				"- User bind uid=lena,ou=people,dc=example,dc=com: not tried: the user has 2 recent wrong password(s) and the directory locks the account after 3",
				"    hint: make sure of the password, then test again with --risk-lockout (the test binds once)",
				`✗ Summary: "lena" found as uid=lena,ou=people,dc=example,dc=com but the login was not tried: one more wrong password locks the account`}, nil, []string{"password accepted"}},
		{"one more locks: --risk-lockout binds", "lena-pw\n", manager, []string{"ldap", "test", "--config", good, "--user", "lena", "--password-stdin", "--risk-lockout"}, exitOK,
			[]string{"this test binds as the user once, as allowed", "✓ User bind uid=lena", "✓ Summary"}, nil, nil},
		{"--risk-lockout with --lookup-only", "", manager, []string{"ldap", "test", "--config", good, "--user", "lena", "--lookup-only", "--risk-lockout"}, exitInvalid,
			nil, []string{"no lockout to risk: drop --risk-lockout"}, []string{"Testing LDAP"}},
		{"unknown user", "x-pw\n", manager, []string{"ldap", "test", "--config", good, "--user", "zed", "--password-stdin"}, exitFailed,
			[]string{`"zed" not found`}, nil, nil},
		{"disabled setting chosen explicitly", "alice-pw\n", manager, []string{"ldap", "test", "--config", good, "--setting", "off", "--user", "alice", "--password-stdin"}, exitFailed,
			[]string{"connection refused"}, []string{`setting "off" is disabled`}, nil},
		{"timeout", "alice-pw\n", manager, []string{"ldap", "test", "--config", stalled, "--user", "alice", "--password-stdin", "--timeout", "300ms"}, exitFailed,
			[]string{"no answer within 300ms"}, nil, nil},
		{"lookup only: no password asked, none read", "", manager, []string{"ldap", "test", "--config", good, "--user", "alice", "--lookup-only"}, exitOK,
			[]string{`Testing LDAP setting corp (` + dir.URL + `/dc=example,dc=com) as "alice" (lookup only: no password is sent)`,
				"✓ User search in ou=people", "- User bind uid=alice,ou=people,dc=example,dc=com: not tried: lookup only", "✓ Groups corp-groups (static)",
				`✓ Summary: "alice" found as uid=alice,ou=people,dc=example,dc=com (lookup only`}, nil, []string{"reader-pw", "LDAP password for"}},
		{"lookup only ignores the password in the environment", "", withPassword, []string{"ldap", "test", "--config", good, "--user", "alice", "--lookup-only"}, exitOK,
			[]string{"not tried: lookup only"}, nil, []string{"alice-pw", "password accepted"}},
		{"lookup only shows the lockout policy", "", manager, []string{"ldap", "test", "--config", good, "--user", "lena", "--lookup-only"}, exitOK,
			[]string{"i Lockout policy: OpenLDAP ppolicy locks an account after 3 wrong passwords", "this lookup does not bind as the user", "- User bind"}, nil, nil},
		{"lookup only with --password-stdin", "alice-pw\n", manager, []string{"ldap", "test", "--config", good, "--user", "alice", "--lookup-only", "--password-stdin"}, exitInvalid,
			nil, []string{"--lookup-only sends no password"}, []string{"Testing LDAP", "alice-pw"}},
		{"lookup only without a user", "", manager, []string{"ldap", "test", "--config", good, "--lookup-only"}, exitInvalid, nil, []string{"--user NAME is required"}, nil},
		{"lookup only of an unknown user explains", "", manager, []string{"ldap", "test", "--config", good, "--user", "zed", "--lookup-only"}, exitFailed,
			[]string{`✗ User lookup: "zed" not found under any search base`, `i Why not found: nothing under dc=example,dc=com has "zed"`, "✗ Summary"}, nil, nil},
		{"a typed name with control characters is refused, shown as typed, escaped", "", manager, []string{"ldap", "test", "--config", good, "--user", "CORP\\zed\x1b]0;owned\a", "--lookup-only"}, exitFailed,
			[]string{`as "CORP\zed\x1b]0;owned\x07" (lookup only`, `✗ Username: "CORP\zed\x1b]0;owned\x07" contains a control character (\x1b)`,
				`✗ Summary: "CORP\zed\x1b]0;owned\x07" could not be looked up; failed at: Username`}, nil, []string{"\x1b", "\a", `CORP\\zed`, "User lookup"}},
		{"an unknown setting is quoted as typed", "", withPassword, []string{"ldap", "test", "--config", good, "--user", "alice", "--setting", "co\x1brp"}, exitInvalid, nil,
			[]string{`no LDAP setting "co\x1brp"`}, []string{"\x1b"}},
		{"lookup only of a user outside the bases", "", manager, []string{"ldap", "test", "--config", contractorsOnly, "--user", "alice", "--lookup-only"}, exitFailed,
			[]string{"Why not found", "uid=alice,ou=people,dc=example,dc=com", "search.base"}, nil, nil},
		{"export", "", nil, []string{"ldap", "export", "--config", good}, exitOK,
			[]string{"ldapSettings:", "corp:", "managerPassword: \"<set me: FD_TEST_MANAGER_PW>\"", "strategy: STATIC"}, nil, nil},
		{"export of invalid settings", "", nil, []string{"ldap", "export", "--config", badFilter}, exitInvalid, nil, []string{"search.filter: error"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runLDAPCLI(t, tc.stdin, tc.env, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			wantOutput(t, stdout, stderr, tc.stdout, tc.stderr, tc.noOutput)
		})
	}

	t.Run("json lines", func(t *testing.T) {
		code, stdout, stderr := runLDAPCLI(t, "alice-pw\n", manager, "ldap", "test", "--config", good, "--user", "alice", "--password-stdin", "--json")
		if code != exitOK {
			t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
		}
		lines := strings.Split(strings.TrimSpace(stdout), "\n")
		var last map[string]any
		for i, l := range lines {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, l)
			}
			want := "step"
			if i == len(lines)-1 {
				want = "result"
			}
			if m["type"] != want {
				t.Errorf("line %d: type %v, want %s", i+1, m["type"], want)
			}
			last = m
		}
		if last["ok"] != true || last["userDn"] != "uid=alice,ou=people,dc=example,dc=com" || last["email"] != "alice@example.com" {
			t.Errorf("result line: %v", last)
		}
		if strings.Contains(stdout, "alice-pw") || strings.Contains(stdout, "reader-pw") {
			t.Error("a password is in the JSON output")
		}
	})
}

// wantOutput checks that stdout holds each of inStdout, stderr each of
// inStderr, and neither any of absent (a password, a step that must not
// run); when the test has failed it shows both.
func wantOutput(t *testing.T, stdout, stderr string, inStdout, inStderr, absent []string) {
	t.Helper()
	for _, s := range inStdout {
		if !strings.Contains(stdout, s) {
			t.Errorf("stdout lacks %q", s)
		}
	}
	for _, s := range inStderr {
		if !strings.Contains(stderr, s) {
			t.Errorf("stderr lacks %q", s)
		}
	}
	for _, s := range absent {
		if strings.Contains(stdout+stderr, s) {
			t.Errorf("output contains %q", s)
		}
	}
	if t.Failed() {
		t.Logf("stdout:\n%s\nstderr:\n%s", stdout, stderr)
	}
}
