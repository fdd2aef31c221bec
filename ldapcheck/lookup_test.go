package ldapcheck

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// Lookup only, why-not-found and lockout awareness against OpenLDAP (the
// same behaviours on Active Directory are in ad_test.go).

func TestLookupOnlyAgainstSlapd(t *testing.T) {
	dir := directory(t)
	names := []GroupSetting{{Name: "names", LDAPSetting: "test", BaseDN: "ou=groups", NameAttribute: "cn", MemberAttribute: "member",
		SubTree: true, Filter: "(objectClass=groupOfNames)", Strategy: "static"}}
	tests := []struct {
		name    string
		setting func(*Setting)
		user    string
		ok      bool
		steps   []wantStep
	}{
		{"search", nil, "alice", true, []wantStep{
			{kind: StepUserBind, status: StatusSkip, reason: ReasonLookupOnly, detail: "no password sent"},
			{kind: StepEmail, status: StatusOK, detail: "alice@example.com"},
			{kind: StepGroups, status: StatusInfo, reason: ReasonNestedGroups, detail: "2 group(s) admins, developers"},
			{kind: StepSummary, status: StatusOK, detail: "lookup only"}}},
		{"DN pattern", func(s *Setting) { s.UserDNPattern, s.Search.Filter, s.Search.Base = "uid={0},ou=people", "", "" }, "alice", true, []wantStep{
			{kind: StepUserSearch, status: StatusOK, detail: "found uid=alice,ou=people," + base},
			{kind: StepUserBind, status: StatusSkip, reason: ReasonLookupOnly}}},
		{"DN pattern, no such entry", func(s *Setting) { s.UserDNPattern, s.Search.Filter, s.Search.Base = "uid={0},ou=people", "", "" }, "dave", false, []wantStep{
			{kind: StepUserSearch, status: StatusFail, reason: ReasonNotFound, detail: "entry uid=dave,ou=people," + base + " does not exist"},
			{kind: StepWhyNotFound, status: StatusInfo, reason: ReasonOutsideBases, detail: "uid=dave,ou=contractors," + base + " exists outside the DN pattern's place",
				hint: "use a search filter"},
			{kind: StepSummary, status: StatusFail, reason: ReasonNotFound, detail: `"dave" was not found`}}},
		{"not found", nil, "zed", false, []wantStep{{kind: StepWhyNotFound, status: StatusInfo, reason: ReasonNotInDirectory}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := searchSetting(dir.URL)
			if tc.setting != nil {
				tc.setting(&s)
			}
			opt := testOptions(tc.user, "")
			opt.LookupOnly = true
			res := run(t, context.Background(), s, names, opt)
			if res.OK() != tc.ok || !res.LookupOnly || res.Authenticated {
				t.Errorf("OK %v LookupOnly %v Authenticated %v, want OK %v, lookup only, not authenticated", res.OK(), res.LookupOnly, res.Authenticated, tc.ok)
			}
			for _, w := range tc.steps {
				if !w.in(res) {
					t.Errorf("no %s step %s/%q with detail ~ %q and hint ~ %q", w.kind, w.status, w.reason, w.detail, w.hint)
				}
			}
		})
	}
}

// A password given with LookupOnly is never sent: the bind step is skipped.
func TestLookupOnlyIgnoresAPassword(t *testing.T) {
	dir := directory(t)
	opt := testOptions("alice", "alice-pw")
	opt.LookupOnly = true
	res := run(t, context.Background(), searchSetting(dir.URL), nil, opt)
	if st, _ := res.Last(StepUserBind); st.Status != StatusSkip || res.Authenticated {
		t.Errorf("user bind %+v, authenticated %v", st, res.Authenticated)
	}
}

