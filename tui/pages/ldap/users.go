package ldap

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"frontdoor/ldapcheck"
	"frontdoor/tui/common"
	"frontdoor/tui/components/form"
	"frontdoor/tui/components/pane"
	"frontdoor/tui/components/scroller"
)

// UsersQuery is what the Users view asks: whether to risk the manager's
// lockout, how many users to list and, when the settings do not say where
// it is, the manager password (kept in memory for one listing, like the
// test panel's).
type UsersQuery struct {
	// RiskLockout lets the next listing bind as the manager when one more
	// wrong password would lock it out (ldapcheck.Options.AllowLockoutRisk,
	// `ldap users --risk-lockout`); it holds for one listing.
	RiskLockout     bool
	Limit           string
	ManagerPassword string
}

// Positions of the Users view's fields.
const (
	usersRiskLockout = iota
	usersLimit
	usersManagerPassword
)

// UsersRiskLockoutField is the Users view's "Risk a lockout" toggle, the
// test panel's for the manager's bind (the CLI's `ldap users
// --risk-lockout`): on, the next listing binds as the manager even when one
// more wrong password locks it. Shown when the listing binds as a manager
// (bindsAsManager); an anonymous listing risks no lockout.
func UsersRiskLockoutField(bindsAsManager func() bool) form.Field[UsersQuery] {
	return form.Field[UsersQuery]{
		Kind: form.Toggle, Label: RiskLockoutField().Label,
		Hint:    "Bind as the manager even when one more wrong password locks it; never when it is locked out. For the next listing only.",
		Visible: func(*UsersQuery) bool { return bindsAsManager() },
		GetBool: func(q *UsersQuery) bool { return q.RiskLockout },
		SetBool: func(q *UsersQuery, v bool) { q.RiskLockout = v },
	}
}

// UsersFields are the Users view's questions: the Risk a lockout toggle
// (first, as on the test panel, out of the way of tab from the limit to the
// password, and enter in the last field lists), the limit, the manager
// password when it must be typed. bindsAsManager says whether the listing
// binds as a manager (the setting has a manager DN).
func UsersFields(needsManager func() bool, managerSource func() string, bindsAsManager func() bool) []form.Field[UsersQuery] {
	return []form.Field[UsersQuery]{
		UsersRiskLockoutField(bindsAsManager),
		{
			Kind: form.Number, Label: "Limit", Limit: 6, Placeholder: "0: all",
			Hint: "Most users listed; 0 lists all (in pages of 500).",
			Get:  func(q *UsersQuery) string { return q.Limit },
			Set:  func(q *UsersQuery, v string) { q.Limit = v },
		},
		{
			Kind: form.Text, Label: "Manager password", Secret: true,
			Visible:  func(*UsersQuery) bool { return needsManager() },
			HintFunc: func(*UsersQuery) string { return managerPasswordHint(managerSource()) },
			Get:      func(q *UsersQuery) string { return q.ManagerPassword },
			Set:      func(q *UsersQuery, v string) { q.ManagerPassword = v },
		},
	}
}

// ListLimit is the listing bound a typed limit asks for: 0 (or nothing) is
// every user, as with `ldap users --limit 0`.
func ListLimit(typed string) int {
	n, err := strconv.Atoi(strings.TrimSpace(typed))
	if err != nil || n <= 0 {
		return -1 // ListOptions: negative is all
	}
	return n
}

// users is the Users view, beside the test panel: ldapcheck.ListUsers in a
// command, its steps streamed as they end, then the table of what the
// server will see, in the one scroller (search, wrap, copy).
type users struct {
	s       *Screen
	setting int // index in Settings
	query   UsersQuery
	form    *form.Form[UsersQuery]

	job   usersJob
	ran   usersRan
	steps []ldapcheck.Step
	list  *ldapcheck.UserList

	results        scroller.Model
	resultsFocused bool
	resultsTop     int  // first screen line of the results, for the mouse
	toTop          bool // the listing ended: show its table from the top
}

// usersRan is what a listing ran with: a list of other settings is said
// to be out of date.
type usersRan struct {
	setting ldapcheck.Setting
	groups  []ldapcheck.GroupSetting
}

