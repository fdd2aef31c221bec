package ldap_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"frontdoor/ldapcheck"
	"frontdoor/tui/common"
	"frontdoor/tui/pages/ldap"
)

// sizes are the terminal sizes every screen is checked at.
var sizes = [][2]int{{80, 24}, {160, 48}}

// corpYAML has an LDAP setting whose manager password comes from a file
// (nothing to type: the Users view lists at once) and a group setting.
const corpYAML = `
proxy:
  provider: nginx
  serverName: artifactory.example.com
ldap:
  settings:
    - key: corp
      enabled: true
      url: ldap://ldap.example.com:389/dc=example,dc=com
      search: {filter: "(uid={0})", base: ou=people|ou=contractors, subTree: true, managerDn: "cn=reader,dc=example,dc=com",
               managerPasswordFile: /etc/frontdoor/ldap-manager.pw}
  groups:
    - {name: corp-groups, ldapSetting: corp, baseDn: ou=groups, nameAttribute: cn, memberAttribute: member,
       subTree: true, filter: "(objectClass=groupOfNames)", strategy: static}
`

// askYAML names no manager password: the Users view asks for it.
var askYAML = strings.Replace(corpYAML, "managerDn: \"cn=reader,dc=example,dc=com\",\n               managerPasswordFile: /etc/frontdoor/ldap-manager.pw",
	`managerDn: "cn=reader,dc=example,dc=com"`, 1)

const ms = time.Millisecond

// connectSteps are the steps every run and listing starts with, as
// ldapcheck reports them against the test directory.
var connectSteps = []ldapcheck.Step{
	{Kind: ldapcheck.StepDNS, Name: "DNS ldap.example.com", Status: ldapcheck.StatusOK, Duration: 1200 * time.Microsecond, Detail: "ldap.example.com is 10.0.0.5"},
	{Kind: ldapcheck.StepConnect, Name: "TCP connect ldap.example.com:389", Status: ldapcheck.StatusOK, Duration: 400 * time.Microsecond,
		Detail: "connected to 10.0.0.5:389 from 10.0.0.9:51234"},
	{Kind: ldapcheck.StepTLS, Name: "TLS", Status: ldapcheck.StatusWarn, Detail: "plain ldap://: passwords cross the network in clear text",
		Hint: "use ldaps:// or startTls: true", Reason: ldapcheck.ReasonPlainText},
	{Kind: ldapcheck.StepManagerBind, Name: "Manager bind cn=reader,dc=example,dc=com", Status: ldapcheck.StatusOK, Duration: 600 * time.Microsecond,
		Detail: "bound as cn=reader,dc=example,dc=com"},
}

var people, contractors = "ou=people,dc=example,dc=com", "ou=contractors,dc=example,dc=com"

// listSteps and usersList are a listing of the test directory (slapd).
var listSteps = append(connectSteps[:4:4],
	ldapcheck.Step{Kind: ldapcheck.StepUserSearch, Name: "Users in " + people, Status: ldapcheck.StatusOK, Duration: 600 * time.Microsecond,
		Detail: "scope sub-tree, filter (uid=*): 5 entries in 1 page(s) of up to 500"},
	ldapcheck.Step{Kind: ldapcheck.StepUserSearch, Name: "Users in " + contractors, Status: ldapcheck.StatusOK, Duration: 500 * time.Microsecond,
		Detail: "scope sub-tree, filter (uid=*): 4 entries in 1 page(s) of up to 500"},
	ldapcheck.Step{Kind: ldapcheck.StepGroups, Name: "Groups corp-groups (static)", Status: ldapcheck.StatusOK, Duration: 5 * ms,
		Detail: "one search per user under ou=groups,dc=example,dc=com with (&(objectClass=groupOfNames)(member=USER-DN)), as the server does"},
	ldapcheck.Step{Kind: ldapcheck.StepSummary, Name: "Summary", Status: ldapcheck.StatusOK,
		Detail: "9 user(s); 3 without email; 1 hidden by an entry with the same login name under an earlier base (they never log in)"},
)

