package tui

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"frontdoor/app"
	"frontdoor/install"
	"frontdoor/tui/pages/save"
)

// slowCheck is a check command that says it started (a marker file), then
// hangs: the save is stopped in the middle of its check.
func slowCheck(t *testing.T, dir string) (cmd []string, started string) {
	t.Helper()
	started = filepath.Join(dir, "check-started")
	script := filepath.Join(dir, "slow-check.sh")
	body := "#!/bin/sh\n: > '" + started + "'\nexec sleep 600\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return []string{script}, started
}

// waitForFile waits until path exists; the limit only keeps a broken
// build from hanging, it is not what the test measures.
func waitForFile(t *testing.T, path string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return
		}
	}
	t.Fatalf("%s never appeared", path)
}

func previousFile(t *testing.T, dir string) (target string, old []byte) {
	t.Helper()
	target = filepath.Join(dir, "artifactory.conf")
	old = []byte("# the previous snippet\n")
	if err := os.WriteFile(target, old, 0o644); err != nil {
		t.Fatal(err)
	}
	return target, old
}

func requireRolledBack(t *testing.T, target string, old []byte) {
	t.Helper()
	if got, err := os.ReadFile(target); err != nil || string(got) != string(old) {
		t.Fatalf("target after the cancelled save: %q, %v; want the previous file", got, err)
	}
	journal := filepath.Join(filepath.Dir(target), ".artifactory.conf.frontdoor-journal")
	if _, err := os.Stat(journal); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("journal left behind: %v", err)
	}
}

// runUntilSaved reads a save's messages (its steps, then its DoneMsg) off
// the program's goroutine: cmd is the save's reader, which each call reads
// one message with. It returns them in order, for send.
func runUntilSaved(cmd tea.Cmd) []tea.Msg {
	var msgs []tea.Msg
	for {
		msg := cmd()
		if msg == nil {
			return msgs
		}
		msgs = append(msgs, msg)
		if _, done := msg.(save.DoneMsg); done {
			return msgs
		}
	}
}

// Ctrl+C while the check runs cancels the save, as Ctrl+C does for
// `frontdoor save`: the check is stopped and the previous file put back,
// instead of the user waiting for a hung check.
func TestCtrlCDuringTheCheckRollsTheSaveBack(t *testing.T) {
	dir := t.TempDir()
	target, old := previousFile(t, dir)
	check, started := slowCheck(t, dir)
	m := newModel(t, exampleYAML, 80, 24, func(o *Options) {
		o.ConfigPath = filepath.Join(dir, "frontdoor.yaml")
		o.Target = func(string) install.Target { return install.Target{Path: target, CheckCmd: check} }
	})
	press(t, m, "3")
	_, cmd := m.Update(keyPress("ctrl+s"))
	_, cmd = m.Update(cmd()) // where it goes, resolved again for the save: it begins
	done := make(chan []tea.Msg, 1)
	go func() { done <- runUntilSaved(cmd) }()
	waitForFile(t, started)
	press(t, m, "ctrl+c")
	var msgs []tea.Msg
	select {
	case msgs = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("ctrl+c did not stop the check")
	}
	send(t, m, msgs...)
	rep := m.save.Last()
	if !rep.Install.RolledBack || rep.Install.Check.Status != install.StatusInterrupted || rep.ExitCode() != 130 {
		t.Fatalf("want an interrupted, rolled-back save; report:\n%s", rep)
	}
	// The words of `frontdoor save`, in the headline and the step.
	if !strings.HasPrefix(rep.Headline(), "cancelled, rolled back") || !strings.Contains(screenText(m), "cancelled, rolled back") {
		t.Fatalf("headline %q:\n%s", rep.Headline(), screenText(m))
	}
	requireRolledBack(t, target, old)
	if m.quitting {
		t.Fatal("ctrl+c during a save quit the wizard; it should only cancel the save")
	}
	if res := m.result(); res.Last == nil || !res.Last.Cancelled() || res.Saved {
		t.Fatalf("the last words would not tell the cancelled save: %+v", res)
	}
}

// The program stopped from outside (SIGTERM through the context, as
// app.WithSignals does) while the check runs: Run cancels the save with the
// signal as its cause and waits for the rollback, so no unchecked file is
// left at the target, and says it was interrupted.
func TestRunStoppedDuringTheCheckRollsTheSaveBack(t *testing.T) {
	dir := t.TempDir()
	target, old := previousFile(t, dir)
	check, started := slowCheck(t, dir)
	keys, typing := io.Pipe()
	defer typing.Close()
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	type ran struct {
		res Result
		err error
	}
	done := make(chan ran, 1)
	go func() {
		res, err := Run(ctx, Options{
			File: parseFile(t, exampleYAML), ConfigPath: filepath.Join(dir, "frontdoor.yaml"),
			Target:   func(string) install.Target { return install.Target{Path: target, CheckCmd: check} },
			Now:      func() time.Time { return fixedNow },
			ReadFile: fakeFiles{}.read, LoadCertificates: noCerts, LoadClientCA: noClientCA,
		}, keys, io.Discard)
		done <- ran{res, err}
	}()
	if _, err := typing.Write([]byte("3\x13")); err != nil { // the Save entry, then ctrl+s
		t.Fatal(err)
	}
	waitForFile(t, started)
	cancel(&app.SignalError{Signal: syscall.SIGTERM})
	var got ran
	select {
	case got = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return")
	}
	if !errors.Is(got.err, ErrInterrupted) || got.res.Saved {
		t.Fatalf("Run: %+v, %v; want ErrInterrupted and nothing saved", got.res, got.err)
	}
	// The signal is the save's cause: the command exits 143 after the rollback.
	if got.res.Stopped == nil || got.res.Stopped.ExitCode() != 143 || !strings.HasPrefix(got.res.Stopped.Headline(), "cancelled, rolled back") {
		t.Fatalf("stopped save: %+v", got.res.Stopped)
	}
	requireRolledBack(t, target, old)
}
