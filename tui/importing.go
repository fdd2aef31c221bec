package tui

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"frontdoor/app"
	"frontdoor/importer"
	"frontdoor/importer/conftree"
	"frontdoor/importer/semantic"
	"frontdoor/render"
	"frontdoor/tui/accessible"
	"frontdoor/tui/common"
	"frontdoor/tui/components/confirm"
	"frontdoor/tui/components/pane"
	"frontdoor/tui/components/scroller"
	"frontdoor/tui/document"
	"frontdoor/tui/pages/proxy"
	"frontdoor/tui/pages/save"
)

// Importing the configuration an admin already has (issue 12, package
// importer): when the save target exists and frontdoor did not write it, or
// --config names an nginx or Apache configuration, the wizard offers to
// import it. importer.Import runs in a command; its settings replace the
// HTTP settings (one undo step), and the review step shows, under the
// page, what will change when frontdoor's snippet replaces the old file (the
// semantic diff, kept current as the settings are edited) and the
// directives that were not mapped, with file:line. The save keeps the old
// file as a backup, as every save does.

// importKey gives the import panel the focus on the review step.
var importKey = key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "import report"))

// imports is the root's state of the import.
type imports struct {
	offered map[string]bool // paths asked about this session
	probed  string          // the target path last looked at
	pending *importOffer    // an offer waiting for another dialog to close

	path    string // the file imported ("" before any)
	res     *importer.Result
	changes []semantic.Change
	diffErr error
	diffFor *render.Settings // the settings the changes are for
	diffGen int

	saved bool // a save since the import installed the snippet over the imported file

	view    scroller.Model
	focused bool
	top     int // first body line of the panel (its title), for the mouse

	// drawn is what the panel holds, drawn again only when the diff, the
	// width or the target changed (a big door's diff has thousands of
	// lines; the layout runs on every key).
	drawn    []string
	drawnFor string
	version  int // bumped whenever the changes or their error change
}

// importOffer is a file the wizard offers to import, and why.
type importOffer struct {
	path     string
	provider render.Provider
	given    bool // named with --config (else: the save target)
}

type (
	importCandidateMsg struct{ offer *importOffer } // nil: nothing to offer
	importedMsg        struct {
		path string
		res  *importer.Result
		err  error
	}
	rediffMsg struct {
		gen     int
		changes []semantic.Change
		err     error
	}
)

// probeImport looks at a file in a command: the save target (an nginx or
// Apache configuration frontdoor did not write: importer.Candidate) or the
// file given with --config (any nginx or Apache configuration).
func (m *Model) probeImport(path string, given bool) tea.Cmd {
	candidate := m.opts.ImportCandidate
	return func() tea.Msg {
		var p render.Provider
		var ok bool
		if given {
			p, ok = WebServerConfig(path)
		} else {
			p, ok = candidate(path)
		}
		if !ok {
			return importCandidateMsg{}
		}
		return importCandidateMsg{offer: &importOffer{path: path, provider: p, given: given}}
	}
}

// watchTarget looks at the save target once it is known, and again when
// it changes (another provider, the settings file read again); a target
// the user typed is not looked at (typing it was the choice).
func (m *Model) watchTarget() tea.Cmd {
	t := &m.doc.Target
	path := t.Path.Value
	if !m.doc.Detected() || path == "" || path == m.imp.probed || t.Path.Origin == app.OriginEdited || !save.Snippet(m.doc) {
		return nil
	}
	m.imp.probed = path
	if m.imp.offered[path] || path == m.imp.path {
		return nil
	}
	return m.probeImport(path, false)
}

// importMessage takes the import's messages.
func (m *Model) importMessage(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case importCandidateMsg:
		if o := msg.offer; o != nil && !m.imp.offered[o.path] {
			m.imp.pending = o
		}
	case importedMsg:
		return m.imported(msg)
	case rediffMsg:
		if msg.gen == m.imp.diffGen {
			m.imp.changes, m.imp.diffErr = msg.changes, msg.err
			m.imp.version++
		}
	}
	return nil
}

