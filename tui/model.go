package tui

import (
	"context"
	"reflect"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"frontdoor/config"
	"frontdoor/install"
	"frontdoor/render"
)

// screen is the top-level page.
type screen int

const (
	screenHome screen = iota
	screenHTTP
	screenLDAP
)

// saveTarget is where and how the snippet is saved; it starts from
// install.DetectTarget and the wizard's flags, and the review step edits it.
type saveTarget struct {
	Path, Link, Check, Reload string
	ReloadOn                  bool
	defaultCheck              string // the detected check: a missing program only skips it
	checkChosen               bool   // --check was given
	layout                    install.Layout
	detected                  bool
	note                      string
	apacheCtl                 string
}

func targetFrom(t install.Target) saveTarget {
	return saveTarget{
		Path: t.Path, Link: t.EnableLink,
		Check: install.FormatCommand(t.CheckCmd), Reload: install.FormatCommand(t.ReloadCmd),
		defaultCheck: install.FormatCommand(t.CheckCmd), checkChosen: t.CheckChosen,
		layout: t.Layout, detected: t.Detected, note: t.Note, apacheCtl: t.ApacheCtl,
	}
}

// Model is the wizard: one root model that owns the settings being edited
// and decides the layout; the parts of the screen (home menu, steps, table,
// preview, certificate panel, save page, dialogs) are drawn by their own
// files from its state.
type Model struct {
	opts    Options
	keys    keys
	styles  styles
	help    help.Model
	hl      *highlighter
	width   int
	height  int
	dark    bool
	noColor bool

	screen screen
	home   homeMenu

	// The settings being edited. saved is what is on disk (or was loaded):
	// Ctrl+C asks before dropping the difference.
	file        config.File
	settings    render.Settings
	saved       render.Settings
	dirty       bool
	findings    render.Findings
	index       findingIndex
	issues      issueCount
	stepIssues  [stepCount]issueCount
	dockerHosts []string

	certs    *render.CertInfo // loaded for the paths in it; may lag the settings
	certGen  int
	certWant [2]string // cert and key paths last asked for

	step    stepID
	items   [stepCount][]item
	focus   [stepCount]int
	formTop [stepCount]int
	editor  textinput.Model // the one live text input: the focused field or table cell

	preview     preview
	previewOpen bool // narrow: the preview replaces the form; wide: the preview has the focus
	gen         int  // bumped on every change; previews of older generations are dropped

	target       saveTarget
	targetEdited bool // the user changed the target: a provider change keeps it
	targetFile   targetContent
	targetGen    int

	modules *modulesResult
	saving  bool
	// A running save can be cancelled (ctrl+c, or the program stopped by a
	// signal): install.Save then stops the check and puts the previous file
	// back. saveOutcome gets the result even when the program has ended.
	saveCancel  context.CancelFunc
	saveOutcome chan saveResult
	lastSave    *saveResult
	lastGood    *saveResult // the last save that succeeded, for Result

	confirm  *confirmDialog
	status   string
	quitting bool

	ldap ldapUI // the LDAP screen (ldap*.go)
}

// New builds the wizard's model from loaded settings. It does no IO: the
// certificate files and the file at the target are read by Init's commands.
func New(opts Options) *Model {
	opts = opts.withDefaults()
	m := &Model{opts: opts, keys: newKeys(), dark: true, noColor: opts.NoColor}
	m.help = help.New()
	m.applyStyles()
	m.file = *opts.File
	m.settings = opts.File.Proxy.Clone()
	m.saved = m.settings.Clone()
	m.items = buildSteps()
	m.editor = textinput.New()
	m.editor.Prompt = ""
	m.editor.SetStyles(m.styles.input)
	m.target = targetFrom(opts.Target(string(m.settings.Provider)))
	m.revalidate()
	for sid := range stepCount {
		m.step = sid
		m.fixFocus(+1)
	}
	m.step = stepProvider
	m.loadEditor()
	m.preview.follow = true
	m.preview.fieldLabel = m.focusLabel()
	return m
}

func (m *Model) applyStyles() {
	m.styles = newStyles(m.dark, m.noColor)
	m.help.Styles = m.styles.help
	m.editor.SetStyles(m.styles.input)
	if m.noColor {
		m.hl = nil
	} else {
		m.hl = newHighlighter(m.styles.token)
	}
}

