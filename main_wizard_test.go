package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
