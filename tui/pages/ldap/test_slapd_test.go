// The test panel (a login: lookup only, why not found, the lockout
// toggle, a locked-out account) against the real slapd (slapd_test.go
// starts it).

package ldap_test

import (
	"strings"
	"testing"

	"frontdoor/ldapcheck"
)

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
