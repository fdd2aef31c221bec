package ldapcheck

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"frontdoor/ldapcheck/sambatest"
)

// Tests against a real Active Directory domain controller (Samba, see
// sambatest): the settings AD admins use, its bind codes, its certificates.

const adManagerEnv = "FD_TEST_AD_MANAGER_PW"

// adSetting is a search setting for the test domain over LDAPS, as the
// manager svc-reader, finding users by sAMAccountName under OU=Staff.
func adSetting(dc *sambatest.Server) Setting {
	s := NewSetting("corp")
	s.URL, s.CAFile = dc.LDAPSURL+"/"+sambatest.BaseDN, dc.CAFile
	s.Search = Search{Filter: "(sAMAccountName={0})", Base: "OU=Staff", SubTree: true,
		ManagerDN: sambatest.Reader().DN, ManagerPasswordEnv: adManagerEnv}
	return s
}

// adOptions tests user with their fixture password, or with password when
// one is given.
func adOptions(user string, password ...string) Options {
	pw := ""
	switch {
	case len(password) > 0:
		pw = password[0]
	case user != "":
		pw = sambatest.UserByLogin(user).Password
	}
	return Options{Username: user, Password: pw,
		Getenv:         func(k string) string { return map[string]string{adManagerEnv: sambatest.Reader().Password}[k] },
		ConnectTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second}
}

// adRun runs a test like run does and also checks that no fixture
// password leaks into the result.
func adRun(t *testing.T, s Setting, groups []GroupSetting, opt Options) Result {
	t.Helper()
	res := run(t, context.Background(), s, groups, opt)
	out := resultText(res)
	for _, u := range sambatest.Users {
		if strings.Contains(out, u.Password) {
			t.Errorf("the password of %s appears in the result", u.Login)
		}
	}
	return res
}

func resultText(res Result) string {
	var b strings.Builder
	for _, st := range res.Steps {
		b.WriteString(st.Name + " " + st.Detail + " " + st.Hint + "\n")
	}
	return b.String()
}

// wantStep is a step that must be in a result: kind, status, reason, and
// parts of its detail and hint.
type wantStep struct {
	kind   StepKind
	status Status
	reason Reason
	detail string
	hint   string
}

func (w wantStep) in(res Result) bool {
	for _, st := range res.Steps {
		if st.Kind == w.kind && st.Status == w.status && st.Reason == w.reason &&
			strings.Contains(st.Detail, w.detail) && strings.Contains(st.Hint, w.hint) {
			return true
		}
	}
	return false
}

// lookupOnly is adOptions for a lookup without a password.
func lookupOnly(o Options) Options {
	o.Password, o.LookupOnly = "", true
	return o
}