func groups(names ...string) []ldapcheck.Group {
	var out []ldapcheck.Group
	for _, n := range names {
		out = append(out, ldapcheck.Group{Setting: "corp-groups", Name: n, DN: "cn=" + n + ",ou=groups,dc=example,dc=com"})
	}
	return out
}

var usersList = ldapcheck.UserList{Setting: "corp", Filter: "(uid=*)", LoginAttribute: "uid", Bases: []string{people, contractors},
	Users: []ldapcheck.ListedUser{
		{DN: "uid=alice," + people, Login: "alice", Email: "alice@example.com", Groups: groups("admins", "developers"), Bases: []string{people}},
		{DN: "uid=bob," + people, Login: "bob", Bases: []string{people}, Flags: []ldapcheck.UserFlag{ldapcheck.FlagNoEmail}},
		{DN: "uid=carol,ou=nested," + people, Login: "carol", Email: "carol@example.com", Groups: groups("developers"), Bases: []string{people}},
		{DN: "uid=dup," + people, Login: "dup", Bases: []string{people}, Flags: []ldapcheck.UserFlag{ldapcheck.FlagNoEmail}},
		{DN: "uid=lena," + people, Login: "lena", Email: "lena@example.com", Bases: []string{people}},
		{DN: "uid=dave," + contractors, Login: "dave", Email: "dave@example.com", Bases: []string{contractors}},
		{DN: "uid=dup," + contractors, Login: "dup", Bases: []string{contractors}, Flags: []ldapcheck.UserFlag{ldapcheck.FlagNoEmail, ldapcheck.FlagShadowed}},
		{DN: `uid=a\2Cb,` + contractors, Login: "a,b", Email: "comma@example.com", Bases: []string{contractors}},
		{DN: "cn=Zoë Müller," + contractors, Login: "zoe", Email: "zoe@example.com", Bases: []string{contractors}},
	}}

// cutSteps and cutList: a limit of 3, a server size limit, and every flag.
var cutSteps = append(connectSteps[:4:4],
	ldapcheck.Step{Kind: ldapcheck.StepUserSearch, Name: "Users in " + people, Status: ldapcheck.StatusWarn, Duration: 3 * ms,
		Detail: "scope sub-tree, filter (uid=*): 2 entries in 1 page(s) of up to 500: the server's size limit stopped the list there",
		Hint:   "raise the size limit for cn=reader,dc=example,dc=com (OpenLDAP: limits ... size.prtotal=unlimited; Active Directory pages past MaxPageSize), or the server misses these users too",
		Reason: ldapcheck.ReasonSizeLimit},
	ldapcheck.Step{Kind: ldapcheck.StepUserSearch, Name: "Users in " + contractors, Status: ldapcheck.StatusOK, Duration: 2 * ms,
		Detail: "scope sub-tree, filter (uid=*): 2 entries in 1 page(s) of up to 500 (the first 3; there are more)"},
	ldapcheck.Step{Kind: ldapcheck.StepSummary, Name: "Summary", Status: ldapcheck.StatusWarn, Reason: ldapcheck.ReasonSizeLimit,
		Detail: "the first 3 user(s); more match (raise the limit to see them); the server's size limit cut the list; 2 under several bases; 2 sharing a login name under one base (the server refuses their logins)"},
)

var cutList = ldapcheck.UserList{Setting: "corp", Filter: "(uid=*)", LoginAttribute: "uid", Bases: []string{people, contractors}, More: true, SizeLimited: true,
	Users: []ldapcheck.ListedUser{
		{DN: "uid=ann," + people, Login: "ann", Email: "ann@example.com", Bases: []string{people, contractors}, Flags: []ldapcheck.UserFlag{ldapcheck.FlagSeveralBases}},
		{DN: "uid=sam," + people, Login: "sam", Email: "sam@example.com", Bases: []string{people}, Flags: []ldapcheck.UserFlag{ldapcheck.FlagDuplicateLogin}},
		{DN: "uid=sam,ou=nested," + people, Login: "sam", Email: "sam.two@example.com", Bases: []string{people, contractors},
			Flags: []ldapcheck.UserFlag{ldapcheck.FlagSeveralBases, ldapcheck.FlagDuplicateLogin}},
	}}

