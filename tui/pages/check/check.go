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
	"context"
	"crypto/x509"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"frontdoor/doorcheck"
	"frontdoor/finding"
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
	None Action = iota
	Home        // leave for the home screen
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

	job  job
	runs int
	run  *Run // the run on show: the one going, or the last one

	results        scroller.Model
	resultsFocused bool
	resultsTop     int
	drawn          drawn // what the results hold
	placeSummary   bool  // a run ended: bring its summary into view

	width, height int
	lines         []string // the head as laid out

	caChecked caChecked // the CA file as last read, for its live finding
}

// caChecked is what reading a CA file found, and the file's state then:
// the screen is laid out at every key and tick, the file is read again
// only when it or its path changed.
type caChecked struct {
	path    string
	size    int64
	mod     time.Time
	problem string
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
	p := &Page{st: st, keys: keys, status: status, doc: doc, opts: opts, job: newJob()}
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
}

// StylesChanged follows new styles into the editor and the scroller.
func (p *Page) StylesChanged() {
	p.form.StylesChanged()
	p.results.SetStyles(p.st.Scroller)
	p.drawn = drawn{}
}

// Fields are the Check screen's questions: the address every name goes to
// instead of DNS, the CA file (shown when the door speaks HTTPS), the
// Docker user and password (shown when the settings have Docker
// repositories), then the Check button. tls says whether the door speaks
// HTTPS, docker whether the settings have Docker repositories; describe
// says what a run will check.
func Fields(st *common.Styles, tls, docker func() bool, describe func() string) []form.Field[Inputs] {
	return []form.Field[Inputs]{
		{
			Kind: form.Text, Label: "Test against", Path: addressPath, Placeholder: "what DNS says", Limit: 45,
			Hint: "An IP address every name of the door goes to instead of asking DNS, as curl's --resolve does: " +
				"127.0.0.1 right after a save on this machine, or the proxy's address before DNS points at it. Empty: DNS.",
			Get: func(in *Inputs) string { return in.Address },
			Set: func(in *Inputs, v string) { in.Address = v },
		},
		{
			Kind: form.Text, Label: "CA file", Path: caFilePath, Placeholder: "none: the system's CAs",
			Visible: func(*Inputs) bool { return tls() },
			Hint: "A PEM file of the CA that issued the door's certificate (a private CA), trusted besides the system's CAs, " +
				"as frontdoor check --ca does. Empty: the system's CAs, as clients have them.",
			Get: func(in *Inputs) string { return in.CAFile },
			Set: func(in *Inputs, v string) { in.CAFile = v },
		},
		{
			Kind: form.Text, Label: "Docker user", Placeholder: "optional: anonymous",
			Visible: func(*Inputs) bool { return docker() },
			Hint: "Logs in to each Docker repository's token endpoint and tries a manifest request with the token. " +
				"Sent only over verified HTTPS to the door's own names.",
			Get: func(in *Inputs) string { return in.User },
			Set: func(in *Inputs, v string) { in.User = v },
		},
		{
			Kind: form.Text, Label: "Password", Secret: true,
			Visible: func(in *Inputs) bool { return docker() && strings.TrimSpace(in.User) != "" },
			Hint:    "The user's password or API key: kept in memory for one run, never stored or shown.",
			Get:     func(in *Inputs) string { return in.Password },
			Set:     func(in *Inputs, v string) { in.Password = v },
		},
		{
			Kind: form.Button, Action: "run",
			Draw: func(_ *Inputs, focused bool, width int) []string {
				const label = "[ Check ]"
				style := st.Bold
				if focused {
					style = st.LabelFocused
				}
				// What it checks goes on under itself rather than being cut.
				lines := common.WrapText(describe(), max(10, width-len(label)-1))
				out := []string{style.Render(label) + " " + st.Subtle.Render(lines[0])}
				for _, l := range lines[1:] {
					out = append(out, strings.Repeat(" ", len(label)+1)+st.Subtle.Render(l))
				}
				return out
			},
		},
	}
}

