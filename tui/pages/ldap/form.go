package ldap

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"frontdoor/ldapcheck"
	"frontdoor/tui/common"
	"frontdoor/tui/components/form"
	"frontdoor/tui/document"
)

// formValid reports whether the record of the form still exists (a delete
// or an undo elsewhere cannot leave the form pointing past the slice).
func (s *Screen) formValid() bool {
	if s.form == nil {
		return false
	}
	c := cfg(s.doc)
	if s.formPage == PageGroup {
		return s.index >= 0 && s.index < len(c.Groups)
	}
	return s.index >= 0 && s.index < len(c.Settings)
}

// openForm shows the form of a setting (PageSetting) or a group setting
// (PageGroup), focused on its first field.
func (s *Screen) openForm(page Page, index int) {
	fields := SettingFields(index)
	if page == PageGroup {
		fields = GroupFields(index)
	} else {
		s.noteUnsetEnv(fields, index)
	}
	s.page, s.formPage, s.index = page, page, index
	s.form = form.New(s.st, s.keys, s.doc, fields)
	s.form.BeforeEdit = func(group, where string) { s.doc.Checkpoint(document.SectionLDAP, group, where) }
	s.form.SetWidth(s.width)
	s.scroll.Reset()
	s.selectRow(row{group: page == PageGroup, index: index})
	s.form.Load()
}

func (s *Screen) updateForm(k tea.KeyPressMsg) tea.Cmd {
	keys := s.keys
	if !s.formValid() {
		s.page = PageList
		return nil
	}
	switch {
	case key.Matches(k, keys.Back):
		s.page = PageList
		s.form.Blur()
		return nil
	case key.Matches(k, keys.Save):
		return s.Save()
	case key.Matches(k, keys.Undo):
		s.Undo()
		return nil
	case key.Matches(k, keys.TestForm):
		setting := s.index
		if s.page == PageGroup {
			setting = s.CurrentSetting()
		}
		return s.openTest(setting, s.page)
	case key.Matches(k, usersFormKey):
		setting := s.index
		if s.page == PageGroup {
			setting = s.CurrentSetting()
		}
		return s.openUsers(setting, s.page)
	case key.Matches(k, keys.ExportForm):
		s.openExport(s.page)
		return nil
	}
	ev, cmd := s.form.Update(k)
	switch ev {
	case form.Changed:
		s.status.Clear()
	case form.Moved:
		s.doc.EndGroup(document.SectionLDAP)
	}
	return cmd
}

// layoutForm draws the form: a heading with the record's findings count,
// the loud certificate warning when verification is off, the findings about
// the record as a whole, then every field with its own findings under it.
func (s *Screen) layoutForm(width, height int) []string {
	if !s.formValid() {
		return nil
	}
	st := s.st
	c := cfg(s.doc)
	chk := &s.doc.LDAP
	i := s.index
	var title, base string
	if s.page == PageGroup {
		title, base = "Group setting "+c.Groups[i].Name, ldapcheck.GroupPath(i)
	} else {
		title, base = "LDAP setting "+c.Settings[i].Key, ldapcheck.SettingPath(i)
	}
	ic := common.CountIssues(chk.Findings.For(base))
	head := []string{common.JoinEnds(st.Heading.Render(common.Truncate(title, width-30)), common.Summary(st, ic), width)}
	if s.page == PageSetting && c.Settings[i].InsecureSkipVerify {
		head = append(head, insecureBanner(st, width,
			"anyone between here and the directory can read every password. Use caFile instead.")...)
	}
	// Findings about the record itself or a path no field shows.
	for _, f := range chk.Findings.For(base) {
		if !s.form.HasPath(f.Path) {
			head = append(head, common.FindingLines(st, f, width, "")...)
		}
	}
	head = append(head, "")
	s.form.SetWidth(width)
	lines, focusStart, focusEnd := s.form.Lines(form.Layout{Index: chk.Index, Active: true})
	return s.scroll.Place(st, head, lines, focusStart, focusEnd, width, height)
}

// insecureBanner is the loud warning of a setting that does not verify
// certificates.
func insecureBanner(st *common.Styles, width int, consequence string) []string {
	return common.WrapPrefixed(common.GlyphError+" CERTIFICATES ARE NOT VERIFIED (insecureSkipVerify): "+consequence, width, "", "  ", st.Banner)
}

// noteUnsetEnv notes at the Password env field when the variable it names
// is not set in the wizard's environment, as the Users view and the test
// panel say ("$NAME (not set)"): they will ask for the password.
func (s *Screen) noteUnsetEnv(fields []field, index int) {
	getenv := s.opts.Getenv
	path := ldapcheck.SettingPath(index) + ".search.managerPasswordEnv"
	for k := range fields {
		if fields[k].Path != path {
			continue
		}
		fields[k].Note = func(d *document.Document) string {
			c := cfg(d)
			if index >= len(c.Settings) {
				return ""
			}
			if name := c.Settings[index].Search.ManagerPasswordEnv; name != "" && getenv(name) == "" {
				return "not set here: a test or listing asks for the password"
			}
			return ""
		}
	}
}
