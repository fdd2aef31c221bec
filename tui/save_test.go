package tui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/app"
	"frontdoor/config"
	"frontdoor/install"
	"frontdoor/ldapcheck"
	"frontdoor/render"
	"frontdoor/tui/common"
	"frontdoor/tui/pages/proxy"
	"frontdoor/tui/pages/save"
)

// Saves through app.Save (the pipeline of `frontdoor save`) into real
// directories. These check the wizard's wiring and words; app's own tests
// cover the pipeline.

// settingsFile writes yaml as frontdoor.yaml in a new directory and returns
// its path and the options that open it as the command does.
func settingsFile(t *testing.T, yaml string) (string, modelOption) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "frontdoor.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, func(o *Options) { o.Doc, o.File = openDoc(t, path, true), nil }
}

func readText(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A save into a real directory: the snippet, the backup of what was there,
// frontdoor.yaml (comments kept), and the save: section the save used.
func TestSaveWritesSnippetBackupAndSettings(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "sites-enabled", "artifactory.conf")
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		t.Fatal(err)
	}
	old := []byte("# the previous snippet\n")
	if err := os.WriteFile(target, old, 0o644); err != nil {
		t.Fatal(err)
	}
	cfgPath, open := settingsFile(t, "# the admin's words\n"+exampleYAML)
	m := newModel(t, "", 160, 48, open, func(o *Options) {
		o.ReadFile = proxy.ReadFileCapped
		o.Target = func(string) install.Target { return install.Target{Path: target, CheckCmd: []string{"true"}} }
	})
	press(t, m, "enter", "pgdown", "pgdown")
	typeText(t, m, "x") // artifactory.example.comx
	press(t, m, "ctrl+s", "ctrl+s")
	rep := m.save.Last()
	if rep == nil || !rep.Saved() || rep.Settings != app.SettingsWritten {
		t.Fatalf("not saved:\n%s", screenText(m))
	}
	want, _ := render.Render(settings(m))
	if got, _ := os.ReadFile(target); string(got) != string(want) {
		t.Fatalf("target holds:\n%s", got)
	}
	if got, _ := os.ReadFile(rep.Install.Backups[0].Path); string(got) != string(old) {
		t.Fatalf("backup %s holds %q", rep.Install.Backups[0].Path, got)
	}
	text := readText(t, cfgPath)
	f, err := config.Parse([]byte(text))
	if err != nil || f.Proxy.ServerName != "artifactory.example.comx" || len(f.LDAP.Settings) != 1 || !strings.Contains(text, "# the admin's words") {
		t.Fatalf("frontdoor.yaml: %v\n%s", err, text)
	}
	if f.Save.Target != "" {
		t.Errorf("a detected target was remembered: %+v", f.Save)
	}
	if m.doc.ProxyDirty() || strings.Contains(screenText(m), "modified") {
		t.Fatal("still modified after the save")
	}
	if !strings.Contains(screenText(m), "saved and checked") || !strings.Contains(screenText(m), common.GlyphOK+" same as ") {
		t.Fatalf("after the save:\n%s", screenText(m))
	}
}

func TestFailedCheckRollsBackAndKeepsSettingsUnsaved(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "artifactory.conf")
	old := []byte("# the previous snippet\n")
	if err := os.WriteFile(target, old, 0o640); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "frontdoor.yaml")
	m := newModel(t, exampleYAML, 80, 24, func(o *Options) {
		o.ConfigPath = cfgPath
		o.Target = func(string) install.Target { return install.Target{Path: target, CheckCmd: []string{"false"}} }
	})
	press(t, m, "enter", "right", "3") // apache, then the save page ("3" types nothing on a choice)
	press(t, m, "ctrl+s", "ctrl+s")
	rep := m.save.Last()
	if rep == nil || rep.Saved() || !rep.Install.RolledBack || rep.ExitCode() != 1 {
		t.Fatalf("want a rolled-back save:\n%s", screenText(m))
	}
	// The last words are told the last save, not only that one succeeded.
	if res := m.result(); res.Last != rep || res.Saved {
		t.Errorf("the session's result: %+v", res)
	}
	if got, _ := os.ReadFile(target); string(got) != string(old) {
		t.Fatalf("target after rollback: %q", got)
	}
	if _, err := os.Stat(cfgPath); !os.IsNotExist(err) {
		t.Fatalf("frontdoor.yaml written after a failed check: %v", err)
	}
	if !m.doc.ProxyDirty() || !strings.Contains(screenText(m), "check failed, nothing of this save to roll back") &&
		!strings.Contains(screenText(m), "check failed, rolled back") {
		t.Fatalf("after the failed check:\n%s", screenText(m))
	}
}

