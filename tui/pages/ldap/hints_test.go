package ldap_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"frontdoor/internal/testenv"
	"frontdoor/ldapcheck"
	"frontdoor/ldapcheck/slapdtest"
	"frontdoor/tui/pages/ldap"
)

// The goldens replay steps typed here, but their words of advice are
// ldapcheck's, taken from runs against a real OpenLDAP slapd with
// ldapcheck's own test directory: typed copies went stale when ldapcheck's
// words changed (they said "use --lookup-only", and suggested
// userPrincipalName on OpenLDAP, which has none).

// ldapWords are the steps' texts the goldens take from ldapcheck.
type ldapWords struct {
	notFound ldapcheck.Step // "User lookup": alice@example.com for a (uid={0}) filter
	why      ldapcheck.Step // "Why not found": it is her mail
	lockout  ldapcheck.Step // lena one wrong password from her ppolicy's lockout
	// A full test of lena there, the risk not taken: the lockout step, the
	// skipped bind and the summary, naming the panel's toggle.
	riskLockout, riskBind, riskSummary ldapcheck.Step
}

var (
	wordsOnce sync.Once
	words     ldapWords
	wordsErr  string
)

// fromLDAPCheck runs the cases once for the test binary.
func fromLDAPCheck(t *testing.T) ldapWords {
	t.Helper()
	if err := slapdtest.Available(); err != nil {
		testenv.Unavailable(t, "%v", err)
	}
	wordsOnce.Do(func() {
		srv, err := slapdtest.Start(slapdtest.Config{
			LDIF: []string{"../../../ldapcheck/testdata/directory.ldif", "../../../ldapcheck/testdata/ppolicy.ldif"},
		})
		if err != nil {
			wordsErr = "starting slapd: " + err.Error()
			return
		}
		defer srv.Stop()
		s := ldapcheck.NewSetting("corp")
		s.URL = srv.URL + "/dc=example,dc=com"
		s.Search = ldapcheck.Search{Filter: "(uid={0})", Base: "ou=people|ou=contractors", SubTree: true,
			ManagerDN: "cn=reader,dc=example,dc=com", ManagerPasswordEnv: "READER_PW"}
		run := func(user, password string, lookupOnly bool) ldapcheck.Result {
			opt := ldapcheck.Options{Username: user, Password: password, LookupOnly: lookupOnly, LockoutRiskControl: ldap.LockoutRiskControl,
				Getenv:         func(string) string { return "reader-pw" },
				ConnectTimeout: 5 * time.Second, ReadTimeout: 5 * time.Second}
			return ldapcheck.Run(context.Background(), s, nil, opt, func(ldapcheck.Step) {})
		}
		find := func(res ldapcheck.Result, kind ldapcheck.StepKind, reason ldapcheck.Reason) ldapcheck.Step {
			for i := len(res.Steps) - 1; i >= 0; i-- { // the last: the verdict after each base's search
				if st := res.Steps[i]; st.Kind == kind && st.Reason == reason {
					return st
				}
			}
			wordsErr += "no " + string(kind) + " step with reason " + string(reason) + "; "
			return ldapcheck.Step{}
		}
		res := run("alice@example.com", "", true)
		words.notFound = find(res, ldapcheck.StepUserSearch, ldapcheck.ReasonNotFound)
		words.why = find(res, ldapcheck.StepWhyNotFound, ldapcheck.ReasonTypedLoginName)
		run("lena", "Wr0ng-1", false) // her policy locks at 3: two failures
		run("lena", "Wr0ng-2", false)
		words.lockout = find(run("lena", "", true), ldapcheck.StepLockout, ldapcheck.ReasonLockoutRisk)
		res = run("lena", "lena-pw", false) // not bound: her count stays 2
		words.riskLockout = find(res, ldapcheck.StepLockout, ldapcheck.ReasonLockoutRisk)
		words.riskBind = find(res, ldapcheck.StepUserBind, ldapcheck.ReasonLockoutRisk)
		words.riskSummary = find(res, ldapcheck.StepSummary, ldapcheck.ReasonLockoutRisk)
	})
	if wordsErr != "" {
		t.Fatal(wordsErr)
	}
	return words
}
