package install

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Detection of the providers whose file goes into a conf.d/ their stock
// configuration does not load (HAProxy, Caddy), and of Kubernetes manifests.
func TestDetectProxyTargets(t *testing.T) {
	stockCaddy := ":80 {\n\troot * /usr/share/caddy\n\tfile_server\n}\n"
	tests := []struct {
		name     string
		provider string
		files    map[string]string // under the root; ROOT is replaced
		dirs     []string
		wantPath string // relative to the root
		detected bool
		notes    []string // parts of the Note; none: Note empty
	}{
		{name: "haproxy not installed", provider: "haproxy", wantPath: "etc/haproxy/conf.d/artifactory.cfg",
			notes: []string{"no haproxy configuration found under ROOT/etc/haproxy"}},
		{name: "haproxy stock Debian: no conf.d, not loaded", provider: "haproxy", files: map[string]string{"etc/haproxy/haproxy.cfg": "global\n"},
			wantPath: "etc/haproxy/conf.d/artifactory.cfg", detected: true,
			// One message: what to create and the line that loads it.
			notes: []string{`ROOT/etc/haproxy/conf.d does not exist: create it (install -d ROOT/etc/haproxy/conf.d), and have haproxy load it: ` +
				`add EXTRAOPTS="-S /run/haproxy-master.sock -f /etc/haproxy/conf.d" to ROOT/etc/default/haproxy, then systemctl restart haproxy`}},
		{name: "haproxy conf.d loaded through /etc/default/haproxy", provider: "haproxy",
			files: map[string]string{"etc/haproxy/haproxy.cfg": "global\n", "etc/default/haproxy": "# Defaults file\n#EXTRAOPTS=\"-de\"\nEXTRAOPTS=\"-S /run/haproxy-master.sock -f /etc/haproxy/conf.d/\"\n"},
			dirs:  []string{"etc/haproxy/conf.d"}, wantPath: "etc/haproxy/conf.d/artifactory.cfg", detected: true},
		{name: "haproxy EXTRAOPTS set without conf.d: change it", provider: "haproxy",
			files: map[string]string{"etc/haproxy/haproxy.cfg": "global\n", "etc/default/haproxy": "EXTRAOPTS='-de -m 16'\n"},
			dirs:  []string{"etc/haproxy/conf.d"}, wantPath: "etc/haproxy/conf.d/artifactory.cfg", detected: true,
			notes: []string{`change EXTRAOPTS in ROOT/etc/default/haproxy to EXTRAOPTS="-de -m 16 -f /etc/haproxy/conf.d"`}},
		{name: "haproxy RHEL unit: conf.d loaded ($CFGDIR)", provider: "haproxy",
			files: map[string]string{"etc/haproxy/haproxy.cfg": "global\n", "usr/lib/systemd/system/haproxy.service": "[Unit]\nDescription=HAProxy\n\n[Service]\n" +
				"Environment=\"CONFIG=/etc/haproxy/haproxy.cfg\" \"PIDFILE=/run/haproxy.pid\" \"CFGDIR=/etc/haproxy/conf.d\"\nEnvironmentFile=/etc/sysconfig/haproxy\n" +
				"ExecStart=/usr/sbin/haproxy -Ws -f $CONFIG -f $CFGDIR -p $PIDFILE $OPTIONS\n"},
			dirs: []string{"etc/haproxy/conf.d"}, wantPath: "etc/haproxy/conf.d/artifactory.cfg", detected: true},
		{name: "haproxy unit without EXTRAOPTS: edit its ExecStart", provider: "haproxy",
			files: map[string]string{"etc/haproxy/haproxy.cfg": "global\n", "etc/systemd/system/haproxy.service": "[Service]\nExecStart=/usr/sbin/haproxy -Ws -f /etc/haproxy/haproxy.cfg\n"},
			dirs:  []string{"etc/haproxy/conf.d"}, wantPath: "etc/haproxy/conf.d/artifactory.cfg", detected: true,
			notes: []string{"add -f /etc/haproxy/conf.d to the ExecStart of haproxy.service (systemctl edit haproxy)"}},
		{name: "haproxy drop-in resets ExecStart with conf.d", provider: "haproxy",
			files: map[string]string{"etc/haproxy/haproxy.cfg": "global\n", "lib/systemd/system/haproxy.service": "[Service]\nExecStart=/usr/sbin/haproxy -Ws -f /etc/haproxy/haproxy.cfg\n",
				"etc/systemd/system/haproxy.service.d/override.conf": "[Service]\nExecStart=\nExecStart=/usr/sbin/haproxy -Ws -f /etc/haproxy/haproxy.cfg -f /etc/haproxy/conf.d\n"},
			dirs: []string{"etc/haproxy/conf.d"}, wantPath: "etc/haproxy/conf.d/artifactory.cfg", detected: true},
		{name: "caddy not installed", provider: "caddy", wantPath: "etc/caddy/conf.d/artifactory.caddyfile",
			notes: []string{"no caddy configuration found under ROOT/etc/caddy"}},
		{name: "caddy stock Caddyfile: no conf.d, no import", provider: "caddy", files: map[string]string{"etc/caddy/Caddyfile": stockCaddy},
			wantPath: "etc/caddy/conf.d/artifactory.caddyfile", detected: true,
			notes: []string{"ROOT/etc/caddy/conf.d does not exist: create it",
				"ROOT/etc/caddy/Caddyfile does not import conf.d/: add the line `import conf.d/*.caddyfile` to ROOT/etc/caddy/Caddyfile"}},
		{name: "caddy import in a comment does not count", provider: "caddy", files: map[string]string{"etc/caddy/Caddyfile": stockCaddy + "# import conf.d/*.caddyfile\n"},
			dirs: []string{"etc/caddy/conf.d"}, wantPath: "etc/caddy/conf.d/artifactory.caddyfile", detected: true,
			notes: []string{"add the line `import conf.d/*.caddyfile`"}},
		{name: "caddy importing conf.d", provider: "caddy", files: map[string]string{"etc/caddy/Caddyfile": stockCaddy + "\nimport conf.d/*.caddyfile\n"},
			dirs: []string{"etc/caddy/conf.d"}, wantPath: "etc/caddy/conf.d/artifactory.caddyfile", detected: true},
		{name: "caddy importing the directory by absolute path", provider: "caddy", files: map[string]string{"etc/caddy/Caddyfile": "import \"ROOT/etc/caddy/conf.d/*\"\n" + stockCaddy},
			dirs: []string{"etc/caddy/conf.d"}, wantPath: "etc/caddy/conf.d/artifactory.caddyfile", detected: true},
		{name: "caddy Caddyfile missing", provider: "caddy", dirs: []string{"etc/caddy/conf.d"},
			wantPath: "etc/caddy/conf.d/artifactory.caddyfile", detected: true, notes: []string{"ROOT/etc/caddy/Caddyfile does not exist"}},
		{name: "kubernetes-ingress: a file in the root", provider: "kubernetes-ingress", wantPath: "artifactory-ingress.yaml", detected: true},
		{name: "gateway-api: a file in the root", provider: "gateway-api", wantPath: "artifactory-gateway.yaml", detected: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			tree(t, root, tt.files)
			for _, d := range tt.dirs {
				tree(t, root, map[string]string{filepath.Join(d, ".keep"): ""})
			}
			got := DetectTarget(tt.provider, root)
			if got.Path != filepath.Join(root, tt.wantPath) || got.Detected != tt.detected || got.EnableLink != "" {
				t.Errorf("path %q detected %v link %q, want %q %v", got.Path, got.Detected, got.EnableLink, filepath.Join(root, tt.wantPath), tt.detected)
			}
			for _, n := range tt.notes {
				if n = strings.ReplaceAll(n, "ROOT", root); !strings.Contains(got.Note, n) {
					t.Errorf("Note %q\nlacks %q", got.Note, n)
				}
			}
			if len(tt.notes) == 0 && got.Note != "" {
				t.Errorf("Note %q, want none", got.Note)
			}
			manifest := tt.provider == "kubernetes-ingress" || tt.provider == "gateway-api"
			if got.Manifest != manifest || manifest && (got.CheckCmd != nil || got.ReloadCmd != nil || got.Layout != LayoutFile) {
				t.Errorf("manifest %v, check %q, reload %q, layout %s", got.Manifest, got.CheckCmd, got.ReloadCmd, got.Layout)
			}
			if plan := got.Plan(nil); plan.Manifest != manifest {
				t.Errorf("plan Manifest %v", plan.Manifest)
			}
		})
	}
}