func TestTomcatSavesOnlyTheSettings(t *testing.T) {
	cfgPath := filepath.Join(t.TempDir(), "frontdoor.yaml")
	yaml := strings.Replace(exampleYAML, "method: subdomain", "method: repositoryPath", 1)
	m := newModel(t, yaml, 80, 24, func(o *Options) { o.ConfigPath = cfgPath })
	press(t, m, "enter", "left") // tomcat
	press(t, m, "ctrl+s")
	if !strings.Contains(screenText(m), "[ Save settings ]") || strings.Contains(screenText(m), "Target ") {
		t.Fatalf("tomcat review:\n%s", screenText(m))
	}
	press(t, m, "ctrl+s")
	f, _, err := config.Load(cfgPath, true)
	if err != nil || f.Proxy.Provider != render.Tomcat {
		t.Fatalf("frontdoor.yaml: %v %+v", err, f)
	}
}

func TestSaveLeavesAnUnchangedSettingsFileAlone(t *testing.T) {
	original := "# my comments stay\n" + exampleYAML
	cfgPath, open := settingsFile(t, original)
	target := filepath.Join(filepath.Dir(cfgPath), "artifactory.conf")
	m := newModel(t, "", 80, 24, open, func(o *Options) {
		o.Target = func(string) install.Target { return install.Target{Path: target} }
	})
	press(t, m, "3", "ctrl+s")
	if rep := m.save.Last(); rep == nil || !rep.Saved() || rep.Settings != app.SettingsUnchanged {
		t.Fatalf("save: %+v\n%s", rep, screenText(m))
	}
	if got := readText(t, cfgPath); got != original {
		t.Fatalf("frontdoor.yaml rewritten:\n%s", got)
	}
}

// "Save settings only" writes the settings file through app.SaveSettings
// and installs nothing; a value validation rejects is refused and the
// report says why.
func TestSaveSettingsOnly(t *testing.T) {
	cfgPath, open := settingsFile(t, "# kept\n"+exampleYAML)
	target := filepath.Join(filepath.Dir(cfgPath), "artifactory.conf")
	m := newModel(t, "", 80, 24, open, func(o *Options) {
		o.Target = func(string) install.Target { return install.Target{Path: target, CheckCmd: []string{"true"}} }
	})
	press(t, m, "enter", "pgdown", "pgdown")
	typeText(t, m, "x")
	press(t, m, "ctrl+s", "tab")
	requireButton(t, m, save.ActionSettingsOnly)
	press(t, m, "enter")
	rep := m.save.Last()
	if rep == nil || rep.Op != app.OpSettings || rep.Settings != app.SettingsWritten || rep.Install != nil {
		t.Fatalf("settings only: %+v\n%s", rep, screenText(m))
	}
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Fatal("a snippet was installed")
	}
	if text := readText(t, cfgPath); !strings.Contains(text, "artifactory.example.comx") || !strings.Contains(text, "# kept") {
		t.Fatalf("frontdoor.yaml:\n%s", text)
	}
	if m.doc.Dirty() || !strings.Contains(screenText(m), "settings saved to") {
		t.Fatalf("after the settings-only save:\n%s", screenText(m))
	}

	// A rejected value is never written: refused before the save starts
	// (save.SettingsRefusal), the focus on its field.
	press(t, m, "pgup", "pgup", "pgup")
	requireFocus(t, m, "Server name")
	typeText(t, m, ";")
	before, last := readText(t, cfgPath), m.save.Last()
	run(t, m, m.proxy.SaveSettingsOnly())
	if m.save.Last() != last {
		t.Fatalf("a rejected value: saved %+v", m.save.Last())
	}
	if readText(t, cfgPath) != before {
		t.Fatal("a rejected value was written")
	}
	requireFocus(t, m, "Server name")
	if !strings.Contains(strings.Join(strings.Fields(screenText(m)), " "), "settings not saved: fix 1 error first") {
		t.Fatalf("the status does not say why:\n%s", screenText(m))
	}
}

