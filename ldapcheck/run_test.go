package ldapcheck

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"
)

const (
	managerEnv = "FD_TEST_MANAGER_PW"
	managerPW  = "reader-pw"
	// wrongManagerEnv holds a password that is not the manager's.
	wrongManagerEnv = "FD_TEST_WRONG_MANAGER_PW"
	// limitedEnv holds the password of cn=limited, whose searches the test
	// directory cuts at one entry.
	limitedEnv = "FD_TEST_LIMITED_PW"
	base       = "dc=example,dc=com"
)

// searchSetting is a valid search-based setting for the test directory.
func searchSetting(url string) Setting {
	s := NewSetting("test")
	s.URL = url + "/" + base
	s.Search = Search{Filter: "(uid={0})", Base: "ou=people", SubTree: true,
		ManagerDN: "cn=reader," + base, ManagerPasswordEnv: managerEnv}
	return s
}

func testOptions(user, password string) Options {
	return Options{
		Username: user, Password: password,
		Getenv: func(k string) string {
			return map[string]string{managerEnv: managerPW, wrongManagerEnv: "not-the-password", limitedEnv: "limited-pw"}[k]
		},
		ConnectTimeout: 5 * time.Second, ReadTimeout: 5 * time.Second,
	}
}

// run runs the test and checks what must hold for every run: steps were
// streamed in order, the summary comes last, and no password leaks.
func run(t *testing.T, ctx context.Context, s Setting, groups []GroupSetting, opt Options) Result {
	t.Helper()
	var streamed []Step
	res := Run(ctx, s, groups, opt, func(st Step) { streamed = append(streamed, st) })
	if len(streamed) != len(res.Steps) {
		t.Errorf("streamed %d steps, result has %d", len(streamed), len(res.Steps))
	}
	if len(res.Steps) == 0 || res.Steps[len(res.Steps)-1].Kind != StepSummary {
		t.Errorf("the last step is not the summary: %+v", res.Steps)
	}
	out, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{opt.Password, managerPW, opt.ManagerPassword} {
		if len(secret) > 3 && strings.Contains(string(out), secret) {
			t.Errorf("a password (%d chars) appears in the result: %s", len(secret), out)
		}
	}
	if t.Failed() || testing.Verbose() {
		for _, st := range res.Steps {
			t.Logf("%s %s: %s [%s] %s", st.Status.Symbol(), st.Name, st.Detail, st.Reason, st.Hint)
		}
	}
	return res
}

// hasStep reports whether a step of kind k ended with status st and reason.
func hasStep(res Result, k StepKind, st Status, reason Reason) bool {
	for _, s := range res.Steps {
		if s.Kind == k && s.Status == st && s.Reason == reason {
			return true
		}
	}
	return false
}

