package ldap_test

import (
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"frontdoor/internal/testenv"
	"frontdoor/ldapcheck"
	"frontdoor/ldapcheck/slapdtest"
)

// The Users view and the test panel against a real OpenLDAP slapd with
// the fixtures of package ldapcheck. No assertion depends on how long
// anything takes; a run that does not end fails after hangGuard instead of
// hanging.

const hangGuard = 2 * time.Minute

var (
	slapdOnce sync.Once
	slapd     *slapdtest.Server
	slapdErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if slapd != nil {
		slapd.Stop()
	}
	os.Exit(code)
}

// directory is the one slapd of this package's tests, started on first
// use; without slapd the test is skipped, except under CI=true.
func directory(t *testing.T) *slapdtest.Server {
	t.Helper()
	if err := slapdtest.Available(); err != nil {
		testenv.Unavailable(t, "%v", err)
	}
	slapdOnce.Do(func() {
		d := "../../../ldapcheck/testdata/"
		slapd, slapdErr = slapdtest.Start(slapdtest.Config{
			LDIF:        []string{d + "directory.ldif", d + "ppolicy.ldif"},
			RuntimeLDIF: []string{d + "groups.ldif"},
		})
	})
	if slapdErr != nil {
		t.Fatalf("starting slapd: %v", slapdErr)
	}
	return slapd
}

const managerEnv = "FRONTDOOR_LDAP_PAGE_TEST_MANAGER_PASSWORD"

// slapdYAML is a setting for the test directory, two bases and a group
// mapping; the manager password comes from managerEnv.
func slapdYAML(url string) string {
	return fmt.Sprintf(`proxy:
  provider: nginx
  serverName: artifactory.example.com
ldap:
  settings:
    - key: test
      enabled: true
      url: %s/dc=example,dc=com
      search: {filter: "(uid={0})", base: ou=people|ou=contractors, subTree: true, managerDn: "cn=reader,dc=example,dc=com",
               managerPasswordEnv: %s}
  groups:
    - {name: dev, ldapSetting: test, baseDn: ou=groups, nameAttribute: cn, memberAttribute: member, subTree: true,
       filter: "(objectClass=groupOfNames)", strategy: static}
`, url, managerEnv)
}

// slapdHarness opens the screen on the test directory, the manager
// password in the environment it sees.
func slapdHarness(t *testing.T, url string, width, height int) *harness {
	h := newHarness(t, slapdYAML(url), width, height)
	h.s.SetGetenv(func(name string) string {
		if name == managerEnv {
			return "reader-pw"
		}
		return ""
	})
	return h
}

// pump runs the commands a key returned until they settle, each on its
// own goroutine as a real program does, handing the screen's messages to
// it on this goroutine. each runs after every message; onInterrupt runs
// here when interrupt fires while a command waits.
func pump(t *testing.T, h *harness, cmd tea.Cmd, each func(tea.Msg), interrupt <-chan struct{}, onInterrupt func()) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	guard := time.NewTimer(hangGuard)
	defer guard.Stop()
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		out := make(chan tea.Msg, 1)
		go func() { out <- c() }()
		var msg tea.Msg
	wait:
		for {
			select {
			case msg = <-out:
				break wait
			case <-interrupt:
				interrupt = nil
				onInterrupt()
			case <-guard.C:
				t.Fatalf("not settled after %s:\n%s", hangGuard, h.frame())
			}
		}
		switch msg := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			queue = append(queue, h.message(msg))
			if each != nil {
				each(msg)
			}
		}
	}
}

// stepLine is how a step's first line is drawn.
func stepLine(s ldapcheck.Step) string { return s.Status.Symbol() + " " + s.Name }