func TestRunAgainstActiveDirectory(t *testing.T) {
	dc := domain(t)
	alice := sambatest.UserByLogin("alice")
	summary := func(status Status, reason Reason, detail string) wantStep {
		return wantStep{kind: StepSummary, status: status, reason: reason, detail: detail}
	}
	tests := []struct {
		name    string
		setting func(*Setting)
		opt     Options
		ok      bool
		userDN  string
		steps   []wantStep
		not     []string // must appear in no step
	}{
		{"LDAPS login by sAMAccountName", nil, adOptions("alice"), true, alice.DN, []wantStep{
			{kind: StepUserSearch, status: StatusOK, detail: "filter (sAMAccountName=alice): found " + alice.DN},
			{kind: StepLockout, status: StatusInfo, detail: "Active Directory locks an account after 5 wrong passwords within 30m0s, for 30m0s (lockoutThreshold on DC=corp,DC=test); the account has 0 recent wrong password(s)"},
			summary(StatusOK, ReasonNone, `"alice" found and authenticated`)}, nil},
		// Samba's certificate often has a negative serial: accepted as
		// Java does, with a warning; never "the server did not speak TLS".
		{"negative serial accepted over LDAPS", nil, adOptions("alice"), true, alice.DN, []wantStep{
			{kind: StepTLS, status: StatusWarn, reason: ReasonNegativeSerial, detail: "verified", hint: "negative serial number"}}, []string{"did not speak TLS"}},
		{"StartTLS on 389", func(s *Setting) { s.URL, s.StartTLS = dc.URL+"/"+sambatest.BaseDN, true }, adOptions("alice"), true, alice.DN,
			[]wantStep{{kind: StepTLS, status: StatusWarn, reason: ReasonNegativeSerial, detail: "verified"}}, nil},
		// AD's default policy refuses simple binds without TLS.
		{"plain LDAP is refused with result 8", func(s *Setting) { s.URL, s.CAFile = dc.URL+"/"+sambatest.BaseDN, "" }, adOptions("alice"), false, "",
			[]wantStep{{kind: StepManagerBind, status: StatusFail, reason: ReasonServer, detail: "result 8", hint: "use ldaps:// or startTls"}}, nil},
		{"global catalog over TLS", func(s *Setting) { s.URL, s.Search.Base = dc.GCSURL+"/"+sambatest.BaseDN, "" }, adOptions("alice"), true, alice.DN,
			[]wantStep{{kind: StepConnect, status: StatusOK, detail: "port 3269 is Active Directory's global catalog"}}, nil},
		{"referrals from the domain root", func(s *Setting) { s.Search.Base = "" }, adOptions("alice"), true, alice.DN,
			[]wantStep{{kind: StepReferral, status: StatusInfo, reason: ReasonReferral, detail: "corp.test does not resolve from here", hint: "global catalog"}}, nil},

		// The manager as AD admins write it.
		{"manager as a user principal name", func(s *Setting) { s.Search.ManagerDN = sambatest.Reader().UPN() }, adOptions("alice"), true, alice.DN,
			[]wantStep{{kind: StepManagerBind, status: StatusOK, detail: "bound as svc-reader@corp.test"}}, nil},
		{"manager as DOMAIN\\user", func(s *Setting) { s.Search.ManagerDN = sambatest.Reader().NT() }, adOptions("alice"), true, alice.DN,
			[]wantStep{{kind: StepManagerBind, status: StatusOK, detail: `bound as CORP\svc-reader`}}, nil},
		{"wrong manager password keeps AD's code", func(s *Setting) { s.Search.ManagerPasswordEnv = "FD_TEST_UNSET" }, func() Options {
			o := adOptions("alice")
			o.ManagerPassword = "Not-The-Readers-Passw0rd"
			return o
		}(), false, "", []wantStep{{kind: StepManagerBind, status: StatusFail, reason: ReasonInvalidCredentials, detail: "(Active Directory data 52e: invalid credentials)"}}, nil},

		// Login names as users type them.
		{"userPrincipalName filter", func(s *Setting) { s.Search.Filter = "(userPrincipalName={0})" }, adOptions("alice@corp.test", alice.Password), true, alice.DN, nil, nil},
		{"CORP\\alice against sAMAccountName", nil, adOptions(`CORP\alice`, "whatever"), false, "", []wantStep{
			{kind: StepWhyNotFound, status: StatusInfo, reason: ReasonTypedLoginName, detail: `sAMAccountName of ` + alice.DN + ` is "alice"`, hint: `users type "alice"`},
			summary(StatusFail, ReasonNotFound, `"CORP\alice" was not found, so no login was tried; failed at: User lookup`)}, []string{`CORP\\alice`}}, // as typed: one backslash
		{"alice@corp.test against sAMAccountName", nil, adOptions("alice@corp.test", "whatever"), false, "", []wantStep{
			{kind: StepWhyNotFound, status: StatusInfo, reason: ReasonTypedLoginName, detail: "is the account's userPrincipalName", hint: "(userPrincipalName={0})"}}, nil},

		// Account states: the code stays in the message, with its meaning
		// and fix; the summary gives the bind step's reason.
		{"wrong password", nil, adOptions("bob", "Not-Bobs-Passw0rd"), false, sambatest.UserByLogin("bob").DN, []wantStep{
			{kind: StepUserBind, status: StatusFail, reason: ReasonInvalidCredentials, detail: "wrong password for CN=Bob Baker,OU=Staff,DC=corp,DC=test (the entry exists) (Active Directory data 52e: invalid credentials)", hint: "lock"},
			summary(StatusFail, ReasonInvalidCredentials, "but not authenticated")}, nil},
		{"disabled (533)", nil, adOptions(sambatest.DisabledLogin), false, "", []wantStep{
			{kind: StepUserBind, status: StatusFail, reason: ReasonAccountProblem, detail: "data 533: account disabled", hint: "password was right, but the account cannot log in: the account is disabled"},
			summary(StatusFail, ReasonAccountProblem, "cannot log in: Active Directory data 533, account disabled")}, nil},
		{"must change the password (773)", nil, adOptions(sambatest.MustChangeLogin), false, "", []wantStep{
			{kind: StepUserBind, status: StatusFail, reason: ReasonAccountProblem, detail: "data 773: user must change the password", hint: "the server cannot change passwords"},
			summary(StatusFail, ReasonAccountProblem, "data 773")}, nil},
		{"account expired (701)", nil, adOptions(sambatest.AccountExpiredLogin), false, "", []wantStep{
			{kind: StepUserBind, status: StatusFail, reason: ReasonAccountProblem, detail: "data 701: account expired", hint: "accountExpires"},
			summary(StatusFail, ReasonAccountProblem, "data 701")}, nil},
		{"password expired (532)", nil, adOptions(sambatest.ExpiredPasswordLogin), false, "", []wantStep{
			{kind: StepUserBind, status: StatusFail, reason: ReasonAccountProblem, detail: "data 532: password expired", hint: "Password never expires"},
			summary(StatusFail, ReasonAccountProblem, "data 532")}, nil},
		// A locked-out account: AD would answer 775 whatever the password,
		// so the run does not bind (a bind could extend the lockout).
		{"locked out: no bind", nil, adOptions(sambatest.LockedLogin, "Maybe-Right-Passw0rd"), false, sambatest.UserByLogin(sambatest.LockedLogin).DN, []wantStep{
			{kind: StepLockout, status: StatusWarn, reason: ReasonLockedOut, detail: "the account is locked out now: a bind fails whatever the password, so this test does not bind as the user", hint: "Unlock account"},
			{kind: StepUserBind, status: StatusSkip, reason: ReasonLockedOut, detail: "not tried: the account is locked out (until ", hint: "wait for the lockout to end (it lasts 30m0s)"},
			summary(StatusFail, ReasonLockedOut, "but the account is locked out, so the login was not tried")}, []string{"password was right", "wrong password for", "password refused", "data 775"}},

		// Why not found, looking wider as the manager.
		{"outside the search bases", nil, adOptions("dave", "whatever"), false, "", []wantStep{
			{kind: StepWhyNotFound, status: StatusInfo, reason: ReasonOutsideBases, detail: "CN=Dave Dent,OU=Contractors,DC=corp,DC=test exists outside search.base", hint: "add OU=Contractors to search.base"}}, nil},
		{"deeper than one level", func(s *Setting) { s.Search.SubTree = false }, adOptions("carol", "whatever"), false, "", []wantStep{
			{kind: StepWhyNotFound, status: StatusInfo, reason: ReasonBelowOneLevel, detail: "deeper than one level", hint: "turn search.subTree on, or add OU=Engineering,OU=Staff to search.base"}}, nil},
		{"excluded by a clause of the filter", func(s *Setting) {
			s.Search.Filter = "(&(objectClass=user)(sAMAccountName={0})(!(userAccountControl:1.2.840.113556.1.4.803:=2)))"
		}, adOptions(sambatest.DisabledLogin, "whatever"), false, "", []wantStep{
			{kind: StepWhyNotFound, status: StatusInfo, reason: ReasonExcludedByFilter, detail: "the clause (!(userAccountControl:1.2.840.113556.1.4.803:=2)) of search.filter excludes CN=Disabled User,OU=Staff,DC=corp,DC=test (the account is disabled)"}}, nil},
		{"under another attribute", func(s *Setting) { s.Search.Filter = "(sAMAccountName={0})" }, adOptions("carol@corp.test", "whatever"), false, "", []wantStep{
			{kind: StepWhyNotFound, status: StatusInfo, reason: ReasonTypedLoginName, detail: "userPrincipalName and mail"}}, nil},
		{"nowhere", nil, adOptions("zed", "whatever"), false, "", []wantStep{
			{kind: StepWhyNotFound, status: StatusInfo, reason: ReasonNotInDirectory, detail: `nothing under DC=corp,DC=test has "zed" as sAMAccountName, userPrincipalName, mail, cn`}}, nil},

		// Lookup only: everything but the user's bind.
		{"lookup only", nil, lookupOnly(adOptions("alice")), true, alice.DN, []wantStep{
			{kind: StepLockout, status: StatusInfo, detail: "this lookup does not bind as the user"},
			{kind: StepUserBind, status: StatusSkip, reason: ReasonLookupOnly, detail: "no password sent"},
			{kind: StepEmail, status: StatusOK, detail: "alice@corp.test"},
			summary(StatusOK, ReasonNone, "lookup only: no bind, the password was not tested")}, nil},
		{"lookup only of a locked account", nil, lookupOnly(adOptions(sambatest.LockedLogin)), true, sambatest.UserByLogin(sambatest.LockedLogin).DN, []wantStep{
			{kind: StepLockout, status: StatusWarn, reason: ReasonLockedOut}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := adSetting(dc)
			if tc.setting != nil {
				tc.setting(&s)
			}
			res := adRun(t, s, nil, tc.opt)
			if res.OK() != tc.ok {
				t.Errorf("OK %v, want %v", res.OK(), tc.ok)
			}
			if tc.userDN != "" && res.UserDN != tc.userDN {
				t.Errorf("user DN %q, want %q", res.UserDN, tc.userDN)
			}
			for _, w := range tc.steps {
				if !w.in(res) {
					t.Errorf("no %s step %s/%q with detail ~ %q and hint ~ %q", w.kind, w.status, w.reason, w.detail, w.hint)
				}
			}
			text := resultText(res)
			for _, n := range tc.not {
				if strings.Contains(text, n) {
					t.Errorf("%q appears in the result", n)
				}
			}
		})
	}
}

