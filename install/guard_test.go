package install

import (
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/render"
)

// frontdoorFile starts like everything frontdoor renders.
const frontdoorFile = "# Artifactory behind nginx for artifactory.example.com" + render.HeaderMarker + "\nserver {}\n"

func TestGuard(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string // relative to ROOT (the test's root); "->X" is a symlink
		// dest is the destination with ROOT and OUT (a directory outside the root) replaced.
		dest  Destination
		check string // the check that will run, ROOT replaced; "" none
		want  string // "" allowed, else a part of the refusal
	}{
		// The server's main configuration: never replaced by a snippet.
		{name: "nginx.conf", files: map[string]string{"etc/nginx/nginx.conf": "events {}\n"},
			dest: Destination{Path: "ROOT/etc/nginx/nginx.conf"}, check: "nginx -t -c ROOT/etc/nginx/nginx.conf",
			want: "the target ROOT/etc/nginx/nginx.conf is nginx's main configuration, not a file frontdoor wrote: frontdoor writes a snippet that the main configuration includes, and saving it there would replace the whole configuration; save to the snippet's own file, e.g. ROOT/etc/nginx/sites-available/artifactory.conf (detected; --to PATH)"},
		{name: "nginx.conf with --no-check", files: map[string]string{"etc/nginx/nginx.conf": "events {}\n"},
			dest: Destination{Path: "ROOT/etc/nginx/nginx.conf"}, want: "is nginx's main configuration"},
		{name: "apache2.conf", files: map[string]string{"etc/apache2/apache2.conf": "ServerRoot /etc/apache2\n"},
			dest: Destination{Path: "ROOT/etc/apache2/apache2.conf"}, check: "env APACHE_CONFDIR=ROOT/etc/apache2 apache2ctl -t",
			want: "is Apache's main configuration"},
		{name: "httpd.conf", files: map[string]string{"etc/httpd/conf/httpd.conf": "Listen 80\n"},
			dest: Destination{Path: "ROOT/etc/httpd/conf/httpd.conf"}, want: "is Apache's main configuration"},
		{name: "haproxy.cfg", files: map[string]string{"etc/haproxy/haproxy.cfg": "global\n"},
			dest: Destination{Path: "ROOT/etc/haproxy/haproxy.cfg"}, check: "haproxy -c -f ROOT/etc/haproxy/haproxy.cfg -f ROOT/etc/haproxy/conf.d",
			want: "is HAProxy's main configuration"},
		{name: "Caddyfile", files: map[string]string{"etc/caddy/Caddyfile": ":80 {\n}\n"},
			dest: Destination{Path: "ROOT/etc/caddy/Caddyfile"}, check: "caddy validate --adapter caddyfile --config ROOT/etc/caddy/Caddyfile",
			want: "is Caddy's main configuration"},
		{name: "the main file of a chosen check, by another name", files: map[string]string{"srv/web/main.conf": "events {}\n"},
			dest: Destination{Path: "ROOT/srv/web/main.conf"}, check: "nginx -t -c ROOT/srv/web/main.conf", want: "ROOT/srv/web/main.conf is nginx's main configuration"},
		{name: "the first file haproxy reads", files: map[string]string{"srv/lb.cfg": "global\n"},
			dest: Destination{Path: "ROOT/srv/lb.cfg"}, check: "haproxy -c -f ROOT/srv/lb.cfg", want: "is HAProxy's main configuration"},
		{name: "through a symbolic link", files: map[string]string{"etc/nginx/nginx.conf": "events {}\n", "etc/nginx/sites-enabled/artifactory.conf": "->ROOT/etc/nginx/nginx.conf"},
			dest: Destination{Path: "ROOT/etc/nginx/sites-enabled/artifactory.conf"},
			want: "the target ROOT/etc/nginx/sites-enabled/artifactory.conf (ROOT/etc/nginx/nginx.conf) is nginx's main configuration"},
		{name: "a main configuration frontdoor wrote", files: map[string]string{"etc/nginx/nginx.conf": frontdoorFile},
			dest: Destination{Path: "ROOT/etc/nginx/nginx.conf"}, check: "nginx -t -c ROOT/etc/nginx/nginx.conf"},
		{name: "no main configuration there yet", files: map[string]string{"etc/haproxy/conf.d/x.cfg": ""},
			dest: Destination{Path: "ROOT/etc/haproxy/haproxy.cfg"}},
		{name: "another site's file is not the main configuration", files: map[string]string{"etc/nginx/nginx.conf": "events {}\n", "etc/nginx/conf.d/artifactory.conf": "server {}\n"},
			dest: Destination{Path: "ROOT/etc/nginx/conf.d/artifactory.conf"}, check: "nginx -t -c ROOT/etc/nginx/nginx.conf"},

		// A file frontdoor did not write is replaced only when it is a site configuration of the provider.
		{name: "nginx's mime.types", files: map[string]string{"etc/nginx/mime.types": "types {\n    text/html html htm;\n}\n"},
			dest: Destination{Path: "ROOT/etc/nginx/mime.types"}, check: "nginx -t -c ROOT/etc/nginx/nginx.conf",
			want: "the target ROOT/etc/nginx/mime.types holds no server or upstream block: it is not a site configuration for nginx that frontdoor could replace, nor a file frontdoor wrote, and saving the snippet there would replace what it holds; save to the snippet's own file, e.g. ROOT/etc/nginx/sites-available/artifactory.conf (detected; --to PATH)"},
		{name: "nginx's fastcgi_params", files: map[string]string{"etc/nginx/fastcgi_params": "fastcgi_param  QUERY_STRING $query_string;\n# server { in a comment\n"},
			dest: Destination{Path: "ROOT/etc/nginx/fastcgi_params"}, want: "ROOT/etc/nginx/fastcgi_params holds no server or upstream block"},
		{name: "Apache's envvars", files: map[string]string{"etc/apache2/envvars": "export APACHE_RUN_USER=www-data\n# <VirtualHost *:80>\n"},
			dest: Destination{Path: "ROOT/etc/apache2/envvars"}, want: "ROOT/etc/apache2/envvars holds no <VirtualHost> section: it is not a site configuration for Apache"},
		{name: "an HAProxy file of globals", files: map[string]string{"etc/haproxy/conf.d/tuning.cfg": "global\n    maxconn 4000\n"},
			dest: Destination{Path: "ROOT/etc/haproxy/conf.d/tuning.cfg"}, want: "holds no frontend, backend or listen section"},
		{name: "a Caddy snippet and global options", files: map[string]string{"etc/caddy/conf.d/common.caddy": "{\n    email a@example.com\n}\n(logging) {\n    log\n}\n"},
			dest: Destination{Path: "ROOT/etc/caddy/conf.d/common.caddy"}, want: "holds no site block (ADDRESS {)"},
		{name: "the admin's old nginx site", files: map[string]string{"etc/nginx/sites-available/artifactory.conf": "# by hand\nupstream artifactory {\n  server 127.0.0.1:8081;\n}\nserver\n{\n  listen 80;\n}\n"},
			dest: Destination{Path: "ROOT/etc/nginx/sites-available/artifactory.conf"}},
		{name: "the admin's old Apache site", files: map[string]string{"etc/apache2/sites-available/artifactory.conf": "<virtualhost *:80>\n</virtualhost>\n"},
			dest: Destination{Path: "ROOT/etc/apache2/sites-available/artifactory.conf"}},
		{name: "the admin's old HAProxy site", files: map[string]string{"etc/haproxy/conf.d/artifactory.cfg": "frontend fe\n  bind :80\n"},
			dest: Destination{Path: "ROOT/etc/haproxy/conf.d/artifactory.cfg"}},
		{name: "the admin's old Caddy site", files: map[string]string{"etc/caddy/conf.d/artifactory.caddy": "artifactory.example.com, :80 {\n  reverse_proxy 127.0.0.1:8081\n}\n"},
			dest: Destination{Path: "ROOT/etc/caddy/conf.d/artifactory.caddy"}},
		{name: "an empty file", files: map[string]string{"etc/nginx/conf.d/artifactory.conf": ""},
			dest: Destination{Path: "ROOT/etc/nginx/conf.d/artifactory.conf"}},
		{name: "a file of comments only", files: map[string]string{"etc/nginx/conf.d/artifactory.conf": "# to do\n\n"},
			dest: Destination{Path: "ROOT/etc/nginx/conf.d/artifactory.conf"}},
		{name: "a restore says restoring", files: map[string]string{"etc/nginx/nginx.conf": "events {}\n"},
			dest: Destination{Path: "ROOT/etc/nginx/nginx.conf", Restore: true}, want: "and restoring it there would replace the whole configuration"},

		// Under --root, everything a save writes stays in the copy.
		{name: "target outside the root", files: map[string]string{"etc/nginx/sites-available/": ""},
			dest: Destination{Path: "OUT/artifactory.conf"},
			want: "the target OUT/artifactory.conf is outside --root ROOT: the check reads the configuration under ROOT, so it would be written on this machine's own files, outside the copy, and never checked; give a path under ROOT, e.g. ROOT/etc/nginx/sites-available/artifactory.conf (detected; --to PATH)"},
		{name: "target under the root", dest: Destination{Path: "ROOT/dry-run.conf"}},
		{name: "target through a directory linked outside", files: map[string]string{"etc/nginx/sites-available": "->OUT"},
			dest: Destination{Path: "ROOT/etc/nginx/sites-available/artifactory.conf"}, want: "the target ROOT/etc/nginx/sites-available/artifactory.conf is outside --root ROOT"},
		{name: "target a link to a file outside, not there yet", files: map[string]string{"etc/nginx/conf.d/artifactory.conf": "->OUT/real.conf"},
			dest: Destination{Path: "ROOT/etc/nginx/conf.d/artifactory.conf"}, want: "is outside --root ROOT"},
		{name: "link outside the root", dest: Destination{Path: "ROOT/a.conf", Link: "OUT/a.conf"}, want: "the enable link OUT/a.conf is outside --root ROOT"},
		{name: "link under the root, pointing to the file", files: map[string]string{"a.conf": "server {}\n", "enabled/a.conf": "->ROOT/a.conf"},
			dest: Destination{Path: "ROOT/a.conf", Link: "ROOT/enabled/a.conf"}},
		{name: "backup directory outside the root", dest: Destination{Path: "ROOT/a.conf", BackupDir: "OUT/backups"}, want: "the backup directory OUT/backups is outside --root ROOT: the backups would be written outside ROOT, on this machine's own file system rather than the copy; give a path under ROOT"},
		{name: "everything under /", dest: Destination{Root: "/", Path: "OUT/a.conf", Link: "OUT/b.conf", BackupDir: "OUT"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root, out := t.TempDir(), t.TempDir()
			fill := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "ROOT", root), "OUT", out) }
			for rel, content := range tc.files {
				if strings.HasSuffix(rel, "/") {
					tree(t, root, map[string]string{rel + ".keep": ""})
					continue
				}
				tree(t, root, map[string]string{rel: fill(content)})
			}
			d := tc.dest
			if d.Root == "" {
				d.Root = root
			}
			d.Path, d.Link, d.BackupDir = fill(d.Path), fill(d.Link), fill(d.BackupDir)
			d.Check = ParseCommand(fill(tc.check))
			d.Detected = DetectTarget(detectedFor(d.Path), d.Root)
			err := d.Guard()
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want != "" && err == nil:
				t.Fatalf("allowed, want a refusal: %s", fill(tc.want))
			case tc.want != "" && !strings.Contains(err.Error(), fill(tc.want)):
				t.Fatalf("refusal:\n%v\nwant in it:\n%s", err, fill(tc.want))
			}
		})
	}
}