// failSteps: the manager's password is refused.
var failSteps = append(connectSteps[:3:3],
	ldapcheck.Step{Kind: ldapcheck.StepManagerBind, Name: "Manager bind cn=reader,dc=example,dc=com", Status: ldapcheck.StatusFail, Duration: 2 * ms,
		Detail: "invalid credentials (49)", Hint: "check managerDn and the manager password in /etc/frontdoor/ldap-manager.pw",
		Reason: ldapcheck.ReasonInvalidCredentials},
	ldapcheck.Step{Kind: ldapcheck.StepSummary, Name: "Summary", Status: ldapcheck.StatusFail, Reason: ldapcheck.ReasonInvalidCredentials,
		Detail: "0 user(s) listed; 1 step(s) failed above"},
)

// lookupSteps: lena found without a password; her ppolicy read first.
var lookupSteps = append(connectSteps[:4:4],
	ldapcheck.Step{Kind: ldapcheck.StepUserSearch, Name: "User search in " + people, Status: ldapcheck.StatusOK, Duration: 400 * time.Microsecond,
		Detail: "scope sub-tree, filter (uid=lena): found uid=lena," + people},
	ldapcheck.Step{Kind: ldapcheck.StepLockout, Name: "Lockout policy", Status: ldapcheck.StatusInfo, Duration: 600 * time.Microsecond,
		Detail: "OpenLDAP ppolicy locks an account after 3 wrong passwords within 15m0s, for 15m0s: the account's password policy cn=lockout,ou=policies,dc=example,dc=com; the account has 0 recent wrong password(s); this lookup does not bind as the user"},
	ldapcheck.Step{Kind: ldapcheck.StepUserBind, Name: "User bind uid=lena," + people, Status: ldapcheck.StatusSkip, Reason: ldapcheck.ReasonLookupOnly,
		Detail: "not tried: lookup only, no password sent (no lockout risk)"},
	ldapcheck.Step{Kind: ldapcheck.StepEmail, Name: "Email attribute mail", Status: ldapcheck.StatusOK, Detail: "mail: lena@example.com"},
	ldapcheck.Step{Kind: ldapcheck.StepGroups, Name: "Groups corp-groups (static)", Status: ldapcheck.StatusOK, Duration: 200 * time.Microsecond,
		Detail: "base ou=groups,dc=example,dc=com, scope sub-tree, filter (&(objectClass=groupOfNames)(member=uid=lena," + people + ")): 1 group(s) developers"},
	ldapcheck.Step{Kind: ldapcheck.StepSummary, Name: "Summary", Status: ldapcheck.StatusOK,
		Detail: `"lena" found as uid=lena,` + people + ` (lookup only: no bind, the password was not tested); email lena@example.com; groups corp-groups: developers`},
)

var lookupResult = ldapcheck.Result{Setting: "corp", Username: "lena", UserFound: true, UserDN: "uid=lena," + people, LookupOnly: true,
	Email: "lena@example.com", Lockout: &ldapcheck.LockoutPolicy{Source: ldapcheck.PolicyPPolicy, Threshold: 3, Certain: true}}

