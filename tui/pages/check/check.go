// Package check is the wizard's Check screen: `frontdoor check` from the
// wizard. It checks the door the settings describe from a client's side
// (doorcheck.Run: DNS, TCP, TLS, the redirect, Artifactory through the door,
// each Docker repository's token realm, request streaming, encoded slashes)
// in a command, each step streamed into the one scroller as it ends, with
// the cause and fix of each failure; esc cancels. It asks what curl's
// --resolve would give (an address every name goes to instead of DNS) and,
// for the Docker login steps, a user and a password that is kept for one
// run and never stored; a CA file is trusted besides the system's CAs, as
// --ca does (a door with a private CA). The last run stays for when the screen is opened
// again (and for the home screen's summary).
package check

import (
	"crypto/x509"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"frontdoor/doorcheck"
	"frontdoor/render"
	"frontdoor/tui/common"
	"frontdoor/tui/components/form"
	"frontdoor/tui/components/scroller"
	"frontdoor/tui/document"
)

// Options tune the runs (tests trust their own CA and shorten waits).
type Options struct {
	// Timeout bounds each network step; zero means doorcheck's default.
	Timeout time.Duration
	// Roots are the CAs trusted when no CA file is given; nil means the
	// system's, as for clients.
	Roots *x509.CertPool
	// StreamingWait is doorcheck.Options.StreamingWait (zero: its default).
	StreamingWait time.Duration
	// NoSpin leaves the spinner out of the command queue (tests).
	NoSpin bool
	// Now is the clock of "checked at"; nil means time.Now.
	Now func() time.Time
}

// Inputs are the screen's questions. The password lives here and in the
// form's editor only: copied into the run's options when it starts and
// cleared at that moment, never stored, never drawn (only as •).
type Inputs struct {
	Address, CAFile, User, Password string
}

// Positions of the fields.
const (
	fieldAddress = iota
	fieldCAFile
	fieldUser
	fieldPassword
	fieldRun
)

// Paths of the fields with findings.
const (
	addressPath = "address"
	caFilePath  = "caFile"
)

// Run is one check: what it checked, its steps so far and its result.
type Run struct {
	Title     string   // doorcheck's plan title: "artifactory.example.com (nginx, frontdoor.yaml)"
	Endpoints []string // what clients type: scheme://host:port
	Address   string   // where every name went ("": DNS)
	CAFile    string   // the CA file trusted besides the system's ("": none)
	User      string   // the Docker login ("": anonymous)
	At        time.Time
	Steps     []doorcheck.Step
	Result    *doorcheck.Result // nil while it runs
	settings  render.Settings   // what it planned from: a later edit makes it out of date
}

// Action is what a key on the screen asks of the root.
type Action int

const (
	None    Action = iota
	Home           // leave for the home screen
	FixHTTP        // show the first error of the HTTP settings (a run needs none)
)

// Page is the Check screen.
type Page struct {
	st     *common.Styles
	keys   *common.Keys
	status *common.Status
	doc    *document.Document
	opts   Options

	inputs Inputs
	form   *form.Form[Inputs]

	job checkJob
	run *Run // the run on show: the one going, or the last one

	results        scroller.Model
	resultsFocused bool
	resultsTop     int
	drawn          drawn // what the results hold
	placeSummary   bool  // a run ended: bring its summary into view

	width, height int
	lines         []string    // the head as laid out
	scroll        form.Scroll // the fields' window when they and the results do not both fit

	shown  bool   // the screen is on show: its news goes to the status line
	unseen string // news that came while another screen was on show

	ca caState // the CA file as last read, for its live finding
}

// drawn is what the results scroller holds, so a layout only draws what
// changed: a check of a thousand repositories has thousands of lines.
type drawn struct {
	run     *Run
	steps   int
	width   int
	lines   []string
	summary int // the summary's first line (-1: not yet)
}

// New builds the screen over the document (the settings as edited).
func New(st *common.Styles, keys *common.Keys, status *common.Status, doc *document.Document, opts Options) *Page {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	p := &Page{st: st, keys: keys, status: status, doc: doc, opts: opts, job: newJob(opts.NoSpin)}
	p.form = form.New(st, keys, &p.inputs, Fields(st, p.tls, p.docker, p.describe))
	p.results = scroller.New(st.Scroller)
	p.results.SetFollowTail(true)
	return p
}

// SetOptions replaces the run options (tests).
func (p *Page) SetOptions(o Options) {
	if o.Now == nil {
		o.Now = time.Now
	}
	p.opts = o
	p.job.SetNoSpin(o.NoSpin)
}

// StylesChanged follows new styles into the editor and the scroller.
func (p *Page) StylesChanged() {
	p.form.StylesChanged()
	p.results.SetStyles(p.st.Scroller)
	p.drawn = drawn{}
}

// Questions are the screen's fields over its answers, for accessible mode
// to ask one by one (the button last).
func (p *Page) Questions() (*Inputs, []form.Field[Inputs]) { return &p.inputs, p.form.Fields() }

// Intro says what the check does.
func Intro() string { return intro }

