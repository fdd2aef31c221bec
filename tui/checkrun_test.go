package tui

import (
	"bytes"
	"context"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"frontdoor/config"
	"frontdoor/doorcheck"
	"frontdoor/doorcheck/standin"
	"frontdoor/internal/servertest"
	"frontdoor/render"
	"frontdoor/tui/pages/check"
)

// The Check screen driven for real: a real nginx running frontdoor's
// snippet in front of the Artifactory stand-in (doorcheck/standin), the
// settings in the wizard, keys typed as a user types them.

const (
	checkServer = "artifactory.test"
	checkUser   = "alice"
	checkPass   = "s3cret-pass"
)

// realDoor is a running nginx in front of a stand-in, and the settings
// that describe it.
type realDoor struct {
	settings render.Settings
	tls      *servertest.TLSFiles
	art      *standin.Server
}

func startRealDoor(t *testing.T) *realDoor {
	t.Helper()
	tlsFiles := servertest.NewTLSFiles(t, checkServer)
	keys := []string{"docker-local", "docker-remote"}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		art := standin.New(standin.Config{Keys: keys, User: checkUser, Password: checkPass})
		artAddr, routerAddr := art.Start(t, "", "")
		ports := servertest.FreePorts(t, 2)
		s := render.Defaults()
		s.Provider = render.Nginx
		s.ServerName = checkServer
		s.Nodes = []string{"127.0.0.1"}
		s.ArtifactoryPort, s.RouterPort = portOf(t, artAddr), portOf(t, routerAddr)
		s.HTTP = render.HTTP{Enabled: true, Port: ports[0], RedirectToHTTPS: true}
		s.HTTPS = render.HTTPS{Enabled: true, Port: ports[1], Certificate: tlsFiles.Server.CertPath, Key: tlsFiles.Server.KeyPath, TLSProfile: render.TLSIntermediate}
		s.Docker.Method = render.DockerSubdomain
		for _, k := range keys {
			s.Docker.Repositories = append(s.Docker.Repositories, render.DockerRepository{Key: k})
		}
		out, err := render.Render(&s)
		if err != nil {
			t.Fatalf("render: %v", err)
		}
		n := servertest.NewNginx(t)
		n.Install(out)
		if _, lastErr = n.Start(ports...); lastErr == nil {
			return &realDoor{settings: s, tls: tlsFiles, art: art}
		}
		art.Stop()
		if !strings.Contains(lastErr.Error(), "in use") {
			break
		}
		t.Logf("attempt %d: a port was taken meanwhile: %v", attempt+1, lastErr)
	}
	t.Fatal(lastErr)
	return nil
}

func portOf(t testing.TB, addr string) int {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(p)
	return n
}

// wizardOn opens the wizard on the door's settings, its check trusting the
// test CA.
func (d *realDoor) wizardOn(t *testing.T, width, height int) *Model {
	t.Helper()
	f := &config.File{Proxy: d.settings, HasProxy: true}
	m := New(Options{
		File: f, ConfigPath: filepath.Join(t.TempDir(), "frontdoor.yaml"), Target: fixedTarget,
		Now: time.Now, ReadFile: fakeFiles{}.read, LoadClientCA: noClientCA, // the test certificates are issued now
		ImportCandidate: noImport,
	})
	m.check.SetOptions(check.Options{
		Roots: d.tls.CA.Pool(), NoSpin: true,
		Timeout:       10 * time.Second, // a bound for a hung server, not an assertion
		StreamingWait: 1500 * time.Millisecond,
	})
	send(t, m, tea.WindowSizeMsg{Width: width, Height: height})
	run(t, m, m.Init())
	if fs := m.doc.Proxy.Findings.Errors(); len(fs) > 0 {
		t.Fatalf("the door's settings have errors: %v", fs)
	}
	return m
}