func TestRunAgainstSlapd(t *testing.T) {
	dir := directory(t)
	type want struct {
		ok         bool
		found      bool
		userDN     string
		searchBase string
		email      string
		step       StepKind // a step that must be there...
		status     Status   // ...with this status
		reason     Reason   // ...and reason
		detail     string   // ...whose detail contains this
		hint       string   // ...and whose hint contains this
	}
	tests := []struct {
		name     string
		setting  func(*Setting)
		user, pw string
		want     want
	}{
		{"DN pattern login", func(s *Setting) { s.UserDNPattern, s.Search = "uid={0},ou=people", Search{} },
			"alice", "alice-pw", want{ok: true, found: true, userDN: "uid=alice,ou=people," + base, email: "alice@example.com",
				step: StepManagerBind, status: StatusInfo, detail: "anonymous"}},
		{"search login", nil, "alice", "alice-pw",
			want{ok: true, found: true, userDN: "uid=alice,ou=people," + base, searchBase: "ou=people," + base, email: "alice@example.com",
				step: StepManagerBind, status: StatusOK, detail: "bound as cn=reader"}},
		{"filter without parentheses", func(s *Setting) { s.Search.Filter = "uid={0}" }, "alice", "alice-pw",
			want{ok: true, found: true, userDN: "uid=alice,ou=people," + base, step: StepUserSearch, status: StatusOK, detail: "filter (uid=alice)"}},
		{"several bases: found in the second", func(s *Setting) { s.Search.Base = "ou=people|ou=contractors" }, "dave", "dave-pw",
			want{ok: true, found: true, userDN: "uid=dave,ou=contractors," + base, searchBase: "ou=contractors," + base,
				step: StepUserSearch, status: StatusWarn, reason: ReasonNotFound, detail: "no entry"}},
		{"sub-tree finds the nested user", nil, "carol", "carol-pw",
			want{ok: true, found: true, userDN: "uid=carol,ou=nested,ou=people," + base}},
		{"sub-tree off misses the nested user", func(s *Setting) { s.Search.SubTree = false }, "carol", "carol-pw",
			want{step: StepUserSearch, status: StatusFail, reason: ReasonNotFound, hint: "subTree"}},
		{"wrong password", nil, "alice", "Wr0ng-Secret",
			want{found: true, userDN: "uid=alice,ou=people," + base,
				step: StepUserBind, status: StatusFail, reason: ReasonInvalidCredentials, detail: "wrong password", hint: "lock"}},
		{"wrong password with a DN pattern", func(s *Setting) { s.UserDNPattern, s.Search.Filter, s.Search.Base = "uid={0},ou=people", "", "" },
			"alice", "Wr0ng-Secret", want{step: StepUserBind, status: StatusFail, reason: ReasonInvalidCredentials, detail: "entry exists", hint: "lock"}},
		{"unknown user with a DN pattern", func(s *Setting) { s.UserDNPattern, s.Search.Filter, s.Search.Base = "uid={0},ou=people", "", "" },
			"zed", "whatever", want{step: StepUserBind, status: StatusFail, reason: ReasonNotFound, detail: "no entry uid=zed"}},
		{"unknown user", nil, "zed", "whatever",
			want{step: StepUserSearch, status: StatusFail, reason: ReasonNotFound, detail: `"zed" not found`}},
		{"user found twice", func(s *Setting) { s.Search.Base = "" }, "dup", "dup-pw",
			want{step: StepUserSearch, status: StatusFail, reason: ReasonAmbiguous, detail: "uid=dup,ou=contractors"}},
		{"the first base that works wins", func(s *Setting) { s.Search.Base = "ou=contractors|ou=people" }, "dup", "dup-pw",
			want{ok: true, found: true, userDN: "uid=dup,ou=contractors," + base}},
		{"wrong manager password", func(s *Setting) { s.Search.ManagerPasswordEnv = wrongManagerEnv }, "alice", "alice-pw",
			want{step: StepManagerBind, status: StatusFail, reason: ReasonInvalidCredentials, detail: "wrong manager DN or password", hint: "$" + wrongManagerEnv}},
		{"wrong manager DN", func(s *Setting) { s.Search.ManagerDN = "cn=nobody," + base }, "alice", "alice-pw",
			want{step: StepManagerBind, status: StatusFail, reason: ReasonInvalidCredentials, detail: "wrong manager DN or password"}},
		{"manager password variable unset", func(s *Setting) { s.Search.ManagerPasswordEnv = "FD_TEST_UNSET" }, "alice", "alice-pw",
			want{step: StepManagerBind, status: StatusFail, reason: ReasonManagerPassword, detail: "FD_TEST_UNSET is not set", hint: "read -rs FD_TEST_UNSET && export FD_TEST_UNSET"}},
		{"searches are skipped without the manager", func(s *Setting) { s.Search.ManagerPasswordEnv = "FD_TEST_UNSET" }, "alice", "alice-pw",
			want{step: StepUserSearch, status: StatusSkip}},
		{"missing base shows the matched DN", func(s *Setting) { s.Search.Base = "ou=nope" }, "alice", "alice-pw",
			want{step: StepUserSearch, status: StatusFail, reason: ReasonNoSuchObject, detail: `deepest existing entry is "` + base + `"`,
				hint: "nothing named ou=nope exists under " + base}},
		// Access controls answer "no such object" without a matched DN:
		// not a base "above the root DSE" that is wrong.
		{"a base hidden from the manager", func(s *Setting) { s.Search.Base = "ou=hidden" }, "hank", "hank-pw",
			want{step: StepUserSearch, status: StatusFail, reason: ReasonNoSuchObject,
				detail: "base ou=hidden," + base + ": no such object, and the server shows no entry above it either: access controls hide it from the manager cn=reader," + base,
				hint:   "let the manager cn=reader," + base + " read it"}},
		{"a base refused to anonymous searches", func(s *Setting) { s.Search.Base, s.Search.ManagerDN, s.Search.ManagerPasswordEnv = "ou=hidden", "", "" },
			"hank", "hank-pw", want{step: StepUserSearch, status: StatusFail, reason: ReasonAccess, hint: "anonymous searches may not read there: set search.managerDn"}},
		{"a user hidden from the manager is not called missing", func(s *Setting) { s.UserDNPattern, s.Search.Filter, s.Search.Base = "uid={0},ou=hidden", "", "" },
			"hank", "Wr0ng-Secret", want{step: StepUserBind, status: StatusFail, reason: ReasonInvalidCredentials,
				detail: "password refused for uid=hank,ou=hidden," + base, hint: "lock"}},
		{"a user hidden from the manager binds", func(s *Setting) { s.UserDNPattern, s.Search.Filter, s.Search.Base = "uid={0},ou=hidden", "", "" },
			"hank", "hank-pw", want{ok: true, found: true, userDN: "uid=hank,ou=hidden," + base, email: "hank@example.com"}},
		{"not found mentions access controls", func(s *Setting) { s.Search.Base = "" }, "hank", "hank-pw",
			want{step: StepUserSearch, status: StatusFail, reason: ReasonNotFound, hint: "access controls may hide it from the manager cn=reader"}},
		{"filter syntax error stops before the network", func(s *Setting) { s.Search.Filter = "(uid={0}" }, "alice", "alice-pw",
			want{step: StepInput, status: StatusFail, reason: ReasonInvalidSettings, detail: "search.filter"}},
		{"empty password never reaches a bind", nil, "alice", "",
			want{step: StepInput, status: StatusFail, reason: ReasonEmptyPassword}},
		{"email attribute missing lists the attributes", nil, "bob", "bob-pw",
			want{ok: true, found: true, step: StepEmail, status: StatusWarn, reason: ReasonNoEmail, detail: "telephoneNumber"}},
		{"referrals are information", func(s *Setting) { s.Search.Base = "" }, "alice", "alice-pw",
			want{ok: true, found: true, step: StepReferral, status: StatusInfo, reason: ReasonReferral, detail: "ldap://partners.example.com/"}},
		{"a base under a referral", func(s *Setting) { s.Search.Base = "ou=partners" }, "alice", "alice-pw",
			want{step: StepReferral, status: StatusInfo, reason: ReasonReferral, detail: "ldap://partners.example.com/"}},
		{"host name is looked up", func(s *Setting) { s.URL = strings.Replace(s.URL, "127.0.0.1", "localhost", 1) }, "alice", "alice-pw",
			want{ok: true, found: true, step: StepDNS, status: StatusOK, detail: "localhost is"}},

		// Usernames that would widen a search or change a DN if not escaped.
		// With alice's password, an unescaped "a*" would log in as alice.
		{"username * in a filter", nil, "*", "alice-pw", want{step: StepUserSearch, status: StatusWarn, reason: ReasonNotFound, detail: "filter " + `(uid=\2a)` + ": no entry"}},
		{"username a* in a filter", nil, "a*", "alice-pw", want{step: StepUserSearch, status: StatusWarn, reason: ReasonNotFound, detail: "filter " + `(uid=a\2a)` + ": no entry"}},
		{"username x)(uid=* in a filter", nil, "x)(uid=*", "alice-pw", want{step: StepUserSearch, status: StatusWarn, reason: ReasonNotFound, detail: "filter " + `(uid=x\29\28uid=\2a)` + ": no entry"}},
		// OpenLDAP returns the DN with the comma hex-escaped.
		// Letters beyond ASCII are sent and shown as typed, not as \c3\ab.
		{"username with letters beyond ASCII", func(s *Setting) { s.Search.Filter, s.Search.Base = "(cn={0})", "ou=contractors" }, "Zoë Müller", "zoe-pw",
			want{ok: true, found: true, userDN: "cn=Zoë Müller,ou=contractors," + base, email: "zoe@example.com",
				step: StepUserSearch, status: StatusOK, detail: "filter (cn=Zoë Müller): found"}},
		{"username a,b in a filter binds only a,b", func(s *Setting) { s.Search.Base = "ou=contractors" }, "a,b", "comma-pw",
			want{ok: true, found: true, userDN: `uid=a\2Cb,ou=contractors,` + base}},
		{"username a,b in a filter with another's password", func(s *Setting) { s.Search.Base = "ou=contractors" }, "a,b", "alice-pw",
			want{found: true, userDN: `uid=a\2Cb,ou=contractors,` + base, step: StepUserBind, status: StatusFail, reason: ReasonInvalidCredentials}},
		{"username * in a DN pattern", func(s *Setting) { s.UserDNPattern, s.Search.Filter, s.Search.Base = "uid={0},ou=people", "", "" },
			"*", "alice-pw", want{step: StepUserBind, status: StatusFail, reason: ReasonNotFound}},
		{"username a,b in a DN pattern is escaped", func(s *Setting) { s.UserDNPattern, s.Search.Filter, s.Search.Base = "uid={0},ou=contractors", "", "" },
			"a,b", "comma-pw", want{ok: true, found: true, userDN: `uid=a\,b,ou=contractors,` + base, email: "comma@example.com"}},
		{"username a,b in a DN pattern with another's password", func(s *Setting) { s.UserDNPattern, s.Search.Filter, s.Search.Base = "uid={0},ou=contractors", "", "" },
			"a,b", "alice-pw", want{step: StepUserBind, status: StatusFail, reason: ReasonInvalidCredentials, detail: `uid=a\,b,ou=contractors`}},
		{"username alice,ou=people in a DN pattern", func(s *Setting) { s.UserDNPattern, s.Search.Filter, s.Search.Base = "uid={0},ou=contractors", "", "" },
			"alice,ou=people", "alice-pw", want{step: StepUserBind, status: StatusFail, reason: ReasonNotFound, detail: `no entry uid=alice\,ou=people,ou=contractors`}},

		// TLS.
		{"LDAPS without the CA fails with a hint", func(s *Setting) { s.URL = dir.LDAPSURL + "/" + base }, "alice", "alice-pw",
			want{step: StepTLS, status: StatusFail, reason: ReasonUntrusted, detail: "CN=frontdoor test CA", hint: "caFile"}},
		{"LDAPS with caFile", func(s *Setting) { s.URL, s.CAFile = dir.LDAPSURL+"/"+base, dir.CAFile }, "alice", "alice-pw",
			want{ok: true, found: true, step: StepTLS, status: StatusOK, detail: "SANs localhost, 127.0.0.1"}},
		{"LDAPS insecureSkipVerify says so", func(s *Setting) { s.URL, s.InsecureSkipVerify = dir.LDAPSURL+"/"+base, true }, "alice", "alice-pw",
			want{ok: true, found: true, step: StepSummary, status: StatusWarn, reason: ReasonNotVerified, detail: "CERTIFICATES NOT VERIFIED"}},
		{"LDAPS to the plain port", func(s *Setting) {
			s.URL, s.CAFile = strings.Replace(dir.URL, "ldap:", "ldaps:", 1)+"/"+base, dir.CAFile
		}, "alice", "alice-pw",
			want{step: StepTLS, status: StatusFail, reason: ReasonNotTLS, hint: "startTls"}},
		{"StartTLS with caFile", func(s *Setting) { s.StartTLS, s.CAFile = true, dir.CAFile }, "alice", "alice-pw",
			want{ok: true, found: true, step: StepTLS, status: StatusOK, detail: "verified"}},
		{"StartTLS without the CA", func(s *Setting) { s.StartTLS = true }, "alice", "alice-pw",
			want{step: StepTLS, status: StatusFail, reason: ReasonUntrusted, hint: "caFile"}},
		{"caFile that does not exist", func(s *Setting) { s.StartTLS, s.CAFile = true, dir.Dir+"/nope.pem" }, "alice", "alice-pw",
			want{step: StepTLS, status: StatusFail, reason: ReasonCAFile}},
		{"caFile a device: refused, not read forever", func(s *Setting) { s.StartTLS, s.CAFile = true, "/dev/zero" }, "alice", "alice-pw",
			want{step: StepTLS, status: StatusFail, reason: ReasonCAFile, detail: "/dev/zero: is a character device, not a regular file"}},
		// An LDAPS port closes the connection on the plain StartTLS request:
		// the way out is ldaps://, not the other way round.
		{"StartTLS to the LDAPS port", func(s *Setting) {
			s.URL, s.StartTLS, s.CAFile = strings.Replace(dir.LDAPSURL, "ldaps:", "ldap:", 1)+"/"+base, true, dir.CAFile
		}, "alice", "alice-pw",
			want{step: StepTLS, status: StatusFail, reason: ReasonNotTLS, hint: "use ldaps://127.0.0.1:"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := searchSetting(dir.URL)
			if tc.setting != nil {
				tc.setting(&s)
			}
			res := run(t, context.Background(), s, nil, testOptions(tc.user, tc.pw))
			w := tc.want
			if res.OK() != w.ok || res.UserFound != w.found {
				t.Errorf("OK %v found %v, want %v %v", res.OK(), res.UserFound, w.ok, w.found)
			}
			if w.userDN != "" && res.UserDN != w.userDN {
				t.Errorf("user DN %q, want %q", res.UserDN, w.userDN)
			}
			if w.searchBase != "" && res.SearchBase != w.searchBase {
				t.Errorf("search base %q, want %q", res.SearchBase, w.searchBase)
			}
			if w.email != "" && res.Email != w.email {
				t.Errorf("email %q, want %q", res.Email, w.email)
			}
			if w.step == "" {
				return
			}
			for _, st := range res.Steps {
				if st.Kind == w.step && st.Status == w.status && st.Reason == w.reason &&
					strings.Contains(st.Detail, w.detail) && strings.Contains(st.Hint, w.hint) {
					return
				}
			}
			t.Errorf("no %s step with status %s, reason %q, detail ~ %q, hint ~ %q", w.step, w.status, w.reason, w.detail, w.hint)
		})
	}
}

