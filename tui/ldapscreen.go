package tui

import (
	"os"
	"reflect"
	"slices"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"frontdoor/config"
	"frontdoor/ldapcheck"
)

// The LDAP screen: the list of LDAP and group settings, a form for each,
// the live test panel and the vendor export. The settings being edited are
// m.file.LDAP (so the HTTP save writes them too); every edit replaces the
// slices instead of writing into them, because a running save may be
// marshalling the previous value on another goroutine.

// ldapPage is the page of the LDAP screen on show.
type ldapPage int

const (
	ldapPageList ldapPage = iota
	ldapPageSetting
	ldapPageGroup
	ldapPageTest
	ldapPageExport
)

// ldapUI is the LDAP screen's state, a field of the root Model.
type ldapUI struct {
	ready bool
	keys  ldapKeys
	page  ldapPage
	back  ldapPage // where Esc leaves the test and export pages for

	// saved is the LDAP section as on disk (or as loaded); savingCfg is what
	// the running save writes (the LDAP save, or the HTTP save which writes
	// the whole file).
	saved     ldapcheck.Config
	savingCfg ldapcheck.Config
	saving    bool

	findings ldapcheck.Findings
	index    findingIndex
	issues   issueCount

	list   ldapList
	form   ldapForm
	test   ldapTest
	export ldapExport

	// getenv tells whether a managerPasswordEnv is set (tests replace it).
	getenv func(string) string
}

// ldapMsg marks the messages of the LDAP screen's commands; the root
// routes them all to ldapMessage, whatever screen is on show.
type ldapMsg interface{ ldapMsg() }

type ldapSaveDoneMsg struct {
	cfg  ldapcheck.Config
	path string
	err  error
}

func (ldapSaveDoneMsg) ldapMsg() {}

// openLDAP shows the LDAP screen (from the home menu).
func (m *Model) openLDAP() tea.Cmd {
	m.ldapInit()
	m.screen = screenLDAP
	if m.ldap.page != ldapPageTest || !m.ldap.test.running {
		m.ldap.page = ldapPageList
	}
	return nil
}

// ldapInit prepares the state on first use: what was loaded is what is saved.
func (m *Model) ldapInit() {
	u := &m.ldap
	if u.ready {
		return
	}
	u.ready = true
	u.keys = newLDAPKeys()
	u.saved = m.file.LDAP
	u.savingCfg = m.file.LDAP
	if u.getenv == nil {
		u.getenv = os.Getenv
	}
	u.form.editor = newLDAPInput(m, false)
	u.test.init(m)
	u.export.view = viewport.New()
	m.ldapRevalidate()
}

func newLDAPInput(m *Model, password bool) textinput.Model {
	in := textinput.New()
	in.Prompt = ""
	in.SetStyles(m.styles.input)
	if password {
		in.EchoMode = textinput.EchoPassword
		in.EchoCharacter = '•'
	}
	return in
}

// ldapDirty reports whether the LDAP settings differ from the file.
func (m *Model) ldapDirty() bool {
	return m.ldap.ready && !reflect.DeepEqual(m.file.LDAP, m.ldap.saved)
}

// ldapRevalidate runs ldapcheck.Validate, the same rules as the CLI, and
// indexes the findings by path for the fields.
func (m *Model) ldapRevalidate() {
	u := &m.ldap
	u.findings = ldapcheck.Validate(m.file.LDAP)
	u.index = newFindingIndex(u.findings)
	u.issues = issueCount{}
	for _, f := range u.findings {
		u.issues.add(f)
	}
}

// editLDAP changes a copy of the LDAP settings and puts the copy in place
// (copy on write: see the top of this file), then re-validates.
func (m *Model) editLDAP(change func(c *ldapcheck.Config)) {
	c := ldapcheck.Config{
		Settings: slices.Clone(m.file.LDAP.Settings),
		Groups:   slices.Clone(m.file.LDAP.Groups),
	}
	change(&c)
	m.file.LDAP = c
	m.status = ""
	m.ldapRevalidate()
}

// updateLDAP handles a key on the LDAP screen. The root handles Ctrl+C
// before; "?" is handled here because it is text in a field.
func (m *Model) updateLDAP(k tea.KeyPressMsg) tea.Cmd {
	m.ldapInit()
	u := &m.ldap
	if m.help.ShowAll && key.Matches(k, m.keys.Back) {
		m.help.ShowAll = false
		return nil
	}
	if key.Matches(k, m.keys.Help) && (k.String() == "f1" || !m.ldapTyping()) {
		m.help.ShowAll = !m.help.ShowAll
		return nil
	}
	switch u.page {
	case ldapPageSetting, ldapPageGroup:
		return m.updateLDAPForm(k)
	case ldapPageTest:
		return m.updateLDAPTest(k)
	case ldapPageExport:
		return m.updateLDAPExport(k)
	}
	return m.updateLDAPList(k)
}

