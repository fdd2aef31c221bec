package install

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

var (
	oldContent = []byte("# hand-written by the admin\nserver { listen 8080; }\n")
	newContent = []byte("# frontdoor\nserver { listen 8081; }\n")
)

func TestSave(t *testing.T) {
	type setup struct {
		previous   bool // a file with oldContent (mode 0640) is at the target
		linked     bool // the enable link already exists
		viaSymlink bool // the plan targets the enable link instead of the file
	}
	tests := []struct {
		name    string
		setup   setup
		content []byte
		check   []string
		chosen  bool // Plan.CheckRequired
		wantErr error
		// expectations
		wantContent []byte // nil: no file at the end
		wantMode    fs.FileMode
		wantLink    bool
		wantBackup  bool // the previous file is kept at the backup path
		wantCheck   CommandStatus
		rolledBack  bool
		unchanged   bool
	}{
		{name: "new file, check passes", content: newContent, check: []string{"true"},
			wantContent: newContent, wantMode: 0o644, wantLink: true, wantCheck: StatusPassed},
		{name: "new file, check fails: file and link removed", content: newContent, check: []string{"false"}, wantErr: ErrCheckFailed,
			wantContent: nil, wantLink: false, wantCheck: StatusFailed, rolledBack: true},
		{name: "replace, check passes: backup kept", setup: setup{previous: true, linked: true}, content: newContent, check: []string{"true"},
			wantContent: newContent, wantMode: 0o640, wantLink: true, wantBackup: true, wantCheck: StatusPassed},
		{name: "replace, check fails: previous file back byte for byte", setup: setup{previous: true, linked: true}, content: newContent, check: []string{"false"}, wantErr: ErrCheckFailed,
			wantContent: oldContent, wantMode: 0o640, wantLink: true, wantCheck: StatusFailed, rolledBack: true},
		{name: "replace, link created, check fails: link removed", setup: setup{previous: true}, content: newContent, check: []string{"false"}, wantErr: ErrCheckFailed,
			wantContent: oldContent, wantMode: 0o640, wantLink: false, wantCheck: StatusFailed, rolledBack: true},
		{name: "no check", setup: setup{previous: true, linked: true}, content: newContent, check: nil,
			wantContent: newContent, wantMode: 0o640, wantLink: true, wantBackup: true, wantCheck: StatusSkipped},
		{name: "checker not installed: saved, not checked", setup: setup{previous: true, linked: true}, content: newContent, check: []string{"frontdoor-no-such-checker", "-t"},
			wantContent: newContent, wantMode: 0o640, wantLink: true, wantBackup: true, wantCheck: StatusNotFound},
		{name: "chosen checker not installed: rolled back", setup: setup{previous: true, linked: true}, content: newContent, check: []string{"frontdoor-no-such-checker", "-t"}, chosen: true, wantErr: ErrCheckFailed,
			wantContent: oldContent, wantMode: 0o640, wantLink: true, wantCheck: StatusNotFound, rolledBack: true},
		{name: "unchanged: nothing written, still checked", setup: setup{previous: true, linked: true}, content: oldContent, check: []string{"true"},
			wantContent: oldContent, wantMode: 0o640, wantLink: true, wantCheck: StatusPassed, unchanged: true},
		{name: "unchanged and the check fails: nothing to roll back", setup: setup{previous: true, linked: true}, content: oldContent, check: []string{"false"}, wantErr: ErrCheckFailed,
			wantContent: oldContent, wantMode: 0o640, wantLink: true, wantCheck: StatusFailed, unchanged: true},
		{name: "symlinked target: the file it points to is written, link kept", setup: setup{previous: true, linked: true, viaSymlink: true}, content: newContent, check: []string{"true"},
			wantContent: newContent, wantMode: 0o640, wantLink: true, wantBackup: true, wantCheck: StatusPassed},
		{name: "symlinked target, check fails", setup: setup{previous: true, linked: true, viaSymlink: true}, content: newContent, check: []string{"false"}, wantErr: ErrCheckFailed,
			wantContent: oldContent, wantMode: 0o640, wantLink: true, wantCheck: StatusFailed, rolledBack: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, file, link := debianTree(t)
			var oldInode uint64
			if tt.setup.previous {
				writeFile(t, file, oldContent, 0o640)
				oldInode = inode(t, file)
			}
			if tt.setup.linked {
				symlink(t, "../sites-available/"+FileName, link)
			}
			target := file
			if tt.setup.viaSymlink {
				target = link
			}
			rep, err := Save(context.Background(), Plan{Target: target, Content: tt.content, EnableLink: link, CheckCmd: tt.check, CheckRequired: tt.chosen})
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("Save error = %v, want %v\n%s", err, tt.wantErr, rep)
			}
			if tt.wantContent == nil {
				assertMissing(t, file)
			} else {
				assertFile(t, file, tt.wantContent, tt.wantMode)
			}
			if tt.wantLink {
				assertLinkTo(t, link, file)
			} else {
				assertMissing(t, link)
			}
			if !tt.setup.linked {
				// The report says the link's target as written (relative,
				// as a2ensite makes it), not the absolute file.
				want := "created " + link + " -> ../sites-available/" + FileName
				if !slices.ContainsFunc(rep.Steps, func(s Step) bool { return s.Kind == StepLink && s.Detail == want }) {
					t.Errorf("no step %q:\n%s", want, rep)
				}
			}
			if tt.wantBackup {
				list := assertBackups(t, file, "", 0o640, oldContent)
				if rep.Backup != list[0].Path || len(rep.Backups) != 1 || rep.Backups[0].Path != rep.Backup {
					t.Errorf("Report.Backup = %q, Backups %v, want %q", rep.Backup, rep.Backups, list[0].Path)
				}
			} else {
				assertBackups(t, file, "", 0)
				if rep.Backup != "" {
					t.Errorf("Report.Backup = %q, want none", rep.Backup)
				}
			}
			if rep.Check.Status != tt.wantCheck {
				t.Errorf("check status %s, want %s", rep.Check.Status, tt.wantCheck)
			}
			if rep.RolledBack != tt.rolledBack || rep.Unchanged != tt.unchanged {
				t.Errorf("RolledBack=%v Unchanged=%v, want %v %v", rep.RolledBack, rep.Unchanged, tt.rolledBack, tt.unchanged)
			}
			if tt.unchanged && inode(t, file) != oldInode {
				t.Errorf("unchanged content was rewritten")
			}
			if tt.rolledBack && tt.setup.previous && inode(t, file) != oldInode {
				t.Errorf("rollback did not put the original file (inode) back")
			}
			if rep.File != file {
				t.Errorf("Report.File = %q, want %q", rep.File, file)
			}
			if tt.setup.linked && tt.setup.viaSymlink && rep.Target != link {
				t.Errorf("Report.Target = %q, want the link %q", rep.Target, link)
			}
			assertNoScratch(t, filepath.Dir(file))
			if s := rep.String(); !strings.Contains(s, "result: ") {
				t.Errorf("report without a result line:\n%s", s)
			}
		})
	}
}

