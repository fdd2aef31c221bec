package tui

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"frontdoor/config"
	"frontdoor/install"
	"frontdoor/internal/servertest"
	"frontdoor/internal/testenv"
)

// tmuxSession drives the built binary in a detached tmux session on a
// private server socket.
type tmuxSession struct {
	t      *testing.T
	socket string
	name   string
}

func (s *tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (s *tmuxSession) keys(keys ...string) {
	s.tmux(append([]string{"send-keys", "-t", s.name}, keys...)...)
}

func (s *tmuxSession) text(text string) { s.tmux("send-keys", "-t", s.name, "-l", "--", text) }

func (s *tmuxSession) capture() string { return s.tmux("capture-pane", "-p", "-t", s.name) }

// waitFor waits until the pane shows every text, and returns the pane.
func (s *tmuxSession) waitFor(texts ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var pane string
	for time.Now().Before(deadline) {
		pane = s.capture()
		found := true
		for _, text := range texts {
			found = found && strings.Contains(pane, text)
		}
		if found {
			return pane
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("the screen never showed %q; last screen:\n%s", texts, pane)
	return ""
}

// built is the frontdoor binary the tmux walks run: built once per test
// process (a link is a second of CPU), removed by TestMain.
var built struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

// buildBinary returns frontdoor built for the tmux walks, building it the
// first time one asks (or waiting for TestMain's build).
func buildBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(build)
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

func build() {
	if built.dir, built.err = os.MkdirTemp("", "frontdoor-tmux-"); built.err != nil {
		return
	}
	built.bin = filepath.Join(built.dir, "frontdoor")
	cmd := exec.Command("go", "build", "-o", built.bin, ".")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		built.err = fmt.Errorf("go build: %v\n%s", err, out)
	}
}

// TestMain starts the build in the background when the tmux walks are
// going to run (every test, or a -run naming Tmux), so the link overlaps
// the package's other tests instead of holding up the first walk.
func TestMain(m *testing.M) {
	flag.Parse()
	if run := flag.Lookup("test.run").Value.String(); (run == "" || strings.Contains(run, "Tmux")) &&
		flag.Lookup("test.list").Value.String() == "" && testenv.LookPath("tmux") != "" {
		go built.once.Do(build)
	}
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// startTmux runs command in a detached tmux session of width x height on a
// private server, killed when the test ends.
func startTmux(t *testing.T, command string, width, height int) *tmuxSession {
	s := &tmuxSession{t: t, socket: fmt.Sprintf("frontdoor-test-%d-%s", os.Getpid(), strings.ReplaceAll(t.Name(), "/", "-")), name: "wizard"}
	s.tmux("new-session", "-d", "-s", s.name, "-x", fmt.Sprint(width), "-y", fmt.Sprint(height), "sh", "-c", command)
	t.Cleanup(func() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	return s
}

const tmuxSettings = `# Artifactory behind nginx: written by hand, kept by every save.
proxy:
  provider: nginx
  serverName: artifactory.test
  nodes: [127.0.0.1]
  artifactoryPort: 8081
  routerPort: 8082
  http: {enabled: true, port: 8080}
  https: {enabled: false}
  docker:
    method: ports
    repositories:
      - {key: docker-local, port: 5001}
      - {key: docker-remote, port: 5002}
`

// The built binary, in a real terminal (tmux), from the first screen to a
// saved file: a copy of this machine's nginx configuration under --root, an
// existing snippet to back up, the real `nginx -t` of the copy as the check.
// While the wizard is open, a colleague edits frontdoor.yaml (a comment and
// a value): the save stops before anything is installed, the dialog shows
// what changed, and "merge" keeps both: nothing of either is lost.
func TestTmuxWalkToASavedFile(t *testing.T) {
	t.Parallel() // its own tmux server, files and nginx copy
	testenv.Binary(t, "tmux")
	root := servertest.NginxRoot(t, servertest.PathsIntoCopy)
	dir := t.TempDir()
	bin := buildBinary(t)

	available := filepath.Join(root, "etc/nginx/sites-available")
	enabled := filepath.Join(root, "etc/nginx/sites-enabled")
	target := filepath.Join(available, "artifactory.conf")
	previous := []byte("# an older snippet, kept as the backup\n")
	if err := os.WriteFile(target, previous, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "frontdoor.yaml")
	if err := os.WriteFile(cfg, []byte(tmuxSettings), 0o644); err != nil {
		t.Fatal(err)
	}

	s := startTmux(t, fmt.Sprintf("cd %s && %s wizard --config %s --root %s --keep 3; echo frontdoor-exit=$?; sleep 600",
		dir, bin, cfg, root), 120, 40)
	s.waitFor("frontdoor · home", "HTTP settings", "Settings  "+cfg)
	s.keys("Enter")
	s.waitFor("[1 Provider]", "(•) nginx")
	s.keys("PgDn")
	s.waitFor("[2 Nodes]", "127.0.0.1")
	s.keys("PgDn")
	s.waitFor("[3 Name & TLS]", "artifactory.test")
	s.text("-new")
	s.waitFor("artifactory.test-new", "modified")
	s.keys("PgDn")
	s.waitFor("[4 Docker]", "docker-remote")
	s.keys("Tab")
	s.waitFor("CLIENTS USE")
	s.keys("C-n")
	s.text("docker-three")
	pane := s.waitFor("docker-three", "5003", "5003 docker-three;")
	if !strings.Contains(pane, "│ Preview") {
		t.Fatalf("no preview beside the form at 120 columns:\n%s", pane)
	}
	s.keys("PgDn")
	s.waitFor("[5 HA & mTLS]")
	s.keys("PgDn")
	// Where each choice comes from: detected under --root, --keep a flag.
	s.waitFor("[6 Save]", "detected layout: sites-available", "[ Save ]", "from --keep", "from --root")

	// A colleague edits the settings file behind the wizard's back.
	theirs := strings.Replace(tmuxSettings, "  artifactoryPort: 8081\n", "  # a colleague: Artifactory moved\n  artifactoryPort: 8091\n", 1)
	if err := os.WriteFile(cfg, []byte(theirs), 0o644); err != nil {
		t.Fatal(err)
	}
	s.keys("C-s")
	pane = s.waitFor("The settings file changed on disk", "proxy.artifactoryPort", "m merge (keep both)")
	if _, err := os.Stat(filepath.Join(enabled, "artifactory.conf")); err == nil {
		t.Fatalf("something was installed before the conflict was answered:\n%s", pane)
	}
	s.keys("m")
	pane = s.waitFor("Last save ✓ saved and checked")
	if strings.Contains(pane, "modified") {
		t.Fatalf("still modified after the save:\n%s", pane)
	}
	s.keys("C-c") // nothing unsaved: quits at once
	pane = s.waitFor("frontdoor-exit=0")
	// The last words tell how the last save went (cmd_wizard.go's lastWords).
	// The words wrap at the terminal's width, the rest of a line indented:
	// compared word by word.
	flat := strings.Join(strings.Fields(strings.ReplaceAll(pane, "\n", "")), " ")
	if !strings.Contains(flat, "frontdoor: last save, of "+target+": saved and checked; settings written to "+cfg) {
		t.Fatalf("no last words on exit:\n%s", pane)
	}

	// Nothing of either is lost: the hand-written comments and the
	// colleague's value stay, with the wizard's edits and its save: section.
	text, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# Artifactory behind nginx: written by hand", "# a colleague: Artifactory moved", "artifactoryPort: 8091",
		"serverName: artifactory.test-new", "docker-three", "keep: 3"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("frontdoor.yaml lacks %q:\n%s", want, text)
		}
	}
	// The file is what `frontdoor render` prints for the saved settings.
	render := exec.Command(bin, "render", "--config", cfg)
	var stdout, stderr bytes.Buffer
	render.Stdout, render.Stderr = &stdout, &stderr
	if err := render.Run(); err != nil {
		t.Fatalf("frontdoor render: %v\n%s", err, stderr.String())
	}
	got, err := os.ReadFile(target)
	if err != nil || !bytes.Equal(got, stdout.Bytes()) || !bytes.Contains(got, []byte("8091")) {
		t.Fatalf("%s does not hold the rendered snippet (%v):\n%s", target, err, got)
	}
	if backups, err := install.Backups(target, ""); err != nil || len(backups) != 1 {
		t.Fatalf("backups: %v %v", err, backups)
	} else if backup, err := os.ReadFile(backups[0].Path); err != nil || !bytes.Equal(backup, previous) {
		t.Fatalf("backup %s: %v %q", backups[0].Path, err, backup)
	}
	link := filepath.Join(enabled, "artifactory.conf")
	if dest, err := os.Readlink(link); err != nil || dest != "../sites-available/artifactory.conf" {
		t.Fatalf("enable link %s -> %q (%v)", link, dest, err)
	}
	f, _, err := config.Load(cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	if f.Proxy.ServerName != "artifactory.test-new" || len(f.Proxy.Docker.Repositories) != 3 || f.Proxy.Docker.Repositories[1].Key != "docker-three" {
		t.Fatalf("frontdoor.yaml: %+v", f.Proxy)
	}
}

// SIGINT or SIGTERM in the middle of a save's check: the save is cancelled
// with the signal as its cause, the previous file is put back, and the
// wizard exits 130 or 143 after the rollback, saying so.
func TestTmuxSignalDuringTheCheck(t *testing.T) {
	t.Parallel() // its own tmux servers and files
	testenv.Binary(t, "tmux")
	bin := buildBinary(t)
	for _, tc := range []struct {
		signal string
		exit   int
	}{{"INT", 130}, {"TERM", 143}} {
		t.Run(tc.signal, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			target, old := previousFile(t, dir)
			check, started := slowCheck(t, dir)
			cfg := filepath.Join(dir, "frontdoor.yaml")
			if err := os.WriteFile(cfg, []byte(tmuxSettings), 0o644); err != nil {
				t.Fatal(err)
			}
			pidFile := filepath.Join(dir, "wizard.pid")
			inner := fmt.Sprintf("echo $$ > %s; exec %s wizard --config %s --to %s --check %s", pidFile, bin, cfg, target, check[0])
			s := startTmux(t, fmt.Sprintf("cd %s && sh -c '%s'; echo frontdoor-exit=$?; sleep 600", dir, inner), 100, 30)
			s.waitFor("frontdoor · home")
			s.keys("3")
			s.waitFor("[6 Save]", "from --to", "from --check")
			s.keys("C-s")
			waitForFile(t, started)
			s.waitFor("Saving", "ctrl+c cancels")
			pid, err := os.ReadFile(pidFile)
			if err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command("kill", "-"+tc.signal, strings.TrimSpace(string(pid))).CombinedOutput(); err != nil {
				t.Fatalf("kill: %v %s", err, out)
			}
			pane := s.waitFor(fmt.Sprintf("frontdoor-exit=%d", tc.exit))
			if !strings.Contains(pane, "interrupted during a save: cancelled, rolled back") {
				t.Fatalf("last words:\n%s", pane)
			}
			requireRolledBack(t, target, old)
			if text, _ := os.ReadFile(cfg); string(text) != tmuxSettings {
				t.Fatalf("frontdoor.yaml written by a cancelled save:\n%s", text)
			}
		})
	}
}
