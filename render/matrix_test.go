package render

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"frontdoor/internal/servertest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden from the current output")

// Fixed paths keep the golden files independent of temp dirs; the tests that
// run a real server render the same settings with generated files instead
// (see withFiles).
const (
	goldenCert     = "/etc/frontdoor-test/server.pem"
	goldenKey      = "/etc/frontdoor-test/server.key"
	goldenClientCA = "/etc/frontdoor-test/client-ca.pem"
	goldenCombined = "/etc/frontdoor-test/server-and-key.pem"
)

// matrixProviders are the providers of the golden matrix.
var matrixProviders = []Provider{Nginx, Apache, HAProxy, Caddy, KubernetesIngress, GatewayAPI}

// goldenExt is the extension of a provider's golden files.
func goldenExt(p Provider) string {
	switch p {
	case HAProxy:
		return ".cfg"
	case Caddy:
		return ".caddyfile"
	case KubernetesIngress, GatewayAPI:
		return ".yaml"
	}
	return ".conf"
}

// matrixCase is one combination of the settings the issue asks to cover.
type matrixCase struct {
	name string
	s    Settings
}

// Listener set-ups of the matrix.
const (
	httpOnly   = "http"
	httpsOnly  = "https"
	redirectTo = "redirect" // HTTP redirects to HTTPS
)

func goldenSettings(p Provider, m DockerMethod, listeners string, nodes int, mtls bool) Settings {
	s := Defaults()
	s.Provider = p
	s.ServerName = "artifactory.example.com"
	s.Nodes = []string{"localhost"}
	if nodes == 2 {
		s.Nodes = []string{"10.0.0.11", "fd00::12"} // an IPv6 node shows the brackets
	}
	s.HTTP = HTTP{Enabled: listeners != httpsOnly, Port: 80, RedirectToHTTPS: listeners == redirectTo}
	s.HTTPS = HTTPS{Enabled: listeners != httpOnly, Port: 443, Certificate: goldenCert, Key: goldenKey, TLSProfile: TLSIntermediate}
	if p == HAProxy {
		s.HTTPS.Certificate, s.HTTPS.Key = goldenCombined, goldenCombined // one PEM file
	}
	s.Docker.Method = m
	if m != DockerNone {
		s.Docker.Repositories = []DockerRepository{{Key: "docker-local"}, {Key: "docker-remote"}, {Key: "docker"}}
		if m == DockerPorts {
			for i := range s.Docker.Repositories {
				s.Docker.Repositories[i].Port = 5001 + i
			}
		}
	}
	if mtls {
		s.MTLS = MTLS{Enabled: true, ClientCA: goldenClientCA, VerifyDepth: 2, Header: "X-JFrog-Client-Cert"}
		switch p {
		case KubernetesIngress:
			s.MTLS.Header = ingressNginxCertHeader // the only header ingress-nginx sets
		case GatewayAPI:
			s.MTLS.Required = true // a Gateway admits verified clients or everyone
		}
	}
	return s
}

// methodsFor are the Docker methods a provider can express: an Ingress
// has no ports of its own.
func methodsFor(p Provider) []DockerMethod {
	if p == KubernetesIngress {
		return []DockerMethod{DockerSubdomain, DockerRepositoryPath, DockerNone}
	}
	return DockerMethods
}

