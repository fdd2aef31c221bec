package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"frontdoor/config"
	"frontdoor/install"
	"frontdoor/tui/common"
)

// These run the wizard in a real Bubble Tea program (teatest): keys go
// through the program's input handling, commands run on its goroutines,
// frames are drawn by its renderer.

func startProgram(t *testing.T, yaml string, width, height int, opts ...modelOption) *teatest.TestModel {
	t.Helper()
	o := Options{
		File: parseFile(t, yaml), ConfigPath: "frontdoor.yaml",
		Target: fixedTarget, Now: func() time.Time { return fixedNow },
		ReadFile: fakeFiles{}.read, LoadCertificates: noCerts, LoadClientCA: noClientCA,
	}
	for _, opt := range opts {
		opt(&o)
	}
	return teatest.NewTestModel(t, probed{New(o)}, teatest.WithInitialTermSize(width, height))
}

// probed answers a probe with the frame the program draws now. The
// renderer writes only the cells that changed, so its byte stream cannot be
// searched for text; the frame itself can, read on the program's goroutine.
type probed struct{ *Model }

type probeMsg struct{ reply chan string }

func (p probed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if pm, ok := msg.(probeMsg); ok {
		pm.reply <- screenText(p.Model)
		return p, nil
	}
	_, cmd := p.Model.Update(msg)
	return p, cmd
}

