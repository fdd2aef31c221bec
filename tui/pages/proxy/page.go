package proxy

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"frontdoor/app"
	"frontdoor/config"
	"frontdoor/render"
	"frontdoor/tui/common"
	"frontdoor/tui/components/form"
	"frontdoor/tui/components/highlight"
	"frontdoor/tui/components/scroller"
	"frontdoor/tui/document"
	"frontdoor/tui/pages/save"
)

// Options are what the page takes from the wizard's options.
type Options struct {
	// Debounce is the pause in typing before files are read again
	// (certificates, the file at the target); 0 reads at once.
	Debounce         time.Duration
	ReadFile         func(path string) ([]byte, error)
	LoadCertificates func(certPath, keyPath string) *render.CertInfo
	LoadClientCA     func(path string) *render.ClientCAInfo
	// Resolve says where a provider's snippet goes and how it is checked
	// and reloaded, each choice with its origin (app.Resolve with the
	// wizard's flags and the save: section of loaded). It is asked for
	// every provider in a command at start, and again after the settings
	// file was read again.
	Resolve func(p render.Provider, loaded *config.File) (app.Target, error)
}

// Page is the HTTP settings screen.
type Page struct {
	st     *common.Styles
	keys   *common.Keys
	status *common.Status
	doc    *document.Document
	save   *save.Model
	opts   Options
	hl     *highlight.Highlighter

	forms      [StepCount]*form.Form[document.Document]
	scroll     [StepCount]form.Scroll
	step       Step
	stepIssues [StepCount]common.IssueCount

	preview     preview
	previewOpen bool // narrow: the preview replaces the form; wide: the preview has the focus
	blurred     bool // the focus is outside the page (the root's import report): no pointer
	gen         int  // bumped on every change; previews of older generations are dropped

	// report shows the running save's steps as they happen, then the last
	// save's report, below the review step's fields; tab past the buttons
	// gives it the focus.
	report        scroller.Model
	reportFocused bool
	reportOf      *save.Done // the report it holds (nil: the running save's steps)
	reportSteps   int        // how many steps of the running save it holds
	reportWidth   int        // the width it was wrapped for
	reportTop     int        // first screen line of the report pane (title), for the mouse
	placeReport   bool       // a save just ended: open its report where a step failed
	reportLines   []string   // what the report pane holds
	reportBig     bool       // a save just ran: the report takes more room until the fields have the keys again

	// settingsGen counts edits of the settings: the validation on this
	// machine (app.ValidateHere) is for one generation. probing and
	// validating are what the review step's checks were last started for.
	settingsGen int
	probing     string
	validating  int

	certWant certRequest // the certificate files last asked for
	stepNews string      // the status line's news about the step on show ("undone"), cleared by Goto
	certGen  int

	nodesWant []string // node names last looked up, and for which provider
	nodesOf   render.Provider
	nodesGen  int

	targetFile targetContent
	targetGen  int

	width, height int
	shown         bool     // the page was shown: the preview renders from then on
	formLines     []string // the form column as laid out
	// previewOnly: the last message changed the preview alone (a finished
	// preview job), so the next layout keeps the form column as it is.
	previewOnly bool
}

// SetBlurred says the focus is outside the page (on a panel the root draws
// under it, the import report): the form then draws no pointer nor live
// editor, so only one thing on screen looks focused.
func (p *Page) SetBlurred(on bool) { p.blurred = on }

// New builds the page over the document. It does no IO: Init's commands do.
func New(st *common.Styles, keys *common.Keys, status *common.Status, doc *document.Document, sv *save.Model, opts Options) *Page {
	p := &Page{st: st, keys: keys, status: status, doc: doc, save: sv, opts: opts}
	p.preview = newPreview(st)
	p.report = scroller.New(st.Scroller)
	// app renders the report at the pane's width, breaking at spaces; a
	// path longer than the whole width (a long --root) wraps onto the rows
	// under it rather than ending in a › at the edge.
	p.report.SetWrap(true)
	fields := stepFields(st)
	fields[StepReview] = sv.Fields(st)
	for sid := range StepCount {
		f := form.New(st, keys, doc, fields[sid])
		f.BeforeEdit = func(group, where string) { doc.Checkpoint(document.SectionProxy, group, where) }
		p.forms[sid] = f
	}
	p.countSteps() // the document validated itself
	p.form().Load()
	p.preview.followField(p.form().FocusLabel(), 1) // the first preview
	return p
}

