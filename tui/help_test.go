package tui

import (
	"strings"
	"testing"

	"frontdoor/tui/common"
)

// The full help (f1, or ? where it is not typed) shows every key of where
// the focus is, whole, at 80x24: columns that do not fit beside the others
// go below them, nothing is cut with "…".
func TestFullHelpShowsEveryKey(t *testing.T) {
	screens := []struct {
		name string
		keys []string
	}{
		{"home", nil},
		{"provider", []string{"enter"}},
		{"nodes", []string{"enter", "pgdown"}},
		{"name and TLS", []string{"enter", "pgdown", "pgdown"}},
		{"docker table", []string{"enter", "pgdown", "pgdown", "pgdown", "tab"}},
		{"extras", []string{"enter", "pgdown", "pgdown", "pgdown", "pgdown"}},
		{"review", []string{"3"}},
		{"preview", []string{"enter", "ctrl+p"}},
		{"ldap", []string{"2"}},
		{"check", []string{"4"}},
	}
	for _, size := range [][2]int{{80, 24}, {60, 24}} {
		for _, sc := range screens {
			m := newModel(t, exampleYAML, size[0], size[1])
			press(t, m, sc.keys...)
			press(t, m, "f1")
			if !m.help.ShowAll {
				t.Fatalf("%s: f1 did not open the help", sc.name)
			}
			screen := screenText(m)
			footer := strings.Join(m.footerLines, "\n")
			if strings.Contains(footer, "…") {
				t.Errorf("%s at %dx%d: the help is cut:\n%s", sc.name, size[0], size[1], screen)
			}
			flat := strings.Join(strings.Fields(footer), " ")
			for _, g := range m.keyMap().FullHelp() {
				for _, b := range g {
					if !b.Enabled() {
						continue
					}
					h := b.Help()
					if !strings.Contains(footer, h.Key) || !strings.Contains(flat, strings.Join(strings.Fields(h.Desc), " ")) {
						t.Errorf("%s at %dx%d: the help lacks %q %q:\n%s", sc.name, size[0], size[1], h.Key, h.Desc, footer)
					}
				}
			}
			for _, l := range strings.Split(screen, "\n") {
				if w := len([]rune(l)); w > size[0] {
					t.Errorf("%s at %dx%d: a line of %d cells", sc.name, size[0], size[1], w)
				}
			}
		}
	}
}

// One list names the home menu's entries (common.Areas): the menu, the
// screen's title once opened with its number key, and the home screen's
// full help use the same words, and the help lists every number key.
func TestHomeNamesEachAreaOnce(t *testing.T) {
	for _, a := range common.Areas[:4] {
		m := newModel(t, exampleYAML, 80, 24)
		press(t, m, "?")
		home := screenText(m)
		if !strings.Contains(home, a.Key+"  "+a.Name) {
			t.Errorf("the menu lacks %q", a.Key+"  "+a.Name)
		}
		if !strings.Contains(home, a.Key+" "+a.Name) {
			t.Errorf("the home help lacks %q:\n%s", a.Key+" "+a.Name, home)
		}
		press(t, m, "?", a.Key)
		title := strings.SplitN(screenText(m), "\n", 2)[0]
		want := a.Name
		if a == common.AreaSave {
			want = common.AreaHTTP.Name // Save is the HTTP settings' review step
		}
		if !strings.Contains(title, "frontdoor · "+want) {
			t.Errorf("%s opens a screen titled %q", a.Key, title)
		}
	}
}

// Every screen's help line at 80 columns ends with how to see every key
// ("? keys", "f1 keys" in a text field): when the line is too long, the keys
// before it give way, never it.
func TestHelpLineKeepsTheHelpKey(t *testing.T) {
	for name, keys := range map[string][]string{
		"home":    nil,
		"step":    {"enter"},
		"preview": {"enter", "ctrl+p"},
		"search":  {"enter", "ctrl+p", "/", "x", "enter"},
		"review":  {"3"},
		"ldap":    {"2"},
		"check":   {"4"},
	} {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			m := newModel(t, exampleYAML, size[0], size[1])
			press(t, m, keys...)
			lines := strings.Split(screenText(m), "\n")
			last := strings.TrimRight(lines[len(lines)-1], " ")
			if !strings.HasSuffix(last, "? keys") && !strings.HasSuffix(last, "f1 keys") {
				t.Errorf("%s at %dx%d: the help line %q does not end with the help key", name, size[0], size[1], last)
			}
		}
	}
}
