package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"frontdoor/config"
	"frontdoor/render"
	"frontdoor/tui/common"
	"frontdoor/tui/components/confirm"
	"frontdoor/tui/components/highlight"
	"frontdoor/tui/document"
	"frontdoor/tui/pages/check"
	"frontdoor/tui/pages/home"
	"frontdoor/tui/pages/importing"
	"frontdoor/tui/pages/ldap"
	"frontdoor/tui/pages/proxy"
	"frontdoor/tui/pages/save"
)

// screen is the top-level page.
type screen int

const (
	screenHome screen = iota
	screenHTTP
	screenLDAP
	screenCheck
)

// screenNames title the screens in the header, in the home menu's words.
var screenNames = map[screen]string{screenHome: "home", screenHTTP: common.AreaHTTP.Name, screenLDAP: common.AreaLDAP.Name, screenCheck: common.AreaCheck.Name}

// Model is the wizard: one root model that owns the document being edited,
// routes every message, owns the focus (screen, dialog, help) and the
// layout, and decides when the screens draw.
type Model struct {
	opts    Options
	keys    common.Keys
	styles  common.Styles
	help    help.Model
	width   int
	height  int
	dark    bool
	noColor bool

	doc    *document.Document
	save   save.Model
	screen screen
	home   home.Menu
	proxy  *proxy.Page
	ldap   *ldap.Screen
	check  *check.Page

	imp *importing.Panel // the import of an existing configuration, under the review step

	confirm  *confirm.Dialog
	status   common.Status
	quitting bool
	dropped  bool // quit with unsaved changes (Result.Dropped)

	headerLines, footerLines []string // laid out by layout
	importTop                int      // the import panel's first body line, for the mouse
}

// New builds the wizard's model from loaded settings. It does no IO: the
// targets, the certificate files and the file at the target are read by
// Init's commands.
func New(opts Options) *Model {
	opts = opts.withDefaults()
	m := &Model{opts: opts, keys: common.NewKeys(), dark: true, noColor: opts.NoColor}
	m.help = help.New()
	m.styles = common.NewStyles(m.dark, m.noColor)
	m.help.Styles = m.styles.Help
	m.doc = document.New(opts.File, opts.Now)
	m.doc.SetBase(opts.Doc)
	m.doc.SetFallback(opts.ConfigPath)
	m.proxy = proxy.New(&m.styles, &m.keys, &m.status, m.doc, &m.save, proxy.Options{
		Debounce: opts.Debounce, ReadFile: opts.ReadFile,
		LoadCertificates: opts.LoadCertificates, LoadClientCA: opts.LoadClientCA, Resolve: opts.Resolve,
	})
	m.ldap = ldap.New(&m.styles, &m.keys, &m.status, m.doc, &m.save, ldap.Options{ConfigPath: m.settingsPath()})
	m.check = check.New(&m.styles, &m.keys, &m.status, m.doc, check.Options{Roots: opts.CheckRoots})
	m.imp = importing.New(&m.styles, &m.keys, &m.status, m.doc, importing.Options{Candidate: opts.ImportCandidate})
	m.setHighlighter()
	return m
}

// applyStyles builds the styles for the colour profile and background, and
// hands them to the parts that keep their own copies (editors, scrollers,
// highlighter).
func (m *Model) applyStyles() {
	m.styles = common.NewStyles(m.dark, m.noColor)
	m.help.Styles = m.styles.Help
	m.proxy.StylesChanged()
	m.ldap.StylesChanged()
	m.check.StylesChanged()
	m.imp.StylesChanged()
	m.setHighlighter()
}

func (m *Model) setHighlighter() {
	if m.noColor {
		m.proxy.SetHighlighter(nil)
	} else {
		m.proxy.SetHighlighter(highlight.New(m.styles.Token))
	}
}

// Init starts the first preview and the reads the screens depend on.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.proxy.Init(), tea.RequestBackgroundColor, m.imp.Watch()}
	if m.opts.Import != "" {
		cmds = append(cmds, m.imp.Probe(m.opts.Import, true))
	}
	return tea.Batch(cmds...)
}

// Update routes a message: keys to the dialog, then the screen; results of
// commands to the part that started them, which takes them only when they
// still match the current state. Then it lays the screen out.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.route(msg)
	if !m.quitting {
		// The import: the save target looked at once known, the diff kept
		// current, an offer asked once no other dialog is open.
		cmd = tea.Batch(cmd, m.imp.Watch(), m.imp.Rediff(), m.imp.Reclassify())
		m.askPending()
	}
	m.layout()
	return m, cmd
}

