package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"frontdoor/config"
	"frontdoor/ldapcheck"
	"frontdoor/tui/pages/ldap"
)

// ldapYAML is exampleYAML with a group setting: both lists have a row.
const ldapYAML = exampleYAML + `  groups:
    - {name: corp-groups, ldapSetting: corp, baseDn: ou=groups, nameAttribute: cn, memberAttribute: uniqueMember,
       subTree: true, filter: "(objectClass=groupOfUniqueNames)", strategy: static}
`

// openLDAPScreen starts the wizard on yaml and opens "LDAP settings".
func openLDAPScreen(t *testing.T, yaml string, width, height int, opts ...modelOption) *Model {
	t.Helper()
	m := newModel(t, yaml, width, height, opts...)
	press(t, m, "2")
	if m.screen != screenLDAP || m.ldap.Page() != ldap.PageList {
		t.Fatalf("not on the LDAP list:\n%s", screenText(m))
	}
	m.ldap.SetGetenv(func(string) string { return "" })
	m.ldap.SetRunOptions(0, 0, true)
	return m
}

// fakeRun feeds a finished (res != nil) or running test to the panel
// through the same messages a real run sends, with fixed durations so the
// views are stable. Real runs are in ldaprun_test.go.
func fakeRun(t *testing.T, m *Model, steps []ldapcheck.Step, res *ldapcheck.Result) {
	t.Helper()
	m.ldap.Replay(steps, res)
}

// passSteps is a successful run as ldapcheck reports it.
var passSteps = []ldapcheck.Step{
	{Kind: ldapcheck.StepDNS, Name: "DNS ldap.example.com", Status: ldapcheck.StatusOK, Duration: 1200 * time.Microsecond, Detail: "ldap.example.com is 10.0.0.5"},
	{Kind: ldapcheck.StepConnect, Name: "TCP connect ldap.example.com:389", Status: ldapcheck.StatusOK, Duration: 400 * time.Microsecond, Detail: "connected to 10.0.0.5:389 from 10.0.0.9:51234"},
	{Kind: ldapcheck.StepTLS, Name: "TLS", Status: ldapcheck.StatusWarn, Detail: "plain ldap://: passwords cross the network in clear text",
		Hint: "use ldaps:// or startTls: true", Reason: ldapcheck.ReasonPlainText},
	{Kind: ldapcheck.StepManagerBind, Name: "Manager bind cn=reader,dc=example,dc=com", Status: ldapcheck.StatusOK, Duration: 600 * time.Microsecond, Detail: "bound as cn=reader,dc=example,dc=com"},
	{Kind: ldapcheck.StepUserSearch, Name: "User search in ou=people,dc=example,dc=com", Status: ldapcheck.StatusOK, Duration: 500 * time.Microsecond,
		Detail: "scope sub-tree, filter (uid=alice): found uid=alice,ou=people,dc=example,dc=com"},
	{Kind: ldapcheck.StepUserBind, Name: "User bind uid=alice,ou=people,dc=example,dc=com", Status: ldapcheck.StatusOK, Duration: 400 * time.Microsecond,
		Detail: "password accepted for uid=alice,ou=people,dc=example,dc=com"},
	{Kind: ldapcheck.StepEmail, Name: "Email attribute mail", Status: ldapcheck.StatusOK, Detail: "mail: alice@example.com"},
	{Kind: ldapcheck.StepGroups, Name: "Groups corp-groups (static)", Status: ldapcheck.StatusOK, Duration: 15 * time.Millisecond,
		Detail: "base ou=groups,dc=example,dc=com, scope sub-tree, filter (&(objectClass=groupOfUniqueNames)(uniqueMember=uid=alice,ou=people,dc=example,dc=com)): 1 group(s) ops"},
	{Kind: ldapcheck.StepSummary, Name: "Summary", Status: ldapcheck.StatusOK,
		Detail: `"alice" found and authenticated as uid=alice,ou=people,dc=example,dc=com; email alice@example.com; groups corp-groups: ops`},
}

var passResult = ldapcheck.Result{Setting: "corp", Username: "alice", UserFound: true, UserDN: "uid=alice,ou=people,dc=example,dc=com",
	Authenticated: true, Email: "alice@example.com"}

