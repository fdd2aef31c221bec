package ldap

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"frontdoor/ldapcheck"
	"frontdoor/tui/common"
	"frontdoor/tui/components/form"
	"frontdoor/tui/components/pane"
	"frontdoor/tui/components/scroller"
)

// Login is what the test panel asks: a username, the user's password and,
// when the settings do not say where the manager password is, the
// manager's. The passwords live here and in the form's editor only: copied
// into the run's options when it starts and cleared at that moment, never
// in the settings, never drawn (only as •).
type Login struct {
	User, Password, ManagerPassword string
}

// Positions of the login fields.
const (
	loginUser = iota
	loginPassword
	loginManagerPassword
)

// LoginFields are the test panel's questions. needsManager says whether the
// manager password is asked; managerSource says where the settings point
// for it.
func LoginFields(needsManager func() bool, managerSource func() string) []form.Field[Login] {
	return []form.Field[Login]{
		{
			Kind: form.Text, Label: "Username", Placeholder: "login name, e.g. alice",
			Get: func(l *Login) string { return l.User },
			Set: func(l *Login, v string) { l.User = v },
		},
		{
			Kind: form.Text, Label: "Password", Secret: true,
			Get: func(l *Login) string { return l.Password },
			Set: func(l *Login, v string) { l.Password = v },
		},
		{
			Kind: form.Text, Label: "Manager password", Secret: true,
			Visible: func(*Login) bool { return needsManager() },
			HintFunc: func(*Login) string {
				return "The manager password is not available from " + managerSource() + ": type it here (kept in memory for this run only)."
			},
			Get: func(l *Login) string { return l.ManagerPassword },
			Set: func(l *Login, v string) { l.ManagerPassword = v },
		},
	}
}

// test is the test panel: the login form, then ldapcheck.Run in a command
// with each step shown as it ends.
type test struct {
	s       *Screen
	setting int // index in Settings
	login   Login
	form    *form.Form[Login]
	spinner spinner.Model

	runID     int
	running   bool
	canceling bool
	cancel    context.CancelFunc
	events    <-chan tea.Msg
	ranKey    string // the setting's key when the run started
	steps     []ldapcheck.Step
	result    *ldapcheck.Result
	// results shows the steps and the verdict in the one scroller; it
	// follows the newest step while at the bottom. Tab past the last field
	// gives it the focus.
	results        scroller.Model
	resultsFocused bool
	resultsTop     int // first screen line of the results, for the mouse
}

type (
	// StepMsg carries one step of a run as it ends.
	StepMsg struct {
		run  int
		Step ldapcheck.Step
	}
	runDoneMsg struct {
		run    int
		result ldapcheck.Result
	}
	spinMsg struct {
		run int
		msg tea.Msg
	}
)

func (StepMsg) ldapMsg()    {}
func (runDoneMsg) ldapMsg() {}
func (spinMsg) ldapMsg()    {}

func newTest(s *Screen) *test {
	t := &test{s: s, setting: -1}
	t.form = form.New(s.st, s.keys, &t.login, LoginFields(t.needsManagerPassword, t.managerSource))
	t.results = scroller.New(s.st.Scroller)
	t.results.SetFollowTail(true)
	t.spinner = spinner.New(spinner.WithSpinner(spinner.MiniDot))
	return t
}

// NeedsManagerPassword reports whether the manager password of a setting
// must be typed: there is a manager DN, and neither managerPasswordFile nor
// a set managerPasswordEnv provides it.
func NeedsManagerPassword(st ldapcheck.Setting, getenv func(string) string) bool {
	s := st.Search
	if s.ManagerDN == "" || s.ManagerPasswordFile != "" {
		return false
	}
	return s.ManagerPasswordEnv == "" || getenv(s.ManagerPasswordEnv) == ""
}

func (t *test) needsManagerPassword() bool {
	c := cfg(t.s.doc)
	if t.setting < 0 || t.setting >= len(c.Settings) {
		return false
	}
	return NeedsManagerPassword(c.Settings[t.setting], t.s.opts.Getenv)
}

func (t *test) managerSource() string {
	c := cfg(t.s.doc)
	if t.setting < 0 || t.setting >= len(c.Settings) {
		return ""
	}
	return ManagerSource(c.Settings[t.setting].Search)
}

// ManagerSource says where the settings point for the manager password.
func ManagerSource(s ldapcheck.Search) string {
	if s.ManagerPasswordEnv != "" {
		return "$" + s.ManagerPasswordEnv + " (not set)"
	}
	return "the settings (no managerPasswordEnv or managerPasswordFile)"
}

