package ldap

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"frontdoor/ldapcheck"
	"frontdoor/tui/common"
	"frontdoor/tui/components/confirm"
	"frontdoor/tui/document"
)

// list is the first page: every LDAP setting, then every group setting,
// each section ending with an "add" row.
type list struct {
	cursor int
	top    int
}

// row is one selectable row of the list.
type row struct {
	group bool // a group setting (else an LDAP setting)
	index int  // position in its slice; -1 for the "add" row
}

func (s *Screen) rows() []row {
	c := cfg(s.doc)
	rows := make([]row, 0, len(c.Settings)+len(c.Groups)+2)
	for i := range c.Settings {
		rows = append(rows, row{index: i})
	}
	rows = append(rows, row{index: -1})
	for j := range c.Groups {
		rows = append(rows, row{group: true, index: j})
	}
	return append(rows, row{group: true, index: -1})
}

func (l *list) clamp(rows []row) { l.cursor = max(0, min(l.cursor, len(rows)-1)) }

func (s *Screen) selected() row {
	rows := s.rows()
	s.list.clamp(rows)
	return rows[s.list.cursor]
}

// selectRow puts the cursor on a row.
func (s *Screen) selectRow(r row) {
	for i, x := range s.rows() {
		if x == r {
			s.list.cursor = i
		}
	}
}

// selectPath puts the cursor on the row of the record a path is in.
func (s *Screen) selectPath(path string) {
	c := cfg(s.doc)
	for i := range c.Settings {
		if p := ldapcheck.SettingPath(i); path == p || strings.HasPrefix(path, p+".") {
			s.selectRow(row{index: i})
		}
	}
	for j := range c.Groups {
		if p := ldapcheck.GroupPath(j); path == p || strings.HasPrefix(path, p+".") {
			s.selectRow(row{group: true, index: j})
		}
	}
	s.list.clamp(s.rows())
}

// CurrentSetting is the LDAP setting the test and new group settings are
// for: the selected one, the one of the selected group, or the first
// enabled; -1 when there is none.
func (s *Screen) CurrentSetting() int {
	c := cfg(s.doc)
	r := s.selected()
	switch {
	case !r.group && r.index >= 0:
		return r.index
	case r.group && r.index >= 0:
		for i, st := range c.Settings {
			if st.Key == c.Groups[r.index].LDAPSetting {
				return i
			}
		}
	}
	for i, st := range c.Settings {
		if st.Enabled {
			return i
		}
	}
	if len(c.Settings) > 0 {
		return 0
	}
	return -1
}

func (s *Screen) updateList(k tea.KeyPressMsg) (Result, tea.Cmd) {
	keys := s.keys
	l := &s.list
	rows := s.rows()
	r := s.selected()
	switch {
	case key.Matches(k, keys.Back):
		return Result{Action: Home}, nil
	case key.Matches(k, keys.MenuUp), k.String() == "shift+tab":
		l.cursor = max(0, l.cursor-1)
	case key.Matches(k, keys.MenuDown), k.String() == "tab":
		l.cursor = min(len(rows)-1, l.cursor+1)
	case key.Matches(k, keys.Save):
		return Result{}, s.Save()
	case key.Matches(k, keys.Undo):
		s.Undo()
	case key.Matches(k, keys.Add):
		s.add(r.group)
	case key.Matches(k, keys.Edit):
		if r.index < 0 {
			s.add(r.group)
			return Result{}, nil
		}
		page := PageSetting
		if r.group {
			page = PageGroup
		}
		s.openForm(page, r.index)
	case key.Matches(k, keys.Delete):
		if r.index >= 0 {
			return Result{Action: Confirm, Dialog: s.askDelete(r)}, nil
		}
	case key.Matches(k, keys.ToggleEnabled):
		if !r.group && r.index >= 0 {
			i := r.index
			s.edit(ldapcheck.SettingPath(i)+".enabled", func(c *ldapcheck.Config) { c.Settings[i].Enabled = !c.Settings[i].Enabled })
		}
	case key.Matches(k, keys.Test):
		return Result{}, s.openTest(s.CurrentSetting(), PageList)
	case key.Matches(k, usersKey):
		return Result{}, s.openUsers(s.CurrentSetting(), PageList)
	case key.Matches(k, keys.Export):
		s.openExport(PageList)
	}
	return Result{}, nil
}

