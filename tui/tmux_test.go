package tui

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frontdoor/config"
	"frontdoor/install"
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
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("the screen never showed %q; last screen:\n%s", texts, pane)
	return ""
}

// The built binary, in a real terminal (tmux), from the first screen to a
// saved file: a Debian nginx layout in a temporary root, an existing
// snippet to back up, the real `nginx -t` as the check when nginx is here.
func TestTmuxWalkToASavedFile(t *testing.T) {
	testenv.Binary(t, "tmux")
	dir := t.TempDir()
	bin := filepath.Join(dir, "frontdoor")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	root := filepath.Join(dir, "root")
	available := filepath.Join(root, "etc/nginx/sites-available")
	enabled := filepath.Join(root, "etc/nginx/sites-enabled")
	for _, d := range []string{available, enabled} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	target := filepath.Join(available, "artifactory.conf")
	previous := []byte("# an older snippet, kept as the backup\n")
	if err := os.WriteFile(target, previous, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "frontdoor.yaml")
	settings := `proxy:
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
	if err := os.WriteFile(cfg, []byte(settings), 0o644); err != nil {
		t.Fatal(err)
	}
	check := "true"
	if nginx := testenv.LookPath("nginx"); nginx != "" {
		conf := filepath.Join(dir, "nginx.conf")
		nginxConf := fmt.Sprintf("pid %s/nginx.pid;\nerror_log %s/error.log;\nevents {}\nhttp {\n    include %s/*;\n}\n", dir, dir, enabled)
		if err := os.WriteFile(conf, []byte(nginxConf), 0o644); err != nil {
			t.Fatal(err)
		}
		check = fmt.Sprintf("%s -t -q -e %s/error.log -p %s -c %s", nginx, dir, dir, conf)
	} else if testenv.InCI() {
		testenv.Unavailable(t, "nginx is not installed")
	}

	t.Logf("check command: %s", check)
	s := &tmuxSession{t: t, socket: fmt.Sprintf("frontdoor-test-%d", os.Getpid()), name: "wizard"}
	command := fmt.Sprintf("cd %s && %s wizard --config %s --root %s --check '%s'; echo frontdoor-exit=$?; sleep 600",
		dir, bin, cfg, root, check)
	s.tmux("new-session", "-d", "-s", s.name, "-x", "120", "-y", "40", "sh", "-c", command)
	t.Cleanup(func() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() })

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
	s.waitFor("[6 Save]", "detected layout: sites-available", "[ Save ]")
	s.keys("C-s")
	pane = s.waitFor("Last save", "settings written to")
	if !strings.Contains(pane, "saved and checked") {
		t.Fatalf("the save did not pass its check:\n%s", pane)
	}
	if strings.Contains(pane, "modified") {
		t.Fatalf("still modified after the save:\n%s", pane)
	}
	s.keys("C-c") // nothing unsaved: quits at once
	pane = s.waitFor("frontdoor-exit=0")
	if !strings.Contains(pane, "frontdoor: saved "+target) {
		t.Fatalf("no last words on exit:\n%s", pane)
	}

	// The file is what `frontdoor render` prints for the saved settings.
	render := exec.Command(bin, "render", "--config", cfg)
	var stdout, stderr bytes.Buffer
	render.Stdout, render.Stderr = &stdout, &stderr
	if err := render.Run(); err != nil {
		t.Fatalf("frontdoor render: %v\n%s", err, stderr.String())
	}
	got, err := os.ReadFile(target)
	if err != nil || !bytes.Equal(got, stdout.Bytes()) {
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