func newUsers(s *Screen) *users {
	u := &users{s: s, setting: -1, job: newJob[ldapcheck.UserList](), query: UsersQuery{Limit: strconv.Itoa(ldapcheck.DefaultListLimit)}}
	u.form = form.New(s.st, s.keys, &u.query, UsersFields(u.needsManagerPassword, u.managerSource, u.bindsAsManager))
	u.results = scroller.New(s.st.Scroller)
	u.results.SetFollowTail(true)
	return u
}

// freshResults starts a new listing's view at its top left, without the
// last one's search or sideways scroll (a new list would hide its verdict
// under them); wrap and line numbers stay as chosen.
func (u *users) freshResults() {
	wrap, numbers := u.results.Wrap(), u.results.LineNumbers()
	u.results = scroller.New(u.s.st.Scroller)
	u.results.SetFollowTail(true)
	u.results.SetWrap(wrap)
	u.results.SetLineNumbers(numbers)
}

func (u *users) current() (ldapcheck.Setting, bool) {
	c := cfg(u.s.doc)
	if u.setting < 0 || u.setting >= len(c.Settings) {
		return ldapcheck.Setting{}, false
	}
	return c.Settings[u.setting], true
}

func (u *users) needsManagerPassword() bool {
	st, ok := u.current()
	return ok && NeedsManagerPassword(st, u.s.opts.Getenv)
}

// bindsAsManager reports whether the listing binds as a manager (else it
// reads anonymously: no lockout to risk).
func (u *users) bindsAsManager() bool {
	st, ok := u.current()
	return ok && strings.TrimSpace(st.Search.ManagerDN) != ""
}

func (u *users) managerSource() string {
	st, _ := u.current()
	return ManagerSource(st.Search)
}

// stale reports whether the settings changed since the list was made.
func (u *users) stale() bool {
	st, ok := u.current()
	return ok && u.list != nil && (st != u.ran.setting || !slices.Equal(cfg(u.s.doc).Groups, u.ran.groups))
}

// openUsers shows the Users view for settings[i]. The first time it lists
// at once (as the manager: no user binds, nothing to type), unless the
// manager password must be typed or the settings have errors.
func (s *Screen) openUsers(i int, back Page) tea.Cmd {
	u := s.users
	c := cfg(s.doc)
	if i < 0 || i >= len(c.Settings) {
		s.status.Set("add an LDAP setting first")
		return nil
	}
	if u.job.Running() && u.setting != i {
		s.status.Set("a listing is running: esc cancels it")
		s.page = PageUsers
		return nil
	}
	if u.setting != i {
		u.steps, u.list, u.ran = nil, nil, usersRan{}
	}
	u.setting = i
	s.back = back
	s.page = PageUsers
	u.form.SetWidth(s.width)
	u.form.SetFocus(usersLimit)
	if u.needsManagerPassword() {
		u.form.SetFocus(usersManagerPassword)
	}
	u.form.Load()
	if u.list == nil && !u.job.Running() && len(u.steps) == 0 && !u.needsManagerPassword() &&
		!ldapcheck.ForSetting(s.doc.LDAP.Findings, *c, i).HasErrors() {
		return u.start()
	}
	return nil
}

func (u *users) paste(msg tea.PasteMsg) tea.Cmd {
	if u.job.Running() || u.resultsFocused {
		return u.results.Update(msg)
	}
	_, cmd := u.form.Paste(msg)
	return cmd
}

