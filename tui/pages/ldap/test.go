package ldap

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
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
// in the settings, never drawn (only as •). LookupOnly runs everything but
// the user's bind: the password is then neither asked for nor sent.
// RiskLockout lets the next run bind as an account one wrong password away
// from a lockout (ldapcheck.Options.AllowLockoutRisk); it holds for one run,
// as the passwords do.
type Login struct {
	User, Password, ManagerPassword string
	LookupOnly, RiskLockout         bool
}

// Positions of the test panel's fields (TestFields).
const (
	loginLookupOnly = iota
	loginRiskLockout
	loginUser
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
			Visible: func(l *Login) bool { return !l.LookupOnly },
			Get:     func(l *Login) string { return l.Password },
			Set:     func(l *Login, v string) { l.Password = v },
		},
		{
			Kind: form.Text, Label: "Manager password", Secret: true,
			Visible:  func(*Login) bool { return needsManager() },
			HintFunc: func(*Login) string { return managerPasswordHint(managerSource()) },
			Get:      func(l *Login) string { return l.ManagerPassword },
			Set:      func(l *Login, v string) { l.ManagerPassword = v },
		},
	}
}

// managerPasswordHint says why the manager password is asked for.
func managerPasswordHint(source string) string {
	return "The manager password is not available from " + source + ": type it here (kept in memory for this run only)."
}

// LookupOnlyField is the test panel's "Lookup only" toggle (the CLI's
// --lookup-only): on, the password field goes away and the run does
// everything but the user's bind.
func LookupOnlyField() form.Field[Login] {
	return form.Field[Login]{
		Kind: form.Toggle, Label: "Lookup only",
		Hint: "Find the user, read the lockout policy, email and groups as the manager, but do not bind as the user: " +
			"no password is sent, so the test cannot lock the account (and does not test the password).",
		GetBool: func(l *Login) bool { return l.LookupOnly },
		SetBool: func(l *Login, v bool) { l.LookupOnly = v },
	}
}

// RiskLockoutField is the test panel's "Risk a lockout" toggle (the CLI's
// --risk-lockout): on, the run binds even as an account that one more
// wrong password locks. Without a bind there is no risk, so it is not shown
// with Lookup only.
func RiskLockoutField() form.Field[Login] {
	return form.Field[Login]{
		Kind: form.Toggle, Label: "Risk a lockout",
		Hint:    "Bind even when one more wrong password locks the account; never when it is locked out. For the next run only.",
		Visible: func(l *Login) bool { return !l.LookupOnly },
		GetBool: func(l *Login) bool { return l.RiskLockout },
		SetBool: func(l *Login, v bool) { l.RiskLockout = v },
	}
}

// lockoutRiskControl is how the hint of a bind skipped for the lockout
// risk names the toggle ("test again with ...").
var lockoutRiskControl = "the " + RiskLockoutField().Label + " toggle on"

// TestFields are the test panel's fields: the Lookup only and Risk a
// lockout toggles, the mode of the test (first, out of the way of tab from
// the username to the passwords, and enter in the last password runs the
// test), then LoginFields.
func TestFields(needsManager func() bool, managerSource func() string) []form.Field[Login] {
	return append([]form.Field[Login]{LookupOnlyField(), RiskLockoutField()}, LoginFields(needsManager, managerSource)...)
}

// test is the test panel: the login form, then ldapcheck.Run in a command
// with each step shown as it ends.
type test struct {
	s       *Screen
	setting int // index in Settings
	login   Login
	form    *form.Form[Login]

	job    testJob
	ranKey string // the setting's key when the run started
	steps  []ldapcheck.Step
	result *ldapcheck.Result
	// results shows the steps and the verdict in the one scroller; it
	// follows the newest step while at the bottom. Tab past the last field
	// gives it the focus.
	results        scroller.Model
	resultsFocused bool
	resultsTop     int // first screen line of the results, for the mouse
}

