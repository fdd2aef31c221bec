package ldap

import (
	"os"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"frontdoor/ldapcheck"
	"frontdoor/tui/common"
	"frontdoor/tui/components/confirm"
	"frontdoor/tui/components/form"
	"frontdoor/tui/document"
	"frontdoor/tui/pages/save"
)

// Page is the page of the LDAP screen on show.
type Page int

const (
	PageList Page = iota
	PageSetting
	PageGroup
	PageTest
	PageExport
	PageUsers // the users the server will see, beside the test panel
)

// Options are what the screen takes from the wizard's options.
type Options struct {
	ConfigPath string
	// Getenv tells whether a managerPasswordEnv is set (tests replace it).
	Getenv func(string) string
	// Timeouts of a test run that tests shorten; zero means ldapcheck's
	// defaults. NoSpin leaves the spinner out of the command queue.
	ConnectTimeout, ReadTimeout time.Duration
	NoSpin                      bool
}

// Screen is the LDAP screen's state.
type Screen struct {
	st     *common.Styles
	keys   *common.Keys
	status *common.Status
	doc    *document.Document
	save   *save.Model
	opts   Options

	page   Page
	back   Page // where Esc leaves the test, Users and export pages for
	saving bool // an LDAP save runs

	list     list
	form     *form.Form[document.Document] // the setting or group on show
	formPage Page                          // PageSetting or PageGroup
	index    int                           // its position in Settings or Groups
	scroll   form.Scroll
	test     *test
	users    *users
	export   export

	width, height int
	lines         []string // the page as laid out
}

// New builds the screen over the document.
func New(st *common.Styles, keys *common.Keys, status *common.Status, doc *document.Document, sv *save.Model, opts Options) *Screen {
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	s := &Screen{st: st, keys: keys, status: status, doc: doc, save: sv, opts: opts}
	s.test = newTest(s)
	s.users = newUsers(s)
	s.export = newExport(s)
	return s
}

// SetGetenv replaces how the test panel reads the environment (tests).
func (s *Screen) SetGetenv(getenv func(string) string) { s.opts.Getenv = getenv }

// SetRunOptions shortens a test run (tests).
func (s *Screen) SetRunOptions(connect, read time.Duration, noSpin bool) {
	s.opts.ConnectTimeout, s.opts.ReadTimeout, s.opts.NoSpin = connect, read, noSpin
}

// StylesChanged follows new styles into the editors.
func (s *Screen) StylesChanged() {
	if s.form != nil {
		s.form.StylesChanged()
	}
	s.test.form.StylesChanged()
	s.test.results.SetStyles(s.st.Scroller)
	s.users.form.StylesChanged()
	s.users.results.SetStyles(s.st.Scroller)
	s.export.path.SetStyles(s.st.Input)
	s.export.view.SetStyles(s.st.Scroller)
}

// Page is the page on show.
func (s *Screen) Page() Page { return s.page }

// Open shows the screen (from the home menu): the list, unless a test or
// a listing runs on the page left.
func (s *Screen) Open() {
	// The status line belongs to the screen on show: news of another (a
	// check's verdict, an HTTP step's undo) is not this screen's.
	s.status.Clear()
	switch {
	case s.page == PageTest && s.test.job.Running():
	case s.page == PageUsers && s.users.job.Running():
	default:
		s.page = PageList
	}
}

// Msg marks the messages of the LDAP screen's commands; the root routes
// them all to Message, whatever screen is on show.
type Msg interface{ ldapMsg() }

// Action is what a key on the screen asks of the root.
type Action int

const (
	None    Action = iota
	Home           // leave for the home screen
	Confirm        // ask the question of Dialog
)

// Result is what Update returns besides a command.
type Result struct {
	Action Action
	Dialog *confirm.Dialog
}

// Typing reports whether printable keys go into a text field now.
func (s *Screen) Typing() bool {
	switch s.page {
	case PageSetting, PageGroup:
		return s.formValid() && s.form.Typing()
	case PageTest:
		t := s.test
		if t.job.Running() || t.resultsFocused {
			return t.results.Capturing()
		}
		return t.form.Typing()
	case PageUsers:
		u := s.users
		if u.job.Running() || u.resultsFocused {
			return u.results.Capturing()
		}
		return u.form.Typing()
	case PageExport:
		return s.export.prompting || s.export.view.Capturing()
	}
	return false
}

