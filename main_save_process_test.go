package main

// The save as a real process: a real signal while its check runs, and its
// report streamed step by step (main_save_test.go: the save's outcomes).

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// frontdoorBinary is the command as a real process, for tests that send it
// a real signal or run it from a shell: this test binary, which runs main's
// run() instead of the tests when FRONTDOOR_AS_MAIN=1 (see TestMain). It is
// the code under test, compiled once, so a test never rebuilds a shared tree
// in the middle of someone else's edit. The returned path is a symlink named
// frontdoor, in a directory of its own (for PATH).
func frontdoorBinary(t *testing.T) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "frontdoor")
	if err := os.Symlink(self, bin); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FRONTDOOR_AS_MAIN", "1") // inherited by the processes the test starts
	return bin
}

// startUntilCheck starts cmd, a save whose check creates marker when it
// starts, and returns once it has (cmd's exit is then sent on the channel
// returned). A save that ends before its check ran fails the test with its
// stderr so far.
func startUntilCheck(t *testing.T, cmd *exec.Cmd, marker string, stderr fmt.Stringer) <-chan error {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for {
		if _, err := os.Stat(marker); err == nil {
			return exited
		}
		select {
		case err := <-exited:
			t.Fatalf("the save ended before its check ran: %v\n%s", err, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Ctrl+C (SIGINT) or SIGTERM while the check runs: the save is rolled back
// first, the report says "cancelled", never "check failed", and the exit
// code is 130 or 143. A real signal to the real binary.
func TestSaveCancelledBySignal(t *testing.T) {
	bin := frontdoorBinary(t)
	for _, tc := range []struct {
		sig      syscall.Signal
		code     int
		previous bool
	}{
		{syscall.SIGINT, 130, false},
		{syscall.SIGTERM, 143, true},
	} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			root, file, link := saveRoot(t, "nginx")
			previous := []byte("# the admin's own version\n")
			if tc.previous {
				if err := os.WriteFile(file, previous, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			marker := filepath.Join(root, "check-started")
			script := filepath.Join(root, "slow-check.sh")
			if err := os.WriteFile(script, []byte("#!/bin/sh\ntouch \"$1\"\nexec sleep 600\n"), 0o755); err != nil {
				t.Fatal(err)
			}
			cfg := writeConfig(t, plainHTTP)
			cmd := exec.Command(bin, "save", "--config", cfg, "--root", root, "--check", "sh "+script+" "+marker)
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			exited := startUntilCheck(t, cmd, marker, &stderr)
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			<-exited
			code := cmd.ProcessState.ExitCode()
			report := stderr.String()
			if code != tc.code || stdout.String() != "" {
				t.Fatalf("exit %d, want %d; stdout %q\n%s", code, tc.code, stdout.String(), report)
			}
			if !strings.Contains(report, "result: cancelled, rolled back") || strings.Contains(report, "check failed") {
				t.Errorf("the report does not say cancelled and rolled back:\n%s", report)
			}
			if tc.previous {
				if got, _ := os.ReadFile(file); !bytes.Equal(got, previous) {
					t.Errorf("the previous file is not back: %q", got)
				}
			} else if _, err := os.Stat(file); err == nil {
				t.Errorf("%s is left behind after a cancelled first save", file)
			}
			if _, err := os.Lstat(link); err == nil && !tc.previous {
				t.Errorf("the enable link is left behind")
			}
		})
	}
}

// The report is streamed: each step is on stderr as it happens, so a save
// killed in the middle of its check (SIGKILL: nothing of frontdoor's runs
// after it) has already told where it went and what it did so far. A save
// that ends prints each line once.
func TestSaveStreamsItsSteps(t *testing.T) {
	bin := frontdoorBinary(t)
	root, file, _ := saveRoot(t, "nginx")
	marker := filepath.Join(root, "check-started")
	script := filepath.Join(root, "slow-check.sh")
	// The check says it started, then runs until the save that ran it is gone.
	if err := os.WriteFile(script, []byte("#!/bin/sh\ntouch \"$1\"\ni=0; while [ $i -lt 1200 ] && kill -0 $PPID 2>/dev/null; do sleep 0.05; i=$((i+1)); done\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, plainHTTP)
	cmd := exec.Command(bin, "save", "--config", cfg, "--root", root, "--check", "sh "+script+" "+marker)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	exited := startUntilCheck(t, cmd, marker, &stderr)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-exited
	got := stderr.String()
	for _, want := range []string{"target:      " + file + " (detected)", "✓ settings valid", "✓ created " + file, "✓ created " + filepath.Join(root, "etc/nginx/sites-enabled/artifactory.conf")} {
		if !strings.Contains(got, want) {
			t.Errorf("killed during its check, the save had not printed %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "result:") {
		t.Errorf("a result before the check ended:\n%s", got)
	}

	// Run to its end (taking the killed save over): every line once.
	code, _, full := runCLI(t, "", "save", "--config", cfg, "--root", root, "--check", "test -d "+root)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, full)
	}
	for _, once := range []string{"target:", "check:", "✓ settings valid", "check passed", "result: saved and checked"} {
		if n := strings.Count(full, once); n != 1 {
			t.Errorf("%q printed %d times:\n%s", once, n, full)
		}
	}
}

// TestMain is also the command itself, for frontdoorBinary.
func TestMain(m *testing.M) {
	if os.Getenv("FRONTDOOR_AS_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}
