package render

import (
	"os"
	"strings"
	"testing"
)

// The certificate and key follow the provider while they are still some
// provider's default pair: to HAProxy's one PEM file and back; a path the
// user typed stays, and so does the pair for an output that names no files
// (for a switch back).
func TestFollowProviderCertificate(t *testing.T) {
	debianCert, debianKey := DefaultCertificate(Nginx)
	pem, _ := DefaultCertificate(HAProxy)
	cases := []struct {
		name      string
		cert, key string
		to        Provider
		wantCert  string
		wantKey   string
	}{
		{"nginx's pair to HAProxy: one PEM", debianCert, debianKey, HAProxy, pem, pem},
		{"HAProxy's PEM back to nginx", pem, pem, Nginx, debianCert, debianKey},
		{"HAProxy's PEM to Apache", pem, pem, Apache, debianCert, debianKey},
		{"HAProxy's PEM to Caddy", pem, pem, Caddy, debianCert, debianKey},
		{"nginx's pair to Apache: the same", debianCert, debianKey, Apache, debianCert, debianKey},
		{"to a Kubernetes output: kept for a switch back", pem, pem, GatewayAPI, pem, pem},
		{"to Tomcat: kept", debianCert, debianKey, Tomcat, debianCert, debianKey},
		{"a typed pair stays", "/srv/tls/a.pem", "/srv/tls/a.key", HAProxy, "/srv/tls/a.pem", "/srv/tls/a.key"},
		{"a typed key with the default certificate stays", debianCert, "/srv/tls/a.key", HAProxy, debianCert, "/srv/tls/a.key"},
		{"a typed PEM stays", "/srv/tls/all.pem", "/srv/tls/all.pem", Nginx, "/srv/tls/all.pem", "/srv/tls/all.pem"},
		{"none stays none", "", "", HAProxy, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := Defaults()
			s.HTTPS.Certificate, s.HTTPS.Key, s.Provider = c.cert, c.key, c.to
			FollowProvider(&s)
			if s.HTTPS.Certificate != c.wantCert || s.HTTPS.Key != c.wantKey {
				t.Errorf("got %q, %q; want %q, %q", s.HTTPS.Certificate, s.HTTPS.Key, c.wantCert, c.wantKey)
			}
		})
	}
}

// The example's certificate is the default pair, and after a switch to
// HAProxy and back it validates without errors each time.
func TestFollowProviderExample(t *testing.T) {
	example, err := os.ReadFile("../assets/examples/frontdoor.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cert, key := DefaultCertificate(Nginx)
	if !strings.Contains(string(example), "certificate: "+cert+"\n") || !strings.Contains(string(example), "key: "+key+"\n") {
		t.Fatalf("the example's certificate and key are not DefaultCertificate(nginx) (%s, %s): FollowProvider would not move them", cert, key)
	}
	s := Defaults()
	s.ServerName = "artifactory.example.com"
	s.HTTPS.Enabled, s.HTTPS.Certificate, s.HTTPS.Key = true, cert, key
	for _, p := range []Provider{HAProxy, Nginx, HAProxy, Apache, Caddy} {
		s.Provider = p
		FollowProvider(&s)
		if f := Validate(&s); f.HasErrors() {
			t.Errorf("%s: %v", p, f)
		}
	}
}