// wrongPasswordSteps ends in a refused bind.
var wrongPasswordSteps = []ldapcheck.Step{
	passSteps[0], passSteps[1], passSteps[2], passSteps[3], passSteps[4],
	{Kind: ldapcheck.StepUserBind, Name: "User bind uid=alice,ou=people,dc=example,dc=com", Status: ldapcheck.StatusFail, Duration: 2 * time.Second,
		Detail: "invalid credentials (49)", Hint: "the password is wrong (the entry exists). Careful: failed test logins count towards the account lockout",
		Reason: ldapcheck.ReasonInvalidCredentials},
	{Kind: ldapcheck.StepSummary, Name: "Summary", Status: ldapcheck.StatusFail, Detail: `"alice" was found but the password was refused`},
}

// Golden views of the LDAP screens at 80x24 and 160x48.
func TestLDAPGoldenScreens(t *testing.T) {
	cases := []struct {
		name  string
		yaml  string
		setup func(t *testing.T, m *Model)
	}{
		{name: "list", yaml: ldapYAML},
		{name: "list_help", yaml: ldapYAML, setup: func(t *testing.T, m *Model) { press(t, m, "?") }},
		{name: "form", yaml: ldapYAML, setup: func(t *testing.T, m *Model) { press(t, m, "enter") }},
		{name: "form_error", yaml: ldapYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "enter")
			for range 7 {
				press(t, m, "tab")
			}
			press(t, m, "backspace") // (uid={0}) loses its closing parenthesis
		}},
		{name: "form_insecure", yaml: ldapYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "enter", "tab", "tab", "tab", "tab", "tab", "space")
		}},
		{name: "form_new", yaml: ldapYAML, setup: func(t *testing.T, m *Model) { press(t, m, "ctrl+n") }},
		{name: "group_form", yaml: ldapYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "down", "down", "enter", "tab", "tab", "tab", "tab", "tab", "tab", "tab")
		}},
		{name: "delete_confirm", yaml: ldapYAML, setup: func(t *testing.T, m *Model) { press(t, m, "ctrl+d") }},
		{name: "test_before", yaml: ldapYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "t")
			typeText(t, m, "alice")
			press(t, m, "tab")
			typeText(t, m, "s3cr3t-Pw?")
		}},
		{name: "test_running", yaml: ldapYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "t")
			fakeRun(t, m, passSteps[:4], nil)
		}},
		{name: "test_passed", yaml: ldapYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "t")
			res := passResult
			fakeRun(t, m, passSteps, &res)
		}},
		{name: "test_failed", yaml: ldapYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "t")
			fakeRun(t, m, wrongPasswordSteps, &ldapcheck.Result{Setting: "corp", Username: "alice", UserFound: true})
		}},
		{name: "test_canceled", yaml: ldapYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "t")
			steps := append(passSteps[:4:4], ldapcheck.Step{Kind: ldapcheck.StepUserSearch, Name: "User search in ou=people,dc=example,dc=com",
				Status: ldapcheck.StatusFail, Detail: "canceled", Reason: ldapcheck.ReasonCanceled})
			fakeRun(t, m, steps, &ldapcheck.Result{Setting: "corp", Username: "alice", Canceled: true})
		}},
		{name: "export", yaml: ldapYAML, setup: func(t *testing.T, m *Model) { press(t, m, "e") }},
		{name: "export_write", yaml: ldapYAML, setup: func(t *testing.T, m *Model) { press(t, m, "e", "w") }},
		{name: "export_errors", yaml: ldapYAML, setup: func(t *testing.T, m *Model) { press(t, m, "ctrl+n", "esc", "e") }},
	}
	for _, c := range cases {
		for _, size := range sizes {
			name := fmt.Sprintf("ldap_%s_%dx%d", c.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				m := openLDAPScreen(t, c.yaml, size[0], size[1])
				if c.setup != nil {
					c.setup(t, m)
				}
				got := screenText(m)
				requireScreenShape(t, got, size[0], size[1])
				golden.RequireEqual(t, got)
			})
		}
	}
}

// requireScreenShape fails unless the view is exactly height lines of at
// most width cells.
func requireScreenShape(t *testing.T, view string, width, height int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != height {
		t.Errorf("%d lines, want %d", len(lines), height)
	}
	for i, l := range lines {
		if w := len([]rune(l)); w > width {
			t.Errorf("line %d is %d cells wide (max %d): %q", i+1, w, width, l)
		}
	}
}

