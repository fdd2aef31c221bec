package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"frontdoor/app"
	"frontdoor/install"
	"frontdoor/render"
)

// Without a terminal the wizard points to the script commands and exits 2.
func TestWizardNeedsATerminal(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no arguments", nil, "`frontdoor render`"},
		{"wizard", []string{"wizard"}, "`frontdoor save`"},
		{"flags only", []string{"--config", "x.yaml"}, "needs a terminal"},
		{"contradicting flags", []string{"wizard", "--check", "nginx -t", "--no-check"}, "contradict"},
		{"keep below 1", []string{"wizard", "--keep", "0"}, "--keep"},
		{"empty backup dir", []string{"--backup-dir="}, "--backup-dir"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", tc.args...)
			if code != exitInvalid || out != "" || !strings.Contains(errOut, tc.want) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, out, errOut, tc.want)
			}
		})
	}
}

// A contradiction between the flags and the settings file's save: section
// (a reload with save.noCheck) is a usage error before the program starts,
// as for `frontdoor save`; so is a settings file that cannot be used.
func TestWizardRefusesBeforeStarting(t *testing.T) {
	dir := t.TempDir()
	noCheck := filepath.Join(dir, "nocheck.yaml")
	if err := os.WriteFile(noCheck, []byte(plainHTTP+"save:\n  noCheck: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("proxy: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"reload with save.noCheck", []string{"wizard", "--config", noCheck, "--reload", "systemctl reload nginx"}, "needs a check"},
		{"invalid settings file", []string{"--config", bad}, bad},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", tc.args...)
			if code != exitInvalid || out != "" || !strings.Contains(errOut, tc.want) || strings.Contains(errOut, "needs a terminal") {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, out, errOut, tc.want)
			}
		})
	}
	// A --config naming an nginx configuration opens the wizard with the
	// offer to import it (not exit 2 for settings of the wrong shape): only
	// the missing terminal stops it here.
	nginxConf := filepath.Join(dir, "artifactory.conf")
	if err := os.WriteFile(nginxConf, []byte("server {\n    listen 80;\n    server_name a.example.com;\n    location / { proxy_pass http://10.0.0.5:8082; }\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI(t, "", "--config", nginxConf); code != exitInvalid || !strings.Contains(errOut, "needs a terminal") || strings.Contains(errOut, "expected the sections") {
		t.Fatalf("nginx configuration: exit %d %q", code, errOut)
	}
	// A --config naming no file is a new file for the wizard (the first
	// save creates it): only the missing terminal stops it here.
	code, _, errOut := runCLI(t, "", "--config", filepath.Join(dir, "new.yaml"))
	if code != exitInvalid || !strings.Contains(errOut, "needs a terminal") {
		t.Fatalf("new file: exit %d %q", code, errOut)
	}
}

func TestWizardSettingsPath(t *testing.T) {
	dir := t.TempDir()
	yaml := filepath.Join(dir, "mine.yaml")
	jsonPath := filepath.Join(dir, "webserver.json")
	if err := os.WriteFile(yaml, []byte(plainHTTP), 0o644); err != nil {
		t.Fatal(err)
	}
	vendor := `{"key":"direct","webServerType":"NGINX","artifactoryAppContext":"artifactory","publicAppContext":"artifactory","serverName":"a.example.com","artifactoryServerName":"localhost","artifactoryPort":8081,"routerPort":8082,"httpPort":80,"useHttp":true,"useHttps":false,"httpsPort":443,"sslCertificate":"","sslKey":"","dockerReverseProxyMethod":"NOVALUE","upStreamName":"artifactory"}`
	if err := os.WriteFile(jsonPath, []byte(vendor), 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		yaml:                           yaml,
		jsonPath:                       filepath.Join(dir, "frontdoor.yaml"), // the vendor's JSON is never overwritten
		filepath.Join(dir, "new.yaml"): filepath.Join(dir, "new.yaml"),
	} {
		if got := wizardSettingsPath(path); got != want {
			t.Errorf("wizardSettingsPath(%s) = %s, want %s", path, got, want)
		}
	}
}

// A --config naming no file beside a settings file of a similar name is a
// typo: the wizard without a terminal refuses (exit 2) with the name meant
// instead of opening a blank new file; every other command says it too. A
// name close to none is a new file, as before.
func TestConfigTypo(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "frontdoor.yaml"), []byte(plainHTTP), 0o644); err != nil {
		t.Fatal(err)
	}
	typo := filepath.Join(dir, "frontdor.yaml")
	meant := filepath.Join(dir, "frontdoor.yaml")
	for _, args := range [][]string{
		{"--config", typo},
		{"wizard", "--config", typo},
		{"render", "--config", typo},
		{"validate", "--config", typo},
		{"--config", typo, "save", "--no-check"},
		{"ldap", "export", "--config", typo},
	} {
		code, out, errOut := runCLI(t, "", args...)
		if code != exitInvalid || out != "" || !strings.Contains(errOut, "--config "+typo+": no such file; did you mean "+meant+"?") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	if _, err := os.Stat(typo); err == nil {
		t.Errorf("%s was created", typo)
	}
	// Completing a line with the typo still completes.
	if code, out, _ := runCLI(t, "", "__complete", "--config", typo, "render", "--prov"); code != 0 || !strings.Contains(out, "--provider") {
		t.Errorf("completion: exit %d, %q", code, out)
	}
	code, _, errOut := runCLI(t, "", "--config", filepath.Join(dir, "artifactory-prod.yaml"))
	if code != exitInvalid || !strings.Contains(errOut, "needs a terminal") || strings.Contains(errOut, "did you mean") {
		t.Errorf("a new file: exit %d %q", code, errOut)
	}
}