func inode(t *testing.T, path string) uint64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Sys().(*syscall.Stat_t).Ino
}

func TestSaveReportsMissingChecker(t *testing.T) {
	_, file, _ := debianTree(t)
	rep, err := Save(context.Background(), Plan{Target: file, Content: newContent, CheckCmd: []string{"frontdoor-no-such-nginx", "-t"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Check.Summary("check"); got != "not checked: frontdoor-no-such-nginx not found" {
		t.Errorf("summary %q", got)
	}
	if !strings.Contains(rep.String(), "not checked: frontdoor-no-such-nginx not found") {
		t.Errorf("report does not say the file was not checked:\n%s", rep)
	}
}

func TestSaveCheckOutputReported(t *testing.T) {
	_, file, _ := debianTree(t)
	writeFile(t, file, oldContent, 0o644)
	rep, err := Save(context.Background(), Plan{Target: file, Content: newContent,
		CheckCmd: []string{"sh", "-c", "echo 'nginx: [emerg] unknown directive \"garbage\"' >&2; exit 1"}})
	if !errors.Is(err, ErrCheckFailed) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(rep.Check.Output, `unknown directive "garbage"`) || !strings.Contains(rep.String(), `    | nginx: [emerg] unknown directive`) {
		t.Errorf("check output missing from report:\n%s", rep)
	}
	assertFile(t, file, oldContent, 0o644)
}

func TestSaveReload(t *testing.T) {
	tests := []struct {
		name       string
		check      []string
		reload     func(marker string) []string
		wantErr    error
		wantReload CommandStatus
		wantMarker bool
	}{
		{"after a passing check", []string{"true"}, func(m string) []string { return []string{"touch", m} }, nil, StatusPassed, true},
		{"not after a failed check", []string{"false"}, func(m string) []string { return []string{"touch", m} }, ErrCheckFailed, StatusSkipped, false},
		{"not without a check", nil, func(m string) []string { return []string{"touch", m} }, nil, StatusSkipped, false},
		{"reload failure is reported, file kept", []string{"true"}, func(string) []string { return []string{"false"} }, ErrReloadFailed, StatusFailed, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, file, _ := debianTree(t)
			marker := filepath.Join(t.TempDir(), "reloaded")
			rep, err := Save(context.Background(), Plan{Target: file, Content: newContent, CheckCmd: tt.check, ReloadCmd: tt.reload(marker)})
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v\n%s", err, tt.wantErr, rep)
			}
			if rep.Reload.Status != tt.wantReload {
				t.Errorf("reload status %s, want %s\n%s", rep.Reload.Status, tt.wantReload, rep)
			}
			if _, err := os.Stat(marker); (err == nil) != tt.wantMarker {
				t.Errorf("reload ran = %v, want %v", err == nil, tt.wantMarker)
			}
			if errors.Is(tt.wantErr, ErrReloadFailed) {
				assertFile(t, file, newContent, 0o644)
			}
		})
	}
}

func TestSaveRefusesBeforeChangingAnything(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, root, file, link string) Plan
		wantMsg string
	}{
		{"enable link points elsewhere", func(t *testing.T, root, file, link string) Plan {
			symlink(t, "/etc/hostname", link)
			return Plan{Target: file, Content: newContent, EnableLink: link, CheckCmd: []string{"true"}}
		}, "points to /etc/hostname"},
		{"enable link is a file of its own", func(t *testing.T, root, file, link string) Plan {
			writeFile(t, link, []byte("server {}\n"), 0o644)
			return Plan{Target: file, Content: newContent, EnableLink: link}
		}, "file of its own"},
		{"target directory missing", func(t *testing.T, root, file, link string) Plan {
			return Plan{Target: filepath.Join(root, "etc/httpd/conf.d", FileName), Content: newContent}
		}, "does not exist"},
		{"target is a directory", func(t *testing.T, root, file, link string) Plan {
			if err := os.Remove(file); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(file, 0o755); err != nil {
				t.Fatal(err)
			}
			return Plan{Target: file, Content: newContent}
		}, "not a regular file"},
		{"context already cancelled", func(t *testing.T, root, file, link string) Plan {
			return Plan{Target: file, Content: newContent}
		}, "cancelled before anything changed by you"}, // never Go's "context canceled"
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, file, link := debianTree(t)
			writeFile(t, file, oldContent, 0o640)
			plan := tt.prepare(t, root, file, link)
			ctx := context.Background()
			if strings.Contains(tt.name, "cancelled") {
				c, cancel := context.WithCancel(ctx)
				cancel()
				ctx = c
			}
			_, err := Save(ctx, plan)
			if err == nil || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("err = %v, want one mentioning %q", err, tt.wantMsg)
			}
			if fi, _ := os.Stat(file); fi != nil && fi.Mode().IsRegular() {
				assertFile(t, file, oldContent, 0o640)
			}
			assertBackups(t, file, "", 0)
			assertNoScratch(t, filepath.Dir(file))
		})
	}
}