func TestWhyNotFoundAgainstSlapd(t *testing.T) {
	dir := directory(t)
	tests := []struct {
		name    string
		setting func(*Setting)
		user    string
		want    wantStep
		dn      string
	}{
		{"outside the bases", nil, "dave", wantStep{kind: StepWhyNotFound, status: StatusInfo, reason: ReasonOutsideBases,
			detail: "exists outside search.base (ou=people," + base + ")", hint: "add ou=contractors to search.base"}, "uid=dave,ou=contractors," + base},
		{"deeper with sub-tree off", func(s *Setting) { s.Search.SubTree = false }, "carol", wantStep{kind: StepWhyNotFound, status: StatusInfo, reason: ReasonBelowOneLevel,
			hint: "turn search.subTree on, or add ou=nested,ou=people to search.base"}, "uid=carol,ou=nested,ou=people," + base},
		{"mail instead of uid", nil, "alice@example.com", wantStep{kind: StepWhyNotFound, status: StatusInfo, reason: ReasonTypedLoginName,
			detail: `"alice@example.com" is the account's mail; uid of uid=alice,ou=people,` + base + ` is "alice"`, hint: "search by (mail={0})"}, "uid=alice,ou=people," + base},
		{"cn instead of uid", nil, "Alice Archer", wantStep{kind: StepWhyNotFound, status: StatusInfo, reason: ReasonOtherAttribute,
			detail: "has cn=Alice Archer, but search.filter compares uid", hint: `(here "alice"), or change search.filter to (cn={0})`}, "uid=alice,ou=people," + base},
		{"excluded by a clause", func(s *Setting) { s.Search.Filter = "(&(uid={0})(mail=*))" }, "bob", wantStep{kind: StepWhyNotFound, status: StatusInfo, reason: ReasonExcludedByFilter,
			detail: "the clause (mail=*) of search.filter excludes uid=bob,ou=people," + base}, "uid=bob,ou=people," + base},
		{"nowhere", nil, "zed", wantStep{kind: StepWhyNotFound, status: StatusInfo, reason: ReasonNotInDirectory,
			detail: `nothing under ` + base + ` has "zed" as uid, mail, cn`}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := searchSetting(dir.URL)
			if tc.setting != nil {
				tc.setting(&s)
			}
			res := run(t, context.Background(), s, nil, testOptions(tc.user, "whatever"))
			if !tc.want.in(res) {
				t.Errorf("no %s step %s/%q with detail ~ %q and hint ~ %q", tc.want.kind, tc.want.status, tc.want.reason, tc.want.detail, tc.want.hint)
			}
			for _, st := range res.Steps {
				if strings.Contains(st.Hint, "userPrincipalName") {
					t.Errorf("%s: OpenLDAP has no userPrincipalName: %s", st.Name, st.Hint)
				}
			}
			if len(res.WhyNotFound) == 0 || res.WhyNotFound[0].Cause != tc.want.reason || res.WhyNotFound[0].DN != tc.dn {
				t.Errorf("WhyNotFound %+v, want cause %s, DN %q", res.WhyNotFound, tc.want.reason, tc.dn)
			}
			if sum, _ := res.Last(StepSummary); sum.Reason != ReasonNotFound {
				t.Errorf("summary reason %s, want not-found", sum.Reason)
			}
			// No user bind happened: nobody was found.
			if st, ok := res.Last(StepUserBind); ok {
				t.Errorf("a user bind step: %+v", st)
			}
		})
	}
}

