package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frontdoor/config"
	"frontdoor/internal/servertest"
)

// The machine-aware checks read the web server's configuration where the
// save's check reads it: under --root, the copy's ports.conf, not this
// machine's.
func TestValidateHereReadsTheRoot(t *testing.T) {
	root := servertest.ApacheRoot(t)
	ports := filepath.Join(root, "etc/apache2/ports.conf")
	stock, err := os.ReadFile(ports)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ports, append(stock, []byte("\nListen 5001\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := config.Parse([]byte("proxy:\n  provider: apache\n  serverName: artifactory.example.com\n  nodes: [127.0.0.1]\n  http: {port: 8080}\n  https: {enabled: false}\n  docker:\n    method: ports\n    repositories:\n      - {key: docker-local, port: 5001}\n"))
	if err != nil {
		t.Fatal(err)
	}
	fs := ValidateHere(context.Background(), f, time.Now(), root)
	if !strings.Contains(fs.String(), "Listen 5001 is also in "+ports) {
		t.Errorf("under the root, no warning naming %s:\n%s", ports, fs)
	}
	if fs := ValidateHere(context.Background(), f, time.Now(), "/"); strings.Contains(fs.String(), root) {
		t.Errorf("this machine's validation read the root:\n%s", fs)
	}
}
