// Package importing is the import of the configuration an admin already has
// (issue 12, package importer): when the save target exists and frontdoor
// did not write it, or --config names an nginx or Apache configuration, the
// wizard offers to import it. importer.Import runs in a command; its
// settings replace the HTTP settings (one undo step), and the review step
// shows, under the page, this package's panel: what will change when
// frontdoor's snippet replaces the old file (the semantic diff, kept current
// as the settings are edited) and the directives that were not mapped, with
// file:line. The save keeps the old file as a backup, as every save does.
//
// The root model routes to the Panel: it asks for the offer's dialog once
// no other dialog is open, says when the panel is on show (the review
// step), gives it its share of the layout and its keys, and draws it.
package importing

import (
	"fmt"
	"reflect"
	"strings"

	tea "charm.land/bubbletea/v2"

	"frontdoor/app"
	"frontdoor/importer"
	"frontdoor/importer/conftree"
	"frontdoor/importer/semantic"
	"frontdoor/render"
	"frontdoor/tui/common"
	"frontdoor/tui/components/confirm"
	"frontdoor/tui/components/scroller"
	"frontdoor/tui/document"
	"frontdoor/tui/pages/save"
)

// Options tune the panel.
type Options struct {
	// Candidate says whether the file at the save target is a
	// configuration to offer to import (importer.Candidate: an nginx or
	// Apache configuration frontdoor did not write).
	Candidate func(path string) (render.Provider, bool)
}

// Offer is a file the wizard offers to import, and why.
type Offer struct {
	Path     string
	Provider render.Provider
	Given    bool // named with --config (else: the save target)
}

// Msg is one of the package's messages, for the root to route to Message.
type Msg interface{ importingMsg() }

type (
	candidateMsg struct{ offer *Offer } // nil: nothing to offer
	importedMsg  struct {
		path  string
		files []conftree.File // as read for the import: a save replaces the file
		opts  importer.Options
		res   *importer.Result
		err   error
	}
	// reclassifiedMsg is the import run again for another save target.
	reclassifiedMsg struct {
		gen int
		res *importer.Result
	}
	rediffMsg struct {
		gen     int
		changes []semantic.Change
		err     error
	}
)

func (candidateMsg) importingMsg()    {}
func (importedMsg) importingMsg()     {}
func (rediffMsg) importingMsg()       {}
func (reclassifiedMsg) importingMsg() {}

// Action is what a message asks of the root.
type Action int

const (
	None   Action = iota
	Review        // imported: open the review step, where the panel shows
)

// Panel is the import: the offers asked this session, and the last import
// with its report.
type Panel struct {
	st     *common.Styles
	keys   *common.Keys
	status *common.Status
	doc    *document.Document
	opts   Options

	offered map[string]bool // paths asked about this session
	probed  string          // the target path last looked at
	pending *Offer          // an offer waiting for another dialog to close

	path    string // the file imported ("" before any)
	res     *importer.Result
	changes []semantic.Change
	diffErr error
	diffFor *render.Settings // the settings the changes are for
	diffGen int

	saved bool // a save since the import installed the snippet over the imported file

	// What a save replaces decides the words of another site in the file
	// (dropped with it, or left as it is): the import's classification is
	// run again, from the files as read then, when the save target changes.
	files         []conftree.File
	importOpts    importer.Options // of the import (or its last run again)
	reclassifyGen int

	view    scroller.Model
	focused bool

	// drawn is what the panel holds, drawn again only when the diff, the
	// width or the target changed (a big door's diff has thousands of
	// lines; the layout runs on every key).
	drawn    []string
	drawnFor string
	version  int // bumped whenever the changes or their error change
}

// New builds the panel over the document (the settings as edited).
func New(st *common.Styles, keys *common.Keys, status *common.Status, doc *document.Document, opts Options) *Panel {
	if opts.Candidate == nil {
		opts.Candidate = importer.Candidate
	}
	return &Panel{st: st, keys: keys, status: status, doc: doc, opts: opts, view: scroller.New(st.Scroller)}
}

// StylesChanged follows new styles: the panel is drawn again in them.
func (p *Panel) StylesChanged() {
	p.view.SetStyles(p.st.Scroller)
	p.drawnFor = ""
}

// Probe looks at a file in a command: the save target (an nginx or Apache
// configuration frontdoor did not write: Options.Candidate) or the file
// given with --config (any nginx or Apache configuration).
func (p *Panel) Probe(path string, given bool) tea.Cmd {
	candidate := p.opts.Candidate
	return func() tea.Msg {
		var pr render.Provider
		var ok bool
		if given {
			pr, ok = WebServerConfig(path)
		} else {
			pr, ok = candidate(path)
		}
		if !ok {
			return candidateMsg{}
		}
		return candidateMsg{offer: &Offer{Path: path, Provider: pr, Given: given}}
	}
}

