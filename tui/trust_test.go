package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/app"
	"frontdoor/config"
	"frontdoor/install"
	"frontdoor/ldapcheck"
	"frontdoor/tui/pages/save"
)

// What the second new-user trial found about trusting a save: undo after
// "reload (take theirs)", the example's placeholder LDAP directory.

// passingTarget saves into dir with a check that passes.
func passingTarget(dir string) modelOption {
	target := filepath.Join(dir, "artifactory.conf")
	return func(o *Options) {
		o.Target = func(string) install.Target { return install.Target{Path: target, CheckCmd: []string{"true"}} }
	}
}

// The tester's walk: edit the server name; a colleague changes
// artifactoryPort 18081 → 18084; ctrl+s, r (take theirs); ctrl+z brings
// the edit back over THEIR file (18084 stays), and the next save writes
// both without a dialog. It showed 18081 and the save silently reverted
// the colleague's change.
func TestUndoAfterReloadKeepsTheirChange(t *testing.T) {
	yaml := strings.Replace(exampleYAML, "artifactoryPort: 8081", "artifactoryPort: 18081", 1)
	cfgPath, open := settingsFile(t, yaml)
	m := newModel(t, "", 80, 24, open, passingTarget(t.TempDir()))
	press(t, m, "enter", "pgdown", "pgdown")
	requireFocus(t, m, "Server name")
	typeText(t, m, "x")
	theirs := strings.Replace(readText(t, cfgPath), "artifactoryPort: 18081", "artifactoryPort: 18084", 1)
	if err := os.WriteFile(cfgPath, []byte(theirs), 0o644); err != nil {
		t.Fatal(err)
	}
	press(t, m, "ctrl+s", "ctrl+s")
	if m.confirm == nil {
		t.Fatalf("no conflict dialog:\n%s", screenText(m))
	}
	press(t, m, "r")
	if s := settings(m); s.ArtifactoryPort != 18084 || s.ServerName != "artifactory.example.com" {
		t.Fatalf("after reload: port %d, name %q", s.ArtifactoryPort, s.ServerName)
	}
	if st := m.status.String(); !strings.Contains(st, "ctrl+z puts them back on top of it") {
		t.Fatalf("the status does not say what ctrl+z does now: %q", st)
	}
	press(t, m, "ctrl+z")
	if s := settings(m); s.ArtifactoryPort != 18084 || s.ServerName != "artifactory.example.comx" {
		t.Fatalf("undo after reload: port %d (their 18084 must stay), name %q (the edit comes back)", s.ArtifactoryPort, s.ServerName)
	}
	press(t, m, "ctrl+s")
	if m.confirm != nil {
		t.Fatalf("a dialog after undo:\n%s", screenText(m))
	}
	f, err := config.Parse([]byte(readText(t, cfgPath)))
	if err != nil || f.Proxy.ArtifactoryPort != 18084 || f.Proxy.ServerName != "artifactory.example.comx" {
		t.Fatalf("frontdoor.yaml after the save (want 18084 and the edit): %v\n%s", err, readText(t, cfgPath))
	}
}

