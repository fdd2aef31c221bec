package tui

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frontdoor/config"
)

// accessibleRun runs accessible mode on yaml with the answers, and returns
// what it printed.
func accessibleRun(t *testing.T, yaml, cfgPath string, answers []string) string {
	t.Helper()
	var out bytes.Buffer
	_, err := RunAccessible(context.Background(), Options{
		File: parseFile(t, yaml), ConfigPath: cfgPath,
		Target: fixedTarget, Now: func() time.Time { return fixedNow }, LoadCertificates: noCerts, LoadClientCA: noClientCA,
		ImportCandidate: noImport,
	}, &lineReader{answers}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if strings.Contains(out.String(), "\x1b") {
		t.Error("escape sequences in accessible output")
	}
	return out.String()
}

// Accessible mode edits an LDAP setting with the same fields and validator
// as the LDAP screen, and saves it through the same action.
func TestAccessibleEditsAndSavesLDAPSettings(t *testing.T) {
	cfgPath := filepath.Join(t.TempDir(), "frontdoor.yaml")
	answers := []string{
		"2",            // home menu: LDAP settings
		"1",            // edit LDAP setting corp
		"",             // key
		"",             // enabled
		"nonsense://x", // URL: refused
		"ldaps://dc1.example.com/dc=example,dc=com", // accepted
	}
	for range 12 { // the other fields: keep
		answers = append(answers, "")
	}
	answers = append(answers, "8", "9") // save, back; then the input ends
	text := accessibleRun(t, ldapYAML, cfgPath, answers)
	for _, want := range []string{
		"LDAP settings: 1 LDAP setting, 1 group setting",
		"1. Edit LDAP setting corp (ldap://ldap.example.com:389/dc=example,dc=com): 2 warnings",
		"LDAP setting corp:",
		"URL [ldap://ldap.example.com:389/dc=example,dc=com]:",
		`scheme "nonsense": use ldap:// or ldaps://`,
		"LDAP settings saved to " + cfgPath,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	f, _, err := config.Load(cfgPath, true)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.LDAP.Settings[0].URL; got != "ldaps://dc1.example.com/dc=example,dc=com" {
		t.Errorf("saved URL %q", got)
	}
	if t.Failed() {
		t.Log(text)
	}
}

// Accessible mode tests a login against a real slapd and reads out each
// step as it ends, then the verdict; the password is read from the input
// and never written out.
func TestAccessibleTestsALoginAgainstSlapd(t *testing.T) {
	srv := startSlapd(t)
	t.Setenv(managerEnv, "reader-pw")
	answers := []string{
		"2",        // home menu: LDAP settings
		"6",        // test a login
		"",         // lookup only? no
		"",         // risk a lockout? no
		"alice",    // username
		"alice-pw", // password (no terminal: read as a line)
		"9",        // back
	}
	text := accessibleRun(t, slapdYAML(srv.URL, ", managerPasswordEnv: "+managerEnv), filepath.Join(t.TempDir(), "frontdoor.yaml"), answers)
	for _, want := range []string{
		"Test LDAP setting test: " + srv.URL + "/dc=example,dc=com.",
		"✓ Manager bind cn=reader,dc=example,dc=com",
		"✓ User bind uid=alice,ou=people,dc=example,dc=com",
		"✓ Groups dev (static)",
		`✓ Setting test works: "alice" found and authenticated as uid=alice,ou=people,dc=example,dc=com.`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(text, "alice-pw") || strings.Contains(text, "reader-pw") {
		t.Error("a password is in the output")
	}
	if t.Failed() {
		t.Log(text)
	}
}

// Lookup only: asked before the password, which is then not asked at all;
// the run does everything but the user's bind and says so.
func TestAccessibleLookupOnlyAgainstSlapd(t *testing.T) {
	srv := startSlapd(t)
	t.Setenv(managerEnv, "reader-pw")
	answers := []string{
		"2",     // home menu: LDAP settings
		"6",     // test a login
		"y",     // lookup only
		"alice", // username; no password question
		"9",     // back
	}
	text := accessibleRun(t, slapdYAML(srv.URL, ", managerPasswordEnv: "+managerEnv), filepath.Join(t.TempDir(), "frontdoor.yaml"), answers)
	for _, want := range []string{
		"Lookup only (no password sent, no lockout risk)?",
		"LOOKUP ONLY: no password is sent; the user's bind is NOT tested.",
		`"alice" as uid=alice,ou=people,dc=example,dc=com`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(text, "Password:") {
		t.Error("the password was asked for a lookup")
	}
	if t.Failed() {
		t.Log(text)
	}
}

// "List the users the server will see", read out: the steps, the verdict,
// the table of users with their groups.
func TestAccessibleListsUsersOfSlapd(t *testing.T) {
	srv := startSlapd(t)
	answers := []string{
		"2",         // home menu: LDAP settings
		"7",         // list the users
		"",          // risk a lockout? no
		"0",         // limit: all
		"reader-pw", // the manager password: the settings name no source
		"9",         // back
	}
	text := accessibleRun(t, slapdYAML(srv.URL, ""), filepath.Join(t.TempDir(), "frontdoor.yaml"), answers)
	for _, want := range []string{
		"Users of LDAP setting test: " + srv.URL + "/dc=example,dc=com.",
		"Risk a lockout?",
		"Limit [20]:",
		"✓ Manager bind cn=reader,dc=example,dc=com",
		"LOGIN",
		"uid=alice,ou=people,dc=example,dc=com",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(text, "reader-pw") {
		t.Error("the manager password is in the output")
	}
	if t.Failed() {
		t.Log(text)
	}
}

// lena's policy locks after 3 wrong passwords: after two, "Risk a
// lockout?" answered no keeps the test from binding as her (the skipped
// step and its hint, naming the question, are read out); yes binds once.
// The question is not asked with Lookup only.
func TestAccessibleRiskALockoutAgainstSlapd(t *testing.T) {
	srv := startSlapd(t, "directory.ldif", "ppolicy.ldif")
	t.Setenv(managerEnv, "reader-pw")
	answers := []string{"2"} // home menu: LDAP settings
	for _, a := range [][3]string{{"", "", "Wr0ng-1"}, {"", "", "Wr0ng-2"}, {"", "", "lena-pw"}, {"", "y", "lena-pw"}} {
		answers = append(answers, "6", a[0], a[1], "lena", a[2]) // test a login: lookup only, risk a lockout, user, password
	}
	answers = append(answers, "6", "y", "lena", "9") // lookup only: no risk question; back
	text := accessibleRun(t, slapdYAML(srv.URL, ", managerPasswordEnv: "+managerEnv), filepath.Join(t.TempDir(), "frontdoor.yaml"), answers)
	for _, want := range []string{
		"Bind even when one more wrong password locks the account; never when it is locked out.",
		"Risk a lockout?",
		"- User bind uid=lena,ou=people,dc=example,dc=com",
		"not tried: the user has 2 recent wrong password(s) and the directory locks the account after 3",
		`→ make sure of the password, then test again with yes to "Risk a lockout?" (the test binds once)`,
		"✗ Not tested: User bind uid=lena,ou=people,dc=example,dc=com was not tried, one more wrong password locks the account (see its hint above).",
		"one more wrong password locks the account; this test binds as the user once, as allowed",
		`✓ Setting test works: "lena" found and authenticated as uid=lena,ou=people,dc=example,dc=com.`,
		`✓ Setting test finds "lena" as uid=lena,ou=people,dc=example,dc=com.`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if n := strings.Count(text, "never when it is locked out. For the next run only."); n != 4 { // its help, before each
		t.Errorf("Risk a lockout asked %d times, want 4 (not with lookup only)", n)
	}
	if strings.Contains(text, "lena-pw") || strings.Contains(text, "Wr0ng") {
		t.Error("a password is in the output")
	}
	if t.Failed() {
		t.Log(text)
	}
}
