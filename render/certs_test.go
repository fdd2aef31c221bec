package render

import (
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frontdoor/render/internal/servertest"
)

// TestCheckCertificates runs CheckCertificates on real certificate files
// made for each case. now is fixed per run and every validity period is set
// relative to it, so the results do not depend on the clock.
func TestCheckCertificates(t *testing.T) {
	now := time.Now()
	dir := servertest.TempDir(t)
	ca := servertest.NewCA(t, dir, "ca")
	const name = "artifactory.example.com"
	day := 24 * time.Hour
	wildcard := servertest.CertSpec{DNSNames: []string{name, "*." + name}}

	type files struct{ cert, key string }
	issue := func(id string, spec servertest.CertSpec) files {
		if spec.NotBefore.IsZero() {
			spec.NotBefore = now.Add(-day)
		}
		if spec.NotAfter.IsZero() {
			spec.NotAfter = now.Add(90 * day)
		}
		kp := ca.Issue(t, dir, id, spec)
		return files{kp.CertPath, kp.KeyPath}
	}
	with := func(spec servertest.CertSpec, change func(*servertest.CertSpec)) servertest.CertSpec {
		spec.DNSNames = append([]string(nil), spec.DNSNames...)
		change(&spec)
		return spec
	}
	good := issue("good", wildcard)
	mismatchedKey := filepath.Join(dir, "other.key")
	servertest.NewKeyFile(t, mismatchedKey, false)
	notPEM := filepath.Join(dir, "not.pem")
	os.WriteFile(notPEM, []byte("this is not a certificate\n"), 0o644)
	// Chain files: the server's certificate then the CA, and the other way round.
	concat := func(name string, paths ...string) string {
		var data []byte
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			data = append(data, b...)
		}
		out := filepath.Join(dir, name)
		if err := os.WriteFile(out, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return out
	}
	chain := concat("chain.pem", good.cert, ca.Path)
	caFirst := concat("ca-first.pem", ca.Path, good.cert)

	subdomain := func(keys ...string) func(*Settings) {
		return func(s *Settings) {
			s.Docker.Method = DockerSubdomain
			s.Docker.Repositories = nil
			for _, k := range keys {
				s.Docker.Repositories = append(s.Docker.Repositories, DockerRepository{Key: k})
			}
		}
	}

	cases := []struct {
		name   string
		files  files
		change func(*Settings)
		want   []want // exactly these findings
	}{
		{"valid wildcard", good, subdomain("docker-local", "docker"), nil},
		{"valid RSA", issue("rsa", with(wildcard, func(c *servertest.CertSpec) { c.RSA = true })), nil, nil},
		{"IP server name", issue("ip", servertest.CertSpec{IPAddresses: []net.IP{net.ParseIP("192.0.2.10")}}),
			func(s *Settings) { s.ServerName = "192.0.2.10" }, nil},
		{"expired", issue("expired", with(wildcard, func(c *servertest.CertSpec) { c.NotBefore, c.NotAfter = now.Add(-90*day), now.Add(-day) })), nil,
			[]want{{"proxy.https.certificate", Error, "renew it"}}},
		{"expires in 10 days", issue("soon", with(wildcard, func(c *servertest.CertSpec) { c.NotAfter = now.Add(10*day + time.Hour) })), nil,
			[]want{{"proxy.https.certificate", Warning, "in 10 days: renew it soon"}}},
		{"expires in 31 days", issue("later", with(wildcard, func(c *servertest.CertSpec) { c.NotAfter = now.Add(31 * day) })), nil, nil},
		{"not yet valid", issue("future", with(wildcard, func(c *servertest.CertSpec) { c.NotBefore = now.Add(2 * day) })), nil,
			[]want{{"proxy.https.certificate", Error, "check the clock or the certificate"}}},
		{"key of another certificate", files{good.cert, mismatchedKey}, nil,
			[]want{{"proxy.https.key", Error, "pick the key the certificate was issued for"}}},
		{"server name not covered", issue("other", servertest.CertSpec{DNSNames: []string{"other.example.com"}}), nil,
			[]want{{"proxy.https.certificate", Error, "get one that names the server"}}},
		{"subdomain without wildcard", issue("exact", servertest.CertSpec{DNSNames: []string{name}}), subdomain("docker-local", "docker"),
			[]want{
				{"proxy.docker.repositories[0].key", Error, "needs a wildcard *." + name},
				{"proxy.docker.repositories[1].key", Error, "needs a wildcard *." + name},
			}},
		// *.NAME covers one label: a key with a dot is two levels down.
		{"wildcard depth", good, subdomain("docker", "team.docker"),
			[]want{{"proxy.docker.repositories[1].key", Error, "team.docker." + name}}},
		{"wildcard of the wrong level", issue("deep", servertest.CertSpec{DNSNames: []string{name, "*.docker." + name}}), subdomain("docker-local"),
			[]want{{"proxy.docker.repositories[0].key", Error, "needs a wildcard"}}},
		{"missing files", files{filepath.Join(dir, "nope.pem"), filepath.Join(dir, "nope.key")}, nil,
			[]want{{"proxy.https.certificate", Warning, "not checked"}, {"proxy.https.key", Warning, "not checked"}}},
		{"not PEM", files{notPEM, good.key}, nil,
			[]want{{"proxy.https.certificate", Error, "expected -----BEGIN CERTIFICATE-----"}}},
		{"chain: server certificate, then the CA", files{chain, good.key}, subdomain("docker"), nil},
		// nginx and Apache take the first certificate as the server's: one
		// finding that names the cause, not a key mismatch and uncovered names.
		{"chain with the CA first", files{caFirst, good.key}, subdomain("docker"),
			[]want{{"proxy.https.certificate", Error, "put the server's certificate (" + name + ") first"}}},
		{"key file holds a certificate", files{good.cert, good.cert}, nil,
			[]want{{"proxy.https.key", Error, "PRIVATE KEY"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := validBase()
			s.HTTPS.Certificate, s.HTTPS.Key = c.files.cert, c.files.key
			if c.change != nil {
				c.change(&s)
			}
			got := CheckCertificates(&s, LoadCertificates(c.files.cert, c.files.key), now)
			checkFindings(t, got, c.want)
		})
	}
}

// want is one expected finding: its path, severity and part of its message.
type want struct {
	path string
	sev  Severity
	text string
}

func checkFindings(t *testing.T, got Findings, want []want) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d findings, want %d:\n%s", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Path != w.path || got[i].Severity != w.sev || !strings.Contains(got[i].Message, w.text) {
			t.Errorf("finding %d = %s\nwant %s %s containing %q", i, got[i], w.path, w.sev, w.text)
		}
	}
}

