// Package home is the first screen: a menu of what the wizard does, and a
// summary of what is loaded.
package home

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"frontdoor/render"
	"frontdoor/tui/common"
)

// Entry is one line of the menu.
type Entry int

const (
	HTTP Entry = iota
	LDAP
	Save
	Check
	Quit
	entries
)

// area is an entry's words (common.Areas: the same on the menu, the
// screens' titles, the help and accessible mode).
func area(e Entry) common.Area { return common.Areas[e] }

// Title is the menu's name of an entry.
func Title(e Entry) string { return area(e).Name }

// Entries are the menu's entries in order.
func Entries() []Entry { return []Entry{HTTP, LDAP, Save, Check, Quit} }

// Menu is the home screen's state: the entry under the cursor.
type Menu struct{ cursor Entry }

// Action is what a key on the menu asks for.
type Action int

const (
	None Action = iota
	Open        // open the entry under the cursor (Selected)
)

// Selected is the entry under the cursor.
func (m *Menu) Selected() Entry { return m.cursor }

// Update moves the cursor or opens an entry (enter, its number, ctrl+s for
// Save, q for Quit).
func (m *Menu) Update(keys *common.Keys, k tea.KeyPressMsg) Action {
	switch {
	case key.Matches(k, keys.MenuUp):
		m.cursor = (m.cursor + entries - 1) % entries
	case key.Matches(k, keys.MenuDown), k.String() == "tab":
		m.cursor = (m.cursor + 1) % entries
	case key.Matches(k, keys.Select):
		return Open
	case key.Matches(k, keys.QuitQ):
		m.cursor = Quit
		return Open
	case key.Matches(k, keys.Save):
		m.cursor = Save
		return Open
	}
	for e := range entries {
		if k.Text != "" && k.Text == area(e).Key {
			m.cursor = e
			return Open
		}
	}
	return None
}

// Summary is what the home screen says about the loaded settings.
type Summary struct {
	Source     string // the settings file, and where a save writes
	Proxy      string // the proxy settings in one line
	Issues     common.IssueCount
	Target     string // "" when there is no snippet to install
	LDAP       string
	Check      string // the last check in a few words, styled
	HTTPErrors bool   // the HTTP entry is marked ✗
}

// Tagline says what the wizard does, naming every output render has (so
// it never lags a provider added there): "Put Artifactory behind nginx,
// Apache, ... or Gateway API; check the door from a client's side, and the
// LDAP settings."
func Tagline() string {
	var names []string
	for _, p := range render.Providers {
		if info, _ := render.Info(p); info.Template != "" { // embedded Tomcat puts nothing in front
			names = append(names, info.Label)
		}
	}
	list := strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
	return "Put Artifactory behind " + list + "; check the door from a client's side, and the LDAP settings."
}

// Render draws the menu and the summary in width x height cells.
func (m *Menu) Render(st *common.Styles, s Summary, width, height int) string {
	lines := append(common.WrapPrefixed(Tagline(), width, "", "", st.Subtle), "")
	for e := range entries {
		pointer, style := "  ", st.Value
		if e == m.cursor {
			pointer, style = st.Pointer.Render(common.GlyphPointer)+" ", st.LabelFocused
		}
		title := area(e).Key + "  " + area(e).Name
		if e == HTTP && s.HTTPErrors {
			title += " " + common.GlyphError
		}
		line := pointer + style.Render(common.PadRight(title, 18))
		if d := area(e).About; d != "" && width > 40 {
			line += "  " + st.Subtle.Render(d)
		}
		lines = append(lines, common.Truncate(line, width))
	}
	lines = append(lines, "")
	row := func(label, value string) {
		// A value too long for the line goes on under itself (a long
		// target path, the proxy summary at 80 columns), never cut.
		wrapped := common.WrapText(value, max(10, width-12))
		lines = append(lines, common.Truncate("  "+st.Label.Render(common.PadRight(label, 10))+wrapped[0], width))
		for _, l := range wrapped[1:] {
			lines = append(lines, common.Truncate(strings.Repeat(" ", 12)+l, width))
		}
	}
	row("Settings", s.Source)
	row(common.AreaHTTP.Short, s.Proxy)
	row("Findings", common.Summary(st, s.Issues))
	if s.Target != "" {
		row("Target", s.Target)
	}
	row(common.AreaLDAP.Short, s.LDAP)
	if s.Check != "" {
		row(common.AreaCheck.Short, s.Check)
	}
	return common.FitLines(lines, width, height)
}

// KeyMap is the help of the home screen: the number keys open their
// entry, named as the menu names it.
type KeyMap struct{ Keys *common.Keys }

func (h KeyMap) ShortHelp() []key.Binding {
	k := h.Keys
	return []key.Binding{k.MenuUp, k.MenuDown, common.WithHelp(k.Select, "enter/"+numbers(), "open"), k.QuitQ, k.Help}
}

func (h KeyMap) FullHelp() [][]key.Binding {
	k := h.Keys
	var open []key.Binding
	for _, a := range common.Areas {
		open = append(open, key.NewBinding(key.WithKeys(a.Key), key.WithHelp(a.Key, a.Name)))
	}
	return [][]key.Binding{{k.MenuUp, k.MenuDown, k.Select}, open, {common.WithHelp(k.Save, "ctrl+s", common.AreaSave.Name), k.QuitQ, k.Quit, k.HelpKey(false, "close help")}}
}

// numbers are the number keys as the short help names them: "1-5".
func numbers() string {
	return common.Areas[0].Key + "-" + common.Areas[len(common.Areas)-1].Key
}