func (m *Model) route(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.SetWidth(msg.Width)
	case tea.ColorProfileMsg:
		if noColor := m.opts.NoColor || msg.Profile <= colorprofile.ASCII; noColor != m.noColor {
			m.noColor = noColor
			m.applyStyles()
		}
	case tea.BackgroundColorMsg:
		if dark := msg.IsDark(); dark != m.dark {
			m.dark = dark
			m.applyStyles()
		}
	case proxy.Msg:
		return m.proxy.Message(msg)
	case save.ProbeMsg:
		m.proxy.Probed(msg)
	case save.HereMsg:
		m.proxy.Validated(msg)
	case save.StepMsg:
		return m.save.Step(msg)
	case save.DoneMsg:
		return m.saveDone(msg)
	case save.SettingsRequestMsg:
		return m.saveLDAP(msg)
	case save.SettingsDoneMsg:
		m.news(screenLDAP, func() tea.Cmd { m.ldap.Saved(msg); return nil })
	case ldap.Msg:
		return m.news(screenLDAP, func() tea.Cmd {
			res, cmd := m.ldap.Message(msg)
			return tea.Batch(cmd, m.act(res))
		})
	case check.Msg:
		return m.check.Message(msg)
	case importing.Msg:
		act, cmd := m.imp.Message(msg)
		if act == importing.Review {
			said := m.status.String() // the import's news is the review step's
			m.show(screenHTTP)
			m.status.Set(said)
			return tea.Batch(cmd, m.proxy.Reloaded(), m.proxy.OpenSave())
		}
		return cmd
	case tea.PasteMsg:
		if m.confirm != nil {
			return nil
		}
		if m.importFocused() {
			return m.imp.Scroll(msg)
		}
		switch m.screen {
		case screenHTTP:
			return m.proxy.Paste(msg)
		case screenLDAP:
			return m.ldap.Paste(msg)
		case screenCheck:
			return m.check.Paste(msg)
		}
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	case tea.MouseWheelMsg:
		if m.confirm != nil {
			m.confirm.Wheel(msg)
			return nil
		}
		x, y := msg.Mouse().X, msg.Mouse().Y-len(m.headerLines)
		if m.importShown() && y >= m.importTop {
			return m.imp.Scroll(msg)
		}
		switch m.screen {
		case screenHTTP:
			return m.proxy.Wheel(msg, x, y)
		case screenLDAP:
			return m.ldap.Wheel(msg, x, y)
		case screenCheck:
			return m.check.Wheel(msg, y)
		}
	}
	return nil
}

// show puts screen s on show. The status line is the news of the screen on
// show (the one rule for it): a change of screen clears what the screen left
// said, so "undone" or a Check verdict is not read as news of the next one.
// (Home's Check row keeps the verdict.)
func (m *Model) show(s screen) {
	if s != m.screen {
		m.status.Clear()
	}
	m.screen = s
}

// news runs a screen's handling of a message of its own (a job's result
// comes whatever is on show): its words go to the status line only while
// that screen is on show. The Check screen does the same with SetShown.
func (m *Model) news(owner screen, handle func() tea.Cmd) tea.Cmd {
	if m.screen == owner {
		return handle()
	}
	said := m.status.String()
	cmd := handle()
	if m.screen != owner { // handle may have put it on show
		m.status.Set(said)
	}
	return cmd
}

// capturing reports whether a search prompt is open: every key goes to it,
// esc and ctrl+c included, so nothing leaks into a field or closes a screen.
func (m *Model) capturing() bool {
	if m.importFocused() {
		return m.imp.Capturing()
	}
	switch m.screen {
	case screenHTTP:
		return m.proxy.Capturing()
	case screenLDAP:
		return m.ldap.Capturing()
	case screenCheck:
		return m.check.Capturing()
	}
	return false
}

// typing reports whether printable keys go into a text field now, where
// "?" is text and f1 opens the help.
func (m *Model) typing() bool {
	if m.importFocused() {
		return m.imp.Capturing()
	}
	switch m.screen {
	case screenHTTP:
		return m.proxy.Typing()
	case screenLDAP:
		return m.ldap.Typing()
	case screenCheck:
		return m.check.Typing()
	}
	return false
}

func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	if m.confirm != nil {
		if key.Matches(k, m.keys.Quit) && m.save.Saving() {
			m.cancelSave() // a save started from the dialog (save settings and quit)
			return nil
		}
		a := m.confirm.Update(&m.keys, k)
		if a == confirm.Open {
			return nil
		}
		c := m.confirm
		m.confirm = nil
		return c.Run(a)
	}
	if m.capturing() {
		if m.importFocused() {
			return m.imp.Scroll(k)
		}
		return m.toScreen(k)
	}
	if key.Matches(k, m.keys.Quit) {
		return m.requestQuit()
	}
	if m.help.ShowAll && key.Matches(k, m.keys.Back) {
		m.help.ShowAll = false
		return nil
	}
	if key.Matches(k, m.keys.Help) && (k.String() == "f1" || !m.typing()) {
		m.help.ShowAll = !m.help.ShowAll
		return nil
	}
	if !m.importShown() {
		m.imp.Blur()
	} else if cmd, ok := m.imp.Update(k, m.proxy.Capturing()); ok {
		return cmd
	}
	return m.toScreen(k)
}

