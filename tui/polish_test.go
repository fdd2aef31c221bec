package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// What the second new-user trial found to polish: the import's words by
// case and notes that go stale, the report's room at 80x24.

// --config naming a configuration that is not the save target: the offer
// says the file stays and would serve the same name (not "saving keeps
// the old file as a backup", which is said of the target).
func TestImportOfferWordedByCase(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "old.conf")
	if err := os.WriteFile(conf, handMade(t), 0o644); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, exampleYAML, 120, 40, func(o *Options) { o.Import = conf })
	if m.confirm == nil {
		t.Fatalf("no offer:\n%s", screenText(m))
	}
	if d := m.confirm.Detail; strings.Contains(d, "keeps the old file as a backup") || !strings.Contains(d, "this file stays in place and would serve the same name too") {
		t.Fatalf("the offer for --config old.conf: %s", d)
	}
	_, _, opt := importTarget(t)
	m = newModel(t, exampleYAML, 120, 40, opt)
	if m.confirm == nil || !strings.Contains(m.confirm.Detail, "Saving replaces it and keeps the old file as a backup") {
		t.Fatalf("the offer for the save target:\n%s", screenText(m))
	}
}

// The import panel's notes are about the settings now: "names no
// repository keys" goes once a key is added, "N changes when saved" once
// the save replaced the file.
func TestImportNotesFollowTheSettings(t *testing.T) {
	_, _, opt := importTarget(t)
	m := newModel(t, exampleYAML, 120, 40, opt)
	press(t, m, "i")
	m.imp.Result().DockerKeysUnknown = true // as for a subdomain configuration naming no keys
	m.imp.Result().Notes = append(m.imp.Result().Notes, "the Docker subdomain method takes the repository from the request: the configuration names no repository keys; add the keys Docker clients use")
	m.imp.Changed()
	if n := len(settings(m).Docker.Repositories); n > 0 {
		flat := strings.Join(strings.Fields(screenText(m)), " ")
		if strings.Contains(flat, "names no repository keys") || strings.Contains(flat, "keys are not in the configuration") {
			t.Fatalf("the note about no keys stays with %d keys:\n%s", n, screenText(m))
		}
	}
	if !strings.Contains(screenText(m), "when saved") {
		t.Fatalf("no count of the changes before the save:\n%s", screenText(m))
	}
	press(t, m, "ctrl+s")
	if rep := m.save.Last(); rep == nil || !rep.Saved() {
		t.Fatalf("not saved:\n%s", screenText(m))
	}
	if s := screenText(m); strings.Contains(s, "when saved") || !strings.Contains(s, "saved: the old file is a backup") {
		t.Fatalf("the import title after the save:\n%s", s)
	}
}

// At 80x24 the review step keeps room for its fields and notes once the
// user is back in them after a save: the report keeps a third, the
// outcome in its title; a failed save's report first gets two thirds.
func TestReviewFieldsKeepRoomBesideTheReport(t *testing.T) {
	dir := t.TempDir()
	m := newModel(t, exampleYAML, 80, 24, passingTarget(dir), func(o *Options) { o.ConfigPath = filepath.Join(dir, "frontdoor.yaml") })
	press(t, m, "3", "ctrl+s")
	if rep := m.save.Last(); rep == nil || !rep.Saved() {
		t.Fatalf("not saved:\n%s", screenText(m))
	}
	fieldsShown := func() int {
		n := 0
		for _, label := range []string{"Target", "Enable link", "Check", "Reload", "Backups kept", "Backup dir", "[ Save ]"} {
			if strings.Contains(screenText(m), "  "+label) || strings.Contains(screenText(m), label) {
				n++
			}
		}
		return n
	}
	big := fieldsShown()
	press(t, m, "up") // back in the fields
	if after := fieldsShown(); after <= big || !strings.Contains(screenText(m), "Last save ✓") {
		t.Fatalf("fields shown: %d with the report just in, %d back in the fields:\n%s", big, after, screenText(m))
	}
}