// risky has LockoutThreshold-1 wrong passwords (badPwdCount, set by the
// fixture's failed binds): the run does not bind unless the caller allows
// the risk; allowed, the right password logs in and AD clears the count.
// The locked-out account is not bound as even when allowed.
func TestLockoutGuardOnActiveDirectory(t *testing.T) {
	dc := domain(t)
	risky := sambatest.UserByLogin(sambatest.LockoutRiskLogin)
	opt := func(user string, allow bool) Options {
		o := adOptions(user)
		o.AllowLockoutRisk, o.LockoutRiskControl = allow, "--risk-lockout"
		return o
	}
	failures := fmt.Sprintf("the account has %d recent wrong password(s)", sambatest.LockoutThreshold-1)
	for range 2 { // twice: the skipped bind counted nothing
		res := adRun(t, adSetting(dc), nil, opt(sambatest.LockoutRiskLogin, false))
		for _, w := range []wantStep{
			{kind: StepLockout, status: StatusWarn, reason: ReasonLockoutRisk, detail: failures + "; one more wrong password locks the account, so this test does not bind as the user"},
			{kind: StepUserBind, status: StatusSkip, reason: ReasonLockoutRisk, detail: fmt.Sprintf("the directory locks the account after %d", sambatest.LockoutThreshold), hint: "test again with --risk-lockout"},
			{kind: StepSummary, status: StatusFail, reason: ReasonLockoutRisk, detail: "found as " + risky.DN + " but the login was not tried"},
		} {
			if !w.in(res) {
				t.Errorf("no %s step %s/%q ~ %q / %q in %+v", w.kind, w.status, w.reason, w.detail, w.hint, res.Steps)
			}
		}
		if res.Authenticated || res.Lockout == nil || res.Lockout.Failures != sambatest.LockoutThreshold-1 {
			t.Errorf("authenticated %v, lockout %+v", res.Authenticated, res.Lockout)
		}
	}
	locked := adRun(t, adSetting(dc), nil, opt(sambatest.LockedLogin, true))
	if st, _ := locked.Last(StepUserBind); st.Status != StatusSkip || st.Reason != ReasonLockedOut {
		t.Errorf("locked out, risk allowed: %+v", st)
	}
	res := adRun(t, adSetting(dc), nil, opt(sambatest.LockoutRiskLogin, true))
	if !res.OK() || !(wantStep{kind: StepLockout, status: StatusWarn, reason: ReasonLockoutRisk, detail: "this test binds as the user once, as allowed"}).in(res) {
		t.Errorf("allowed: %+v", res.Steps)
	}
	if res = adRun(t, adSetting(dc), nil, opt(sambatest.LockoutRiskLogin, false)); !res.OK() || res.Lockout.Failures != 0 {
		t.Errorf("after a good bind: lockout %+v", res.Lockout)
	}
}