// askPending opens a waiting offer once nothing else is asked.
func (m *Model) askPending() {
	o := m.imp.pending
	if o == nil || m.confirm != nil || m.save.Saving() || m.quitting || !m.doc.Detected() {
		return // the offer's words depend on where the snippet goes
	}
	m.imp.pending = nil
	if m.imp.offered == nil {
		m.imp.offered = map[string]bool{}
	}
	m.imp.offered[o.path] = true
	question, detail := importQuestion(o, m.doc.Target.Path.Value, false)
	m.confirm = &confirm.Dialog{
		Question: question,
		Detail:   detail,
		Choices: []confirm.Choice{
			{Keys: []string{"i", "enter"}, Label: "import it", Do: func() tea.Cmd {
				m.status.Set("importing " + o.path + "…")
				return importCmd(o)
			}},
		},
		OnCancel: func() tea.Cmd {
			m.status.Set("not imported: " + o.path + " stays as it is until a save replaces it")
			return nil
		},
	}
}

// importQuestion is the offer in words: the question and what importing
// does (readOut: accessible mode, which reads the report out at once).
func importQuestion(o *importOffer, target string, readOut bool) (question, detail string) {
	what := "the save target, and frontdoor did not write it"
	if o.given {
		what = "given with --config: a web server configuration, not frontdoor's settings"
	}
	// What a save then does to the file: replace it (it is the target), or
	// leave it serving beside the new snippet.
	replaced := !o.given || target == "" || target == o.path
	diff := "what will change when frontdoor's snippet replaces it"
	after := " Saving replaces it and keeps the old file as a backup."
	if !replaced {
		diff = "how frontdoor's snippet differs from it"
		after = " Saving writes the snippet to " + target + ": this file stays in place and would serve the same name too; disable it once the new snippet serves, or make it the Target."
	}
	then := "(ctrl+z undoes), and the review step shows " + diff + ", and what could not be mapped"
	if readOut {
		then = "; " + diff + ", and what could not be mapped, are read out"
	}
	return "Import the existing " + string(o.provider) + " configuration?",
		o.path + " is " + what + ". Import it: its server name, listeners, TLS, nodes and Docker " +
			"repositories become the HTTP settings " + then + "." + after
}

func importCmd(o *importOffer) tea.Cmd {
	return func() tea.Msg {
		res, err := importer.Import([]string{o.path}, importer.Options{Provider: o.provider})
		return importedMsg{path: o.path, res: res, err: err}
	}
}

// imported takes an import: its settings become the HTTP settings (one
// undo step) and the review step opens with its report under the page.
func (m *Model) imported(msg importedMsg) tea.Cmd {
	if msg.err != nil {
		m.status.Set("not imported: " + common.FirstLine(msg.err.Error()))
		return nil
	}
	m.status.Set(m.applyImport(msg.path, msg.res) + " (ctrl+z undoes)")
	m.imp.focused = false
	m.screen = screenHTTP
	return tea.Batch(m.proxy.Reloaded(), m.proxy.OpenSave())
}

// applyImport puts the imported settings in place as one undo step and
// keeps the import for the review step; it says what was imported.
func (m *Model) applyImport(path string, res *importer.Result) string {
	m.doc.Checkpoint(document.SectionProxy, "", "")
	m.doc.File.Proxy = res.Settings.Clone()
	m.doc.ProxyChanged()
	m.imp.path, m.imp.res, m.imp.saved = path, res, false
	m.imp.changes, m.imp.diffErr, m.imp.diffFor = res.Changes, nil, nil
	// The diff needs settings that render; an error about the certificate
	// files (which res.Findings include) does not stop that.
	if errs := render.Validate(&res.Settings).Errors(); len(errs) > 0 {
		m.imp.diffErr = fmt.Errorf("the imported settings have %s", common.CountNoun(len(errs), "error"))
	}
	m.imp.view = scroller.New(m.styles.Scroller)
	m.imp.version++
	status := fmt.Sprintf("imported %s: %s mapped", path, common.CountNoun(len(res.Mapped), "setting"))
	if n := len(res.Unmapped); n > 0 {
		status += fmt.Sprintf(", %s not mapped", common.CountNoun(n, "directive"))
	}
	return status
}