// A check cut short by the caller (the wizard's Ctrl+C, SIGINT, SIGTERM)
// cannot vouch for the file: the save is rolled back, and reported as
// cancelled, never as a failed check.
func TestSaveCancelledDuringCheckRollsBack(t *testing.T) {
	_, file, link := debianTree(t)
	writeFile(t, file, oldContent, 0o640)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	plan := Plan{Target: file, Content: newContent, EnableLink: link, CheckCmd: []string{"sleep", "600"}}
	plan.hook = func(s stage) {
		if s == stageCheckStarted {
			cancel()
		}
	}
	rep, err := Save(ctx, plan)
	if !errors.Is(err, ErrCancelled) || !errors.Is(err, context.Canceled) || errors.Is(err, ErrCheckFailed) {
		t.Fatalf("err = %v, want ErrCancelled (and context.Canceled), not ErrCheckFailed", err)
	}
	if rep.Check.Status != StatusInterrupted || !rep.RolledBack || rep.Result != ResultCancelled || rep.Saved {
		t.Fatalf("status=%s rolledBack=%v result=%s saved=%v", rep.Check.Status, rep.RolledBack, rep.Result, rep.Saved)
	}
	if got := rep.Headline(); got != "cancelled, rolled back" {
		t.Errorf("headline %q", got)
	}
	for _, s := range rep.Steps {
		if s.Kind == StepCheck && (s.Mark == MarkFailed || !strings.Contains(s.Detail, "check cancelled")) {
			t.Errorf("check step %+v: want a cancelled, not failed, check", s)
		}
	}
	if strings.Contains(rep.String(), "check failed") {
		t.Errorf("a cancelled save reported as a failed check:\n%s", rep)
	}
	assertFile(t, file, oldContent, 0o640)
	assertMissing(t, link)
	assertBackups(t, file, "", 0)
	assertNoScratch(t, filepath.Dir(file))
}