// Nested groups on AD: alice is in Developers, which is in Engineering.
// The in-chain attribute and filter form list both; the plain attribute
// lists Developers and says indirect groups are left out.
func TestActiveDirectoryGroups(t *testing.T) {
	dc := domain(t)
	group := func(name, strategy, member, filter string) GroupSetting {
		return GroupSetting{Name: name, LDAPSetting: "corp", BaseDN: "OU=Groups", NameAttribute: "cn", MemberAttribute: member,
			SubTree: true, Filter: filter, Strategy: strategy}
	}
	groups := []GroupSetting{
		group("plain", "static", "member", "(objectClass=group)"),
		group("chain", "static", "member:"+InChainRule+":", "(objectClass=group)"),
		group("filter-form", "static", "member", "(member:"+InChainRule+":={0})"),
		group("memberof", "dynamic", "memberOf", ""),
	}
	tests := []struct {
		user  string
		want  map[string]string // setting -> sorted names
		steps []wantStep
	}{
		{"alice", map[string]string{"plain": "Developers", "chain": "Developers,Engineering", "filter-form": "Developers,Engineering", "memberof": "Developers"},
			[]wantStep{
				{kind: StepGroups, status: StatusInfo, reason: ReasonNestedGroups, detail: "indirect groups are not included: Engineering (through Developers)", hint: "member:" + InChainRule + ":"},
				{kind: StepGroups, status: StatusOK, detail: "filter (&(objectClass=group)(member:" + InChainRule + ":=CN=Alice Archer,OU=Staff,DC=corp,DC=test))"},
			}},
		{"dave", map[string]string{"plain": "Engineering", "chain": "Engineering", "filter-form": "Engineering", "memberof": "Engineering"}, nil},
		// bob is in no group but his primary group, which AD never lists.
		{"bob", map[string]string{}, []wantStep{
			{kind: StepGroups, status: StatusWarn, reason: ReasonNoGroups, hint: "primary group (usually Domain Users)"},
			{kind: StepGroups, status: StatusWarn, reason: ReasonNoGroups, hint: "memberof overlay"}}},
	}
	for _, tc := range tests {
		t.Run(tc.user, func(t *testing.T) {
			s := adSetting(dc)
			s.Search.Base = "OU=Staff|OU=Contractors"
			res := adRun(t, s, groups, adOptions(tc.user))
			if !res.OK() {
				t.Fatal("not OK")
			}
			got := map[string][]string{}
			for _, g := range res.Groups {
				got[g.Setting] = append(got[g.Setting], g.Name)
			}
			for _, g := range groups {
				names := got[g.Name]
				slices.Sort(names)
				if strings.Join(names, ",") != tc.want[g.Name] {
					t.Errorf("%s: %v, want %s", g.Name, names, tc.want[g.Name])
				}
			}
			for _, w := range tc.steps {
				if !w.in(res) {
					t.Errorf("no %s step %s/%q with detail ~ %q and hint ~ %q", w.kind, w.status, w.reason, w.detail, w.hint)
				}
			}
		})
	}
}