// Watch looks at the save target once it is known, and again when it
// changes (another provider, the settings file read again); a target the
// user typed is not looked at (typing it was the choice).
func (p *Panel) Watch() tea.Cmd {
	t := &p.doc.Target
	path := t.Path.Value
	if !p.doc.Detected() || path == "" || path == p.probed || t.Path.Origin == app.OriginEdited || !save.Snippet(p.doc) {
		return nil
	}
	p.probed = path
	if p.offered[path] || path == p.path {
		return nil
	}
	return p.Probe(path, false)
}

// Message takes one of the package's messages; Review when an import was
// put in place.
func (p *Panel) Message(msg Msg) (Action, tea.Cmd) {
	switch msg := msg.(type) {
	case candidateMsg:
		if o := msg.offer; o != nil && !p.offered[o.Path] {
			p.pending = o
		}
	case importedMsg:
		if msg.err != nil {
			p.status.Set("not imported: " + common.FirstLine(msg.err.Error()))
			return None, nil
		}
		p.status.Set(p.Apply(msg.path, msg.res) + " (ctrl+z undoes)")
		p.files, p.importOpts = msg.files, msg.opts
		p.focused = false
		return Review, nil
	case reclassifiedMsg:
		if msg.gen == p.reclassifyGen && p.res != nil {
			// The settings stay as imported (and edited): only the words
			// that depend on the target change.
			r := *p.res
			r.Unmapped, r.Outside = msg.res.Unmapped, msg.res.Outside
			p.res = &r
			p.version++
		}
	case rediffMsg:
		if msg.gen == p.diffGen {
			p.changes, p.diffErr = msg.changes, msg.err
			p.version++
		}
	}
	return None, nil
}

// Ask is the dialog of an offer waiting to be asked (nil: none). The root
// calls it once nothing else is asked and the targets are known: the
// offer's words depend on where the snippet goes.
func (p *Panel) Ask() *confirm.Dialog {
	o := p.pending
	if o == nil {
		return nil
	}
	p.pending = nil
	if p.offered == nil {
		p.offered = map[string]bool{}
	}
	p.offered[o.Path] = true
	question, detail := Question(o, p.doc.Target.Path.Value, false)
	return &confirm.Dialog{
		Question: question,
		Detail:   detail,
		Choices: []confirm.Choice{
			{Keys: []string{"i", "enter"}, Label: "import it", Do: func() tea.Cmd {
				p.status.Set("importing " + o.Path + "…")
				return importCmd(o, p.importOptions(o))
			}},
		},
		OnCancel: func() tea.Cmd {
			p.status.Set("not imported: " + o.Path + " stays as it is until a save replaces it")
			return nil
		},
	}
}

// Question is the offer in words: the question and what importing does
// (readOut: accessible mode, which reads the report out at once).
func Question(o *Offer, target string, readOut bool) (question, detail string) {
	what := "the save target, and frontdoor did not write it"
	if o.Given {
		what = "given with --config: a web server configuration, not frontdoor's settings"
	}
	// What a save then does to the file: replace it (it is the target), or
	// leave it serving beside the new snippet.
	replaced := !o.Given || target == "" || target == o.Path
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
	return "Import the existing " + string(o.Provider) + " configuration?",
		o.Path + " is " + what + ". Import it: its server name, listeners, TLS, nodes and Docker " +
			"repositories become the HTTP settings " + then + "." + after
}

// importOptions are an import's: the offer's web server, and the file the
// save replaces (the target, "" when not known), so another site in it is
// listed as dropped with it (when the wizard imports its own save target),
// never as left as it is.
func (p *Panel) importOptions(o *Offer) importer.Options {
	return importer.Options{Provider: o.Provider, SaveTarget: p.doc.Target.Path.Value}
}

func importCmd(o *Offer, opts importer.Options) tea.Cmd {
	return func() tea.Msg {
		files, res, err := importFile(o.Path, opts)
		return importedMsg{path: o.Path, files: files, opts: opts, res: res, err: err}
	}
}

// importFile is importer.Import of one file, with the file as read.
func importFile(path string, opts importer.Options) ([]conftree.File, *importer.Result, error) {
	data, err := conftree.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	files := []conftree.File{{Path: path, Data: data}}
	res, err := importer.ImportFiles(files, opts)
	return files, res, err
}

