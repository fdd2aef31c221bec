package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"frontdoor/ldapcheck"
)

// ldapTest is the test panel: a username, the user's password and, when
// the settings do not say where the manager password is, the manager's;
// then ldapcheck.Run in the background with each step shown as it ends.
//
// Passwords live only in the two masked inputs, are copied into the run's
// options when it starts and cleared from the inputs at that moment: they
// are never in the settings, never drawn (only as •), never kept after use.
type ldapTest struct {
	setting int // index in Settings

	fields  [3]textinput.Model // username, password, manager password
	focus   int
	spinner spinner.Model

	runID     int
	running   bool
	canceling bool
	cancel    context.CancelFunc
	events    <-chan tea.Msg
	ranKey    string // the setting's key when the run started
	steps     []ldapcheck.Step
	result    *ldapcheck.Result
	top       int  // first result line drawn
	follow    bool // keep the newest step in view while running

	// Run options that tests shorten; zero means ldapcheck's defaults.
	connectTimeout, readTimeout time.Duration
	noSpin                      bool // tests: no spinner ticks in the command queue
}

const (
	testUser = iota
	testPassword
	testManagerPassword
)

type (
	ldapStepMsg struct {
		run  int
		step ldapcheck.Step
	}
	ldapRunDoneMsg struct {
		run    int
		result ldapcheck.Result
	}
	ldapSpinMsg struct {
		run int
		msg tea.Msg
	}
)

func (ldapStepMsg) ldapMsg()    {}
func (ldapRunDoneMsg) ldapMsg() {}
func (ldapSpinMsg) ldapMsg()    {}

func (t *ldapTest) init(m *Model) {
	t.fields[testUser] = newLDAPInput(m, false)
	t.fields[testUser].Placeholder = "login name, e.g. alice"
	t.fields[testPassword] = newLDAPInput(m, true)
	t.fields[testManagerPassword] = newLDAPInput(m, true)
	t.spinner = spinner.New(spinner.WithSpinner(spinner.MiniDot))
}

// needsManagerPassword reports whether the manager password must be typed:
// there is a manager DN, and neither managerPasswordFile nor a set
// managerPasswordEnv provides the password.
func (m *Model) ldapNeedsManagerPassword() bool {
	t := &m.ldap.test
	if t.setting < 0 || t.setting >= len(m.file.LDAP.Settings) {
		return false
	}
	s := m.file.LDAP.Settings[t.setting].Search
	if s.ManagerDN == "" || s.ManagerPasswordFile != "" {
		return false
	}
	return s.ManagerPasswordEnv == "" || m.ldap.getenv(s.ManagerPasswordEnv) == ""
}

// ldapOpenTest shows the test panel for settings[i].
func (m *Model) ldapOpenTest(i int, back ldapPage) tea.Cmd {
	u := &m.ldap
	if i < 0 || i >= len(m.file.LDAP.Settings) {
		m.status = "add an LDAP setting first"
		return nil
	}
	t := &u.test
	if t.running && t.setting != i {
		m.status = "a test is running: esc cancels it"
		u.page = ldapPageTest
		return nil
	}
	if t.setting != i {
		t.steps, t.result = nil, nil
	}
	t.setting = i
	t.size(m.width)
	u.back = back
	u.page = ldapPageTest
	t.focus = testUser
	if t.fields[testUser].Value() != "" {
		t.focus = testPassword
	}
	return t.focusField()
}

// size fits the inputs to the value column.
func (t *ldapTest) size(width int) {
	for i := range t.fields {
		t.fields[i].SetWidth(max(8, width-2-ldapLabelWidth(width)-1))
	}
}

func (t *ldapTest) focusField() tea.Cmd {
	for i := range t.fields {
		t.fields[i].Blur()
	}
	return t.fields[t.focus].Focus()
}

// edit passes a key or paste to the focused input.
func (t *ldapTest) edit(msg tea.Msg) tea.Cmd {
	if t.running {
		return nil
	}
	var cmd tea.Cmd
	t.fields[t.focus], cmd = t.fields[t.focus].Update(msg)
	return cmd
}

