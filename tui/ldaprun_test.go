package tui

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"frontdoor/internal/testenv"
	"frontdoor/ldapcheck"
	"frontdoor/ldapcheck/slapdtest"
	"frontdoor/tui/pages/ldap"
)

// The test panel against a real OpenLDAP slapd (ldapcheck/slapdtest, the
// fixtures of package ldapcheck): steps arrive one by one as messages, the
// view shows each as it comes, and Esc cancels a run stuck on a server that
// never answers. No assertion depends on how long anything takes; a run
// that does not end at all fails after hangGuard instead of hanging.

const hangGuard = 2 * time.Minute

// requireSlapd skips without slapd, except under CI=true where it fails.
func requireSlapd(t *testing.T) {
	t.Helper()
	if err := slapdtest.Available(); err != nil {
		testenv.Unavailable(t, "%v", err)
	}
}

// startSlapd starts a slapd loaded with the given fixtures of package
// ldapcheck (testdata/NAME; the test directory and its groups when none
// are named), stopped when the test ends; without slapd, as requireSlapd.
func startSlapd(t *testing.T, fixtures ...string) *slapdtest.Server {
	t.Helper()
	requireSlapd(t)
	cfg := slapdtest.Config{
		LDIF:        []string{"../ldapcheck/testdata/directory.ldif"},
		RuntimeLDIF: []string{"../ldapcheck/testdata/groups.ldif"},
	}
	if len(fixtures) > 0 {
		cfg = slapdtest.Config{}
		for _, f := range fixtures {
			cfg.LDIF = append(cfg.LDIF, "../ldapcheck/testdata/"+f)
		}
	}
	srv, err := slapdtest.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop() })
	return srv
}

// slapdYAML is a setting for the test directory, with a group mapping.
func slapdYAML(url, managerPasswordRef string) string {
	return fmt.Sprintf(`proxy:
  provider: nginx
  serverName: artifactory.example.com
ldap:
  settings:
    - key: test
      enabled: true
      url: %s/dc=example,dc=com
      search: {filter: "(uid={0})", base: ou=people, subTree: true, managerDn: "cn=reader,dc=example,dc=com"%s}
  groups:
    - {name: dev, ldapSetting: test, baseDn: ou=groups, nameAttribute: cn, memberAttribute: member, subTree: true,
       filter: "(objectClass=groupOfNames)", strategy: static}
`, url, managerPasswordRef)
}

const managerEnv = "FRONTDOOR_TUI_TEST_MANAGER_PASSWORD"

// pump runs the commands a key press returned until the run has ended,
// each command on its own goroutine (a real program does the same). After
// every message it calls each; whenever interrupt fires while a command
// waits, onInterrupt runs on this goroutine (the model is never touched
// concurrently: the waiting goroutine only reads the run's channel).
func pump(t *testing.T, m *Model, cmd tea.Cmd, each func(tea.Msg), interrupt <-chan struct{}, onInterrupt func()) {
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
				t.Fatalf("the run has not ended after %s:\n%s", hangGuard, screenText(m))
			}
		}
		switch msg := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			_, next := m.Update(msg)
			if each != nil {
				each(msg)
			}
			queue = append(queue, next)
		}
	}
}

// stepLine is how the panel draws a step's first line.
func stepLine(s ldapcheck.Step) string { return s.Status.Symbol() + " " + s.Name }