func TestRunNeverBindsBeforeInputIsValid(t *testing.T) {
	// No directory needed: these must end before any network step.
	s := searchSetting("ldap://127.0.0.1:1")
	for name, opt := range map[string]Options{
		"empty password": testOptions("alice", ""),
		"empty username": testOptions("", "pw"),
	} {
		t.Run(name, func(t *testing.T) {
			res := run(t, context.Background(), s, nil, opt)
			for _, st := range res.Steps {
				if st.Kind != StepInput && st.Kind != StepSummary {
					t.Errorf("a %s step ran", st.Kind)
				}
			}
		})
	}
}

func TestRunGroups(t *testing.T) {
	dir := directory(t)
	groups := []GroupSetting{
		{Name: "names", LDAPSetting: "test", BaseDN: "ou=groups", NameAttribute: "cn", MemberAttribute: "member", SubTree: true, Filter: "objectClass=groupOfNames", Strategy: "static"},
		{Name: "unique", LDAPSetting: "test", BaseDN: "ou=groups", NameAttribute: "cn", MemberAttribute: "uniqueMember", SubTree: true, Filter: "(objectClass=groupOfUniqueNames)", Strategy: "STATIC"},
		{Name: "memberof", LDAPSetting: "test", BaseDN: "ou=groups", NameAttribute: "cn", MemberAttribute: "memberOf", Strategy: "dynamic"},
		{Name: "ous", LDAPSetting: "test", NameAttribute: "cn", Strategy: "hierarchical"},
		{Name: "elsewhere", LDAPSetting: "other", NameAttribute: "cn", MemberAttribute: "member", Strategy: "static"},
	}
	tests := []struct {
		user, pw string
		base     string
		want     map[string][]string // group setting -> names, sorted as returned
	}{
		{"alice", "alice-pw", "ou=people", map[string][]string{"names": {"admins", "developers"}, "unique": {"ops"}, "memberof": {"developers", "admins"}, "ous": {"people"}}},
		{"carol", "carol-pw", "ou=people", map[string][]string{"names": {"developers"}, "memberof": {"developers"}, "ous": {"nested", "people"}}},
		{"dave", "dave-pw", "ou=contractors", map[string][]string{"unique": {"ops"}, "ous": {"contractors"}}},
	}
	for _, tc := range tests {
		t.Run(tc.user, func(t *testing.T) {
			s := searchSetting(dir.URL)
			s.Search.Base = tc.base
			res := run(t, context.Background(), s, groups, testOptions(tc.user, tc.pw))
			got := map[string][]string{}
			for _, g := range res.Groups {
				got[g.Setting] = append(got[g.Setting], g.Name)
			}
			for _, setting := range []string{"names", "unique", "memberof", "ous", "elsewhere"} {
				if strings.Join(got[setting], ",") != strings.Join(tc.want[setting], ",") {
					t.Errorf("%s: groups %v, want %v", setting, got[setting], tc.want[setting])
				}
			}
			if !res.OK() {
				t.Error("not OK")
			}
			n := 0
			for _, st := range res.Steps {
				if st.Kind == StepGroups {
					n++
				}
			}
			if n != 4 {
				t.Errorf("%d group steps, want 4 (one per group setting of this LDAP setting)", n)
			}
		})
	}
}