// waitFor waits until the program's frame shows text.
func waitFor(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	last := ""
	for time.Now().Before(deadline) {
		reply := make(chan string, 1)
		tm.Send(probeMsg{reply})
		select {
		case last = <-reply:
			if strings.Contains(last, text) {
				return
			}
		case <-time.After(time.Second):
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("the screen never showed %q; last frame:\n%s", text, last)
}

func sendKeys(tm *teatest.TestModel, names ...string) {
	for _, n := range names {
		tm.Send(keyPress(n))
	}
}

func finalModel(t *testing.T, tm *teatest.TestModel) *Model {
	t.Helper()
	return tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(probed).Model
}

func TestProgramWalkStepsAndInlineError(t *testing.T) {
	tm := startProgram(t, exampleYAML, 80, 24)
	waitFor(t, tm, "HTTP settings")
	sendKeys(tm, "enter")
	waitFor(t, tm, "Which server fronts Artifactory")
	sendKeys(tm, "pgdown")
	waitFor(t, tm, "Artifactory nodes and ports")
	sendKeys(tm, "pgdown")
	waitFor(t, tm, "Public name, HTTP/HTTPS and certificate")
	tm.Type(" bad")
	waitFor(t, tm, "has a space")
	sendKeys(tm, "backspace", "backspace", "backspace", "backspace")
	waitFor(t, tm, "\n! 2 warnings\n") // the footer once the error is gone
	sendKeys(tm, "ctrl+c")             // nothing changed: quits at once
	m := finalModel(t, tm)
	if settings(m).ServerName != "artifactory.example.com" || m.doc.Proxy.Issues.Errors != 0 {
		t.Fatalf("server name %q, %d errors", settings(m).ServerName, m.doc.Proxy.Issues.Errors)
	}
	if strings.Contains(screenText(m), common.GlyphError) {
		t.Fatal("the error is still drawn")
	}
}

func TestProgramDockerRows(t *testing.T) {
	tm := startProgram(t, portsYAML, 80, 24)
	sendKeys(tm, "enter", "pgdown", "pgdown", "pgdown", "tab")
	waitFor(t, tm, "CLIENTS USE")
	sendKeys(tm, "ctrl+n")
	tm.Type("docker_new")
	waitFor(t, tm, "docker_new")
	sendKeys(tm, "tab", "backspace", "backspace", "backspace", "backspace")
	tm.Type("5002")
	waitFor(t, tm, `port 5002 is also used by repository "docker-remote"`)
	sendKeys(tm, "ctrl+d")
	waitFor(t, tm, "\n! 2 warnings\n")
	sendKeys(tm, "ctrl+c")
	m := finalModel(t, tm)
	if n := len(settings(m).Docker.Repositories); n != 3 {
		t.Fatalf("%d rows, want 3", n)
	}
}

func TestProgramCtrlCConfirm(t *testing.T) {
	tm := startProgram(t, exampleYAML, 80, 24)
	sendKeys(tm, "enter", "right")
	waitFor(t, tm, "(•) Apache")
	sendKeys(tm, "ctrl+c")
	waitFor(t, tm, "q quit without saving")
	sendKeys(tm, "esc")
	waitFor(t, tm, "next") // the form's help line is back
	sendKeys(tm, "ctrl+c")
	waitFor(t, tm, "s save settings and quit")
	sendKeys(tm, "q")
	m := finalModel(t, tm)
	if !m.quitting || !m.doc.ProxyDirty() {
		t.Fatalf("quitting %v dirty %v", m.quitting, m.doc.ProxyDirty())
	}
}

func TestProgramEscGoesBack(t *testing.T) {
	tm := startProgram(t, exampleYAML, 120, 30)
	sendKeys(tm, "enter", "pgdown", "pgdown")
	waitFor(t, tm, "[3 Name & TLS]")
	sendKeys(tm, "esc")
	waitFor(t, tm, "[2 Nodes]")
	sendKeys(tm, "esc", "esc")
	waitFor(t, tm, "LDAP settings")
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	m := finalModel(t, tm)
	if m.screen != screenHome {
		t.Fatalf("screen %d, want home", m.screen)
	}
}

// The settings file edited behind the wizard's back (a comment a person
// wrote, a value changed) while the wizard changed the server name, then
// saved: the save stops before anything is installed, the dialog shows what
// changed, and each answer keeps what it says it keeps. Nothing of either
// side is lost unless the user chose so.
func TestProgramConflictAnswers(t *testing.T) {
	const mine = "artifactory.example.com-mine"
	theirs := strings.Replace(strings.Replace(exampleYAML,
		"  http: {enabled: true, port: 80, redirectToHttps: true}\n",
		"  # a colleague: the HTTP port is 8080 now\n  http: {enabled: true, port: 8080, redirectToHttps: true}\n", 1),
		"  serverName: artifactory.example.com\n", "  serverName: artifactory.example.com # theirs\n", 1)
	cases := []struct {
		key       string
		installed bool     // the snippet is in place afterwards
		want      []string // in frontdoor.yaml afterwards
		lost      []string // not there afterwards
		status    string
	}{
		{key: "r", want: []string{"# the admin's words", "# a colleague", "port: 8080", "serverName: artifactory.example.com # theirs"}, lost: []string{mine},
			status: "took " /* the file as it is */},
		{key: "o", installed: true, want: []string{"# the admin's words", "# a colleague", mine, "port: 80,"}, lost: []string{"port: 8080"},
			status: "saved and checked"},
		{key: "m", installed: true, want: []string{"# the admin's words", "# a colleague", mine, "port: 8080"},
			status: "saved and checked"},
	}
	for _, tc := range cases {
		t.Run(tc.key, func(t *testing.T) {
			dir := t.TempDir()
			target := filepath.Join(dir, "artifactory.conf")
			cfgPath, open := settingsFile(t, "# the admin's words\n"+exampleYAML)
			tm := startProgram(t, "", 100, 30, open, func(o *Options) {
				o.Target = func(string) install.Target { return install.Target{Path: target, CheckCmd: []string{"true"}} }
			})
			waitFor(t, tm, "HTTP settings")
			sendKeys(tm, "enter", "pgdown", "pgdown")
			waitFor(t, tm, "Public name")
			tm.Type("-mine")
			waitFor(t, tm, mine)
			// A colleague edits the file while the wizard is open.
			if err := os.WriteFile(cfgPath, []byte("# the admin's words\n"+theirs), 0o644); err != nil {
				t.Fatal(err)
			}
			sendKeys(tm, "ctrl+s")
			waitFor(t, tm, "[ Save ]")
			waitFor(t, tm, "true  detected") // the target is known: Save saves
			sendKeys(tm, "ctrl+s")
			waitFor(t, tm, "The settings file changed on disk")
			waitFor(t, tm, "proxy.http.port: 80 → 8080")
			if _, err := os.Stat(target); err == nil {
				t.Fatal("the snippet was installed before the conflict was answered")
			}
			sendKeys(tm, tc.key)
			waitFor(t, tm, tc.status)
			sendKeys(tm, "ctrl+c")
			m := finalModel(t, tm)
			text := readText(t, cfgPath)
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("frontdoor.yaml lacks %q", w)
				}
			}
			for _, l := range tc.lost {
				if strings.Contains(text, l) {
					t.Errorf("frontdoor.yaml still has %q", l)
				}
			}
			if _, err := os.Stat(target); (err == nil) != tc.installed {
				t.Errorf("snippet installed: %v, want %v", err == nil, tc.installed)
			}
			if t.Failed() {
				t.Fatalf("frontdoor.yaml:\n%s\nscreen:\n%s", text, screenText(m))
			}
			if tc.key == "r" && (settings(m).ServerName != "artifactory.example.com" || settings(m).HTTP.Port != 8080) {
				t.Fatalf("reload did not take theirs: %s %d", settings(m).ServerName, settings(m).HTTP.Port)
			}
		})
	}
}