func TestLDAPTestPanelAgainstSlapd(t *testing.T) {
	srv := startSlapd(t)

	// start opens the test panel on yaml and types the login; the returned
	// command is what enter gave back (the run has started).
	start := func(t *testing.T, yaml, user, password, manager string) (*Model, tea.Cmd) {
		m := openLDAPScreen(t, yaml, 160, 48)
		m.ldap.SetGetenv(func(name string) string {
			if name == managerEnv {
				return "reader-pw"
			}
			return ""
		})
		press(t, m, "t")
		typeText(t, m, user)
		press(t, m, "tab")
		typeText(t, m, password)
		if manager != "" {
			press(t, m, "tab")
			typeText(t, m, manager)
		}
		_, cmd := m.Update(keyPress("enter"))
		if !m.ldap.Run().Running {
			t.Fatalf("enter did not start the test:\n%s", screenText(m))
		}
		return m, cmd
	}

	t.Run("steps appear one by one", func(t *testing.T) {
		m, cmd := start(t, slapdYAML(srv.URL, ", managerPasswordEnv: "+managerEnv), "alice", "alice-pw", "")
		if v := screenText(m); !strings.Contains(v, "running…") {
			t.Fatalf("no running line after the start:\n%s", v)
		}
		var seen []ldapcheck.Step
		pump(t, m, cmd, func(msg tea.Msg) {
			view := screenText(m)
			if strings.Contains(view, "alice-pw") || strings.Contains(view, "reader-pw") {
				t.Fatalf("a password is on screen:\n%s", view)
			}
			sm, ok := msg.(ldap.StepMsg)
			if !ok {
				return
			}
			seen = append(seen, sm.Step)
			// The step is drawn as soon as its message is in, the run
			// still going: nothing of a later step is there yet.
			if got := len(m.ldap.Run().Steps); got != len(seen) {
				t.Fatalf("%d steps in the model after %d messages", got, len(seen))
			}
			if !strings.Contains(view, stepLine(sm.Step)) {
				t.Fatalf("step %q is not drawn when it arrives:\n%s", stepLine(sm.Step), view)
			}
			if !strings.Contains(view, "running…") {
				t.Fatalf("the running line is gone before the end:\n%s", view)
			}
			if sm.Step.Kind != ldapcheck.StepSummary && strings.Contains(view, "Summary") {
				t.Fatalf("the summary is drawn before its step:\n%s", view)
			}
		}, nil, nil)
		res := m.ldap.Run().Result
		if res == nil || !res.OK() {
			t.Fatalf("result %+v\n%s", res, screenText(m))
		}
		if len(seen) < 6 || seen[len(seen)-1].Kind != ldapcheck.StepSummary {
			t.Fatalf("steps seen: %+v", seen)
		}
		view := screenText(m)
		for _, want := range []string{"✓ Manager bind cn=reader,dc=example,dc=com", "✓ User search in ou=people,dc=example,dc=com",
			"✓ User bind uid=alice,ou=people,dc=example,dc=com", "✓ Email attribute mail", "✓ Groups dev (static)", "✓ Summary",
			`✓ Setting test works: "alice" found and authenticated`, "test passed"} {
			if !strings.Contains(view, want) {
				t.Errorf("final view lacks %q:\n%s", want, view)
			}
		}
		if strings.Contains(view, "running…") {
			t.Errorf("still running after the end:\n%s", view)
		}
		if m.ldap.Run().PasswordsHeld {
			t.Error("the password input still holds the password")
		}
	})

	t.Run("in a real program", func(t *testing.T) {
		m := programRun(t, slapdYAML(srv.URL, ""))
		res := m.ldap.Run().Result
		if res == nil || !res.OK() || len(res.Groups) != 2 {
			t.Fatalf("result %+v", res)
		}
		if v := screenText(m); strings.Contains(v, "alice-pw") || strings.Contains(v, "reader-pw") {
			t.Fatalf("a password on screen:\n%s", v)
		}
	})

	t.Run("wrong password", func(t *testing.T) {
		m, cmd := start(t, slapdYAML(srv.URL, ", managerPasswordEnv: "+managerEnv), "alice", "not-her-password", "")
		pump(t, m, cmd, nil, nil, nil)
		res := m.ldap.Run().Result
		if res == nil || res.OK() || !res.UserFound {
			t.Fatalf("result %+v", res)
		}
		bind, _ := res.Last(ldapcheck.StepUserBind)
		view := screenText(m)
		if bind.Status != ldapcheck.StatusFail || bind.Hint == "" {
			t.Fatalf("user bind step %+v", bind)
		}
		if !strings.Contains(view, "✗ User bind uid=alice,ou=people,dc=example,dc=com") {
			t.Errorf("no ✗ line for the bind:\n%s", view)
		}
		hintStart := strings.SplitN(bind.Hint, " ", 4)
		if !strings.Contains(view, "→ "+strings.Join(hintStart[:3], " ")) {
			t.Errorf("the hint %q is not drawn:\n%s", bind.Hint, view)
		}
		if !strings.Contains(view, "Test failed at User bind") || strings.Contains(view, "not-her-password") {
			t.Errorf("verdict or password:\n%s", view)
		}
	})

	t.Run("a group step fails after the login", func(t *testing.T) {
		yaml := strings.Replace(slapdYAML(srv.URL, ", managerPasswordEnv: "+managerEnv), "baseDn: ou=groups", "baseDn: ou=nope", 1)
		m, cmd := start(t, yaml, "alice", "alice-pw", "")
		pump(t, m, cmd, nil, nil, nil)
		if res := m.ldap.Run().Result; res == nil || !res.OK() {
			t.Fatalf("result %+v", res)
		}
		view := screenText(m)
		if strings.Contains(view, "Setting test works") || !strings.Contains(view, `! Setting test logs "alice" in as uid=alice,ou=people,dc=example,dc=com, but Groups dev (static) failed`) {
			t.Errorf("the verdict hides the failed group step:\n%s", view)
		}
	})

	t.Run("manager password typed in", func(t *testing.T) {
		m, cmd := start(t, slapdYAML(srv.URL, ""), "dave", "dave-pw", "reader-pw")
		pump(t, m, cmd, nil, nil, nil)
		res := m.ldap.Run().Result
		mb, _ := res.Last(ldapcheck.StepManagerBind)
		if mb.Status != ldapcheck.StatusOK {
			t.Fatalf("manager bind %+v", mb)
		}
		// dave is under ou=contractors: the search in ou=people misses him.
		if res.OK() {
			t.Fatalf("dave found under ou=people: %+v", res)
		}
		if v := screenText(m); strings.Contains(v, "reader-pw") || !strings.Contains(v, "! User search in ou=people,dc=example,dc=com") {
			t.Errorf("view:\n%s", v)
		}
		if m.ldap.Run().PasswordsHeld {
			t.Error("the manager password input still holds the password")
		}
	})
}