func (m *Model) updateLDAPTest(k tea.KeyPressMsg) tea.Cmd {
	u := &m.ldap
	t := &u.test
	inputs := 2
	if m.ldapNeedsManagerPassword() {
		inputs = 3
	}
	t.size(m.width)
	switch {
	case key.Matches(k, m.keys.PageUp):
		t.scroll(-max(1, m.height/2))
		return nil
	case key.Matches(k, m.keys.PageDown) && k.String() != "space":
		t.scroll(max(1, m.height/2))
		return nil
	}
	if t.running {
		if key.Matches(k, u.keys.Cancel) && !t.canceling {
			t.canceling = true
			t.cancel()
			m.status = "canceling the test…"
		}
		return nil
	}
	switch {
	case key.Matches(k, u.keys.Leave):
		u.page = u.back
		if u.back == ldapPageSetting || u.back == ldapPageGroup {
			if !m.ldapFormValid() {
				u.page = ldapPageList
			}
			m.ldapLoadEditor()
		}
		return nil
	case k.String() == "ctrl+r", key.Matches(k, m.keys.Enter) && t.focus >= inputs-1:
		return m.ldapStartRun()
	case key.Matches(k, m.keys.Next), key.Matches(k, m.keys.Enter):
		t.focus = min(inputs-1, t.focus+1)
		return t.focusField()
	case key.Matches(k, m.keys.Prev):
		t.focus = max(0, t.focus-1)
		return t.focusField()
	}
	if t.focus >= inputs {
		t.focus = inputs - 1
		return t.focusField()
	}
	return t.edit(k)
}

func (t *ldapTest) scroll(delta int) {
	t.follow = false
	t.top = max(0, t.top+delta)
}

// ldapStartRun starts ldapcheck.Run on a goroutine. Each step comes back
// as an ldapStepMsg through a channel the UI reads one message at a time,
// so the UI keeps drawing between steps; Esc cancels the context.
func (m *Model) ldapStartRun() tea.Cmd {
	u := &m.ldap
	t := &u.test
	if t.running {
		return nil
	}
	c := m.file.LDAP
	setting := c.Settings[t.setting]
	opts := ldapcheck.Options{
		Username:       strings.TrimSpace(t.fields[testUser].Value()),
		Password:       t.fields[testPassword].Value(),
		Getenv:         u.getenv,
		ConnectTimeout: t.connectTimeout,
		ReadTimeout:    t.readTimeout,
	}
	if m.ldapNeedsManagerPassword() {
		opts.ManagerPassword = t.fields[testManagerPassword].Value()
	}
	// The inputs forget the passwords now: the run has its copy.
	t.fields[testPassword].SetValue("")
	t.fields[testManagerPassword].SetValue("")
	t.focus = testPassword
	t.focusField()

	t.runID++
	t.running, t.canceling = true, false
	t.steps, t.result = nil, nil
	t.top, t.follow = 0, true
	t.ranKey = setting.Key
	ctx, cancel := context.WithCancel(context.Background())
	t.cancel = cancel
	events := make(chan tea.Msg, 16)
	t.events = events
	id := t.runID
	go func() {
		defer close(events)
		res := ldapcheck.Run(ctx, setting, c.Groups, opts, func(st ldapcheck.Step) {
			events <- ldapStepMsg{run: id, step: st}
		})
		cancel()
		events <- ldapRunDoneMsg{run: id, result: res}
	}()
	m.status = ""
	cmds := []tea.Cmd{waitLDAPEvent(events)}
	if !t.noSpin {
		cmds = append(cmds, m.ldapSpinTick())
	}
	return tea.Batch(cmds...)
}

// waitLDAPEvent waits for the run's next message.
func waitLDAPEvent(events <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-events
		if !ok {
			return nil
		}
		return msg
	}
}

// ldapSpinTick advances the spinner while a run is going; its messages
// are wrapped so the root routes them here.
func (m *Model) ldapSpinTick() tea.Cmd {
	t := &m.ldap.test
	id := t.runID
	tick := t.spinner.Tick
	return func() tea.Msg { return ldapSpinMsg{run: id, msg: tick()} }
}