// Every keystroke re-validates: a finding appears under the field being
// typed and disappears when the value is fixed; the list counts it.
func TestLDAPInlineValidation(t *testing.T) {
	m := openLDAPScreen(t, ldapYAML, 80, 24)
	press(t, m, "enter")
	for range 7 {
		press(t, m, "tab")
	}
	if f := m.ldap.FocusedPath(); f != "ldap.settings[0].search.filter" {
		t.Fatalf("focus on %q, want search.filter", f)
	}
	press(t, m, "backspace")
	if got := m.doc.File.LDAP.Settings[0].Search.Filter; got != "(uid={0}" {
		t.Fatalf("filter = %q", got)
	}
	want := ldapcheck.Validate(m.doc.File.LDAP).For("ldap.settings[0].search.filter")
	if len(want) == 0 || !want.HasErrors() {
		t.Fatalf("the validator has no error for the filter: %v", want)
	}
	view := screenText(m)
	// The finding is drawn under the filter, before the next field.
	filterAt := strings.Index(view, "Search filter")
	errAt := strings.Index(view, "✗ does not compile")
	baseAt := strings.Index(view, "Search base")
	if filterAt < 0 || errAt < filterAt || baseAt < errAt {
		t.Fatalf("the filter's error is not under it:\n%s", view)
	}
	typeText(t, m, ")")
	if view := screenText(m); strings.Contains(view, "does not compile") {
		t.Fatalf("the error stays after the fix:\n%s", view)
	}
	if m.doc.LDAPDirty() {
		t.Error("back to the loaded value, yet modified")
	}
	press(t, m, "backspace", "esc")
	if view := screenText(m); !strings.Contains(view, "✗ 1") {
		t.Errorf("the list does not count the error:\n%s", view)
	}
}

// Add, edit, toggle and delete rows; deleting asks first.
func TestLDAPListEditing(t *testing.T) {
	m := openLDAPScreen(t, ldapYAML, 80, 24)
	press(t, m, "space")
	if m.doc.File.LDAP.Settings[0].Enabled {
		t.Fatal("space did not disable the setting")
	}
	press(t, m, "space", "ctrl+n")
	if m.ldap.Page() != ldap.PageSetting || len(m.doc.File.LDAP.Settings) != 2 || m.doc.File.LDAP.Settings[1].Key != "ldap" {
		t.Fatalf("ctrl+n: page %d, settings %+v", m.ldap.Page(), m.doc.File.LDAP.Settings)
	}
	if s := m.doc.File.LDAP.Settings[1]; !s.Enabled || !s.Search.SubTree || s.EmailAttribute != "mail" {
		t.Errorf("a new setting lacks the vendor's defaults: %+v", s)
	}
	press(t, m, "tab", "tab")
	typeText(t, m, "ldaps://dc1.example.com/dc=example,dc=com")
	if got := m.doc.File.LDAP.Settings[1].URL; got != "ldaps://dc1.example.com/dc=example,dc=com" {
		t.Fatalf("url = %q", got)
	}
	press(t, m, "esc", "ctrl+d")
	if m.confirm == nil {
		t.Fatal("delete did not ask")
	}
	press(t, m, "n")
	if len(m.doc.File.LDAP.Settings) != 2 {
		t.Fatal("n deleted anyway")
	}
	press(t, m, "ctrl+d", "y")
	if len(m.doc.File.LDAP.Settings) != 1 || m.doc.File.LDAP.Settings[0].Key != "corp" {
		t.Fatalf("after delete: %+v", m.doc.File.LDAP.Settings)
	}
	// A group for the selected setting, with the strategy chosen by arrows.
	press(t, m, "down", "down", "down", "enter")
	if m.ldap.Page() != ldap.PageGroup || len(m.doc.File.LDAP.Groups) != 2 {
		t.Fatalf("add group: page %d, groups %+v", m.ldap.Page(), m.doc.File.LDAP.Groups)
	}
	g := m.doc.File.LDAP.Groups[1]
	if g.Name != "corp-groups2" || g.LDAPSetting != "corp" || g.Strategy != ldapcheck.StrategyStatic {
		t.Errorf("new group %+v", g)
	}
	for range 7 {
		press(t, m, "tab")
	}
	press(t, m, "right")
	if got := m.doc.File.LDAP.Groups[1].Strategy; got != ldapcheck.StrategyDynamic {
		t.Errorf("strategy %q, want dynamic", got)
	}
	// The member attribute follows the strategy while it is the default:
	// uniqueMember is never on a user entry, where dynamic looks.
	if got := m.doc.File.LDAP.Groups[1].MemberAttribute; got != "memberOf" {
		t.Errorf("dynamic: member attribute %q, want memberOf", got)
	}
	press(t, m, "left")
	if got := m.doc.File.LDAP.Groups[1].MemberAttribute; got != "uniqueMember" {
		t.Errorf("back to static: member attribute %q, want uniqueMember", got)
	}
	// A value the user chose stays.
	m.doc.EditLDAP(func(c *ldapcheck.Config) { c.Groups[1].MemberAttribute = "member" })
	press(t, m, "right")
	if got := m.doc.File.LDAP.Groups[1].MemberAttribute; got != "member" {
		t.Errorf("a chosen member attribute changed to %q", got)
	}
}

