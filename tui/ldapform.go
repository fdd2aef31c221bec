package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"frontdoor/ldapcheck"
)

// ldapForm edits one LDAP setting or one group setting, field by field;
// findings from ldapcheck.Validate are drawn under the field of their path.
type ldapForm struct {
	index  int // in Settings (setting form) or Groups (group form)
	focus  int
	top    int
	editor textinput.Model // the focused text field
}

// ldapField is one field of a form, bound to the settings by accessors so
// the settings stay the only copy of every value.
type ldapField struct {
	kind  itemKind // itemText, itemToggle or itemChoice
	label string
	field string // path below the record, e.g. "search.filter"
	hint  string
	str   func(c *ldapcheck.Config, i int) *string
	flag  func(c *ldapcheck.Config, i int) *bool
	// choices lists the values of a choice field; the current value is
	// always among them, even when it is not a valid one.
	choices func(c *ldapcheck.Config, i int) []choice
}

func settingText(label, field, hint string, p func(s *ldapcheck.Setting) *string) ldapField {
	return ldapField{kind: itemText, label: label, field: field, hint: hint,
		str: func(c *ldapcheck.Config, i int) *string { return p(&c.Settings[i]) }}
}

func settingToggle(label, field, hint string, p func(s *ldapcheck.Setting) *bool) ldapField {
	return ldapField{kind: itemToggle, label: label, field: field, hint: hint,
		flag: func(c *ldapcheck.Config, i int) *bool { return p(&c.Settings[i]) }}
}

func groupText(label, field, hint string, p func(g *ldapcheck.GroupSetting) *string) ldapField {
	return ldapField{kind: itemText, label: label, field: field, hint: hint,
		str: func(c *ldapcheck.Config, i int) *string { return p(&c.Groups[i]) }}
}

// ldapSettingFields is every field of an LDAP setting, in the order of
// frontdoor.yaml.
var ldapSettingFields = []ldapField{
	settingText("Key", "key", "unique name of this setting, e.g. corp", func(s *ldapcheck.Setting) *string { return &s.Key }),
	settingToggle("Enabled", "enabled", "the server uses this setting", func(s *ldapcheck.Setting) *bool { return &s.Enabled }),
	settingText("URL", "url", "ldap://host:389/dc=example,dc=com or ldaps://host:636/...; the path is the base DN every other DN is relative to",
		func(s *ldapcheck.Setting) *string { return &s.URL }),
	settingToggle("StartTLS", "startTls", "upgrade ldap:// to TLS before any password is sent (not with ldaps://)", func(s *ldapcheck.Setting) *bool { return &s.StartTLS }),
	settingText("CA file", "caFile", "PEM file with the CA to trust besides the system roots (self-signed or corporate CA)",
		func(s *ldapcheck.Setting) *string { return &s.CAFile }),
	settingToggle("Skip verify", "insecureSkipVerify", "do not verify the server certificate: only to diagnose, never in production",
		func(s *ldapcheck.Setting) *bool { return &s.InsecureSkipVerify }),
	settingText("User DN pattern", "userDnPattern", "e.g. uid={0},ou=people, relative to the base DN; leave empty for Active Directory",
		func(s *ldapcheck.Setting) *string { return &s.UserDNPattern }),
	settingText("Search filter", "search.filter", "e.g. (uid={0}); Active Directory: (sAMAccountName={0})",
		func(s *ldapcheck.Setting) *string { return &s.Search.Filter }),
	settingText("Search base", "search.base", "relative to the base DN; several separated by |, tried in order; empty = the base DN",
		func(s *ldapcheck.Setting) *string { return &s.Search.Base }),
	settingToggle("Sub-tree", "search.subTree", "search the whole sub-tree (off: one level below each base)",
		func(s *ldapcheck.Setting) *bool { return &s.Search.SubTree }),
	settingText("Manager DN", "search.managerDn", "full DN used for searches; empty = anonymous searches",
		func(s *ldapcheck.Setting) *string { return &s.Search.ManagerDN }),
	settingText("Password env", "search.managerPasswordEnv", "NAME of the environment variable holding the manager password (never the password itself)",
		func(s *ldapcheck.Setting) *string { return &s.Search.ManagerPasswordEnv }),
	settingText("Password file", "search.managerPasswordFile", "or a file holding the manager password; set one of the two",
		func(s *ldapcheck.Setting) *string { return &s.Search.ManagerPasswordFile }),
	settingText("Email attribute", "emailAttribute", "attribute with the user's email, usually mail",
		func(s *ldapcheck.Setting) *string { return &s.EmailAttribute }),
	settingToggle("Auto-create users", "autoCreateUser", "the server creates users on their first login",
		func(s *ldapcheck.Setting) *bool { return &s.AutoCreateUser }),
}

