package render

import (
	"fmt"
	"strings"
	"testing"

	"frontdoor/internal/servertest"
	"frontdoor/internal/testenv"
	"frontdoor/render/internal/kubecheck"
)

// TestNginxAcceptsEveryCase installs each matrix case into a copy of the
// stock Debian /etc/nginx and runs `nginx -t`, with real certificate, key
// and client-CA files.
func TestNginxAcceptsEveryCase(t *testing.T) {
	t.Parallel() // the real servers' checks: grouped after the quick tests, overlapping each other
	testenv.Binary(t, "nginx")
	files := servertest.NewTLSFiles(t, "artifactory.example.com")
	n := servertest.NewNginx(t) // each case replaces the previous snippet
	for _, c := range matrixCases() {
		if c.s.Provider != Nginx {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			s := withFiles(c.s, files.Server.CertPath, files.Server.KeyPath, files.CA.Path)
			out := mustRender(t, &s)
			n.Install(out)
			if msg, err := n.Check(); err != nil {
				t.Fatalf("nginx -t rejects the snippet: %v\n%s\nsnippet:\n%s", err, msg, numbered(out))
			}
		})
	}
}

// TestApacheAcceptsEveryCase does the same with `apache2ctl -t`, enabling
// exactly the modules ApacheModules names (a2enmod follows their
// dependencies): a module the snippet uses but the list lacks fails here.
// Cases needing the same modules share a layout, which is copied once.
func TestApacheAcceptsEveryCase(t *testing.T) {
	t.Parallel() // the real servers' checks: grouped after the quick tests, overlapping each other
	testenv.Binary(t, "apache2ctl")
	files := servertest.NewTLSFiles(t, "artifactory.example.com")
	layouts := map[string]*servertest.Apache{}
	for _, c := range matrixCases() {
		if c.s.Provider != Apache {
			continue
		}
		s := withFiles(c.s, files.Server.CertPath, files.Server.KeyPath, files.CA.Path)
		mods := ApacheModules(&s)
		a := layouts[strings.Join(mods, " ")]
		if a == nil {
			a = servertest.NewApache(t)
			a.EnableModules(mods...)
			layouts[strings.Join(mods, " ")] = a
		}
		t.Run(c.name, func(t *testing.T) {
			out := mustRender(t, &s)
			a.Install(out)
			if msg, err := a.Check(); err != nil {
				t.Fatalf("apache2ctl -t rejects the snippet: %v\n%s\nsnippet:\n%s", err, msg, numbered(out))
			}
		})
	}
}

// TestHAProxyAcceptsEveryCase runs `haproxy -c` on a copy of the stock
// Debian haproxy.cfg with each matrix case loaded after it (-f ... -f
// snippet), with a real combined PEM and client CA.
func TestHAProxyAcceptsEveryCase(t *testing.T) {
	t.Parallel() // the real servers' checks: grouped after the quick tests, overlapping each other
	testenv.Binary(t, "haproxy")
	files := servertest.NewTLSFiles(t, "artifactory.example.com")
	h := servertest.NewHAProxy(t)
	for _, c := range matrixCases() {
		if c.s.Provider != HAProxy {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			s := withTLSFiles(t, c.s, files)
			out := mustRender(t, &s)
			h.Install(out)
			if msg, err := h.Check(); err != nil {
				t.Fatalf("haproxy -c rejects the snippet: %v\n%s\nsnippet:\n%s", err, msg, numbered(out))
			}
		})
	}
}

// TestCaddyAcceptsEveryCase runs `caddy validate --adapter caddyfile` on
// the stock Debian Caddyfile importing each matrix case, with real
// certificate, key and client-CA files.
func TestCaddyAcceptsEveryCase(t *testing.T) {
	t.Parallel() // the real servers' checks: grouped after the quick tests, overlapping each other
	testenv.Binary(t, "caddy")
	files := servertest.NewTLSFiles(t, "artifactory.example.com")
	c := servertest.NewCaddy(t)
	for _, mc := range matrixCases() {
		if mc.s.Provider != Caddy {
			continue
		}
		t.Run(mc.name, func(t *testing.T) {
			s := withTLSFiles(t, mc.s, files)
			out := mustRender(t, &s)
			c.Install(out)
			if msg, err := c.Check(); err != nil {
				t.Fatalf("caddy validate rejects the snippet: %v\n%s\nsnippet:\n%s", err, msg, numbered(out))
			}
		})
	}
}