// The test panel never draws a password, and a run clears them.
func TestLDAPTestPanelMasksPasswords(t *testing.T) {
	m := openLDAPScreen(t, ldapYAML, 80, 24)
	press(t, m, "t")
	typeText(t, m, "alice")
	press(t, m, "tab")
	const pw = "Pw-with?question"
	typeText(t, m, pw)
	// The manager DN has no password reference: a third, masked field.
	if !m.ldap.Run().NeedsManagerPassword {
		t.Fatal("no manager password field")
	}
	press(t, m, "tab")
	typeText(t, m, "mgr-secret")
	view := screenText(m)
	for _, secret := range []string{pw, "mgr-secret", "question"} {
		if strings.Contains(view, secret) {
			t.Fatalf("the view shows %q:\n%s", secret, view)
		}
	}
	if !strings.Contains(view, strings.Repeat("•", len(pw))) {
		t.Errorf("the password is not shown masked:\n%s", view)
	}
	if m.help.ShowAll {
		t.Error(`"?" in the password toggled the help instead of being typed`)
	}
	// Start a run against nothing: the inputs forget the passwords at once.
	m.doc.File.LDAP.Settings[0].URL = "ldap://127.0.0.1:1/dc=example,dc=com"
	_, cmd := m.Update(keyPress("enter"))
	if !m.ldap.Run().Running {
		t.Fatal("enter on the last field did not start the test")
	}
	if m.ldap.Run().PasswordsHeld {
		t.Error("the passwords are still in the inputs after the start")
	}
	run(t, m, cmd)
	if m.ldap.Run().Running || m.ldap.Run().Result == nil {
		t.Fatal("the run did not end")
	}
	data, err := config.Marshal(&m.doc.File)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), pw) || strings.Contains(string(data), "mgr-secret") {
		t.Fatal("a password reached the settings")
	}
	if view := screenText(m); strings.Contains(view, pw) || strings.Contains(view, "mgr-secret") {
		t.Fatalf("a password is on screen after the run:\n%s", view)
	}
}

// Ctrl+S writes the LDAP section into frontdoor.yaml with the proxy as last
// saved; errors refuse the save and open the field.
func TestLDAPSave(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "frontdoor.yaml")
	m := openLDAPScreen(t, ldapYAML, 80, 24, func(o *Options) { o.ConfigPath = path })
	press(t, m, "enter", "tab", "tab", "tab", "tab", "tab", "tab")
	typeText(t, m, "uid={0},ou=people")
	if !m.doc.LDAPDirty() {
		t.Fatal("an edit does not mark the settings modified")
	}
	press(t, m, "ctrl+s")
	if !strings.Contains(m.status.String(), "saved") {
		t.Fatalf("status %q", m.status.String())
	}
	if m.doc.LDAPDirty() {
		t.Error("still modified after the save")
	}
	f, _, err := config.Load(path, true)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.LDAP.Settings[0].UserDNPattern; got != "uid={0},ou=people" {
		t.Errorf("saved pattern %q", got)
	}
	if len(f.LDAP.Groups) != 1 || f.Proxy.ServerName != m.doc.SavedProxy().ServerName {
		t.Errorf("saved file: %+v", f)
	}

	// An error refuses the save and shows the field.
	before, _ := os.ReadFile(path)
	press(t, m, "esc", "ctrl+n", "esc", "ctrl+s")
	if !strings.Contains(m.status.String(), "fix the LDAP errors") || m.ldap.Page() != ldap.PageSetting || m.ldap.FocusedPath() != "ldap.settings[1].url" {
		t.Fatalf("status %q, page %d, focus %+v", m.status.String(), m.ldap.Page(), m.ldap.FocusedPath())
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Error("a refused save changed the file")
	}
}