func (m *Model) ldapRunMessage(msg ldapMsg) tea.Cmd {
	t := &m.ldap.test
	switch msg := msg.(type) {
	case ldapStepMsg:
		if msg.run != t.runID {
			return nil
		}
		t.steps = append(t.steps, msg.step)
		return waitLDAPEvent(t.events)
	case ldapRunDoneMsg:
		if msg.run != t.runID {
			return nil
		}
		res := msg.result
		t.result = &res
		t.running = false
		t.events = nil
		switch {
		case res.Canceled:
			m.status = "test canceled"
		case res.OK():
			m.status = "test passed"
		default:
			m.status = "test failed"
		}
		return nil
	case ldapSpinMsg:
		if msg.run != t.runID || !t.running {
			return nil
		}
		var cmd tea.Cmd
		t.spinner, cmd = t.spinner.Update(msg.msg)
		if cmd == nil {
			return nil
		}
		id := msg.run
		return func() tea.Msg { return ldapSpinMsg{run: id, msg: cmd()} }
	}
	return nil
}

// renderLDAPTest draws the inputs, then the steps so far (the running one
// with a spinner), then the verdict.
func (m *Model) renderLDAPTest(width, height int) string {
	st := &m.styles
	u := &m.ldap
	t := &u.test
	c := &m.file.LDAP
	if t.setting < 0 || t.setting >= len(c.Settings) {
		return fitLines([]string{st.subtle.Render("No LDAP setting to test.")}, width, height)
	}
	s := c.Settings[t.setting]
	head := []string{ansi.Truncate(st.heading.Render("Test LDAP setting "+s.Key)+st.subtle.Render("  "+s.URL), width, "…")}
	if s.InsecureSkipVerify {
		head = append(head, wrapPrefixed(glyphError+" CERTIFICATES ARE NOT VERIFIED (insecureSkipVerify): a pass here proves less.",
			width, "", "  ", st.errorText.Bold(true).Reverse(!st.noColor))...)
	}
	if errs := ldapcheck.ForSetting(u.findings, *c, t.setting).Errors(); len(errs) > 0 {
		head = append(head, wrapPrefixed(countNoun(len(errs), "error")+" in the settings: the test stops before the network. First: "+
			errs[0].Path+": "+errs[0].Message, width, glyphError+" ", "  ", st.errorText)...)
	}
	labelW := ldapLabelWidth(width)
	inputs := []string{"Username", "Password", "Manager password"}
	n := 2
	if m.ldapNeedsManagerPassword() {
		n = 3
	}
	for i := 0; i < n; i++ {
		focused := i == t.focus && !t.running
		pointer, labelStyle := "  ", st.label
		if focused {
			pointer, labelStyle = st.pointer.Render(glyphPointer)+" ", st.labelFocused
		}
		value := t.fields[i].View()
		if !focused && t.fields[i].Value() == "" && i != testUser {
			value = st.faint.Render("—")
		}
		head = append(head, ansi.Truncate(pointer+labelStyle.Render(padRight(inputs[i], labelW))+value, width, "…"))
	}
	if n == 3 && t.focus == testManagerPassword && !t.running {
		head = append(head, wrapPrefixed("The manager password is not available from "+managerSource(s.Search)+": type it here (kept in memory for this run only).",
			width, strings.Repeat(" ", 2+labelW), strings.Repeat(" ", 2+labelW), st.subtle)...)
	}
	head = append(head, "")

	var body []string
	for _, step := range t.steps {
		body = append(body, ldapStepLines(st, step, width)...)
	}
	switch {
	case t.running:
		what := "running…"
		if t.canceling {
			what = "canceling…"
		}
		body = append(body, "  "+st.pointer.Render(t.spinner.View())+" "+st.subtle.Render(what+"  (esc cancels)"))
	case t.result != nil:
		body = append(body, "")
		body = append(body, ldapVerdict(st, *t.result, t.ranKey, width)...)
	case len(t.steps) == 0:
		body = append(body, wrapPrefixed("Type a real user's login name and password, then press enter: the test connects, binds, "+
			"finds the user, checks their password, email and groups, and shows each step as it ends. Passwords are cleared once used.",
			width, "  ", "  ", st.subtle)...)
	}
	avail := max(1, height-len(head))
	maxTop := max(0, len(body)-avail)
	if t.follow {
		t.top = maxTop
	}
	t.top = min(t.top, maxTop)
	lines := append(head, body[t.top:]...)
	if t.top > 0 {
		lines[len(head)] = st.faint.Render(fmt.Sprintf("  ↑ %d more (pgup)", t.top))
	}
	if len(body)-t.top > avail && len(lines) >= height {
		lines[height-1] = st.faint.Render(fmt.Sprintf("  ↓ %d more (pgdn)", len(body)-t.top-avail+1))
	}
	return fitLines(lines, width, height)
}

