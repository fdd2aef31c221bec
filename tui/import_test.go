package tui

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"frontdoor/importer"
	"frontdoor/importer/semantic"
	"frontdoor/install"
	"frontdoor/internal/servertest"
	"frontdoor/render"
)

// handMade is an nginx configuration an admin wrote by hand: Artifactory
// 7 behind nginx, with a health check of their own that frontdoor's
// settings cannot express.
// handMadePath holds it: a relative path, so the goldens are fixed.
const handMadePath = "testdata/import/artifactory.conf"

func handMade(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(handMadePath)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// importTarget is a save target that holds handMade; the check is a
// program that passes, so a save goes through.
func importTarget(t *testing.T) (dir, target string, opt modelOption) {
	t.Helper()
	// Not t.TempDir, whose path holds the test's name: how much of the
	// import report fits on the screen must not depend on that, nor on
	// where TMPDIR is.
	dir = servertest.TempDir(t)
	target = filepath.Join(dir, "artifactory.conf")
	if err := os.WriteFile(target, handMade(t), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, target, func(o *Options) {
		o.ConfigPath = filepath.Join(dir, "frontdoor.yaml")
		o.Target = func(string) install.Target { return install.Target{Path: target, CheckCmd: []string{"true"}} }
		o.ImportCandidate = importer.Candidate
	}
}

// The save target holds a configuration frontdoor did not write: the
// wizard offers to import it; importing replaces the HTTP settings (ctrl+z
// brings them back), the review step shows what was not mapped (file:line)
// and what will change, and the save keeps the old file as a backup.
func TestImportOfferedForTheTarget(t *testing.T) {
	_, target, opt := importTarget(t)
	m := newModel(t, exampleYAML, 120, 40, opt)
	if m.confirm == nil || !strings.Contains(screenText(m), "Import the existing nginx configuration?") {
		t.Fatalf("no offer to import the target:\n%s", screenText(m))
	}
	press(t, m, "i")
	if got := settings(m).ServerName; got != "repo.example.com" {
		t.Fatalf("server name %q after the import:\n%s", got, screenText(m))
	}
	screen := screenText(m)
	for _, want := range []string{"From " + target + " (nginx)", "Not mapped", target + ":18", "What changes"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the review step does not show %q:\n%s", want, screen)
		}
	}
	// The diff follows the edits.
	before := fmt.Sprint(changes(m))
	press(t, m, "pgup", "pgup", "pgup") // to Name & TLS
	press(t, m, "ctrl+u")
	typeText(t, m, "new.example.com")
	press(t, m, "pgdown", "pgdown", "pgdown")
	if fmt.Sprint(changes(m)) == before || !strings.Contains(fmt.Sprint(changes(m)), "new.example.com") {
		t.Errorf("the diff did not follow the edit: %v", changes(m))
	}
	// Saved: the snippet replaces the old file, which is kept as a backup.
	press(t, m, "ctrl+s")
	if rep := m.save.Last(); rep == nil || !rep.Saved() {
		t.Fatalf("not saved:\n%s", screenText(m))
	}
	backups, err := install.Backups(target, "")
	if err != nil || len(backups) != 1 {
		t.Fatalf("backups %v (%v)", backups, err)
	}
	if old, err := os.ReadFile(backups[0].Path); err != nil || !bytes.Equal(old, handMade(t)) {
		t.Errorf("the backup is not the old file: %v\n%s", err, old)
	}
}

// ctrl+z after an import brings the settings back as they were; esc on
// the offer leaves them alone and is not asked again.
func TestImportUndoAndDecline(t *testing.T) {
	_, _, opt := importTarget(t)
	m := newModel(t, exampleYAML, 80, 24, opt)
	press(t, m, "i", "ctrl+z")
	if got := settings(m).ServerName; got != "artifactory.example.com" {
		t.Errorf("server name %q after undoing the import", got)
	}

	m = newModel(t, exampleYAML, 80, 24, opt)
	press(t, m, "esc")
	if m.confirm != nil || settings(m).ServerName != "artifactory.example.com" {
		t.Fatalf("declined, yet:\n%s", screenText(m))
	}
	press(t, m, "3") // the review step: not asked again
	if m.confirm != nil {
		t.Errorf("asked again:\n%s", screenText(m))
	}
}

// A target frontdoor wrote is not offered.
func TestImportNotOfferedForFrontdoorsOwnSnippet(t *testing.T) {
	_, target, opt := importTarget(t)
	if err := os.WriteFile(target, []byte(oldSnippet(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, exampleYAML, 80, 24, opt)
	if m.confirm != nil {
		t.Errorf("offered to import frontdoor's own snippet:\n%s", screenText(m))
	}
}

// --config naming an nginx configuration (Options.Import): offered at
// start, even when the save target is elsewhere; the panel says the file
// stays in place.
func TestImportGivenWithConfig(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "old-artifactory.conf")
	if err := os.WriteFile(conf, handMade(t), 0o644); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, exampleYAML, 120, 40, func(o *Options) { o.Import = conf })
	if !strings.Contains(screenText(m), "given with --config") {
		t.Fatalf("no offer for the --config file:\n%s", screenText(m))
	}
	press(t, m, "enter")
	if !strings.Contains(screenText(m), "stays enabled") {
		t.Errorf("the panel does not say the file stays:\n%s", screenText(m))
	}
}

// Goldens: the offer, and the review step after the import (the target
// is the fixture, by its relative path, so the views are fixed).
func TestImportGoldenScreens(t *testing.T) {
	for _, size := range sizes {
		for _, tc := range []struct {
			name  string
			setup func(t *testing.T, m *Model)
		}{
			{"import_offer", func(*testing.T, *Model) {}},
			{"import_review", func(t *testing.T, m *Model) { press(t, m, "i") }},
			{"import_panel_focused", func(t *testing.T, m *Model) { press(t, m, "i", "ctrl+o") }},
		} {
			t.Run(fmt.Sprintf("%s_%dx%d", tc.name, size[0], size[1]), func(t *testing.T) {
				m := newModel(t, exampleYAML, size[0], size[1], func(o *Options) {
					o.ImportCandidate = importer.Candidate
					o.Target = func(string) install.Target {
						return install.Target{Path: handMadePath, CheckCmd: []string{"nginx", "-t"}}
					}
				})
				tc.setup(t, m)
				golden.RequireEqual(t, screenText(m))
			})
		}
	}
}

// Accessible mode offers the import before the menu and reads out what
// will change and what was not mapped.
func TestAccessibleImportsTheTarget(t *testing.T) {
	dir, target, _ := importTarget(t)
	var out bytes.Buffer
	answers := []string{
		"y", // import it
		"5", // quit: the imported settings are unsaved, so it asks
		"2", // quit without saving
	}
	_, err := RunAccessible(context.Background(), Options{
		File: parseFile(t, exampleYAML), ConfigPath: filepath.Join(dir, "frontdoor.yaml"),
		Target:          func(string) install.Target { return install.Target{Path: target, CheckCmd: []string{"true"}} },
		ImportCandidate: importer.Candidate, Now: func() time.Time { return fixedNow }, LoadCertificates: noCerts, LoadClientCA: noClientCA,
	}, &lineReader{answers}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{
		"Import the existing nginx configuration?",
		"Imported " + target + ": 14 settings mapped, 2 directives not mapped.",
		target + ":18: location = /healthz {...}",
		"What changes (- old only, + new only, ± changed):",
		"Not saved yet: HTTP settings: Server name, Nodes, Certificate, Private key, Method, Repositories.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(text)
	}
}

// An imported configuration whose certificate file is wrong (not PEM, an
// error at import) still shows what changes: the diff needs settings that
// render, and these do; only settings errors stop it.
func TestImportWithABadCertificateFileStillShowsTheDiff(t *testing.T) {
	dir, target, opt := importTarget(t)
	bad := filepath.Join(dir, "repo.pem")
	if err := os.WriteFile(bad, []byte("not a certificate\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	conf := strings.Replace(string(handMade(t)), "/etc/ssl/certs/repo.pem", bad, 1)
	if err := os.WriteFile(target, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, exampleYAML, 120, 40, opt, func(o *Options) { o.LoadCertificates = render.LoadCertificates })
	press(t, m, "i")
	if m.doc.Proxy.Issues.Errors == 0 {
		t.Fatalf("the wizard found no error in %s: the test proves nothing", bad)
	}
	if m.imp.Result() == nil || !m.imp.Result().Findings.HasErrors() {
		t.Fatalf("the import found no error in %s: the test proves nothing", bad)
	}
	if diffErr(m) != nil || len(changes(m)) == 0 || !strings.Contains(screenText(m), "What changes") {
		t.Fatalf("no diff (%v):\n%s", diffErr(m), screenText(m))
	}
	press(t, m, "pgup", "pgup", "pgup") // to Name & TLS: an edit is diffed again
	press(t, m, "ctrl+u")
	typeText(t, m, "new.example.com")
	press(t, m, "pgdown", "pgdown", "pgdown")
	if diffErr(m) != nil || !strings.Contains(fmt.Sprint(changes(m)), "new.example.com") {
		t.Errorf("the diff did not follow the edit (%v): %v", diffErr(m), changes(m))
	}
}

// ctrl+o gives the focus to the import report: the review form's pointer
// goes, so only the report looks focused; ctrl+o again brings it back.
func TestImportReportFocusIsTheOnlyFocus(t *testing.T) {
	_, _, opt := importTarget(t)
	m := newModel(t, exampleYAML, 80, 24, opt)
	press(t, m, "i", "ctrl+o")
	pointers := func() (n int) {
		for _, l := range strings.Split(screenText(m), "\n") {
			if strings.HasPrefix(l, "›") { // the focused thing's pointer, at the left edge

				n++
			}
		}
		return n
	}
	if !m.imp.Focused() || pointers() != 1 || !strings.Contains(screenText(m), "› Import") {
		t.Fatalf("focused %v, %d pointers:\n%s", m.imp.Focused(), pointers(), screenText(m))
	}
	press(t, m, "ctrl+o")
	if m.imp.Focused() || pointers() != 1 || strings.Contains(screenText(m), "› Import") {
		t.Fatalf("back on the form: focused %v, %d pointers:\n%s", m.imp.Focused(), pointers(), screenText(m))
	}
}

// changes are what a save would change, as the import panel last diffed.
func changes(m *Model) []semantic.Change {
	c, _ := m.imp.Changes()
	return c
}

// diffErr is why the import panel does not know what changes (nil: it does).
func diffErr(m *Model) error {
	_, err := m.imp.Changes()
	return err
}