// ldapGroupFields is every field of a group setting.
var ldapGroupFields = []ldapField{
	groupText("Name", "name", "unique name of this group setting", func(g *ldapcheck.GroupSetting) *string { return &g.Name }),
	{kind: itemChoice, label: "LDAP setting", field: "ldapSetting", hint: "the LDAP setting these groups come from",
		str: func(c *ldapcheck.Config, i int) *string { return &c.Groups[i].LDAPSetting },
		choices: func(c *ldapcheck.Config, i int) []choice {
			var out []choice
			found := false
			for _, s := range c.Settings {
				out = append(out, choice{value: s.Key, label: s.Key})
				found = found || s.Key == c.Groups[i].LDAPSetting
			}
			if !found {
				v := c.Groups[i].LDAPSetting
				out = append([]choice{{value: v, label: orNone(v)}}, out...)
			}
			return out
		}},
	groupText("Base DN", "baseDn", "where the groups are, relative to the URL's base DN, e.g. ou=groups", func(g *ldapcheck.GroupSetting) *string { return &g.BaseDN }),
	groupText("Name attribute", "nameAttribute", "attribute holding the group name, usually cn", func(g *ldapcheck.GroupSetting) *string { return &g.NameAttribute }),
	groupText("Member attribute", "memberAttribute", "static: uniqueMember or member (on the group); dynamic: memberOf (on the user)",
		func(g *ldapcheck.GroupSetting) *string { return &g.MemberAttribute }),
	{kind: itemToggle, label: "Sub-tree", field: "subTree", hint: "search groups in the whole sub-tree of the base DN",
		flag: func(c *ldapcheck.Config, i int) *bool { return &c.Groups[i].SubTree }},
	groupText("Filter", "filter", "extra filter for group entries, e.g. (objectClass=groupOfNames)", func(g *ldapcheck.GroupSetting) *string { return &g.Filter }),
	{kind: itemChoice, label: "Strategy", field: "strategy",
		str: func(c *ldapcheck.Config, i int) *string { return &c.Groups[i].Strategy },
		choices: func(c *ldapcheck.Config, i int) []choice {
			help := map[string]string{
				ldapcheck.StrategyStatic:       "static: group entries list their members' DNs.",
				ldapcheck.StrategyDynamic:      "dynamic: the user entry lists its groups (memberOf).",
				ldapcheck.StrategyHierarchical: "hierarchical: the OUs in the user's own DN are the groups.",
			}
			var out []choice
			found := false
			for _, s := range ldapcheck.Strategies {
				out = append(out, choice{value: s, label: s, help: help[s]})
				found = found || s == c.Groups[i].Strategy
			}
			if !found {
				v := c.Groups[i].Strategy
				out = append([]choice{{value: v, label: orNone(v)}}, out...)
			}
			return out
		}},
}

func orNone(v string) string {
	if v == "" {
		return "(none)"
	}
	return v
}

// ldapFields is the field list of the form on show and the path of its record.
func (m *Model) ldapFields() ([]ldapField, string) {
	if m.ldap.page == ldapPageGroup {
		return ldapGroupFields, ldapcheck.GroupPath(m.ldap.form.index)
	}
	return ldapSettingFields, ldapcheck.SettingPath(m.ldap.form.index)
}

// ldapFormValid reports whether the record of the form still exists (a
// delete elsewhere cannot leave the form pointing past the slice).
func (m *Model) ldapFormValid() bool {
	i := m.ldap.form.index
	if m.ldap.page == ldapPageGroup {
		return i >= 0 && i < len(m.file.LDAP.Groups)
	}
	return i >= 0 && i < len(m.file.LDAP.Settings)
}

func (m *Model) ldapFocusedField() *ldapField {
	if !m.ldapFormValid() {
		return nil
	}
	fields, _ := m.ldapFields()
	f := &m.ldap.form
	f.focus = max(0, min(f.focus, len(fields)-1))
	return &fields[f.focus]
}

// ldapOpenForm shows the form of a setting (page ldapPageSetting) or a
// group setting (ldapPageGroup), focused on its first field.
func (m *Model) ldapOpenForm(page ldapPage, index int) {
	u := &m.ldap
	u.page = page
	u.form.index, u.form.focus, u.form.top = index, 0, 0
	m.ldapSelectRow(ldapRow{group: page == ldapPageGroup, index: index})
	m.ldapLoadEditor()
}

