package ldap_test

import (
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"frontdoor/internal/testenv"
	"frontdoor/ldapcheck"
	"frontdoor/ldapcheck/slapdtest"
	"frontdoor/tui/pages/ldap"
)

// The Users view and the test panel against a real OpenLDAP slapd with
// the fixtures of package ldapcheck. No assertion depends on how long
// anything takes; a run that does not end fails after hangGuard instead of
// hanging.

const hangGuard = 2 * time.Minute

var (
	slapdOnce sync.Once
	slapd     *slapdtest.Server
	slapdErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if slapd != nil {
		slapd.Stop()
	}
	os.Exit(code)
}

// directory is the one slapd of this package's tests, started on first
// use; without slapd the test is skipped, except under CI=true.
func directory(t *testing.T) *slapdtest.Server {
	t.Helper()
	if err := slapdtest.Available(); err != nil {
		testenv.Unavailable(t, "%v", err)
	}
	slapdOnce.Do(func() {
		d := "../../../ldapcheck/testdata/"
		slapd, slapdErr = slapdtest.Start(slapdtest.Config{
			LDIF:        []string{d + "directory.ldif", d + "ppolicy.ldif"},
			RuntimeLDIF: []string{d + "groups.ldif"},
		})
	})
	if slapdErr != nil {
		t.Fatalf("starting slapd: %v", slapdErr)
	}
	return slapd
}

const managerEnv = "FRONTDOOR_LDAP_PAGE_TEST_MANAGER_PASSWORD"

// slapdYAML is a setting for the test directory, two bases and a group
// mapping; the manager password comes from managerEnv.
func slapdYAML(url string) string {
	return fmt.Sprintf(`proxy:
  provider: nginx
  serverName: artifactory.example.com
ldap:
  settings:
    - key: test
      enabled: true
      url: %s/dc=example,dc=com
      search: {filter: "(uid={0})", base: ou=people|ou=contractors, subTree: true, managerDn: "cn=reader,dc=example,dc=com",
               managerPasswordEnv: %s}
  groups:
    - {name: dev, ldapSetting: test, baseDn: ou=groups, nameAttribute: cn, memberAttribute: member, subTree: true,
       filter: "(objectClass=groupOfNames)", strategy: static}
`, url, managerEnv)
}

// slapdHarness opens the screen on the test directory, the manager
// password in the environment it sees.
func slapdHarness(t *testing.T, url string, width, height int) *harness {
	h := newHarness(t, slapdYAML(url), width, height)
	h.s.SetGetenv(func(name string) string {
		if name == managerEnv {
			return "reader-pw"
		}
		return ""
	})
	return h
}

// pump runs the commands a key returned until they settle, each on its
// own goroutine as a real program does, handing the screen's messages to
// it on this goroutine. each runs after every message; onInterrupt runs
// here when interrupt fires while a command waits.
func pump(t *testing.T, h *harness, cmd tea.Cmd, each func(tea.Msg), interrupt <-chan struct{}, onInterrupt func()) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	guard := time.NewTimer(hangGuard)
	defer guard.Stop()
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		out := make(chan tea.Msg, 1)
		go func() { out <- c() }()
		var msg tea.Msg
	wait:
		for {
			select {
			case msg = <-out:
				break wait
			case <-interrupt:
				interrupt = nil
				onInterrupt()
			case <-guard.C:
				t.Fatalf("not settled after %s:\n%s", hangGuard, h.frame())
			}
		}
		switch msg := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			queue = append(queue, h.message(msg))
			if each != nil {
				each(msg)
			}
		}
	}
}

// stepLine is how a step's first line is drawn.
func stepLine(s ldapcheck.Step) string { return s.Status.Symbol() + " " + s.Name }

