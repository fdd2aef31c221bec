package install

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// copyTree copies src to dst, passing file contents and absolute symlink
// targets through rewrite so the copy refers to itself, not to /etc.
func copyTree(t *testing.T, src, dst string, rewrite func(string) string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		out := filepath.Join(dst, rel)
		info, err := os.Lstat(path)
		if err != nil {
			return err
		}
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			dest, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(rewrite(dest), out)
		case d.IsDir():
			return os.MkdirAll(out, 0o755)
		default:
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return os.WriteFile(out, []byte(rewrite(string(data))), info.Mode().Perm())
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

// freePort picks a free loopback port by listening on :0.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// nginxRoot copies this machine's /etc/nginx under a temp root, pointing its
// paths (includes, pid, logs) into the copy, and returns the root and the
// check command that tests the copy with the real nginx.
func nginxRoot(t *testing.T) (root string, check []string) {
	t.Helper()
	nginx := requireBinary(t, "nginx")
	if _, err := os.Stat("/etc/nginx/nginx.conf"); err != nil {
		t.Fatalf("nginx is installed but /etc/nginx/nginx.conf is not readable: %v", err)
	}
	root = t.TempDir()
	logs := filepath.Join(root, "log")
	if err := os.MkdirAll(logs, 0o755); err != nil {
		t.Fatal(err)
	}
	r := strings.NewReplacer("/etc/nginx/", root+"/etc/nginx/", "/var/log/nginx/", logs+"/", "/run/nginx.pid", root+"/nginx.pid")
	copyTree(t, "/etc/nginx", filepath.Join(root, "etc/nginx"), r.Replace)
	conf := filepath.Join(root, "etc/nginx/nginx.conf")
	// No -p: load_module's relative "modules/" must keep resolving in nginx's own prefix.
	return root, []string{nginx, "-t", "-c", conf, "-e", filepath.Join(logs, "error.log")}
}

// nginxSnippet is a small valid site; the upstream block makes loading it
// twice an error ("duplicate upstream"), so a stray copy would be noticed.
func nginxSnippet(port int) []byte {
	return fmt.Appendf(nil, "upstream artifactory { server 127.0.0.1:8082; }\nserver {\n    listen 127.0.0.1:%d;\n    server_name artifactory.test;\n    location / { proxy_pass http://artifactory; }\n}\n", port)
}

func brokenNginxSnippet(port int) []byte {
	return fmt.Appendf(nil, "server {\n    listen 127.0.0.1:%d;\n    proxy_pass_everything on;\n}\n", port)
}

func runCheck(t *testing.T, argv []string) {
	t.Helper()
	if out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", FormatCommand(argv), err, out)
	}
}

func TestSaveWithRealNginx(t *testing.T) {
	tests := []struct {
		name     string
		layout   func(t *testing.T, root string) // reshapes the copied tree
		previous func(port int) []byte           // what is installed before; nil: nothing
		content  func(port int) []byte
		wantErr  error
	}{
		{name: "first save, valid", content: nginxSnippet},
		{name: "broken over a valid one: restored byte for byte", previous: nginxSnippet, content: brokenNginxSnippet, wantErr: ErrCheckFailed},
		{name: "broken first save: file and link removed", content: brokenNginxSnippet, wantErr: ErrCheckFailed},
		{name: "sites-enabled only: hidden backup not loaded by nginx", layout: sitesEnabledOnly, previous: nginxSnippet,
			content: func(port int) []byte { return append(nginxSnippet(port), "# second version\n"...) }},
		{name: "sites-enabled only, broken: restored", layout: sitesEnabledOnly, previous: nginxSnippet, content: brokenNginxSnippet, wantErr: ErrCheckFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, check := nginxRoot(t)
			if tt.layout != nil {
				tt.layout(t, root)
			}
			port := freePort(t)
			target := DetectTarget("nginx", root)
			var before []byte
			if tt.previous != nil {
				before = tt.previous(port)
				if _, err := Save(context.Background(), Plan{Target: target.Path, Content: before, EnableLink: target.EnableLink, CheckCmd: check}); err != nil {
					t.Fatalf("installing the previous version: %v", err)
				}
			}
			plan := target.Plan(tt.content(port))
			plan.CheckCmd = check
			rep, err := Save(context.Background(), plan)
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v\n%s", err, tt.wantErr, rep)
			}
			switch {
			case tt.wantErr == nil:
				assertFile(t, target.Path, tt.content(port), 0o644)
				if before != nil {
					// The backup sits beside the file (in sites-enabled/ for that layout):
					// nginx -t below proves the server does not load it.
					assertFile(t, filepath.Join(filepath.Dir(target.Path), backupName(FileName)), before, 0o644)
				}
				if rep.Check.Status != StatusPassed {
					t.Errorf("check %s\n%s", rep.Check.Status, rep)
				}
			case before != nil:
				assertFile(t, target.Path, before, 0o644)
				if !strings.Contains(rep.Check.Output, `unknown directive "proxy_pass_everything"`) {
					t.Errorf("the check's output is not reported:\n%s", rep)
				}
			default:
				assertMissing(t, target.Path)
				if target.EnableLink != "" {
					assertMissing(t, target.EnableLink)
				}
			}
			if target.EnableLink != "" && (tt.wantErr == nil || before != nil) {
				assertLinkTo(t, target.EnableLink, target.Path)
			}
			// Whatever happened, the server's configuration is valid afterwards.
			runCheck(t, check)
		})
	}
}

