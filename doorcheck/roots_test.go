package doorcheck_test

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"frontdoor/doorcheck"
	"frontdoor/internal/servertest"
)

// CAFileRoots, the one reading of a CA file (--ca, the wizard's CA file):
// a PEM certificate is trusted beside the system's; anything else is an
// error that says what is wrong, without blocking on a FIFO.
func TestCAFileRoots(t *testing.T) {
	dir := t.TempDir()
	files := servertest.NewTLSFiles(t, serverName)
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	key, err := os.ReadFile(files.Server.KeyPath)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, err string
	}{
		{"the CA", files.CA.Path, ""},
		{"missing", filepath.Join(dir, "nope.pem"), "no such file or directory"},
		{"not PEM", write("text.pem", "not a certificate\n"), "no PEM certificate in it"},
		{"a key, no certificate", write("key.pem", string(key)), "no PEM certificate in it"},
		{"a directory", dir, "not a PEM file"},
		{"a FIFO", fifo, "not a PEM file"},
	}
	for _, tt := range tests {
		pool, err := doorcheck.CAFileRoots(tt.path)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.err == "":
			if _, err := files.Server.Cert.Verify(x509.VerifyOptions{Roots: pool, DNSName: serverName}); err != nil {
				t.Errorf("%s: the door's certificate does not verify: %v", tt.name, err)
			}
		case err == nil || !strings.Contains(err.Error(), tt.err) || strings.Contains(err.Error(), tt.path):
			t.Errorf("%s: error %v, want %q without the path", tt.name, err, tt.err)
		}
	}
}

// A door whose certificate a private CA issued (the e2e doors' own):
// checked with the system's CAs alone, TLS fails and the fix says to give
// the CA to the check; with the roots of its CA file (--ca, the wizard's
// CA file), the door works, Docker login included.
func TestCheckTrustsTheCAFile(t *testing.T) {
	t.Parallel()
	d := startDoor(t, scenario{})
	opt := d.options()
	opt.Roots = nil
	res := d.check(t, opt)
	failedWith(t, res, doorcheck.StatusFail, doorcheck.ReasonUntrusted, "give it to this check")

	roots, err := doorcheck.CAFileRoots(d.tls.CA.Path)
	if err != nil {
		t.Fatal(err)
	}
	opt.Roots = roots
	res = d.check(t, opt)
	if !res.OK() {
		t.Fatalf("the door does not work with its CA file trusted: %+v", res.FirstFailure)
	}
	if login, ok := res.Last(doorcheck.KindDockerLogin); !ok || login.Status != doorcheck.StatusOK {
		t.Errorf("no Docker login over the verified door: %+v", login)
	}
}