// From the home screen: Check, this machine's listeners, a Docker login;
// every step streams into the results, the door works, the password is
// gone from the screen and the form, the home screen keeps the result.
func TestCheckScreenAgainstRealNginx(t *testing.T) {
	d := startRealDoor(t)
	m := d.wizardOn(t, 120, 40)
	m.check.SetOptions(check.Options{NoSpin: true, Timeout: 10 * time.Second, StreamingWait: 1500 * time.Millisecond}) // the CA from its file, as a user gives it
	press(t, m, "4")
	if m.screen != screenCheck {
		t.Fatalf("4 on the home screen did not open Check:\n%s", screenText(m))
	}
	press(t, m, "shift+tab", "shift+tab", "shift+tab") // from the button, up past the user and the CA file to the address
	typeText(t, m, "127.0.0.1")
	press(t, m, "tab")
	typeText(t, m, d.tls.CA.Path) // the door's private CA
	press(t, m, "tab")
	typeText(t, m, checkUser)
	press(t, m, "tab")
	typeText(t, m, checkPass)
	press(t, m, "enter", "enter") // to the button, then check
	last := m.check.Last()
	if last == nil {
		t.Fatalf("no check ran:\n%s", screenText(m))
	}
	for _, st := range last.Steps {
		t.Logf("%s %s: %s", st.Status.Symbol(), st.Name, st.Detail)
	}
	if !last.Result.OK() {
		t.Fatalf("the door does not work:\n%s", screenText(m))
	}
	kinds := map[doorcheck.Kind]bool{}
	for _, st := range last.Steps {
		kinds[st.Kind] = true
	}
	for _, k := range []doorcheck.Kind{doorcheck.KindDNS, doorcheck.KindTLS, doorcheck.KindRedirect, doorcheck.KindPing, doorcheck.KindDocker, doorcheck.KindDockerLogin, doorcheck.KindSummary} {
		if !kinds[k] {
			t.Errorf("no %s step", k)
		}
	}
	screen := screenText(m)
	for _, want := range []string{"Last check ✓ the door works", "names sent to 127.0.0.1", "trusting ca.pem", "as alice", "✓ Summary: the door works"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the screen does not show %q:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, checkPass) || m.check.Inputs().Password != "" {
		t.Errorf("the password is still held or shown:\n%s", screen)
	}
	press(t, m, "esc")
	if home := screenText(m); m.screen != screenHome || !strings.Contains(home, "Check     ✓ the door works") {
		t.Errorf("the home screen does not keep the last check:\n%s", home)
	}
	press(t, m, "4")
	if again := screenText(m); !strings.Contains(again, "Last check ✓ the door works") {
		t.Errorf("the check is not shown again when reopened:\n%s", again)
	}
}

// Artifactory down behind a working nginx: the check fails, and the
// failure shows its cause and its fix on the screen.
func TestCheckScreenShowsCauseAndFix(t *testing.T) {
	d := startRealDoor(t)
	d.art.Stop()
	m := d.wizardOn(t, 80, 24)
	press(t, m, "4", "shift+tab", "shift+tab", "shift+tab")
	typeText(t, m, "127.0.0.1")
	press(t, m, "ctrl+r")
	last := m.check.Last()
	if last == nil || last.Result.OK() || last.Result.FirstFailure == nil {
		t.Fatalf("want a failed check:\n%s", screenText(m))
	}
	if r := last.Result.FirstFailure.Reason; r != doorcheck.ReasonUpstreamDown {
		t.Errorf("first failure %s, want %s", r, doorcheck.ReasonUpstreamDown)
	}
	// At 80x24 the results open at the end: the summary names the first
	// failure with its cause and fix.
	flat := strings.Join(strings.Fields(screenText(m)), " ")
	for _, want := range []string{"Last check ✗ the door does not work", "✗ Summary: the door does not work", "cause:"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the screen does not show %q:\n%s", want, screenText(m))
		}
	}
	if !strings.Contains(flat, "nginx:") && !strings.Contains(flat, "do:") && !strings.Contains(flat, "frontdoor:") {
		t.Errorf("no fix on the screen:\n%s", screenText(m))
	}
}

// Accessible mode's Check: the same questions, each step read out as it
// ends, the password read from the input and never written out.
func TestAccessibleCheckAgainstRealNginx(t *testing.T) {
	d := startRealDoor(t)
	var out bytes.Buffer
	answers := []string{
		"4",         // home menu: Check
		"127.0.0.1", // test against
		"",          // CA file: none (CheckRoots trusts the test CA)
		checkUser,   // Docker user
		checkPass,   // password (no terminal: read as a line)
	}
	_, err := RunAccessible(context.Background(), Options{
		File: &config.File{Proxy: d.settings, HasProxy: true}, ConfigPath: filepath.Join(t.TempDir(), "frontdoor.yaml"),
		Target: fixedTarget, Now: time.Now, LoadClientCA: noClientCA, CheckRoots: d.tls.CA.Pool(), ImportCandidate: noImport,
	}, &lineReader{answers}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{
		"4. Check: the door from a client's side",
		"Test against []:",
		"Checking artifactory.test (nginx, ",
		"✓ DNS artifactory.test: 127.0.0.1",
		"✓ Docker login to docker-local as alice",
		"✓ Summary: the door works",
		"✓ Check: the door works.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(text, checkPass) {
		t.Error("the password is in the output")
	}
	if t.Failed() {
		t.Log(text)
	}
}