// SIGINT through signal.NotifyContext, as the CLI sets it up: the error
// carries the signal, so the caller can exit 130 after the rollback.
func TestSaveCancelledBySignal(t *testing.T) {
	_, file, _ := debianTree(t)
	writeFile(t, file, oldContent, 0o640)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	plan := Plan{Target: file, Content: newContent, CheckCmd: []string{"sleep", "600"}}
	plan.hook = func(s stage) {
		if s == stageCheckStarted {
			syscall.Kill(os.Getpid(), syscall.SIGINT)
		}
	}
	rep, err := Save(ctx, plan)
	if !errors.Is(err, ErrCancelled) || !strings.Contains(err.Error(), "cancelled during the check by you (ctrl+c)") {
		t.Fatalf("err = %v", err)
	}
	if !rep.RolledBack || rep.Result != ResultCancelled {
		t.Fatalf("%s", rep)
	}
	assertFile(t, file, oldContent, 0o640)
}

// Cancelled between phases: before the rename nothing changes; the
// staged file and the rollback copy are cleaned away.
func TestSaveCancelledBeforeTheRename(t *testing.T) {
	_, file, _ := debianTree(t)
	writeFile(t, file, oldContent, 0o640)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	plan := Plan{Target: file, Content: newContent, CheckCmd: []string{"true"}}
	plan.hook = func(s stage) {
		if s == stageJournaled {
			cancel()
		}
	}
	rep, err := Save(ctx, plan)
	if !errors.Is(err, ErrCancelled) || rep.Result != ResultCancelled || rep.RolledBack {
		t.Fatalf("err = %v\n%s", err, rep)
	}
	if got := rep.Headline(); !strings.HasPrefix(got, "cancelled before anything changed") {
		t.Errorf("headline %q", got)
	}
	assertFile(t, file, oldContent, 0o640)
	assertNoScratch(t, filepath.Dir(file))
}