// Export shows ExportYAML's output and writes it to the file the user
// names, asking before it replaces one.
func TestLDAPExportWrite(t *testing.T) {
	dir := t.TempDir()
	m := openLDAPScreen(t, ldapYAML, 80, 24, func(o *Options) { o.ConfigPath = filepath.Join(dir, "frontdoor.yaml") })
	want, err := ldapcheck.ExportYAML(m.doc.File.LDAP)
	if err != nil {
		t.Fatal(err)
	}
	press(t, m, "e")
	if view := screenText(m); !strings.Contains(view, "ldapSettings:") {
		t.Fatalf("no YAML on the export page:\n%s", view)
	}
	press(t, m, "G")
	if view := screenText(m); !strings.Contains(view, "strategy: STATIC") || strings.Contains(view, "↓ more") {
		t.Errorf("end does not scroll to the end:\n%s", view)
	}
	press(t, m, "w", "enter")
	out := filepath.Join(dir, ldap.ExportFileName)
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("written export differs from ExportYAML")
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	os.WriteFile(out, []byte("keep me"), 0o600)
	press(t, m, "w", "enter")
	if m.confirm == nil {
		t.Fatal("an existing file is replaced without asking")
	}
	press(t, m, "n")
	if b, _ := os.ReadFile(out); string(b) != "keep me" {
		t.Fatal("n replaced the file")
	}
	press(t, m, "w", "enter", "y")
	if b, _ := os.ReadFile(out); string(b) != string(want) {
		t.Fatal("y did not replace the file")
	}
}

// The screens follow the terminal size, and draw without colour under
// NO_COLOR.
func TestLDAPResizeAndNoColor(t *testing.T) {
	m := openLDAPScreen(t, ldapYAML, 80, 24, func(o *Options) { o.NoColor = true })
	for _, page := range []string{"list", "form", "test", "export"} {
		switch page {
		case "form":
			press(t, m, "enter")
		case "test":
			press(t, m, "esc", "t")
		case "export":
			press(t, m, "esc", "e")
		}
		for _, size := range [][2]int{{100, 30}, {60, 16}, {200, 60}} {
			send(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			requireScreenShape(t, screenText(m), size[0], size[1])
			if raw := m.View().Content; strings.Contains(raw, "\x1b[3") || strings.Contains(raw, "\x1b[38") || strings.Contains(raw, "\x1b[4") {
				t.Fatalf("%s at %v: colour under NO_COLOR: %q", page, size, raw)
			}
		}
	}
}

// Esc goes back page by page to the home menu; Ctrl+C with unsaved LDAP
// changes asks first.
func TestLDAPEscAndQuit(t *testing.T) {
	m := openLDAPScreen(t, ldapYAML, 80, 24)
	press(t, m, "enter", "esc")
	if m.ldap.Page() != ldap.PageList {
		t.Fatalf("esc from the form: page %d", m.ldap.Page())
	}
	press(t, m, "t", "esc")
	if m.ldap.Page() != ldap.PageList {
		t.Fatalf("esc from the test: page %d", m.ldap.Page())
	}
	press(t, m, "esc")
	if m.screen != screenHome {
		t.Fatal("esc from the list does not go home")
	}
	press(t, m, "2", "space")
	if !strings.Contains(screenText(m), "modified") {
		t.Errorf("the header does not say modified:\n%s", screenText(m))
	}
	press(t, m, "ctrl+c")
	if m.confirm == nil || m.quitting {
		t.Fatal("ctrl+c drops unsaved LDAP changes without asking")
	}
}
