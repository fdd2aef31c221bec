// Package testenv holds the one rule for tests that need a real part of the
// machine (a server binary, a stock configuration directory, a terminal
// multiplexer): locally such a test is skipped when the part is missing;
// under CI=true it fails, because CI installs every part (.ci/run).
package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// InCI reports whether the tests run under CI=true, where nothing may be skipped
// for want of a server.
func InCI() bool { return os.Getenv("CI") == "true" }

// Unavailable ends the test because a real part is missing: Skip locally,
// Fatal under CI=true. format/args say what is missing and how to get it.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if InCI() {
		t.Fatalf("%s (CI=true requires it: .ci/run installs the Debian packages)", msg)
	}
	t.Skipf("%s (set CI=true to make this a failure)", msg)
}

// Binary returns the path of an installed program, also looking in the sbin
// directories a non-root PATH often lacks; when it is missing the test is
// Unavailable.
func Binary(t testing.TB, name string) string {
	t.Helper()
	if p := LookPath(name); p != "" {
		return p
	}
	Unavailable(t, "%s is not installed", name)
	return ""
}

// LookPath finds name on PATH or in the sbin directories; "" when missing.
func LookPath(name string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/local/sbin"} {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	return ""
}

// Dir requires a directory a Debian package installs (e.g. /etc/nginx from
// nginx-light); when it is missing the test is Unavailable.
func Dir(t testing.TB, dir, pkg string) {
	t.Helper()
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return
	}
	Unavailable(t, "%s is missing (Debian package %s)", dir, pkg)
}