// Init starts the first render and the reads the screen depends on.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.previewCmd(), m.reloadTarget(true), tea.RequestBackgroundColor}
	if c := m.certCmd(true); c != nil {
		cmds = append(cmds, c)
	}
	return tea.Batch(cmds...)
}

// Update routes a message. Keys go to the dialog, then the screen; results
// of commands are taken only when they still match the current state.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.SetWidth(msg.Width)
		if m.screen == screenHTTP {
			m.loadEditor() // refit the value to the new width
		}
		return m, nil
	case tea.ColorProfileMsg:
		if noColor := m.opts.NoColor || msg.Profile <= colorprofile.ASCII; noColor != m.noColor {
			m.noColor = noColor
			m.applyStyles()
		}
		return m, nil
	case tea.BackgroundColorMsg:
		if dark := msg.IsDark(); dark != m.dark {
			m.dark = dark
			m.applyStyles()
		}
		return m, nil
	case previewMsg:
		if msg.res.gen == m.gen {
			m.preview.set(msg.res)
		}
		return m, nil
	case certTickMsg:
		if msg.gen == m.certGen {
			return m, loadCertsCmd(m.opts.LoadCertificates, m.certWant[0], m.certWant[1])
		}
		return m, nil
	case certsLoadedMsg:
		if msg.info.CertPath == m.certWant[0] && msg.info.KeyPath == m.certWant[1] {
			m.certs = msg.info
			m.revalidate()
		}
		return m, nil
	case targetTickMsg:
		if msg.gen == m.targetGen {
			return m, loadTargetCmd(m.opts.ReadFile, m.target.Path)
		}
		return m, nil
	case targetLoadedMsg:
		if msg.content.path == m.target.Path {
			m.targetFile = msg.content
			return m, m.previewCmd()
		}
		return m, nil
	case modulesMsg:
		if msg.res.ctl == m.target.apacheCtl {
			m.modules = &msg.res
		}
		return m, nil
	case saveDoneMsg:
		return m, m.saveDone(msg.res)
	case ldapMsg:
		return m, m.ldapMessage(msg)
	case tea.PasteMsg:
		if m.screen == screenLDAP && m.confirm == nil {
			return m, m.ldapPaste(msg)
		}
		if m.screen == screenHTTP && m.confirm == nil && !m.previewOpen {
			return m, m.editText(msg, msg.Content)
		}
		return m, nil
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	}
	return m, nil
}

func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	if m.confirm != nil {
		return m.confirm.update(m, k)
	}
	if key.Matches(k, m.keys.Quit) {
		return m.requestQuit()
	}
	if m.screen == screenLDAP {
		return m.updateLDAP(k) // before "?": it is text in the LDAP fields
	}
	if m.help.ShowAll && key.Matches(k, m.keys.Back) {
		m.help.ShowAll = false
		return nil
	}
	if key.Matches(k, m.keys.Help) {
		m.help.ShowAll = !m.help.ShowAll
		return nil
	}
	switch m.screen {
	case screenHome:
		return m.updateHome(k)
	}
	return m.updateHTTP(k)
}

// requestQuit quits at once when nothing would be lost, else asks.
func (m *Model) requestQuit() tea.Cmd {
	if m.saving {
		// As with `frontdoor save`: an interrupted check is rolled back.
		m.saveCancel()
		m.status = "cancelling the save: the previous file is put back"
		return nil
	}
	if !m.dirty && !m.ldapDirty() {
		return m.quit()
	}
	m.confirm = &confirmDialog{
		question: "Quit without saving?",
		detail:   "The settings have changed since they were loaded or saved; quitting drops the changes.",
		yes:      "quit", no: "keep editing",
		onYes: (*Model).quit,
	}
	return nil
}

func (m *Model) quit() tea.Cmd {
	m.quitting = true
	return tea.Quit
}

// revalidate runs the same validators as the CLI: Validate on every change,
// CheckCertificates when the certificate files for the current paths are
// loaded. Findings are indexed by path for the fields and per step.
func (m *Model) revalidate() {
	s := &m.settings
	fs := render.Validate(s)
	if s.HTTPS.Enabled && m.certsCurrent() && !fs.For("proxy.https.certificate").HasErrors() && !fs.For("proxy.https.key").HasErrors() {
		fs = append(fs, render.CheckCertificates(s, m.certs, m.opts.Now())...)
	}
	m.findings = fs
	m.index = newFindingIndex(fs)
	m.issues = issueCount{}
	m.stepIssues = [stepCount]issueCount{}
	for _, f := range fs {
		m.issues.add(f)
		m.stepIssues[stepOfPath(&m.items, f.Path)].add(f)
	}
	m.stepIssues[stepReview] = m.issues
	m.dockerHosts = render.DockerHosts(s)
}

