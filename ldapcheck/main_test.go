package ldapcheck

import (
	"flag"
	"os"
	"sync"
	"testing"

	"frontdoor/internal/testenv"
	"frontdoor/ldapcheck/slapdtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// One slapd serves every test of the package; it starts on first use, so
// tests that need no directory run without it.
var (
	slapdOnce sync.Once
	slapd     *slapdtest.Server
	slapdErr  error
)

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if slapd != nil {
		slapd.Stop()
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
			LDIF:        []string{"testdata/directory.ldif"},
			RuntimeLDIF: []string{"testdata/groups.ldif"},
		})
	})
	if slapdErr != nil {
		t.Fatalf("starting slapd: %v", slapdErr)
	}
	return slapd
}
