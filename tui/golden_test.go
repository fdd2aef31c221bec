package tui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"frontdoor/app"
	"frontdoor/config"
	"frontdoor/finding"
	"frontdoor/install"
	"frontdoor/render"
	"frontdoor/tui/document"
	"frontdoor/tui/pages/save"
)

// sizes are the terminal sizes every screen is checked at.
var sizes = [][2]int{{80, 24}, {160, 48}}

// Golden views of every screen, at 80x24 and 160x48. The settings, the
// clock, the target and the certificates are fixed, so the views are too.
func TestGoldenScreens(t *testing.T) {
	wildcard := func(o *Options) {
		o.LoadCertificates = newTestCerts(t, []string{"artifactory.example.com", "*.artifactory.example.com"}, fixedNow.AddDate(0, 6, 0)).load
	}
	nameOnly := func(o *Options) {
		o.LoadCertificates = newTestCerts(t, []string{"artifactory.example.com"}, fixedNow.AddDate(0, 0, 20)).load
	}
	current := func(o *Options) {
		o.ReadFile = fakeFiles{"/etc/nginx/sites-available/artifactory.conf": []byte(oldSnippet(t))}.read
	}
	cases := []struct {
		name  string
		yaml  string
		opts  []modelOption
		setup func(t *testing.T, m *Model)
	}{
		{name: "home", yaml: exampleYAML},
		{name: "provider", yaml: exampleYAML, setup: func(t *testing.T, m *Model) { press(t, m, "enter") }},
		{name: "nodes_ha", yaml: exampleYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "enter", "pgdown", "ctrl+n")
			typeText(t, m, "10.0.0.7")
		}},
		{name: "public_cert", yaml: exampleYAML, opts: []modelOption{wildcard}, setup: func(t *testing.T, m *Model) {
			press(t, m, "enter", "pgdown", "pgdown")
		}},
		{name: "public_cert_not_covering", yaml: exampleYAML, opts: []modelOption{nameOnly}, setup: func(t *testing.T, m *Model) {
			press(t, m, "enter", "pgdown", "pgdown", "tab", "tab", "tab", "tab", "tab", "tab")
		}},
		{name: "public_error", yaml: exampleYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "enter", "pgdown", "pgdown")
			typeText(t, m, ";")
		}},
		{name: "docker_ports_clash", yaml: portsYAML, opts: []modelOption{current}, setup: func(t *testing.T, m *Model) {
			press(t, m, "enter", "pgdown", "pgdown", "pgdown", "tab", "tab")
			press(t, m, "backspace", "backspace", "backspace", "backspace")
			typeText(t, m, "5002")
		}},
		{name: "docker_subdomain_marks", yaml: duplicateKeysYAML, opts: []modelOption{wildcard}, setup: func(t *testing.T, m *Model) {
			press(t, m, "enter", "pgdown", "pgdown", "pgdown", "tab")
		}},
		{name: "docker_method_invalid", yaml: strings.Replace(exampleYAML, "method: subdomain", "method: subdomains", 1), setup: func(t *testing.T, m *Model) {
			press(t, m, "enter", "pgdown", "pgdown", "pgdown")
		}},
		{name: "extras_mtls", yaml: exampleYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "enter", "pgdown", "pgdown", "pgdown", "pgdown", "space", "tab")
		}},
		{name: "review", yaml: exampleYAML, opts: []modelOption{current}, setup: func(t *testing.T, m *Model) { press(t, m, "3") }},
		{name: "review_errors", yaml: exampleYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "enter", "pgdown", "pgdown")
			press(t, m, "ctrl+u")
			press(t, m, "ctrl+s")
		}},
		{name: "saved", yaml: exampleYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "3")
			send(t, m, savedDone())
		}},
		{name: "check_failed", yaml: exampleYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "3")
			send(t, m, failedDone())
		}},
		{name: "apache_modules", yaml: exampleYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "enter", "right")
			press(t, m, "ctrl+s")
			tg := m.doc.Target.App()
			send(t, m, save.ProbeMsg{Probe: save.Probe{Key: save.ProbeKey(tg, settings(m)), OK: true, Step: install.Step{
				Kind: app.StepModules, Mark: install.MarkWarning,
				Detail: "Apache modules not enabled: proxy_http ssl; enable them: " + tg.Detected.EnableModulesLine([]string{"proxy_http", "ssl"}),
			}}})
		}},
		{name: "review_origins", yaml: exampleYAML, opts: []modelOption{mixedOrigins}, setup: func(t *testing.T, m *Model) {
			press(t, m, "3")
			for range 6 { // from Save up to the check
				press(t, m, "shift+tab")
			}
			requireFocus(t, m, "Check")
			press(t, m, "ctrl+u")
			typeText(t, m, "nginx -t -q")
			press(t, m, "tab")
		}},
		{name: "conflict", yaml: exampleYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "3")
			send(t, m, conflictDone(t))
		}},
		{name: "conflict_vendor", yaml: exampleYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "3")
			send(t, m, vendorConflictDone(t))
		}},
		{name: "settings_only", yaml: exampleYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "3", "tab") // Save settings only
			requireButton(t, m, save.ActionSettingsOnly)
			send(t, m, settingsDone())
		}},
		{name: "settings_refused", yaml: exampleYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "enter", "pgdown", "pgdown")
			typeText(t, m, ";")
			// "save settings and quit" in the quit dialog: app refuses the
			// rejected value, the wizard stays and the report says why.
			send(t, m, refusedDone(m))
		}},
		{name: "tomcat", yaml: exampleYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "enter", "left")
		}},
		{name: "preview_focused", yaml: exampleYAML, opts: []modelOption{current}, setup: func(t *testing.T, m *Model) {
			press(t, m, "enter", "pgdown", "pgdown", "ctrl+p", "pgdown")
		}},
		{name: "help_home", yaml: exampleYAML, setup: func(t *testing.T, m *Model) { press(t, m, "?") }},
		{name: "help", yaml: exampleYAML, setup: func(t *testing.T, m *Model) { press(t, m, "enter", "?") }},
		{name: "help_preview", yaml: exampleYAML, setup: func(t *testing.T, m *Model) { press(t, m, "enter", "ctrl+p", "?") }},
		{name: "confirm_quit", yaml: exampleYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "enter", "right", "ctrl+c")
		}},
	}
	for _, tc := range cases {
		for _, size := range sizes {
			name := fmt.Sprintf("%s_%dx%d", tc.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				m := newModel(t, tc.yaml, size[0], size[1], tc.opts...)
				if tc.setup != nil {
					tc.setup(t, m)
				}
				golden.RequireEqual(t, screenText(m))
			})
		}
	}
}

