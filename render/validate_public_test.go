package render

import (
	"strings"
	"testing"
)

// TestValidatePublic covers proxy.public: the finding's path, whether it
// blocks, and what the message tells the user to do; then the settings it
// lets through without a word.
func TestValidatePublic(t *testing.T) {
	cases := []struct {
		name   string
		change func(s *Settings)
		path   string
		sev    Severity
		fix    string
	}{
		{"unknown scheme", func(s *Settings) { s.Public.Scheme = "HTTPS" }, "proxy.public.scheme", Error, "use https"},
		{"scheme with a directive", func(s *Settings) { s.Public.Scheme = "https;}" }, "proxy.public.scheme", Error, "use https"},
		{"port too big", func(s *Settings) { s.Public.Port = 65536 }, "proxy.public.port", Error, "use 1-65535"},
		{"port negative", func(s *Settings) { s.Public.Port = -443 }, "proxy.public.port", Error, "use 1-65535"},
		{"public http, but the proxy redirects to HTTPS", func(s *Settings) { s.Public.Scheme = "http" }, "proxy.public.scheme", Error, "turn proxy.http.redirectToHttps off"},
		{"a port for both listeners and no scheme", func(s *Settings) { s.HTTP.RedirectToHTTPS = false; s.Public.Port = 8443 }, "proxy.public.port", Warning, "set proxy.public.scheme too"},
		{"embedded Tomcat", func(s *Settings) {
			s.Provider, s.MTLS.Enabled, s.Docker.Method, s.Public = Tomcat, false, DockerRepositoryPath, Public{Scheme: "https"}
		}, "proxy.public", Warning, "Custom Base URL to https://artifactory.example.com"},
		{"an Ingress", func(s *Settings) {
			*s = goldenSettings(KubernetesIngress, DockerSubdomain, httpOnly, 1, false)
			s.OverrideBaseURLHeader = false
			s.Public = Public{Scheme: "https", Port: 8443}
		}, "proxy.public", Warning, "use-forwarded-headers"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := validBase()
			c.change(&s)
			fs := Validate(&s)
			var hit *Finding
			for i, f := range fs {
				if f.Path == c.path && f.Severity == c.sev {
					hit = &fs[i]
					break
				}
			}
			if hit == nil {
				t.Fatalf("want a %s at %s, got:\n%s", c.sev, c.path, fs)
			}
			if !strings.Contains(hit.Message, c.fix) {
				t.Errorf("message %q does not say %q", hit.Message, c.fix)
			}
		})
	}

	accepts := []struct {
		name   string
		change func(s *Settings)
	}{
		{"a TLS load balancer in front of plain HTTP", func(s *Settings) {
			s.HTTP.RedirectToHTTPS, s.HTTPS.Enabled, s.MTLS.Enabled = false, false, false
			s.Public = Public{Scheme: "https", Port: 443}
		}},
		{"the scheme alone", func(s *Settings) { s.Public.Scheme = "https" }},
		{"the port alone, with a redirect", func(s *Settings) { s.Public.Port = 8443 }},
		{"for Kubernetes' Gateway", func(s *Settings) {
			*s = goldenSettings(GatewayAPI, DockerSubdomain, httpOnly, 1, false)
			s.Public = Public{Scheme: "https"}
		}},
	}
	for _, c := range accepts {
		t.Run(c.name, func(t *testing.T) {
			s := validBase()
			c.change(&s)
			if fs := Validate(&s); len(fs) != 0 {
				t.Errorf("unexpected findings:\n%s", fs)
			}
		})
	}
}

func TestPublicEffectivePort(t *testing.T) {
	for _, c := range []struct {
		p    Public
		want int
	}{
		{Public{}, 0},
		{Public{Scheme: "https"}, 443},
		{Public{Scheme: "http"}, 80},
		{Public{Port: 8443}, 8443},
		{Public{Scheme: "https", Port: 8443}, 8443},
	} {
		if got := c.p.EffectivePort(); got != c.want {
			t.Errorf("%+v: EffectivePort = %d, want %d", c.p, got, c.want)
		}
	}
}
