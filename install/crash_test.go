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
	plan := Plan{Target: spec.Target, Content: spec.Content, EnableLink: spec.Link, CheckCmd: spec.Check}
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

func TestSaveInterrupted(t *testing.T) {
	stages := []stage{stageTempWritten, stageTempSynced, stageBackedUp, stageJournaled, stageRenamed, stageLinked, stageCheckStarted, stageRolledBack}
	// Which content the target must hold after a kill at each stage: the
	// rename is the single point where it switches from old to new.
	newInPlace := map[stage]bool{stageRenamed: true, stageLinked: true, stageCheckStarted: true}
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
			t.Run(sc.name+"/"+string(st), func(t *testing.T) {
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
				check := []string{"true"}
				switch st {
				case stageCheckStarted:
					check = []string{"sleep", "600"}
				case stageRolledBack:
					check = []string{"false"}
				}

				killAt(t, crashSpec{Target: target, Link: link, Content: newContent, Check: check, Stage: st})

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
				// interrupted save, also when that save had already renamed.
				rep, err := Save(context.Background(), Plan{Target: target, Content: newContent, EnableLink: link, CheckCmd: []string{"false"}})
				if !errors.Is(err, ErrCheckFailed) {
					t.Fatalf("rerun with a failing check: %v\n%s", err, rep)
				}
				if newInPlace[st] && !rep.Resumed {
					t.Errorf("rerun did not take over the interrupted save:\n%s", rep)
				}
				if sc.previous {
					assertFile(t, file, oldContent, oldMode)
				} else {
					assertMissing(t, file)
				}
				if sc.linked {
					assertLinkTo(t, link, file)
				} else {
					assertMissing(t, link)
				}
				assertNoScratch(t, filepath.Dir(file))

				// And a rerun that passes installs the new file, with the old one as backup.
				rep, err = Save(context.Background(), Plan{Target: target, Content: newContent, EnableLink: link, CheckCmd: []string{"true"}})
				if err != nil {
					t.Fatalf("rerun with a passing check: %v\n%s", err, rep)
				}
				assertFile(t, file, newContent, newMode)
				assertLinkTo(t, link, file)
				if sc.previous {
					assertFile(t, rep.Backup, oldContent, oldMode)
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
