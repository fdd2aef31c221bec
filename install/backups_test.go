package install

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func version(n int) []byte {
	return fmt.Appendf(nil, "# version %d\nserver { listen %d; }\n", n, 8000+n)
}

var t0 = time.Date(2026, 11, 27, 3, 15, 0, 0, time.UTC)

func TestBackupsKeepTheNewest(t *testing.T) {
	_, file, _ := debianTree(t)
	plan := Plan{Target: file, CheckCmd: []string{"true"}, Keep: 3, now: clock(t0, time.Minute)}
	for n := 0; n <= 5; n++ {
		plan.Content = version(n)
		rep, err := Save(context.Background(), plan)
		if err != nil {
			t.Fatalf("v%d: %v\n%s", n, err, rep)
		}
		if n == 5 {
			if len(rep.Backups) != 3 || rep.Backup != rep.Backups[0].Path || rep.Keep != 3 {
				t.Errorf("report backups %v (backup %s, keep %d)", rep.Backups, rep.Backup, rep.Keep)
			}
			var rotated int
			for _, s := range rep.Steps {
				if s.Kind == StepRotate {
					rotated++
				}
			}
			if rotated != 1 {
				t.Errorf("%d rotation steps, want 1:\n%s", rotated, rep)
			}
			s := rep.String()
			if !strings.Contains(s, "backups kept (newest first, up to 3):") || !strings.Contains(s, "restore one: frontdoor restore --to "+file+" "+rep.Backups[0].Path) {
				t.Errorf("report does not list the backups and how to restore one:\n%s", s)
			}
		}
	}
	list := assertBackups(t, file, "", 0o644, version(4), version(3), version(2))
	for i, stamp := range []string{"20261127T031900Z", "20261127T031800Z", "20261127T031700Z"} {
		if list[i].Stamp != stamp || filepath.Base(list[i].Path) != "."+FileName+".frontdoor-bak."+stamp {
			t.Errorf("backup %d: %s (stamp %s), want stamp %s", i, list[i].Path, list[i].Stamp, stamp)
		}
		if !list[i].Time.Equal(t0.Add(time.Duration(4-i) * time.Minute)) {
			t.Errorf("backup %d time %s", i, list[i].Time)
		}
	}
	assertFile(t, file, version(5), 0o644)
}

// Saves in the same second never replace each other's backups, and the
// list still sorts newest first (-10 after -9, not after -1).
func TestBackupsInTheSameSecond(t *testing.T) {
	_, file, _ := debianTree(t)
	plan := Plan{Target: file, Keep: 20, now: func() time.Time { return t0 }}
	for n := 0; n <= 11; n++ {
		plan.Content = version(n)
		if _, err := Save(context.Background(), plan); err != nil {
			t.Fatal(err)
		}
	}
	want := [][]byte{}
	for n := 10; n >= 0; n-- {
		want = append(want, version(n))
	}
	list := assertBackups(t, file, "", 0o644, want...)
	if list[0].Stamp != "20261127T031500Z-11" || list[10].Stamp != "20261127T031500Z" {
		t.Errorf("stamps %s .. %s", list[0].Stamp, list[10].Stamp)
	}
}

// Keep < 0 keeps no backup, but a failing save still rolls back from its own copy.
func TestBackupsKeepNone(t *testing.T) {
	_, file, _ := debianTree(t)
	writeFile(t, file, oldContent, 0o640)
	rep, err := Save(context.Background(), Plan{Target: file, Content: newContent, Keep: -1})
	if err != nil || rep.Backup != "" || len(rep.Backups) != 0 {
		t.Fatalf("%v\n%s", err, rep)
	}
	assertBackups(t, file, "", 0)
	if _, err := Save(context.Background(), Plan{Target: file, Content: version(9), CheckCmd: []string{"false"}, Keep: -1}); !errors.Is(err, ErrCheckFailed) {
		t.Fatal(err)
	}
	assertFile(t, file, newContent, 0o640)
	assertNoScratch(t, filepath.Dir(file))
}

// A backup made by an older frontdoor (one file, no time in its name) is
// listed and rotated like the others.
func TestBackupsOldStyle(t *testing.T) {
	_, file, _ := debianTree(t)
	writeFile(t, file, version(1), 0o644)
	legacy := filepath.Join(filepath.Dir(file), "."+FileName+".frontdoor-bak")
	writeFile(t, legacy, version(0), 0o644)
	os.Chtimes(legacy, t0.Add(-time.Hour), t0.Add(-time.Hour))
	plan := Plan{Target: file, Content: version(2), Keep: 2, now: clock(t0, time.Minute)}
	if _, err := Save(context.Background(), plan); err != nil {
		t.Fatal(err)
	}
	list := assertBackups(t, file, "", 0o644, version(1), version(0))
	if list[1].Path != legacy || list[1].Stamp != "" {
		t.Errorf("old-style backup listed as %+v", list[1])
	}
	plan.Content = version(3)
	if _, err := Save(context.Background(), plan); err != nil {
		t.Fatal(err)
	}
	assertBackups(t, file, "", 0o644, version(2), version(1))
}