func newTest(s *Screen) *test {
	t := &test{s: s, setting: -1, job: newJob[ldapcheck.Result]()}
	t.form = form.New(s.st, s.keys, &t.login, TestFields(t.needsManagerPassword, t.managerSource))
	t.results = scroller.New(s.st.Scroller)
	t.results.SetFollowTail(true)
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

// openTest shows the test panel for settings[i]; back is where esc leaves
// it for (the Users view passes its own, so the two stay side by side).
func (s *Screen) openTest(i int, back Page) tea.Cmd {
	t := s.test
	if i < 0 || i >= len(cfg(s.doc).Settings) {
		s.status.Set("add an LDAP setting first")
		return nil
	}
	if t.job.Running() && t.setting != i {
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
	if t.login.User != "" && !t.login.LookupOnly {
		t.form.SetFocus(loginPassword)
	}
	t.form.Load()
	return nil
}

func (t *test) paste(msg tea.PasteMsg) tea.Cmd {
	if t.job.Running() || t.resultsFocused {
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
	if key.Matches(k, usersFormKey) {
		return s.openUsers(t.setting, s.back) // beside the test, which goes on
	}
	if t.job.Running() {
		if key.Matches(k, keys.Cancel) {
			if t.job.Cancel() {
				s.status.Set("canceling the test…")
			}
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
	switch ev {
	case form.PastEnd:
		return t.start()
	case form.Changed:
		t.form.FixFocus(-1)
	}
	return cmd
}

// start starts ldapcheck.Run in a command, each step streamed back as it
// ends; esc cancels it.
func (t *test) start() tea.Cmd {
	s := t.s
	if t.job.Running() {
		return nil
	}
	c := *cfg(s.doc)
	setting := c.Settings[t.setting]
	groups := c.Groups
	opts := ldapcheck.Options{
		Username:           strings.TrimSpace(t.login.User),
		Password:           t.login.Password,
		LookupOnly:         t.login.LookupOnly,
		AllowLockoutRisk:   t.login.RiskLockout && !t.login.LookupOnly,
		LockoutRiskControl: lockoutRiskControl,
		Getenv:             s.opts.Getenv,
		ConnectTimeout:     s.opts.ConnectTimeout,
		ReadTimeout:        s.opts.ReadTimeout,
	}
	if opts.LookupOnly {
		opts.Password = "" // never sent, even when typed before the toggle
	}
	if t.needsManagerPassword() {
		opts.ManagerPassword = t.login.ManagerPassword
	}
	// The form forgets the passwords now: the run has its copy. The risk
	// was taken for this run and this password: the next one asks again.
	t.form.Clear(loginPassword)
	t.form.Clear(loginManagerPassword)
	t.login.RiskLockout = false
	t.form.SetFocus(loginPassword)
	if t.login.LookupOnly {
		t.form.SetFocus(loginUser) // the next lookup is another name
	}
	t.form.Load()

	t.steps, t.result = nil, nil
	t.resultsFocused = false
	t.results.GotoTop()
	t.ranKey = setting.Key
	s.status.Clear()
	t.job.SetNoSpin(s.opts.NoSpin)
	return t.job.Start(func(ctx context.Context, report func(ldapcheck.Step)) ldapcheck.Result {
		return ldapcheck.Run(ctx, setting, groups, opts, report)
	})
}

func (t *test) message(msg testRun) tea.Cmd { return t.job.Update(msg, t.stepsIn, t.ended) }

func (t *test) stepsIn(steps []ldapcheck.Step) { t.steps = append(t.steps, steps...) }

func (t *test) ended(res ldapcheck.Result) {
	t.result = &res
	t.s.status.Set(testStatus(res))
}

// testStatus is the status line after a run.
func testStatus(res ldapcheck.Result) string {
	switch {
	case res.Canceled:
		return "test canceled"
	case res.OK() && res.LookupOnly:
		return "user found (lookup only: the password was not tested)"
	case res.OK():
		return "test passed"
	case res.LookupOnly:
		return "lookup failed"
	}
	if s := lockoutSkip(res.Steps); s != nil {
		return "not tested: " + lockoutWhy(s)
	}
	return "test failed"
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
	head := []string{s.pairHeading("Test LDAP setting "+setting.Key, setting.URL, PageTest, width)}
	if setting.InsecureSkipVerify {
		head = append(head, insecureBanner(st, width, "a pass here proves less.")...)
	}
	if t.login.LookupOnly {
		head = append(head, lookupOnlyBanner(st, width)...)
	}
	if errs := ldapcheck.ForSetting(s.doc.LDAP.Findings, *c, t.setting).Errors(); len(errs) > 0 {
		head = append(head, common.WrapPrefixed(common.CountNoun(len(errs), "error")+" in the settings: the test stops before the network. First: "+
			errs[0].Path+": "+errs[0].Message, width, common.GlyphError+" ", "  ", st.ErrorText)...)
	}
	t.form.FixFocus(-1)
	t.form.SetWidth(width)
	inputs, _, _ := t.form.Lines(form.Layout{Active: !t.job.Running()})
	head = append(head, inputs...)
	head = append(head, "")

	var body []string
	for _, step := range t.steps {
		body = append(body, StepLines(st, step, width)...)
	}
	switch {
	case t.job.Running():
		body = append(body, s.runningLine(t.job.Spinner(), t.job.Canceling()))
	case t.result != nil:
		body = append(body, "")
		body = append(body, Verdict(st, *t.result, t.ranKey, width)...)
	case len(t.steps) == 0 && t.login.LookupOnly:
		body = append(body, common.WrapPrefixed("Type a real user's login name, then press enter: the test connects, finds the user as the manager, "+
			"reads the lockout policy, email and groups, and shows each step as it ends. No password is sent.",
			width, "  ", "  ", st.Subtle)...)
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

// lookupOnlyBanner says loudly what a lookup-only run does not do.
func lookupOnlyBanner(st *common.Styles, width int) []string {
	return common.WrapPrefixed(common.GlyphWarning+" LOOKUP ONLY: no password is sent; the user's bind is NOT tested.",
		width, "", "  ", st.WarnText)
}

// pairHeading is the heading of the test panel and the Users view, which
// sit side by side: the title and URL, and on the right the key to the
// other one when it fits.
func (s *Screen) pairHeading(title, url string, page Page, width int) string {
	st := s.st
	left := st.Heading.Render(title) + st.Subtle.Render("  "+url)
	other := "ctrl+l users"
	if page == PageUsers {
		other = "ctrl+t test a login"
	}
	right := st.Subtle.Render(other)
	if common.Width(left)+2+common.Width(right) > width {
		return common.Truncate(left, width)
	}
	return common.JoinEnds(left, right, width)
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
	// LookupOnly: the Lookup only toggle is on.
	LookupOnly bool
	// RiskLockout: the Risk a lockout toggle is on (for the next run).
	RiskLockout bool
}

// Run describes the test panel's run.
func (s *Screen) Run() RunInfo {
	t := s.test
	return RunInfo{
		Running: t.job.Running(), Steps: t.steps, Result: t.result,
		PasswordsHeld:        t.login.Password != "" || t.login.ManagerPassword != "",
		NeedsManagerPassword: t.needsManagerPassword(),
		LookupOnly:           t.login.LookupOnly,
		RiskLockout:          t.login.RiskLockout,
	}
}

// Replay draws a run of the panel's setting from recorded steps, through
// the messages a real run sends: running while res is nil, finished with
// res. Recorded durations keep the view stable (the goldens use it; real
// runs are tested against slapd).
func (s *Screen) Replay(steps []ldapcheck.Step, res *ldapcheck.Result) {
	t := s.test
	t.steps, t.result = nil, nil
	t.ranKey = cfg(s.doc).Settings[t.setting].Key
	if res != nil {
		r := *res
		r.Steps = steps
		res = &r
	}
	t.job.Replay(steps, res, t.stepsIn, t.ended)
}