// lena's password policy locks after 3 wrong passwords: the step before
// the bind shows it and counts her recent failures; before the one that
// would lock, the bind is not tried unless the caller allows the risk. A
// good bind clears the count, so the test repeats.
func TestLockoutPolicyAgainstSlapd(t *testing.T) {
	dir := directory(t)
	s := searchSetting(dir.URL)
	lockout := func(pw string, allow bool) (Step, Step, Result) {
		t.Helper()
		opt := testOptions("lena", pw)
		opt.AllowLockoutRisk, opt.LockoutRiskControl = allow, "--risk-lockout"
		res := run(t, context.Background(), s, nil, opt)
		st, ok := res.Last(StepLockout)
		if !ok || res.Lockout == nil {
			t.Fatalf("no lockout step")
		}
		if p := res.Lockout; p.Source != PolicyPPolicy || p.Threshold != 3 || !p.Certain || p.PolicyDN != "cn=lockout,ou=policies,"+base || p.DurationSeconds != 900 {
			t.Errorf("policy %+v", p)
		}
		var binds []Step
		for _, st := range res.Steps {
			if st.Kind == StepUserBind {
				binds = append(binds, st)
			}
		}
		if len(binds) != 1 {
			t.Fatalf("%d user bind steps, want 1", len(binds))
		}
		return st, binds[0], res
	}
	type want struct {
		status     Status
		reason     Reason
		detail     string
		bindStatus Status
	}
	runs := []struct {
		pw    string
		allow bool
		want  want
	}{
		{"Wr0ng-1", false, want{StatusInfo, ReasonNone, "locks an account after 3 wrong passwords within 15m0s, for 15m0s: the account's password policy cn=lockout,ou=policies," + base + "; the account has 0 recent", StatusFail}},
		{"Wr0ng-2", false, want{StatusInfo, ReasonNone, "has 1 recent wrong password", StatusFail}},
		{"lena-pw", false, want{StatusWarn, ReasonLockoutRisk, "has 2 recent wrong password(s); one more wrong password locks the account, so this test does not bind", StatusSkip}},
		{"lena-pw", true, want{StatusWarn, ReasonLockoutRisk, "has 2 recent wrong password(s); one more wrong password locks the account; this test binds as the user once, as allowed", StatusOK}},
		{"lena-pw", false, want{StatusInfo, ReasonNone, "has 0 recent wrong password", StatusOK}},
	}
	for i, tc := range runs {
		st, bind, res := lockout(tc.pw, tc.allow)
		w := tc.want
		if st.Status != w.status || st.Reason != w.reason || !strings.Contains(st.Detail, w.detail) || bind.Status != w.bindStatus {
			t.Errorf("run %d: lockout step %s/%s %q, bind %s; want %s/%s ~ %q, bind %s", i+1, st.Status, st.Reason, st.Detail, bind.Status, w.status, w.reason, w.detail, w.bindStatus)
		}
		if bind.Status != StatusSkip {
			continue
		}
		// Skipped: the bind says why and how to go ahead; the summary
		// gives the same reason.
		sum, _ := res.Last(StepSummary)
		if bind.Reason != ReasonLockoutRisk || !strings.Contains(bind.Detail, "not tried: the user has 2 recent wrong password(s) and the directory locks the account after 3") ||
			!strings.Contains(bind.Hint, "test again with --risk-lockout") || !strings.Contains(bind.Hint, "older than 15m0s") ||
			sum.Reason != ReasonLockoutRisk || !strings.Contains(sum.Detail, "the login was not tried: one more wrong password locks the account") || res.OK() {
			t.Errorf("run %d: bind %+v, summary %+v", i+1, bind, sum)
		}
		// The lockout step's hint names the way out in words both front
		// ends label it with, not a flag.
		if h := st.Hint; !strings.Contains(h, "lookup only") || strings.Contains(h, "--") {
			t.Errorf("lockout risk hint %q: want lookup only named, no CLI flag", h)
		}
	}
}

