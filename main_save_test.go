package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/config"
	"frontdoor/internal/testenv"
	"frontdoor/render"
)

// saveRoot makes <root>/etc/<server>/{sites-available,sites-enabled}.
func saveRoot(t *testing.T, server string) (root, file, link string) {
	t.Helper()
	root = t.TempDir()
	for _, d := range []string{"sites-available", "sites-enabled"} {
		if err := os.MkdirAll(filepath.Join(root, "etc", server, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return root, filepath.Join(root, "etc", server, "sites-available/artifactory.conf"), filepath.Join(root, "etc", server, "sites-enabled/artifactory.conf")
}

// renderedFor is what `frontdoor render` gives for the settings.
func renderedFor(t *testing.T, cfgBody string) []byte {
	t.Helper()
	f, err := config.Parse([]byte(cfgBody))
	if err != nil {
		t.Fatal(err)
	}
	out, err := render.Render(&f.Proxy)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSaveCommand(t *testing.T) {
	previous := []byte("# the admin's own version\n")
	tests := []struct {
		name       string
		args       func(root, file, cfg string) []string
		previous   bool
		wantCode   int
		wantFile   string // "new", "old" or "none"
		wantLink   bool
		wantStderr string
	}{
		{name: "saved and checked", args: func(root, file, cfg string) []string {
			return []string{"--check", "test -d " + root} // a check pointing into --root
		}, wantCode: 0, wantFile: "new", wantLink: true, wantStderr: "result: saved and checked"},
		{name: "a check that does not point into --root: not checked against it", args: func(root, file, cfg string) []string {
			return []string{"--check", "true"}
		}, wantCode: 0, wantFile: "new", wantLink: true, wantStderr: "result: saved, not checked against "},
		{name: "check fails on a first save: nothing left", args: func(root, file, cfg string) []string {
			return []string{"--check", "false"}
		}, wantCode: 1, wantFile: "none", wantStderr: "check failed, rolled back"},
		{name: "check fails: previous file restored", previous: true, args: func(root, file, cfg string) []string {
			return []string{"--check", "false"}
		}, wantCode: 1, wantFile: "old", wantStderr: "put the previous"},
		{name: "a --check that is not installed fails the save: a typo must not save unchecked", args: func(root, file, cfg string) []string {
			return []string{"--check", "frontdoor-no-such-nginx -t"}
		}, wantCode: 1, wantFile: "none", wantStderr: "`frontdoor-no-such-nginx`: command not found"},
		{name: "--require-check: a check that does not point into --root is not enough", previous: true, args: func(root, file, cfg string) []string {
			return []string{"--check", "true", "--require-check"}
		}, wantCode: 1, wantFile: "old", wantStderr: "not saved: --require-check and NOT checked (rolled back): not checked against "},
		{name: "--require-check with a check into --root", args: func(root, file, cfg string) []string {
			return []string{"--check", "test -d " + root, "--require-check"}
		}, wantCode: 0, wantFile: "new", wantLink: true, wantStderr: "result: saved and checked"},
		{name: "--require-check --no-check contradict", args: func(root, file, cfg string) []string {
			return []string{"--no-check", "--require-check"}
		}, wantCode: 2, wantFile: "none", wantStderr: "--require-check and --no-check contradict each other"},
		{name: "no check", args: func(root, file, cfg string) []string {
			return []string{"--no-check"}
		}, wantCode: 0, wantFile: "new", wantLink: true, wantStderr: "saved without a check"},
		{name: "reload after the check", args: func(root, file, cfg string) []string {
			return []string{"--check", "test -d " + root, "--reload", "touch " + filepath.Join(root, "reloaded")}
		}, wantCode: 0, wantFile: "new", wantLink: true, wantStderr: "reload passed: touch"},
		{name: "reload fails: exit 1, file kept", args: func(root, file, cfg string) []string {
			return []string{"--check", "test -d " + root, "--reload", "false"}
		}, wantCode: 1, wantFile: "new", wantLink: true, wantStderr: "reload failed"},
		{name: "--to: the given file, no link", args: func(root, file, cfg string) []string {
			return []string{"--no-check", "--to", file}
		}, wantCode: 0, wantFile: "new", wantLink: false},
		{name: "--link= disables the link", args: func(root, file, cfg string) []string {
			return []string{"--no-check", "--link="}
		}, wantCode: 0, wantFile: "new", wantLink: false},
		{name: "--check and --no-check", args: func(root, file, cfg string) []string {
			return []string{"--check", "true", "--no-check"}
		}, wantCode: 2, wantFile: "none", wantStderr: "contradict"},
		{name: "--reload without a check", args: func(root, file, cfg string) []string {
			return []string{"--no-check", "--reload", "true"}
		}, wantCode: 2, wantFile: "none", wantStderr: "--reload needs a check"},
		{name: "empty --check", args: func(root, file, cfg string) []string {
			return []string{"--check", " "}
		}, wantCode: 2, wantFile: "none", wantStderr: "empty --check"},
		{name: "tomcat: nothing to install", args: func(root, file, cfg string) []string {
			return []string{"--no-check", "--provider", "tomcat"}
		}, wantCode: 2, wantFile: "none", wantStderr: "embedded Tomcat"},
		{name: "target directory missing: exit 1", args: func(root, file, cfg string) []string {
			return []string{"--no-check", "--to", filepath.Join(root, "nowhere/artifactory.conf")}
		}, wantCode: 1, wantFile: "none", wantStderr: "does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, file, link := saveRoot(t, "nginx")
			cfg := writeConfig(t, plainHTTP)
			if tt.previous {
				if err := os.WriteFile(file, previous, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := append([]string{"save", "--config", cfg, "--root", root}, tt.args(root, file, cfg)...)
			code, stdout, stderr := runCLI(t, "", args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\nstderr:\n%s", code, tt.wantCode, stderr)
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantStderr, stderr)
			}
			switch tt.wantFile {
			case "new":
				got, err := os.ReadFile(file)
				if err != nil || !bytes.Equal(got, renderedFor(t, plainHTTP)) {
					t.Errorf("file is not the rendered snippet (err %v)", err)
				}
			case "old":
				if got, _ := os.ReadFile(file); !bytes.Equal(got, previous) {
					t.Errorf("file = %q, want the previous version", got)
				}
			case "none":
				if _, err := os.Stat(file); err == nil {
					t.Errorf("%s exists", file)
				}
			}
			if _, err := os.Lstat(link); (err == nil) != tt.wantLink {
				t.Errorf("link exists = %v, want %v", err == nil, tt.wantLink)
			}
			wantStdout := ""
			if code == 0 {
				wantStdout = file + "\n"
			}
			if stdout != wantStdout {
				t.Errorf("stdout = %q, want %q", stdout, wantStdout)
			}
		})
	}
}

func TestSaveCommandInvalidSettings(t *testing.T) {
	root, file, _ := saveRoot(t, "nginx")
	clash := writeConfig(t, "proxy:\n  serverName: a.example.com\n  docker:\n    method: ports\n    repositories: [{key: a, port: 5001}, {key: b, port: 5001}]\n")
	code, stdout, stderr := runCLI(t, "", "save", "--config", clash, "--root", root, "--check", "true")
	if code != 2 || stdout != "" || !strings.Contains(stderr, "proxy.docker.repositories[1].port: error:") {
		t.Fatalf("exit %d stdout %q stderr:\n%s", code, stdout, stderr)
	}
	if _, err := os.Stat(file); err == nil {
		t.Fatal("a file was written for invalid settings")
	}
}

// The command line never rewrites the settings file: one-off flags apply to
// the run (and the report says so); a vendor JSON file is never overwritten.
func TestSaveCommandSettingsFile(t *testing.T) {
	vendorJSON := `{"key":"nginx","webServerType":"NGINX","serverName":"artifactory.example.com","artifactoryServerName":"localhost",
"artifactoryPort":8081,"routerPort":8082,"dockerReverseProxyMethod":"REPOPATHPREFIX","useHttps":false,"useHttp":true,"httpPort":80}`
	tests := []struct {
		name        string
		body        string
		extra       []string
		wantChanged bool
		wantStderr  string
	}{
		{"yaml, nothing overridden: untouched", plainHTTP, nil, false, ""},
		{"yaml, --provider apache: for this run only", plainHTTP, []string{"--provider", "apache"}, false, "--provider apache, --no-check, --root for this run only"},
		{"vendor JSON, --provider apache: never overwritten", vendorJSON, []string{"--provider", "apache"}, false, "for this run only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, _, _ := saveRoot(t, "apache2")
			for _, d := range []string{"etc/nginx/sites-available", "etc/nginx/sites-enabled"} {
				if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			cfg := writeConfig(t, tt.body)
			args := append([]string{"save", "--config", cfg, "--root", root, "--no-check"}, tt.extra...)
			code, _, stderr := runCLI(t, "", args...)
			if code != 0 {
				t.Fatalf("exit %d:\n%s", code, stderr)
			}
			got, _ := os.ReadFile(cfg)
			if changed := string(got) != tt.body; changed != tt.wantChanged {
				t.Fatalf("settings file changed = %v, want %v:\n%s", changed, tt.wantChanged, got)
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantStderr, stderr)
			}
		})
	}
}

// The whole pipeline against the real nginx: settings, render, save, nginx -t.
func TestSaveCommandWithRealNginx(t *testing.T) {
	nginx := testenv.Binary(t, "nginx")
	root, file, link := saveRoot(t, "nginx")
	conf := filepath.Join(root, "nginx.conf")
	mainConf := fmt.Sprintf("pid %s/nginx.pid;\nerror_log %s/error.log;\nevents {}\nhttp {\n    access_log off;\n    include /etc/nginx/mime.types;\n    include %s/etc/nginx/sites-enabled/*;\n}\n", root, root, root)
	if err := os.WriteFile(conf, []byte(mainConf), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, plainHTTP)
	check := fmt.Sprintf("%s -t -c %s -e %s/error.log", nginx, conf, root)
	code, stdout, stderr := runCLI(t, "", "save", "--config", cfg, "--root", root, "--check", check)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if stdout != file+"\n" || !strings.Contains(stderr, "test is successful") {
		t.Errorf("stdout %q, stderr:\n%s", stdout, stderr)
	}
	if _, err := os.Lstat(link); err != nil {
		t.Errorf("no enable link: %v", err)
	}
}

// The save's words on the command line: where each choice came from, flag
// mistakes named before anything is read, a missing settings file.
func TestSaveCommandWords(t *testing.T) {
	root, file, _ := saveRoot(t, "nginx")
	cfg := writeConfig(t, plainHTTP)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr []string
	}{
		{"origins in the report", []string{"--config", cfg, "--check", "test -d " + root, "--keep", "3"}, 0,
			[]string{"target:       " + file + " (detected)", "check:        test -d " + root + " (from --check)", "backups kept: 3 (from --keep)", "result: saved and checked"}},
		{"--keep 0", []string{"--config", cfg, "--keep", "0"}, 2, []string{"frontdoor save: --keep 0: keep 1 or more backups"}},
		{"--to a directory", []string{"--config", cfg, "--to", root}, 2, []string{"frontdoor save: --to " + root + " is a directory"}},
		{"unknown --provider", []string{"--config", cfg, "--provider", "iis"}, 2, []string{`frontdoor save: unknown --provider "iis"`}},
		{"--config naming no file", []string{"--config", filepath.Join(root, "typo.yaml"), "--no-check"}, 2, []string{"typo.yaml: file does not exist"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, "", append([]string{"save", "--root", root}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			checkStream(t, "stderr", stderr, tt.stderr)
			if t.Failed() {
				t.Logf("stderr:\n%s", stderr)
			}
		})
	}
}

// A save refuses, exit 2 before anything is written, the places where a
// snippet does harm: a web server's main configuration (its checks accept a
// snippet alone, so it would replace the whole configuration and pass), and,
// under --root, a file, link or backup directory outside the copy (the check
// reads the copy: the real file would go unchecked). The trees before and
// after are compared byte for byte.
func TestSaveRefusesWhereASnippetDoesHarm(t *testing.T) {
	mains := map[string]string{
		"etc/nginx/nginx.conf":     "events {}\nhttp { include /etc/nginx/sites-enabled/*; }\n",
		"etc/apache2/apache2.conf": "ServerRoot /etc/apache2\nIncludeOptional sites-enabled/*.conf\n",
		"etc/haproxy/haproxy.cfg":  "global\n  log /dev/log local0\ndefaults\n  mode http\n",
		"etc/caddy/Caddyfile":      ":80 {\n  respond \"hello\"\n}\n",
	}
	tests := []struct {
		name   string
		args   []string // ROOT: the --root copy; OUT: a directory outside it
		code   int
		stderr string
	}{
		{"over haproxy.cfg", []string{"--provider", "haproxy", "--root", "ROOT", "--to", "ROOT/etc/haproxy/haproxy.cfg"}, 2,
			"frontdoor save: the target ROOT/etc/haproxy/haproxy.cfg is HAProxy's main configuration, not a file frontdoor wrote: frontdoor writes a snippet that the main configuration includes, and saving it there would replace the whole configuration; save to the snippet's own file, e.g. ROOT/etc/haproxy/conf.d/artifactory.cfg (detected; --to PATH)"},
		{"over the Caddyfile", []string{"--provider", "caddy", "--root", "ROOT", "--to", "ROOT/etc/caddy/Caddyfile"}, 2,
			"the target ROOT/etc/caddy/Caddyfile is Caddy's main configuration"},
		{"over nginx.conf, unchecked", []string{"--root", "ROOT", "--to", "ROOT/etc/nginx/nginx.conf", "--no-check"}, 2,
			"the target ROOT/etc/nginx/nginx.conf is nginx's main configuration"},
		{"over apache2.conf", []string{"--provider", "apache", "--root", "ROOT", "--to", "ROOT/etc/apache2/apache2.conf", "--no-check"}, 2,
			"is Apache's main configuration"},
		{"over a haproxy.cfg elsewhere, without --root", []string{"--provider", "haproxy", "--to", "OUT/haproxy.cfg", "--no-check"}, 2,
			"the target OUT/haproxy.cfg is HAProxy's main configuration"},
		{"--to outside --root", []string{"--root", "ROOT", "--to", "OUT/artifactory.conf", "--no-check"}, 2,
			"frontdoor save: the target OUT/artifactory.conf is outside --root ROOT: the check reads the configuration under ROOT, so it would be written on this machine's own files, outside the copy, and never checked; give a path under ROOT, e.g. ROOT/etc/nginx/sites-available/artifactory.conf (detected; --to PATH)"},
		{"--link outside --root", []string{"--root", "ROOT", "--link", "OUT/artifactory.conf", "--no-check"}, 2,
			"the enable link OUT/artifactory.conf is outside --root ROOT"},
		{"--backup-dir outside --root", []string{"--root", "ROOT", "--backup-dir", "OUT", "--no-check"}, 2,
			"the backup directory OUT is outside --root ROOT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, _, _ := saveRoot(t, "nginx")
			out := t.TempDir()
			for rel, body := range mains {
				writeTreeFile(t, filepath.Join(root, rel), body)
			}
			writeTreeFile(t, filepath.Join(out, "haproxy.cfg"), mains["etc/haproxy/haproxy.cfg"])
			writeTreeFile(t, filepath.Join(out, "artifactory.conf"), "# the real server's file\n")
			fill := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "ROOT", root), "OUT", out) }
			args := []string{"save", "--config", writeConfig(t, plainHTTP)}
			for _, a := range tt.args {
				args = append(args, fill(a))
			}
			before := treeOf(t, root) + treeOf(t, out)
			code, stdout, stderr := runCLI(t, "", args...)
			if code != tt.code || stdout != "" || !strings.Contains(stderr, fill(tt.stderr)) {
				t.Errorf("exit %d (want %d), stdout %q, stderr:\n%s\nwant in it:\n%s", code, tt.code, stdout, stderr, fill(tt.stderr))
			}
			if after := treeOf(t, root) + treeOf(t, out); after != before {
				t.Errorf("files changed:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}

	// frontdoor's own file is frontdoor's to replace, wherever it is.
	t.Run("over a main configuration frontdoor wrote", func(t *testing.T) {
		root, _, _ := saveRoot(t, "nginx")
		main := filepath.Join(root, "etc/nginx/nginx.conf")
		writeTreeFile(t, main, string(renderedFor(t, plainHTTP))+"# edited\n")
		code, stdout, stderr := runCLI(t, "", "save", "--config", writeConfig(t, plainHTTP), "--root", root, "--to", main, "--no-check")
		if got, _ := os.ReadFile(main); code != 0 || stdout != main+"\n" || !bytes.Equal(got, renderedFor(t, plainHTTP)) {
			t.Errorf("exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
		}
	})

	// A restore is refused the same way (it writes the same file).
	t.Run("restore outside --root", func(t *testing.T) {
		root, _, _ := saveRoot(t, "nginx")
		out := t.TempDir()
		real := filepath.Join(out, "artifactory.conf")
		writeTreeFile(t, real, "# the real server's file\n")
		writeTreeFile(t, filepath.Join(out, ".artifactory.conf.frontdoor-bak.20261127T031500Z"), "# an old version\n")
		before := treeOf(t, out)
		code, _, stderr := runCLI(t, "", "restore", "--root", root, "--to", real, "--no-check")
		if code != 2 || !strings.Contains(stderr, "the target "+real+" is outside --root "+root) || treeOf(t, out) != before {
			t.Errorf("exit %d, stderr:\n%s", code, stderr)
		}
	})
}

func writeTreeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// treeOf lists every file, directory and link under dir with its content.
func treeOf(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.Type()&os.ModeSymlink != 0:
			dest, _ := os.Readlink(path)
			fmt.Fprintf(&b, "%s -> %s\n", path, dest)
		case d.IsDir():
			fmt.Fprintf(&b, "%s/\n", path)
		default:
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "%s: %q\n", path, data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