// A group list the server cut short is a warning, and a failed group step
// after a good login is not hidden behind a ✓ summary.
func TestRunGroupProblemsAfterLogin(t *testing.T) {
	dir := directory(t)
	names := GroupSetting{Name: "names", LDAPSetting: "test", BaseDN: "ou=groups", NameAttribute: "cn", MemberAttribute: "member",
		SubTree: true, Filter: "(objectClass=groupOfNames)", Strategy: "static"}
	missing := names
	missing.Name, missing.BaseDN = "missing", "ou=nope"
	limited := func(s *Setting) {
		s.Search.ManagerDN, s.Search.ManagerPasswordEnv = "cn=limited,"+base, limitedEnv
	}
	tests := []struct {
		name    string
		setting func(*Setting)
		groups  []GroupSetting
		step    Step // kind, status, reason and part of the detail and hint of a step that must be there
		summary Step // status, reason and part of the detail of the summary
	}{
		{"size limit cuts the groups", limited, []GroupSetting{names},
			Step{Kind: StepGroups, Status: StatusWarn, Reason: ReasonSizeLimit, Detail: "1 group(s)", Hint: "size limit"},
			Step{Status: StatusOK, Detail: "1 warning(s) above"}},
		{"a group base that does not exist", nil, []GroupSetting{names, missing},
			Step{Kind: StepGroups, Status: StatusFail, Reason: ReasonNoSuchObject, Detail: "base ou=nope," + base + " does not exist"},
			Step{Status: StatusWarn, Reason: ReasonNoSuchObject, Detail: "1 step(s) failed above (first: Groups missing (static))"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := searchSetting(dir.URL)
			if tc.setting != nil {
				tc.setting(&s)
			}
			res := run(t, context.Background(), s, tc.groups, testOptions("alice", "alice-pw"))
			if !res.OK() {
				t.Fatal("alice did not log in")
			}
			found := false
			for _, st := range res.Steps {
				found = found || st.Kind == tc.step.Kind && st.Status == tc.step.Status && st.Reason == tc.step.Reason &&
					strings.Contains(st.Detail, tc.step.Detail) && strings.Contains(st.Hint, tc.step.Hint)
			}
			if !found {
				t.Errorf("no %s step %s/%s with detail ~ %q, hint ~ %q", tc.step.Kind, tc.step.Status, tc.step.Reason, tc.step.Detail, tc.step.Hint)
			}
			sum, _ := res.Last(StepSummary)
			if sum.Status != tc.summary.Status || sum.Reason != tc.summary.Reason || !strings.Contains(sum.Detail, tc.summary.Detail) {
				t.Errorf("summary %s/%s %q, want %s/%s ~ %q", sum.Status, sum.Reason, sum.Detail, tc.summary.Status, tc.summary.Reason, tc.summary.Detail)
			}
		})
	}
}