// Init starts the first preview and the reads the screen depends on: the
// targets of every provider (unless detected before the program started),
// then the file at the target; the certificates.
func (p *Page) Init() tea.Cmd {
	cmds := []tea.Cmd{p.previewCmd(), p.reloadTarget(true), p.nodesCmd(true)}
	if !p.doc.Detected() {
		cmds[1] = p.Redetect()
	}
	if c := p.certCmd(true); c != nil {
		cmds = append(cmds, c)
	}
	return tea.Batch(cmds...)
}

// SetHighlighter sets the preview's highlighter (nil: no colour).
func (p *Page) SetHighlighter(hl *highlight.Highlighter) { p.hl = hl }

// StylesChanged follows new styles into the editors and scrollers.
func (p *Page) StylesChanged() {
	for _, f := range p.forms {
		f.StylesChanged()
	}
	p.preview.restyle(p.st)
	p.report.SetStyles(p.st.Scroller)
}

func (p *Page) form() *form.Form[document.Document] { return p.forms[p.step] }

// Step is the step on show.
func (p *Page) Step() Step { return p.step }

// Form is a step's form (tests, accessible mode).
func (p *Page) Form(s Step) *form.Form[document.Document] { return p.forms[s] }

// StepIssues are the findings counted per step (the review step counts all).
func (p *Page) StepIssues(s Step) common.IssueCount { return p.stepIssues[s] }

// Typing reports whether printable keys go into a field now.
func (p *Page) Typing() bool {
	switch {
	case p.previewOpen:
		return p.preview.view.Capturing()
	case p.reportShown() && p.reportFocused:
		return p.report.Capturing()
	}
	return p.form().Typing()
}

// Capturing reports whether a search prompt takes every key, ctrl+c and
// esc included.
func (p *Page) Capturing() bool {
	return (p.previewOpen && p.preview.view.Capturing()) || (p.reportShown() && p.reportFocused && p.report.Capturing())
}

// reportShown reports whether the review step shows a save report: the
// running save's steps, or the last save's report.
func (p *Page) reportShown() bool {
	return p.step == StepReview && (p.save.Last() != nil || p.save.Saving())
}

// Message takes the result of one of the page's commands.
func (p *Page) Message(msg Msg) tea.Cmd {
	switch msg := msg.(type) {
	case previewMsg:
		if msg.res.gen == p.gen {
			p.preview.set(msg.res)
		}
		p.previewOnly = true
	case certTickMsg:
		if msg.gen == p.certGen {
			return loadCertsCmd(&p.opts, p.certWant)
		}
	case nodesTickMsg:
		if msg.gen == p.nodesGen {
			return nodesCmd(p.nodesOf, p.nodesWant)
		}
	case nodesMsg:
		if p.doc.SetNodeFindings(msg.provider, msg.nodes, msg.findings) {
			p.countSteps()
		}
	case certsLoadedMsg:
		if p.doc.SetCerts(msg.info) {
			p.countSteps()
		}
	case targetsMsg:
		p.doc.SetDetected(msg.targets)
		return tea.Batch(p.reloadTarget(true), p.reviewChecks())
	case saveTargetsMsg:
		return p.saveTargetsResolved(msg)
	case targetTickMsg:
		if msg.gen == p.targetGen {
			return loadTargetCmd(p.opts.ReadFile, p.doc.Target.Path.Value)
		}
	case targetLoadedMsg:
		if msg.content.path == p.doc.Target.Path.Value {
			p.targetFile = msg.content
			return p.previewCmd()
		}
	}
	return nil
}

// Action is what a key on the page asks of the root.
type Action int

const (
	None Action = iota
	Home        // leave for the home screen
)