// lars is locked out by ppolicy (three wrong passwords): the run does not
// bind, whatever the caller allows, and says how long the lockout lasts.
func TestLockedOutAgainstSlapd(t *testing.T) {
	dir := directory(t)
	s := searchSetting(dir.URL)
	s.Search.Base = "ou=service"
	for i := range 3 {
		opt := testOptions("lars", fmt.Sprintf("Wr0ng-%d", i))
		opt.AllowLockoutRisk = true
		run(t, context.Background(), s, nil, opt)
	}
	for _, allow := range []bool{false, true} {
		opt := testOptions("lars", "lars-pw")
		opt.AllowLockoutRisk = allow
		res := run(t, context.Background(), s, nil, opt)
		for _, w := range []wantStep{
			{kind: StepLockout, status: StatusWarn, reason: ReasonLockedOut, detail: "the account is locked out now: a bind fails whatever the password, so this test does not bind as the user", hint: "wait for the lockout to end (it lasts 15m0s)"},
			{kind: StepUserBind, status: StatusSkip, reason: ReasonLockedOut, detail: "not tried: the account is locked out (until ", hint: "delete pwdAccountLockedTime"},
			{kind: StepSummary, status: StatusFail, reason: ReasonLockedOut, detail: "but the account is locked out, so the login was not tried", hint: "wait for the lockout to end"},
		} {
			if !w.in(res) {
				t.Errorf("allow %v: no %s step %s/%q ~ %q / %q in %+v", allow, w.kind, w.status, w.reason, w.detail, w.hint, res.Steps)
			}
		}
		if res.Lockout == nil || !res.Lockout.Locked || res.Lockout.LockedUntil.IsZero() {
			t.Errorf("lockout %+v", res.Lockout)
		}
	}
}

// The manager's entry and policy are readable anonymously on this slapd:
// a manager one wrong password away from a lockout is not bound as unless
// allowed, and a locked-out one never.
func TestManagerLockoutAgainstSlapd(t *testing.T) {
	dir := directory(t)
	s := searchSetting(dir.URL)
	s.Search.ManagerDN = "cn=guarded-reader,ou=service," + base
	opt := func(pw string, allow bool) Options {
		o := testOptions("alice", "alice-pw")
		o.ManagerPassword, o.AllowLockoutRisk, o.LockoutRiskControl = pw, allow, "--risk-lockout"
		return o
	}
	for i := range 2 {
		res := run(t, context.Background(), s, nil, opt(fmt.Sprintf("Wr0ng-%d", i), false))
		if st, _ := res.Last(StepManagerBind); st.Status != StatusFail || st.Reason != ReasonInvalidCredentials {
			t.Fatalf("wrong manager password %d: %+v", i, st)
		}
	}
	res := run(t, context.Background(), s, nil, opt("guarded-pw", false))
	for _, w := range []wantStep{
		{kind: StepManagerBind, status: StatusSkip, reason: ReasonLockoutRisk, detail: "not tried: the manager has 2 recent wrong password(s) and the directory locks the account after 3", hint: "--risk-lockout"},
		{kind: StepSummary, status: StatusFail, reason: ReasonLockoutRisk, detail: "stopped at: Manager bind cn=guarded-reader"},
	} {
		if !w.in(res) {
			t.Errorf("no %s step %s/%q ~ %q in %+v", w.kind, w.status, w.reason, w.detail, res.Steps)
		}
	}
	// Allowed, with a wrong password: the manager is locked out, and the
	// next run does not bind as it even when allowed.
	run(t, context.Background(), s, nil, opt("Wr0ng-3", true))
	res = run(t, context.Background(), s, nil, opt("guarded-pw", true))
	if st, _ := res.Last(StepManagerBind); st.Status != StatusSkip || st.Reason != ReasonLockedOut || !strings.Contains(st.Detail, "the account is locked out") {
		t.Errorf("locked manager: %+v", st)
	}
}

// alice names no policy: the only one under the base is shown as one that
// may apply (the overlay's default is in its configuration, unreadable).
func TestLockoutPolicyThatMayApply(t *testing.T) {
	dir := directory(t)
	res := run(t, context.Background(), searchSetting(dir.URL), nil, testOptions("alice", "alice-pw"))
	st, _ := res.Last(StepLockout)
	if res.Lockout == nil || res.Lockout.Certain || res.Lockout.Threshold != 3 || !strings.Contains(st.Detail, "it applies if it is the overlay's default") {
		t.Errorf("lockout %+v, step %q", res.Lockout, st.Detail)
	}
}