// A manager password typed in the wizard is not blamed on the variable the
// settings name.
func TestRunTypedManagerPasswordHint(t *testing.T) {
	dir := directory(t)
	s := searchSetting(dir.URL)
	s.Search.ManagerPasswordEnv = "FD_TEST_UNSET"
	opt := testOptions("alice", "alice-pw")
	opt.ManagerPassword = "not-the-password"
	res := run(t, context.Background(), s, nil, opt)
	st, _ := res.Last(StepManagerBind)
	if st.Reason != ReasonInvalidCredentials || !strings.Contains(st.Hint, "typed") || strings.Contains(st.Hint, "FD_TEST_UNSET") {
		t.Errorf("manager bind %s %q, hint %q: want the typed password named, not $FD_TEST_UNSET", st.Reason, st.Detail, st.Hint)
	}
}

func TestFilterValue(t *testing.T) {
	tests := []struct{ in, want string }{
		{"alice", "alice"},
		{"*", `\2a`},
		{"x)(uid=*", `x\29\28uid=\2a`},
		{`back\slash`, `back\5cslash`},
		{"nul\x00", `nul\00`},
		{"Zoë Müller", "Zoë Müller"},
		{"cn=Smith\\2C John,dc=x", `cn=Smith\5c2C John,dc=x`},
		{"bad\xffutf8*", `bad\ffutf8\2a`}, // not UTF-8: escaped byte by byte, as go-ldap does
	}
	for _, tc := range tests {
		if got := filterValue(tc.in); got != tc.want {
			t.Errorf("filterValue(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if _, err := ldap.CompileFilter("(cn=" + filterValue(tc.in) + ")"); err != nil {
			t.Errorf("(cn=%s) does not compile: %v", filterValue(tc.in), err)
		}
	}
}

// stallServer listens on loopback and misbehaves per mode:
//   - "silent": accepts and never answers anything;
//   - "starttls": reads the StartTLS request and never replies;
//   - "starttls-then-silent": answers StartTLS with success, then never
//     starts the TLS handshake.
func stallServer(t *testing.T, mode string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				if mode == "silent" {
					io.Copy(io.Discard, c)
					return
				}
				p, err := ber.ReadPacket(c)
				if err != nil {
					return
				}
				if mode == "starttls-then-silent" {
					c.Write(extendedSuccess(p.Children[0].Value.(int64)).Bytes())
				}
				io.Copy(io.Discard, c)
			}()
		}
	}()
	return "ldap://" + l.Addr().String()
}