// add adds an LDAP setting (with the vendor's defaults and a free key) or a
// group setting for the current LDAP setting, and opens its form.
func (s *Screen) add(group bool) {
	s.doc.Checkpoint(document.SectionLDAP, "", "")
	s.status.Clear()
	if group {
		s.openForm(PageGroup, AddGroup(s.doc, s.CurrentSetting()))
		return
	}
	s.openForm(PageSetting, AddSetting(s.doc))
}

// AddSetting adds an LDAP setting with the vendor's defaults and a free key
// ("ldap", "ldap2", ...) and returns its index.
func AddSetting(d *document.Document) int {
	c := cfg(d)
	key := freeName("ldap", func(n string) bool {
		for _, st := range c.Settings {
			if st.Key == n {
				return true
			}
		}
		return false
	})
	at := len(c.Settings)
	d.EditLDAP(func(c *ldapcheck.Config) { c.Settings = append(c.Settings, ldapcheck.NewSetting(key)) })
	return at
}

// AddGroup adds a group setting for LDAP setting i (none when i < 0) with a
// free name ("corp-groups", ...) and returns its index.
func AddGroup(d *document.Document, i int) int {
	c := cfg(d)
	setting := ""
	if i >= 0 && i < len(c.Settings) {
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
	at := len(c.Groups)
	d.EditLDAP(func(c *ldapcheck.Config) { c.Groups = append(c.Groups, ldapcheck.NewGroupSetting(name, setting)) })
	return at
}

// Delete removes LDAP setting (or group setting) index.
func Delete(d *document.Document, group bool, index int) {
	d.EditLDAP(func(c *ldapcheck.Config) {
		if group {
			c.Groups = append(c.Groups[:index:index], c.Groups[index+1:]...)
		} else {
			c.Settings = append(c.Settings[:index:index], c.Settings[index+1:]...)
		}
	})
}

// DeleteDetail says what deleting a row does, for the question before it.
func DeleteDetail(d *document.Document, group bool, index int) (what, detail string) {
	c := cfg(d)
	if group {
		return "group setting " + c.Groups[index].Name,
			"Its group mapping is removed from the settings (saved with ctrl+s; ctrl+z brings it back)."
	}
	st := c.Settings[index]
	n := 0
	for _, g := range c.Groups {
		if g.LDAPSetting == st.Key {
			n++
		}
	}
	detail = "It is removed from the settings (saved with ctrl+s; ctrl+z brings it back)."
	if n > 0 {
		detail += fmt.Sprintf(" %s still %s to it and will be marked until you change or delete %s.",
			common.CountNoun(n, "group setting"), map[bool]string{true: "refers", false: "refer"}[n == 1], map[bool]string{true: "it", false: "them"}[n == 1])
	}
	return "LDAP setting " + st.Key, detail
}

// freeName is base, or base2, base3... whichever is not taken.
func freeName(base string, taken func(string) bool) string {
	if base == "-groups" {
		base = "groups"
	}
	name := base
	for n := 2; taken(name); n++ {
		name = base + common.Itoa(n)
	}
	return name
}

// askDelete asks before deleting a row: a setting holds typed work (and
// ctrl+z brings it back).
func (s *Screen) askDelete(r row) *confirm.Dialog {
	what, detail := DeleteDetail(s.doc, r.group, r.index)
	path := ldapcheck.SettingPath(r.index)
	if r.group {
		path = ldapcheck.GroupPath(r.index)
	}
	return &confirm.Dialog{
		Question: "Delete " + what + "?",
		Detail:   detail,
		Yes:      "delete", No: "keep it",
		OnYes: func() tea.Cmd {
			s.doc.Checkpoint(document.SectionLDAP, "", path)
			Delete(s.doc, r.group, r.index)
			s.status.Set("deleted " + what)
			return nil
		},
	}
}

// layoutList draws both tables with each row's findings counted, and the
// findings about the whole section, scrolled so the cursor is in view.
// PlaceholderNote says that the LDAP settings on show are the built-in
// example's, which no save writes until they are edited (or saved here).
const PlaceholderNote = "The built-in example's directory (ldap.example.com): a save leaves it out of the settings file until you edit it or save it here."

func (s *Screen) layoutList(width, height int) []string {
	st := s.st
	c := cfg(s.doc)
	chk := &s.doc.LDAP
	sel := s.selected()
	lines := []string{st.Heading.Render("LDAP settings")}
	if s.doc.LDAPPlaceholder() {
		lines = append(lines, common.WrapPrefixed(PlaceholderNote, width, "  ", "  ", st.WarnText)...)
	}
	for _, f := range chk.Index.Exact("ldap.settings") {
		lines = append(lines, common.FindingLines(st, f, width, "  ")...)
	}
	cursorLine := 0
	add := func(r row, text string) {
		pointer, style := "  ", st.Value
		if r == sel {
			pointer, style = st.Pointer.Render(common.GlyphPointer)+" ", st.ValueFocused
			cursorLine = len(lines)
		}
		lines = append(lines, common.Truncate(pointer+style.Render(text), width))
	}
	counts := func(path string) string {
		ic := common.CountIssues(chk.Findings.For(path))
		if ic.Errors+ic.Warnings == 0 {
			return st.OKText.Render(common.GlyphOK)
		}
		var parts []string
		if ic.Errors > 0 {
			parts = append(parts, st.ErrorText.Render(common.GlyphError+" "+common.Itoa(ic.Errors)))
		}
		if ic.Warnings > 0 {
			parts = append(parts, st.WarnText.Render(common.GlyphWarning+" "+common.Itoa(ic.Warnings)))
		}
		return strings.Join(parts, " ")
	}

	keyW := 12
	for _, x := range c.Settings {
		keyW = max(keyW, min(24, ansi.StringWidth(x.Key)+2))
	}
	urlW := max(16, width-2-keyW-10-10)
	lines = append(lines, "", st.TableHeader.Render("  "+common.PadRight("KEY", keyW)+common.PadRight("URL", urlW)+common.PadRight("ENABLED", 10)+"CHECK"))
	if len(c.Settings) == 0 {
		lines = append(lines, st.Subtle.Render("  No LDAP settings yet."))
	}
	for i, x := range c.Settings {
		enabled := common.GlyphOff + " off"
		if x.Enabled {
			enabled = common.GlyphOn + " on"
		}
		text := common.PadRight(common.Truncate(x.Key, keyW-1), keyW) + common.PadRight(common.Truncate(x.URL, urlW-1), urlW) + common.PadRight(enabled, 10)
		add(row{index: i}, text)
		lines[len(lines)-1] = common.Truncate(lines[len(lines)-1]+counts(ldapcheck.SettingPath(i)), width)
	}
	add(row{index: -1}, "+ add an LDAP setting")

	nameW := 14
	for _, g := range c.Groups {
		nameW = max(nameW, min(24, ansi.StringWidth(g.Name)+2))
	}
	lines = append(lines, "", st.Heading.Render("Group settings"),
		st.TableHeader.Render("  "+common.PadRight("NAME", nameW)+common.PadRight("FROM", keyW)+common.PadRight("STRATEGY", 14)+"BASE DN"))
	if len(c.Groups) == 0 {
		lines = append(lines, st.Subtle.Render("  No group settings: users get no groups from the directory."))
	}
	baseW := max(10, width-2-nameW-keyW-14-8)
	for j, g := range c.Groups {
		base := g.BaseDN
		if base == "" {
			base = "(the URL's base DN)"
		}
		text := common.PadRight(common.Truncate(g.Name, nameW-1), nameW) + common.PadRight(common.Truncate(g.LDAPSetting, keyW-1), keyW) +
			common.PadRight(g.Strategy, 14) + common.PadRight(common.Truncate(base, baseW-1), baseW)
		add(row{group: true, index: j}, text)
		lines[len(lines)-1] = common.Truncate(lines[len(lines)-1]+counts(ldapcheck.GroupPath(j)), width)
	}
	add(row{group: true, index: -1}, "+ add a group setting")

	lines = append(lines, "")
	lines = append(lines, common.WrapPrefixed("Passwords are never stored: the manager's comes from search.managerPasswordEnv or "+
		"managerPasswordFile, the test user's is typed in the test panel and kept in memory only.", width, "  ", "  ", st.Subtle)...)

	s.list.top = common.ScrollTop(s.list.top, cursorLine, cursorLine+1, len(lines), height)
	return lines[s.list.top:]
}