// Update handles a key on the screen.
func (s *Screen) Update(k tea.KeyPressMsg) (Result, tea.Cmd) {
	switch s.page {
	case PageSetting, PageGroup:
		return Result{}, s.updateForm(k)
	case PageTest:
		return Result{}, s.test.update(k)
	case PageUsers:
		return Result{}, s.users.update(k)
	case PageExport:
		return s.export.update(k)
	}
	return s.updateList(k)
}

// Paste puts pasted text into the focused field.
func (s *Screen) Paste(msg tea.PasteMsg) tea.Cmd {
	switch s.page {
	case PageSetting, PageGroup:
		if s.formValid() {
			_, cmd := s.form.Paste(msg)
			return cmd
		}
	case PageTest:
		return s.test.paste(msg)
	case PageUsers:
		return s.users.paste(msg)
	case PageExport:
		return s.export.paste(msg)
	}
	return nil
}

// Message takes the result of one of the screen's commands.
func (s *Screen) Message(msg Msg) (Result, tea.Cmd) {
	switch msg := msg.(type) {
	case StepMsg:
		return Result{}, s.jobMessage(msg.job)
	case jobMsg:
		return Result{}, s.jobMessage(msg.job)
	case exportWrittenMsg, exportExistsMsg:
		return s.export.message(msg), nil
	}
	return Result{}, nil
}

// Saved takes the result of an LDAP save.
func (s *Screen) Saved(msg save.SettingsDoneMsg) {
	s.saving = false
	if msg.Err != nil {
		s.status.Set("LDAP settings not saved: " + msg.Err.Error())
		return
	}
	s.doc.LDAPSaved(msg.LDAP)
	s.status.Set("LDAP settings saved to " + msg.Path)
}

// Save writes frontdoor.yaml with these LDAP settings and the proxy
// settings as last saved: the file keeps describing the snippet that is
// installed, whatever is being edited on the HTTP screens.
func (s *Screen) Save() tea.Cmd {
	switch {
	case s.saving || s.save.Saving():
		s.status.Set("a save is running")
		return nil
	case s.doc.LDAP.Issues.Errors > 0:
		s.status.Set("fix the LDAP errors first")
		s.GotoFirstError()
		return nil
	}
	s.saving = true
	s.status.Set("saving…")
	return save.SettingsCmd(s.opts.ConfigPath, s.doc.ForLDAPSave())
}

// GotoFirstError opens the form holding the first LDAP error, focused on
// its field.
func (s *Screen) GotoFirstError() {
	for _, f := range s.doc.LDAP.Findings {
		if f.Severity != ldapcheck.Error {
			continue
		}
		s.FocusPath(f.Path)
		return
	}
}

// FocusPath opens the form of the record a settings path is in, focused on
// its field; the list when no record holds it.
func (s *Screen) FocusPath(path string) {
	c := cfg(s.doc)
	for i := range c.Settings {
		if p := ldapcheck.SettingPath(i); path == p || strings.HasPrefix(path, p+".") {
			s.openForm(PageSetting, i)
			s.form.FocusPath(path)
			s.form.Load()
			return
		}
	}
	for j := range c.Groups {
		if p := ldapcheck.GroupPath(j); path == p || strings.HasPrefix(path, p+".") {
			s.openForm(PageGroup, j)
			s.form.FocusPath(path)
			s.form.Load()
			return
		}
	}
	s.page = PageList
}

// Undo puts the LDAP settings back as they were before the last edit, and
// shows where that edit was.
func (s *Screen) Undo() {
	where, ok := s.doc.Undo(document.SectionLDAP)
	if !ok {
		s.status.Set("nothing to undo")
		return
	}
	s.status.Set("undone")
	switch s.page {
	case PageSetting, PageGroup:
		s.FocusPath(where)
	default:
		s.selectPath(where)
	}
}

// edit changes the LDAP settings as one step of the undo history.
func (s *Screen) edit(where string, change func(c *ldapcheck.Config)) {
	s.doc.Checkpoint(document.SectionLDAP, "", where)
	s.doc.EditLDAP(change)
	s.status.Clear()
}