// programRun drives the panel in a real Bubble Tea program: the run's
// messages and the spinner's ticks go through the program's own loop.
func programRun(t *testing.T, yaml string) *Model {
	t.Helper()
	m := New(Options{
		File: parseFile(t, yaml), ConfigPath: "frontdoor.yaml",
		Target: fixedTarget, Now: func() time.Time { return fixedNow },
		ReadFile: fakeFiles{}.read, LoadCertificates: noCerts, LoadClientCA: noClientCA,
	})
	tm := teatest.NewTestModel(t, probed{m}, teatest.WithInitialTermSize(100, 40))
	waitFor(t, tm, "LDAP settings")
	sendKeys(tm, "2", "t")
	waitFor(t, tm, "Test LDAP setting test")
	tm.Type("alice")
	sendKeys(tm, "tab")
	tm.Type("alice-pw")
	sendKeys(tm, "tab")
	tm.Type("reader-pw")
	waitFor(t, tm, "Manager password  •••••••••")
	sendKeys(tm, "enter")
	waitFor(t, tm, "test passed")
	sendKeys(tm, "ctrl+c") // nothing changed: quits at once
	return finalModel(t, tm)
}

// stallingListener accepts connections and reads what they send, never
// answering; requested is closed once a client has sent a request and so
// waits for an answer that will never come.
func stallingListener(t *testing.T) (addr string, requested <-chan struct{}) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	req := make(chan struct{})
	var once sync.Once
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			go func() {
				buf := make([]byte, 512)
				for {
					if _, err := c.Read(buf); err != nil {
						return
					}
					once.Do(func() { close(req) })
				}
			}()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().String(), req
}

// Esc while the directory does not answer cancels the run, and the panel
// says so. The read timeout is far longer than the guard: only the cancel
// can end this run.
func TestLDAPTestPanelEscCancelsStalledRun(t *testing.T) {
	addr, requested := stallingListener(t)
	yaml := fmt.Sprintf(`proxy:
  provider: nginx
  serverName: artifactory.example.com
ldap:
  settings:
    - key: stall
      enabled: true
      url: ldap://%s/dc=example,dc=com
      search: {filter: "(uid={0})", base: ou=people, subTree: true}
`, addr)
	m := openLDAPScreen(t, yaml, 80, 24)
	m.ldap.SetRunOptions(0, time.Hour, true)
	press(t, m, "t")
	typeText(t, m, "alice")
	press(t, m, "tab")
	typeText(t, m, "alice-pw")
	_, cmd := m.Update(keyPress("enter"))
	escAt := -1
	pump(t, m, cmd, nil, requested, func() {
		escAt = len(m.ldap.Run().Steps)
		send(t, m, keyPress("esc"))
		if v := screenText(m); !strings.Contains(v, "canceling…") {
			t.Errorf("no canceling line after esc:\n%s", v)
		}
		if m.ldap.Page() != ldap.PageTest {
			t.Error("esc during a run left the panel")
		}
	})
	if escAt < 0 {
		t.Fatal("the server never got a request")
	}
	res := m.ldap.Run().Result
	if res == nil || !res.Canceled || res.TimedOut || res.OK() {
		t.Fatalf("result %+v", res)
	}
	last := res.Steps[len(res.Steps)-2] // the step that was waiting, before the summary
	if last.Reason != ldapcheck.ReasonCanceled {
		t.Errorf("step waiting at esc: %+v", last)
	}
	view := screenText(m)
	if !strings.Contains(view, "Test canceled (esc)") || !strings.Contains(view, "test canceled") || strings.Contains(view, "running…") {
		t.Errorf("the panel does not say the test was canceled:\n%s", view)
	}
	// A second esc leaves the panel.
	press(t, m, "esc")
	if m.ldap.Page() != ldap.PageList {
		t.Errorf("esc after the run: page %d", m.ldap.Page())
	}
}
