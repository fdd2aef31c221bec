package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"frontdoor/ldapcheck"
)

// ldapList is the first page: every LDAP setting, then every group
// setting, each section ending with an "add" row.
type ldapList struct {
	cursor int
	top    int
}

// ldapRow is one selectable row of the list.
type ldapRow struct {
	group bool // a group setting (else an LDAP setting)
	index int  // position in its slice; -1 for the "add" row
}

func (m *Model) ldapRows() []ldapRow {
	c := &m.file.LDAP
	rows := make([]ldapRow, 0, len(c.Settings)+len(c.Groups)+2)
	for i := range c.Settings {
		rows = append(rows, ldapRow{index: i})
	}
	rows = append(rows, ldapRow{index: -1})
	for j := range c.Groups {
		rows = append(rows, ldapRow{group: true, index: j})
	}
	return append(rows, ldapRow{group: true, index: -1})
}

func (m *Model) ldapSelected() ldapRow {
	rows := m.ldapRows()
	l := &m.ldap.list
	l.cursor = max(0, min(l.cursor, len(rows)-1))
	return rows[l.cursor]
}

// ldapSelectRow puts the cursor on a row.
func (m *Model) ldapSelectRow(r ldapRow) {
	for i, row := range m.ldapRows() {
		if row == r {
			m.ldap.list.cursor = i
		}
	}
}

// ldapCurrentSetting is the LDAP setting the test and the new group
// settings are for: the selected one, the one of the selected group, or
// the first enabled.
func (m *Model) ldapCurrentSetting() int {
	c := &m.file.LDAP
	r := m.ldapSelected()
	switch {
	case !r.group && r.index >= 0:
		return r.index
	case r.group && r.index >= 0:
		for i, s := range c.Settings {
			if s.Key == c.Groups[r.index].LDAPSetting {
				return i
			}
		}
	}
	for i, s := range c.Settings {
		if s.Enabled {
			return i
		}
	}
	if len(c.Settings) > 0 {
		return 0
	}
	return -1
}

func (m *Model) updateLDAPList(k tea.KeyPressMsg) tea.Cmd {
	u := &m.ldap
	l := &u.list
	rows := m.ldapRows()
	r := m.ldapSelected()
	switch {
	case key.Matches(k, m.keys.Back):
		m.screen = screenHome
	case key.Matches(k, m.keys.MenuUp), k.String() == "shift+tab":
		l.cursor = max(0, l.cursor-1)
	case key.Matches(k, m.keys.MenuDown), k.String() == "tab":
		l.cursor = min(len(rows)-1, l.cursor+1)
	case key.Matches(k, m.keys.Save):
		return m.ldapSave()
	case key.Matches(k, u.keys.Add):
		m.ldapAdd(r.group)
	case key.Matches(k, u.keys.Edit):
		if r.index < 0 {
			m.ldapAdd(r.group)
			return nil
		}
		page := ldapPageSetting
		if r.group {
			page = ldapPageGroup
		}
		m.ldapOpenForm(page, r.index)
	case key.Matches(k, u.keys.Delete):
		if r.index >= 0 {
			m.ldapAskDelete(r)
		}
	case key.Matches(k, u.keys.ToggleEnabled):
		if !r.group && r.index >= 0 {
			m.editLDAP(func(c *ldapcheck.Config) { c.Settings[r.index].Enabled = !c.Settings[r.index].Enabled })
		}
	case key.Matches(k, u.keys.Test):
		return m.ldapOpenTest(m.ldapCurrentSetting(), ldapPageList)
	case key.Matches(k, u.keys.Export):
		return m.ldapOpenExport(ldapPageList)
	}
	return nil
}

// ldapAdd adds an LDAP setting (with the vendor's defaults and a free
// key) or a group setting for the current LDAP setting, and opens its form.
func (m *Model) ldapAdd(group bool) {
	c := &m.file.LDAP
	if group {
		setting := ""
		if i := m.ldapCurrentSetting(); i >= 0 {
			setting = c.Settings[i].Key
		}
		name := freeName(setting+"-groups", func(n string) bool {
			for _, g := range c.Groups {
				if g.Name == n {
					return true
				}
			}
			return false
		})
		m.editLDAP(func(c *ldapcheck.Config) { c.Groups = append(c.Groups, ldapcheck.NewGroupSetting(name, setting)) })
		m.ldapOpenForm(ldapPageGroup, len(c.Groups)-1)
		return
	}
	key := freeName("ldap", func(n string) bool {
		for _, s := range c.Settings {
			if s.Key == n {
				return true
			}
		}
		return false
	})
	m.editLDAP(func(c *ldapcheck.Config) { c.Settings = append(c.Settings, ldapcheck.NewSetting(key)) })
	m.ldapOpenForm(ldapPageSetting, len(c.Settings)-1)
}

// freeName is base, or base2, base3... whichever is not taken.
func freeName(base string, taken func(string) bool) string {
	if base == "-groups" {
		base = "groups"
	}
	name := base
	for n := 2; taken(name); n++ {
		name = base + itoa(n)
	}
	return name
}