// WebServerConfig says whether the file at path is an nginx or Apache
// configuration (frontdoor's own snippets included), and which: `--config`
// naming one opens the wizard with the offer to import it.
func WebServerConfig(path string) (render.Provider, bool) {
	data, err := conftree.ReadFile(path)
	if err != nil {
		return "", false
	}
	return importer.Detect(data)
}

// importOffers are the files to offer to import before accessible mode's
// menu: the one given with --config, and the save target when frontdoor
// did not write it (looked at here: no Bubble Tea, this goroutine may read).
func (m *Model) importOffers() []accessible.Offer {
	var offers []*importOffer
	if m.opts.Import != "" {
		if p, ok := WebServerConfig(m.opts.Import); ok {
			offers = append(offers, &importOffer{path: m.opts.Import, provider: p, given: true})
		}
	}
	if t := m.doc.Target.Path.Value; t != "" && t != m.opts.Import && save.Snippet(m.doc) {
		if p, ok := m.opts.ImportCandidate(t); ok {
			offers = append(offers, &importOffer{path: t, provider: p})
		}
	}
	out := make([]accessible.Offer, len(offers))
	for i, o := range offers {
		question, detail := importQuestion(o, m.doc.Target.Path.Value, true)
		out[i] = accessible.Offer{Question: question, Detail: detail, Do: func() ([]string, error) {
			res, err := importer.Import([]string{o.path}, importer.Options{Provider: o.provider})
			if err != nil {
				return nil, err
			}
			status := m.applyImport(o.path, res)
			m.imp.res = res
			lines := append([]string{strings.ToUpper(status[:1]) + status[1:] + "."}, m.importLines(common.AccessibleWidth)...)
			return lines, nil
		}}
	}
	return out
}

// rediff keeps the semantic diff current: the settings as edited against
// the old configuration (importer.Result.Rediff), in a command.
func (m *Model) rediff() tea.Cmd {
	if m.imp.res == nil {
		return nil
	}
	s := m.doc.Settings()
	if m.imp.diffFor != nil && reflect.DeepEqual(*m.imp.diffFor, *s) {
		return nil
	}
	c := s.Clone()
	m.imp.diffFor = &c
	m.imp.diffGen++
	gen, res := m.imp.diffGen, m.imp.res
	if errs := render.Validate(&c).Errors(); len(errs) > 0 { // not the files': those render
		m.imp.changes, m.imp.diffErr = nil, fmt.Errorf("the settings have %s", common.CountNoun(len(errs), "error"))
		m.imp.version++
		return nil
	}
	return func() tea.Msg {
		changes, err := res.Rediff(&c)
		return rediffMsg{gen: gen, changes: changes, err: err}
	}
}

// importSaved reports whether a save since the import installed the
// snippet over the imported file: the panel's "N changes when saved" is
// then done.
func (m *Model) importSaved() bool {
	return m.imp.saved
}

// importShown reports whether the review step shows the import panel.
func (m *Model) importShown() bool {
	return m.imp.res != nil && m.screen == screenHTTP && m.proxy.Step() == proxy.StepReview
}

// importHeight is the panel's share of a body height tall: its lines, at
// most a third of the body (at least 4).
func (m *Model) importHeight(width, height int) int {
	key := fmt.Sprint(width, " ", m.imp.version, " ", m.doc.Target.Path.Value, " ", m.doc.Settings().ServerName, " ",
		m.imp.saved, " ", len(m.doc.Settings().Docker.Repositories), " ", m.doc.Proxy.Findings.HasErrors())
	if key != m.imp.drawnFor {
		m.imp.drawn, m.imp.drawnFor = m.importLines(width), key
		m.imp.view.SetContent(m.imp.drawn, nil)
	}
	share := height / 3
	if m.imp.focused {
		share = height * 2 / 3 // focused: the report to read; the fields above wait
	}
	return max(4, min(len(m.imp.drawn)+1, share))
}

