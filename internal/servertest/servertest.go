// Package servertest gives every package's tests real web servers to check
// snippets against and to run: copies of the stock Debian nginx and
// Apache layouts in a temp dir, and TLS certificates generated at test time.
//
// Nothing here mocks a server: Check runs the real `nginx -t` and
// `apache2ctl -t` on the copied layout with the snippet installed. When the
// binaries are missing the test is skipped, except under CI=true, where a
// missing server is a failure (the CI image must have them).
package servertest

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"frontdoor/internal/testenv"
)

// SnippetName is the file a snippet is installed as in sites-enabled/
// (Apache only includes sites-enabled/*.conf).
const SnippetName = "frontdoor.conf"

// RequireBinary returns the path of a server binary (testenv.Binary: PATH
// and the sbin directories); a missing one skips the test, or fails it
// under CI=true. Kept for callers outside this package.
func RequireBinary(t testing.TB, name string) string {
	t.Helper()
	return testenv.Binary(t, name)
}

// WriteFile writes data to path (mode 0644), making its parent directories
// first, and returns path: how a test builds a server's configuration tree.
func WriteFile(t testing.TB, path, data string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TempDir makes a directory removed when the test ends. Unlike t.TempDir its
// path never holds characters from the test name (t.TempDir keeps '$', '{',
// '#', spaces...), so it can be written into a configuration and pass
// render.Validate's path grammar.
func TempDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "frontdoor-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// run runs a command and returns its combined output; err is non-nil when it
// exits non-zero (the output then says why).
func run(cmd *exec.Cmd) (string, error) {
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return string(out), errors.New(cmd.Path + ": " + exit.Error())
	}
	return string(out), err
}