// ldapAskDelete asks before deleting a row: a setting holds typed work.
func (m *Model) ldapAskDelete(r ldapRow) {
	c := &m.file.LDAP
	what, detail := "", ""
	if r.group {
		what = "group setting " + c.Groups[r.index].Name
		detail = "Its group mapping is removed from the settings (saved with ctrl+s)."
	} else {
		s := c.Settings[r.index]
		what = "LDAP setting " + s.Key
		n := 0
		for _, g := range c.Groups {
			if g.LDAPSetting == s.Key {
				n++
			}
		}
		detail = "It is removed from the settings (saved with ctrl+s)."
		if n > 0 {
			detail += fmt.Sprintf(" %s still %s to it and will be marked until you change or delete %s.",
				countNoun(n, "group setting"), map[bool]string{true: "refers", false: "refer"}[n == 1], map[bool]string{true: "it", false: "them"}[n == 1])
		}
	}
	m.confirm = &confirmDialog{
		question: "Delete " + what + "?",
		detail:   detail,
		yes:      "delete", no: "keep it",
		onYes: func(m *Model) tea.Cmd {
			m.editLDAP(func(c *ldapcheck.Config) {
				if r.group {
					c.Groups = append(c.Groups[:r.index:r.index], c.Groups[r.index+1:]...)
				} else {
					c.Settings = append(c.Settings[:r.index:r.index], c.Settings[r.index+1:]...)
				}
			})
			m.status = "deleted " + what
			return nil
		},
	}
}

// renderLDAPList draws both tables with each row's findings counted, and
// the findings about the whole section.
func (m *Model) renderLDAPList(width, height int) string {
	st := &m.styles
	c := &m.file.LDAP
	u := &m.ldap
	sel := m.ldapSelected()
	lines := []string{st.heading.Render("LDAP settings")}
	for _, f := range u.index.exact("ldap.settings") {
		lines = append(lines, findingLines(st, f, width, "  ")...)
	}
	cursorLine := 0
	row := func(r ldapRow, text string) {
		pointer, style := "  ", st.value
		if r == sel {
			pointer, style = st.pointer.Render(glyphPointer)+" ", st.valueFocused
			cursorLine = len(lines)
		}
		lines = append(lines, ansi.Truncate(pointer+style.Render(text), width, "…"))
	}
	counts := func(path string) string {
		var ic issueCount
		for _, f := range u.findings.For(path) {
			ic.add(f)
		}
		if ic.errors+ic.warnings == 0 {
			return st.okText.Render(glyphOK)
		}
		var parts []string
		if ic.errors > 0 {
			parts = append(parts, st.errorText.Render(glyphError+" "+itoa(ic.errors)))
		}
		if ic.warnings > 0 {
			parts = append(parts, st.warnText.Render(glyphWarning+" "+itoa(ic.warnings)))
		}
		return strings.Join(parts, " ")
	}

	keyW := 12
	for _, s := range c.Settings {
		keyW = max(keyW, min(24, ansi.StringWidth(s.Key)+2))
	}
	urlW := max(16, width-2-keyW-10-10)
	lines = append(lines, "", st.tableHeader.Render("  "+padRight("KEY", keyW)+padRight("URL", urlW)+padRight("ENABLED", 10)+"CHECK"))
	if len(c.Settings) == 0 {
		lines = append(lines, st.subtle.Render("  No LDAP settings yet."))
	}
	for i, s := range c.Settings {
		enabled := glyphOff + " off"
		if s.Enabled {
			enabled = glyphOn + " on"
		}
		text := padRight(ansi.Truncate(s.Key, keyW-1, "…"), keyW) + padRight(ansi.Truncate(s.URL, urlW-1, "…"), urlW) + padRight(enabled, 10)
		r := ldapRow{index: i}
		row(r, text)
		lines[len(lines)-1] = ansi.Truncate(lines[len(lines)-1]+counts(ldapcheck.SettingPath(i)), width, "…")
	}
	row(ldapRow{index: -1}, "+ add an LDAP setting")

	nameW := 14
	for _, g := range c.Groups {
		nameW = max(nameW, min(24, ansi.StringWidth(g.Name)+2))
	}
	lines = append(lines, "", st.heading.Render("Group settings"),
		st.tableHeader.Render("  "+padRight("NAME", nameW)+padRight("FROM", keyW)+padRight("STRATEGY", 14)+"BASE DN"))
	if len(c.Groups) == 0 {
		lines = append(lines, st.subtle.Render("  No group settings: users get no groups from the directory."))
	}
	baseW := max(10, width-2-nameW-keyW-14-8)
	for j, g := range c.Groups {
		base := g.BaseDN
		if base == "" {
			base = "(the URL's base DN)"
		}
		text := padRight(ansi.Truncate(g.Name, nameW-1, "…"), nameW) + padRight(ansi.Truncate(g.LDAPSetting, keyW-1, "…"), keyW) +
			padRight(g.Strategy, 14) + padRight(ansi.Truncate(base, baseW-1, "…"), baseW)
		row(ldapRow{group: true, index: j}, text)
		lines[len(lines)-1] = ansi.Truncate(lines[len(lines)-1]+counts(ldapcheck.GroupPath(j)), width, "…")
	}
	row(ldapRow{group: true, index: -1}, "+ add a group setting")

	lines = append(lines, "")
	lines = append(lines, wrapPrefixed("Passwords are never stored: the manager's comes from search.managerPasswordEnv or "+
		"managerPasswordFile, the test user's is typed in the test panel and kept in memory only.", width, "  ", "  ", st.subtle)...)

	u.list.top = scrollTop(u.list.top, cursorLine, cursorLine+1, len(lines), height)
	return fitLines(lines[u.list.top:], width, height)
}

// scrollTop returns the first line to draw so that lines [from, to) are
// on screen, moving as little as possible from top.
func scrollTop(top, from, to, total, height int) int {
	if from < top {
		top = from
	}
	if to > top+height {
		top = min(from, to-height)
	}
	return max(0, min(top, total-height))
}
