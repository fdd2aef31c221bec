package proxy_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"frontdoor/render"
	"frontdoor/tui/pages/proxy"
)

// sizes are the terminal sizes every screen is checked at.
var sizes = [][2]int{{80, 24}, {160, 48}}

// exampleYAML is nginx with HTTPS and three Docker subdomains (the
// certificate files are not on this machine).
const exampleYAML = `
proxy:
  provider: nginx
  serverName: artifactory.example.com
  nodes: [localhost]
  artifactoryPort: 8081
  routerPort: 8082
  http: {enabled: true, port: 80, redirectToHttps: true}
  https: {enabled: true, port: 443, certificate: /etc/ssl/certs/artifactory.pem, key: /etc/ssl/private/artifactory.key, tlsProfile: intermediate}
  docker:
    method: subdomain
    repositories: [{key: docker-local}, {key: docker-remote}, {key: docker}]
  mtls: {enabled: false, clientCA: /etc/nginx/client-ca.pem, verifyDepth: 2, header: X-JFrog-Client-Cert, required: false}
  overrideBaseUrlHeader: true
`

// Golden views of the provider-specific parts of the HTTP steps, at 80x24
// and 160x48: every provider offered, the Kubernetes names where their
// counterparts are, Caddy's automatic HTTPS, the public scheme and port,
// the verify depth a provider has not, a refused Docker method at its
// field, the preview's plain text, and the review of a manifest.
func TestGoldenProviderScreens(t *testing.T) {
	// HAProxy reads the key from the certificate's file.
	haproxyYAML := strings.Replace(strings.Replace(exampleYAML, "provider: nginx", "provider: haproxy", 1),
		"key: /etc/ssl/private/artifactory.key", "key: /etc/ssl/certs/artifactory.pem", 1)
	cases := []struct {
		name  string
		yaml  string
		setup func(h *harness)
	}{
		{"provider_every", "", func(h *harness) { h.chooseProvider(render.HAProxy) }},
		{"provider_kubernetes", "", func(h *harness) { h.chooseProvider(render.KubernetesIngress) }},
		{"nodes_services", "", func(h *harness) {
			h.chooseProvider(render.GatewayAPI)
			h.press("pgdown")
		}},
		{"public_tls_secret", "", func(h *harness) {
			h.chooseProvider(render.KubernetesIngress)
			h.press("pgdown", "pgdown")
			h.press("tab", "tab", "tab", "tab", "tab", "backspace", "backspace", "backspace")
			h.typeText("8443") // an Ingress has no port of its own: the warning says so
			h.press("tab", "tab", "tab", "right")
		}},
		{"public_caddy_automatic", "", func(h *harness) {
			h.chooseProvider(render.Caddy)
			h.press("pgdown", "pgdown", "tab", "tab", "tab", "tab", "tab", "tab", "space")
		}},
		{"public_load_balancer", "", func(h *harness) {
			h.press("pgdown", "pgdown")
			for range 9 {
				h.press("tab")
			}
			h.press("right", "tab")
			h.typeText("8443")
		}},
		{"docker_ingress_ports", "", func(h *harness) {
			h.chooseProvider(render.KubernetesIngress)
			h.press("pgdown", "pgdown", "pgdown", "right")
		}},
		{"extras_haproxy_depth", haproxyYAML, func(h *harness) {
			h.press("pgdown", "pgdown", "pgdown", "pgdown", "space")
		}},
		{"preview_haproxy_plain", haproxyYAML, func(h *harness) { h.press("ctrl+p") }},
		{"review_manifest", "", func(h *harness) {
			h.chooseProvider(render.GatewayAPI)
			h.press("ctrl+s")
		}},
	}
	for _, c := range cases {
		for _, size := range sizes {
			name := fmt.Sprintf("%s_%dx%d", c.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				yaml := c.yaml
				if yaml == "" {
					yaml = exampleYAML
				}
				h := newHarness(t, yaml, size[0], size[1])
				c.setup(h)
				frame := h.frame()
				for i, line := range strings.Split(frame, "\n") {
					if w := len([]rune(line)); w > size[0] {
						t.Errorf("line %d is %d cells wide: %q", i, w, line)
					}
				}
				golden.RequireEqual(t, []byte(frame))
			})
		}
	}
}