// tls reports whether the door speaks HTTPS, so a CA file matters: the
// proxy's own HTTPS, or a load balancer's in front.
func (p *Page) tls() bool {
	s := p.doc.Settings()
	return s.HTTPS.Enabled || s.Public.Scheme == "https"
}

// docker reports whether the settings have Docker repositories to log in to.
func (p *Page) docker() bool {
	s := p.doc.Settings()
	return s.Docker.Method != render.DockerNone && len(s.Docker.Repositories) > 0
}

// plan is the check of the settings as edited (the source names the
// settings file, "as edited" when they differ from it).
func (p *Page) plan() (doorcheck.Plan, error) {
	s := p.doc.Settings().Clone()
	source := p.doc.SettingsPath()
	if p.doc.ProxyDirty() {
		source += ", as edited"
	}
	return doorcheck.FromSettings(&s, source)
}

// describe says what a run will check, for the button: "4 doors".
func (p *Page) describe() string {
	if p.doc.Proxy.Issues.Errors > 0 {
		return "fix " + common.CountNoun(p.doc.Proxy.Issues.Errors, "error") + " in the HTTP settings first"
	}
	plan, err := p.plan()
	if err != nil {
		return err.Error()
	}
	return "checks " + plan.Describe() + ", " + against(p.address()) // doorcheck's words, as frontdoor check says them
}

func (p *Page) address() string { return normalAddress(p.inputs.Address) }

func normalAddress(v string) string { return strings.Trim(strings.TrimSpace(v), "[]") }

// AddressProblem says what is wrong with an address typed into Test
// against ("" when it is fine: an IP address, or nothing for DNS).
func AddressProblem(v string) string {
	if a := normalAddress(v); a != "" {
		if _, err := netip.ParseAddr(a); err != nil {
			return "not an IP address: give one such as 127.0.0.1 or ::1, or leave it empty for DNS"
		}
	}
	return ""
}

// caFile is the CA file typed: trimmed, a leading ~/ for the home
// directory (the shell does that for --ca); "" when the door has no HTTPS
// (the field is hidden).
func (p *Page) caFile() string {
	if !p.tls() {
		return ""
	}
	return normalCAFile(p.inputs.CAFile)
}

