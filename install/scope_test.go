package install

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestNginxStatements(t *testing.T) {
	text := "# include /etc/nginx/commented.conf;\nuser www-data;\nhttp {\n  include  \"/a b/*.conf\" ; # trailing\n  server { include 'snippets/x.conf'; listen 80; }\n}\n"
	var includes []string
	for _, s := range nginxStatements(text) {
		if s[0] == "include" {
			includes = append(includes, s[1])
		}
	}
	if want := []string{"/a b/*.conf", "snippets/x.conf"}; !slices.Equal(includes, want) {
		t.Errorf("includes %q, want %q", includes, want)
	}
}

// tree writes files (path relative to root -> content; content "->X" makes a symlink to X).
func tree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for rel, content := range files {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if dest, ok := strings.CutPrefix(content, "->"); ok {
			symlink(t, strings.ReplaceAll(dest, "ROOT", root), p)
			continue
		}
		writeFile(t, p, []byte(strings.ReplaceAll(content, "ROOT", root)), 0o644)
	}
}

func TestScopeOfCheck(t *testing.T) {
	nginxMain := "events {}\nhttp {\n include ROOT/etc/nginx/mime.types;\n include ROOT/etc/nginx/sites-enabled/*;\n}\n"
	apacheMain := "IncludeOptional mods-enabled/*.load\nInclude ports.conf\nIncludeOptional sites-enabled/*.conf\n"
	site := "etc/nginx/sites-available/artifactory.conf"
	tests := []struct {
		name      string
		files     map[string]string
		check     []string // ROOT is replaced
		asRoot    bool     // judge against "/" instead of the temp root
		rooted    bool
		why       string // part of Why
		loadsSite bool
	}{
		{"nginx copy under root", map[string]string{"etc/nginx/nginx.conf": nginxMain, "etc/nginx/mime.types": "types {}\n", site: "server {}\n",
			"etc/nginx/sites-enabled/artifactory.conf": "->../sites-available/artifactory.conf"},
			[]string{"nginx", "-t", "-c", "ROOT/etc/nginx/nginx.conf", "-e", "stderr"}, false, true, "", true},
		{"nginx relative include: relative to the main file's directory", map[string]string{"etc/nginx/nginx.conf": "http { include sites-enabled/*; }\n", site: "server {}\n",
			"etc/nginx/sites-enabled/artifactory.conf": "->ROOT/" + site},
			[]string{"nginx", "-t", "-cROOT/etc/nginx/nginx.conf"}, false, true, "", true},
		{"nginx include outside root", map[string]string{"etc/nginx/nginx.conf": "http { include /etc/nginx/mime.types; include sites-enabled/*; }\n", site: "server {}\n",
			"etc/nginx/sites-enabled/artifactory.conf": "->../sites-available/artifactory.conf"},
			[]string{"nginx", "-t", "-c", "ROOT/etc/nginx/nginx.conf"}, false, false, "includes /etc/nginx/mime.types, outside", true},
		{"nginx site linked outside root (a plain copy of Debian's sites-enabled/default)", map[string]string{"etc/nginx/nginx.conf": nginxMain, "etc/nginx/mime.types": "",
			"etc/nginx/sites-enabled/default": "->/etc/nginx/sites-available/default"},
			[]string{"nginx", "-t", "-c", "ROOT/etc/nginx/nginx.conf"}, false, false, "links to /etc/nginx/sites-available/default, outside", false},
		{"nginx without -c reads /etc", map[string]string{"etc/nginx/nginx.conf": nginxMain},
			[]string{"nginx", "-t"}, false, false, "the check reads /etc/nginx/nginx.conf, outside", false},
		{"nginx file not loaded (no enable link)", map[string]string{"etc/nginx/nginx.conf": nginxMain, "etc/nginx/mime.types": "", site: "server {}\n"},
			[]string{"nginx", "-t", "-c", "ROOT/etc/nginx/nginx.conf"}, false, true, "", false},
		{"nginx include loop ends", map[string]string{"etc/nginx/nginx.conf": "include a.conf;\n", "etc/nginx/a.conf": "include b.conf;\n", "etc/nginx/b.conf": "include a.conf; include nginx.conf;\n"},
			[]string{"nginx", "-t", "-c", "ROOT/etc/nginx/nginx.conf"}, false, true, "", false},
		{"apache2ctl with APACHE_CONFDIR under root", map[string]string{"etc/apache2/apache2.conf": apacheMain, "etc/apache2/envvars": "", "etc/apache2/ports.conf": "Listen 80\n",
			"etc/apache2/sites-available/artifactory.conf": "", "etc/apache2/sites-enabled/artifactory.conf": "->../sites-available/artifactory.conf"},
			[]string{"env", "APACHE_CONFDIR=ROOT/etc/apache2", "apache2ctl", "-t"}, false, true, "", true},
		{"apache2ctl -d under root still reads /etc/apache2/envvars", map[string]string{"etc/apache2/apache2.conf": apacheMain},
			[]string{"apache2ctl", "-t", "-d", "ROOT/etc/apache2", "-f", "ROOT/etc/apache2/apache2.conf"}, false, false, "apache2ctl reads /etc/apache2/envvars", false},
		{"apache include of an unknown variable", map[string]string{"etc/apache2/apache2.conf": "Include ${FRONTDOOR_TEST_UNSET}/x.conf\n", "etc/apache2/envvars": ""},
			[]string{"env", "APACHE_CONFDIR=ROOT/etc/apache2", "apache2ctl", "-t"}, false, false, "cannot resolve", true}, // incomplete: may load it
		{"apache include of APACHE_CONFDIR", map[string]string{"etc/apache2/apache2.conf": "Include ${APACHE_CONFDIR}/sites-enabled/\n", "etc/apache2/envvars": "",
			"etc/apache2/sites-enabled/artifactory.conf": "->../sites-available/artifactory.conf", "etc/apache2/sites-available/artifactory.conf": ""},
			[]string{"env", "APACHE_CONFDIR=ROOT/etc/apache2", "apache2ctl", "-t"}, false, true, "", true},
		{"apache include of a Define'd variable (apacheconf's rule: Define, then the environment)", map[string]string{"etc/apache2/apache2.conf": "Define SITES ROOT/etc/apache2/sites-enabled\nIncludeOptional ${SITES}/*.conf\n", "etc/apache2/envvars": "",
			"etc/apache2/sites-enabled/artifactory.conf": "->../sites-available/artifactory.conf", "etc/apache2/sites-available/artifactory.conf": ""},
			[]string{"env", "APACHE_CONFDIR=ROOT/etc/apache2", "apache2ctl", "-t"}, false, true, "", true},
		{"apache site linked outside root", map[string]string{"etc/apache2/apache2.conf": apacheMain, "etc/apache2/envvars": "",
			"etc/apache2/sites-enabled/000-default.conf": "->/etc/passwd"}, // any file outside root that exists everywhere
			[]string{"env", "APACHE_CONFDIR=ROOT/etc/apache2", "apache2ctl", "-t"}, false, false, "links to /etc/passwd, outside", false},
		{"httpd with ServerRoot outside root (RHEL's httpd.conf)", map[string]string{"etc/httpd/conf/httpd.conf": "ServerRoot \"/etc/httpd\"\nInclude conf.modules.d/*.conf\n"},
			[]string{"httpd", "-t", "-d", "ROOT/etc/httpd", "-f", "ROOT/etc/httpd/conf/httpd.conf"}, false, false, "sets ServerRoot /etc/httpd, outside", false},
		{"a program frontdoor does not know, pointing into root", nil,
			[]string{"sh", "ROOT/check.sh"}, false, true, "", true},
		{"a program frontdoor does not know, not pointing into root", nil,
			[]string{"true"}, false, false, "`true` does not point into", true},
		{"this machine: nothing to re-root", nil,
			[]string{"true"}, true, true, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("APACHE_CONFDIR", "")
			t.Setenv("APACHE_ENVVARS", "")
			root := t.TempDir()
			tree(t, root, tt.files)
			check := slices.Clone(tt.check)
			for i := range check {
				check[i] = strings.ReplaceAll(check[i], "ROOT", root)
			}
			judge := root
			if tt.asRoot {
				judge = "/"
			}
			s := ScopeOfCheck(judge, check)
			if s.Rooted != tt.rooted || !strings.Contains(s.Why, tt.why) || (tt.rooted && s.Why != "") {
				t.Errorf("Rooted %v (%q), want %v (%q)", s.Rooted, s.Why, tt.rooted, tt.why)
			}
			file := filepath.Join(root, site)
			if strings.Contains(tt.name, "apache") {
				file = filepath.Join(root, "etc/apache2/sites-available/artifactory.conf")
			}
			if got := s.Loads(file); got != tt.loadsSite {
				t.Errorf("Loads(%s) = %v, want %v; files %v (complete %v)", file, got, tt.loadsSite, s.Files, s.Complete)
			}
		})
	}
}

func TestParseCommandLine(t *testing.T) {
	cl := parseCommandLine([]string{"env", "A=1", "B=x=y", "apache2ctl", "-t"})
	if cl.prog != "apache2ctl" || cl.env["A"] != "1" || cl.env["B"] != "x=y" || !slices.Equal(cl.args, []string{"-t"}) {
		t.Errorf("%+v", cl)
	}
	if p := program([]string{"env", "-i", "nginx"}); p != "env" {
		t.Errorf("env with its own options: program %q, want env itself", p)
	}
	if p := program([]string{"/usr/sbin/nginx", "-t"}); p != "/usr/sbin/nginx" {
		t.Errorf("program %q", p)
	}
}