func (u *users) update(k tea.KeyPressMsg) tea.Cmd {
	s, keys := u.s, u.s.keys
	if u.results.Capturing() {
		return u.results.Update(k)
	}
	if key.Matches(k, keys.TestForm) {
		return s.openTest(u.setting, s.back) // beside the listing, which goes on
	}
	if u.job.Running() {
		if key.Matches(k, keys.Cancel) {
			if u.job.Cancel() {
				s.status.Set("canceling the listing…")
			}
			return nil
		}
		return u.results.Update(k) // the inputs wait: scroll, search, copy
	}
	if u.resultsFocused {
		switch {
		case key.Matches(k, keys.Leave), k.String() == "shift+tab":
			u.resultsFocused = false
			return nil
		case k.String() == "ctrl+r":
			return u.start()
		}
		return u.results.Update(k)
	}
	switch {
	case key.Matches(k, keys.Leave):
		s.leave()
		return nil
	case k.String() == "ctrl+r":
		return u.start()
	case k.String() == "pgup", k.String() == "pgdown":
		return u.results.Update(k)
	}
	u.form.FixFocus(-1)
	if key.Matches(k, keys.Next) && u.form.AtLast() && u.results.Lines() > 0 {
		u.resultsFocused = true
		return nil
	}
	if fd := u.form.Focused(); fd != nil && k.Text != "" &&
		(fd.Kind == form.Number && !form.Digits(k.Text) || fd.Kind == form.Toggle && !key.Matches(k, keys.Toggle)) {
		// The limit takes digits, the toggle space: any other printable
		// key is the table's (/ search, y copy, w wrap, h l sideways...).
		return u.results.Update(k)
	}
	ev, cmd := u.form.Update(k)
	if ev == form.PastEnd {
		return u.start()
	}
	return cmd
}

// start starts ldapcheck.ListUsers in a command; esc cancels it.
func (u *users) start() tea.Cmd {
	s := u.s
	if u.job.Running() {
		return nil
	}
	setting, ok := u.current()
	if !ok {
		return nil
	}
	groups := slices.Clone(cfg(s.doc).Groups)
	opts := ldapcheck.Options{Getenv: s.opts.Getenv, ConnectTimeout: s.opts.ConnectTimeout, ReadTimeout: s.opts.ReadTimeout,
		AllowLockoutRisk: u.query.RiskLockout, LockoutRiskControl: lockoutRiskControl}
	if u.needsManagerPassword() {
		opts.ManagerPassword = u.query.ManagerPassword
	}
	u.form.Clear(usersManagerPassword) // the listing has its copy
	// The risk was taken for this listing: the next one asks again.
	u.query.RiskLockout = false
	u.form.Load()
	lo := ldapcheck.ListOptions{Limit: ListLimit(u.query.Limit)}

	u.ran = usersRan{setting: setting, groups: groups}
	u.steps, u.list = nil, nil
	u.resultsFocused = false
	u.freshResults()
	s.status.Clear()
	u.job.SetNoSpin(s.opts.NoSpin)
	return u.job.Start(func(ctx context.Context, report func(ldapcheck.Step)) ldapcheck.UserList {
		return ldapcheck.ListUsers(ctx, setting, groups, opts, lo, report)
	})
}

func (u *users) message(msg usersRun) tea.Cmd { return u.job.Update(msg, u.stepsIn, u.ended) }

func (u *users) stepsIn(steps []ldapcheck.Step) { u.steps = append(u.steps, steps...) }

func (u *users) ended(l ldapcheck.UserList) {
	u.list = &l
	u.toTop = len(l.Users) > 0 // the table comes first; else the failed step and the verdict, at the end
	switch {
	case l.Canceled:
		u.s.status.Set("listing canceled")
	case l.OK():
		u.s.status.Set("listed " + common.CountNoun(len(l.Users), "user"))
	case lockoutSkip(l.Steps) != nil:
		u.s.status.Set("not listed: " + lockoutWhy(lockoutSkip(l.Steps)))
	default:
		u.s.status.Set("listing failed")
	}
}