// ldapFocusPath moves the focus to the field of a finding path.
func (m *Model) ldapFocusPath(path string) {
	fields, base := m.ldapFields()
	for i, f := range fields {
		if path == base+"."+f.field {
			m.ldap.form.focus = i
		}
	}
	m.ldapLoadEditor()
}

// ldapLoadEditor puts the focused text field into the editor.
func (m *Model) ldapLoadEditor() {
	ed := &m.ldap.form.editor
	ed.Blur()
	f := m.ldapFocusedField()
	if f == nil || f.kind != itemText {
		return
	}
	ed.SetValue(*f.str(&m.file.LDAP, m.ldap.form.index))
	ed.CursorEnd()
	ed.Focus()
	m.ldapSizeEditor()
}

func (m *Model) ldapSizeEditor() {
	m.ldap.form.editor.SetWidth(max(8, m.width-2-ldapLabelWidth(m.width)-1))
}

func ldapLabelWidth(width int) int {
	if width < 64 {
		return 15
	}
	return 19
}

func (m *Model) updateLDAPForm(k tea.KeyPressMsg) tea.Cmd {
	u := &m.ldap
	if !m.ldapFormValid() {
		u.page = ldapPageList
		return nil
	}
	m.ldapSizeEditor()
	fields, _ := m.ldapFields()
	move := func(dir int) {
		u.form.focus = max(0, min(len(fields)-1, u.form.focus+dir))
		m.ldapLoadEditor()
	}
	switch {
	case key.Matches(k, m.keys.Back):
		u.page = ldapPageList
		u.form.editor.Blur()
		return nil
	case key.Matches(k, m.keys.Save):
		return m.ldapSave()
	case key.Matches(k, u.keys.TestForm):
		setting := u.form.index
		if u.page == ldapPageGroup {
			setting = m.ldapCurrentSetting()
		}
		return m.ldapOpenTest(setting, u.page)
	case key.Matches(k, u.keys.ExportForm):
		return m.ldapOpenExport(u.page)
	case key.Matches(k, m.keys.Next), key.Matches(k, m.keys.Enter):
		move(+1)
		return nil
	case key.Matches(k, m.keys.Prev):
		move(-1)
		return nil
	}
	f := m.ldapFocusedField()
	i := u.form.index
	switch f.kind {
	case itemToggle:
		if key.Matches(k, m.keys.Toggle) {
			m.editLDAP(func(c *ldapcheck.Config) { p := f.flag(c, i); *p = !*p })
		}
		return nil
	case itemChoice:
		if k.String() == "left" || k.String() == "right" || k.String() == "space" {
			dir := 1
			if k.String() == "left" {
				dir = -1
			}
			choices := f.choices(&m.file.LDAP, i)
			cur := choiceIndex(choices, *f.str(&m.file.LDAP, i))
			next := choices[(cur+dir+len(choices))%len(choices)].value
			m.editLDAP(func(c *ldapcheck.Config) {
				p := f.str(c, i)
				prev := *p
				*p = next
				if f.field == "strategy" {
					// static reads the member attribute on groups, dynamic on
					// users: while it is still the old strategy's default,
					// follow the new one (uniqueMember left under dynamic
					// would give nobody a group).
					g := &c.Groups[i]
					if strings.EqualFold(g.MemberAttribute, ldapcheck.DefaultMemberAttribute(prev)) {
						g.MemberAttribute = ldapcheck.DefaultMemberAttribute(next)
					}
				}
			})
		}
		return nil
	}
	return m.ldapEditText(k)
}

// ldapEditText passes a key or paste to the editor and writes the value
// into the settings: validation runs on every keystroke.
func (m *Model) ldapEditText(msg tea.Msg) tea.Cmd {
	f := m.ldapFocusedField()
	if f == nil || f.kind != itemText {
		return nil
	}
	ed := &m.ldap.form.editor
	before := ed.Value()
	var cmd tea.Cmd
	*ed, cmd = ed.Update(msg)
	if v := ed.Value(); v != before {
		i := m.ldap.form.index
		m.editLDAP(func(c *ldapcheck.Config) { *f.str(c, i) = v })
	}
	return cmd
}