// The scenario: v1, v2, then a failing save and a save killed at
// every stage. Whatever the stage, the target is v2 (or the killed save's
// v4, once its check passed) and byte-identical v1 and v2 can be restored.
func TestBackupsSurviveFailedAndKilledSaves(t *testing.T) {
	stages := []stage{stageTempWritten, stageTempSynced, stageSnapshot, stageJournaled, stageRenamed, stageLinked,
		stageCheckStarted, stageRollbackFileBack, stageRolledBack, stagePromoted, stageSettled, stageRotated}
	for _, st := range stages {
		t.Run(string(st), func(t *testing.T) {
			t.Parallel() // each in its own directory, its own helper process
			_, file, link := debianTree(t)
			v0, v1, v2, v3, v4 := version(0), version(1), version(2), version(3), version(4)
			save := func(content []byte, check string) (Report, error) {
				return Save(context.Background(), Plan{Target: file, Content: content, EnableLink: link, CheckCmd: []string{check}, Keep: 2})
			}
			for _, v := range [][]byte{v0, v1, v2} {
				if rep, err := save(v, "true"); err != nil {
					t.Fatalf("%v\n%s", err, rep)
				}
			}
			if rep, err := save(v3, "false"); !errors.Is(err, ErrCheckFailed) || !rep.RolledBack {
				t.Fatalf("failing save: %v\n%s", err, rep)
			}
			assertFile(t, file, v2, 0o644)
			assertBackups(t, file, "", 0o644, v1, v0)

			// The killed save creates the link anew, so the rollback stages have a link to take back.
			if err := os.Remove(link); err != nil {
				t.Fatal(err)
			}
			killAt(t, crashSpec{Target: file, Link: link, Content: v4, Check: checkFor(st), Keep: 2, Stage: st})

			// The next save (the same one, rerun with a failing check) settles
			// the interrupted one: back to v2, unless v4 had passed its check.
			rep, err := save(v4, "false")
			if !errors.Is(err, ErrCheckFailed) {
				t.Fatalf("rerun: %v\n%s", err, rep)
			}
			current := v2
			if settled[st] {
				current = v4
			}
			assertFile(t, file, current, 0o644)
			assertNoScratch(t, filepath.Dir(file))

			list, err := Backups(file, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range [][]byte{v1, v2} {
				if bytes.Equal(v, current) {
					continue
				}
				if !slices.ContainsFunc(list, func(b Backup) bool { return fileHolds(b.Path, v) }) {
					t.Fatalf("%q is neither the target nor a backup; backups: %v", v, list)
				}
			}

			// Restoring goes through the same save: v1, then v2 again, byte for byte.
			for _, v := range [][]byte{v1, v2} {
				list, _ := Backups(file, "")
				i := slices.IndexFunc(list, func(b Backup) bool { return fileHolds(b.Path, v) })
				if i < 0 {
					t.Fatalf("%q is not among the backups %v", v, list)
				}
				rep, err := Save(context.Background(), Plan{Target: file, RestoreFrom: list[i].Path, EnableLink: link, CheckCmd: []string{"true"}, Keep: 2})
				if err != nil || rep.Restored != list[i].Path {
					t.Fatalf("restoring %s: %v\n%s", list[i].Path, err, rep)
				}
				assertFile(t, file, v, 0o644)
				assertLinkTo(t, link, file)
			}
		})
	}
}

func TestRestore(t *testing.T) {
	_, file, _ := debianTree(t)
	plan := Plan{Target: file, CheckCmd: []string{"true"}, now: clock(t0, time.Minute)}
	for _, v := range [][]byte{version(1), version(2), version(3)} {
		plan.Content = v
		if _, err := Save(context.Background(), plan); err != nil {
			t.Fatal(err)
		}
	}
	list := assertBackups(t, file, "", 0o644, version(2), version(1))

	// A restore whose check fails is rolled back like any save; the backups stay.
	rep, err := Save(context.Background(), Plan{Target: file, RestoreFrom: list[1].Stamp, CheckCmd: []string{"false"}})
	if !errors.Is(err, ErrCheckFailed) || !rep.RolledBack || rep.Restored != list[1].Path {
		t.Fatalf("%v\n%s", err, rep)
	}
	if h := rep.Headline(); h != "check failed, rolled back" {
		t.Errorf("headline %q", h)
	}
	assertFile(t, file, version(3), 0o644)
	assertBackups(t, file, "", 0o644, version(2), version(1))

	// By file name; the version it replaces becomes the newest backup.
	plan.Content, plan.RestoreFrom = nil, filepath.Base(list[1].Path)
	rep, err = Save(context.Background(), plan)
	if err != nil || rep.Result != ResultChecked {
		t.Fatalf("%v\n%s", err, rep)
	}
	if h := rep.Headline(); h != "restored "+filepath.Base(list[1].Path)+" and checked" {
		t.Errorf("headline %q", h)
	}
	assertFile(t, file, version(1), 0o644)
	assertBackups(t, file, "", 0o644, version(3), version(2), version(1))

	// Only a backup of this target can be restored.
	other := filepath.Join(t.TempDir(), "passwd")
	writeFile(t, other, []byte("root:x:0:0\n"), 0o644)
	if _, err := Save(context.Background(), Plan{Target: file, RestoreFrom: other}); err == nil || !strings.Contains(err.Error(), "is not one of the backups") {
		t.Fatalf("restoring a file that is not a backup: %v", err)
	}
	assertFile(t, file, version(1), 0o644)
}

func TestSelectBackup(t *testing.T) {
	list := []Backup{
		{Path: "/e/.a.conf.frontdoor-bak.20261127T031600Z", Stamp: "20261127T031600Z"},
		{Path: "/e/.a.conf.frontdoor-bak.20261127T031500Z", Stamp: "20261127T031500Z"},
	}
	for _, tt := range []struct{ arg, want string }{
		{"", list[0].Path},
		{list[1].Path, list[1].Path},
		{".a.conf.frontdoor-bak.20261127T031500Z", list[1].Path},
		{"20261127T031500Z", list[1].Path},
	} {
		got, err := SelectBackup(list, tt.arg)
		if err != nil || got.Path != tt.want {
			t.Errorf("SelectBackup(%q) = %s, %v; want %s", tt.arg, got.Path, err, tt.want)
		}
	}
	// A stamp typed in part: the start of one stamp picks it; of two, neither.
	seconds := []Backup{
		{Path: "/e/.a.conf.frontdoor-bak.20261127T074332Z-2", Stamp: "20261127T074332Z-2", Time: time.Date(2026, 11, 27, 7, 43, 32, 0, time.UTC)},
		{Path: "/e/.a.conf.frontdoor-bak.20261127T074332Z", Stamp: "20261127T074332Z", Time: time.Date(2026, 11, 27, 7, 43, 32, 0, time.UTC)},
		{Path: "/e/.a.conf.frontdoor-bak.20261127T031600Z", Stamp: "20261127T031600Z", Time: time.Date(2026, 11, 27, 3, 16, 0, 0, time.UTC)},
		{Path: "/e/.a.conf.frontdoor-bak.20261120T080000Z", Stamp: "20261120T080000Z", Time: time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)},
		{Path: "/e/.a.conf.frontdoor-bak.20261001T080000Z", Stamp: "20261001T080000Z", Time: time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)},
	}
	for _, tt := range []struct{ arg, want, err string }{
		{arg: "20261127T0316", want: seconds[2].Path},
		{arg: "20261127T031600", want: seconds[2].Path},
		{arg: "20261120", want: seconds[3].Path},
		{arg: "20261127T074332Z-2", want: seconds[0].Path},
		{arg: "20261127T074332", err: "20261127T074332 is the start of 2 backups' stamps: .a.conf.frontdoor-bak.20261127T074332Z-2, .a.conf.frontdoor-bak.20261127T074332Z; give the whole stamp"},
		{arg: "20261127", err: "is the start of 3 backups' stamps"},
		{arg: "20261126T1200", err: "20261126T1200 is not one of the backups; the closest: .a.conf.frontdoor-bak.20261127T031600Z, .a.conf.frontdoor-bak.20261127T074332Z-2, .a.conf.frontdoor-bak.20261127T074332Z"},
	} {
		got, err := SelectBackup(seconds, tt.arg)
		switch {
		case tt.err == "" && (err != nil || got.Path != tt.want):
			t.Errorf("SelectBackup(%q) = %s, %v; want %s", tt.arg, got.Path, err, tt.want)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("SelectBackup(%q) = %s, %v; want the error %q", tt.arg, got.Path, err, tt.err)
		}
	}
	if _, err := SelectBackup(list, "yesterday"); err == nil || !strings.Contains(err.Error(), ".a.conf.frontdoor-bak.20261127T031600Z") {
		t.Errorf("unknown backup: %v", err)
	}
	if _, err := SelectBackup(nil, ""); err == nil {
		t.Error("no backups: want an error")
	}
}

// NextRemoved is the rotation's rule seen from before the next save: the
// version replaced becomes the newest backup, so keep-1 of the list stay;
// a restore's own backup is never removed.
func TestNextRemoved(t *testing.T) {
	list := []Backup{{Path: "3"}, {Path: "2"}, {Path: "1"}}
	tests := []struct {
		name    string
		keep    int
		protect string
		want    []string
	}{
		{"room left", 4, "", nil},
		{"full: the oldest goes", 3, "", []string{"1"}},
		{"over: all beyond", 2, "", []string{"2", "1"}},
		{"keep 1: only the new one stays", 1, "", []string{"3", "2", "1"}},
		{"a restore keeps what it puts back", 2, "1", []string{"2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, b := range NextRemoved(list, tt.keep, tt.protect) {
				got = append(got, b.Path)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