// --config new.yaml (a file that does not exist) starts on a new document;
// the first save creates it, and the header changes from "new file".
func TestNewFileIsCreatedByTheFirstSave(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.yaml")
	m := newModel(t, "", 160, 30, func(o *Options) { o.Doc, o.File = openDoc(t, path, true), nil })
	if !strings.Contains(screenText(m), "new file "+path) {
		t.Fatalf("header:\n%s", screenText(m))
	}
	press(t, m, "enter", "pgdown", "pgdown")
	typeText(t, m, "new.example.com")
	press(t, m, "ctrl+s", "tab", "enter") // Save settings only
	f, _, err := config.Load(path, true)
	if err != nil || f.Proxy.ServerName != "new.example.com" {
		t.Fatalf("%s: %v %+v\n%s", path, err, f, screenText(m))
	}
	if first := strings.Split(screenText(m), "\n")[0]; strings.Contains(first, "new file") || !strings.HasSuffix(strings.TrimSpace(first), path) {
		t.Fatalf("header after the save: %q", first)
	}
}

// The quit dialog's "save settings and quit" writes the settings and quits;
// a value validation rejects is refused: the wizard stays and shows why.
func TestQuitDialogSavesSettingsAndQuits(t *testing.T) {
	cfgPath, open := settingsFile(t, exampleYAML)
	m := newModel(t, "", 80, 24, open)
	press(t, m, "enter", "pgdown", "pgdown")
	typeText(t, m, ";")
	press(t, m, "ctrl+c")
	if !strings.Contains(screenText(m), "save settings and quit") || !strings.Contains(screenText(m), "quit without saving") {
		t.Fatalf("quit dialog:\n%s", screenText(m))
	}
	press(t, m, "s")
	if m.quitting || m.save.Last() != nil { // refused before anything runs (save.SettingsRefusal)
		t.Fatalf("a rejected value: quitting %v\n%s", m.quitting, screenText(m))
	}
	if strings.Contains(readText(t, cfgPath), ";") || !strings.Contains(screenText(m), "not quitting") {
		t.Fatalf("written, or not said:\n%s", screenText(m))
	}
	requireFocus(t, m, "Server name") // the wizard stays, on the error's field
	press(t, m, "backspace")
	typeText(t, m, "x")
	press(t, m, "ctrl+c", "esc") // cancelled: still editing
	if m.quitting || m.confirm != nil {
		t.Fatal("esc did not cancel the quit")
	}
	press(t, m, "ctrl+c", "s")
	if !m.quitting || !strings.Contains(readText(t, cfgPath), "artifactory.example.comx") {
		t.Fatalf("save settings and quit: quitting %v\n%s", m.quitting, readText(t, cfgPath))
	}
}

// The review step shows where each choice came from, in app's words.
func TestReviewShowsWhereEachChoiceCameFrom(t *testing.T) {
	m := newModel(t, exampleYAML, 110, 60, mixedOrigins)
	press(t, m, "3")
	screen := screenText(m)
	for _, want := range []string{
		"/srv/nginx/artifactory.conf  remembered in save.target",
		"save.target has no save.link",
		"nginx -t  from --check",
		"[x] on  remembered in save.reload",
		"3  remembered in save.keep",
		"/var/backups/frontdoor  from --backup-dir",
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("review lacks %q", want)
		}
	}
	if t.Failed() {
		t.Fatal(screen)
	}
	if !bytes.Contains([]byte(screen), []byte("Verify")) {
		t.Fatalf("no verify toggle with a reload:\n%s", screen)
	}
}