// The listing on AD: paged (pages of 3 here; AD's MaxPageSize is 1000),
// nested groups resolved by the server per user, plain ones read once.
func TestListUsersActiveDirectory(t *testing.T) {
	dc := domain(t)
	groups := []GroupSetting{
		{Name: "chain", LDAPSetting: "corp", BaseDN: "OU=Groups", NameAttribute: "cn", MemberAttribute: "member:" + InChainRule + ":", SubTree: true, Filter: "(objectClass=group)", Strategy: "static"},
		{Name: "plain", LDAPSetting: "corp", BaseDN: "OU=Groups", NameAttribute: "cn", MemberAttribute: "member", SubTree: true, Filter: "(objectClass=group)", Strategy: "static"},
		{Name: "memberof", LDAPSetting: "corp", BaseDN: "OU=Groups", NameAttribute: "cn", MemberAttribute: "memberOf", Strategy: "dynamic"},
	}
	s := adSetting(dc)
	s.Search.Base = "OU=Staff|OU=Contractors"
	s.Search.Filter = "(&(objectClass=user)(sAMAccountName={0})(!(userAccountControl:1.2.840.113556.1.4.803:=2)))"
	l := listed(t, s, groups, adOptions(""), ListOptions{Limit: -1, PageSize: 3})
	if !l.OK() || l.LoginAttribute != "sAMAccountName" || l.Filter != "(&(objectClass=user)(sAMAccountName=*)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))" {
		t.Fatalf("listing %+v", l)
	}
	alice, ok := user(l, sambatest.UserByLogin("alice").DN)
	if !ok || alice.Login != "alice" || alice.Email != "alice@corp.test" ||
		groupList(alice, "chain") != "Developers,Engineering" || groupList(alice, "plain") != "Developers" || groupList(alice, "memberof") != "Developers" {
		t.Errorf("alice: %+v", alice)
	}
	if bob, ok := user(l, sambatest.UserByLogin("bob").DN); !ok || !slices.Equal(bob.Flags, []UserFlag{FlagNoEmail}) || len(bob.Groups) != 0 {
		t.Errorf("bob: %+v", bob)
	}
	if dave, ok := user(l, sambatest.UserByLogin("dave").DN); !ok || groupList(dave, "plain") != "Engineering" || dave.Bases[0] != "OU=Contractors,"+sambatest.BaseDN {
		t.Errorf("dave: %+v", dave)
	}
	if _, ok := user(l, sambatest.UserByLogin(sambatest.DisabledLogin).DN); ok {
		t.Error("the filter's clause excludes disabled accounts, yet one is listed")
	}
	if _, ok := user(l, sambatest.Reader().DN); ok {
		t.Error("an account outside the bases is listed")
	}
	for _, w := range []wantStep{
		{kind: StepUserSearch, status: StatusOK, detail: "page(s) of up to 3"},
		{kind: StepGroups, status: StatusOK, detail: "one search per user under OU=Groups,DC=corp,DC=test with (&(objectClass=group)(member:" + InChainRule + ":=USER-DN))"},
		{kind: StepGroups, status: StatusOK, detail: "with (&(objectClass=group)(member=USER-DN))"},
	} {
		if !w.in(Result{Steps: l.Steps}) {
			t.Errorf("no %s step %s/%q ~ %q", w.kind, w.status, w.reason, w.detail)
		}
	}
	// Read once and matched here, plain groups are what AD's search gives.
	func() {
		defer func(n int) { perUserGroupSearches = n }(perUserGroupSearches)
		perUserGroupSearches = 0
		indexed := listed(t, s, groups, adOptions(""), ListOptions{Limit: -1})
		if !(wantStep{kind: StepGroups, status: StatusOK, detail: "read once"}).in(Result{Steps: indexed.Steps}) || len(indexed.Users) != len(l.Users) {
			t.Fatalf("the index was not used, or %d users, want %d", len(indexed.Users), len(l.Users))
		}
		for i, u := range l.Users {
			for _, g := range groups {
				if a, b := groupList(u, g.Name), groupList(indexed.Users[i], g.Name); a != b {
					t.Errorf("%s %s: per user %q, indexed %q", u.DN, g.Name, a, b)
				}
			}
		}
	}()
	// From the domain root AD adds references: information, hosts looked up.
	s.Search.Base = ""
	l = listed(t, s, nil, adOptions(""), ListOptions{Limit: 3})
	if !l.More || len(l.Users) != 3 || !(wantStep{kind: StepReferral, status: StatusInfo, reason: ReasonReferral, detail: "corp.test does not resolve"}).in(Result{Steps: l.Steps}) {
		t.Errorf("more %v, %d users, steps %+v", l.More, len(l.Users), l.Steps)
	}
}

