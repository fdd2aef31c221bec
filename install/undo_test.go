package install

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestUndo: a settled save taken back (the save pipeline's verify found the
// new configuration not serving): the previous version restored through a
// save, or a created file removed (kept as a backup), the link the save
// created removed, then check and reload; a file changed since the save, or
// a save that changed nothing, is left alone.
func TestUndo(t *testing.T) {
	old, bad := []byte("# the serving version\n"), []byte("# the version that does not serve\n")
	tests := []struct {
		name      string
		previous  bool   // a file before the save
		linked    bool   // the link existed before the save
		content   []byte // what the save installs (default bad)
		editAfter bool   // someone edits the file between the save and the undo
		wantErr   error
		wantFile  []byte // nil: no file
		wantLink  bool
		headline  string
	}{
		{name: "replaced: the previous version back, checked, reloaded", previous: true, linked: true,
			wantFile: old, wantLink: true, headline: "restored .artifactory.conf.frontdoor-bak."},
		{name: "created: removed with its link, checked, reloaded",
			headline: "removed artifactory.conf and checked, reloaded"},
		{name: "replaced and enabled by the save: the link goes too", previous: true,
			wantFile: old, headline: "restored "},
		{name: "edited since the save: left alone", previous: true, linked: true, editAfter: true,
			wantErr: ErrNotUndone, wantFile: []byte("# someone's edit\n"), wantLink: true},
		{name: "unchanged by the save: nothing to take back", previous: true, linked: true, content: old,
			wantErr: ErrNotUndone, wantFile: old, wantLink: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, file, link := debianTree(t)
			if tt.previous {
				writeFile(t, file, old, 0o640)
			}
			if tt.linked {
				symlink(t, "../sites-available/"+FileName, link)
			}
			content := tt.content
			if content == nil {
				content = bad
			}
			reloaded := filepath.Join(root, "reloaded")
			p := Plan{Target: file, Content: content, EnableLink: link, CheckCmd: []string{"true"},
				ReloadCmd: []string{"touch", reloaded}, now: clock(time.Date(2026, 11, 27, 3, 15, 0, 0, time.UTC), time.Second)}
			last, err := Save(context.Background(), p)
			if err != nil || !last.Saved {
				t.Fatalf("save: %v\n%s", err, last)
			}
			os.Remove(reloaded)
			if tt.editAfter {
				writeFile(t, file, []byte("# someone's edit\n"), 0o640)
			}
			var streamed []Step
			p.Progress = func(s Step) {
				if !s.Running() {
					streamed = append(streamed, s)
				}
			}
			rep, err := Undo(context.Background(), p, last)
			t.Logf("%s", rep)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			if len(streamed) != len(rep.Steps) {
				t.Errorf("%d steps streamed, %d in the report", len(streamed), len(rep.Steps))
			}
			if tt.wantFile == nil {
				assertMissing(t, file)
			} else {
				got, _ := os.ReadFile(file)
				if string(got) != string(tt.wantFile) {
					t.Errorf("file holds %q, want %q", got, tt.wantFile)
				}
			}
			if _, err := os.Lstat(link); (err == nil) != tt.wantLink {
				t.Errorf("link there = %v, want %v", err == nil, tt.wantLink)
			}
			if _, err := os.Stat(reloaded); (err == nil) != (tt.wantErr == nil) {
				t.Errorf("reloaded = %v, want %v", err == nil, tt.wantErr == nil)
			}
			if tt.wantErr == nil {
				// The version taken back is the newest backup: nothing is lost.
				list, _ := Backups(file, "")
				if len(list) == 0 {
					t.Fatal("no backup of the version taken back")
				}
				if got, _ := os.ReadFile(list[0].Path); string(got) != string(content) {
					t.Errorf("newest backup holds %q, want the version taken back", got)
				}
				if !strings.HasPrefix(rep.Headline(), tt.headline) {
					t.Errorf("headline %q, want %q…", rep.Headline(), tt.headline)
				}
			}
			assertNoScratch(t, filepath.Dir(file))
		})
	}
}

// A check that fails after the undo (the rest of the configuration is
// broken) is reported and nothing is reloaded.
func TestUndoCheckFails(t *testing.T) {
	root, file, link := debianTree(t)
	reloaded := filepath.Join(root, "reloaded")
	p := Plan{Target: file, Content: []byte("new\n"), EnableLink: link, CheckCmd: []string{"true"}}
	last, err := Save(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	p.CheckCmd, p.ReloadCmd = []string{"false"}, []string{"touch", reloaded}
	rep, err := Undo(context.Background(), p, last)
	if !errors.Is(err, ErrCheckFailed) || !strings.Contains(err.Error(), "the file is removed, not reloaded") {
		t.Fatalf("err %v\n%s", err, rep)
	}
	assertMissing(t, file)
	assertMissing(t, reloaded)
}

// A save that took over an interrupted one (its content already in place,
// never checked) is the change from the file before that save: Undo puts
// that file back, rather than calling the save "unchanged".
func TestUndoOfATakeover(t *testing.T) {
	_, file, link := debianTree(t)
	old, interrupted := []byte("# before the interrupted save\n"), []byte("# the interrupted save's\n")
	writeFile(t, file, old, 0o640)
	interruptAt(t, Plan{Target: file, Content: interrupted, EnableLink: link, CheckCmd: []string{"true"}}, stageRenamed)
	p := Plan{Target: file, Content: interrupted, EnableLink: link, CheckCmd: []string{"true"}}
	last, err := Save(context.Background(), p)
	if err != nil || !last.Resumed || last.Unchanged {
		t.Fatalf("err %v resumed %v unchanged %v\n%s", err, last.Resumed, last.Unchanged, last)
	}
	rep, err := Undo(context.Background(), p, last)
	if err != nil {
		t.Fatalf("%v\n%s", err, rep)
	}
	assertFile(t, file, old, 0o640)
}
