package ldapcheck

import (
	"context"
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
	if len(password) > 0 {
		pw = password[0]
	} else {
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

func TestRunAgainstActiveDirectory(t *testing.T) {
	dc := domain(t)
	alice := sambatest.UserByLogin("alice")
	tests := []struct {
		name    string
		setting func(*Setting)
		opt     Options
		ok      bool
		userDN  string
		steps   []wantStep
	}{
		{"LDAPS login by sAMAccountName", nil, adOptions("alice"), true, alice.DN,
			[]wantStep{{kind: StepUserSearch, status: StatusOK, detail: "filter (sAMAccountName=alice): found " + alice.DN}}},
		{"StartTLS on 389", func(s *Setting) { s.URL, s.StartTLS = dc.URL+"/"+sambatest.BaseDN, true }, adOptions("alice"), true, alice.DN,
			[]wantStep{{kind: StepTLS, status: StatusWarn, reason: ReasonNegativeSerial, detail: "verified"}}},
		// AD's default policy refuses simple binds without TLS.
		{"plain LDAP is refused with result 8", func(s *Setting) { s.URL, s.CAFile = dc.URL+"/"+sambatest.BaseDN, "" }, adOptions("alice"), false, "",
			[]wantStep{{kind: StepManagerBind, status: StatusFail, reason: ReasonServer, detail: "result 8", hint: "use ldaps:// or startTls"}}},
		{"wrong password", nil, adOptions("bob", "Not-Bobs-Passw0rd"), false, sambatest.UserByLogin("bob").DN,
			[]wantStep{{kind: StepUserBind, status: StatusFail, reason: ReasonInvalidCredentials, detail: "wrong password", hint: "lock"}}},
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
		})
	}
}