// managerSource says where the settings point for the manager password.
func managerSource(s ldapcheck.Search) string {
	if s.ManagerPasswordEnv != "" {
		return "$" + s.ManagerPasswordEnv + " (not set)"
	}
	return "the settings (no managerPasswordEnv or managerPasswordFile)"
}

// ldapStepLines draws one step: status glyph, name and duration, then the
// detail and the hint, indented under it.
func ldapStepLines(st *styles, step ldapcheck.Step, width int) []string {
	style := map[ldapcheck.Status]interface{ Render(...string) string }{
		ldapcheck.StatusOK:   st.okText,
		ldapcheck.StatusInfo: st.subtle,
		ldapcheck.StatusWarn: st.warnText,
		ldapcheck.StatusFail: st.errorText,
		ldapcheck.StatusSkip: st.faint,
	}[step.Status]
	if style == nil {
		style = st.value
	}
	dur := ""
	if step.Duration > 0 {
		dur = st.faint.Render(" (" + formatStepDuration(step.Duration) + ")")
	}
	out := []string{ansi.Truncate("  "+style.Render(step.Status.Symbol())+" "+st.bold.Render(step.Name)+dur, width, "…")}
	if step.Detail != "" {
		out = append(out, wrapPrefixed(step.Detail, width, "    ", "    ", st.value)...)
	}
	if step.Hint != "" {
		out = append(out, wrapPrefixed(step.Hint, width, "    → ", "      ", st.warnText)...)
	}
	return out
}

// formatStepDuration is short and stable: 0.4 ms, 12 ms, 1.2 s.
func formatStepDuration(d time.Duration) string {
	switch {
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// ldapVerdict is the last lines of a run.
func ldapVerdict(st *styles, res ldapcheck.Result, key string, width int) []string {
	var text string
	var style interface{ Render(...string) string }
	switch {
	case res.Canceled:
		text, style = glyphWarning+" Test canceled (esc): nothing more was sent to the directory.", st.warnText
	case res.OK():
		text, style = fmt.Sprintf("%s Setting %s works: %q found and authenticated as %s.", glyphOK, key, res.Username, res.UserDN), st.okText
		// A step after the login (groups) can still fail: "works" under a
		// ✗ step would hide it.
		for _, s := range res.Steps {
			if s.Status == ldapcheck.StatusFail && s.Kind != ldapcheck.StepSummary {
				text, style = fmt.Sprintf("%s Setting %s logs %q in as %s, but %s failed (see its hint above).",
					glyphWarning, key, res.Username, res.UserDN, s.Name), st.warnText
				break
			}
		}
	case res.TimedOut:
		text, style = glyphError+" Test failed: the directory did not answer in time (see the step above).", st.errorText
	default:
		text, style = glyphError+" Test failed: see the ✗ step and its hint above.", st.errorText
		for _, s := range res.Steps {
			if s.Status == ldapcheck.StatusFail && s.Kind != ldapcheck.StepSummary {
				text = glyphError + " Test failed at " + s.Name + " (see its hint above)."
				break
			}
		}
	}
	out := wrapPrefixed(text, width, "  ", "    ", st.bold)
	for i := range out {
		out[i] = style.Render(ansi.Strip(out[i]))
	}
	if res.InsecureSkipVerify {
		out = append(out, wrapPrefixed(glyphWarning+" The certificate was not verified (insecureSkipVerify).", width, "  ", "    ", st.warnText)...)
	}
	return out
}
