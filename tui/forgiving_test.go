package tui

import (
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"frontdoor/tui/document"
	"frontdoor/tui/pages/ldap"
)

// ctrl+z undoes typing in a field as one step per field, and brings back a
// deleted row with its values.
func TestUndoFieldEditsAndRowDeletion(t *testing.T) {
	m := newModel(t, portsYAML, 80, 24)
	loaded := settings(m).Clone()
	press(t, m, "enter", "pgdown", "pgdown")
	typeText(t, m, "-new") // one step
	press(t, m, "tab", "tab", "backspace", "backspace")
	typeText(t, m, "81") // HTTP port 81: a second step
	if settings(m).ServerName != "artifactory.example.com-new" || settings(m).HTTP.Port != 81 {
		t.Fatalf("edits: %q %d", settings(m).ServerName, settings(m).HTTP.Port)
	}
	press(t, m, "ctrl+z")
	if settings(m).HTTP.Port != 80 || settings(m).ServerName != "artifactory.example.com-new" {
		t.Fatalf("first undo: port %d, name %q", settings(m).HTTP.Port, settings(m).ServerName)
	}
	requireFocus(t, m, "HTTP port")
	press(t, m, "ctrl+z")
	requireFocus(t, m, "Server name")
	if !reflect.DeepEqual(*settings(m), loaded) || m.doc.ProxyDirty() {
		t.Fatalf("after two undos the settings are not the loaded ones:\n%s", screenText(m))
	}
	press(t, m, "ctrl+z")
	if !strings.Contains(screenText(m), "nothing to undo") {
		t.Errorf("a third undo says nothing:\n%s", screenText(m))
	}

	// A deleted Docker row comes back with its key and port, at its place.
	press(t, m, "pgdown", "tab", "down", "ctrl+d")
	if n := len(settings(m).Docker.Repositories); n != 2 {
		t.Fatalf("%d rows after delete", n)
	}
	press(t, m, "ctrl+z")
	if !reflect.DeepEqual(*settings(m), loaded) {
		t.Fatalf("rows after undo: %+v", settings(m).Docker.Repositories)
	}
	if row, _ := focused(m).Table.Cursor(); row != 1 {
		t.Errorf("cursor on row %d after the undo, want the restored row 1", row)
	}
	// An added row goes again.
	press(t, m, "ctrl+n", "ctrl+z")
	if !reflect.DeepEqual(*settings(m), loaded) {
		t.Fatalf("rows after undoing an add: %+v", settings(m).Docker.Repositories)
	}
}

// The LDAP screen has its own history: a field edit and a deleted setting
// come back, and the HTTP history is not touched.
func TestUndoLDAPEditsAndDeletion(t *testing.T) {
	m := openLDAPScreen(t, ldapYAML, 80, 24)
	loaded := m.doc.File.LDAP
	press(t, m, "enter", "tab", "tab")
	typeText(t, m, "x")
	if got := m.doc.File.LDAP.Settings[0].URL; !strings.HasSuffix(got, "x") {
		t.Fatalf("url %q", got)
	}
	press(t, m, "ctrl+z")
	if !reflect.DeepEqual(m.doc.File.LDAP, loaded) || m.doc.LDAPDirty() {
		t.Fatalf("undo in the form: %+v", m.doc.File.LDAP.Settings[0])
	}
	if m.ldap.FocusedPath() != "ldap.settings[0].url" {
		t.Errorf("focus %q after the undo, want the url", m.ldap.FocusedPath())
	}
	press(t, m, "esc", "down", "down", "ctrl+d", "y") // delete the group setting
	if len(m.doc.File.LDAP.Groups) != 0 {
		t.Fatal("not deleted")
	}
	press(t, m, "ctrl+z")
	if !reflect.DeepEqual(m.doc.File.LDAP, loaded) {
		t.Fatalf("the deleted group is not back: %+v", m.doc.File.LDAP.Groups)
	}
	if m.doc.CanUndo(document.SectionProxy) {
		t.Error("LDAP edits went into the HTTP history")
	}
}

