package tui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/config"
	"frontdoor/install"
	"frontdoor/render"
	"frontdoor/tui/common"
	"frontdoor/tui/pages/proxy"
)

// Saves through install.Save into real directories.

// A save through install.Save into a real directory: the snippet, the
// backup of what was there, and frontdoor.yaml.
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
	cfgPath := filepath.Join(dir, "frontdoor.yaml")
	m := newModel(t, exampleYAML, 160, 48, func(o *Options) {
		o.ConfigPath = cfgPath
		o.ReadFile = proxy.ReadFileCapped
		o.Target = func(string) install.Target { return install.Target{Path: target, CheckCmd: []string{"true"}} }
	})
	press(t, m, "enter", "pgdown", "pgdown")
	typeText(t, m, "x") // artifactory.example.comx
	press(t, m, "ctrl+s", "ctrl+s")
	if m.save.Last() == nil || !m.save.Last().Saved() {
		t.Fatalf("not saved:\n%s", screenText(m))
	}
	want, _ := render.Render(settings(m))
	if got, _ := os.ReadFile(target); string(got) != string(want) {
		t.Fatalf("target holds:\n%s", got)
	}
	if got, _ := os.ReadFile(m.save.Last().Report.Backup); string(got) != string(old) {
		t.Fatalf("backup %s holds %q", m.save.Last().Report.Backup, got)
	}
	f, _, err := config.Load(cfgPath, true)
	if err != nil || f.Proxy.ServerName != "artifactory.example.comx" || len(f.LDAP.Settings) != 1 {
		t.Fatalf("frontdoor.yaml: %v %+v", err, f)
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
	if m.save.Last() == nil || m.save.Last().Saved() || !m.save.Last().Report.RolledBack {
		t.Fatalf("want a rolled-back save:\n%s", screenText(m))
	}
	if got, _ := os.ReadFile(target); string(got) != string(old) {
		t.Fatalf("target after rollback: %q", got)
	}
	if _, err := os.Stat(cfgPath); !os.IsNotExist(err) {
		t.Fatalf("frontdoor.yaml written after a failed check: %v", err)
	}
	if !m.doc.ProxyDirty() || !strings.Contains(screenText(m), "check failed: rolled back") {
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
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "frontdoor.yaml")
	original := []byte("# my comments stay\n" + exampleYAML)
	if err := os.WriteFile(cfgPath, original, 0o644); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "artifactory.conf")
	m := newModel(t, string(original), 80, 24, func(o *Options) {
		o.ConfigPath = cfgPath
		o.Target = func(string) install.Target { return install.Target{Path: target} }
	})
	press(t, m, "3", "ctrl+s")
	if m.save.Last() == nil || !m.save.Last().Saved() || !m.save.Last().ConfigUnchanged {
		t.Fatalf("save: %+v\n%s", m.save.Last(), screenText(m))
	}
	if got, _ := os.ReadFile(cfgPath); !bytes.Equal(got, original) {
		t.Fatalf("frontdoor.yaml rewritten:\n%s", got)
	}
}
