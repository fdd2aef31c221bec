package render

import (
	"strings"
	"testing"
)

// providerBase is settings every provider accepts without a finding (the
// Kubernetes ones without the base-URL header, which ingress-nginx cannot
// send).
func providerBase(p Provider) Settings {
	s := goldenSettings(p, DockerSubdomain, redirectTo, 1, true)
	if p.IsKubernetes() {
		s.OverrideBaseURLHeader = false
		s.MTLS.Required = true
	}
	if p == KubernetesIngress {
		s.MTLS.Header = "ssl-client-cert"
	}
	return s
}

func TestProviderBasesAreClean(t *testing.T) {
	for _, p := range Providers {
		if p == Tomcat {
			continue
		}
		s := providerBase(p)
		fs := Validate(&s)
		if p.IsKubernetes() {
			// The custom header (ingress-nginx's own), or the Gateway's
			// missing certificate forwarding: said once, as a warning.
			if len(fs) != 1 || fs[0].Severity != Warning {
				t.Errorf("%s: base settings: want one warning, got\n%s", p, fs)
			}
			continue
		}
		if len(fs) != 0 {
			t.Errorf("%s: base settings have findings:\n%s", p, fs)
		}
	}
}

// TestValidateProviders covers the rules one provider adds: each case
// lists every finding the change brings, in order.
func TestValidateProviders(t *testing.T) {
	cases := []struct {
		name   string
		p      Provider
		change func(s *Settings)
		want   []want
	}{
		{"HAProxy key in its own file", HAProxy, func(s *Settings) { s.HTTPS.Certificate, s.HTTPS.Key = "/etc/ssl/a.pem", "/etc/ssl/a.key" },
			[]want{{"proxy.https.key", Error, "build it with `cat /etc/ssl/a.pem /etc/ssl/a.key > /etc/ssl/a-haproxy.pem`"}}},
		{"HAProxy: the combined PEM beside the key, the settings' paths", HAProxy, func(s *Settings) {
			s.HTTPS.Certificate, s.HTTPS.Key = "/srv/tls/certs/artifactory.crt", "/srv/tls/private/artifactory.key"
		}, []want{{"proxy.https.key", Error, "build it with `cat /srv/tls/certs/artifactory.crt /srv/tls/private/artifactory.key > /srv/tls/private/artifactory-haproxy.pem`"}}},
		{"HAProxy: the combined PEM is never a file the cat reads", HAProxy, func(s *Settings) {
			s.HTTPS.Certificate, s.HTTPS.Key = "/etc/ssl/a.pem", "/etc/ssl/a-haproxy.pem"
		}, []want{{"proxy.https.key", Error, "> /etc/ssl/a-haproxy-combined.pem`"}}},
		{"HAProxy key beside the certificate", HAProxy, func(s *Settings) { s.HTTPS.Certificate, s.HTTPS.Key = "/etc/ssl/a.pem", "/etc/ssl/a.pem.key" }, nil},
		{"HAProxy without HTTPS needs no PEM", HAProxy, func(s *Settings) {
			s.HTTPS.Enabled, s.HTTP.RedirectToHTTPS, s.MTLS.Enabled = false, false, false
			s.HTTPS.Key = "/etc/ssl/other.key"
		}, nil},
		{"HAProxy IPv6 server name", HAProxy, func(s *Settings) {
			s.ServerName = "2001:db8::10"
			s.Docker.Method = DockerPorts
			s.Docker.Repositories = []DockerRepository{{Key: "d", Port: 5001}}
		}, nil},
		{"Caddy plain HTTP on 443", Caddy, func(s *Settings) {
			s.HTTPS.Enabled, s.HTTP.RedirectToHTTPS, s.MTLS.Enabled = false, false, false
			s.Docker.Method = DockerPorts
			s.Docker.Repositories = []DockerRepository{{Key: "a", Port: 5001}, {Key: "b", Port: 443}}
		}, []want{{"proxy.docker.repositories[1].port", Warning, "CAP_NET_BIND_SERVICE"}, {"proxy.docker.repositories[1].port", Error, "Caddy refuses plain HTTP on port 443"}}},
		{"Caddy HTTP listener on 443", Caddy, func(s *Settings) {
			s.HTTPS.Enabled, s.HTTP.RedirectToHTTPS, s.MTLS.Enabled = false, false, false
			s.HTTP.Port = 443
		}, []want{{"proxy.http.port", Error, "usually 80"}}},
		{"Caddy automatic HTTPS needs no files", Caddy, func(s *Settings) {
			s.Caddy.AutomaticHTTPS = true
			s.HTTPS.Certificate, s.HTTPS.Key = "", ""
		}, nil},
		{"Caddy automatic HTTPS without HTTPS", Caddy, func(s *Settings) {
			s.Caddy.AutomaticHTTPS = true
			s.HTTPS.Enabled, s.HTTP.RedirectToHTTPS, s.MTLS.Enabled = false, false, false
		}, []want{{"proxy.caddy.automaticHttps", Error, "enable proxy.https"}}},
		{"Ingress: the ports method", KubernetesIngress, func(s *Settings) {
			s.Docker.Method = DockerPorts
			s.Docker.Repositories = []DockerRepository{{Key: "a", Port: 5001}}
		}, []want{{"proxy.mtls.header", Warning, "system.yaml"}, {"proxy.docker.method", Error, "choose gateway-api"}}},
		{"Ingress: ports of its own", KubernetesIngress, func(s *Settings) { s.HTTP.Port, s.HTTPS.Port = 8080, 8443 },
			[]want{{"proxy.mtls.header", Warning, "system.yaml"}, {"proxy.http.port", Warning, "8080 is not used"}, {"proxy.https.port", Warning, "8443 is not used"}}},
		{"Ingress: the base-URL header", KubernetesIngress, func(s *Settings) { s.OverrideBaseURLHeader = true },
			[]want{{"proxy.mtls.header", Warning, "system.yaml"}, {"proxy.overrideBaseUrlHeader", Warning, "Custom Base URL"}}},
		{"Ingress: another certificate header", KubernetesIngress, func(s *Settings) { s.MTLS.Header = "X-JFrog-Client-Cert" },
			[]want{{"proxy.mtls.header", Error, "header-name: ssl-client-cert"}}},
		{"Ingress: no certificate files needed", KubernetesIngress, func(s *Settings) {
			s.HTTPS.Certificate, s.HTTPS.Key, s.MTLS.ClientCA = "", "", ""
			s.Nodes = nil
		}, []want{{"proxy.mtls.header", Warning, "system.yaml"}}},
		{"Kubernetes: an IP server name", GatewayAPI, func(s *Settings) { s.ServerName = "10.0.0.5"; s.Docker.Method = DockerNone },
			[]want{{"proxy.serverName", Error, "Kubernetes routes by host name"}, {"proxy.mtls.enabled", Warning, "cannot pass the certificate"}}},
		// mTLS a Gateway cannot express: the providers that can, every one of them.
		{"Gateway: optional client certificates", GatewayAPI, func(s *Settings) { s.MTLS.Required = false },
			[]want{{"proxy.mtls.required", Error, "set mtls.required, or choose nginx, Apache, HAProxy or Caddy for optional certificates"}}},
		{"Gateway: required client certificates", GatewayAPI, func(s *Settings) { s.Docker.Method = DockerNone },
			[]want{{"proxy.mtls.enabled", Warning, "so users are not logged in by it: choose nginx, Apache, HAProxy or Caddy for that"}}},
		{"Tomcat: a proxy in front", Tomcat, func(s *Settings) { s.MTLS.Enabled = false; s.Docker.Method = DockerSubdomain },
			[]want{{"proxy.docker.method", Error, "or choose nginx, Apache, HAProxy or Caddy"}}},
		{"Gateway: too many listeners", GatewayAPI, func(s *Settings) {
			s.MTLS.Enabled = false
			s.Docker.Method = DockerPorts
			s.Docker.Repositories = benchSettings(HAProxy, 63).Docker.Repositories // 63 ports
		}, []want{{"proxy.docker.repositories", Error, "65 listeners in all, but a Gateway holds at most 64"}}},
		{"Kubernetes: names", GatewayAPI, func(s *Settings) {
			s.MTLS.Enabled = false
			s.Kubernetes = Kubernetes{Namespace: "Tools", Name: "a.b", RouterService: "1router", ArtifactoryService: "art_1",
				TLSSecret: "-tls", ClientCA: strings.Repeat("c", 254), IngressClass: "a..b", GatewayClass: "ok.class"}
		}, []want{
			{"proxy.kubernetes.namespace", Error, "lower-case letters, digits and '-' only"},
			{"proxy.kubernetes.name", Error, "has \".\""},
			{"proxy.kubernetes.routerService", Error, "must start with a letter"},
			{"proxy.kubernetes.artifactoryService", Error, "has \"_\""},
			{"proxy.kubernetes.tlsSecret", Error, "start and end with a letter or digit"},
			{"proxy.kubernetes.clientCA", Error, "longer than 253"},
			{"proxy.kubernetes.ingressClass", Error, "start and end with a letter or digit"},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := providerBase(c.p)
			c.change(&s)
			checkFindings(t, Validate(&s), c.want)
		})
	}
}

// Provider names in messages come from the provider table, by label.
func TestProviderLabels(t *testing.T) {
	tests := []struct {
		name string
		keep func(ProviderInfo) bool
		want string
	}{
		{"pass a client certificate", func(i ProviderInfo) bool { return i.PassesClientCert }, "nginx, Apache, HAProxy or Caddy"},
		{"Kubernetes", func(i ProviderInfo) bool { return i.Manifests }, "Kubernetes Ingress or Gateway API"},
		{"one", func(i ProviderInfo) bool { return i.Provider == Tomcat }, "embedded Tomcat"},
		{"none", func(ProviderInfo) bool { return false }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ProviderLabels(tt.keep); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