// The listing flags the accounts of the test domain that cannot log in,
// from the attributes AD keeps (userAccountControl, lockoutTime within the
// domain's lockoutDuration, accountExpires, pwdLastSet against maxPwdAge);
// the working accounts, risky (not locked yet) included, have none.
func TestListUsersFlagsAccountsThatCannotLogInOnActiveDirectory(t *testing.T) {
	dc := domain(t)
	s := adSetting(dc)
	s.Search.Filter = "(sAMAccountName={0})"
	l := listed(t, s, nil, adOptions(""), ListOptions{Limit: -1})
	want := map[string][]UserFlag{
		"alice":                        nil,
		"carol":                        nil,
		sambatest.LockoutRiskLogin:     nil,
		sambatest.DisabledLogin:        {FlagDisabled},
		sambatest.LockedLogin:          {FlagLocked},
		sambatest.AccountExpiredLogin:  {FlagExpired},
		sambatest.MustChangeLogin:      {FlagMustChangePassword},
		sambatest.ExpiredPasswordLogin: {FlagPasswordExpired},
	}
	for login, flags := range want {
		u, ok := user(l, sambatest.UserByLogin(login).DN)
		if !ok {
			t.Errorf("%s not listed", login)
			continue
		}
		if !slices.Equal(u.Flags, flags) {
			t.Errorf("%s: flags %v, want %v", login, u.Flags, flags)
		}
	}
	sum := l.Steps[len(l.Steps)-1]
	for _, part := range []string{"1 disabled", "1 locked out", "1 expired", "1 that must change their password first", "1 with an expired password"} {
		if !strings.Contains(sum.Detail, part) {
			t.Errorf("summary %q lacks %q", sum.Detail, part)
		}
	}
	var b strings.Builder
	WriteUsers(&b, l)
	if !strings.Contains(b.String(), "must-change-password") || !strings.Contains(b.String(), "locked") {
		t.Errorf("table:\n%s", b.String())
	}
}