// importSavedBy notes a save that installed the snippet over the imported
// file: the panel then says the old file is a backup, not what a save
// would change.
func (m *Model) importSavedBy(rep *app.Report) {
	if m.imp.res == nil || !rep.Saved() || m.imp.saved {
		return
	}
	if f := rep.Installed(); f == m.imp.path || rep.Target.Path.Value == m.imp.path {
		m.imp.saved = true
		m.imp.version++
	}
}

// layoutImport sizes the panel under the page (h lines, title included).
func (m *Model) layoutImport(width, top, h int) {
	m.imp.top = top
	pane.Fit(&m.imp.view, width, h-1, m.imp.focused)
}

// importTitle heads the panel: what the import leaves to review, short
// enough for 80 columns (the file is the panel's first line).
func (m *Model) importTitle() string {
	st := &m.styles
	res := m.imp.res
	var parts []string
	switch {
	case m.importSaved():
		parts = append(parts, "saved: the old file is a backup")
	case m.imp.diffErr == nil:
		parts = append(parts, common.CountNoun(len(m.imp.changes), "change")+" when saved")
	}
	if n := len(res.Unmapped); n > 0 {
		parts = append(parts, common.Itoa(n)+" not mapped")
	}
	text := st.Heading.Render("Import")
	if len(parts) > 0 {
		text += "  " + strings.Join(parts, " · ")
	}
	if m.imp.focused {
		return st.LabelFocused.Render(common.GlyphPointer+" ") + text
	}
	return text + st.Subtle.Render("  (ctrl+o: scroll, search, copy)")
}

// importLines are the panel's content: where the file stays, what was not
// mapped (file:line and why), the notes, and what changes when saved, in
// the words of `frontdoor import` (importer.WriteChanges).
func (m *Model) importLines(width int) []string {
	st := &m.styles
	res := m.imp.res
	var out []string
	add := func(style common.Renderer, first, rest, text string) {
		out = append(out, common.WrapPrefixed(text, width, first, rest, style)...)
	}
	add(st.Subtle, "", "  ", fmt.Sprintf("From %s (%s): %s mapped.", m.imp.path, res.Provider, common.CountNoun(len(res.Mapped), "setting")))
	if target := m.doc.Target.Path.Value; target != "" && target != m.imp.path {
		add(st.WarnText, common.GlyphWarning+" ", "  ", m.imp.path+" is not the save target ("+target+"): it stays in place, and both "+
			"would serve "+m.doc.Settings().ServerName+". Disable it once the new snippet serves, or make it the Target to replace it (kept as a backup).")
	}
	if res.Migrated {
		add(st.Subtle, "", "  ", "The Artifactory 6 layout is migrated to 7: / to the router, /artifactory/ to Artifactory.")
	}
	keysMissing := res.DockerKeysUnknown && len(m.doc.Settings().Docker.Repositories) == 0
	if keysMissing {
		add(st.WarnText, common.GlyphWarning+" ", "  ", "The Docker repository keys are not in the configuration: add them on the Docker step.")
	}
	// What was not mapped, in importer.WriteUnmapped's words and layout:
	// the heading, each place and directive, its reason indented under it.
	var unmapped bytes.Buffer
	importer.WriteUnmapped(&unmapped, res.Unmapped)
	for _, l := range strings.Split(strings.TrimSuffix(unmapped.String(), "\n"), "\n") {
		text := strings.TrimLeft(l, " ")
		switch indent := l[:len(l)-len(text)]; {
		case l == "":
		case indent == "":
			out = append(out, common.WrapPrefixed(text, width, "", "", st.Bold)...)
		case len(indent) <= 2:
			add(st.WarnText, indent, indent+"  ", text)
		default:
			add(st.Subtle, indent, indent, text)
		}
	}
	for _, n := range res.Notes {
		// Two notes are about the settings as imported, not as edited
		// since: said only while they still hold (importer words them).
		switch {
		case strings.Contains(n, "names no repository keys") && !keysMissing:
			continue
		case strings.HasPrefix(n, "the imported settings do not validate yet") && !m.doc.Proxy.Findings.HasErrors():
			continue
		}
		add(st.Subtle, "- ", "  ", n)
	}
	if m.importSaved() {
		// The diff was of the old file against the settings to save; the
		// file holds frontdoor's snippet now.
		add(st.Subtle, "", "", m.imp.path+" now holds frontdoor's snippet (the old file is kept as a backup); what changed with the save:")
	}
	if m.imp.diffErr != nil {
		add(st.Subtle, "", "", "What changes: not known until the settings validate ("+m.imp.diffErr.Error()+").")
		return out
	}
	var b bytes.Buffer
	importer.WriteChanges(&b, m.imp.changes)
	for _, l := range strings.Split(strings.Trim(b.String(), "\n"), "\n") {
		indent := l[:len(l)-len(strings.TrimLeft(l, " "))]
		add(changeStyle(st, strings.TrimLeft(l, " ")), indent, indent+"  ", strings.TrimLeft(l, " "))
	}
	return out
}