// ldapTyping reports whether keys go into a text field now.
func (m *Model) ldapTyping() bool {
	u := &m.ldap
	switch u.page {
	case ldapPageSetting, ldapPageGroup:
		f := m.ldapFocusedField()
		return f != nil && f.kind == itemText
	case ldapPageTest:
		return !u.test.running
	case ldapPageExport:
		return u.export.prompting
	}
	return false
}

// ldapPaste puts pasted text into the focused field.
func (m *Model) ldapPaste(msg tea.PasteMsg) tea.Cmd {
	m.ldapInit()
	switch m.ldap.page {
	case ldapPageSetting, ldapPageGroup:
		return m.ldapEditText(msg)
	case ldapPageTest:
		return m.ldap.test.edit(msg)
	case ldapPageExport:
		if m.ldap.export.prompting {
			var cmd tea.Cmd
			m.ldap.export.path, cmd = m.ldap.export.path.Update(msg)
			return cmd
		}
	}
	return nil
}

// ldapMessage takes the result of one of the LDAP screen's commands.
func (m *Model) ldapMessage(msg ldapMsg) tea.Cmd {
	m.ldapInit()
	switch msg := msg.(type) {
	case ldapSaveDoneMsg:
		m.ldap.saving = false
		if msg.err != nil {
			m.status = "LDAP settings not saved: " + msg.err.Error()
			return nil
		}
		m.ldap.saved = msg.cfg
		m.status = "LDAP settings saved to " + msg.path
		return nil
	case ldapStepMsg, ldapRunDoneMsg, ldapSpinMsg:
		return m.ldapRunMessage(msg)
	case ldapExportWrittenMsg, ldapExportExistsMsg:
		return m.ldapExportMessage(msg)
	}
	return nil
}

// ldapSave writes frontdoor.yaml with these LDAP settings and the proxy
// settings as last saved: the file keeps describing the snippet that is
// installed, whatever is being edited on the HTTP screens.
func (m *Model) ldapSave() tea.Cmd {
	u := &m.ldap
	switch {
	case u.saving || m.saving:
		m.status = "a save is running"
		return nil
	case u.issues.errors > 0:
		m.status = "fix the LDAP errors first"
		m.ldapGotoFirstError()
		return nil
	}
	u.saving = true
	u.savingCfg = m.file.LDAP
	file := config.File{Proxy: m.saved.Clone(), LDAP: m.file.LDAP}
	path := m.opts.ConfigPath
	m.status = "saving…"
	return func() tea.Msg {
		return ldapSaveDoneMsg{cfg: file.LDAP, path: path, err: config.Save(path, &file)}
	}
}

// ldapGotoFirstError opens the form holding the first LDAP error, focused
// on its field.
func (m *Model) ldapGotoFirstError() {
	for _, f := range m.ldap.findings {
		if f.Severity != ldapcheck.Error {
			continue
		}
		for i := range m.file.LDAP.Settings {
			if p := ldapcheck.SettingPath(i); f.Path == p || strings.HasPrefix(f.Path, p+".") {
				m.ldapOpenForm(ldapPageSetting, i)
				m.ldapFocusPath(f.Path)
				return
			}
		}
		for j := range m.file.LDAP.Groups {
			if p := ldapcheck.GroupPath(j); f.Path == p || strings.HasPrefix(f.Path, p+".") {
				m.ldapOpenForm(ldapPageGroup, j)
				m.ldapFocusPath(f.Path)
				return
			}
		}
		m.ldap.page = ldapPageList
		return
	}
}

// renderLDAPScreen draws the page on show in width x height cells.
func (m *Model) renderLDAPScreen(width, height int) string {
	if !m.ldap.ready {
		return fitLines(nil, width, height)
	}
	switch m.ldap.page {
	case ldapPageSetting, ldapPageGroup:
		return m.renderLDAPForm(width, height)
	case ldapPageTest:
		return m.renderLDAPTest(width, height)
	case ldapPageExport:
		return m.renderLDAPExport(width, height)
	}
	return m.renderLDAPList(width, height)
}

// ldapHelp is the help line for the page on show.
func (m *Model) ldapHelp() help.KeyMap {
	u := &m.ldap
	if !u.ready {
		return ldapKeyMap{&m.keys}
	}
	switch u.page {
	case ldapPageSetting, ldapPageGroup:
		kind := itemInfo
		if f := m.ldapFocusedField(); f != nil {
			kind = f.kind
		}
		return ldapFormKeyMap{k: &m.keys, l: &u.keys, focus: kind}
	case ldapPageTest:
		return ldapTestKeyMap{k: &m.keys, l: &u.keys, running: u.test.running}
	case ldapPageExport:
		return ldapExportKeyMap{k: &m.keys, l: &u.keys, prompting: u.export.prompting}
	}
	return ldapListKeyMap{k: &m.keys, l: &u.keys}
}