// notFoundSteps: a user types their email for a uid filter; the verdict
// and why are ldapcheck's words (fromLDAPCheck).
func notFoundSteps(w ldapWords) []ldapcheck.Step {
	return append(connectSteps[:4:4],
		ldapcheck.Step{Kind: ldapcheck.StepUserSearch, Name: "User search in " + people, Status: ldapcheck.StatusWarn, Duration: 200 * time.Microsecond,
			Detail: "scope sub-tree, filter (uid=alice@example.com): no entry", Reason: ldapcheck.ReasonNotFound},
		ldapcheck.Step{Kind: ldapcheck.StepUserSearch, Name: "User search in " + contractors, Status: ldapcheck.StatusWarn, Duration: 200 * time.Microsecond,
			Detail: "scope sub-tree, filter (uid=alice@example.com): no entry", Reason: ldapcheck.ReasonNotFound},
		ldapcheck.Step{Kind: ldapcheck.StepUserSearch, Name: "User lookup", Status: ldapcheck.StatusFail, Reason: ldapcheck.ReasonNotFound,
			Detail: w.notFound.Detail, Hint: w.notFound.Hint},
		ldapcheck.Step{Kind: ldapcheck.StepWhyNotFound, Name: "Why not found", Status: ldapcheck.StatusInfo, Duration: 1100 * time.Microsecond,
			Reason: ldapcheck.ReasonTypedLoginName, Detail: w.why.Detail, Hint: w.why.Hint},
		ldapcheck.Step{Kind: ldapcheck.StepSummary, Name: "Summary", Status: ldapcheck.StatusFail, Reason: ldapcheck.ReasonNotFound,
			Detail: `"alice@example.com" was not found; failed at: User lookup`},
	)
}

var notFoundResult = ldapcheck.Result{Setting: "corp", Username: "alice@example.com", LookupOnly: true,
	WhyNotFound: []ldapcheck.NotFoundCause{{Cause: ldapcheck.ReasonTypedLoginName, DN: "uid=alice," + people}}}

// riskSteps: lena one wrong password from her lockout, the risk not
// taken: the bind is skipped, and its hint names the Risk a lockout toggle
// (ldapcheck's words, from a real run).
func riskSteps(w ldapWords) []ldapcheck.Step {
	return append(connectSteps[:4:4],
		ldapcheck.Step{Kind: ldapcheck.StepUserSearch, Name: "User search in " + people, Status: ldapcheck.StatusOK, Duration: 400 * time.Microsecond,
			Detail: "scope sub-tree, filter (uid=lena): found uid=lena," + people},
		withDuration(w.riskLockout, 900*time.Microsecond), withDuration(w.riskBind, 0), w.riskSummary)
}

var riskResult = ldapcheck.Result{Setting: "corp", Username: "lena", UserFound: true, UserDN: "uid=lena," + people,
	Lockout: &ldapcheck.LockoutPolicy{Source: ldapcheck.PolicyPPolicy, Threshold: 3, Failures: 2, Certain: true}}

// withDuration gives a step taken from a real run a stable duration.
func withDuration(s ldapcheck.Step, d time.Duration) ldapcheck.Step {
	s.Duration = d
	return s
}