func TestDetectProxyCommands(t *testing.T) {
	root := t.TempDir()
	for _, tt := range []struct {
		provider      string
		root          string
		check, reload string
	}{
		{"haproxy", "/", "haproxy -c -f /etc/haproxy/haproxy.cfg -f /etc/haproxy/conf.d", "systemctl reload haproxy"},
		{"haproxy", root, "haproxy -c -f " + root + "/etc/haproxy/haproxy.cfg -f " + root + "/etc/haproxy/conf.d", "systemctl reload haproxy"},
		{"caddy", "/", "caddy validate --adapter caddyfile --config /etc/caddy/Caddyfile", "systemctl reload caddy"},
		{"caddy", root, "caddy validate --adapter caddyfile --config " + root + "/etc/caddy/Caddyfile", "systemctl reload caddy"},
	} {
		got := DetectTarget(tt.provider, tt.root)
		if FormatCommand(got.CheckCmd) != tt.check || FormatCommand(got.ReloadCmd) != tt.reload {
			t.Errorf("%s under %s: check %q reload %q, want %q %q", tt.provider, tt.root, FormatCommand(got.CheckCmd), FormatCommand(got.ReloadCmd), tt.check, tt.reload)
		}
	}
	// On this machine a manifest goes to the current directory, as an absolute path.
	if got := DetectTarget("gateway-api", "/"); !filepath.IsAbs(got.Path) || filepath.Base(got.Path) != "artifactory-gateway.yaml" {
		t.Errorf("gateway-api on this machine: %q", got.Path)
	}
}