// detectedFor is the provider whose layout a test path belongs to.
func detectedFor(path string) string {
	for dir, p := range map[string]string{"/etc/apache2": "apache", "/etc/httpd": "apache", "/etc/haproxy": "haproxy", "/etc/caddy": "caddy"} {
		if strings.Contains(path, dir) {
			return p
		}
	}
	return "nginx"
}

func TestUnderRoot(t *testing.T) {
	root, out := t.TempDir(), t.TempDir()
	tree(t, root, map[string]string{"away": "->" + out, "etc/x": ""})
	linkedRoot := filepath.Join(out, "root")
	symlink(t, root, linkedRoot)
	tests := []struct {
		root, path string
		want       bool
	}{
		{root, filepath.Join(root, "etc/x"), true},
		{root, filepath.Join(root, "etc/new/file"), true},
		{root, root, true},
		{root, filepath.Join(out, "x"), false},
		{root, root + "-sibling/x", false},
		{root, filepath.Join(root, "away/x"), false},
		{linkedRoot, filepath.Join(root, "etc/x"), true},
		{root, filepath.Join(linkedRoot, "etc/x"), true},
		{"/", filepath.Join(out, "x"), true},
		{"", "/etc/nginx/nginx.conf", true},
	}
	for _, tc := range tests {
		if got := UnderRoot(tc.root, tc.path); got != tc.want {
			t.Errorf("UnderRoot(%s, %s) = %v, want %v", tc.root, tc.path, got, tc.want)
		}
	}
}
