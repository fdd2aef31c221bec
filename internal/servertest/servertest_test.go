package servertest

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The copied layouts must pass as they come, and a broken snippet must fail:
// otherwise Check proves nothing about the snippets render produces.
func TestNginxCheck(t *testing.T) {
	n := NewNginx(t)
	if out, err := n.Check(); err != nil {
		t.Fatalf("stock layout rejected: %v\n%s", err, out)
	}
	conf, _ := os.ReadFile(n.ConfFile)
	if strings.Contains(string(conf), "/etc/nginx/") || strings.Contains(string(conf), "/var/log/") {
		t.Errorf("nginx.conf still points outside the temp dir:\n%s", conf)
	}
	n.Install([]byte("server { listen 8080; bogus_directive on; }\n"))
	out, err := n.Check()
	if err == nil || !strings.Contains(out, "bogus_directive") {
		t.Fatalf("nginx -t accepted a broken snippet (err %v):\n%s", err, out)
	}
}

func TestApacheCheck(t *testing.T) {
	a := NewApache(t)
	if out, err := a.Check(); err != nil {
		t.Fatalf("stock layout rejected: %v\n%s", err, out)
	}
	a.Install([]byte("<VirtualHost *:8080>\n    ProxyPass / http://127.0.0.1:1/\n</VirtualHost>\n"))
	if out, err := a.Check(); err == nil {
		t.Fatalf("apache2ctl -t accepted ProxyPass without mod_proxy:\n%s", out)
	}
	a.EnableModules("proxy_http", "ssl") // Depends: lines bring proxy and socache_shmcb
	for _, want := range []string{"proxy.load", "proxy_http.load", "ssl.load", "ssl.conf", "socache_shmcb.load"} {
		if _, err := os.Lstat(filepath.Join(a.ConfDir, "mods-enabled", want)); err != nil {
			t.Errorf("mods-enabled/%s missing: %v", want, err)
		}
	}
	if out, err := a.Check(); err != nil {
		t.Fatalf("apache2ctl -t rejected a valid snippet: %v\n%s", err, out)
	}
}

func TestTLSFiles(t *testing.T) {
	f := NewTLSFiles(t, "artifactory.example.com")
	opts := x509.VerifyOptions{Roots: f.CA.Pool(), DNSName: "docker-local.artifactory.example.com"}
	if _, err := f.Server.Cert.Verify(opts); err != nil {
		t.Errorf("server certificate does not verify for a Docker subdomain: %v", err)
	}
	client := f.ClientCert(t, "alice")
	opts = x509.VerifyOptions{Roots: f.CA.Pool(), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	if _, err := client.Cert.Verify(opts); err != nil {
		t.Errorf("client certificate does not verify: %v", err)
	}
	if fi, err := os.Stat(f.Server.KeyPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode: %v %v", fi, err)
	}
	expired := f.CA.Issue(t, f.Dir, "expired", CertSpec{
		DNSNames:  []string{"x.example"},
		NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(-24 * time.Hour), RSA: true,
	})
	if !expired.Cert.NotAfter.Before(time.Now()) {
		t.Error("expired certificate is not expired")
	}
}

// A bare nginx takes a site that sets what the stock nginx.conf sets.
func TestBareNginx(t *testing.T) {
	n := NewBareNginx(t)
	n.Install([]byte("ssl_prefer_server_ciphers on;\nserver { listen 127.0.0.1:8080; return 204; }\n"))
	if out, err := n.Check(); err != nil {
		t.Fatalf("nginx -t: %v\n%s", err, out)
	}
}