// matrixCases is provider × Docker method × listeners × HA × mTLS (mTLS only
// with HTTPS), plus a few cases the matrix does not reach.
func matrixCases() []matrixCase {
	var cases []matrixCase
	for _, p := range matrixProviders {
		for _, m := range methodsFor(p) {
			for _, l := range []string{httpOnly, httpsOnly, redirectTo} {
				for _, nodes := range []int{1, 2} {
					for _, mtls := range []bool{false, true} {
						if mtls && l == httpOnly {
							continue
						}
						name := fmt.Sprintf("%s-%s-%s-%dnode", p, m, l, nodes)
						if mtls {
							name += "-mtls"
						}
						cases = append(cases, matrixCase{name, goldenSettings(p, m, l, nodes, mtls)})
					}
				}
			}
		}
	}
	for _, p := range matrixProviders {
		// The vendor's default: one server for both schemes, no redirect.
		both := goldenSettings(p, DockerSubdomain, redirectTo, 1, false)
		both.HTTP.RedirectToHTTPS = false
		cases = append(cases, matrixCase{string(p) + "-subdomain-http+https-1node", both})

		// Non-standard listener ports next to Docker ports: Apache needs a
		// Listen for each, and none for the 80/443 of Debian's ports.conf.
		alt := goldenSettings(p, DockerPorts, redirectTo, 1, true)
		alt.HTTP = HTTP{Enabled: true, Port: 8080}
		alt.HTTPS.Port = 8443
		if p != KubernetesIngress {
			cases = append(cases, matrixCase{string(p) + "-ports-altports-1node-mtls", alt})
		}

		altRedirect := goldenSettings(p, DockerNone, redirectTo, 1, false)
		altRedirect.HTTP.Port, altRedirect.HTTPS.Port = 8080, 8443
		cases = append(cases, matrixCase{string(p) + "-none-altports-redirect-1node", altRedirect})

		modern := goldenSettings(p, DockerRepositoryPath, httpsOnly, 1, true)
		modern.HTTPS.TLSProfile = TLSModern
		modern.MTLS.Required = true
		if p != KubernetesIngress {
			modern.MTLS.Header = "X-Client-Cert"
		}
		modern.OverrideBaseURLHeader = false
		cases = append(cases, matrixCase{string(p) + "-repositoryPath-modern-required-mtls", modern})

		// Docker ports on 80 and 443 while the main listeners use others.
		low := goldenSettings(p, DockerPorts, httpOnly, 1, false)
		low.HTTP.Port = 8080
		low.Docker.Repositories[0].Port = 80
		low.Docker.Repositories[1].Port = 443
		if p == Caddy {
			low.Docker.Repositories[1].Port = 444 // Caddy refuses plain HTTP on 443
		}
		if p != KubernetesIngress {
			cases = append(cases, matrixCase{string(p) + "-ports-80-443-http-1node", low})
		}

		// Names too long for nginx's default hash buckets (47+ characters):
		// the server name becomes a regex, the header gets its bucket size.
		long := goldenSettings(p, DockerSubdomain, redirectTo, 1, true)
		long.ServerName = "artifactory-eu-west-1-production.corp.example.com" // 49 characters
		if p != KubernetesIngress {
			long.MTLS.Header = "X-JFrog-Client-Certificate-Forwarded-By-The-Proxy"
		}
		cases = append(cases, matrixCase{string(p) + "-subdomain-longnames-redirect-1node-mtls", long})

		// IPv6 everywhere: the server name and the nodes go in brackets.
		v6 := goldenSettings(p, DockerPorts, redirectTo, 2, false)
		if p != Apache && !p.IsKubernetes() {
			v6.ServerName = "2001:db8::10" // Apache has no way to name an IPv6 server, Kubernetes routes by name
		}
		v6.Nodes = []string{"::ffff:10.0.0.11", "[FD00::12]"}
		if p != KubernetesIngress {
			cases = append(cases, matrixCase{string(p) + "-ports-ipv6-redirect-2node", v6})
		}
	}
	for _, p := range matrixProviders {
		// Behind a load balancer that terminates TLS on 443 (proxy.public):
		// the proxy serves plain HTTP, and reports https and 443.
		lb := goldenSettings(p, DockerSubdomain, httpOnly, 1, false)
		lb.HTTP.Port = 8080
		lb.Public = Public{Scheme: "https"}
		cases = append(cases, matrixCase{string(p) + "-subdomain-public-https-lb-1node", lb})

		// A load balancer that maps ports only (TLS passes through to the
		// proxy): the redirect and the headers name its port; each Docker
		// port keeps its number.
		if p != KubernetesIngress {
			mapped := goldenSettings(p, DockerPorts, redirectTo, 1, false)
			mapped.Public = Public{Port: 8443}
			cases = append(cases, matrixCase{string(p) + "-ports-public-port-redirect-1node", mapped})
		}
	}
	// Kubernetes names of the admin's own, instead of the Helm chart's.
	for _, p := range []Provider{KubernetesIngress, GatewayAPI} {
		named := goldenSettings(p, DockerSubdomain, httpsOnly, 1, true)
		named.Kubernetes = Kubernetes{Namespace: "tools", Name: "jfrog", RouterService: "jfrog-router", ArtifactoryService: "jfrog-artifactory",
			TLSSecret: "wildcard.example.com", ClientCA: "client-ca", IngressClass: "internal-nginx", GatewayClass: "envoy"}
		named.Docker.Repositories = append(named.Docker.Repositories, DockerRepository{Key: "team-images"})
		cases = append(cases, matrixCase{string(p) + "-subdomain-names-https-1node-mtls", named})
	}
	// Caddy obtaining its own certificates: one per name, no files.
	auto := goldenSettings(Caddy, DockerSubdomain, redirectTo, 1, true)
	auto.Caddy.AutomaticHTTPS = true
	auto.HTTPS.Certificate, auto.HTTPS.Key = "", ""
	cases = append(cases, matrixCase{"caddy-subdomain-automatic-redirect-1node-mtls", auto})
	return cases
}