// Settings from the vendor's JSON (frontdoor --config webserver.json) saved
// beside a frontdoor.yaml a person wrote: the dialog says the file holds
// settings that were not loaded and lists what writing into it changes, by
// path, and which sections stay; merge is not offered (writing into it
// keeps both). o writes the JSON's values and keeps the file's ldap:,
// save:, mTLS and comments; r opens that file instead.
func TestProgramVendorJSONIntoAnExistingFile(t *testing.T) {
	const vendorJSON = `{"webServerType":"NGINX","serverName":"artifactory.example.com","artifactoryServerName":"localhost","useHttp":true,"httpPort":80,"useHttps":true,"sslPort":443,"sslCertificate":"/etc/ssl/certs/artifactory.pem","sslKey":"/etc/ssl/private/artifactory.key"}`
	const theirs = "# production settings, edited by hand\nproxy:\n  serverName: prod.corp.example  # the public name\n  nodes: [127.0.0.1, 127.0.0.2]\n  https: {enabled: true, port: 443, certificate: /etc/ssl/certs/prod.pem, key: /etc/ssl/private/prod.key}\n  mtls: {enabled: true, clientCA: /etc/nginx/client-ca.pem}\nldap:\n  settings:\n    - key: corp  # the AD forest\n      url: ldaps://dc.corp.example:636/dc=corp,dc=example\n      userDnPattern: uid={0},ou=people\nsave:\n  keep: 3\n"
	for _, tc := range []struct {
		key    string
		status string
		want   []string
	}{
		{key: "r", status: "took ", want: []string{theirs}},
		{key: "o", status: "saved and checked", want: []string{
			"# production settings, edited by hand", "serverName: artifactory.example.com  # the public name", "nodes: [localhost]",
			"mtls: {enabled: true, clientCA: /etc/nginx/client-ca.pem}", "- key: corp  # the AD forest", "keep: 3",
		}},
	} {
		t.Run(tc.key, func(t *testing.T) {
			dir := t.TempDir()
			target := filepath.Join(dir, "artifactory.conf")
			jsonPath, yamlPath := filepath.Join(dir, "webserver.json"), filepath.Join(dir, "frontdoor.yaml")
			for path, body := range map[string]string{jsonPath: vendorJSON, yamlPath: theirs} {
				if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			tm := startProgram(t, "", 120, 60, func(o *Options) {
				o.Doc, o.File = openDoc(t, jsonPath, true), nil
				o.Target = func(string) install.Target { return install.Target{Path: target, CheckCmd: []string{"true"}} }
			})
			waitFor(t, tm, "webserver.json")
			sendKeys(tm, "enter", "ctrl+s")
			waitFor(t, tm, "[ Save ] write, check")
			waitFor(t, tm, "true  detected") // the target is known: Save saves
			sendKeys(tm, "ctrl+s")
			waitFor(t, tm, "frontdoor.yaml already holds settings")
			for _, w := range []string{
				"proxy.serverName: prod.corp.example → artifactory.example.com",
				"proxy.nodes: [127.0.0.1, 127.0.0.2] → [localhost]",
				"sections and its comments stay",
				"o write into it (the rest stays)",
			} {
				waitFor(t, tm, w)
			}
			sendKeys(tm, "m") // not an answer here: nothing happens
			sendKeys(tm, tc.key)
			waitFor(t, tm, tc.status)
			sendKeys(tm, "ctrl+c")
			m := finalModel(t, tm)
			screen := screenText(m)
			if strings.Contains(screen, "no value was changed on both sides") || strings.Contains(screen, "merge (keep both)") {
				t.Errorf("the dialog offers a merge:\n%s", screen)
			}
			text := readText(t, yamlPath)
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("frontdoor.yaml lacks %q:\n%s", w, text)
				}
			}
			if readText(t, jsonPath) != vendorJSON {
				t.Error("the vendor's JSON was changed")
			}
			if _, err := os.Stat(target); (err == nil) != (tc.key == "o") {
				t.Errorf("snippet installed: %v", err == nil)
			}
			// The wizard goes on with frontdoor.yaml: its LDAP settings are
			// the file's, the next save's baseline is that file.
			if len(m.doc.File.LDAP.Settings) != 1 || m.doc.SettingsPath() != yamlPath || m.doc.Base().Source() != config.FromFile {
				t.Errorf("after %s: LDAP %v, settings file %s", tc.key, m.doc.File.LDAP.Settings, m.doc.SettingsPath())
			}
		})
	}
}