func TestUsersAgainstSlapd(t *testing.T) {
	srv := directory(t)
	h := slapdHarness(t, srv.URL, 160, 48)

	// "u" opens the view and lists at once: nothing to type.
	cmd := h.key("u")
	if h.s.Page() != ldap.PageUsers || !h.s.Users().Running {
		t.Fatalf("u did not open the Users view and list:\n%s", h.frame())
	}
	seen := 0
	pump(t, h, cmd, func(msg tea.Msg) {
		sm, ok := msg.(ldap.StepMsg)
		if !ok {
			return
		}
		seen++
		view := h.frame()
		if !strings.Contains(view, stepLine(sm.Step)) {
			t.Fatalf("step %q is not drawn when it arrives:\n%s", stepLine(sm.Step), view)
		}
		if !strings.Contains(view, "running…") {
			t.Fatalf("the running line is gone before the end:\n%s", view)
		}
	}, nil, nil)
	info := h.s.Users()
	if info.Running || info.List == nil || !info.List.OK() || seen < 6 {
		t.Fatalf("listing %+v after %d steps:\n%s", info.List, seen, h.frame())
	}
	logins := map[string]ldapcheck.ListedUser{}
	for _, u := range info.List.Users {
		logins[u.DN] = u
	}
	if len(info.List.Users) < 8 || logins["uid=alice,ou=people,dc=example,dc=com"].Email != "alice@example.com" {
		t.Fatalf("users: %+v", info.List.Users)
	}
	view := h.frame()
	for _, want := range []string{
		"✓ Setting test: ", "LOGIN  EMAIL", "alice  alice@example.com  admins,developers",
		"no-email", "no-email,shadowed", // bob has no mail; the second dup is shadowed by the first
		"Flags", "no-email (3): the entry has no value", "shadowed (1): an entry under an earlier search base",
		"Steps", "✓ Users in ou=people,dc=example,dc=com", "✓ Groups dev (static)", "listed 9 users",
	} {
		if !strings.Contains(view, want) {
			t.Errorf("the list lacks %q:\n%s", want, view)
		}
	}
	if strings.Contains(view, "reader-pw") {
		t.Fatalf("the manager password is on screen:\n%s", view)
	}

	// y copies the table as `ldap users` prints it.
	if cmd := h.key("y"); cmd == nil {
		t.Error("y copied nothing")
	}

	// The limit: 2 users, and the list says more match.
	h.press("backspace", "backspace", "2")
	cmd = h.key("enter")
	pump(t, h, cmd, nil, nil, nil)
	info = h.s.Users()
	if info.List == nil || len(info.List.Users) != 2 || !info.List.More {
		t.Fatalf("limit 2: %+v\n%s", info.List, h.frame())
	}
	view = h.frame()
	for _, want := range []string{"› Limit             2", "the first 2 user(s); more match", "(more users match: raise the limit to list them)"} {
		if !strings.Contains(view, want) {
			t.Errorf("the cut list lacks %q:\n%s", want, view)
		}
	}

	// 0 lists everyone.
	h.press("backspace")
	h.typeText("0")
	pump(t, h, h.key("enter"), nil, nil, nil)
	if info = h.s.Users(); info.Limit >= 0 || info.List == nil || info.List.More || len(info.List.Users) != 9 {
		t.Fatalf("limit 0: %d, %+v", info.Limit, info.List)
	}

	// An edit of the settings marks the list out of date; the test panel
	// is beside it (ctrl+t, ctrl+l), and esc goes back to the list.
	h.doc.EditLDAP(func(c *ldapcheck.Config) { c.Settings[0].Search.SubTree = false })
	if view := h.frame(); !strings.Contains(view, "The settings changed since this list: enter lists again.") {
		t.Errorf("an out-of-date list is not said:\n%s", view)
	}
	h.press("ctrl+t")
	if h.s.Page() != ldap.PageTest {
		t.Fatalf("ctrl+t did not open the test panel:\n%s", h.frame())
	}
	h.press("ctrl+l")
	if h.s.Page() != ldap.PageUsers || h.s.Users().Running {
		t.Fatalf("ctrl+l did not go back to the list, or listed again:\n%s", h.frame())
	}
	h.press("esc")
	if h.s.Page() != ldap.PageList {
		t.Fatalf("esc did not go back to the list of settings:\n%s", h.frame())
	}
}