// renderLDAPForm draws the form: a heading with the record's findings
// count, the loud certificate warning when verification is off, the
// findings about the record as a whole, then every field with its own
// findings under it.
func (m *Model) renderLDAPForm(width, height int) string {
	if !m.ldapFormValid() {
		return fitLines(nil, width, height)
	}
	st := &m.styles
	u := &m.ldap
	c := &m.file.LDAP
	i := u.form.index
	fields, base := m.ldapFields()

	var title string
	var head []string
	if u.page == ldapPageGroup {
		title = "Group setting " + c.Groups[i].Name
	} else {
		title = "LDAP setting " + c.Settings[i].Key
	}
	var ic issueCount
	for _, f := range u.findings.For(base) {
		ic.add(f)
	}
	head = append(head, joinEnds(st.heading.Render(ansi.Truncate(title, width-30, "…")), summary(st, ic), width))
	if u.page == ldapPageSetting && c.Settings[i].InsecureSkipVerify {
		banner := glyphError + " CERTIFICATES ARE NOT VERIFIED (insecureSkipVerify): anyone between here and the directory can " +
			"read every password. Use caFile instead."
		head = append(head, wrapPrefixed(banner, width, "", "  ", st.errorText.Bold(true).Reverse(!st.noColor))...)
	}
	// Findings about the record itself or a path no field shows.
	known := map[string]bool{}
	for _, f := range fields {
		known[base+"."+f.field] = true
	}
	for _, f := range u.findings.For(base) {
		if !known[f.Path] {
			head = append(head, findingLines(st, f, width, "")...)
		}
	}
	head = append(head, "")
	if len(head) > height/2 {
		head = head[:max(1, height/2)]
	}
	avail := max(1, height-len(head))

	labelW := ldapLabelWidth(width)
	indent := strings.Repeat(" ", 2+labelW)
	valueW := max(8, width-2-labelW)
	var lines []string
	focusStart, focusEnd := 0, 0
	for fi := range fields {
		f := &fields[fi]
		focused := fi == u.form.focus
		start := len(lines)
		pointer, labelStyle := "  ", st.label
		if focused {
			pointer, labelStyle = st.pointer.Render(glyphPointer)+" ", st.labelFocused
		}
		label := labelStyle.Render(padRight(ansi.Truncate(f.label, labelW-1, "…"), labelW))
		lines = append(lines, ansi.Truncate(pointer+label+m.ldapFieldValue(f, focused, valueW), width, "…"))
		for _, fd := range u.index.exact(base + "." + f.field) {
			lines = append(lines, findingLines(st, fd, width, indent)...)
		}
		if focused {
			hint := f.hint
			if f.kind == itemChoice {
				choices := f.choices(c, i)
				hint = strings.TrimSpace(choices[choiceIndex(choices, *f.str(c, i))].help + " " + hint)
			}
			if hint != "" {
				lines = append(lines, wrapPrefixed(hint, width, indent, indent, st.subtle)...)
			}
			focusStart, focusEnd = start, len(lines)
		}
	}
	u.form.top = scrollTop(u.form.top, focusStart, focusEnd, len(lines), avail)
	top := u.form.top
	end := min(len(lines), top+avail)
	body := append(head, lines[top:end]...)
	if top > 0 && top < focusStart {
		body[len(head)] = st.faint.Render("  ↑ more")
	}
	if end < len(lines) && end-1 >= focusEnd {
		body[len(body)-1] = st.faint.Render("  ↓ more")
	}
	return fitLines(body, width, height)
}

// ldapFieldValue draws the value part of a field.
func (m *Model) ldapFieldValue(f *ldapField, focused bool, width int) string {
	st := &m.styles
	c := &m.file.LDAP
	i := m.ldap.form.index
	switch f.kind {
	case itemText:
		if focused {
			return m.ldap.form.editor.View()
		}
		v := *f.str(c, i)
		if v == "" {
			return st.faint.Render("—")
		}
		return st.value.Render(ansi.Truncate(v, width, "…"))
	case itemToggle:
		if *f.flag(c, i) {
			return st.value.Render(glyphOn + " on")
		}
		return st.subtle.Render(glyphOff + " off")
	case itemChoice:
		choices := f.choices(c, i)
		cur := choiceIndex(choices, *f.str(c, i))
		var parts []string
		for ci, ch := range choices {
			opt, style := glyphRadio+" "+ch.label, st.subtle
			if ci == cur {
				opt, style = glyphRadioOn+" "+ch.label, st.value
				if focused {
					style = st.valueFocused
				}
			}
			parts = append(parts, style.Render(opt))
		}
		return strings.Join(parts, "  ")
	}
	return ""
}