// The built-in example's LDAP directory (ldap.example.com, corp-groups) is a
// placeholder: a save of an example-started session leaves it out until
// the user edits it; the home screen and the LDAP list say so; it is no
// unsaved change. Once edited, it is written.
func TestExampleLDAPIsNotWrittenUntilEdited(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "frontdoor.yaml")
	m := newModel(t, "", 80, 24, passingTarget(dir), func(o *Options) {
		o.Doc, o.File = openDoc(t, cfgPath, false), nil
	})
	if len(m.doc.File.LDAP.Settings) == 0 || !m.doc.LDAPPlaceholder() || m.doc.Dirty() {
		t.Fatalf("the example's LDAP: %+v placeholder %v dirty %v", m.doc.File.LDAP, m.doc.LDAPPlaceholder(), m.doc.Dirty())
	}
	if !strings.Contains(screenText(m), "not saved until edited") {
		t.Fatalf("home does not say the LDAP settings are the example's:\n%s", screenText(m))
	}
	press(t, m, "3", "ctrl+s")
	text := readText(t, cfgPath)
	for _, fake := range []string{"ldap.example.com", "corp-groups", "ldap:"} {
		if strings.Contains(text, fake) {
			t.Fatalf("the example's %q was written:\n%s", fake, text)
		}
	}
	if !strings.Contains(text, "artifactory.example.com") {
		t.Fatalf("the proxy settings saved on purpose are missing:\n%s", text)
	}
	if m.doc.Dirty() {
		t.Fatal("the untouched placeholder counts as an unsaved change after the save")
	}
	// The report says what the file got, and what it did not.
	if rep := m.save.Last(); rep == nil || !strings.Contains(rep.String(), "LDAP directory (ldap.example.com) was left out of frontdoor.yaml") {
		t.Fatalf("the report does not say the example's LDAP was left out:\n%v", rep)
	}
	press(t, m, "esc", "esc", "esc", "esc", "esc", "esc", "2")
	if !strings.Contains(strings.Join(strings.Fields(screenText(m)), " "), "a save leaves it out of the settings file") {
		t.Fatalf("the LDAP list does not say the settings are the example's:\n%s", screenText(m))
	}
	// Edited, it is the user's: written by the next save.
	m.doc.Checkpoint(0, "", "")
	m.doc.EditLDAP(func(c *ldapcheck.Config) { c.Settings[0].URL = "ldap://dir.corp.test:389/dc=corp,dc=test" })
	if m.doc.LDAPPlaceholder() || !m.doc.LDAPDirty() {
		t.Fatal("an edited LDAP section is still the placeholder")
	}
	run(t, m, m.save.Begin(save.Job{Op: app.OpSettings, Req: save.Request(m.doc)}))
	if text := readText(t, cfgPath); !strings.Contains(text, "dir.corp.test") || !strings.Contains(text, "corp-groups") {
		t.Fatalf("the edited LDAP section was not written:\n%s", text)
	}
}

