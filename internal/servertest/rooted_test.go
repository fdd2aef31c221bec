package servertest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestCopyTreeRewrites(t *testing.T) {
	src, dst := t.TempDir(), filepath.Join(t.TempDir(), "copy")
	if err := os.WriteFile(filepath.Join(src, "main.conf"), []byte("include /etc/x/a.conf;\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/x/a.conf", filepath.Join(src, "abs")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("main.conf", filepath.Join(src, "rel")); err != nil {
		t.Fatal(err)
	}
	if err := CopyTree(src, dst, strings.NewReplacer("/etc/x/", "/root/etc/x/").Replace); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dst, "main.conf"))
	fi, _ := os.Stat(filepath.Join(dst, "main.conf"))
	abs, _ := os.Readlink(filepath.Join(dst, "abs"))
	rel, _ := os.Readlink(filepath.Join(dst, "rel"))
	if string(data) != "include /root/etc/x/a.conf;\n" || fi.Mode().Perm() != 0o640 || abs != "/root/etc/x/a.conf" || rel != "main.conf" {
		t.Errorf("contents %q mode %v, links %q %q", data, fi.Mode().Perm(), abs, rel)
	}
}

// A rooted copy with its paths pointed into it passes nginx -t reading
// nothing of /etc/nginx; a plain one still includes the real files.
func TestNginxRoot(t *testing.T) {
	root := NginxRoot(t, PathsIntoCopy)
	conf := filepath.Join(root, "etc/nginx/nginx.conf")
	data, err := os.ReadFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "/etc/nginx/") && !strings.Contains(string(data), root+"/etc/nginx/") {
		t.Errorf("nginx.conf still includes /etc/nginx:\n%s", data)
	}
	if link, err := os.Readlink(filepath.Join(root, "etc/nginx/sites-enabled/default")); err == nil && !strings.HasPrefix(link, root) {
		t.Errorf("sites-enabled/default -> %s, outside the copy", link)
	}
	if out, err := exec.Command(RequireBinary(t, "nginx"), "-t", "-c", conf).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t on the copy: %v\n%s", err, out)
	}
	plain := NginxRoot(t, PathsAsTheyAre)
	if data, _ := os.ReadFile(filepath.Join(plain, "etc/nginx/nginx.conf")); !strings.Contains(string(data), "include /etc/nginx/") {
		t.Errorf("the plain copy's nginx.conf was rewritten:\n%s", data)
	}
}

// StartNginxRoot runs the copy: ready when the pid file names it.
func TestStartNginxRoot(t *testing.T) {
	root := NginxRoot(t, PathsIntoCopy)
	if err := os.Remove(filepath.Join(root, "etc/nginx/sites-enabled/default")); err != nil {
		t.Fatal(err)
	}
	port := FreePort(t)
	site := fmt.Sprintf("server { listen 127.0.0.1:%d; return 204; }\n", port)
	if err := os.WriteFile(filepath.Join(root, "etc/nginx/sites-enabled/test"), []byte(site), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := StartNginxRoot(t, root, port)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Stop(); err != nil {
		t.Fatal(err)
	}
}

func TestApacheRootModules(t *testing.T) {
	root := ApacheRoot(t)
	confDir := filepath.Join(root, "etc/apache2")
	EnableApacheModules(t, confDir, "proxy_http")
	for _, want := range []string{"proxy.load", "proxy.conf", "proxy_http.load"} {
		if _, err := os.Lstat(filepath.Join(confDir, "mods-enabled", want)); err != nil {
			t.Errorf("mods-enabled/%s missing: %v", want, err)
		}
	}
	cmd := exec.Command(RequireBinary(t, "apache2ctl"), "-t")
	cmd.Env = append(os.Environ(), "APACHE_CONFDIR="+confDir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("apache2ctl -t on the copy: %v\n%s", err, out)
	}
}