// Update handles a key on the page.
func (p *Page) Update(k tea.KeyPressMsg) (Action, tea.Cmd) {
	keys := p.keys
	if p.previewOpen {
		leave, say, cmd := p.preview.update(keys, k)
		if say != "" {
			p.status.Set(say)
		}
		if leave {
			p.previewOpen = false
			p.preview.close()
		}
		return None, cmd
	}
	if p.reportShown() && p.reportFocused {
		if !p.report.Capturing() {
			switch {
			case key.Matches(k, keys.Back), k.String() == "shift+tab":
				p.reportFocused = false
				return None, nil
			case key.Matches(k, keys.Save):
				return None, p.StartSave()
			}
		}
		return None, p.report.Update(k)
	}
	if p.reportShown() && key.Matches(k, keys.Next) && p.form().AtLast() {
		p.reportFocused = true // past the Save button: the report
		return None, nil
	}
	switch {
	case key.Matches(k, keys.Preview):
		p.previewOpen = true
		p.preview.open()
		return None, nil
	case key.Matches(k, keys.Save):
		if p.step != StepReview {
			return None, p.OpenSave()
		}
		return None, p.StartSave()
	case key.Matches(k, keys.Undo):
		return None, p.Undo()
	case key.Matches(k, keys.NextStep):
		if p.step < StepReview {
			return None, p.Goto(p.step + 1)
		}
		return None, nil
	case key.Matches(k, keys.PrevStep):
		return None, p.Goto(p.step - 1)
	case key.Matches(k, keys.Back):
		if p.step == StepProvider {
			return Home, nil
		}
		return None, p.Goto(p.step - 1)
	}
	p.reportBig = false // back in the fields: they get the room
	f := p.form()
	fd := f.Focused()
	provider := p.doc.File.Proxy.Provider
	ev, cmd := f.Update(k)
	switch ev {
	case form.Changed:
		return None, tea.Batch(cmd, p.changed(fd, provider))
	case form.RowsChanged:
		return None, tea.Batch(cmd, p.changed(fd, provider), p.focusChanged())
	case form.Moved:
		return None, p.focusChanged()
	case form.PastEnd:
		if p.step < StepReview {
			return None, p.Goto(p.step + 1)
		}
	case form.Activated:
		if fd != nil && fd.Action == save.ActionSettingsOnly {
			return None, p.SaveSettingsOnly()
		}
		return None, p.StartSave()
	}
	return None, cmd
}

// Wheel scrolls what is under the mouse: the preview, or the save report
// (x and y are cells of the page).
func (p *Page) Wheel(msg tea.MouseWheelMsg, x, y int) tea.Cmd {
	switch {
	case p.previewOpen, p.wide() && x >= p.formWidth()+3:
		p.preview.follow = false
		return p.preview.view.Update(msg)
	case p.reportShown() && y > p.reportTop:
		return p.report.Update(msg)
	}
	return nil
}

// Paste puts pasted text into the focused field, or the search prompt.
func (p *Page) Paste(msg tea.PasteMsg) tea.Cmd {
	switch {
	case p.previewOpen:
		return p.preview.view.Update(msg)
	case p.reportShown() && p.reportFocused:
		return p.report.Update(msg)
	}
	f := p.form()
	fd := f.Focused()
	provider := p.doc.File.Proxy.Provider
	if ev, cmd := f.Paste(msg); ev == form.Changed {
		return tea.Batch(cmd, p.changed(fd, provider))
	}
	return nil
}

// Goto shows step s (clamped) and starts what that step needs.
func (p *Page) Goto(s Step) tea.Cmd {
	p.shown = true
	s = max(0, min(s, StepCount-1))
	if s != p.step && p.stepNews != "" && p.status.String() == p.stepNews {
		p.status.Clear() // "undone" was about the step left
	}
	p.stepNews = ""
	p.step = s
	p.reportFocused = false
	p.form().FixFocus(+1)
	cmds := []tea.Cmd{p.focusChanged(), p.reviewChecks()}
	if p.step == StepReview {
		cmds = append(cmds, p.Redetect()) // its notes are about the machine now
	}
	return tea.Batch(cmds...)
}

// OpenSave shows the review step with the focus on the Save button.
func (p *Page) OpenSave() tea.Cmd {
	p.forms[StepReview].FocusKind(form.Button)
	return p.Goto(StepReview)
}