// The layout's notes are the machine's now: resolved again when the review
// step opens and at each save (in a command), not kept from the start. The
// tester created conf.d and the import after starting, and the save report
// still said "conf.d does not exist" under "unchanged and checked".
func TestTargetNotesFollowTheMachine(t *testing.T) {
	root := t.TempDir()
	caddyDir := filepath.Join(root, "etc/caddy")
	if err := os.MkdirAll(caddyDir, 0o755); err != nil {
		t.Fatal(err)
	}
	yaml := strings.Replace(exampleYAML, "provider: nginx", "provider: caddy", 1)
	m := newModel(t, yaml, 160, 48, func(o *Options) {
		o.Target = nil // app.Resolve under the root, as the command does
		o.ConfigPath = filepath.Join(t.TempDir(), "frontdoor.yaml")
		o.Flags = app.Flags{Root: app.Flag[string]{Value: root, Given: true}, Check: app.Flag[string]{Value: "true", Given: true}}
	})
	const missing = "conf.d does not exist"
	press(t, m, "3")
	if !strings.Contains(screenText(m), missing) {
		t.Fatalf("the review step does not say %q:\n%s", missing, screenText(m))
	}
	// The admin creates conf.d and the import; the review step, opened
	// again, says no more of it.
	if err := os.MkdirAll(filepath.Join(caddyDir, "conf.d"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(caddyDir, "Caddyfile"), []byte("import conf.d/*.caddyfile\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	press(t, m, "esc", "pgdown")
	if s := screenText(m); strings.Contains(s, missing) || strings.Contains(s, "does not import") {
		t.Fatalf("the review step keeps a note from the start:\n%s", s)
	}
	// Gone again before a save: the save's report says so, though the
	// review step was not opened again.
	if err := os.RemoveAll(filepath.Join(caddyDir, "conf.d")); err != nil {
		t.Fatal(err)
	}
	press(t, m, "ctrl+s")
	rep := m.save.Last()
	if rep == nil || !strings.Contains(rep.String(), missing) {
		t.Fatalf("the save did not resolve the target again:\n%v", rep)
	}
	// And back: the next save says nothing of it.
	if err := os.MkdirAll(filepath.Join(caddyDir, "conf.d"), 0o755); err != nil {
		t.Fatal(err)
	}
	press(t, m, "ctrl+s")
	if rep := m.save.Last(); strings.Contains(rep.String(), missing) || strings.Contains(screenText(m), missing) {
		t.Fatalf("a note from an earlier save stays:\n%s\n%s", rep, screenText(m))
	}
}

// tui.Result.Last is the session's last save whatever came of it: after a
// save that installed, one that was rolled back, and quitting without
// saving, the last words are told of the rolled-back one (and of the
// earlier install, and of the dropped changes).
func TestResultLastIsTheLastSave(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "artifactory.conf")
	check := "true"
	m := newModel(t, exampleYAML, 80, 24, func(o *Options) {
		o.ConfigPath = filepath.Join(dir, "frontdoor.yaml")
		o.Target = func(string) install.Target {
			return install.Target{Path: target, CheckCmd: []string{check}}
		}
	})
	press(t, m, "3", "ctrl+s")
	good := m.save.Last()
	if good == nil || !good.Saved() {
		t.Fatalf("first save: %v", good)
	}
	check = "false" // the layout is resolved again at the save: its check fails now
	press(t, m, "up", "up", "up", "up", "up", "up", "up")
	requireFocus(t, m, "Target")
	press(t, m, "esc", "esc", "esc", "esc")
	typeText(t, m, "x") // an edit, so the save has something new to install
	press(t, m, "ctrl+s", "ctrl+s")
	failed := m.save.Last()
	if failed == nil || failed == good || failed.Saved() {
		t.Fatalf("second save: %v", failed)
	}
	press(t, m, "ctrl+c")
	if m.confirm == nil {
		t.Fatalf("no unsaved-changes dialog:\n%s", screenText(m))
	}
	press(t, m, "q")
	res := m.result()
	if res.Last != failed || res.Target != good.Installed() || !res.Dropped {
		t.Fatalf("result: Last %v (want the rolled-back save), Target %q, Dropped %v", res.Last, res.Target, res.Dropped)
	}
}

// A provider whose settings have errors has no snippet: the preview says
// so, titles the snippet it keeps as the last valid one and of which
// provider, marks none of its lines for the focused field, and y copies
// nothing (it showed an nginx snippet under the new provider's title, with
// ▍ marks, and y copied it).
func TestPreviewOfAnInvalidProviderIsNotTheLastOne(t *testing.T) {
	m := newModel(t, portsYAML, 160, 48)
	press(t, m, "enter", "right", "right", "right", "right") // nginx, apache, haproxy, caddy, then Kubernetes Ingress: no ports method
	if p := settings(m).Provider; p != "kubernetes-ingress" {
		t.Skipf("the chooser's fifth provider is %s", p)
	}
	pv := m.proxy.Preview()
	if !pv.Stale || !pv.Have {
		t.Fatalf("want the last valid snippet kept as stale: %+v", pv)
	}
	screen := screenText(m)
	for _, want := range []string{"Preview · last valid: caddy snippet", "no current snippet: fix the"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the preview does not say %q:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "▍") {
		t.Errorf("marks on the last valid snippet's lines:\n%s", screen)
	}
	press(t, m, "ctrl+p")
	_, cmd := m.Update(keyPress("y"))
	if cmd != nil {
		if msg := cmd(); msg != nil {
			t.Fatalf("y copied the stale snippet: %#v", msg)
		}
	}
}

// "Save settings only" writes frontdoor.yaml alone: the report says when the
// snippet at the target is not what these settings render (nothing there
// yet, or an older one), and says nothing when it is.
func TestSettingsOnlySaysTheSnippetIsOlder(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "artifactory.conf")
	cfgPath, open := settingsFile(t, exampleYAML)
	m := newModel(t, "", 80, 24, open, passingTarget(dir))
	settingsOnly := func() string {
		t.Helper()
		run(t, m, m.proxy.SaveSettingsOnly())
		rep := m.save.Last()
		if rep == nil || rep.Op != app.OpSettings || rep.Err != nil {
			t.Fatalf("settings only: %v", rep)
		}
		return rep.String()
	}
	if r := settingsOnly(); !strings.Contains(r, "nothing is installed at "+target+" yet: Save installs the snippet") {
		t.Fatalf("no word of the missing snippet:\n%s", r)
	}
	press(t, m, "3", "ctrl+s")
	if rep := m.save.Last(); rep == nil || !rep.Saved() {
		t.Fatalf("not saved: %v", rep)
	}
	if r := settingsOnly(); strings.Contains(r, target+" is older") || strings.Contains(r, "nothing is installed") {
		t.Fatalf("the snippet is what the settings render, yet:\n%s", r)
	}
	press(t, m, "esc", "esc", "esc")
	requireFocus(t, m, "Server name")
	typeText(t, m, "x")
	r := settingsOnly()
	want := "the installed snippet at " + target + " is older than these settings: Save installs them"
	if !strings.Contains(r, want) {
		t.Fatalf("the report lacks %q:\n%s", want, r)
	}
	if f, err := config.Parse([]byte(readText(t, cfgPath))); err != nil || f.Proxy.ServerName != "artifactory.example.comx" {
		t.Fatalf("the settings were not written: %v", err)
	}
}

// Result.Last, the last words main prints, tells every outcome of the
// session's last save: a settings-only save, a save stopped by a settings
// file changed on disk and left unresolved (esc), and a save after it.
func TestResultTellsEveryLastSave(t *testing.T) {
	dir := t.TempDir()
	cfgPath, open := settingsFile(t, exampleYAML)
	m := newModel(t, "", 80, 24, open, passingTarget(dir))
	if res := m.result(); res.Last != nil || res.Saved {
		t.Fatalf("no save yet, but %+v", res)
	}
	run(t, m, m.proxy.SaveSettingsOnly())
	if res := m.result(); res.Last == nil || res.Last.Op != app.OpSettings || !res.Saved || res.Target != "" {
		t.Fatalf("settings only: %+v", res)
	}
	press(t, m, "3", "esc", "esc", "esc")
	requireFocus(t, m, "Server name")
	typeText(t, m, "x")
	theirs := strings.Replace(readText(t, cfgPath), "routerPort: 8082", "routerPort: 8092", 1)
	if err := os.WriteFile(cfgPath, []byte(theirs), 0o644); err != nil {
		t.Fatal(err)
	}
	press(t, m, "ctrl+s", "ctrl+s")
	if m.confirm == nil {
		t.Fatalf("no conflict dialog:\n%s", screenText(m))
	}
	press(t, m, "esc")
	res := m.result()
	if res.Last == nil || res.Last.Conflict == nil || !strings.Contains(res.Last.Headline(), "not saved") {
		t.Fatalf("the conflict left unresolved is not the last save: %+v", res.Last)
	}
	press(t, m, "ctrl+s", "o")
	if res := m.result(); res.Last == nil || !res.Last.Saved() || res.Target == "" {
		t.Fatalf("the save over their change: %+v", res)
	}
}

// A colleague's change of layout only (a tab, spaces at the end of a line)
// is a line diff in the conflict dialog: the whitespace is marked, so the
// "changed" lines do not look the same.
func TestConflictDiffShowsWhitespace(t *testing.T) {
	cfgPath, open := settingsFile(t, exampleYAML)
	m := newModel(t, "", 160, 60, open, passingTarget(t.TempDir()))
	press(t, m, "enter", "pgdown", "pgdown")
	typeText(t, m, "x")
	theirs := strings.Replace(readText(t, cfgPath), "  routerPort: 8082", "  routerPort: 8082   ", 1)
	theirs = strings.Replace(theirs, "proxy:", "proxy:\t", 1)
	if err := os.WriteFile(cfgPath, []byte(theirs), 0o644); err != nil {
		t.Fatal(err)
	}
	press(t, m, "ctrl+s", "ctrl+s")
	if m.confirm == nil {
		t.Fatalf("no conflict dialog:\n%s", screenText(m))
	}
	got := strings.Join(save.ConflictLines(m.save.Conflict()), "\n")
	for _, want := range []string{"+  routerPort: 8082···", "+proxy:→", "(→ a tab, · a space at the end of a line)"} {
		if !strings.Contains(got, want) {
			t.Errorf("the dialog's diff lacks %q:\n%s", want, got)
		}
	}
	if !strings.Contains(screenText(m), "8082···") {
		t.Errorf("the dialog does not show the marks:\n%s", screenText(m))
	}
}
