package install

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// CommandStatus is how a check or reload command went.
type CommandStatus string

const (
	StatusSkipped     CommandStatus = "skipped"     // no command configured, or not applicable
	StatusPassed      CommandStatus = "passed"      // exit status 0
	StatusFailed      CommandStatus = "failed"      // ran and failed (or could not be started)
	StatusNotFound    CommandStatus = "not-found"   // the program is not installed
	StatusInterrupted CommandStatus = "interrupted" // cancelled (Ctrl+C, a signal, the wizard) before or while it ran
)

// CommandResult is one run of a check or reload command.
type CommandResult struct {
	Cmd    []string
	Status CommandStatus
	Output string // stdout and stderr interleaved, trimmed; at most maxOutput bytes
	Err    error  // why it failed, when it did
}

// Summary is a one-line description, e.g. "not checked: nginx not found".
func (c CommandResult) Summary(verb string) string {
	cmd := FormatCommand(c.Cmd)
	switch c.Status {
	case StatusSkipped:
		return verb + ": skipped"
	case StatusPassed:
		return verb + " passed: " + cmd
	case StatusNotFound:
		return "not " + pastTense(verb) + ": " + filepath.Base(program(c.Cmd)) + " not found"
	case StatusInterrupted:
		return verb + " cancelled: " + cmd
	default:
		if c.Err != nil {
			return fmt.Sprintf("%s failed: %s (%v)", verb, cmd, c.Err)
		}
		return verb + " failed: " + cmd
	}
}

func pastTense(verb string) string {
	if strings.HasSuffix(verb, "e") {
		return verb + "d"
	}
	return verb + "ed"
}

const maxOutput = 64 << 10

// killGrace is how long a cancelled command's process group has to end
// after SIGTERM before it is killed: long enough for a check to clean up,
// short enough that Ctrl+C feels immediate. A variable only so that this
// package's tests can shorten it (install's tests set it before any runs);
// nothing else changes it.
var killGrace = 2 * time.Second

// runCommand runs argv without a shell, in a session (so a process group)
// of its own: a cancel reaches whatever the command started too (a check
// script's children): the group gets SIGTERM, then SIGKILL once killGrace
// has passed, and nothing of it is left running when runCommand returns.
// started, when set, is called once the process is running (tests use it
// to kill a save in the middle of its check).
func runCommand(ctx context.Context, argv []string, started func()) CommandResult {
	res := CommandResult{Cmd: argv}
	if len(argv) == 0 {
		res.Status = StatusSkipped
		return res
	}
	if err := ctx.Err(); err != nil {
		res.Status, res.Err = StatusInterrupted, context.Cause(ctx)
		return res
	}
	path, err := exec.LookPath(argv[0])
	if err == nil && program(argv) != argv[0] {
		// `env VAR=value prog ...`: env is always there; what matters is prog.
		_, err = exec.LookPath(program(argv))
	}
	if err != nil {
		res.Err = err
		res.Status = StatusFailed
		if errors.Is(err, exec.ErrNotFound) {
			res.Status = StatusNotFound
		}
		return res
	}
	cmd := exec.CommandContext(ctx, path, argv[1:]...)
	out := &cappedBuffer{max: maxOutput}
	cmd.Stdout, cmd.Stderr = out, out
	// Its own session, so its own process group: a cancel signals the
	// whole group (the default would kill only the process, leaving a
	// script's children running and holding the output pipe, so Wait would
	// sit out WaitDelay). A session rather than only a group: it has no
	// controlling terminal, so a command that would ask there (systemctl's
	// password agent) fails at once instead of stopping, as a background
	// group reading the terminal does, and hanging the save.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	var cancelledAt time.Time
	cmd.Cancel = func() error {
		cancelledAt = time.Now()
		return signalGroup(cmd.Process.Pid, syscall.SIGTERM)
	}
	// A group member that ignores SIGTERM and holds the pipe: Wait stops
	// waiting for it after the grace; the group is then killed below.
	cmd.WaitDelay = killGrace
	if err := cmd.Start(); err != nil {
		res.Status, res.Err = StatusFailed, err
		return res
	}
	call(started)
	err = cmd.Wait()
	if !cancelledAt.IsZero() {
		endGroup(cmd.Process.Pid, cancelledAt.Add(killGrace))
	}
	res.Output = strings.TrimSpace(out.String())
	switch {
	case err == nil:
		res.Status = StatusPassed
	case ctx.Err() != nil:
		res.Status, res.Err = StatusInterrupted, context.Cause(ctx)
	default:
		res.Status, res.Err = StatusFailed, err
	}
	return res
}

// signalGroup sends sig to the process group pgid; a group already gone is
// not an error.
func signalGroup(pgid int, sig syscall.Signal) error {
	if err := syscall.Kill(-pgid, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
		return err
	}
	return nil
}

// endGroup waits until deadline for what is left of a cancelled command's
// group to end on its SIGTERM, then kills the rest. Only called after the
// group was signalled, while its leader's id cannot yet be another group's:
// a group id stays reserved while any member lives.
func endGroup(pgid int, deadline time.Time) {
	for time.Now().Before(deadline) {
		if !groupRuns(pgid) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	signalGroup(pgid, syscall.SIGKILL)
	// SIGKILL cannot be caught, but takes a moment to land: wait (bounded)
	// until the group is gone, so none of it runs once the caller goes on.
	for end := time.Now().Add(killGrace); time.Now().Before(end) && groupRuns(pgid); {
		time.Sleep(10 * time.Millisecond)
	}
}

// groupRuns reports whether a process of group pgid still runs. Ended
// members wait as zombies until their new parent (init) reaps them, which
// kill(-pgid, 0) counts as alive, so /proc is read when it is there.
func groupRuns(pgid int) bool {
	if syscall.Kill(-pgid, 0) != nil {
		return false
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return true
	}
	for _, e := range entries {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		data, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue // ended meanwhile
		}
		// "pid (comm) S ppid pgrp ...": comm may hold spaces and parentheses.
		i := bytes.LastIndexByte(data, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(data[i+1:]))
		if len(f) >= 3 && f[0] != "Z" && f[2] == strconv.Itoa(pgid) {
			return true
		}
	}
	return false
}

// cappedBuffer keeps the first max bytes of a command's output.
type cappedBuffer struct {
	buf       bytes.Buffer
	max       int
	truncated bool
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	if room := c.max - c.buf.Len(); room > 0 {
		if len(p) > room {
			c.buf.Write(p[:room])
			c.truncated = true
		} else {
			c.buf.Write(p)
		}
	} else if len(p) > 0 {
		c.truncated = true
	}
	return len(p), nil
}

func (c *cappedBuffer) String() string {
	if c.truncated {
		return c.buf.String() + "\n[output truncated]"
	}
	return c.buf.String()
}

// NotFoundMessage is how a command whose program is not installed is named
// to the user: "`ngnix`: command not found", as a shell would say it.
func NotFoundMessage(argv []string) string {
	return "`" + program(argv) + "`: command not found"
}

// lookProgram is the path of prog on PATH, or prog itself when it is not found.
func lookProgram(prog string) string {
	if p, err := exec.LookPath(prog); err == nil {
		return p
	}
	return prog
}