// Files this user may not read are a warning, never a crash. Root reads
// everything, so the permission error is also checked without the disk.
func TestCheckCertificatesUnreadable(t *testing.T) {
	s := validBase()
	denied := &fs.PathError{Op: "open", Path: s.HTTPS.Certificate, Err: fs.ErrPermission}
	ci := &CertInfo{CertPath: s.HTTPS.Certificate, KeyPath: s.HTTPS.Key, CertErr: denied, KeyErr: denied}
	got := CheckCertificates(&s, ci, time.Now())
	if len(got) != 2 || got.HasErrors() || !strings.Contains(got[0].Message, "run as root to check it") {
		t.Errorf("unreadable files: want two warnings, got:\n%s", got)
	}

	if os.Geteuid() == 0 {
		return
	}
	files := servertest.NewTLSFiles(t, "artifactory.example.com")
	os.Chmod(files.Server.KeyPath, 0)
	ci = LoadCertificates(files.Server.CertPath, files.Server.KeyPath)
	got = CheckCertificates(&s, ci, time.Now())
	if len(got) != 1 || got[0].Severity != Warning || got[0].Path != "proxy.https.key" {
		t.Errorf("key without read permission: want one warning, got:\n%s", got)
	}
}

func TestCheckCertificatesIgnoredWithoutHTTPS(t *testing.T) {
	s := validBase()
	s.HTTPS.Enabled = false
	ci := LoadCertificates("/nonexistent/a.pem", "/nonexistent/a.key")
	if got := CheckCertificates(&s, ci, time.Now()); len(got) != 0 {
		t.Errorf("HTTPS off: want no findings, got:\n%s", got)
	}
	if got := CheckCertificates(&s, nil, time.Now()); len(got) != 0 {
		t.Errorf("nil CertInfo: want no findings, got:\n%s", got)
	}
}

func TestLoadCertificatesChain(t *testing.T) {
	files := servertest.NewTLSFiles(t, "artifactory.example.com")
	leaf, _ := os.ReadFile(files.Server.CertPath)
	caPEM, _ := os.ReadFile(files.CA.Path)
	chain := filepath.Join(files.Dir, "chain.pem")
	os.WriteFile(chain, append(leaf, caPEM...), 0o644)
	ci := LoadCertificates(chain, files.Server.KeyPath)
	if ci.Leaf == nil || len(ci.Chain) != 1 || !ci.KeyMatches {
		t.Fatalf("leaf %v, chain %d, key matches %v; errors %v %v", ci.Leaf != nil, len(ci.Chain), ci.KeyMatches, ci.CertErr, ci.KeyErr)
	}
	if !ci.Covers("docker.artifactory.example.com") || ci.Covers("a.b.artifactory.example.com") {
		t.Error("Covers: the wildcard must cover exactly one level")
	}
	if names := strings.Join(ci.Names(), " "); !strings.Contains(names, "*.artifactory.example.com") || !strings.Contains(names, "127.0.0.1") {
		t.Errorf("Names() = %s", names)
	}
}

// ValidateWithFiles is what the commands run: settings rules, then files.
func TestValidateWithFiles(t *testing.T) {
	files := servertest.NewTLSFiles(t, "artifactory.example.com")
	s := validBase()
	s.HTTPS.Certificate, s.HTTPS.Key = files.Server.CertPath, files.Server.KeyPath
	fs, ci := ValidateWithFiles(&s, time.Now())
	if len(fs) != 0 || ci == nil || !ci.KeyMatches {
		t.Errorf("good files: findings\n%s", fs)
	}
	s.HTTPS.Key = "relative.key" // a settings error: the files are not read
	if fs, ci := ValidateWithFiles(&s, time.Now()); ci != nil || !fs.For("proxy.https.key").HasErrors() {
		t.Errorf("bad key path: ci %v, findings\n%s", ci, fs)
	}
}

// Covers answers from a name set; it must agree with x509's VerifyHostname.
func TestCoversAgreesWithVerifyHostname(t *testing.T) {
	files := servertest.NewTLSFiles(t, "artifactory.example.com")
	ci := LoadCertificates(files.Server.CertPath, files.Server.KeyPath)
	for _, host := range []string{
		"artifactory.example.com", "ARTIFACTORY.example.com", "artifactory.example.com.",
		"docker.artifactory.example.com", "Docker-Local.artifactory.example.com", "a.b.artifactory.example.com",
		"example.com", "other.example.com", "localhost", "127.0.0.1", "::1", "[::1]", "10.0.0.1",
		".artifactory.example.com", "*.artifactory.example.com", "", "artifactory.example.com.evil",
	} {
		if got, want := ci.Covers(host), ci.Leaf.VerifyHostname(host) == nil; got != want {
			t.Errorf("Covers(%q) = %v, VerifyHostname says %v", host, got, want)
		}
	}
}
