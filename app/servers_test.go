package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/internal/servertest"
	"frontdoor/render"
)

// --root DIR with the real nginx: the detected check reads the copy under
// DIR, so the outcome is the copy's: checked when it is fine, failed and
// rolled back when its main configuration is broken, and "not checked
// against DIR" (no reload) when the copy reads the real /etc.
func TestRootedSavesWithRealNginx(t *testing.T) {
	tests := []struct {
		name    string
		paths   servertest.RootPaths // AsTheyAre: the copy's includes point into the real /etc/nginx
		breakIt func(root string)    // damages the copy
		code    int
		want    string // the headline starts so
		file    bool   // the snippet stays
		reload  bool   // the reload ran
	}{
		{name: "a re-rooted copy: checked, reloaded", code: 0, want: "saved and checked, reloaded", file: true, reload: true},
		{name: "the copy's nginx.conf broken: rolled back", breakIt: func(root string) {
			conf := filepath.Join(root, "etc/nginx/nginx.conf")
			data, _ := os.ReadFile(conf)
			os.WriteFile(conf, append(data, "this_is_not_a_directive;\n"...), 0o644)
		}, code: 1, want: "check failed, rolled back"},
		{name: "a plain copy reads /etc/nginx: not checked against the root, no reload", paths: servertest.PathsAsTheyAre, code: 0, want: "saved, not checked against ", file: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := servertest.NginxRoot(t, tt.paths)
			if tt.breakIt != nil {
				tt.breakIt(root)
			}
			_, doc := settingsFile(t, "proxy:\n  serverName: artifactory.example.com\n  http: {port: 8480}\n  docker: {method: repositoryPath}\n")
			reloaded := filepath.Join(root, "reloaded")
			req := request(t, doc, Flags{Root: Given(root), Reload: Given("touch " + reloaded)})
			if req.Target.Check.Origin != OriginDetected || !strings.Contains(req.Target.Check.Value, "-c "+root) {
				t.Fatalf("the detected check does not read the copy: %+v", req.Target.Check)
			}
			rep := Save(context.Background(), req)
			if rep.ExitCode() != tt.code || !strings.HasPrefix(rep.Headline(), tt.want) {
				t.Fatalf("exit %d %q, want %d %q:\n%s", rep.ExitCode(), rep.Headline(), tt.code, tt.want, rep)
			}
			if _, err := os.Stat(req.Target.Path.Value); (err == nil) != tt.file {
				t.Errorf("snippet there = %v, want %v", err == nil, tt.file)
			}
			if _, err := os.Stat(reloaded); (err == nil) != tt.reload {
				t.Errorf("reloaded = %v, want %v:\n%s", err == nil, tt.reload, rep)
			}
		})
	}
}

// Apache under --root: the module probe reads the copy (apache2ctl -M with
// its APACHE_CONFDIR) before the write and says how to enable what is
// missing there; the check then decides. With the modules enabled in the
// copy, the probe and the check pass.
func TestRootedSaveWithRealApache(t *testing.T) {
	root := servertest.ApacheRoot(t)
	_, doc := settingsFile(t, "proxy:\n  provider: apache\n  serverName: artifactory.example.com\n  http: {port: 8480}\n  docker: {method: repositoryPath}\n")
	f := doc.Settings()
	required := render.ApacheModules(&f.Proxy)
	req := request(t, doc, Flags{Root: Given(root)})

	rep := Save(context.Background(), req)
	modules := rep.stepWith("Apache modules")
	if modules == nil {
		t.Fatalf("no module probe:\n%s", rep)
	}
	t.Logf("first save: %s %s", modules.Mark, modules.Detail)
	if modules.Mark == "!" {
		// Stock Debian: rewrite, headers and proxy are off. The probe says so
		// for the copy, and the check of the copy fails the same way.
		if !strings.Contains(modules.Detail, "APACHE_CONFDIR="+filepath.Join(root, "etc/apache2")+" a2enmod") {
			t.Errorf("the fix does not point at the copy: %s", modules.Detail)
		}
		if rep.ExitCode() != 1 || !strings.HasPrefix(rep.Headline(), "check failed") {
			t.Fatalf("with modules missing: exit %d:\n%s", rep.ExitCode(), rep)
		}
		assertMissing(t, req.Target.Path.Value)
		servertest.EnableApacheModules(t, filepath.Join(root, "etc/apache2"), required...)
		rep = Save(context.Background(), req)
	}
	if modules = rep.stepWith("Apache modules"); modules == nil || modules.Mark != "✓" {
		t.Errorf("probe after enabling %v in the copy: %+v", required, modules)
	}
	if rep.ExitCode() != 0 || rep.Headline() != "saved and checked" {
		t.Fatalf("exit %d:\n%s", rep.ExitCode(), rep)
	}
	if got := readFile(t, req.Target.Path.Value); got != rendered(t, "proxy:\n  provider: apache\n  serverName: artifactory.example.com\n  http: {port: 8480}\n  docker: {method: repositoryPath}\n", "") {
		t.Error("the installed file is not the snippet")
	}
}