// The preview renders with the admin's templates (proxy.templates), and
// says why when they fail, as the save would.
func TestPreviewUsesAdminTemplates(t *testing.T) {
	dir := t.TempDir()
	if _, err := render.ExportTemplates(dir); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, render.TemplateFile(render.Nginx))
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	custom := strings.Replace(string(data), "{{range .Header}}# {{.}}\n{{end}}", "{{range .Header}}# {{.}}\n{{end}}# Reviewed by the platform team.\n", 1)
	if custom == string(data) {
		t.Fatal("the embedded nginx template no longer starts with the header")
	}
	if err := os.WriteFile(file, []byte(custom), 0o644); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, exampleYAML, 160, 48)
	h.press("tab") // Templates
	h.typeText(dir)
	if pv := h.p.Preview(); pv.Stale || !slices.Contains(pv.Lines, "# Reviewed by the platform team.") {
		t.Fatalf("preview without the admin's template (stale %v):\n%s", pv.Stale, h.frame())
	}
	if err := os.WriteFile(file, []byte("{{define \"nginx.conf.tmpl\"}}{{.NoSuchField}}{{end}}"), 0o644); err != nil {
		t.Fatal(err)
	}
	h.typeText("/") // the same directory, read again
	if pv := h.p.Preview(); !pv.Stale || !strings.Contains(h.frame(), "nginx.conf.tmpl") {
		t.Fatalf("a failing template is not reported:\n%s", h.frame())
	}
}

// A manifest's review hides the link, check and reload, unless one holds a
// value kept from another provider (typed there), which app refuses: it is
// shown then, so it can be cleared.
func TestManifestReviewShowsOnlyWhatApplies(t *testing.T) {
	shown := func(h *harness) []string {
		var labels []string
		f := h.p.Form(proxy.StepReview)
		for _, fd := range f.Fields() {
			if fd.Shown(h.doc) && fd.Label != "" {
				labels = append(labels, fd.Label)
			}
		}
		return labels
	}
	h := newHarness(t, exampleYAML, 80, 24)
	h.chooseProvider(render.KubernetesIngress)
	if got, want := strings.Join(shown(h), ", "), "Target, Apply with, Backups kept, Backup dir"; got != want {
		t.Errorf("Kubernetes review shows %s, want %s", got, want)
	}
	h = newHarness(t, exampleYAML, 80, 24)
	h.doc.Target.Check.Edit("nginx -t -q")
	h.chooseProvider(render.GatewayAPI)
	if got := shown(h); !slices.Contains(got, "Check") || slices.Contains(got, "Enable link") {
		t.Errorf("a typed check kept for Gateway API: review shows %v", got)
	}
}

// Certificate files read for nginx say nothing about a Kubernetes output
// (a Secret holds its certificate): their findings go with the switch, and
// come back with nginx.
func TestCertificateFilesFollowTheProvider(t *testing.T) {
	h := newHarness(t, exampleYAML, 80, 24)
	about := func() int { return len(h.doc.Proxy.Findings.For("proxy.https.certificate")) }
	if about() == 0 {
		t.Fatal("nginx: no finding about the certificate file, which is not on this machine")
	}
	h.chooseProvider(render.KubernetesIngress)
	if n := about(); n != 0 {
		t.Errorf("Kubernetes Ingress: %d findings about certificate files it does not use", n)
	}
	h.press("left", "left", "left", "left")
	if h.doc.File.Proxy.Provider != render.Nginx || about() == 0 {
		t.Errorf("back to %s: the certificate file is not read again", h.doc.File.Proxy.Provider)
	}
}