// openTest shows the test panel for settings[i].
func (s *Screen) openTest(i int, back Page) tea.Cmd {
	t := s.test
	if i < 0 || i >= len(cfg(s.doc).Settings) {
		s.status.Set("add an LDAP setting first")
		return nil
	}
	if t.running && t.setting != i {
		s.status.Set("a test is running: esc cancels it")
		s.page = PageTest
		return nil
	}
	if t.setting != i {
		t.steps, t.result = nil, nil
	}
	t.setting = i
	s.back = back
	s.page = PageTest
	t.form.SetWidth(s.width)
	t.form.SetFocus(loginUser)
	if t.login.User != "" {
		t.form.SetFocus(loginPassword)
	}
	t.form.Load()
	return nil
}

func (t *test) paste(msg tea.PasteMsg) tea.Cmd {
	if t.running || t.resultsFocused {
		return t.results.Update(msg) // the search prompt, when open
	}
	_, cmd := t.form.Paste(msg)
	return cmd
}

func (t *test) update(k tea.KeyPressMsg) tea.Cmd {
	s, keys := t.s, t.s.keys
	if t.results.Capturing() {
		return t.results.Update(k)
	}
	if t.running {
		if key.Matches(k, keys.Cancel) && !t.canceling {
			t.canceling = true
			t.cancel()
			s.status.Set("canceling the test…")
			return nil
		}
		return t.results.Update(k) // the inputs wait: scroll, search, copy
	}
	if t.resultsFocused {
		switch {
		case key.Matches(k, keys.Leave), k.String() == "shift+tab":
			t.resultsFocused = false
			return nil
		case k.String() == "ctrl+r":
			return t.start()
		}
		return t.results.Update(k)
	}
	switch {
	case key.Matches(k, keys.Leave):
		s.leave()
		return nil
	case k.String() == "ctrl+r":
		return t.start()
	case k.String() == "pgup", k.String() == "pgdown":
		return t.results.Update(k) // the results scroll while typing
	}
	t.form.FixFocus(-1) // the manager password may no longer be asked
	if key.Matches(k, keys.Next) && t.form.AtLast() && t.results.Lines() > 0 {
		t.resultsFocused = true // past the last field: the results
		return nil
	}
	ev, cmd := t.form.Update(k)
	if ev == form.PastEnd {
		return t.start()
	}
	return cmd
}

// start starts ldapcheck.Run in a command. Each step comes back as a
// stepMsg through a channel the UI reads one message at a time, so the UI
// keeps drawing between steps; Esc cancels the context.
func (t *test) start() tea.Cmd {
	s := t.s
	if t.running {
		return nil
	}
	c := *cfg(s.doc)
	setting := c.Settings[t.setting]
	opts := ldapcheck.Options{
		Username:       strings.TrimSpace(t.login.User),
		Password:       t.login.Password,
		Getenv:         s.opts.Getenv,
		ConnectTimeout: s.opts.ConnectTimeout,
		ReadTimeout:    s.opts.ReadTimeout,
	}
	if t.needsManagerPassword() {
		opts.ManagerPassword = t.login.ManagerPassword
	}
	// The form forgets the passwords now: the run has its copy.
	t.form.Clear(loginPassword)
	t.form.Clear(loginManagerPassword)
	t.form.SetFocus(loginPassword)
	t.form.Load()

	t.runID++
	t.running, t.canceling = true, false
	t.steps, t.result = nil, nil
	t.resultsFocused = false
	t.results.GotoTop()
	t.ranKey = setting.Key
	ctx, cancel := context.WithCancel(context.Background())
	t.cancel = cancel
	// Buffered beyond any run's steps, so a run driven without a reader
	// (tests run commands one after the other) never blocks.
	events := make(chan tea.Msg, 256)
	t.events = events
	s.status.Clear()
	cmds := []tea.Cmd{runCmd(ctx, cancel, t.runID, setting, c.Groups, opts, events), waitEvent(events)}
	if !s.opts.NoSpin {
		cmds = append(cmds, t.spinTick())
	}
	return tea.Batch(cmds...)
}

// runCmd runs the test on the command's goroutine, sending each step and
// then the result into events.
func runCmd(ctx context.Context, cancel context.CancelFunc, id int, setting ldapcheck.Setting, groups []ldapcheck.GroupSetting,
	opts ldapcheck.Options, events chan<- tea.Msg) tea.Cmd {
	return func() tea.Msg {
		defer close(events)
		res := ldapcheck.Run(ctx, setting, groups, opts, func(st ldapcheck.Step) {
			events <- StepMsg{run: id, Step: st}
		})
		cancel()
		events <- runDoneMsg{run: id, result: res}
		return nil
	}
}

// waitEvent waits for the run's next message.
func waitEvent(events <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-events
		if !ok {
			return nil
		}
		return msg
	}
}

// spinTick advances the spinner while a run is going; its messages are
// wrapped so the root routes them here.
func (t *test) spinTick() tea.Cmd {
	id := t.runID
	tick := t.spinner.Tick
	return func() tea.Msg { return spinMsg{run: id, msg: tick()} }
}