// sitesEnabledOnly turns the copy into a layout with only sites-enabled/,
// which nginx includes with a bare `*`.
func sitesEnabledOnly(t *testing.T, root string) {
	t.Helper()
	avail, enabled := filepath.Join(root, "etc/nginx/sites-available"), filepath.Join(root, "etc/nginx/sites-enabled")
	entries, err := os.ReadDir(enabled)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries { // the default site: a real file instead of a link
		p := filepath.Join(enabled, e.Name())
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		os.Remove(p)
		writeFile(t, p, data, 0o644)
	}
	if err := os.RemoveAll(avail); err != nil {
		t.Fatal(err)
	}
	if got := DetectTarget("nginx", root); got.Layout != LayoutSitesEnabled {
		t.Fatalf("layout %s, want sites-enabled", got.Layout)
	}
}

// apacheRoot copies /etc/apache2 under a temp root and points Debian's
// apache2ctl at it (APACHE_CONFDIR), so -t and -M read the copy.
func apacheRoot(t *testing.T) string {
	t.Helper()
	requireBinary(t, "apache2ctl")
	root := t.TempDir()
	confDir := filepath.Join(root, "etc/apache2")
	copyTree(t, "/etc/apache2", confDir, func(s string) string { return s })
	t.Setenv("APACHE_CONFDIR", confDir)
	return root
}

func TestSaveWithRealApache(t *testing.T) {
	root := apacheRoot(t)
	target := DetectTarget("apache", root)
	if target.Layout != LayoutSitesAvailable || target.ApacheCtl != "apache2ctl" {
		t.Fatalf("target %+v", target)
	}
	port := freePort(t)
	plain := fmt.Appendf(nil, "<VirtualHost 127.0.0.1:%d>\n    ServerName artifactory.test\n</VirtualHost>\n", port)
	rewriting := fmt.Appendf(nil, "<VirtualHost 127.0.0.1:%d>\n    ServerName artifactory.test\n    RewriteEngine on\n    RewriteRule ^/$ /ui/ [R,L]\n</VirtualHost>\n", port)

	if _, err := Save(context.Background(), target.Plan(plain)); err != nil {
		t.Fatalf("valid snippet: %v", err)
	}
	assertLinkTo(t, target.EnableLink, target.Path)

	// mod_rewrite is not enabled on a stock Debian: the check fails and the file is put back.
	rep, err := Save(context.Background(), Plan{Target: target.Path, Content: rewriting, EnableLink: target.EnableLink, CheckCmd: target.CheckCmd})
	if !errors.Is(err, ErrCheckFailed) {
		t.Fatalf("err = %v\n%s", err, rep)
	}
	if !strings.Contains(rep.Check.Output, "RewriteEngine") {
		t.Errorf("check output missing:\n%s", rep)
	}
	assertFile(t, target.Path, plain, 0o644)

	missing, err := MissingApacheModules(context.Background(), target.ApacheCtl, []string{"proxy", "proxy_http", "rewrite", "headers", "ssl"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(missing, "rewrite") {
		t.Fatalf("missing %v, want rewrite among them", missing)
	}

	// Enable rewrite in the copy the way a2enmod does; the same save now passes.
	mods := filepath.Join(root, "etc/apache2")
	symlink(t, "../mods-available/rewrite.load", filepath.Join(mods, "mods-enabled/rewrite.load"))
	missing2, err := MissingApacheModules(context.Background(), target.ApacheCtl, []string{"proxy", "proxy_http", "rewrite", "headers", "ssl"})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(missing2, "rewrite") || len(missing2) != len(missing)-1 {
		t.Fatalf("after enabling rewrite: missing %v (before %v)", missing2, missing)
	}
	if _, err := Save(context.Background(), Plan{Target: target.Path, Content: rewriting, EnableLink: target.EnableLink, CheckCmd: target.CheckCmd}); err != nil {
		t.Fatalf("with rewrite enabled: %v", err)
	}
	assertFile(t, target.Path, rewriting, 0o644)
	assertFile(t, filepath.Join(filepath.Dir(target.Path), backupName(FileName)), plain, 0o644)
}

func TestMissingApacheModulesWithoutApache(t *testing.T) {
	_, err := MissingApacheModules(context.Background(), "frontdoor-no-such-apachectl", []string{"proxy"})
	if !errors.Is(err, exec.ErrNotFound) {
		t.Fatalf("err = %v, want exec.ErrNotFound", err)
	}
}

func TestParseLoadedModules(t *testing.T) {
	out := "AH00558: apache2: Could not reliably determine the server's fully qualified domain name\n" +
		"Loaded Modules:\n core_module (static)\n so_module (static)\n proxy_module (shared)\n proxy_http_module (shared)\n" +
		" lbmethod_byrequests_module (shared)\n php7_module (shared)\nSyntax OK\n"
	got := ParseLoadedModules(out)
	want := []string{"core", "so", "proxy", "proxy_http", "lbmethod_byrequests", "php7"}
	for _, m := range want {
		if !got[m] {
			t.Errorf("%s not parsed", m)
		}
	}
	if len(got) != len(want) {
		t.Errorf("parsed %v, want exactly %v", got, want)
	}
}

func TestEnableModulesLine(t *testing.T) {
	tests := []struct {
		ctl     string
		missing []string
		want    string
	}{
		{"apache2ctl", nil, ""},
		{"apache2ctl", []string{"proxy", "proxy_http"}, "a2enmod proxy proxy_http && systemctl restart apache2"},
		{"httpd", []string{"ssl"}, "load mod_ssl in /etc/httpd/conf.modules.d/ (mod_ssl: dnf install mod_ssl), then systemctl restart httpd"},
	}
	for _, tt := range tests {
		if got := EnableModulesLine(tt.ctl, tt.missing); got != tt.want {
			t.Errorf("%s %v: %q, want %q", tt.ctl, tt.missing, got, tt.want)
		}
	}
}