// GotoFirstError shows the step and field of the first error.
func (p *Page) GotoFirstError() tea.Cmd {
	for _, f := range p.doc.Proxy.Findings {
		if f.Severity != render.Error {
			continue
		}
		return p.FocusPath(f.Path)
	}
	return nil
}

// FocusPath shows the step and field of a settings path.
func (p *Page) FocusPath(path string) tea.Cmd {
	sid := p.StepOf(path)
	cmd := p.Goto(sid)
	if p.forms[sid].FocusPath(path) {
		return tea.Batch(cmd, p.focusChanged())
	}
	return cmd
}

// Undo puts the HTTP settings back as they were before the last edit, and
// shows where that edit was.
func (p *Page) Undo() tea.Cmd {
	where, ok := p.doc.Undo(document.SectionProxy)
	if !ok {
		p.sayOnStep("nothing to undo")
		return nil
	}
	p.settingsGen++
	p.countSteps() // Undo validated the document
	cmds := []tea.Cmd{p.certCmd(false), p.nodesCmd(false)}
	if p.doc.Target.Path.Value != p.targetFile.path {
		cmds = append(cmds, p.reloadTarget(false))
	}
	for _, f := range p.forms {
		f.FixFocus(+1)
	}
	if where != "" {
		cmds = append(cmds, p.FocusPath(where))
	} else {
		cmds = append(cmds, p.focusChanged())
	}
	p.sayOnStep("undone") // on the step of the edit undone
	return tea.Batch(cmds...)
}

// sayOnStep puts news about the step on show on the status line; it goes
// when another step is shown.
func (p *Page) sayOnStep(text string) {
	p.status.Set(text)
	p.stepNews = text
}

// focusChanged loads the editor for the new focus and renders the preview
// again, whose marks follow the focus.
func (p *Page) focusChanged() tea.Cmd {
	f := p.form()
	f.Load()
	p.doc.EndGroup(document.SectionProxy)
	cmd := p.previewCmd()
	p.preview.followField(f.FocusLabel(), p.gen)
	return cmd
}

// changed follows an edit: settings edits validate again and render the
// preview, save target edits read the file at the target again.
func (p *Page) changed(fd *form.Field[document.Document], providerBefore render.Provider) tea.Cmd {
	p.status.Clear()
	if fd == nil || fd.Path == "" {
		if p.doc.Target.Path.Value != p.targetFile.path {
			return tea.Batch(p.reloadTarget(false), p.reviewChecks())
		}
		return p.reviewChecks()
	}
	if !render.UsesCertificateFiles(&p.doc.File.Proxy) && p.doc.Certs != nil {
		// Kubernetes, or Caddy obtaining its own: files read for another
		// provider say nothing now (and are read again when one uses them).
		p.doc.Certs, p.certWant = nil, certRequest{}
	}
	p.revalidated()
	cmds := []tea.Cmd{p.previewCmd(), p.certCmd(false), p.nodesCmd(false), p.reviewChecks()}
	if p.doc.File.Proxy.Provider != providerBefore && p.doc.Target.Path.Value != p.targetFile.path {
		cmds = append(cmds, p.reloadTarget(true)) // the target followed the provider
	}
	return tea.Batch(cmds...)
}

// revalidated validates the document after a change, and counts the
// findings per step.
func (p *Page) revalidated() {
	p.settingsGen++
	p.doc.ProxyChanged()
	p.countSteps()
}

// countSteps counts the findings per step.
func (p *Page) countSteps() {
	p.stepIssues = [StepCount]common.IssueCount{}
	for _, f := range p.doc.Proxy.Findings {
		p.stepIssues[p.StepOf(f.Path)].Add(f)
	}
	p.stepIssues[StepReview] = p.doc.Proxy.Issues
}

// StepOf maps a finding path to the step whose field shows it; findings no
// field shows belong to the review step, which lists everything.
func (p *Page) StepOf(path string) Step {
	for sid := range StepCount {
		if p.forms[sid].HasPath(path) {
			return sid
		}
	}
	return StepReview
}