func normalCAFile(v string) string {
	v = strings.TrimSpace(v)
	if rest, ok := strings.CutPrefix(v, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return v
}

// CAFileProblem says what is wrong with a CA file typed into CA file (""
// when it is fine: a readable PEM file with a certificate, or nothing for
// the system's CAs), in doorcheck.CAFileRoots' words, as --ca says them.
func CAFileProblem(v string) string {
	if path := normalCAFile(v); path != "" {
		if _, err := doorcheck.CAFileRoots(path); err != nil {
			return err.Error()
		}
	}
	return ""
}

// caFinding is what is wrong with the CA file typed (nil: nothing). The
// file is read again only when its path, size or time changed.
func (p *Page) caFinding() *finding.Finding {
	path := p.caFile()
	if path == "" {
		return nil
	}
	now := caChecked{path: path}
	if info, err := os.Stat(path); err == nil {
		now.size, now.mod = info.Size(), info.ModTime()
	}
	if c := p.caChecked; c.path != now.path || c.size != now.size || !c.mod.Equal(now.mod) {
		now.problem = CAFileProblem(path)
		p.caChecked = now
	}
	if msg := p.caChecked.problem; msg != "" {
		return &finding.Finding{Path: caFilePath, Severity: finding.Error, Message: msg}
	}
	return nil
}

// addressFinding is what is wrong with the address typed (nil: nothing).
func (p *Page) addressFinding() *finding.Finding {
	if msg := AddressProblem(p.inputs.Address); msg != "" {
		return &finding.Finding{Path: addressPath, Severity: finding.Error, Message: msg}
	}
	return nil
}

// Questions are the screen's fields over its answers, for accessible mode
// to ask one by one (the button last).
func (p *Page) Questions() (*Inputs, []form.Field[Inputs]) { return &p.inputs, p.form.Fields() }

// Intro says what the check does.
func Intro() string { return intro }

// Open shows the screen. local suggests this machine's listeners (right
// after a save that reloaded the web server here): 127.0.0.1 goes into an
// empty address, unless a load balancer in front is what clients reach.
func (p *Page) Open(local bool) {
	if local && p.inputs.Address == "" && !p.doc.Settings().Public.IsSet() {
		p.inputs.Address = "127.0.0.1"
	}
	p.resultsFocused = false
	p.form.FixFocus(+1)
	if !p.job.running {
		p.form.SetFocus(fieldRun)
	}
	p.form.Load()
}

// Inputs are the answers as typed (the password only until a run starts).
func (p *Page) Inputs() Inputs { return p.inputs }

// Running reports whether a check runs.
func (p *Page) Running() bool { return p.job.running }

// Last is the last finished check (nil before any).
func (p *Page) Last() *Run {
	if p.run == nil || p.run.Result == nil {
		return nil
	}
	return p.run
}

// Current is the run on show: the one going, or the last (nil: none).
func (p *Page) Current() *Run { return p.run }

// inputError is an answer a run cannot start with, and the field to fix.
type inputError struct {
	field int
	msg   string
}

func (e *inputError) Error() string { return e.msg }

// Prepare checks the answers and plans a run of the settings as edited:
// what it checks (run, without steps yet), the plan and the options. Settings
// with errors, no door, an address that is not one, or a user without a
// password are refused before the network, with the reason. The full screen
// starts the run in a command (Start); accessible mode runs it in place.
func (p *Page) Prepare() (Run, doorcheck.Plan, doorcheck.Options, error) {
	fail := func(err error) (Run, doorcheck.Plan, doorcheck.Options, error) {
		return Run{}, doorcheck.Plan{}, doorcheck.Options{}, err
	}
	if n := p.doc.Proxy.Issues.Errors; n > 0 {
		return fail(errors.New("fix " + common.CountNoun(n, "error") + " in the HTTP settings first: the check needs settings that render"))
	}
	if f := p.addressFinding(); f != nil {
		return fail(&inputError{field: fieldAddress, msg: "Test against: " + f.Message})
	}
	plan, err := p.plan()
	if err != nil {
		return fail(errors.New("nothing to check: " + err.Error()))
	}
	opt := doorcheck.Options{
		Timeout: p.opts.Timeout, Roots: p.opts.Roots, StreamingWait: p.opts.StreamingWait,
	}
	caFile := p.caFile()
	if caFile != "" {
		// Read now, whatever the live finding said: the run trusts what
		// the file holds at its start, as --ca does.
		roots, err := doorcheck.CAFileRoots(caFile)
		if err != nil {
			return fail(&inputError{field: fieldCAFile, msg: "CA file " + caFile + ": " + err.Error()})
		}
		opt.Roots = roots
	}
	if p.docker() {
		opt.User = strings.TrimSpace(p.inputs.User)
	}
	if opt.User != "" {
		if p.inputs.Password == "" {
			return fail(&inputError{field: fieldPassword, msg: "type the password of " + opt.User + " (or empty Docker user for an anonymous check)"})
		}
		opt.Password = p.inputs.Password
	}
	addr := p.address()
	if addr != "" {
		// Every name, the wildcard probe's made-up one too: DNS is not asked.
		a, _ := netip.ParseAddr(addr)
		opt.Resolve = doorcheck.ResolveAll(plan, a)
	}
	run := Run{Title: plan.Title, Endpoints: plan.Endpoints(), Address: addr, CAFile: caFile, User: opt.User,
		At: p.opts.Now(), settings: p.doc.Settings().Clone()}
	return run, plan, opt, nil
}

// ForgetPassword clears the password from the answers and the form: a run
// has its copy.
func (p *Page) ForgetPassword() {
	p.form.Clear(fieldPassword)
	p.form.Load()
}

// Record keeps a run made elsewhere (accessible mode) as the last one.
func (p *Page) Record(r Run, res doorcheck.Result) {
	res.Steps = nil
	r.Result = &res
	p.run = &r
}

// Start checks the door in a command, each step streamed back as it ends;
// esc cancels. What Prepare refuses is said on the status line, and the
// field to fix gets the focus.
func (p *Page) Start() tea.Cmd {
	if p.job.running {
		return nil
	}
	run, plan, opt, err := p.Prepare()
	if err != nil {
		p.status.Set(err.Error())
		var in *inputError
		if errors.As(err, &in) {
			p.form.SetFocus(in.field)
			p.form.Load()
		}
		return nil
	}
	p.form.Clear(fieldPassword) // the run has its copy
	p.form.SetFocus(fieldRun)
	p.form.Load()

	p.run = &run
	p.resultsFocused = false
	p.results.GotoTop()
	p.status.Set("checking " + plan.Title + "…")
	p.runs++
	return p.job.start(p.runs, !p.opts.NoSpin, func(ctx context.Context, report func(doorcheck.Step)) doorcheck.Result {
		return doorcheck.Run(ctx, plan, opt, report)
	})
}

// Cancel stops a running check (esc); false when none runs.
func (p *Page) Cancel() bool {
	if p.job.stop() {
		p.status.Set("canceling the check…")
		return true
	}
	return false
}

// Message takes one of the screen's messages.
func (p *Page) Message(msg Msg) tea.Cmd {
	run := p.run
	return p.job.message(msg, func(steps []doorcheck.Step) {
		run.Steps = append(run.Steps, steps...)
	}, func(res doorcheck.Result) {
		res.Steps = nil // kept once, in run.Steps
		run.Result = &res
		p.placeSummary = true
		_, text := Outcome(res)
		p.status.Set("check: " + text)
	})
}

// Replay shows a run from recorded steps, through the messages a real run
// sends: running while res is nil, finished with res. Recorded durations
// keep the view stable (goldens); real runs are tested against nginx.
func (p *Page) Replay(r Run, res *doorcheck.Result) {
	p.runs++
	p.job.id, p.job.running, p.job.canceling, p.job.cancel = p.runs, true, false, func() {}
	steps := r.Steps
	r.Steps, r.Result = nil, nil
	r.settings = p.doc.Settings().Clone()
	p.run = &r
	done := res != nil
	var result doorcheck.Result
	if done {
		result = *res
	}
	p.Message(stepsMsg{run: p.runs, steps: steps, done: done, result: result})
}

// Typing reports whether printable keys go into a text field now.
func (p *Page) Typing() bool {
	if p.job.running || p.resultsFocused {
		return p.results.Capturing()
	}
	return p.form.Typing()
}

// Capturing reports whether the search prompt takes every key.
func (p *Page) Capturing() bool { return p.results.Capturing() }

// Paste puts pasted text into the focused field (or the search prompt).
func (p *Page) Paste(msg tea.PasteMsg) tea.Cmd {
	if p.job.running || p.resultsFocused {
		return p.results.Update(msg)
	}
	_, cmd := p.form.Paste(msg)
	return cmd
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
// the results the focus.
func (p *Page) Update(k tea.KeyPressMsg) (Action, tea.Cmd) {
	keys := p.keys
	if p.results.Capturing() {
		return None, p.results.Update(k)
	}
	if p.job.running {
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
			return None, p.Start()
		}
		return None, p.results.Update(k)
	}
	switch {
	case key.Matches(k, keys.Leave):
		p.form.Blur()
		return Home, nil
	case key.Matches(k, runKey):
		return None, p.Start()
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
		return None, p.Start()
	case form.Changed:
		p.form.FixFocus(-1)
	}
	return None, cmd
}