// extendedSuccess is an ExtendedResponse with result success.
func extendedSuccess(id int64) *ber.Packet {
	p := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "LDAP Response")
	p.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, id, "MessageID"))
	r := ber.Encode(ber.ClassApplication, ber.TypeConstructed, 24, nil, "Extended Response")
	r.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagEnumerated, 0, "resultCode"))
	r.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "", "matchedDN"))
	r.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "", "diagnosticMessage"))
	p.AppendChild(r)
	return p
}

func TestRunTimeoutsAndRefusals(t *testing.T) {
	closedPort := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		return "ldap://" + addr
	}
	tests := []struct {
		name    string
		url     func() string
		setting func(*Setting)
		step    StepKind
		reason  Reason
	}{
		{"connection refused", closedPort, nil, StepConnect, ReasonRefused},
		{"server accepts and never answers", func() string { return stallServer(t, "silent") }, nil, StepManagerBind, ReasonTimeout},
		{"never answers an anonymous pattern bind", func() string { return stallServer(t, "silent") },
			func(s *Setting) { s.UserDNPattern, s.Search = "uid={0},ou=people", Search{} }, StepUserBind, ReasonTimeout},
		{"LDAPS server never does the handshake", func() string { return strings.Replace(stallServer(t, "silent"), "ldap:", "ldaps:", 1) }, nil, StepTLS, ReasonTimeout},
		{"server stalls StartTLS", func() string { return stallServer(t, "starttls") }, func(s *Setting) { s.StartTLS = true }, StepTLS, ReasonTimeout},
		{"server accepts StartTLS, never handshakes", func() string { return stallServer(t, "starttls-then-silent") }, func(s *Setting) { s.StartTLS = true }, StepTLS, ReasonTimeout},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := searchSetting(tc.url())
			if tc.setting != nil {
				tc.setting(&s)
			}
			opt := testOptions("alice", "alice-pw")
			opt.ConnectTimeout, opt.ReadTimeout = 2*time.Second, 300*time.Millisecond
			res := run(t, context.Background(), s, nil, opt)
			if !hasStep(res, tc.step, StatusFail, tc.reason) {
				t.Errorf("no failed %s step with reason %s", tc.step, tc.reason)
			}
			if res.OK() {
				t.Error("OK against a broken server")
			}
			if tc.reason == ReasonTimeout && !res.TimedOut {
				t.Error("Result.TimedOut not set")
			}
		})
	}
}

