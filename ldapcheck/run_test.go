package ldapcheck

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
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
			want{step: StepTLS, status: StatusFail, reason: ReasonCAFile, detail: "/dev/zero: is a character device, not a PEM file"}},
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