// portsYAML is exampleYAML with the ports method.
var portsYAML = strings.Replace(strings.Replace(strings.Replace(strings.Replace(exampleYAML,
	"method: subdomain", "method: ports", 1),
	"{key: docker-local}", "{key: docker-local, port: 5001}", 1),
	"{key: docker-remote}", "{key: docker-remote, port: 5002}", 1),
	"{key: docker}", "{key: docker, port: 5003}", 1)

// duplicateKeysYAML has a Docker key twice and a key with a dot: the
// certificate covers their subdomains, yet the rows are wrong.
var duplicateKeysYAML = strings.Replace(strings.Replace(exampleYAML,
	"{key: docker-remote}", "{key: docker-local}", 1),
	"{key: docker}", "{key: docker.dev}", 1)

// oldSnippet is a file at the target that differs from the settings: the
// same snippet with HTTP on 8080.
func oldSnippet(t testing.TB) string {
	f := parseFile(t, exampleYAML)
	f.Proxy.HTTP.Port = 8080
	out, err := renderForTest(&f.Proxy)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// nginxTarget is the fixed Debian layout as the review step gets it: every
// choice detected.
func nginxTarget() app.Target { return document.DetectedTarget(render.Nginx, fixedTarget("nginx")) }

const (
	fixedFile   = "/etc/nginx/sites-available/artifactory.conf"
	fixedBackup = "/etc/nginx/sites-available/.artifactory.conf.frontdoor-bak.20260301T120000Z"
	certWarning = "proxy.https.certificate: warning: /etc/ssl/certs/artifactory.pem does not exist here, so it was not checked: fine if it lives on the proxy host, otherwise the server will not start\n" +
		"proxy.https.key: warning: /etc/ssl/private/artifactory.key does not exist here, so it was not checked"
)

// savedDone is a save as app reports it: checked, the previous version
// kept as a backup, the settings written.
func savedDone() save.DoneMsg {
	steps := []install.Step{
		{Kind: app.StepValidate, Mark: install.MarkWarning, Detail: "settings valid, with 2 warnings", Output: certWarning},
		{Kind: install.StepWrite, Mark: install.MarkOK, Detail: "wrote 3120 bytes to the temp file .artifactory.conf.frontdoor-new-1828829317 beside it and flushed them to disk (mode 0644)"},
		{Kind: install.StepSnapshot, Mark: install.MarkOK, Detail: "set the previous file aside as .artifactory.conf.frontdoor-rollback for a rollback (byte-identical, mode 0644)"},
		{Kind: install.StepReplace, Mark: install.MarkOK, Detail: "replaced " + fixedFile + " atomically"},
		{Kind: install.StepLink, Mark: install.MarkOK, Detail: "/etc/nginx/sites-enabled/artifactory.conf already enables " + fixedFile},
		{Kind: install.StepCheck, Mark: install.MarkOK, Detail: "check passed: nginx -t"},
		{Kind: install.StepBackup, Mark: install.MarkOK, Detail: "kept the previous version as " + fixedBackup + " (byte-identical, mode 0644)"},
		{Kind: app.StepSettings, Mark: install.MarkOK, Detail: "wrote the settings to frontdoor.yaml (changed values only; comments and layout kept)"},
	}
	inst := &install.Report{
		Target: fixedFile, File: fixedFile, Saved: true, Result: install.ResultChecked, Keep: 5,
		Check:   install.CommandResult{Cmd: []string{"nginx", "-t"}, Status: install.StatusPassed},
		Backups: []install.Backup{{Path: fixedBackup, Time: fixedNow, Size: 3090, Stamp: "20260301T120000Z"}},
	}
	return save.DoneMsg{Job: save.Job{Op: app.OpSave}, Report: app.Report{
		Op: app.OpSave, Target: nginxTarget(), Steps: steps, Install: inst,
		SettingsFile: "frontdoor.yaml", Settings: app.SettingsWritten,
	}}
}

// failedDone is a save whose check failed and was rolled back.
func failedDone() save.DoneMsg {
	out := "nginx: [emerg] cannot load certificate \"/etc/ssl/certs/artifactory.pem\": BIO_new_file() failed\nnginx: configuration file /etc/nginx/nginx.conf test failed"
	steps := []install.Step{
		{Kind: app.StepValidate, Mark: install.MarkWarning, Detail: "settings valid, with 2 warnings", Output: certWarning},
		{Kind: install.StepWrite, Mark: install.MarkOK, Detail: "wrote 3120 bytes to the temp file .artifactory.conf.frontdoor-new-1828829317 beside it and flushed them to disk (mode 0644)"},
		{Kind: install.StepSnapshot, Mark: install.MarkOK, Detail: "set the previous file aside as .artifactory.conf.frontdoor-rollback for a rollback (byte-identical, mode 0644)"},
		{Kind: install.StepReplace, Mark: install.MarkOK, Detail: "replaced " + fixedFile + " atomically"},
		{Kind: install.StepLink, Mark: install.MarkOK, Detail: "/etc/nginx/sites-enabled/artifactory.conf already enables " + fixedFile},
		{Kind: install.StepCheck, Mark: install.MarkFailed, Detail: "check failed: nginx -t (exit status 1)", Output: out},
		{Kind: install.StepRollback, Mark: install.MarkOK, Detail: "put the previous " + fixedFile + " back from .artifactory.conf.frontdoor-rollback, byte for byte"},
		{Kind: app.StepSettings, Mark: install.MarkInfo, Detail: "frontdoor.yaml not written: the snippet was not saved"},
	}
	inst := &install.Report{
		Target: fixedFile, File: fixedFile, RolledBack: true, Keep: 5,
		Check: install.CommandResult{Cmd: []string{"nginx", "-t"}, Status: install.StatusFailed, Output: out, Err: errors.New("exit status 1")},
	}
	return save.DoneMsg{Job: save.Job{Op: app.OpSave}, Report: app.Report{
		Op: app.OpSave, Target: nginxTarget(), Steps: steps, Install: inst, SettingsFile: "frontdoor.yaml",
		Err: fmt.Errorf("%w: nginx -t; rolled back", install.ErrCheckFailed),
	}}
}

// settingsDone is a settings-only save as app reports it.
func settingsDone() save.DoneMsg {
	return save.DoneMsg{Job: save.Job{Op: app.OpSettings}, Report: app.Report{
		Op: app.OpSettings, Target: nginxTarget(), SettingsFile: "frontdoor.yaml", Settings: app.SettingsWritten,
		Steps: []install.Step{{Kind: app.StepSettings, Mark: install.MarkOK, Detail: "wrote the settings to frontdoor.yaml (changed values only; comments and layout kept)"}},
	}}
}

// refusedDone is "save settings and quit" refused: the settings hold a
// value validation rejects.
func refusedDone(m *Model) save.DoneMsg {
	fs := m.doc.Proxy.Findings.Errors()
	err := &finding.InvalidError{What: "settings", Findings: fs}
	return save.DoneMsg{Job: save.Job{Op: app.OpSettings, Quit: true}, Report: app.Report{
		Op: app.OpSettings, Target: nginxTarget(), SettingsFile: "frontdoor.yaml", Settings: app.SettingsFailed, Findings: fs, Err: err,
		Steps: []install.Step{{Kind: app.StepSettings, Mark: install.MarkFailed, Output: strings.Join(fs.Lines(0), "\n"),
			Detail: "frontdoor.yaml not written: the edits add 1 error (one already in it does not stop a write)"}},
	}}
}

// conflictDone is a save stopped before anything was installed: someone
// edited frontdoor.yaml (the server name, the HTTP port) while the wizard,
// which changed the server name too, was open.
func conflictDone(t *testing.T) save.DoneMsg {
	path := filepath.Join(t.TempDir(), "frontdoor.yaml")
	if err := os.WriteFile(path, []byte(exampleYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	doc := openDoc(t, path, true)
	theirs := strings.Replace(strings.Replace(exampleYAML, "serverName: artifactory.example.com", "serverName: repo.example.com", 1), "port: 80,", "port: 8080,", 1)
	if err := os.WriteFile(path, []byte(theirs), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := doc.Changed()
	if err != nil || c == nil {
		t.Fatalf("no conflict: %v", err)
	}
	mine := doc.Settings()
	mine.Proxy.ServerName = "mine.example.com"
	return stoppedByConflict(doc, mine, c, "frontdoor.yaml changed on disk since it was loaded: nothing installed, nothing written (reload to take that version, overwrite it with yours, merge both, or cancel)")
}

// stoppedByConflict is the end of a save of mine over doc that the
// settings step stopped at conflict c (the certificate warning before
// it), with the step's detail; c's path is shown as the golden shows it.
func stoppedByConflict(doc *config.Document, mine *config.File, c *config.Conflict, detail string) save.DoneMsg {
	c.Path = "frontdoor.yaml"
	steps := []install.Step{
		{Kind: app.StepValidate, Mark: install.MarkWarning, Detail: "settings valid, with 2 warnings", Output: certWarning},
		{Kind: app.StepSettings, Mark: install.MarkFailed, Output: c.Summary(), Detail: detail},
	}
	return save.DoneMsg{Job: save.Job{Op: app.OpSave, Req: app.Request{Doc: doc, Settings: mine}}, Report: app.Report{
		Op: app.OpSave, Target: nginxTarget(), Steps: steps, SettingsFile: "frontdoor.yaml",
		Settings: app.SettingsConflict, Conflict: c, Err: c,
	}}
}

// vendorConflictDone is a save of settings loaded from the vendor's JSON
// stopped by a frontdoor.yaml beside it that holds settings of its own
// (an ldap: section, mTLS, comments): what writing into it changes.
func vendorConflictDone(t *testing.T) save.DoneMsg {
	dir := t.TempDir()
	jsonPath := filepath.Join(dir, "webserver.json")
	vendor := `{"webServerType":"NGINX","serverName":"artifactory.example.com","artifactoryServerName":"localhost","useHttp":true,"httpPort":80,"useHttps":true,"sslPort":443,"sslCertificate":"/etc/ssl/certs/artifactory.pem","sslKey":"/etc/ssl/private/artifactory.key"}`
	theirs := "# production settings, edited by hand\nproxy:\n  serverName: prod.corp.example  # the public name\n  nodes: [10.0.0.1, 10.0.0.2]\n  https: {enabled: true, port: 443, certificate: /etc/ssl/certs/prod.pem, key: /etc/ssl/private/prod.key}\n  mtls: {enabled: true, clientCA: /etc/nginx/client-ca.pem}\nldap:\n  settings:\n    - {key: corp, url: \"ldaps://dc.corp.example/dc=corp\"}\nsave: {keep: 3}\n"
	for path, body := range map[string]string{jsonPath: vendor, filepath.Join(dir, "frontdoor.yaml"): theirs} {
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	doc := openDoc(t, jsonPath, true)
	mine := doc.Settings()
	c, err := doc.ChangedFor(mine)
	if err != nil || c == nil {
		t.Fatalf("no conflict: %v", err)
	}
	return stoppedByConflict(doc, mine, c, "frontdoor.yaml already holds settings that were not loaded (these came from webserver.json): nothing installed, nothing written (open it, or write into it keeping the rest, or cancel)")
}
