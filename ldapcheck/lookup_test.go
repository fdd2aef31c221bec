package ldapcheck

import (
	"context"
	"encoding/json"
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
// the bind shows it, counts her recent failures and warns before the one
// that would lock. A good bind clears the count, so the test repeats.
func TestLockoutPolicyAgainstSlapd(t *testing.T) {
	dir := directory(t)
	s := searchSetting(dir.URL)
	lockout := func(pw string) Step {
		t.Helper()
		res := run(t, context.Background(), s, nil, testOptions("lena", pw))
		st, ok := res.Last(StepLockout)
		if !ok || res.Lockout == nil {
			t.Fatalf("no lockout step")
		}
		if p := res.Lockout; p.Source != PolicyPPolicy || p.Threshold != 3 || !p.Certain || p.PolicyDN != "cn=lockout,ou=policies,"+base || p.DurationSeconds != 900 {
			t.Errorf("policy %+v", p)
		}
		binds := 0
		for _, st := range res.Steps {
			if st.Kind == StepUserBind {
				binds++
			}
		}
		if binds != 1 {
			t.Errorf("%d user binds, want 1", binds)
		}
		return st
	}
	steps := []Step{lockout("Wr0ng-1"), lockout("Wr0ng-2"), lockout("lena-pw"), lockout("lena-pw")}
	wants := []struct {
		status Status
		reason Reason
		detail string
	}{
		{StatusInfo, ReasonNone, "locks an account after 3 wrong passwords within 15m0s, for 15m0s: the account's password policy cn=lockout,ou=policies," + base + "; the account has 0 recent"},
		{StatusInfo, ReasonNone, "has 1 recent wrong password"},
		{StatusWarn, ReasonLockoutRisk, "has 2 recent wrong password"},
		{StatusInfo, ReasonNone, "has 0 recent wrong password"},
	}
	// The wizard shows the same hint: the way out in words both front ends
	// label it with, not a flag.
	if h := steps[2].Hint; !strings.Contains(h, "lookup only") || strings.Contains(h, "--") {
		t.Errorf("lockout risk hint %q: want lookup only named, no CLI flag", h)
	}
	for i, w := range wants {
		if st := steps[i]; st.Status != w.status || st.Reason != w.reason || !strings.Contains(st.Detail, w.detail) {
			t.Errorf("run %d: lockout step %s/%s %q, want %s/%s ~ %q", i+1, st.Status, st.Reason, st.Detail, w.status, w.reason, w.detail)
		}
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
