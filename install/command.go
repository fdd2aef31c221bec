package install

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
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

// runCommand runs argv without a shell. started, when set, is called once the
// process is running (tests use it to kill a save in the middle of its check).
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
	// A killed check may leave children holding the output pipe: don't wait for them forever.
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		res.Status, res.Err = StatusFailed, err
		return res
	}
	call(started)
	err = cmd.Wait()
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