func TestSaveBackupDir(t *testing.T) {
	_, file, _ := debianTree(t)
	writeFile(t, file, oldContent, 0o600)
	backupDir := t.TempDir()
	want := filepath.Join(backupDir, strings.ReplaceAll(strings.TrimPrefix(file, "/"), "/", "_")+".frontdoor-bak.20261127T031500Z")
	now := clock(time.Date(2026, 11, 27, 3, 15, 0, 0, time.UTC), time.Minute)

	plan := Plan{Target: file, Content: newContent, CheckCmd: []string{"true"}, BackupDir: backupDir, now: now}
	rep, err := Save(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Backup != want {
		t.Fatalf("backup at %q, want %q", rep.Backup, want)
	}
	assertBackups(t, file, backupDir, 0o600, oldContent)
	assertFile(t, file, newContent, 0o600)

	// A failing save goes back to the previous file and leaves the backups alone.
	plan.Content, plan.CheckCmd = []byte("broken\n"), []string{"false"}
	if _, err = Save(context.Background(), plan); !errors.Is(err, ErrCheckFailed) {
		t.Fatal(err)
	}
	assertFile(t, file, newContent, 0o600)
	assertBackups(t, file, backupDir, 0o600, oldContent)
	assertNoScratch(t, backupDir)
	assertNoScratch(t, filepath.Dir(file))
}

func TestSaveRemovesLeftoversOfAnInterruptedSave(t *testing.T) {
	_, file, _ := debianTree(t)
	dir := filepath.Dir(file)
	leftover := filepath.Join(dir, tempPrefix(FileName)+"123456")
	writeFile(t, leftover, []byte("half a fi"), 0o600)
	rep, err := Save(context.Background(), Plan{Target: file, Content: newContent})
	if err != nil {
		t.Fatal(err)
	}
	assertMissing(t, leftover)
	if rep.Steps[0].Kind != StepCleanup {
		t.Errorf("first step %v, want the cleanup", rep.Steps[0])
	}
}

func TestSaveRefusesAConcurrentSave(t *testing.T) {
	_, file, _ := debianTree(t)
	unlock, err := lockDir(filepath.Dir(file))
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	if _, err := Save(context.Background(), Plan{Target: file, Content: newContent}); !errors.Is(err, ErrBusy) {
		t.Fatalf("err = %v, want ErrBusy", err)
	}
	assertMissing(t, file)
}

// A rollback that cannot put the file back says so in the headline, keeps
// the journal (the next save takes over) and names what to do by hand.
func TestSaveRollbackFailed(t *testing.T) {
	_, file, _ := debianTree(t)
	writeFile(t, file, oldContent, 0o640)
	plan := Plan{Target: file, Content: newContent, CheckCmd: []string{"false"}}
	plan.hook = func(s stage) {
		if s == stageCheckStarted {
			os.Remove(filepath.Join(filepath.Dir(file), rollbackName(FileName)))
		}
	}
	rep, err := Save(context.Background(), plan)
	if !errors.Is(err, ErrCheckFailed) || !strings.Contains(err.Error(), "rollback failed") || !rep.RollbackFailed || rep.RolledBack {
		t.Fatalf("err = %v\n%s", err, rep)
	}
	if h := rep.Headline(); h != "check failed, ROLLBACK FAILED (see the steps to restore by hand)" || rep.Mark() != MarkFailed {
		t.Errorf("headline %q, mark %s", h, rep.Mark())
	}
	if _, err := os.Stat(journalPath(file)); err != nil {
		t.Errorf("journal gone after a failed rollback: %v", err)
	}
}
