package importer

// Helpers for TestBehaviourKept: the real nginx (a main configuration of the
// test's own) and Apache (a copy of the stock Debian layout), on loopback
// high ports with nothing of /etc written, and servertest's recording
// upstreams standing in for Artifactory's ports.

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"frontdoor/internal/servertest"
	"frontdoor/render"
)

// fixtureDir is a directory for a fixture and its certificates that the
// server's workers (another user) can read, removed when the test ends.
func fixtureDir(t testing.TB) string {
	t.Helper()
	dir := servertest.TempDir(t)
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// listenSame starts a recording upstream on the same free port on every
// node address; the one on nodes[i] is named "node<i> role".
// The port is picked free, then bound: another process may take it in
// between, so a port found taken is given up and another picked.
func listenSame(t testing.TB, rec *servertest.Recorder, role string, nodes []string) int {
	t.Helper()
	for attempt := 1; ; attempt++ {
		port := servertest.FreePortOn(t, nodes...)
		var bound []string
		var err error
		for i, node := range nodes {
			name := fmt.Sprintf("node%d %s", i, role)
			if err = rec.TryListen(name, fmt.Sprintf("%s:%d", node, port)); err != nil {
				break
			}
			bound = append(bound, name)
		}
		if err == nil {
			return port
		}
		for _, name := range bound {
			_ = rec.Stop(name)
		}
		if attempt == 3 || !strings.Contains(err.Error(), "in use") {
			t.Fatal(err)
		}
	}
}

// apacheModules are enabled for every configuration: what frontdoor's
// snippets and the fixtures use (servertest follows their Depends: lines).
var apacheModules = []string{
	"authz_core", "authz_host", "alias", "headers", "rewrite", "proxy", "proxy_http",
	"proxy_balancer", "lbmethod_byrequests", "ssl",
}

// startServer runs provider's server with site installed and returns once it
// accepts connections on every one of ports; stopped at test cleanup.
func startServer(t testing.TB, provider render.Provider, site []byte, ports []int) (*servertest.Running, error) {
	t.Helper()
	if provider == render.Apache {
		a := servertest.NewApache(t)
		a.EnableModules(apacheModules...)
		a.Install(site)
		return a.Start(ports...)
	}
	// The fixtures are whole configurations with http-level directives of
	// their own, as for a main file of their own.
	n := servertest.NewBareNginx(t)
	n.Install(site)
	return n.Start(ports...)
}