// Layout lays the page on show out in width x height cells (in Update).
func (s *Screen) Layout(width, height int) {
	s.width, s.height = width, height
	switch s.page {
	case PageSetting, PageGroup:
		s.lines = s.layoutForm(width, height)
	case PageTest:
		s.lines = s.test.layout(width, height)
	case PageUsers:
		s.lines = s.users.layout(width, height)
	case PageExport:
		s.lines = s.export.layout(width, height)
	default:
		s.lines = s.layoutList(width, height)
	}
}

// Render draws the page as laid out.
func (s *Screen) Render() string {
	switch s.page {
	case PageExport:
		return s.export.render(s.width, s.height)
	case PageTest:
		if s.test.setting >= 0 && s.test.setting < len(cfg(s.doc).Settings) {
			return strings.Join(append(common.Fit(s.lines, s.width, len(s.lines)), s.test.results.Render()), "\n")
		}
	case PageUsers:
		if _, ok := s.users.current(); ok {
			return strings.Join(append(common.Fit(s.lines, s.width, len(s.lines)), s.users.results.Render()), "\n")
		}
	}
	return common.FitLines(s.lines, s.width, s.height)
}

// Capturing reports whether a search prompt takes every key, ctrl+c and
// esc included.
func (s *Screen) Capturing() bool {
	switch s.page {
	case PageTest:
		return s.test.results.Capturing()
	case PageUsers:
		return s.users.results.Capturing()
	case PageExport:
		return !s.export.prompting && s.export.view.Capturing()
	}
	return false
}

// Wheel scrolls what is under the mouse: the export, the test results, the
// users (y is a line of the screen's body).
func (s *Screen) Wheel(msg tea.MouseWheelMsg, _, y int) tea.Cmd {
	switch s.page {
	case PageExport:
		return s.export.view.Update(msg)
	case PageTest:
		if y >= s.test.resultsTop {
			return s.test.results.Update(msg)
		}
	case PageUsers:
		if y >= s.users.resultsTop {
			return s.users.results.Update(msg)
		}
	}
	return nil
}

// KeyMap is the help line for the page on show.
func (s *Screen) KeyMap() help.KeyMap {
	typing := s.Typing()
	switch s.page {
	case PageSetting, PageGroup:
		kind := form.Info
		if s.formValid() {
			if fd := s.form.Focused(); fd != nil {
				kind = fd.Kind
			}
		}
		return formKeyMap{k: s.keys, focus: kind, typing: typing}
	case PageTest:
		return testKeyMap{k: s.keys, view: &s.test.results, running: s.test.job.Running(), focused: s.test.resultsFocused, typing: typing}
	case PageUsers:
		u := s.users
		editing := !u.job.Running() && !u.resultsFocused && u.form.Focused() != nil
		return usersKeyMap{k: s.keys, view: &u.results, running: u.job.Running(), focused: u.resultsFocused, typing: typing,
			number: editing && u.form.Focused().Kind == form.Number, toggle: editing && u.form.Focused().Kind == form.Toggle,
			risk: u.bindsAsManager()}
	case PageExport:
		return exportKeyMap{k: s.keys, view: &s.export.view, prompting: s.export.prompting, failed: s.export.err != nil}
	}
	return listKeyMap{k: s.keys}
}

// leave goes back from the test, Users or export page to where it was
// opened.
func (s *Screen) leave() {
	s.page = s.back
	if s.back == PageSetting || s.back == PageGroup {
		if !s.formValid() {
			s.page = PageList
			return
		}
		s.form.Load()
	}
}

// ofKey is a binding as the key map shows it.
func ofKey(b key.Binding, keyText, desc string) key.Binding { return common.WithHelp(b, keyText, desc) }

// FocusedPath is the settings path of the focused field of the form on
// show ("" when none).
func (s *Screen) FocusedPath() string {
	if (s.page != PageSetting && s.page != PageGroup) || !s.formValid() {
		return ""
	}
	if fd := s.form.Focused(); fd != nil {
		return fd.Path
	}
	return ""
}