func (t *test) message(msg Msg) tea.Cmd {
	s := t.s
	switch msg := msg.(type) {
	case StepMsg:
		if msg.run != t.runID {
			return nil
		}
		t.steps = append(t.steps, msg.Step)
		return waitEvent(t.events)
	case runDoneMsg:
		if msg.run != t.runID {
			return nil
		}
		res := msg.result
		t.result = &res
		t.running = false
		t.events = nil
		switch {
		case res.Canceled:
			s.status.Set("test canceled")
		case res.OK():
			s.status.Set("test passed")
		default:
			s.status.Set("test failed")
		}
	case spinMsg:
		if msg.run != t.runID || !t.running {
			return nil
		}
		var cmd tea.Cmd
		t.spinner, cmd = t.spinner.Update(msg.msg)
		if cmd == nil {
			return nil
		}
		id := msg.run
		return func() tea.Msg { return spinMsg{run: id, msg: cmd()} }
	}
	return nil
}

// layout draws the inputs, then the steps so far (the running one with a
// spinner), then the verdict, in the results scroller, which follows the
// newest step while it is at the bottom.
func (t *test) layout(width, height int) []string {
	s, st := t.s, t.s.st
	c := cfg(s.doc)
	if t.setting < 0 || t.setting >= len(c.Settings) {
		return []string{st.Subtle.Render("No LDAP setting to test.")}
	}
	setting := c.Settings[t.setting]
	head := []string{common.Truncate(st.Heading.Render("Test LDAP setting "+setting.Key)+st.Subtle.Render("  "+setting.URL), width)}
	if setting.InsecureSkipVerify {
		head = append(head, insecureBanner(st, width, "a pass here proves less.")...)
	}
	if errs := ldapcheck.ForSetting(s.doc.LDAP.Findings, *c, t.setting).Errors(); len(errs) > 0 {
		head = append(head, common.WrapPrefixed(common.CountNoun(len(errs), "error")+" in the settings: the test stops before the network. First: "+
			errs[0].Path+": "+errs[0].Message, width, common.GlyphError+" ", "  ", st.ErrorText)...)
	}
	t.form.FixFocus(-1)
	t.form.SetWidth(width)
	inputs, _, _ := t.form.Lines(form.Layout{Active: !t.running})
	head = append(head, inputs...)
	head = append(head, "")

	var body []string
	for _, step := range t.steps {
		body = append(body, StepLines(st, step, width)...)
	}
	switch {
	case t.running:
		what := "running…"
		if t.canceling {
			what = "canceling…"
		}
		body = append(body, "  "+st.Pointer.Render(t.spinner.View())+" "+st.Subtle.Render(what+"  (esc cancels)"))
	case t.result != nil:
		body = append(body, "")
		body = append(body, Verdict(st, *t.result, t.ranKey, width)...)
	case len(t.steps) == 0:
		body = append(body, common.WrapPrefixed("Type a real user's login name and password, then press enter: the test connects, binds, "+
			"finds the user, checks their password, email and groups, and shows each step as it ends. Passwords are cleared once used.",
			width, "  ", "  ", st.Subtle)...)
	}
	t.results.SetContent(body, nil)
	t.resultsTop = len(head)
	pane.Fit(&t.results, width, max(1, height-len(head)), t.resultsFocused)
	return head
}

// RunInfo describes the test panel's run (tests read it).
type RunInfo struct {
	Running bool
	Steps   []ldapcheck.Step
	Result  *ldapcheck.Result
	// PasswordsHeld: a password is still in the panel (it must not be once
	// a run started).
	PasswordsHeld bool
	// NeedsManagerPassword: the panel asks for the manager password.
	NeedsManagerPassword bool
}

// Run describes the test panel's run.
func (s *Screen) Run() RunInfo {
	t := s.test
	return RunInfo{
		Running: t.running, Steps: t.steps, Result: t.result,
		PasswordsHeld:        t.login.Password != "" || t.login.ManagerPassword != "",
		NeedsManagerPassword: t.needsManagerPassword(),
	}
}

// Replay draws a run of the panel's setting from recorded steps, through
// the messages a real run sends: running while res is nil, finished with
// res. Recorded durations keep the view stable (the goldens use it; real
// runs are tested against slapd).
func (s *Screen) Replay(steps []ldapcheck.Step, res *ldapcheck.Result) {
	t := s.test
	t.runID++
	t.running, t.canceling = true, false
	t.steps, t.result = nil, nil
	t.cancel = func() {}
	t.ranKey = cfg(s.doc).Settings[t.setting].Key
	done := make(chan tea.Msg)
	close(done)
	t.events = done
	for _, st := range steps {
		t.message(StepMsg{run: t.runID, Step: st})
	}
	if res != nil {
		r := *res
		r.Steps = steps
		t.message(runDoneMsg{run: t.runID, result: r})
	}
}