// toScreen hands a key to the screen on show.
func (m *Model) toScreen(k tea.KeyPressMsg) tea.Cmd {
	switch m.screen {
	case screenHome:
		if m.home.Update(&m.keys, k) == home.Open {
			return m.openHome(m.home.Selected())
		}
	case screenHTTP:
		act, cmd := m.proxy.Update(k)
		if act == proxy.Home {
			m.show(screenHome)
		}
		return cmd
	case screenLDAP:
		res, cmd := m.ldap.Update(k)
		return tea.Batch(cmd, m.act(res))
	case screenCheck:
		act, cmd := m.check.Update(k)
		switch act {
		case check.Home:
			m.show(screenHome)
		case check.FixHTTP:
			m.show(screenHTTP)
			cmd = tea.Batch(cmd, m.proxy.GotoFirstError())
			m.status.Set("fix the errors first, then check") // after the step changed, which clears the status
		}
		return cmd
	}
	return nil
}

// act does what the LDAP screen asked for.
func (m *Model) act(res ldap.Result) tea.Cmd {
	switch res.Action {
	case ldap.Home:
		m.show(screenHome)
	case ldap.Confirm:
		m.confirm = res.Dialog
	}
	return nil
}

func (m *Model) openHome(e home.Entry) tea.Cmd {
	switch e {
	case home.HTTP:
		m.show(screenHTTP)
		return m.proxy.Goto(m.proxy.Step())
	case home.LDAP:
		m.ldap.Open()
		m.show(screenLDAP)
	case home.Save:
		m.show(screenHTTP)
		return m.proxy.OpenSave()
	case home.Check:
		return m.openCheck(false)
	case home.Quit:
		return m.requestQuit()
	}
	return nil
}

// settingsPath is the settings file saves write.
func (m *Model) settingsPath() string { return m.doc.SettingsPath() }

// homeSummary is what the home screen says about the loaded settings.
func (m *Model) homeSummary() home.Summary {
	s := m.doc.Settings()
	sum := home.Summary{
		Source: m.sourceText(), Proxy: proxySummary(s), Issues: m.doc.Proxy.Issues,
		LDAP: ldapSummary(m.doc), HTTPErrors: m.doc.Proxy.Issues.Errors > 0, Check: m.check.Summary(),
	}
	if save.Snippet(m.doc) {
		sum.Target = m.doc.Target.Path.Value
	}
	return sum
}

// source is where the settings came from: the built-in example, a new
// file, the vendor's JSON, or the file; it changes once they are written.
func (m *Model) source() config.Source {
	if b := m.doc.Base(); b != nil {
		return b.Source()
	}
	return config.FromFile // started without a document (tests): the file is opened by the first save
}

// sourceText says which settings are loaded, for the home screen.
func (m *Model) sourceText() string {
	path := m.settingsPath()
	switch m.source() {
	case config.FromExample:
		return "built-in example (saving writes " + path + ")"
	case config.FromNew:
		return "new file " + path + " (the first save creates it)"
	case config.FromVendorJSON:
		return m.doc.Base().Path() + " (saving writes " + path + ")"
	}
	return path
}

// headerSource is the header's short form of sourceText.
func (m *Model) headerSource() string {
	switch m.source() {
	case config.FromExample:
		return "example"
	case config.FromNew:
		return "new file " + m.settingsPath()
	case config.FromVendorJSON:
		return m.doc.Base().Path()
	}
	return m.settingsPath()
}

// proxySummary is the settings in one line.
func proxySummary(s *render.Settings) string {
	parts := []string{string(s.Provider)}
	if s.ServerName != "" {
		parts = append(parts, s.ServerName)
	}
	if s.HTTP.Enabled {
		parts = append(parts, fmt.Sprintf("HTTP %d", s.HTTP.Port))
	}
	if s.HTTPS.Enabled {
		parts = append(parts, fmt.Sprintf("HTTPS %d", s.HTTPS.Port))
	}
	if s.Docker.Method != render.DockerNone {
		parts = append(parts, fmt.Sprintf("Docker %s (%d)", s.Docker.Method, len(s.Docker.Repositories)))
	}
	if s.IsHA() {
		parts = append(parts, fmt.Sprintf("%d nodes", len(s.Nodes)))
	}
	if s.MTLS.Enabled {
		parts = append(parts, "mTLS")
	}
	return strings.Join(parts, " · ")
}

// ldapSummary is the LDAP section in one line, for the home screen.
func ldapSummary(d *document.Document) string {
	n := len(d.File.LDAP.Settings)
	if n == 0 {
		return "no LDAP settings"
	}
	keys := make([]string, 0, n)
	for _, s := range d.File.LDAP.Settings {
		keys = append(keys, s.Key)
	}
	sum := fmt.Sprintf("%s (%s)", common.CountNoun(n, "setting"), strings.Join(keys, ", "))
	if d.LDAPPlaceholder() {
		sum = "the example's " + sum + ": not saved until edited"
	}
	return sum
}