// TestKubernetesAcceptsEveryCase decodes each Kubernetes matrix case
// strictly into the upstream API types and checks it against the Gateway
// API CRDs' schema and CEL rules and what ingress-nginx refuses.
func TestKubernetesAcceptsEveryCase(t *testing.T) {
	t.Parallel() // the real servers' checks: grouped after the quick tests, overlapping each other
	for _, c := range matrixCases() {
		if !c.s.Provider.IsKubernetes() {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			out := mustRender(t, &c.s)
			for _, p := range kubeProblems(t, out) {
				t.Errorf("%s\n%s", p, numbered(out))
			}
		})
	}
}

// kubeProblems decodes a Kubernetes output and lists what the API server
// or the ingress controller would refuse.
func kubeProblems(t testing.TB, out []byte) []string {
	t.Helper()
	m, err := kubecheck.Decode(out)
	if err != nil {
		return []string{err.Error()}
	}
	problems, err := kubecheck.CheckSchema(m)
	if err != nil {
		t.Fatalf("loading the Gateway API CRDs: %v", err)
	}
	return append(append(problems, kubecheck.CheckCELRules(m)...), kubecheck.CheckIngress(m)...)
}

// numbered prefixes line numbers, to match the servers' error messages.
func numbered(b []byte) string {
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	var sb strings.Builder
	for i, l := range lines {
		fmt.Fprintf(&sb, "%4d  %s\n", i+1, l)
	}
	return sb.String()
}

// TestApacheListen443EitherWay: a plain Docker VirtualHost on 443 needs a
// Listen only when no SSL module makes ports.conf listen there. The guarded
// Listen must pass apache2ctl -t both with and without mod_ssl loaded (other
// sites on the host may load it).
func TestApacheListen443EitherWay(t *testing.T) {
	t.Parallel() // the real servers' checks: grouped after the quick tests, overlapping each other
	s := goldenSettings(Apache, DockerPorts, httpOnly, 1, false)
	s.HTTP.Port = 8080
	s.Docker.Repositories[1].Port = 443
	out := mustRender(t, &s)
	for _, withSSL := range []bool{false, true} {
		a := servertest.NewApache(t)
		a.EnableModules(ApacheModules(&s)...)
		if withSSL {
			a.EnableModules("ssl")
		}
		a.Install(out)
		if msg, err := a.Check(); err != nil {
			t.Errorf("mod_ssl loaded: %v: apache2ctl -t: %v\n%s", withSSL, err, msg)
		}
	}
}

// TestManyRepositoriesAccepted: 1,000 Docker ports (the benchmark's size)
// still make a configuration every server loads; Apache's ports are split
// over several VirtualHosts to stay under its line length limit, HAProxy's
// over several bind lines, and stock nginx runs out of worker_connections.
// Caddy gets 200: one site per port, nothing in its output changes shape
// with the count, and `caddy validate` of 1,000 sites took 4-5 s of CPU,
// the most expensive check of `go test ./...`, proving nothing 200 do not
// (the render time at 1,000 is the benchmarks' and scripts/perf.sh's job).
func TestManyRepositoriesAccepted(t *testing.T) {
	t.Parallel() // the real servers' checks: grouped after the quick tests, overlapping each other
	files := servertest.NewTLSFiles(t, "artifactory.example.com")
	for _, p := range []Provider{Nginx, Apache, HAProxy, Caddy} {
		t.Run(string(p), func(t *testing.T) {
			t.Parallel()
			n := 1000
			if p == Caddy {
				n = 200 // see above: the size proves nothing more for Caddy
			}
			s := benchSettings(p, n)
			s = withTLSFiles(t, s, files)
			out := mustRender(t, &s)
			var msg string
			var err error
			switch p {
			case HAProxy:
				h := servertest.NewHAProxy(t)
				h.Install(out)
				msg, err = h.Check()
			case Caddy:
				c := servertest.NewCaddy(t)
				c.Install(out)
				msg, err = c.Check()
			case Nginx:
				n := servertest.NewNginx(t)
				n.Install(out)
				// Stock nginx has too few worker_connections for 1,000
				// listening sockets, as Validate warns.
				if msg, err := n.Check(); err == nil || !strings.Contains(msg, "worker_connections are not enough") {
					t.Errorf("stock worker_connections: want nginx -t to fail for lack of connections, got %v\n%s", err, msg)
				}
				if fs := Validate(&s); !strings.Contains(fs.String(), "worker_connections") {
					t.Errorf("Validate does not warn about worker_connections:\n%s", fs)
				}
				n.SetWorkerConnections(4096)
				msg, err = n.Check()
			default:
				a := servertest.NewApache(t)
				a.EnableModules(ApacheModules(&s)...)
				a.Install(out)
				msg, err = a.Check()
			}
			if err != nil {
				t.Fatalf("%v\n%s", err, msg)
			}
		})
	}
}