func TestScopeOfProxyChecks(t *testing.T) {
	cfg := "etc/haproxy/conf.d/artifactory.cfg"
	caddyFile := "etc/caddy/conf.d/artifactory.caddyfile"
	tests := []struct {
		name   string
		files  map[string]string
		check  []string
		file   string // relative to the root
		rooted bool
		why    string
		loads  bool
		hint   string // part of loadHint(file)
	}{
		{"haproxy: -f file and directory under root", map[string]string{"etc/haproxy/haproxy.cfg": "global\n", cfg: "", "etc/haproxy/conf.d/.hidden.cfg": "", "etc/haproxy/conf.d/x.cfg.bak": ""},
			[]string{"haproxy", "-c", "-f", "ROOT/etc/haproxy/haproxy.cfg", "-f", "ROOT/etc/haproxy/conf.d/"}, cfg, true, "", true, ""},
		{"haproxy: the directory not given", map[string]string{"etc/haproxy/haproxy.cfg": "global\n", cfg: ""},
			[]string{"haproxy", "-c", "-f", "ROOT/etc/haproxy/haproxy.cfg"}, cfg, true, "", false, "add -f ROOT/etc/haproxy/conf.d to the check"},
		{"haproxy: a hidden file is not loaded", map[string]string{"etc/haproxy/haproxy.cfg": "global\n", "etc/haproxy/conf.d/.artifactory.cfg": ""},
			[]string{"haproxy", "-c", "-f", "ROOT/etc/haproxy/haproxy.cfg", "-f", "ROOT/etc/haproxy/conf.d"}, "etc/haproxy/conf.d/.artifactory.cfg", true, "", false, ""},
		{"haproxy: files after --", map[string]string{"etc/haproxy/haproxy.cfg": "global\n", cfg: ""},
			[]string{"haproxy", "-c", "--", "ROOT/etc/haproxy/haproxy.cfg", "ROOT/" + cfg}, cfg, true, "", true, ""},
		{"haproxy: this machine's haproxy.cfg", map[string]string{cfg: ""},
			[]string{"haproxy", "-c", "-f", "/etc/haproxy/haproxy.cfg", "-f", "ROOT/etc/haproxy/conf.d"}, cfg, false, "the check reads /etc/haproxy/haproxy.cfg, outside", true, ""},
		{"caddy: imports relative to the Caddyfile", map[string]string{"etc/caddy/Caddyfile": "(shared) {\n\theader X-A b\n}\nimport shared # a snippet\nimport conf.d/*.caddyfile\n", caddyFile: "import shared\n"},
			[]string{"caddy", "validate", "--adapter", "caddyfile", "--config", "ROOT/etc/caddy/Caddyfile"}, caddyFile, true, "", true, ""},
		{"caddy: nested import, --config=", map[string]string{"etc/caddy/Caddyfile": "import sites/main\n", "etc/caddy/sites/main": "import ../conf.d/*\n", caddyFile: ""},
			[]string{"caddy", "validate", "--config=ROOT/etc/caddy/Caddyfile"}, caddyFile, true, "", true, ""},
		{"caddy: not imported", map[string]string{"etc/caddy/Caddyfile": ":80 {\n\tfile_server\n}\n", caddyFile: ""},
			[]string{"caddy", "validate", "--adapter", "caddyfile", "--config", "ROOT/etc/caddy/Caddyfile"}, caddyFile, true, "", false, "add the line `import conf.d/*.caddyfile` to ROOT/etc/caddy/Caddyfile"},
		{"caddy: an import outside root", map[string]string{"etc/caddy/Caddyfile": "import /etc/caddy/shared.caddyfile\nimport conf.d/*.caddyfile\n", caddyFile: ""},
			[]string{"caddy", "validate", "--adapter", "caddyfile", "--config", "ROOT/etc/caddy/Caddyfile"}, caddyFile, false, "includes /etc/caddy/shared.caddyfile, outside", true, ""},
		{"caddy: an environment variable in an import", map[string]string{"etc/caddy/Caddyfile": "import {$SITES}/*.caddyfile\n", caddyFile: ""},
			[]string{"caddy", "validate", "--adapter", "caddyfile", "--config", "ROOT/etc/caddy/Caddyfile"}, caddyFile, false, "cannot resolve", true, ""},
		{"caddy: a JSON configuration reads nothing else", map[string]string{"etc/caddy/caddy.json": "{}", caddyFile: ""},
			[]string{"caddy", "validate", "--config", "ROOT/etc/caddy/caddy.json"}, caddyFile, true, "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			tree(t, root, tt.files)
			check := slices.Clone(tt.check)
			for i := range check {
				check[i] = strings.ReplaceAll(check[i], "ROOT", root)
			}
			s := ScopeOfCheck(root, check)
			if s.Rooted != tt.rooted || !strings.Contains(s.Why, tt.why) {
				t.Errorf("Rooted %v (%q), want %v (%q)", s.Rooted, s.Why, tt.rooted, tt.why)
			}
			file := filepath.Join(root, tt.file)
			if got := s.Loads(file); got != tt.loads {
				t.Errorf("Loads(%s) = %v, want %v; files %v (complete %v)", file, got, tt.loads, s.Files, s.Complete)
			}
			if hint := s.loadHint(file); !strings.Contains(hint, strings.ReplaceAll(tt.hint, "ROOT", root)) {
				t.Errorf("hint %q, want %q", hint, tt.hint)
			}
		})
	}
}