// A manager password that must be typed is asked for, handed to the
// listing and forgotten; nothing lists before it is typed.
func TestUsersAskTheManagerPassword(t *testing.T) {
	srv := directory(t)
	h := newHarness(t, slapdYAML(srv.URL), 100, 30) // the variable is not set
	if cmd := h.key("u"); cmd != nil || h.s.Users().Running {
		t.Fatalf("listed before the manager password was typed:\n%s", h.frame())
	}
	h.typeText("reader-pw")
	if v := h.frame(); strings.Contains(v, "reader-pw") || !strings.Contains(v, "•••••••••") {
		t.Fatalf("the manager password is not masked:\n%s", v)
	}
	cmd := h.key("enter")
	if h.s.Users().PasswordHeld {
		t.Error("the view still holds the manager password after the start")
	}
	pump(t, h, cmd, nil, nil, nil)
	if l := h.s.Users().List; l == nil || !l.OK() {
		t.Fatalf("listing with the typed password: %+v\n%s", l, h.frame())
	}
}

// Esc cancels a listing stuck on a server that never answers: the
// connection is closed and the view says so.
func TestUsersCancel(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	requested := make(chan struct{})
	go func() {
		var once sync.Once
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 512)
				if n, _ := c.Read(buf); n > 0 {
					once.Do(func() { close(requested) })
				}
				c.Read(buf) // until the client closes
			}()
		}
	}()
	h := slapdHarness(t, "ldap://"+ln.Addr().String(), 80, 24)
	cmd := h.key("u")
	pump(t, h, cmd, nil, requested, func() {
		if v := h.frame(); !strings.Contains(v, "running…") {
			t.Errorf("no running line while the server is silent:\n%s", v)
		}
		h.press("esc")
		if h.s.Page() != ldap.PageUsers {
			t.Error("esc during a listing left the view")
		}
	})
	l := h.s.Users().List
	if l == nil || !l.Canceled {
		t.Fatalf("not canceled: %+v\n%s", l, h.frame())
	}
	if v := h.frame(); !strings.Contains(v, "Listing canceled (esc): nothing more was sent to the directory.") || !strings.Contains(v, "listing canceled") {
		t.Errorf("the cancel is not said:\n%s", v)
	}
}

// Lookup only finds a user without a password: the typed password is never
// sent (her lockout count stays 0), the lockout policy is shown before the
// bind that is not tried, and the panel says it loudly.
func TestLookupOnlyAgainstSlapd(t *testing.T) {
	srv := directory(t)
	h := slapdHarness(t, srv.URL, 160, 48)
	h.press("t")
	h.typeText("lena")
	h.press("tab")
	h.typeText("a-wrong-password") // typed, then lookup only: never sent
	h.press("shift+tab", "shift+tab", "shift+tab", "space")
	if !h.s.Run().LookupOnly {
		t.Fatalf("space on Lookup only did not turn it on:\n%s", h.frame())
	}
	view := h.frame()
	if strings.Contains(view, "Password ") || !strings.Contains(view, "! LOOKUP ONLY: no password is sent; the user's bind is NOT tested.") {
		t.Fatalf("lookup only still asks for the password, or does not say it loudly:\n%s", view)
	}
	h.press("tab")        // the username
	cmd := h.key("enter") // the last field to fill: runs
	if !h.s.Run().Running {
		t.Fatalf("enter on the username did not start the lookup:\n%s", h.frame())
	}
	if h.s.Run().PasswordsHeld {
		t.Error("the typed password is still held after the start")
	}
	pump(t, h, cmd, nil, nil, nil)
	res := h.s.Run().Result
	if res == nil || !res.OK() || !res.LookupOnly || res.Authenticated || res.UserDN != "uid=lena,ou=people,dc=example,dc=com" {
		t.Fatalf("result %+v\n%s", res, h.frame())
	}
	if res.Lockout == nil || res.Lockout.Threshold != 3 || res.Lockout.Failures != 0 {
		t.Fatalf("lockout %+v: the typed password was sent, or the policy not read", res.Lockout)
	}
	view = h.frame()
	for _, want := range []string{
		"i Lockout policy", "locks an account after 3 wrong passwords", "this lookup does not bind as the user",
		"- User bind uid=lena,ou=people,dc=example,dc=com", "not tried: lookup only, no password sent",
		`✓ Setting test finds "lena" as uid=lena,ou=people,dc=example,dc=com. LOOKUP ONLY: no password was sent, the user's bind was NOT tested.`,
		"user found (lookup only: the password was not tested)",
	} {
		if !strings.Contains(view, want) {
			t.Errorf("the lookup lacks %q:\n%s", want, view)
		}
	}
	// The lockout step comes before the bind it warns about.
	if strings.Index(view, "Lockout policy") > strings.Index(view, "User bind uid=lena") {
		t.Errorf("the lockout policy is shown after the bind:\n%s", view)
	}
}