func TestSimilarSettings(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"frontdoor.yaml", "frontdoor.yml", "staging.yaml", "notes.txt", "webserver.json", "dec.yaml", "prod.yaml", "b.yaml"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct{ typed, want string }{
		{"frontdor.yaml", "frontdoor.yaml"},
		{"Frontdoor.yaml", "frontdoor.yaml"},
		{"frontdoor.yam", "frontdoor.yaml"}, // frontdoor.yml is as close: frontdoor.yaml wins the tie
		{"stagng.yaml", "staging.yaml"},
		{"webserver.jsn", "webserver.json"},
		{"frontdoor.yaml", ""}, // it exists
		{"notes.tx", ""},       // not a settings file
		{"production.yaml", ""},
		{"new.yaml", ""},         // two of dec's three letters differ: noise
		{"dex.yaml", "dec.yaml"}, // one of three
		{"prd.yaml", "prod.yaml"},
		{"a.yaml", ""}, // one letter of one
	}
	for _, tt := range tests {
		want := ""
		if tt.want != "" {
			want = filepath.Join(dir, tt.want)
		}
		if got := similarSettings(filepath.Join(dir, tt.typed)); got != want {
			t.Errorf("%s: %q, want %q", tt.typed, got, want)
		}
	}
}

// The wizard's question in a terminal: only y starts the new file.
func TestAskNewSettings(t *testing.T) {
	for in, want := range map[string]bool{"y\n": true, "YES\n": true, "\n": false, "n\n": false, "": false, "yy\n": false} {
		var out strings.Builder
		if got := askNewSettings(strings.NewReader(in), &out, "frontdor.yaml", "frontdoor.yaml"); got != want {
			t.Errorf("answer %q: %v, want %v", in, got, want)
		}
		if !strings.Contains(out.String(), "did you mean frontdoor.yaml?") || !strings.Contains(out.String(), "[y/N]") {
			t.Errorf("question: %q", out.String())
		}
	}
}

// The wizard's last words follow the last save's outcome: a save that was
// rolled back or not checked is never "saved PATH", and changes dropped on
// quitting are said.
func TestWizardLastWords(t *testing.T) {
	target := app.Target{Provider: render.Nginx, Path: app.Setting[string]{Value: "/tmp/r/etc/nginx/sites-available/artifactory.conf", Origin: app.OriginDetected}}
	checked := &app.Report{Op: app.OpSave, Target: target, Settings: app.SettingsWritten, SettingsFile: "frontdoor.yaml",
		Install: &install.Report{Target: target.Path.Value, File: target.Path.Value, Saved: true, Result: install.ResultChecked, Check: install.CommandResult{Status: install.StatusPassed}}}
	failed := &app.Report{Op: app.OpSave, Target: target, Err: install.ErrCheckFailed, SettingsFile: "frontdoor.yaml",
		Install: &install.Report{Target: target.Path.Value, Result: install.ResultCheckFailed, RolledBack: true, Check: install.CommandResult{Status: install.StatusFailed}}}
	notRooted := &app.Report{Op: app.OpSave, Target: target, Settings: app.SettingsWritten, SettingsFile: "frontdoor.yaml",
		Install: &install.Report{Target: target.Path.Value, File: target.Path.Value, Saved: true, Result: install.ResultNotRooted, Scope: install.CheckScope{Root: "/tmp/r"}, Reason: "the check read /etc/nginx"}}
	settingsOnly := &app.Report{Op: app.OpSettings, Settings: app.SettingsWritten, SettingsFile: "frontdoor.yaml"}
	tests := []struct {
		name string
		s    session
		want []string
	}{
		{"nothing saved", session{settingsPath: "frontdoor.yaml"}, nil},
		{"checked", session{installed: target.Path.Value, last: checked},
			[]string{"last save, of " + target.Path.Value + ": saved and checked; settings written to frontdoor.yaml"}},
		{"the last save failed after a good one", session{installed: target.Path.Value, last: failed},
			[]string{"last save, of " + target.Path.Value + ": check failed, rolled back (the file is as before)", "an earlier save this session installed " + target.Path.Value}},
		{"not checked against the root", session{installed: target.Path.Value, last: notRooted},
			[]string{"last save, of " + target.Path.Value + ": saved, not checked against /tmp/r: the check read /etc/nginx; settings written to frontdoor.yaml"}},
		{"settings only, then changes dropped", session{last: settingsOnly, dropped: true},
			[]string{"last save: settings saved to frontdoor.yaml", "unsaved changes were dropped (quit without saving)"}},
		{"settings only, the installed snippet older", session{last: settingsOnly, after: []string{"the installed snippet at X is older than these settings: Save installs them"}},
			[]string{"last save: settings saved to frontdoor.yaml", "the installed snippet at X is older than these settings: Save installs them"}},
	}
	for _, tt := range tests {
		if got := lastWords(tt.s); !slices.Equal(got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

// The wizard's last words wrap at the terminal's width, after "frontdoor: ",
// with continuation lines indented and paths whole; a pipe gets them unwrapped.
func TestLastWordsWrapAtTheTerminal(t *testing.T) {
	line := "last save, of /etc/nginx/sites-available/artifactory.conf: saved and checked; settings written to frontdoor.yaml"
	tests := []struct {
		name  string
		width int
		want  string
	}{
		{"a pipe", 0, "frontdoor: " + line + "\n"},
		{"80 columns", 80, "frontdoor: last save, of /etc/nginx/sites-available/artifactory.conf: saved and\n  checked; settings written to frontdoor.yaml\n"},
		{"40 columns: the path whole on a line of its own", 40,
			"frontdoor: last save, of\n  /etc/nginx/sites-available/artifactory.conf:\n  saved and checked; settings written to\n  frontdoor.yaml\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sayWrapped(tt.width, line); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}