func TestCaddyLines(t *testing.T) {
	text := "# comment\nimport \"conf.d/*.caddyfile\" arg # trailing\n:80 {\n\trespond `a # b` 200\n\theader X-Y \"q \\\" r\"\n}\n"
	want := [][]string{{"import", "conf.d/*.caddyfile", "arg"}, {":80", "{"}, {"respond", "a # b", "200"}, {"header", "X-Y", `q " r`}, {"}"}}
	if got := caddyLines(text); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("caddyLines = %q, want %q", got, want)
	}
}

func TestExpandExec(t *testing.T) {
	env := map[string]string{"CONFIG": "/etc/haproxy/haproxy.cfg", "EXTRAOPTS": "-S /run/m.sock -f /etc/haproxy/conf.d", "D": "/x y"}
	got := expandExec(`/usr/sbin/haproxy -Ws -f $CONFIG $EXTRAOPTS -f ${D}/z "-L a b" $UNSET`, env)
	want := []string{"/usr/sbin/haproxy", "-Ws", "-f", "/etc/haproxy/haproxy.cfg", "-S", "/run/m.sock", "-f", "/etc/haproxy/conf.d", "-f", "/x y/z", "-L a b"}
	if !slices.Equal(got, want) {
		t.Errorf("expandExec = %q, want %q", got, want)
	}
}
