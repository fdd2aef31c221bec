// The Users view against the real slapd (slapd_test.go starts it).

package ldap_test

import (
	"net"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"frontdoor/ldapcheck"
	"frontdoor/tui/pages/ldap"
)

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

// The manager guarded-reader's policy locks after 3 wrong passwords: after
// two, the Users view does not bind as it (the skipped bind, its hint
// naming the toggle, and a verdict that says why), until Risk a lockout is
// on; the toggle holds for one listing. The good password clears the
// count, so the manager ends as it began.
func TestUsersRiskALockoutAgainstSlapd(t *testing.T) {
	srv := directory(t)
	const manager = "cn=guarded-reader,ou=service,dc=example,dc=com"
	h := newHarness(t, strings.Replace(slapdYAML(srv.URL), "cn=reader,dc=example,dc=com", manager, 1), 160, 48)
	password := "Wr0ng-1"
	h.s.SetGetenv(func(name string) string {
		if name == managerEnv {
			return password
		}
		return ""
	})
	list := func(cmd tea.Cmd) ldapcheck.UserList {
		t.Helper()
		pump(t, h, cmd, nil, nil, nil)
		info := h.s.Users()
		if info.Running || info.List == nil {
			t.Fatalf("no listing:\n%s", h.frame())
		}
		return *info.List
	}
	for i, cmd := range []tea.Cmd{h.key("u"), nil} { // u lists at once; then ctrl+r
		if i > 0 {
			password = "Wr0ng-2"
			cmd = h.key("ctrl+r")
		}
		l := list(cmd)
		if st, _ := (ldapcheck.Result{Steps: l.Steps}).Last(ldapcheck.StepManagerBind); l.OK() || st.Reason != ldapcheck.ReasonInvalidCredentials {
			t.Fatalf("wrong manager password %d: %+v\n%s", i, st, h.frame())
		}
	}
	password = "guarded-pw"
	l := list(h.key("ctrl+r"))
	bind, _ := (ldapcheck.Result{Steps: l.Steps}).Last(ldapcheck.StepManagerBind)
	if l.OK() || len(l.Users) > 0 || bind.Status != ldapcheck.StatusSkip || bind.Reason != ldapcheck.ReasonLockoutRisk {
		t.Fatalf("at risk, not allowed: bind %+v\n%s", bind, h.frame())
	}
	view := h.frame()
	for _, want := range []string{
		"- Manager bind " + manager, "not tried: the manager has 2 recent wrong password(s) and the directory locks the account after 3",
		"→ make sure of the password, then test again with the Risk a lockout toggle on",
		"✗ Not listed: Manager bind " + manager + " was not tried, one more wrong password locks the account (see its hint).",
		"not listed: one more wrong password locks the account",
		"Risk a lockout    [ ] off",
	} {
		if !strings.Contains(view, want) {
			t.Errorf("the skipped bind lacks %q:\n%s", want, view)
		}
	}

	// The toggle, just above the limit: on, the next listing binds once.
	h.press("shift+tab", "space")
	if !h.s.Users().RiskLockout {
		t.Fatalf("space on Risk a lockout did not turn it on:\n%s", h.frame())
	}
	if v := h.frame(); !strings.Contains(v, "Risk a lockout    [x] on") || !strings.Contains(v, "space risk a lockout") {
		t.Errorf("the toggle or its key is not shown:\n%s", v)
	}
	if l = list(h.key("ctrl+r")); !l.OK() || len(l.Users) == 0 {
		t.Fatalf("at risk, allowed: %+v\n%s", l.Steps, h.frame())
	}
	if h.s.Users().RiskLockout {
		t.Error("Risk a lockout is still on after the listing it was for")
	}
	// The good password cleared the count: the next listing binds without it.
	if l = list(h.key("ctrl+r")); !l.OK() || len(l.Users) == 0 {
		t.Errorf("after a good bind: %+v", l.Steps)
	}
}
