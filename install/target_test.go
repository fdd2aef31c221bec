package install

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestDetectTarget(t *testing.T) {
	tests := []struct {
		name       string
		provider   string
		dirs       []string // made under the root
		wantLayout Layout
		wantPath   string // relative to the root; "" for none
		wantLink   string
		wantCheck  []string
		wantReload []string
		wantCtl    string
		detected   bool
	}{
		{"nginx debian", "nginx", []string{"etc/nginx/sites-available", "etc/nginx/sites-enabled", "etc/nginx/conf.d"},
			LayoutSitesAvailable, "etc/nginx/sites-available/artifactory.conf", "etc/nginx/sites-enabled/artifactory.conf",
			[]string{"nginx", "-t"}, []string{"systemctl", "reload", "nginx"}, "", true},
		{"nginx sites-enabled only", "nginx", []string{"etc/nginx/sites-enabled"},
			LayoutSitesEnabled, "etc/nginx/sites-enabled/artifactory.conf", "",
			[]string{"nginx", "-t"}, []string{"systemctl", "reload", "nginx"}, "", true},
		{"nginx rhel / nginx.org", "nginx", []string{"etc/nginx/conf.d"},
			LayoutConfD, "etc/nginx/conf.d/artifactory.conf", "",
			[]string{"nginx", "-t"}, []string{"systemctl", "reload", "nginx"}, "", true},
		{"nginx not installed", "nginx", nil,
			LayoutSitesAvailable, "etc/nginx/sites-available/artifactory.conf", "etc/nginx/sites-enabled/artifactory.conf",
			[]string{"nginx", "-t"}, []string{"systemctl", "reload", "nginx"}, "", false},
		{"apache debian", "apache", []string{"etc/apache2/sites-available", "etc/apache2/sites-enabled"},
			LayoutSitesAvailable, "etc/apache2/sites-available/artifactory.conf", "etc/apache2/sites-enabled/artifactory.conf",
			[]string{"apache2ctl", "-t"}, []string{"apache2ctl", "graceful"}, "apache2ctl", true},
		{"apache rhel", "apache", []string{"etc/httpd/conf.d"},
			LayoutConfD, "etc/httpd/conf.d/artifactory.conf", "",
			[]string{"httpd", "-t"}, []string{"apachectl", "graceful"}, "httpd", true},
		{"apache not installed", "apache", nil,
			LayoutSitesAvailable, "etc/apache2/sites-available/artifactory.conf", "etc/apache2/sites-enabled/artifactory.conf",
			[]string{"apache2ctl", "-t"}, []string{"apache2ctl", "graceful"}, "apache2ctl", false},
		{"tomcat has no snippet", "tomcat", []string{"etc/nginx/sites-available"}, "", "", "", nil, nil, "", false},
		{"unknown provider", "lighttpd", nil, "", "", "", nil, nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			for _, d := range tt.dirs {
				if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			got := DetectTarget(tt.provider, root)
			abs := func(rel string) string {
				if rel == "" {
					return ""
				}
				return filepath.Join(root, rel)
			}
			if got.Layout != tt.wantLayout || got.Path != abs(tt.wantPath) || got.EnableLink != abs(tt.wantLink) {
				t.Errorf("layout %q path %q link %q, want %q %q %q", got.Layout, got.Path, got.EnableLink, tt.wantLayout, abs(tt.wantPath), abs(tt.wantLink))
			}
			if want := rooted(root, tt.wantCheck); !slices.Equal(got.CheckCmd, want) || !slices.Equal(got.ReloadCmd, tt.wantReload) || got.ApacheCtl != tt.wantCtl {
				t.Errorf("check %q reload %q ctl %q, want %q %q %q", got.CheckCmd, got.ReloadCmd, got.ApacheCtl, want, tt.wantReload, tt.wantCtl)
			}
			if got.Root != root || !got.Rooted() {
				t.Errorf("Root %q, want %q", got.Root, root)
			}
			if got.Detected != tt.detected {
				t.Errorf("Detected = %v, want %v", got.Detected, tt.detected)
			}
			if (!tt.detected) != (got.Note != "") {
				t.Errorf("Note %q for detected=%v", got.Note, got.Detected)
			}
		})
	}
}

