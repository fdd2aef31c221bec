package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/internal/servertest"
	"frontdoor/internal/testenv"
)

// The built binary in a real terminal (tmux), at 80x24 and 160x48: Check
// against a real nginx in front of the Artifactory stand-in (the test CA
// trusted through SSL_CERT_FILE, as a private CA installed on the machine
// would be), and --config naming an nginx configuration, imported, with its
// report on the review step.
func TestTmuxCheckAndImport(t *testing.T) {
	t.Parallel() // its own tmux servers, files, nginx and stand-in
	testenv.Binary(t, "tmux")
	d := startRealDoor(t)
	bin := buildBinary(t)
	s := d.settings
	settings := fmt.Sprintf(`proxy:
  provider: nginx
  serverName: %s
  nodes: [127.0.0.1]
  artifactoryPort: %d
  routerPort: %d
  http: {enabled: true, port: %d, redirectToHttps: true}
  https: {enabled: true, port: %d, certificate: %s, key: %s, tlsProfile: intermediate}
  docker:
    method: subdomain
    repositories:
      - {key: docker-local}
      - {key: docker-remote}
`, s.ServerName, s.ArtifactoryPort, s.RouterPort, s.HTTP.Port, s.HTTPS.Port, s.HTTPS.Certificate, s.HTTPS.Key)

	for _, size := range sizes {
		t.Run(fmt.Sprintf("check_%dx%d", size[0], size[1]), func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "frontdoor.yaml"), []byte(settings), 0o644); err != nil {
				t.Fatal(err)
			}
			tm := startTmux(t, fmt.Sprintf("cd %s && SSL_CERT_FILE=%s %s; echo frontdoor-exit=$?; sleep 600", dir, d.tls.CA.Path, bin), size[0], size[1])
			tm.waitFor("frontdoor · home", "4  Check")
			tm.keys("4")
			tm.waitFor("Check the door", "[ Check ]")
			tm.keys("BTab", "BTab", "BTab") // Test against, above CA file, Docker user, Password
			tm.text("127.0.0.1")
			tm.keys("Tab", "Tab") // past CA file: the system's CAs (SSL_CERT_FILE)
			tm.text(checkUser)
			tm.keys("Tab")
			tm.text(checkPass)
			tm.keys("Enter", "Enter")
			pane := tm.waitFor("Last check ✓ the door works", "✓ Summary: the door works")
			t.Logf("Check at %dx%d:\n%s", size[0], size[1], pane)
			if strings.Contains(pane, checkPass) {
				t.Errorf("the password is on the screen:\n%s", pane)
			}
			tm.keys("Escape")
			tm.waitFor("Check     ✓ the door works")
			tm.keys("C-c")
			tm.waitFor("frontdoor-exit=0")
		})
		t.Run(fmt.Sprintf("import_%dx%d", size[0], size[1]), func(t *testing.T) {
			// Not t.TempDir: its path holds the test's name, and the
			// screen must show the file's path whole on one line at 80
			// columns, wherever TMPDIR is.
			dir := servertest.TempDir(t)
			conf := filepath.Join(dir, "artifactory.conf")
			if err := os.WriteFile(conf, handMade(t), 0o644); err != nil {
				t.Fatal(err)
			}
			tm := startTmux(t, fmt.Sprintf("cd %s && %s --config %s; echo frontdoor-exit=$?; sleep 600", dir, bin, conf), size[0], size[1])
			// One word of the sentence: where its lines break depends on
			// the length of the path before it.
			tm.waitFor("Import the existing nginx configuration?", "--config:")
			tm.keys("i")
			tm.waitFor("[6 Save]", "Import  ", "not mapped", "From "+conf)
			tm.keys("C-o")
			pane := tm.waitFor("› Import", "esc back to the fields")
			t.Logf("the review step after the import at %dx%d:\n%s", size[0], size[1], pane)
			tm.keys("Escape") // alone: esc then a key at once reads as alt+key
			tm.waitFor("(ctrl+o: scroll, search, copy)")
			tm.keys("C-c")
			tm.waitFor("Unsaved changes")
			tm.keys("q")
			tm.waitFor("frontdoor-exit=0")
		})
	}
}
