package install

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// crashEnv carries a crashSpec to the helper process.
const crashEnv = "FRONTDOOR_INSTALL_CRASH_SPEC"

type crashSpec struct {
	Target, Link string
	Content      []byte
	Check        []string
	Keep         int
	Stage        stage
}

// TestCrashHelper is not a test on its own: TestSaveInterrupted runs the
// test binary again with crashEnv set, and this function then performs the
// save, announces the stage on stdout and waits there to be killed.
func TestCrashHelper(t *testing.T) {
	raw := os.Getenv(crashEnv)
	if raw == "" {
		t.Skip("helper process of TestSaveInterrupted")
	}
	var spec crashSpec
	if err := json.Unmarshal([]byte(raw), &spec); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	plan := Plan{Target: spec.Target, Content: spec.Content, EnableLink: spec.Link, CheckCmd: spec.Check, Keep: spec.Keep}
	plan.hook = func(s stage) {
		if s != spec.Stage {
			return
		}
		fmt.Printf("reached %s\n", s)
		if s == stageCheckStarted {
			return // go on waiting for the (sleeping) check: killed during the check itself
		}
		time.Sleep(time.Hour) // killed here; a sleep, not select{}, so the runtime sees no deadlock
	}
	rep, err := Save(context.Background(), plan)
	fmt.Fprintf(os.Stderr, "save finished without being killed at %s: %v\n%s", spec.Stage, err, rep)
	os.Exit(3)
}

// checkFor is the check a crash test runs so that the save reaches st: a
// slow one to be killed during the check, a failing one for the rollback
// stages, a passing one otherwise.
func checkFor(st stage) []string {
	switch st {
	case stageCheckStarted:
		// Until the save is killed: the check runs in a process group of
		// its own, so killing the save's group does not end it. It ends
		// when writing to its output fails: the save held the only read
		// end of that pipe. (It asked `kill -0 $PPID` before; a save
		// killed before the shell started made $PPID 1, and the loop ran
		// its whole minute after the tests, three of them each run.) At
		// most a minute all the same.
		return []string{"sh", "-c", "i=0; while [ $i -lt 1200 ] && echo waiting; do sleep 0.05; i=$((i+1)); done"}
	case stageRollbackFileBack, stageRolledBack:
		return []string{"false"}
	}
	return []string{"true"}
}

// Which content the target holds after a kill at each stage: the rename is
// the single point where it switches from old to new. A rollback switches
// back; after settled the save is complete.
var (
	newInPlace = map[stage]bool{stageRenamed: true, stageLinked: true, stageCheckStarted: true, stagePromoted: true, stageSettled: true}
	settled    = map[stage]bool{stageSettled: true, stageRotated: true}
)

func TestSaveInterrupted(t *testing.T) {
	stages := []stage{stageTempWritten, stageTempSynced, stageSnapshot, stageJournaled, stageRenamed, stageLinked,
		stageCheckStarted, stageRollbackFileBack, stageRolledBack, stagePromoted, stageSettled}
	scenarios := []struct {
		name       string
		previous   bool // an old file is there
		linked     bool // the enable link already exists
		viaSymlink bool // the plan targets the link
	}{
		{name: "replacing a file", previous: true},
		{name: "first save", previous: false},
		{name: "through a symlink", previous: true, linked: true, viaSymlink: true},
	}
	for _, sc := range scenarios {
		for _, st := range stages {
			if st == stageLinked && sc.linked {
				continue // the link exists: the save never creates it
			}
			if st == stagePromoted && !sc.previous {
				continue // no previous version to keep
			}
			t.Run(sc.name+"/"+string(st), func(t *testing.T) {
				t.Parallel() // each in its own directory, its own helper process
				_, file, link := debianTree(t)
				oldMode, newMode := os.FileMode(0o640), os.FileMode(0o640)
				if sc.previous {
					writeFile(t, file, oldContent, oldMode)
				} else {
					newMode = 0o644
				}
				if sc.linked {
					symlink(t, "../sites-available/"+FileName, link)
				}
				target := file
				if sc.viaSymlink {
					target = link
				}

				killAt(t, crashSpec{Target: target, Link: link, Content: newContent, Check: checkFor(st), Stage: st})

				// Right after the kill: exactly the old file or exactly the new one.
				switch {
				case newInPlace[st]:
					assertFile(t, file, newContent, newMode)
				case sc.previous:
					assertFile(t, file, oldContent, oldMode)
				default:
					assertMissing(t, file)
				}
				if sc.linked {
					assertLinkTo(t, link, file)
				}

				// A rerun whose check fails goes back to the state before the
				// interrupted save, also when that save had already renamed;
				// a save killed once settled was complete and stays.
				rep, err := Save(context.Background(), Plan{Target: target, Content: newContent, EnableLink: link, CheckCmd: []string{"false"}})
				if !errors.Is(err, ErrCheckFailed) {
					t.Fatalf("rerun with a failing check: %v\n%s", err, rep)
				}
				if newInPlace[st] && !settled[st] && !rep.Resumed {
					t.Errorf("rerun did not take over the interrupted save:\n%s", rep)
				}
				switch {
				case settled[st]:
					assertFile(t, file, newContent, newMode)
					assertLinkTo(t, link, file)
				case sc.previous:
					assertFile(t, file, oldContent, oldMode)
				default:
					assertMissing(t, file)
				}
				if !settled[st] {
					if sc.linked {
						assertLinkTo(t, link, file)
					} else {
						assertMissing(t, link)
					}
				}
				assertNoScratch(t, filepath.Dir(file))

				// And a rerun that passes installs the new file, with the old one kept as a backup.
				rep, err = Save(context.Background(), Plan{Target: target, Content: newContent, EnableLink: link, CheckCmd: []string{"true"}})
				if err != nil {
					t.Fatalf("rerun with a passing check: %v\n%s", err, rep)
				}
				assertFile(t, file, newContent, newMode)
				assertLinkTo(t, link, file)
				if sc.previous {
					assertBackups(t, file, "", oldMode, oldContent)
				} else {
					assertBackups(t, file, "", 0)
				}
				assertNoScratch(t, filepath.Dir(file))
			})
		}
	}
}