// Esc closes the innermost thing (a search prompt, the help, a page) and is
// never typed into a field; neither are other escape-prefixed keys.
func TestEscNeverLeaksIntoAField(t *testing.T) {
	escapes := []tea.KeyPressMsg{
		{Code: tea.KeyEscape},
		{Code: tea.KeyEscape, Mod: tea.ModAlt},
		{Code: '[', Mod: tea.ModAlt},
		{Code: 'b', Mod: tea.ModAlt},
	}
	cases := []struct {
		name  string
		yaml  string
		setup func(t *testing.T, m *Model)
	}{
		{"HTTP text field", exampleYAML, func(t *testing.T, m *Model) { press(t, m, "enter", "pgdown", "pgdown") }},
		{"table cell", portsYAML, func(t *testing.T, m *Model) { press(t, m, "enter", "pgdown", "pgdown", "pgdown", "tab", "tab") }},
		{"review target", exampleYAML, func(t *testing.T, m *Model) { press(t, m, "3", "up", "up", "up", "up") }},
		{"preview search", exampleYAML, func(t *testing.T, m *Model) {
			press(t, m, "enter", "pgdown", "pgdown", "ctrl+p", "/")
			typeText(t, m, "listen")
		}},
		{"LDAP text field", ldapYAML, func(t *testing.T, m *Model) { press(t, m, "2", "enter", "tab", "tab") }},
		{"LDAP password", ldapYAML, func(t *testing.T, m *Model) {
			press(t, m, "2", "t")
			typeText(t, m, "alice")
			press(t, m, "tab")
			typeText(t, m, "pw")
		}},
		{"export path", ldapYAML, func(t *testing.T, m *Model) { press(t, m, "2", "e", "w") }},
	}
	for _, c := range cases {
		for _, esc := range escapes {
			t.Run(c.name+"/"+esc.String(), func(t *testing.T) {
				m := newModel(t, c.yaml, 80, 24)
				m.ldap.SetGetenv(func(string) string { return "" })
				c.setup(t, m)
				before := m.doc.File
				before.Proxy = before.Proxy.Clone()
				view := screenText(m)
				send(t, m, esc)
				if !reflect.DeepEqual(m.doc.File, before) {
					t.Fatalf("%s changed the settings:\n%s\n---\n%s", esc, view, screenText(m))
				}
				after := screenText(m)
				for _, end := range []string{"\x1b", "[", "b"} {
					for _, value := range []string{"artifactory.example.com", "5002", ".conf", "listen", "dc=example,dc=com", "alice", "yaml"} {
						if typed := value + end; strings.Contains(after, typed) && !strings.Contains(view, typed) {
							t.Fatalf("%s typed %q:\n%s", esc, typed, after)
						}
					}
				}
				if passwordDots(after) > passwordDots(view) {
					t.Fatalf("%s typed into the password:\n%s", esc, after)
				}
			})
		}
	}
}

// Esc in a search prompt closes the prompt, not the preview; the next esc
// leaves the preview.
func TestEscClosesTheSearchBeforeThePreview(t *testing.T) {
	m := newModel(t, exampleYAML, 80, 24)
	press(t, m, "enter", "pgdown", "pgdown", "ctrl+p", "/")
	typeText(t, m, "server")
	press(t, m, "esc")
	if !strings.Contains(screenText(m), "Preview · nginx snippet") {
		t.Fatalf("esc in the search prompt left the preview:\n%s", screenText(m))
	}
	press(t, m, "esc")
	if strings.Contains(screenText(m), "Preview · nginx snippet") {
		t.Fatalf("the second esc did not leave the preview:\n%s", screenText(m))
	}
	// ctrl+c in a search prompt cancels the search, not the wizard.
	press(t, m, "ctrl+p", "/", "ctrl+c")
	if m.quitting || m.confirm != nil {
		t.Fatal("ctrl+c in the search prompt quit")
	}
}

