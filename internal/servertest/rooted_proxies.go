package servertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/internal/testenv"
)

// Rooted copies of /etc/haproxy and /etc/caddy, the layouts `frontdoor save
// --root ROOT` detects for HAProxy and Caddy (see rooted.go for nginx and
// Apache): the stock files as they are, with the conf.d/ frontdoor saves into.

// HAProxyRoot copies this machine's /etc/haproxy to ROOT/etc/haproxy under
// a new temp dir ROOT, its paths pointed into the copy, with an empty
// conf.d/, and returns ROOT. loadsConfD writes ROOT/etc/default/haproxy with
// the EXTRAOPTS line that makes the haproxy service load conf.d; without
// it the service is Debian's stock one, which does not. It skips the test
// when HAProxy is not installed (fails under CI=true).
func HAProxyRoot(t testing.TB, loadsConfD bool) string {
	t.Helper()
	testenv.Binary(t, "haproxy")
	testenv.Dir(t, "/etc/haproxy", "haproxy")
	root := TempDir(t)
	rewrite := strings.NewReplacer("/etc/haproxy/", root+"/etc/haproxy/").Replace
	if err := CopyTree("/etc/haproxy", filepath.Join(root, "etc/haproxy"), rewrite); err != nil {
		t.Fatalf("copying /etc/haproxy: %v", err)
	}
	mkdirs(t, filepath.Join(root, "etc/haproxy/conf.d"))
	if loadsConfD {
		mkdirs(t, filepath.Join(root, "etc/default"))
		line := "# Defaults file for HAProxy\nEXTRAOPTS=\"-S /run/haproxy-master.sock -f /etc/haproxy/conf.d\"\n"
		if err := os.WriteFile(filepath.Join(root, "etc/default/haproxy"), []byte(line), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// CaddyRoot copies this machine's /etc/caddy to ROOT/etc/caddy under a new
// temp dir ROOT, with an empty conf.d/, and returns ROOT. imports appends
// `import conf.d/*.caddyfile` to the copy's Caddyfile. Caddy's own state
// (caddy validate provisions its TLS and PKI apps in $HOME) goes to a temp
// HOME for the rest of the test, so the test cannot run in parallel. It
// skips the test when Caddy is not installed (fails under CI=true).
func CaddyRoot(t testing.TB, imports bool) string {
	t.Helper()
	testenv.Binary(t, "caddy")
	testenv.Dir(t, "/etc/caddy", "caddy")
	home := TempDir(t)
	t.Setenv("HOME", home)
	t.Setenv("XDG_DATA_HOME", filepath.Join(home, "data"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	root := TempDir(t)
	if err := CopyTree("/etc/caddy", filepath.Join(root, "etc/caddy"), nil); err != nil {
		t.Fatalf("copying /etc/caddy: %v", err)
	}
	mkdirs(t, filepath.Join(root, "etc/caddy/conf.d"))
	if imports {
		f, err := os.OpenFile(filepath.Join(root, "etc/caddy/Caddyfile"), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteString("\nimport conf.d/*.caddyfile\n"); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func mkdirs(t testing.TB, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}