// Golden views of the Users view and the test panel's lookup and lockout
// states, at 80x24 and 160x48 (the frame below the root's header).
func TestGoldenScreens(t *testing.T) {
	cases := []struct {
		name  string
		yaml  string
		setup func(t *testing.T, h *harness)
	}{
		{name: "users_running", yaml: corpYAML, setup: func(t *testing.T, h *harness) {
			h.press("u")
			h.s.ReplayUsers(listSteps[:5], nil)
		}},
		{name: "users_listed", yaml: corpYAML, setup: func(t *testing.T, h *harness) {
			h.press("u")
			h.s.ReplayUsers(listSteps, &usersList)
		}},
		{name: "users_search", yaml: corpYAML, setup: func(t *testing.T, h *harness) {
			h.press("u")
			h.s.ReplayUsers(listSteps, &usersList)
			h.press("tab", "/", "d", "u", "p", "enter")
		}},
		{name: "users_cut", yaml: corpYAML, setup: func(t *testing.T, h *harness) {
			h.press("u")
			h.s.ReplayUsers(listSteps, &usersList)
			h.press("backspace", "backspace", "3")
			h.s.ReplayUsers(cutSteps, &cutList)
		}},
		{name: "users_failed", yaml: corpYAML, setup: func(t *testing.T, h *harness) {
			h.press("u")
			h.s.ReplayUsers(failSteps, &ldapcheck.UserList{Setting: "corp", Filter: "(uid=*)", Bases: []string{people, contractors}})
		}},
		{name: "users_ask_manager", yaml: askYAML, setup: func(t *testing.T, h *harness) {
			h.press("u")
			h.typeText("mgr-secret")
		}},
		{name: "users_help", yaml: corpYAML, setup: func(t *testing.T, h *harness) {
			h.press("u")
			h.s.ReplayUsers(listSteps, &usersList)
			h.press("?")
		}},
		{name: "test_lookup_before", yaml: corpYAML, setup: func(t *testing.T, h *harness) {
			h.press("t", "shift+tab", "shift+tab", "space", "tab")
			h.typeText("lena")
		}},
		{name: "test_lookup_found", yaml: corpYAML, setup: func(t *testing.T, h *harness) {
			h.press("t", "shift+tab", "shift+tab", "space", "tab")
			res := lookupResult
			h.s.Replay(lookupSteps, &res)
		}},
		{name: "test_why_not_found", yaml: corpYAML, setup: func(t *testing.T, h *harness) {
			h.press("t", "shift+tab", "shift+tab", "space", "tab")
			res := notFoundResult
			h.s.Replay(notFoundSteps(fromLDAPCheck(t)), &res)
			h.press("tab", "G") // the results, at their end
		}},
		{name: "test_lockout_risk", yaml: corpYAML, setup: func(t *testing.T, h *harness) {
			h.press("t")
			h.typeText("lena")
			res := riskResult
			h.s.Replay(riskSteps(fromLDAPCheck(t)), &res)
			h.press("tab", "tab", "G") // the results, at their end
		}},
		{name: "test_risk_lockout_on", yaml: corpYAML, setup: func(t *testing.T, h *harness) {
			h.press("t")
			h.typeText("lena")
			h.press("shift+tab", "space") // the toggle, focused: its help shows
		}},
	}
	for _, c := range cases {
		for _, size := range sizes {
			name := fmt.Sprintf("%s_%dx%d", c.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				h := newHarness(t, c.yaml, size[0], size[1])
				c.setup(t, h)
				got := h.frame()
				requireShape(t, got, size[0], size[1]-2)
				for _, secret := range []string{"mgr-secret"} {
					if strings.Contains(got, secret) {
						t.Fatalf("a password is on screen:\n%s", got)
					}
				}
				golden.RequireEqual(t, got)
			})
		}
	}
}

// requireShape fails unless the view is height lines of at most width cells.
func requireShape(t *testing.T, view string, width, height int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != height {
		t.Errorf("%d lines, want %d:\n%s", len(lines), height, view)
	}
	for i, l := range lines {
		if w := len([]rune(l)); w > width {
			t.Errorf("line %d is %d cells wide (max %d): %q", i+1, w, width, l)
		}
	}
}

// The Users view's legend explains every flag ldapcheck sets, in
// ldapcheck's words (one list, one place), each with its count.
func TestUsersLegendExplainsEveryFlag(t *testing.T) {
	st := common.NewStyles(true, true)
	for _, f := range ldapcheck.UserFlags {
		t.Run(string(f), func(t *testing.T) {
			l := ldapcheck.UserList{Setting: "corp", Users: []ldapcheck.ListedUser{
				{DN: "uid=ann," + people, Login: "ann", Flags: []ldapcheck.UserFlag{f}},
				{DN: "uid=bo," + people, Login: "bo", Flags: []ldapcheck.UserFlag{f}},
			}}
			text := ansi.Strip(strings.Join(ldap.UsersLines(&st, l, 1000), "\n"))
			if want := string(f) + " (2): " + f.Meaning(); !strings.Contains(text, want) {
				t.Errorf("the legend lacks %q:\n%s", want, text)
			}
		})
	}
}
