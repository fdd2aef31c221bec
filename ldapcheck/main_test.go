package ldapcheck

import (
	"flag"
	"os"
	"sync"
	"testing"

	"frontdoor/internal/testenv"
	"frontdoor/ldapcheck/sambatest"
	"frontdoor/ldapcheck/slapdtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// One slapd and one Samba AD DC serve every test of the package; each
// starts on first use, so tests that need neither run without them.
var (
	slapdOnce sync.Once
	slapd     *slapdtest.Server
	slapdErr  error

	sambaOnce sync.Once
	samba     *sambatest.Server
	sambaErr  error
)

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if slapd != nil {
		slapd.Stop()
	}
	if samba != nil {
		samba.Stop()
	}
	if bulk != nil {
		bulk.Stop()
	}
	os.Exit(code)
}

// directory returns the running test directory. Without slapd installed the
// test is skipped, except under CI=true where it fails (testenv).
func directory(t testing.TB) *slapdtest.Server {
	t.Helper()
	if err := slapdtest.Available(); err != nil {
		testenv.Unavailable(t, "%v", err)
	}
	slapdOnce.Do(func() {
		slapd, slapdErr = slapdtest.Start(slapdtest.Config{
			LDIF:        []string{"testdata/directory.ldif", "testdata/ppolicy.ldif", "testdata/nopassword.ldif"},
			RuntimeLDIF: []string{"testdata/groups.ldif", "testdata/nested.ldif"},
		})
	})
	if slapdErr != nil {
		t.Fatalf("starting slapd: %v", slapdErr)
	}
	return slapd
}

// domain returns the running Active Directory domain controller (Samba,
// provisioned for this test process). Without Samba installed the test is
// skipped, except under CI=true where it fails (testenv).
func domain(t testing.TB) *sambatest.Server {
	t.Helper()
	if err := sambatest.Available(); err != nil {
		testenv.Unavailable(t, "%v", err)
	}
	sambaOnce.Do(func() { samba, sambaErr = sambatest.Start() })
	if sambaErr != nil {
		t.Fatalf("starting Samba: %v", sambaErr)
	}
	return samba
}