// A user not found is explained: the name typed is another attribute of
// an entry, or nowhere the manager can see.
func TestWhyNotFoundAgainstSlapd(t *testing.T) {
	srv := directory(t)
	cases := []struct {
		user  string
		cause ldapcheck.Reason
		want  string
	}{
		{"alice@example.com", ldapcheck.ReasonTypedLoginName, `"alice@example.com" is the account's mail`},
		{"Alice Archer", ldapcheck.ReasonOtherAttribute, "has cn=Alice Archer, but search.filter compares uid"},
		{"nobody-here", ldapcheck.ReasonNotInDirectory, `"nobody-here"`},
	}
	for _, c := range cases {
		t.Run(c.user, func(t *testing.T) {
			h := slapdHarness(t, srv.URL, 160, 48)
			h.press("t", "shift+tab", "shift+tab", "space", "tab")
			h.typeText(c.user)
			pump(t, h, h.key("enter"), nil, nil, nil)
			res := h.s.Run().Result
			if res == nil || res.OK() || len(res.WhyNotFound) == 0 || res.WhyNotFound[0].Cause != c.cause {
				t.Fatalf("result %+v\n%s", res, h.frame())
			}
			view := h.frame()
			for _, want := range []string{"i Why not found", c.want, "✗ Test failed at User lookup (see its hint above). The Why not found step above says why.", "lookup failed"} {
				if !strings.Contains(view, want) {
					t.Errorf("the panel lacks %q:\n%s", want, view)
				}
			}
		})
	}
}

// runLogin types a password in the focused password field and runs the
// test to its end.
func runLogin(t *testing.T, h *harness, password string) ldapcheck.Result {
	t.Helper()
	h.typeText(password)
	pump(t, h, h.key("enter"), nil, nil, nil)
	res := h.s.Run().Result
	if res == nil {
		t.Fatalf("no result:\n%s", h.frame())
	}
	return *res
}

