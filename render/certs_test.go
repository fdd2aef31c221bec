package render

import (
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"frontdoor/internal/servertest"
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
		// *.NAME covers one label: a key with a dot is two levels down,
		// which Validate says (TestKeyWithDotReportedOnce); not said twice.
		{"wildcard depth", good, subdomain("docker", "team.docker"), nil},
		{"keys Validate rejects are not checked", issue("exact2", servertest.CertSpec{DNSNames: []string{name}}), subdomain("Docker", "docker_x", "-docker", ""), nil},
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
	s := withFiles(validBase(), files.Server.CertPath, files.Server.KeyPath, files.CA.Path)
	fs, ci := ValidateWithFiles(&s, time.Now())
	if len(fs) != 0 || ci == nil || !ci.KeyMatches || ci.ClientCA == nil || len(ci.ClientCA.Certs) != 1 {
		t.Errorf("good files: ci %+v, findings\n%s", ci, fs)
	}
	s.HTTPS.Key = "relative.key" // a settings error: the server files are not read
	fs, ci = ValidateWithFiles(&s, time.Now())
	if ci == nil || ci.CertPath != "" || ci.ClientCA == nil || len(fs) != 1 || !fs.For("proxy.https.key").HasErrors() {
		t.Errorf("bad key path: ci %+v, findings\n%s", ci, fs)
	}
	s.MTLS.ClientCA = files.Server.CertPath // the client CA is checked on its own
	if fs, _ := ValidateWithFiles(&s, time.Now()); len(fs) != 2 || !strings.Contains(fs.For("proxy.mtls.clientCA").String(), "not a CA certificate") {
		t.Errorf("server certificate as client CA: findings\n%s", fs)
	}
	s.HTTPS.Enabled, s.HTTP.RedirectToHTTPS, s.MTLS.Enabled = false, false, false
	if fs, ci := ValidateWithFiles(&s, time.Now()); ci != nil || len(fs) != 0 {
		t.Errorf("HTTPS off: nothing to read, got ci %+v, findings\n%s", ci, fs)
	}
}

// TestCheckClientCA reads the mTLS client-CA file like the server's
// certificate: missing is a warning; not PEM, not a CA, expired or not yet
// valid is an error with a fix.
func TestCheckClientCA(t *testing.T) {
	now := time.Now()
	day := 24 * time.Hour
	dir := servertest.TempDir(t)
	ca := servertest.NewCA(t, dir, "ca")
	server := ca.Issue(t, dir, "server", servertest.CertSpec{DNSNames: []string{"artifactory.example.com"}})
	notPEM := filepath.Join(dir, "ca.der")
	os.WriteFile(notPEM, ca.Cert.Raw, 0o644)
	expired := servertest.NewCAWithSpec(t, dir, "expired", servertest.CertSpec{NotBefore: now.Add(-400 * day), NotAfter: now.Add(-day)})
	soon := servertest.NewCAWithSpec(t, dir, "soon", servertest.CertSpec{NotBefore: now.Add(-400 * day), NotAfter: now.Add(5*day + time.Hour)})
	future := servertest.NewCAWithSpec(t, dir, "future", servertest.CertSpec{NotBefore: now.Add(2 * day)})
	bundle := filepath.Join(dir, "bundle.pem")
	var data []byte
	for _, p := range []string{ca.Path, server.CertPath} {
		b, _ := os.ReadFile(p)
		data = append(data, b...)
	}
	os.WriteFile(bundle, data, 0o644)

	cases := []struct {
		name string
		path string
		want []want
	}{
		{"a CA", ca.Path, nil},
		{"missing", filepath.Join(dir, "nope.pem"), []want{{"proxy.mtls.clientCA", Warning, "not checked"}}},
		{"not PEM", notPEM, []want{{"proxy.mtls.clientCA", Error, "give the PEM file of the CA(s) that sign client certificates"}}},
		{"the server's certificate", server.CertPath, []want{{"proxy.mtls.clientCA", Error, "not a CA certificate (no CA:TRUE"}}},
		{"a bundle with a non-CA", bundle, []want{{"proxy.mtls.clientCA", Error, "certificate 2 (artifactory.example.com)"}}},
		{"expired", expired.Path, []want{{"proxy.mtls.clientCA", Error, "renew the CA"}}},
		{"expires soon", soon.Path, []want{{"proxy.mtls.clientCA", Warning, "in 5 days"}}},
		{"not yet valid", future.Path, []want{{"proxy.mtls.clientCA", Error, "check the clock"}}},
		{"a directory", dir, []want{{"proxy.mtls.clientCA", Error, "not a regular file (a directory)"}}},
		{"a device", "/dev/zero", []want{{"proxy.mtls.clientCA", Error, "not a regular file (a device)"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := validBase()
			s.MTLS.ClientCA = c.path
			got := CheckClientCA(&s, LoadClientCA(c.path), now)
			checkFindings(t, got, c.want)
			// The same through CheckCertificates, as the commands run it.
			ci := &CertInfo{ClientCA: LoadClientCA(c.path)}
			checkFindings(t, CheckCertificates(&s, ci, now), c.want)
		})
	}

	s := validBase()
	s.MTLS.ClientCA = ca.Path
	if got := CheckClientCA(&s, LoadClientCA(server.CertPath), now); got != nil {
		t.Errorf("loaded for another path: want nothing (the settings changed since), got\n%s", got)
	}
	s.MTLS.Enabled = false
	if got := CheckClientCA(&s, LoadClientCA(ca.Path), now); got != nil {
		t.Errorf("mTLS off: want nothing, got\n%s", got)
	}
}

// A FIFO as a certificate file would block a plain read until some writer
// comes: it is refused at once.
func TestCertificateFileFIFO(t *testing.T) {
	fifo := filepath.Join(servertest.TempDir(t), "fifo.pem")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	ci := LoadCertificates(fifo, fifo)
	if ci.CertErr == nil || !strings.Contains(ci.CertErr.Error(), "a FIFO") || ci.KeyErr == nil {
		t.Errorf("FIFO: cert error %v, key error %v", ci.CertErr, ci.KeyErr)
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
		"fe80::1%eth0", "DEAD::BEEF", "[fd00::12]", "abc.def", "Äb.artifactory.example.com", "ß.artifactory.example.com",
	} {
		if got, want := ci.Covers(host), ci.Leaf.VerifyHostname(host) == nil; got != want {
			t.Errorf("Covers(%q) = %v, VerifyHostname says %v", host, got, want)
		}
	}
}
