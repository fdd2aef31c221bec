package tui

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"frontdoor/config"
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

// runUntil runs cmd and everything it batches on this goroutine and returns
// the save's result message.
func runUntilSaved(cmd tea.Cmd) save.DoneMsg {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case save.DoneMsg:
			return msg
		}
	}
	return save.DoneMsg{}
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
	done := make(chan save.DoneMsg, 1)
	go func() { done <- runUntilSaved(cmd) }()
	waitForFile(t, started)
	press(t, m, "ctrl+c")
	var msg save.DoneMsg
	select {
	case msg = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("ctrl+c did not stop the check")
	}
	send(t, m, msg)
	rep := m.save.Last().Report
	if !rep.RolledBack || rep.Check.Status != install.StatusInterrupted {
		t.Fatalf("want an interrupted, rolled-back save; report:\n%s", rep)
	}
	requireRolledBack(t, target, old)
	if m.quitting {
		t.Fatal("ctrl+c during a save quit the wizard; it should only cancel the save")
	}
}

// The program stopped from outside (SIGHUP through the context, SIGTERM)
// while the check runs: Run cancels the save and waits for the rollback, so
// no unchecked file is left at the target, and says it was interrupted.
func TestRunStoppedDuringTheCheckRollsTheSaveBack(t *testing.T) {
	dir := t.TempDir()
	target, old := previousFile(t, dir)
	check, started := slowCheck(t, dir)
	keys, typing := io.Pipe()
	defer typing.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type ran struct {
		res Result
		err error
	}
	done := make(chan ran, 1)
	go func() {
		res, err := Run(ctx, Options{
			File: parseFile(t, exampleYAML), Source: config.FromFile, ConfigPath: filepath.Join(dir, "frontdoor.yaml"),
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
	cancel()
	var got ran
	select {
	case got = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return")
	}
	if !errors.Is(got.err, ErrInterrupted) || got.res.Saved {
		t.Fatalf("Run: %+v, %v; want ErrInterrupted and nothing saved", got.res, got.err)
	}
	requireRolledBack(t, target, old)
}
