package servertest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/internal/testenv"
)

// Rooted copies: this machine's /etc/nginx or /etc/apache2 copied to
// ROOT/etc/..., the layout `frontdoor save --root ROOT` detects. Unlike
// NewNginx and NewApache, nothing of the stock files is changed beyond the
// paths: the tests prove what frontdoor's re-rooted checks read.

// RootPaths says what a rooted nginx copy does with the absolute paths the
// stock configuration holds.
type RootPaths int

const (
	// PathsIntoCopy points includes, absolute symlinks, the pid file
	// (ROOT/nginx.pid) and the logs (ROOT/var/log/nginx/) into the copy,
	// so the re-rooted check `nginx -t -c ROOT/etc/nginx/nginx.conf` reads
	// and writes nothing outside ROOT.
	PathsIntoCopy RootPaths = iota
	// PathsAsTheyAre keeps them: the copy's nginx.conf still includes the
	// real /etc/nginx/..., a copy that cannot be checked against its root.
	PathsAsTheyAre
)

// NginxRoot copies this machine's /etc/nginx to ROOT/etc/nginx under a new
// temp dir ROOT (removed when the test ends) and returns ROOT. It skips the
// test when nginx is not installed (fails under CI=true).
func NginxRoot(t testing.TB, paths RootPaths) string {
	t.Helper()
	root := TempDir(t)
	CopyNginxUnder(t, root, paths)
	return root
}

// CopyNginxUnder copies /etc/nginx to root/etc/nginx, as NginxRoot does, into
// a root the test made itself.
func CopyNginxUnder(t testing.TB, root string, paths RootPaths) {
	t.Helper()
	testenv.Binary(t, "nginx")
	testenv.Dir(t, "/etc/nginx", "nginx-light")
	rewrite := func(s string) string { return s }
	if paths == PathsIntoCopy {
		logs := filepath.Join(root, "var/log/nginx")
		if err := os.MkdirAll(logs, 0o755); err != nil {
			t.Fatal(err)
		}
		rewrite = strings.NewReplacer("/etc/nginx/", root+"/etc/nginx/", "/var/log/nginx/", logs+"/", "/run/nginx.pid", root+"/nginx.pid").Replace
	}
	if err := CopyTree("/etc/nginx", filepath.Join(root, "etc/nginx"), rewrite); err != nil {
		t.Fatalf("copying /etc/nginx: %v", err)
	}
}

// StartNginxRoot runs a real nginx master in the foreground on the copy
// NginxRoot(t, PathsIntoCopy) made under root, in its own process group, and
// returns once it wrote ROOT/nginx.pid and accepts connections on every one
// of ports (127.0.0.1; none: the pid file is enough, for tests that reload
// it). It is stopped, with its workers, at test cleanup. The stock default
// site listens on port 80: remove it first unless the test runs as the
// machine's only nginx.
func StartNginxRoot(t testing.TB, root string, ports ...int) (*Running, error) {
	t.Helper()
	bin := testenv.Binary(t, "nginx")
	out := filepath.Join(root, "nginx.out")
	f, err := os.Create(out)
	if err != nil {
		return nil, err
	}
	defer f.Close() // the child holds its own descriptor
	cmd := exec.Command(bin, "-c", filepath.Join(root, "etc/nginx/nginx.conf"), "-g", "daemon off;")
	cmd.Stdout, cmd.Stderr = f, f
	return startServer(t, runSpec{
		name:    "nginx",
		cmd:     cmd,
		pidFile: filepath.Join(root, "nginx.pid"),
		logs:    []string{out, filepath.Join(root, "var/log/nginx/error.log")},
		ports:   ports,
	})
}

// ApacheRoot copies this machine's /etc/apache2 to ROOT/etc/apache2 under a
// new temp dir ROOT and returns ROOT. Debian's links there are relative, so
// the copy refers to itself; frontdoor's re-rooted commands (env
// APACHE_CONFDIR=ROOT/etc/apache2 apache2ctl -t / -M) read it. It skips the
// test when Apache is not installed (fails under CI=true).
func ApacheRoot(t testing.TB) string {
	t.Helper()
	testenv.Binary(t, "apache2ctl")
	testenv.Dir(t, "/etc/apache2", "apache2")
	root := TempDir(t)
	if err := CopyTree("/etc/apache2", filepath.Join(root, "etc/apache2"), nil); err != nil {
		t.Fatalf("copying /etc/apache2: %v", err)
	}
	return root
}

// EnableApacheModules does what a2enmod does in the Apache configuration
// directory confDir (ROOT/etc/apache2 of an ApacheRoot): see
// Apache.EnableModules.
func EnableApacheModules(t testing.TB, confDir string, mods ...string) {
	t.Helper()
	for _, m := range mods {
		if err := enableModule(confDir, m, map[string]bool{}); err != nil {
			t.Fatal(err)
		}
	}
}