// The run binds as the user at most once: a second entry under a later
// base is reported, not tried.
func TestOneUserBindPerRun(t *testing.T) {
	dir := directory(t)
	s := searchSetting(dir.URL)
	s.Search.Base = "ou=people|ou=contractors"
	res := run(t, context.Background(), s, nil, testOptions("dup", "Wr0ng-Secret"))
	var binds []Step
	for _, st := range res.Steps {
		if st.Kind == StepUserBind {
			binds = append(binds, st)
		}
	}
	if len(binds) != 2 || binds[0].Status != StatusFail || binds[1].Status != StatusSkip || binds[1].Reason != ReasonOneBind {
		t.Errorf("user bind steps %+v, want one failed bind and one skipped", binds)
	}
}

// The result's new fields are in its JSON, for `ldap test --json`.
func TestResultJSONHasLockoutAndWhyNotFound(t *testing.T) {
	res := Result{LookupOnly: true, Lockout: &LockoutPolicy{Source: DirectoryActiveDirectory, Threshold: 5, WindowSeconds: 1800, Failures: 1, Certain: true},
		WhyNotFound: []NotFoundCause{{Cause: ReasonOutsideBases, DN: "cn=x", Detail: "d", Fix: "f"}}}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"lookupOnly":true`, `"lockout":{"source":"active-directory","threshold":5,"windowSeconds":1800,"failures":1,"certain":true}`,
		`"whyNotFound":[{"cause":"outside-bases","dn":"cn=x","detail":"d","fix":"f"}]`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %s", b, want)
		}
	}
}

// A username spelt beyond ASCII keeps its clause: looking wider never
// drops the clause that holds it (which would match everyone).
func TestWhyNotFoundKeepsTheUsernameClause(t *testing.T) {
	dir := directory(t)
	s := searchSetting(dir.URL)
	s.Search.Filter, s.Search.Base = "(&(cn={0})(mail=nobody@example.com))", "ou=contractors"
	res := run(t, context.Background(), s, nil, testOptions("Zoë Müller", "whatever"))
	if len(res.WhyNotFound) != 1 || res.WhyNotFound[0].Cause != ReasonExcludedByFilter ||
		!strings.HasPrefix(res.WhyNotFound[0].DN, "cn=Zo") || !strings.Contains(res.WhyNotFound[0].Detail, "(mail=nobody@example.com)") {
		t.Errorf("why not found %+v", res.WhyNotFound)
	}
}

// A typed name with control characters is refused before anything is
// sent (it would go into the DN a pattern builds, the filter, and from
// them into step names), shown as typed (one backslash stays one) with the
// control characters escaped: nothing it holds reaches the terminal raw,
// whether the setting searches or binds with a DN pattern.
func TestTypedNamesShownAsTyped(t *testing.T) {
	dir := directory(t)
	pattern := searchSetting(dir.URL)
	pattern.UserDNPattern, pattern.Search.Filter = "uid={0},ou=people", ""
	for name, s := range map[string]Setting{"search": searchSetting(dir.URL), "DN pattern": pattern} {
		for _, lookup := range []bool{true, false} {
			opt := testOptions("CORP\\zed\x1b[2J\nx", "secret")
			if lookup {
				opt = lookupOnly(opt)
			}
			res := run(t, context.Background(), s, nil, opt)
			in, _ := res.Last(StepInput)
			if in.Status != StatusFail || in.Reason != ReasonBadUsername || !strings.HasPrefix(in.Detail, `"CORP\zed\x1b[2J\nx" contains a control character (\x1b)`) {
				t.Errorf("%s (lookup %v): input step %+v", name, lookup, in)
			}
			for _, st := range res.Steps {
				if st.Kind != StepInput && st.Kind != StepSummary {
					t.Errorf("%s (lookup %v): %s ran: %s", name, lookup, st.Name, st.Detail)
				}
				if strings.ContainsAny(st.Name+st.Detail+st.Hint, "\x1b\n") || strings.Contains(st.Detail, `\\`) {
					t.Errorf("%s (lookup %v): %s: %q", name, lookup, st.Name, st.Detail)
				}
			}
		}
	}
}