// rooted is the check DetectTarget gives under root for the one it gives under "/".
func rooted(root string, check []string) []string {
	switch FormatCommand(check) {
	case "nginx -t":
		return []string{"nginx", "-t", "-c", root + "/etc/nginx/nginx.conf", "-e", "stderr"}
	case "apache2ctl -t":
		return []string{"env", "APACHE_CONFDIR=" + root + "/etc/apache2", "apache2ctl", "-t"}
	case "httpd -t":
		return []string{"httpd", "-t", "-d", root + "/etc/httpd", "-f", root + "/etc/httpd/conf/httpd.conf"}
	}
	return check
}

// Under "/" the commands are the plain ones: nothing to re-root.
func TestDetectTargetOnThisMachine(t *testing.T) {
	for _, tt := range []struct{ provider string }{{"nginx"}, {"apache"}} { // apache2ctl or httpd, depending on this machine
		got := DetectTarget(tt.provider, "")
		if got.Root != "/" || got.Rooted() {
			t.Errorf("%s: Root %q", tt.provider, got.Root)
		}
		switch tt.provider {
		case "nginx":
			if FormatCommand(got.CheckCmd) != "nginx -t" || got.ModulesCmd != nil {
				t.Errorf("nginx: check %q modules %q", got.CheckCmd, got.ModulesCmd)
			}
		case "apache":
			if c := FormatCommand(got.CheckCmd); c != got.ApacheCtl+" -t" || FormatCommand(got.ModulesCmd) != got.ApacheCtl+" -M" {
				t.Errorf("apache: check %q modules %q", got.CheckCmd, got.ModulesCmd)
			}
		}
	}
}

func TestDetectTargetModulesUnderRoot(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "etc/apache2/sites-available"), 0o755); err != nil {
		t.Fatal(err)
	}
	got := DetectTarget("apache", root)
	if want := []string{"env", "APACHE_CONFDIR=" + root + "/etc/apache2", "apache2ctl", "-M"}; !slices.Equal(got.ModulesCmd, want) {
		t.Errorf("modules %q, want %q", got.ModulesCmd, want)
	}
	if line := got.EnableModulesLine([]string{"rewrite", "headers"}); line != "APACHE_CONFDIR="+root+"/etc/apache2 a2enmod rewrite headers" {
		t.Errorf("enable line %q", line)
	}
	if line := DetectTarget("apache", "/").EnableModulesLine([]string{"rewrite"}); line != EnableModulesLine(DetectTarget("apache", "/").ApacheCtl, []string{"rewrite"}) {
		t.Errorf("enable line on this machine %q", line)
	}
}

// The plan is a copy: editing its commands must not change the target's.
func TestTargetPlanCopies(t *testing.T) {
	target := DetectTarget("nginx", t.TempDir())
	plan := target.Plan([]byte("x"))
	plan.CheckCmd[0] = "edited"
	if target.CheckCmd[0] != "nginx" {
		t.Fatal("Plan shares the target's CheckCmd")
	}
	if plan.Root != target.Root {
		t.Errorf("plan root %q, target root %q", plan.Root, target.Root)
	}
	if plan.ReloadCmd != nil || target.ReloadCmd == nil {
		t.Fatalf("a plan never reloads unless asked: plan %v, target suggests %v", plan.ReloadCmd, target.ReloadCmd)
	}
}

func TestParseCommand(t *testing.T) {
	tests := []struct {
		line string
		want []string
	}{
		{"", nil},
		{"   ", nil},
		{"nginx -t", []string{"nginx", "-t"}},
		{"  systemctl   reload\tnginx ", []string{"systemctl", "reload", "nginx"}},
		{`sh -c "a b"`, []string{"sh", "-c", `"a`, `b"`}}, // no shell, no quoting: documented
	}
	for _, tt := range tests {
		if got := ParseCommand(tt.line); !slices.Equal(got, tt.want) {
			t.Errorf("ParseCommand(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}