// changeStyle colours a line of the diff by its mark.
func changeStyle(st *common.Styles, l string) common.Renderer {
	// The marks are semantic's, the one place they are chosen.
	switch {
	case strings.HasPrefix(l, semantic.Added.Mark()+" "):
		return st.OKText
	case strings.HasPrefix(l, semantic.Removed.Mark()+" "):
		return st.ErrorText
	case strings.HasPrefix(l, semantic.Changed.Mark()+" "):
		return st.WarnText
	}
	return st.Value
}

// importKeys handles a key for the panel; false when it is not the
// panel's.
func (m *Model) importKeys(k tea.KeyPressMsg) (tea.Cmd, bool) {
	if !m.importShown() {
		m.imp.focused = false
		return nil, false
	}
	if m.imp.focused {
		if !m.imp.view.Capturing() && (key.Matches(k, m.keys.Back) || key.Matches(k, importKey)) {
			m.imp.focused = false
			return nil, true
		}
		return m.imp.view.Update(k), true
	}
	if key.Matches(k, importKey) && !m.proxy.Capturing() {
		m.imp.focused = true
		return nil, true
	}
	return nil, false
}

// withImportKey adds the panel's key to the review step's help.
type withImportKey struct {
	base interface {
		ShortHelp() []key.Binding
		FullHelp() [][]key.Binding
	}
}

func (h withImportKey) ShortHelp() []key.Binding {
	out := h.base.ShortHelp()
	if n := len(out); n > 0 {
		return append(out[:n-1:n-1], importKey, out[n-1]) // before the help key
	}
	return append(out, importKey)
}

func (h withImportKey) FullHelp() [][]key.Binding {
	return append(h.base.FullHelp(), []key.Binding{importKey})
}

// importKeyMap is the help while the panel has the focus.
type importKeyMap struct {
	view *scroller.Model
	keys *common.Keys
}

func (h importKeyMap) ShortHelp() []key.Binding {
	out := h.view.ShortHelp()
	if h.view.Capturing() {
		return out
	}
	return append(out, common.WithHelp(h.keys.Back, "esc", "back to the fields"), h.keys.Help)
}

func (h importKeyMap) FullHelp() [][]key.Binding {
	out := h.view.FullHelp()
	if h.view.Capturing() {
		return out
	}
	return append(out, []key.Binding{common.WithHelp(h.keys.Back, "esc/ctrl+o", "back to the fields"), h.keys.Quit})
}