// killAt runs the helper process until it announces spec.Stage, then kills
// its whole process group (the check command too) with SIGKILL.
func killAt(t *testing.T, spec crashSpec) {
	t.Helper()
	raw, err := json.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+string(raw))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	want := "reached " + string(spec.Stage)
	reached := false
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if sc.Text() == want {
			reached = true
			break
		}
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	cmd.Wait()
	if !reached {
		t.Fatalf("helper never reached %s:\n%s", spec.Stage, stderr.String())
	}
}

// interruptAt runs a save that stops dead at stage s. A panic from the hook
// unwinds without any of Save's own clean-up beyond releasing the lock, which
// a killed process releases too: the files are as a kill would leave them.
func interruptAt(t *testing.T, plan Plan, s stage) {
	t.Helper()
	type stop struct{}
	plan.hook = func(at stage) {
		if at == s {
			panic(stop{})
		}
	}
	defer func() {
		if r := recover(); r == nil {
			t.Fatalf("save was not interrupted at %s", s)
		} else if _, ok := r.(stop); !ok {
			panic(r)
		}
	}()
	Save(context.Background(), plan)
}

func TestSaveResumesAnInterruptedSave(t *testing.T) {
	interrupted := []byte("# interrupted version, never checked\n")
	manual := []byte("# edited by hand after the interruption\n")
	tests := []struct {
		name       string
		stage      stage
		handEdit   bool // someone rewrites the file after the interruption
		rerun      []byte
		check      string
		wantErr    error
		wantFile   []byte
		wantBackup []byte // nil: no backup file expected
		wantResume bool
		// wantHeadline: a save that finishes an interrupted one is a real
		// change, never "unchanged", even when its content is already there.
		wantHeadline string
	}{
		{"same content, check fails: back to the file before the interrupted save", stageRenamed, false, interrupted, "false", ErrCheckFailed, oldContent, nil, true, "check failed, rolled back"},
		{"same content, check passes: kept, backup is the file before it", stageRenamed, false, interrupted, "true", nil, interrupted, oldContent, true, "saved and checked"},
		{"new content, check fails: back to the file before the interrupted save", stageCheckStarted, false, newContent, "false", ErrCheckFailed, oldContent, nil, true, "check failed, rolled back"},
		{"new content, check passes: backup is still the checked file, not the unchecked one", stageLinked, false, newContent, "true", nil, newContent, oldContent, true, "saved and checked"},
		{"interrupted before the rename: nothing to take over", stageJournaled, false, newContent, "false", ErrCheckFailed, oldContent, nil, false, "check failed, rolled back"},
		{"file edited by hand since: journal discarded, the edit is what a failure goes back to", stageRenamed, true, newContent, "false", ErrCheckFailed, manual, nil, false, "check failed, rolled back"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, file, link := debianTree(t)
			writeFile(t, file, oldContent, 0o640)
			interruptAt(t, Plan{Target: file, Content: interrupted, EnableLink: link, CheckCmd: []string{"true"}}, tt.stage)
			if _, err := os.Stat(journalPath(file)); err != nil {
				t.Fatalf("no journal after the interruption: %v", err)
			}
			if tt.handEdit {
				writeFile(t, file, manual, 0o640)
			}
			rep, err := Save(context.Background(), Plan{Target: file, Content: tt.rerun, EnableLink: link, CheckCmd: []string{tt.check}})
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v\n%s", err, tt.wantErr, rep)
			}
			if rep.Resumed != tt.wantResume {
				t.Errorf("Resumed = %v, want %v\n%s", rep.Resumed, tt.wantResume, rep)
			}
			if got := rep.Headline(); got != tt.wantHeadline {
				t.Errorf("headline %q, want %q\n%s", got, tt.wantHeadline, rep)
			}
			if rep.Steps[0].Kind != StepResume && rep.Steps[0].Kind != StepCleanup {
				t.Errorf("the report does not start by telling about the interrupted save:\n%s", rep)
			}
			assertFile(t, file, tt.wantFile, 0o640)
			if tt.wantBackup != nil {
				assertBackups(t, file, "", 0o640, tt.wantBackup)
			}
			assertNoScratch(t, filepath.Dir(file))
		})
	}
}

// An interrupted save's rollback copy whose journal no longer applies (the
// file was edited by hand since) is the only copy of the version before that
// save: the next save keeps it as a backup instead of deleting it.
func TestSaveKeepsAnOrphanedRollbackCopy(t *testing.T) {
	_, file, _ := debianTree(t)
	writeFile(t, file, oldContent, 0o640)
	interruptAt(t, Plan{Target: file, Content: newContent, CheckCmd: []string{"true"}}, stageRenamed)
	writeFile(t, file, []byte("# edited by hand\n"), 0o640)
	rep, err := Save(context.Background(), Plan{Target: file, Content: newContent, CheckCmd: []string{"false"}})
	if !errors.Is(err, ErrCheckFailed) || rep.Resumed {
		t.Fatalf("%v\n%s", err, rep)
	}
	assertFile(t, file, []byte("# edited by hand\n"), 0o640)
	assertBackups(t, file, "", 0o640, oldContent)
	assertNoScratch(t, filepath.Dir(file))
}
