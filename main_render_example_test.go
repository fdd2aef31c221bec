package main

import (
	"strings"
	"testing"

	"frontdoor/render"
)

// `render --example --provider P` works for every provider with files: the
// example's certificate and key follow the provider (HAProxy: one PEM file),
// as in the wizard. A settings file's paths are the user's: they stay, and
// HAProxy's validation says how to build the PEM.
func TestRenderExampleForEachProvider(t *testing.T) {
	pem, _ := render.DefaultCertificate(render.HAProxy)
	for _, p := range []string{"nginx", "apache", "haproxy", "caddy", "kubernetes-ingress", "gateway-api"} {
		t.Run(p, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", "render", "--example", "--provider", p)
			if code != 0 || !strings.Contains(stdout, render.HeaderMarker) {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr)
			}
			if p == "haproxy" && !strings.Contains(stdout, "ssl crt "+pem+" ") {
				t.Errorf("the HAProxy example does not read %s:\n%s", pem, stdout)
			}
		})
	}
	cfg := writeConfig(t, "proxy:\n  serverName: artifactory.example.com\n  http: {enabled: false}\n  https: {enabled: true, certificate: /etc/ssl/certs/artifactory.pem, key: /etc/ssl/private/artifactory.key}\n")
	code, _, stderr := runCLI(t, "", "render", "--config", cfg, "--provider", "haproxy")
	if code != 2 || !strings.Contains(stderr, "proxy.https.key: error: HAProxy reads the certificate and its key from one PEM file") {
		t.Errorf("a settings file's pair for HAProxy: exit %d, stderr:\n%s", code, stderr)
	}
}