// certsCurrent reports whether the loaded certificate files are the ones
// the settings name now.
func (m *Model) certsCurrent() bool {
	return m.certs != nil && m.certs.CertPath == m.settings.HTTPS.Certificate && m.certs.KeyPath == m.settings.HTTPS.Key
}

// certCmd asks for the certificate files when their paths changed: after a
// pause in typing (debounced), or at once on start.
func (m *Model) certCmd(now bool) tea.Cmd {
	s := &m.settings
	want := [2]string{s.HTTPS.Certificate, s.HTTPS.Key}
	if !s.HTTPS.Enabled || (want[0] == "" && want[1] == "") || want == m.certWant {
		return nil
	}
	fs := m.index
	if fs.exact("proxy.https.certificate").HasErrors() || fs.exact("proxy.https.key").HasErrors() {
		return nil // not a usable path yet: nothing to read
	}
	m.certWant = want
	m.certGen++
	if now {
		return loadCertsCmd(m.opts.LoadCertificates, want[0], want[1])
	}
	return debounce(m.opts.Debounce, certTickMsg{m.certGen})
}

// reloadTarget re-reads the file at the target (debounced while typing).
func (m *Model) reloadTarget(now bool) tea.Cmd {
	m.targetGen++
	if m.target.Path == "" {
		m.targetFile = targetContent{loaded: true}
		return nil
	}
	if now {
		return loadTargetCmd(m.opts.ReadFile, m.target.Path)
	}
	return debounce(m.opts.Debounce, targetTickMsg{m.targetGen})
}

// previewCmd starts rendering the preview for the current settings and focus.
func (m *Model) previewCmd() tea.Cmd {
	m.gen++
	return previewCmd(previewRequest{
		gen:      m.gen,
		settings: m.settings.Clone(),
		perturb:  m.focusedPerturb(),
		target:   m.targetFile,
	})
}

// proxyChanged follows every edit of the proxy settings.
func (m *Model) proxyChanged(providerBefore render.Provider) tea.Cmd {
	m.revalidate()
	m.dirty = !reflect.DeepEqual(m.settings, m.saved)
	cmds := []tea.Cmd{m.previewCmd(), m.certCmd(false)}
	if m.settings.Provider != providerBefore {
		m.modules = nil
		if !m.targetEdited {
			m.target = targetFrom(m.opts.Target(string(m.settings.Provider)))
			cmds = append(cmds, m.reloadTarget(true))
		}
	}
	return tea.Batch(cmds...)
}

// saveDone takes the save's result: the settings on disk are now these, and
// the file at the target changed.
func (m *Model) saveDone(res saveResult) tea.Cmd {
	m.saving = false
	if m.saveCancel != nil {
		m.saveCancel() // releases the save's context
	}
	m.lastSave = &res
	if m.screen == screenHTTP && m.step == stepReview {
		m.focusButton(stepReview) // the report sits below the button: bring it into view
		m.loadEditor()
	}
	if res.modules != nil {
		m.modules = res.modules
	}
	if res.Saved() {
		m.lastGood = &res
	}
	switch {
	case res.configSaved:
		m.ldap.saved = m.ldap.savingCfg // the HTTP save wrote the LDAP section too
		m.saved = res.settings
		m.dirty = !reflect.DeepEqual(m.settings, m.saved)
		m.status = "saved"
	case res.err != nil:
		m.status = "not saved"
	default:
		m.status = "snippet saved, settings file not written"
	}
	return m.reloadTarget(true)
}

// focusLabel names the focused item for the preview's marks line.
func (m *Model) focusLabel() string {
	it := m.focused()
	if it == nil || !it.proxy {
		return ""
	}
	if it.kind == itemTable {
		t := it.table
		cols := t.visibleCols(&m.settings)
		if t.count(&m.settings) == 0 || len(cols) == 0 {
			return ""
		}
		return strings.ToLower(cols[t.col].title) + " of " + t.noun + " " + itoa(t.row+1)
	}
	return it.label
}