// Open shows the screen. local suggests this machine's listeners (right
// after a save that reloaded the web server here): 127.0.0.1 goes into an
// empty address, unless a load balancer in front is what clients reach.
// The status line becomes the screen's: a verdict that came in while
// another screen was on show, else nothing of the screen left before. The
// command reads the CA file typed (a remembered path, or one set without
// keys): it may have changed while the screen was away.
func (p *Page) Open(local bool) tea.Cmd {
	if local && p.inputs.Address == "" && !p.doc.Settings().Public.IsSet() {
		p.inputs.Address = "127.0.0.1"
	}
	p.SetShown(true)
	if p.unseen != "" {
		p.status.Set(p.unseen)
		p.unseen = ""
	} else {
		p.status.Clear()
	}
	p.resultsFocused = false
	p.form.FixFocus(+1)
	if !p.job.Running() {
		p.form.SetFocus(fieldRun)
	}
	p.form.Load()
	return p.askCAFile(true)
}

// SetShown says whether the screen is on show, so its news goes to the
// status line only then (the status line belongs to the screen on show): a
// run that ends while another screen is open keeps its verdict for the
// screen's return, and its title and the home summary say it meanwhile.
func (p *Page) SetShown(on bool) { p.shown = on }

// say puts the screen's news on the status line, or keeps it for the
// screen's return while another screen is on show.
func (p *Page) say(news string) {
	if p.shown {
		p.status.Set(news)
		p.unseen = ""
		return
	}
	p.unseen = news
}

// Inputs are the answers as typed (the password only until a run starts).
func (p *Page) Inputs() Inputs { return p.inputs }

// Running reports whether a check runs.
func (p *Page) Running() bool { return p.job.Running() }

// Last is the last finished check (nil before any).
func (p *Page) Last() *Run {
	if p.run == nil || p.run.Result == nil {
		return nil
	}
	return p.run
}

// Current is the run on show: the one going, or the last (nil: none).
func (p *Page) Current() *Run { return p.run }

// Typing reports whether printable keys go into a text field now.
func (p *Page) Typing() bool {
	if p.job.Running() || p.resultsFocused {
		return p.results.Capturing()
	}
	return p.form.Typing()
}

// Capturing reports whether the search prompt takes every key.
func (p *Page) Capturing() bool { return p.results.Capturing() }

// Paste puts pasted text into the focused field (or the search prompt).
func (p *Page) Paste(msg tea.PasteMsg) tea.Cmd {
	if p.job.Running() || p.resultsFocused {
		return p.results.Update(msg)
	}
	_, cmd := p.form.Paste(msg)
	return tea.Batch(cmd, p.askCAFile(false))
}

// Wheel scrolls the results when the mouse is over them (y: a line of the
// screen's body).
func (p *Page) Wheel(msg tea.MouseWheelMsg, y int) tea.Cmd {
	if y >= p.resultsTop {
		return p.results.Update(msg)
	}
	return nil
}

// Update handles a key: the fields, run (enter on the button, ctrl+r),
// esc cancels a running check, else goes home; tab past the button gives
// the results the focus. A CA file typed is read in a command.
func (p *Page) Update(k tea.KeyPressMsg) (Action, tea.Cmd) {
	act, cmd := p.update(k)
	return act, tea.Batch(cmd, p.askCAFile(false))
}

// start is what enter on Check (or ctrl+r) does: with errors in the HTTP
// settings, the root goes to the first, as Save's button does; otherwise
// the run starts.
func (p *Page) start() (Action, tea.Cmd) {
	if p.doc.Proxy.Issues.Errors > 0 {
		p.form.Blur()
		return FixHTTP, nil
	}
	return None, p.Start()
}

func (p *Page) update(k tea.KeyPressMsg) (Action, tea.Cmd) {
	keys := p.keys
	if p.results.Capturing() {
		return None, p.results.Update(k)
	}
	if p.job.Running() {
		if key.Matches(k, keys.Cancel) {
			p.Cancel()
			return None, nil
		}
		return None, p.results.Update(k) // the inputs wait: scroll, search, copy
	}
	if p.resultsFocused {
		switch {
		case key.Matches(k, keys.Leave), k.String() == "shift+tab":
			p.resultsFocused = false
			p.form.Load()
			return None, nil
		case key.Matches(k, runKey):
			return p.start()
		}
		return None, p.results.Update(k)
	}
	switch {
	case key.Matches(k, keys.Leave):
		p.form.Blur()
		return Home, nil
	case key.Matches(k, runKey):
		return p.start()
	case k.String() == "pgup", k.String() == "pgdown":
		return None, p.results.Update(k) // the results scroll while typing
	}
	p.form.FixFocus(-1)
	if key.Matches(k, keys.Next) && p.form.AtLast() && p.results.Lines() > 0 {
		p.resultsFocused = true
		p.form.Blur()
		return None, nil
	}
	ev, cmd := p.form.Update(k)
	switch ev {
	case form.PastEnd, form.Activated:
		return p.start()
	case form.Changed:
		p.form.FixFocus(-1)
	}
	return None, cmd
}
