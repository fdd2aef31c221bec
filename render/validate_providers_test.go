package render

import (
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
			[]want{{"proxy.https.key", Error, "build it with `cat /etc/ssl/a.pem /etc/ssl/a.key > /etc/haproxy/certs/artifactory.pem`"}}},
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
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := providerBase(c.p)
			c.change(&s)
			checkFindings(t, Validate(&s), c.want)
		})
	}
}