// lena's policy locks after 3 wrong passwords: after two, the panel does
// not bind as her (the skipped bind and its hint, naming the toggle, are
// in the results), until Risk a lockout is on; the toggle holds for one
// run. Her good password clears the count, so she ends as she began.
func TestRiskALockoutAgainstSlapd(t *testing.T) {
	srv := directory(t)
	h := slapdHarness(t, srv.URL, 160, 48)
	h.press("t")
	h.typeText("lena")
	h.press("tab")
	for _, wrong := range []string{"Wr0ng-1", "Wr0ng-2"} {
		if res := runLogin(t, h, wrong); res.Authenticated {
			t.Fatalf("%s logged in: %+v", wrong, res)
		}
	}
	res := runLogin(t, h, "lena-pw")
	bind, _ := res.Last(ldapcheck.StepUserBind)
	if res.OK() || bind.Status != ldapcheck.StatusSkip || bind.Reason != ldapcheck.ReasonLockoutRisk || res.Lockout == nil || res.Lockout.Failures != 2 {
		t.Fatalf("at risk, not allowed: bind %+v, lockout %+v\n%s", bind, res.Lockout, h.frame())
	}
	view := h.frame()
	for _, want := range []string{
		"! Lockout policy", "one more wrong password locks the account, so this test does not bind as the user",
		"- User bind uid=lena,ou=people,dc=example,dc=com", "not tried: the user has 2 recent wrong password(s)",
		"→ make sure of the password, then test again with the Risk a lockout toggle on (the test binds once)",
		"✗ Not tested: User bind uid=lena,ou=people,dc=example,dc=com was not tried, one more wrong password locks the account (see its hint above).",
		"not tested: one more wrong password locks the account",
	} {
		if !strings.Contains(view, want) {
			t.Errorf("the skipped bind lacks %q:\n%s", want, view)
		}
	}

	// The toggle, just above the username: on, the next run binds once.
	h.press("shift+tab", "shift+tab", "space")
	if !h.s.Run().RiskLockout {
		t.Fatalf("space on Risk a lockout did not turn it on:\n%s", h.frame())
	}
	if v := h.frame(); !strings.Contains(v, "Risk a lockout    [x] on") || !strings.Contains(v, "never when it is locked out") {
		t.Errorf("the toggle or its help is not shown:\n%s", v)
	}
	h.press("tab", "tab")
	res = runLogin(t, h, "lena-pw")
	if bind, _ := res.Last(ldapcheck.StepUserBind); !res.OK() || !res.Authenticated || bind.Status != ldapcheck.StatusOK {
		t.Fatalf("at risk, allowed: %+v\n%s", res, h.frame())
	}
	if v := h.frame(); !strings.Contains(v, "this test binds as the user once, as allowed") || !strings.Contains(v, "test passed") {
		t.Errorf("the allowed bind is not said:\n%s", v)
	}
	if h.s.Run().RiskLockout {
		t.Error("Risk a lockout is still on after the run it was for")
	}
	res = runLogin(t, h, "lena-pw")
	if !res.OK() || res.Lockout == nil || res.Lockout.Failures != 0 {
		t.Errorf("after a good bind: %+v, lockout %+v", res, res.Lockout)
	}

	// Lookup only binds as nobody: the toggle is not offered.
	h.press("shift+tab", "shift+tab", "shift+tab", "space")
	if v := h.frame(); !h.s.Run().LookupOnly || strings.Contains(v, "Risk a lockout") {
		t.Errorf("Risk a lockout shown with Lookup only:\n%s", v)
	}
}

// A locked-out account is never bound as, the toggle on or not: the
// results say until when and how to unlock it.
func TestLockedOutAgainstSlapd(t *testing.T) {
	srv := directory(t)
	h := newHarness(t, strings.Replace(slapdYAML(srv.URL), "base: ou=people|ou=contractors", "base: ou=service", 1), 160, 48)
	h.s.SetGetenv(func(name string) string {
		if name == managerEnv {
			return "reader-pw"
		}
		return ""
	})
	h.press("t")
	h.typeText("lars")
	h.press("tab")
	runLogin(t, h, "Wr0ng-1")
	runLogin(t, h, "Wr0ng-2")
	h.press("shift+tab", "shift+tab", "space", "tab", "tab")
	runLogin(t, h, "Wr0ng-3") // allowed: the third wrong password locks lars
	for _, risk := range []bool{false, true} {
		if risk {
			h.press("shift+tab", "shift+tab", "space", "tab", "tab")
		}
		res := runLogin(t, h, "lars-pw")
		bind, _ := res.Last(ldapcheck.StepUserBind)
		if res.OK() || bind.Status != ldapcheck.StatusSkip || bind.Reason != ldapcheck.ReasonLockedOut {
			t.Fatalf("risk %v: bind %+v\n%s", risk, bind, h.frame())
		}
		view := h.frame()
		for _, want := range []string{
			"- User bind uid=lars,ou=service,dc=example,dc=com", "not tried: the account is locked out (until ",
			"✗ Not tested: User bind uid=lars,ou=service,dc=example,dc=com was not tried, the account is locked out (see its hint above).",
			"not tested: the account is locked out",
		} {
			if !strings.Contains(view, want) {
				t.Errorf("risk %v: the results lack %q:\n%s", risk, want, view)
			}
		}
	}
}