// "?" opens the help on every screen, except in a free-text field, where it
// is typed and f1 opens the help; the help line says which.
func TestOneHelpKeyOnEveryScreen(t *testing.T) {
	cases := []struct {
		name   string
		yaml   string
		keys   []string
		typing bool // the focus is in a free-text field
	}{
		{"home", exampleYAML, nil, false},
		{"choice", exampleYAML, []string{"enter"}, false},
		{"text field", exampleYAML, []string{"enter", "pgdown", "pgdown"}, true},
		{"number field", exampleYAML, []string{"enter", "pgdown", "pgdown", "tab", "tab"}, false},
		{"table", portsYAML, []string{"enter", "pgdown", "pgdown", "pgdown", "tab"}, false},
		{"preview", exampleYAML, []string{"enter", "ctrl+p"}, false},
		{"review button", exampleYAML, []string{"3"}, false},
		{"LDAP list", ldapYAML, []string{"2"}, false},
		{"LDAP form toggle", ldapYAML, []string{"2", "enter", "tab"}, false},
		{"LDAP form text", ldapYAML, []string{"2", "enter"}, true},
		{"LDAP test", ldapYAML, []string{"2", "t"}, true},
		{"LDAP export", ldapYAML, []string{"2", "e"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := newModel(t, c.yaml, 100, 30)
			m.ldap.SetGetenv(func(string) string { return "" })
			press(t, m, c.keys...)
			want := "? keys"
			if c.typing {
				want = "f1 keys"
			}
			if !strings.Contains(screenText(m), want) {
				t.Fatalf("the help line does not offer %q:\n%s", want, screenText(m))
			}
			before := m.doc.File
			before.Proxy = before.Proxy.Clone()
			press(t, m, "?")
			switch {
			case c.typing && m.help.ShowAll:
				t.Fatal(`"?" in a text field opened the help`)
			case !c.typing && !m.help.ShowAll:
				t.Fatalf(`"?" did not open the help:\n%s`, screenText(m))
			case !c.typing && !reflect.DeepEqual(m.doc.File, before):
				t.Fatal(`"?" changed a value`)
			}
			if c.typing {
				press(t, m, "f1")
				if !m.help.ShowAll {
					t.Fatal("f1 did not open the help in a text field")
				}
			}
			press(t, m, "esc")
			if m.help.ShowAll {
				t.Fatal("esc did not close the help")
			}
		})
	}
}

// The LDAP test's results scroller takes the focus after the last field
// and gives it back with esc; the run starts from a command.
func TestLDAPResultsTakeTheFocus(t *testing.T) {
	m := openLDAPScreen(t, ldapYAML, 80, 24)
	press(t, m, "t")
	res := passResult
	fakeRun(t, m, passSteps, &res)
	press(t, m, "tab", "tab", "tab") // username, password, manager password, then the results
	press(t, m, "g")
	if v := screenText(m); !strings.Contains(v, "✓ DNS ldap.example.com") || strings.Contains(v, "› Username") {
		t.Fatalf("the results do not have the focus at their top:\n%s", v)
	}
	press(t, m, "esc")
	if m.ldap.Page() != ldap.PageTest {
		t.Fatal("esc in the results left the panel")
	}
	if v := screenText(m); !strings.Contains(v, "› Manager password") {
		t.Fatalf("esc did not give the focus back to the fields:\n%s", v)
	}
}

// passwordDots is how many characters the password field shows.
func passwordDots(screen string) int {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, "Password ") {
			return strings.Count(l, "•")
		}
	}
	return 0
}

// A Docker row never shows ✓ beside a ✗: a duplicate key is flagged on
// every row that has it, even when the certificate covers the name.
func TestDockerRowsNeverShowOKBesideAnError(t *testing.T) {
	certs := newTestCerts(t, []string{"artifactory.example.com", "*.artifactory.example.com"}, fixedNow.AddDate(1, 0, 0))
	m := newModel(t, duplicateKeysYAML, 160, 48, func(o *Options) { o.LoadCertificates = certs.load })
	press(t, m, "enter", "pgdown", "pgdown", "pgdown", "tab")
	rows := 0
	for _, l := range strings.Split(screenText(m), "\n") {
		if !strings.Contains(l, "docker") || !strings.Contains(l, ".artifactory.example.com") {
			continue
		}
		rows++
		if strings.Contains(l, "✗") && strings.Contains(l, "✓") {
			t.Errorf("✓ beside ✗: %q", l)
		}
		if strings.Contains(l, "docker-local ") && !strings.Contains(l, "✗") {
			t.Errorf("a duplicate key without ✗: %q", l)
		}
	}
	if rows != 3 {
		t.Fatalf("%d rows:\n%s", rows, screenText(m))
	}
}

// The mTLS client-CA path that is the provider's default follows the
// provider (render.FollowProvider); a typed one stays.
func TestClientCADefaultFollowsTheProvider(t *testing.T) {
	m := newModel(t, exampleYAML, 80, 24)
	press(t, m, "enter", "right") // apache
	if got := settings(m).MTLS.ClientCA; got != "/etc/apache2/client-ca.pem" {
		t.Fatalf("client CA %q after nginx -> apache", got)
	}
	press(t, m, "ctrl+z")
	if got := settings(m).MTLS.ClientCA; got != "/etc/nginx/client-ca.pem" {
		t.Fatalf("client CA %q after the undo", got)
	}
	settings(m).MTLS.ClientCA = "/srv/my-ca.pem"
	press(t, m, "right")
	if got := settings(m).MTLS.ClientCA; got != "/srv/my-ca.pem" {
		t.Fatalf("a typed client CA changed to %q", got)
	}
}