func TestRunReturnsWhenCanceled(t *testing.T) {
	for _, mode := range []string{"silent", "starttls"} {
		t.Run(mode, func(t *testing.T) {
			s := searchSetting(stallServer(t, mode))
			s.StartTLS = mode == "starttls"
			opt := testOptions("alice", "alice-pw")
			// Far longer than the test may take: only cancelation can end it.
			opt.ReadTimeout = time.Hour
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var mu sync.Mutex
			res := Run(ctx, s, nil, opt, func(st Step) {
				mu.Lock()
				defer mu.Unlock()
				if st.Kind == StepConnect {
					cancel() // the wizard's Esc, right when the server starts stalling
				}
			})
			if !res.Canceled || !hasStep(res, StepSummary, StatusFail, ReasonCanceled) {
				t.Errorf("not reported as canceled: %+v", res.Steps)
			}
		})
	}
}

func TestManagerPasswordFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := dir + "/" + name
		if err := writeFile(p, content); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fifo := dir + "/fifo"
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file string
		want       string
		wantErr    string
	}{
		{"trailing newline trimmed", write("a", "pw\n"), "pw", ""},
		{"CRLF trimmed", write("b", "pw\r\n"), "pw", ""},
		{"inner spaces kept", write("c", " p w \n"), " p w ", ""},
		{"empty file", write("d", "\n"), "", "is empty"},
		{"missing file", dir + "/nope", "", "cannot read managerPasswordFile " + dir + "/nope: no such file or directory"},
		{"a FIFO: refused, not waited on", fifo, "", "cannot read managerPasswordFile " + fifo + ": it is a FIFO (named pipe), not a regular file"},
		{"a device: refused, not read forever", "/dev/zero", "", "cannot read managerPasswordFile /dev/zero: it is a character device, not a regular file"},
		{"a directory", dir, "", "it is a directory, not a regular file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Search{ManagerPasswordFile: tc.file}.ManagerPassword(nil)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestRunWithManagerPasswordFile(t *testing.T) {
	dir := directory(t)
	p := t.TempDir() + "/manager"
	if err := writeFile(p, managerPW+"\n"); err != nil {
		t.Fatal(err)
	}
	s := searchSetting(dir.URL)
	s.Search.ManagerPasswordEnv, s.Search.ManagerPasswordFile = "", p
	if res := run(t, context.Background(), s, nil, testOptions("alice", "alice-pw")); !res.OK() {
		t.Error("not OK with managerPasswordFile")
	}
}

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o600) }