// With a reload switched on, "Verify" asks app to check after the reload
// that the new configuration serves (Request.Verify); its steps stream with
// the others, and a configuration that does not serve is rolled back.
func TestVerifyAfterReload(t *testing.T) {
	t.Parallel() // the verify waits out doorcheck's settle time (2 s) for a door that never answers
	dir := t.TempDir()
	target := filepath.Join(dir, "artifactory.conf")
	// Nothing listens on the HTTP port: the new configuration "does not serve".
	yaml := strings.NewReplacer("port: 80, redirectToHttps: true", "port: 1, redirectToHttps: false", "https: {enabled: true", "https: {enabled: false").Replace(exampleYAML)
	m := newModel(t, yaml, 80, 24, func(o *Options) {
		o.ConfigPath = filepath.Join(dir, "frontdoor.yaml")
		o.Target = func(string) install.Target {
			return install.Target{Path: target, CheckCmd: []string{"true"}, ReloadCmd: []string{"true"}}
		}
	})
	press(t, m, "3", "up", "up", "up")
	requireFocus(t, m, "Reload")
	if strings.Contains(screenText(m), "  Verify  ") {
		t.Fatalf("verify offered without a reload:\n%s", screenText(m))
	}
	press(t, m, "space", "down", "down")
	requireFocus(t, m, "Verify")
	press(t, m, "space", "ctrl+s")
	rep := m.save.Last()
	if rep == nil || rep.Verify == nil || rep.Verify.Serving() || rep.Saved() || rep.ExitCode() != 1 {
		t.Fatalf("verify: %+v\n%s", rep, rep)
	}
	verifySteps := 0
	for _, s := range m.save.Live() {
		if s.Kind == app.StepVerify {
			verifySteps++
		}
	}
	if verifySteps == 0 || len(m.save.Live()) != len(rep.Steps) {
		t.Fatalf("%d verify steps streamed, %d steps streamed, %d in the report", verifySteps, len(m.save.Live()), len(rep.Steps))
	}
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Fatal("the configuration that did not serve is still in place")
	}
	if !strings.Contains(screenText(m), "NOT serving") {
		t.Fatalf("the headline does not say it:\n%s", screenText(m))
	}
	if res := m.result(); res.Last != rep || res.Target != "" {
		t.Fatalf("the last words would not tell the rolled-back verify: %+v", res)
	}
}

// The LDAP screen's save goes through the same pipeline: a file changed on
// disk opens the same dialog, and merge keeps both.
func TestLDAPSaveMeetsAnOutsideChange(t *testing.T) {
	cfgPath, open := settingsFile(t, "# the admin's words\n"+exampleYAML)
	m := newModel(t, "", 80, 24, open)
	press(t, m, "2")
	m.doc.EditLDAP(func(c *ldapcheck.Config) { c.Settings[0].Search.Filter = "(sAMAccountName={0})" })
	theirs := strings.Replace(readText(t, cfgPath), "serverName: artifactory.example.com", "serverName: theirs.example.com # Ann", 1)
	if err := os.WriteFile(cfgPath, []byte(theirs), 0o644); err != nil {
		t.Fatal(err)
	}
	send(t, m, m.ldap.Save()())
	if m.confirm == nil || !strings.Contains(screenText(m), "proxy.serverName: artifactory.example.com → theirs.example.com") {
		t.Fatalf("no conflict dialog:\n%s", screenText(m))
	}
	press(t, m, "m")
	text := readText(t, cfgPath)
	for _, want := range []string{"# the admin's words", "theirs.example.com # Ann", "(sAMAccountName={0})"} {
		if !strings.Contains(text, want) {
			t.Errorf("frontdoor.yaml lacks %q:\n%s", want, text)
		}
	}
	if m.doc.LDAPDirty() || settings(m).ServerName != "theirs.example.com" {
		t.Fatalf("after the merge: LDAP dirty %v, server name %q", m.doc.LDAPDirty(), settings(m).ServerName)
	}
}