// withTLSFiles points the settings at the generated files, as the provider
// wants them: HAProxy reads the certificate and key from one file.
func withTLSFiles(t testing.TB, s Settings, files *servertest.TLSFiles) Settings {
	cert, key := files.Server.CertPath, files.Server.KeyPath
	if s.Provider == HAProxy {
		cert = files.Server.CombinedPath(t)
		key = cert
	}
	return withFiles(s, cert, key, files.CA.Path)
}

// withFiles points the settings' certificate, key and client CA at real files.
func withFiles(s Settings, cert, key, clientCA string) Settings {
	s = s.Clone()
	if s.HTTPS.Enabled {
		s.HTTPS.Certificate, s.HTTPS.Key = cert, key
	}
	if s.MTLS.Enabled {
		s.MTLS.ClientCA = clientCA
	}
	return s
}

func mustRender(t testing.TB, s *Settings) []byte {
	t.Helper()
	if fs := Validate(s); fs.HasErrors() {
		t.Fatalf("settings do not validate:\n%s", fs)
	}
	out, err := Render(s)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return out
}

func TestGolden(t *testing.T) {
	dir := filepath.Join("testdata", "golden")
	if *update {
		// Start clean so files of cases that no longer exist go away.
		old, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, f := range old {
			os.Remove(f)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	for _, c := range matrixCases() {
		names = append(names, c.name+goldenExt(c.s.Provider))
		t.Run(c.name, func(t *testing.T) {
			got := mustRender(t, &c.s)
			again := mustRender(t, &c.s)
			if !bytes.Equal(got, again) {
				t.Fatal("two renders of the same settings differ: output must be deterministic")
			}
			path := filepath.Join(dir, c.name+goldenExt(c.s.Provider))
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./render -run TestGolden -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (if the change is intended, run with -update and review the diff):\n%s", path, lineDiff(string(want), string(got)))
			}
		})
	}
	if !*update {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, f := range files {
			if !slices.Contains(names, filepath.Base(f)) {
				t.Errorf("%s belongs to no case: run with -update to remove it", f)
			}
		}
	}
}

// TestMatrixSize keeps the matrix honest: every provider × 4 methods ×
// (HTTP; HTTPS and redirect each with and without mTLS) × 2 node counts.
func TestMatrixSize(t *testing.T) {
	matrix := 0
	seen := map[string]bool{}
	for _, c := range matrixCases() {
		if seen[c.name] {
			t.Errorf("duplicate case name %s", c.name)
		}
		seen[c.name] = true
		if !strings.Contains(c.name, "altports") && !strings.Contains(c.name, "modern") &&
			!strings.Contains(c.name, "http+https") && !strings.Contains(c.name, "80-443") && !strings.Contains(c.name, "ipv6") && !strings.Contains(c.name, "longnames") &&
			!strings.Contains(c.name, "automatic") && !strings.Contains(c.name, "-names-") && !strings.Contains(c.name, "-public-") {
			matrix++
		}
	}
	want := 0
	for _, p := range matrixProviders {
		want += len(methodsFor(p)) * 5 * 2
	}
	if matrix != want {
		t.Errorf("matrix has %d cases, want %d", matrix, want)
	}
}

// lineDiff shows the first lines that differ, enough to see what changed.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 12; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %q\n  got  %q\n", i+1, wl, gl)
			shown++
		}
	}
	return b.String()
}
