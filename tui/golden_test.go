package tui

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"frontdoor/install"
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
			res := savedResult()
			res.File = m.doc.ForSave()
			send(t, m, save.DoneMsg{Result: res})
		}},
		{name: "check_failed", yaml: exampleYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "3")
			send(t, m, save.DoneMsg{Result: failedResult()})
		}},
		{name: "apache_modules", yaml: exampleYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "enter", "right")
			press(t, m, "ctrl+s")
			send(t, m, save.ModulesMsg{Modules: save.Modules{Ctl: "apache2ctl", Required: []string{"proxy", "proxy_http", "rewrite", "headers", "ssl"},
				Missing: []string{"proxy_http", "ssl"}, FixLine: install.EnableModulesLine("apache2ctl", []string{"proxy_http", "ssl"})}})
		}},
		{name: "tomcat", yaml: exampleYAML, setup: func(t *testing.T, m *Model) {
			press(t, m, "enter", "left")
		}},
		{name: "preview_focused", yaml: exampleYAML, opts: []modelOption{current}, setup: func(t *testing.T, m *Model) {
			press(t, m, "enter", "pgdown", "pgdown", "ctrl+p", "pgdown")
		}},
		{name: "help", yaml: exampleYAML, setup: func(t *testing.T, m *Model) { press(t, m, "enter", "?") }},
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

func savedResult() save.Result {
	return save.Result{
		Snippet: true, ConfigPath: "frontdoor.yaml", ConfigSaved: true,
		Report: install.Report{
			Target: "/etc/nginx/sites-available/artifactory.conf", File: "/etc/nginx/sites-available/artifactory.conf",
			Backup: "/etc/nginx/sites-available/.artifactory.conf.frontdoor-bak", Saved: true,
			Check: install.CommandResult{Cmd: []string{"nginx", "-t"}, Status: install.StatusPassed, Output: "nginx: configuration file /etc/nginx/nginx.conf test is successful"},
			Steps: []install.Step{
				{Kind: install.StepWrite, Detail: "wrote 3120 bytes to /etc/nginx/sites-available/.artifactory.conf.frontdoor-new-1 and flushed them to disk (mode 0644)"},
				{Kind: install.StepBackup, Detail: "kept the previous file as /etc/nginx/sites-available/.artifactory.conf.frontdoor-bak (byte-identical, mode 0644)"},
				{Kind: install.StepReplace, Detail: "replaced /etc/nginx/sites-available/artifactory.conf atomically"},
				{Kind: install.StepLink, Detail: "/etc/nginx/sites-enabled/artifactory.conf already enables /etc/nginx/sites-available/artifactory.conf"},
				{Kind: install.StepCheck, Detail: "check passed: nginx -t", Output: "nginx: configuration file /etc/nginx/nginx.conf test is successful"},
			},
		},
	}
}

func failedResult() save.Result {
	out := "nginx: [emerg] cannot load certificate \"/etc/ssl/certs/artifactory.pem\": BIO_new_file() failed\nnginx: configuration file /etc/nginx/nginx.conf test failed"
	return save.Result{
		Snippet: true, ConfigPath: "frontdoor.yaml",
		Err: fmt.Errorf("%w: nginx -t; rolled back", install.ErrCheckFailed),
		Report: install.Report{
			Target: "/etc/nginx/sites-available/artifactory.conf", File: "/etc/nginx/sites-available/artifactory.conf",
			RolledBack: true,
			Check:      install.CommandResult{Cmd: []string{"nginx", "-t"}, Status: install.StatusFailed, Output: out, Err: errors.New("exit status 1")},
			Steps: []install.Step{
				{Kind: install.StepWrite, Detail: "wrote 3120 bytes to /etc/nginx/sites-available/.artifactory.conf.frontdoor-new-1 and flushed them to disk (mode 0644)"},
				{Kind: install.StepBackup, Detail: "kept the previous file as /etc/nginx/sites-available/.artifactory.conf.frontdoor-bak (byte-identical, mode 0644)"},
				{Kind: install.StepReplace, Detail: "replaced /etc/nginx/sites-available/artifactory.conf atomically"},
				{Kind: install.StepCheck, Detail: "check failed: nginx -t (exit status 1)", Output: out},
				{Kind: install.StepRollback, Detail: "put the previous /etc/nginx/sites-available/artifactory.conf back from /etc/nginx/sites-available/.artifactory.conf.frontdoor-bak, byte for byte"},
			},
		},
	}
}
