package install

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"frontdoor/internal/servertest"
)

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
	t.Parallel() // the real server checks copies of its own
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
			root := servertest.NginxRoot(t, servertest.PathsIntoCopy)
			if tt.layout != nil {
				tt.layout(t, root)
			}
			port := servertest.FreePort(t)
			target := DetectTarget("nginx", root)
			check := target.CheckCmd
			var before []byte
			if tt.previous != nil {
				before = tt.previous(port)
				if rep, err := Save(context.Background(), target.Plan(before)); err != nil || rep.Result != ResultChecked {
					t.Fatalf("installing the previous version: %v\n%s", err, rep)
				}
			}
			rep, err := Save(context.Background(), target.Plan(tt.content(port)))
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v\n%s", err, tt.wantErr, rep)
			}
			switch {
			case tt.wantErr == nil:
				assertFile(t, target.Path, tt.content(port), 0o644)
				if before != nil {
					// The backup sits beside the file (in sites-enabled/ for that layout):
					// nginx -t below proves the server does not load it.
					assertBackups(t, target.Path, "", 0o644, before)
				}
				if rep.Result != ResultChecked || rep.Headline() != "saved and checked" || !rep.Scope.Rooted {
					t.Errorf("result %s (%s)\n%s", rep.Result, rep.Headline(), rep)
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

// toggleModule enables (a2enmod's symlink) or disables a module in the copy
// under root, whichever makes it differ from this machine's /etc/apache2.
func toggleModule(t *testing.T, root, mod string, enabledHere bool) {
	t.Helper()
	link := filepath.Join(root, "etc/apache2/mods-enabled", mod+".load")
	if enabledHere {
		if err := os.Remove(link); err != nil {
			t.Fatal(err)
		}
		return
	}
	servertest.EnableApacheModules(t, filepath.Join(root, "etc/apache2"), mod)
}

func TestSaveWithRealApache(t *testing.T) {
	t.Parallel() // the real server checks copies of its own
	root := servertest.ApacheRoot(t)
	target := DetectTarget("apache", root)
	if target.Layout != LayoutSitesAvailable || target.ApacheCtl != "apache2ctl" {
		t.Fatalf("target %+v", target)
	}
	port := servertest.FreePort(t)
	plain := fmt.Appendf(nil, "<VirtualHost 127.0.0.1:%d>\n    ServerName artifactory.test\n</VirtualHost>\n", port)
	rewriting := fmt.Appendf(nil, "<VirtualHost 127.0.0.1:%d>\n    ServerName artifactory.test\n    RewriteEngine on\n    RewriteRule ^/$ /ui/ [R,L]\n</VirtualHost>\n", port)
	ctx := context.Background()

	// Is mod_rewrite loaded on this machine? The copy is made to differ, so
	// the probe and the check can only agree with the copy if they read it.
	hereMissing, err := MissingApacheModules(ctx, "apache2ctl", []string{"rewrite"})
	if err != nil {
		t.Fatal(err)
	}
	rewriteHere := len(hereMissing) == 0
	if !rewriteHere {
		// Stock Debian: rewrite is off. Install the plain site, then find the
		// rewriting one refused by the copy, where rewrite is off too.
		if rep, err := Save(ctx, target.Plan(plain)); err != nil || rep.Result != ResultChecked {
			t.Fatalf("valid snippet: %v\n%s", err, rep)
		}
		assertLinkTo(t, target.EnableLink, target.Path)
		rep, err := Save(ctx, target.Plan(rewriting))
		if !errors.Is(err, ErrCheckFailed) || !strings.Contains(rep.Check.Output, "RewriteEngine") {
			t.Fatalf("err = %v\n%s", err, rep)
		}
		assertFile(t, target.Path, plain, 0o644)
	}

	toggleModule(t, root, "rewrite", rewriteHere)
	missing, err := target.MissingModules(ctx, []string{"proxy", "rewrite"})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(missing, "rewrite") != rewriteHere {
		t.Fatalf("apache2ctl -M under %s: missing %v, but rewrite is enabled there = %v", root, missing, !rewriteHere)
	}
	if rewriteHere {
		if line := target.EnableModulesLine(missing); line != "APACHE_CONFDIR="+filepath.Join(root, "etc/apache2")+" a2enmod "+strings.Join(missing, " ") {
			t.Errorf("enable line %q", line)
		}
		return
	}
	// Enabled in the copy only: the same save now passes, the plain version is the backup.
	rep, err := Save(ctx, target.Plan(rewriting))
	if err != nil || rep.Result != ResultChecked {
		t.Fatalf("with rewrite enabled in the copy: %v\n%s", err, rep)
	}
	assertFile(t, target.Path, rewriting, 0o644)
	assertBackups(t, target.Path, "", 0o644, plain)
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
