package app

import (
	"context"
	"strings"
	"testing"
)

// A restore's report: the header of the backups says why there is one more
// than the number kept (the one restored from is never removed), and the
// printed restore command is a save's, --config included (RestoreCommand,
// one builder for both).
func TestRestoreReportBackupsAndCommand(t *testing.T) {
	root, _, _ := layoutRoot(t, "nginx")
	checked := "test -d " + root
	settings, doc := settingsFile(t, plainHTTP)
	var saved Report
	for _, name := range []string{"v1.example.com", "v2.example.com"} {
		_, d := settingsFile(t, strings.Replace(plainHTTP, "artifactory.example.com", name, 1))
		if saved = Save(context.Background(), request(t, d, Flags{Root: Given(root), Check: Given(checked), Keep: Given(1)})); saved.ExitCode() != 0 {
			t.Fatalf("%s:\n%s", name, saved)
		}
	}
	tgt, err := ResolveRestore(doc, Flags{Root: Given(root), Keep: Given(1)})
	if err != nil {
		t.Fatal(err)
	}
	tgt.Check = Setting[string]{checked, OriginDetected} // as nginx -t would be: the settings file says which server
	rep := RestoreSettings(context.Background(), tgt, doc, "", nil)
	if rep.ExitCode() != 0 {
		t.Fatalf("exit %d:\n%s", rep.ExitCode(), rep)
	}
	out := rep.String()
	if !strings.Contains(out, "backups kept (newest first, up to 1; the one restored from is kept too):") || len(rep.Install.Backups) != 2 {
		t.Errorf("the backups' header does not say why %d are listed:\n%s", len(rep.Install.Backups), out)
	}
	if want := "restore one: frontdoor restore --config " + settings + " --to "; !strings.Contains(out, want) {
		t.Errorf("the restore command lacks the settings file, want %q in:\n%s", want, out)
	}
	saved.Target.Check.Origin, saved.Document, saved.SettingsFile = OriginDetected, doc, settings
	if s, r := saved.RestoreCommand(rep.Install.Backups[0]), rep.RestoreCommand(rep.Install.Backups[0]); s != r {
		t.Errorf("a save and a restore print different restore commands:\n%s\n%s", s, r)
	}
	if out := saved.String(); strings.Contains(out, "restored from") {
		t.Errorf("a save's header speaks of a restore:\n%s", out)
	}
}