// layout draws the heading and the fields; the steps, then (once done) the
// table, flags and steps go into the results scroller.
func (u *users) layout(width, height int) []string {
	s, st := u.s, u.s.st
	c := cfg(s.doc)
	setting, ok := u.current()
	if !ok {
		return []string{st.Subtle.Render("No LDAP setting to list users of.")}
	}
	head := []string{s.pairHeading("Users of LDAP setting "+setting.Key, setting.URL, PageUsers, width)}
	if setting.InsecureSkipVerify {
		head = append(head, insecureBanner(st, width, "the list proves less.")...)
	}
	if errs := ldapcheck.ForSetting(s.doc.LDAP.Findings, *c, u.setting).Errors(); len(errs) > 0 {
		head = append(head, common.WrapPrefixed(common.CountNoun(len(errs), "error")+" in the settings: the listing stops before the network. First: "+
			errs[0].Path+": "+errs[0].Message, width, common.GlyphError+" ", "  ", st.ErrorText)...)
	}
	if u.stale() && !u.job.Running() {
		head = append(head, common.WrapPrefixed(common.GlyphWarning+" The settings changed since this list: enter lists again.", width, "", "  ", st.WarnText)...)
	}
	u.form.FixFocus(-1)
	u.form.SetWidth(width)
	inputs, _, _ := u.form.Lines(form.Layout{Active: !u.job.Running() && !u.resultsFocused})
	head = append(head, inputs...)
	head = append(head, "")

	body, copyText := u.body(setting.Key, width)
	u.results.SetContent(body, nil)
	u.results.SetCopyText(copyText)
	if u.toTop {
		u.results.GotoTop()
		u.toTop = false
	}
	u.resultsTop = len(head)
	pane.Fit(&u.results, width, max(1, height-len(head)), u.resultsFocused)
	return head
}

// body is the results: the steps while the listing runs; then the
// verdict, the table, the flags explained and the steps; or, when nobody
// was listed, the steps and the verdict. copyText is the table as
// `ldap users` prints it.
func (u *users) body(key string, width int) (lines []string, copyText string) {
	s, st := u.s, u.s.st
	steps := func(skip ldapcheck.StepKind) {
		for _, step := range u.steps {
			if step.Kind != skip {
				lines = append(lines, StepLines(st, step, width)...)
			}
		}
	}
	switch {
	case u.job.Running():
		steps("")
		lines = append(lines, s.runningLine(u.job.Spinner(), u.job.Canceling()))
	case u.list != nil && len(u.list.Users) > 0:
		l := *u.list
		l.Steps = u.steps
		lines = append(lines, UsersVerdict(st, l, key, width)...)
		lines = append(lines, "")
		table := UsersLines(st, l, width)
		lines = append(lines, table...)
		lines = append(lines, "", st.Heading.Render("Steps"))
		steps(ldapcheck.StepSummary)
		var b strings.Builder
		ldapcheck.WriteUsers(&b, l)
		copyText = b.String()
	case u.list != nil:
		l := *u.list
		l.Steps = u.steps
		steps("")
		lines = append(lines, "")
		lines = append(lines, UsersVerdict(st, l, key, width)...)
	case len(u.steps) > 0:
		steps("")
	default:
		lines = append(lines, common.WrapPrefixed("Lists, as the manager, the entries the search bases and filter find (the filter with {0} as *), "+
			"with the email and groups the server will give each, and flags for entries that will not log in as expected. "+
			"Nothing binds as a user; no user password is asked. Press enter to list.", width, "  ", "  ", st.Subtle)...)
	}
	return lines, copyText
}

// UsersInfo describes the Users view's listing (tests read it).
type UsersInfo struct {
	Running bool
	Steps   []ldapcheck.Step
	List    *ldapcheck.UserList
	// PasswordHeld: the manager password is still in the view (it must
	// not be once a listing started).
	PasswordHeld bool
	Limit        int  // the bound the Limit field asks for (negative: all)
	RiskLockout  bool // the Risk a lockout toggle is on (for the next listing)
}

// Users describes the Users view's listing.
func (s *Screen) Users() UsersInfo {
	u := s.users
	return UsersInfo{Running: u.job.Running(), Steps: u.steps, List: u.list,
		PasswordHeld: u.query.ManagerPassword != "", Limit: ListLimit(u.query.Limit), RiskLockout: u.query.RiskLockout}
}

// ReplayUsers draws a listing of the view's setting from recorded steps,
// through the messages a real listing sends: running while list is nil,
// finished with list (the goldens use it; real listings are tested
// against slapd).
func (s *Screen) ReplayUsers(steps []ldapcheck.Step, list *ldapcheck.UserList) {
	u := s.users
	if st, ok := u.current(); ok {
		u.ran = usersRan{setting: st, groups: slices.Clone(cfg(s.doc).Groups)}
	}
	u.steps, u.list = nil, nil
	if list != nil {
		l := *list
		l.Steps = steps
		list = &l
	}
	u.job.Replay(steps, list, u.stepsIn, u.ended)
}
