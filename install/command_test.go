package install

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// A cancelled check takes its children with it: the check runs in a
// process group of its own, which gets SIGTERM and, for what ignores that,
// SIGKILL after the grace. Before, only the script itself was killed; its
// `sleep` went on (orphaned) holding the output pipe, and the wizard's
// cancel sat out the 5 s WaitDelay.
func TestCancelledCommandEndsItsChildren(t *testing.T) {
	t.Parallel() // one case waits out killGrace: overlap it with the rest
	tests := []struct {
		name   string
		script string
	}{
		{"a child in the foreground", "sleep 600 &\necho $! > \"$1/child\"\ntouch \"$1/started\"\nwait\n"},
		{"a child that ignores SIGTERM, holding the output pipe", "trap '' TERM\nsleep 600 &\necho $! > \"$1/child\"\ntouch \"$1/started\"\nwait\nwait\n"},
		{"a child in the background, not waited for", "sleep 600 &\necho $! > \"$1/child\"\ntouch \"$1/started\"\nsleep 600\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // each its own script, directory and process group
			dir := t.TempDir()
			script := filepath.Join(dir, "check.sh")
			if err := os.WriteFile(script, []byte("#!/bin/sh\n"+tt.script), 0o755); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			res := runCommand(ctx, []string{"sh", script, dir}, func() {
				waitForFile(t, filepath.Join(dir, "started"))
				cancel(errors.New("the wizard's esc"))
			})
			if res.Status != StatusInterrupted {
				t.Fatalf("status %s (%v), want interrupted", res.Status, res.Err)
			}
			data, err := os.ReadFile(filepath.Join(dir, "child"))
			if err != nil {
				t.Fatal(err)
			}
			pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
			if err != nil {
				t.Fatal(err)
			}
			if alive(pid) {
				syscall.Kill(pid, syscall.SIGKILL)
				t.Fatalf("the check's child %d is still running after the cancel", pid)
			}
		})
	}
}

// A command that ends by itself is not signalled afterwards: a reload may
// start a daemon that must outlive it (it leaves the group with setsid).
func TestFinishedCommandIsLeftAlone(t *testing.T) {
	res := runCommand(context.Background(), []string{"sh", "-c", "echo checked"}, nil)
	if res.Status != StatusPassed || res.Output != "checked" {
		t.Fatalf("%+v", res)
	}
}

// waitForFile waits for a command under test to create path (no deadline:
// the test's own timeout ends a hang).
func waitForFile(t *testing.T, path string) {
	t.Helper()
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		syscall.Nanosleep(&syscall.Timespec{Nsec: 10e6}, nil)
	}
}

// alive reports whether pid runs (a zombie, ended but not yet reaped by its
// new parent, does not count).
func alive(pid int) bool {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// "pid (comm) S ...": the state follows the last ')'.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && s[i+2] != 'Z'
}

// A check or reload runs in a session of its own, without the terminal:
// one that would ask for a password there (systemctl's agent) fails at once
// rather than stopping the save, as a background group reading it would.
func TestCommandHasASessionOfItsOwn(t *testing.T) {
	res := runCommand(context.Background(), []string{"sh", "-c", `read -r pid comm state ppid pgrp sid rest < /proc/$$/stat; [ "$sid" = "$$" ] || { echo "session $sid, not $$"; exit 1; }`}, nil)
	if res.Status != StatusPassed {
		t.Fatalf("%s: %s", res.Status, res.Output)
	}
}