// Reclassify runs the import again, in a command, when the save target
// changed since it ran (another provider, a target typed or detected):
// another site in the imported file is dropped with it only when the save
// replaces that file, and is left as it is otherwise.
func (p *Panel) Reclassify() tea.Cmd {
	target := p.doc.Target.Path.Value
	if p.res == nil || p.files == nil || target == p.importOpts.SaveTarget {
		return nil
	}
	p.importOpts.SaveTarget = target
	p.reclassifyGen++
	gen, files, opts := p.reclassifyGen, p.files, p.importOpts
	return func() tea.Msg {
		res, err := importer.ImportFiles(files, opts)
		if err != nil {
			return nil // it imported before, from the same bytes
		}
		return reclassifiedMsg{gen: gen, res: res}
	}
}

// Apply puts the imported settings in place as one undo step and keeps
// the import for the review step; it says what was imported.
func (p *Panel) Apply(path string, res *importer.Result) string {
	p.doc.Checkpoint(document.SectionProxy, "", "")
	p.doc.File.Proxy = res.Settings.Clone()
	p.doc.ProxyChanged()
	p.path, p.res, p.saved = path, res, false
	p.changes, p.diffErr, p.diffFor = res.Changes, nil, nil
	// The diff needs settings that render; an error about the certificate
	// files (which res.Findings include) does not stop that.
	if errs := render.Validate(&res.Settings).Errors(); len(errs) > 0 {
		p.diffErr = fmt.Errorf("the imported settings have %s", common.CountNoun(len(errs), "error"))
	}
	p.view = scroller.New(p.st.Scroller)
	p.version++
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

// Offers are the files to offer to import before accessible mode's menu:
// the one given with --config (given: "" for none), and the save target
// when frontdoor did not write it. They are looked at here: accessible
// mode has no Bubble Tea, its goroutine may read.
func (p *Panel) Offers(given string) []*Offer {
	var offers []*Offer
	if given != "" {
		if pr, ok := WebServerConfig(given); ok {
			offers = append(offers, &Offer{Path: given, Provider: pr, Given: true})
		}
	}
	if t := p.doc.Target.Path.Value; t != "" && t != given && save.Snippet(p.doc) {
		if pr, ok := p.opts.Candidate(t); ok {
			offers = append(offers, &Offer{Path: t, Provider: pr})
		}
	}
	return offers
}

// ImportNow imports an offer in place (accessible mode) and says what it
// did: the status, then the panel's report at width.
func (p *Panel) ImportNow(o *Offer, width int) ([]string, error) {
	opts := p.importOptions(o)
	files, res, err := importFile(o.Path, opts)
	if err != nil {
		return nil, err
	}
	status := p.Apply(o.Path, res)
	p.files, p.importOpts = files, opts
	return append([]string{strings.ToUpper(status[:1]) + status[1:] + "."}, p.Lines(width)...), nil
}

// Rediff keeps the semantic diff current: the settings as edited against
// the old configuration (importer.Result.Rediff), in a command.
func (p *Panel) Rediff() tea.Cmd {
	if p.res == nil {
		return nil
	}
	s := p.doc.Settings()
	if p.diffFor != nil && reflect.DeepEqual(*p.diffFor, *s) {
		return nil
	}
	c := s.Clone()
	p.diffFor = &c
	p.diffGen++
	gen, res := p.diffGen, p.res
	if errs := render.Validate(&c).Errors(); len(errs) > 0 { // not the files': those render
		p.changes, p.diffErr = nil, fmt.Errorf("the settings have %s", common.CountNoun(len(errs), "error"))
		p.version++
		return nil
	}
	return func() tea.Msg {
		changes, err := res.Rediff(&c)
		return rediffMsg{gen: gen, changes: changes, err: err}
	}
}

// SavedBy notes a save that installed the snippet over the imported file:
// the panel then says the old file is a backup, not what a save would
// change.
func (p *Panel) SavedBy(rep *app.Report) {
	if p.res == nil || !rep.Saved() || p.saved {
		return
	}
	if f := rep.Installed(); f == p.path || rep.Target.Path.Value == p.path {
		p.saved = true
		p.version++
	}
}

// Imported reports whether there is an import to show (the review step
// then shows the panel).
func (p *Panel) Imported() bool { return p.res != nil }

// Result is the last import (nil: none). A caller that changes it calls
// Changed.
func (p *Panel) Result() *importer.Result { return p.res }

// Changed says the import's result changed: the panel is drawn again.
func (p *Panel) Changed() { p.version++ }

// Changes are what a save would change, as last diffed, and why they are
// not known (nil: they are).
func (p *Panel) Changes() ([]semantic.Change, error) { return p.changes, p.diffErr }
