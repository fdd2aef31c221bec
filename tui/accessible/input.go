// How accessible mode reads answers: the input (which notices its end and
// ctx's), huh's accessible prompts, and passwords without echo.

package accessible

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"charm.land/huh/v2"
	"github.com/charmbracelet/x/term"
)

// input notices the end of the input: huh's prompts take it as Enter, so
// without this the menu would be asked forever. It also ends when ctx does
// (Ctrl+C at a terminal is SIGINT there, the line discipline being on): a
// prompt waiting for a line would otherwise hold the wizard until Enter.
//
// Each Read hands out at most one line: huh reads every answer with a new
// bufio.Scanner, which drops what it read beyond the line, so answers typed
// ahead (or piped in one write) would be lost.
//
// At the end (EOF or ctx) the prompt gets an empty line first, then EOF for
// good: huh, at EOF after a wrong answer, returns that wrong answer (a
// select then indexes its options with it and panics); an empty line is
// Enter, which keeps the value in brackets, and the callers see eof.
type input struct {
	r   io.Reader
	ctx context.Context
	eof bool // the input ended (or ctx did); every Read from now on is EOF

	pending chan chunk // a read of r under way (it outlives a cancelled Read)
	rest    []byte     // what was read and not yet handed out
	midLine bool       // the last byte handed out was not a newline
}

type chunk struct {
	data []byte
	err  error
}

func (in *input) Read(p []byte) (int, error) {
	if len(in.rest) == 0 {
		if in.eof {
			return 0, io.EOF
		}
		data, err := in.fill(len(p))
		if len(data) == 0 && err != nil {
			if !errors.Is(err, io.EOF) {
				return 0, err
			}
			in.eof = true
			// Enter on its own line: a line begun is ended first.
			data = []byte("\n")
			if in.midLine {
				data = []byte("\n\n")
			}
		}
		in.rest = data
	}
	if len(in.rest) == 0 || len(p) == 0 {
		return 0, nil
	}
	line := in.rest
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i+1]
	}
	n := copy(p, line)
	in.rest = in.rest[n:]
	in.midLine = p[n-1] != '\n'
	return n, nil
}

// fill reads what r has (or io.EOF when ctx ends first). An error that
// comes with data comes again with the next read.
func (in *input) fill(size int) ([]byte, error) {
	if in.ctx == nil {
		buf := make([]byte, max(size, 4096))
		n, err := in.r.Read(buf)
		return buf[:n], err
	}
	if in.pending == nil {
		ch, buf := make(chan chunk, 1), make([]byte, max(size, 4096))
		go func() {
			n, err := in.r.Read(buf)
			ch <- chunk{buf[:n], err}
		}()
		in.pending = ch
	}
	select {
	case c := <-in.pending:
		in.pending = nil
		if len(c.data) > 0 {
			return c.data, nil
		}
		return nil, c.err
	case <-in.ctx.Done():
		return nil, io.EOF
	}
}

// runField runs one huh field in accessible mode.
func (s *session) runField(f huh.Field) (err error) {
	defer func() {
		// The last resort, should a huh prompt still fail on the end of
		// the input: the end of the input quits, as it does otherwise.
		if r := recover(); r != nil {
			if !s.in.eof {
				panic(r)
			}
			err = s.ctx.Err()
		}
	}()
	fm := huh.NewForm(huh.NewGroup(f)).WithAccessible(true).WithInput(s.in).WithOutput(s.out).WithShowHelp(false)
	if err := fm.RunWithContext(s.ctx); err != nil {
		if errors.Is(err, huh.ErrUserAborted) {
			return fmt.Errorf("%w: %w", ErrAborted, err)
		}
		return err
	}
	return s.ctx.Err()
}

// secret asks for a password: without echo at a terminal, else one line
// of the input. It is never written anywhere.
func (s *session) secret(prompt string) (string, error) {
	fmt.Fprint(s.out, prompt+" ")
	if f, ok := s.in.r.(interface{ Fd() uintptr }); ok && term.IsTerminal(f.Fd()) {
		// ReadPassword turns echo off until Enter: when ctx ends first
		// (Ctrl+C), echo is put back here, or the shell would stay blind.
		state, err := term.GetState(f.Fd())
		if err != nil {
			return "", err
		}
		type answer struct {
			pw  []byte
			err error
		}
		got := make(chan answer, 1)
		go func() {
			pw, err := term.ReadPassword(f.Fd())
			got <- answer{pw, err}
		}()
		select {
		case a := <-got:
			fmt.Fprintln(s.out)
			return string(a.pw), a.err
		case <-s.ctx.Done():
			_ = term.Restore(f.Fd(), state)
			fmt.Fprintln(s.out)
			return "", s.ctx.Err()
		}
	}
	sc := bufio.NewScanner(s.in)
	if !sc.Scan() {
		fmt.Fprintln(s.out)
		return "", sc.Err()
	}
	fmt.Fprintln(s.out)
	return sc.Text(), nil
}
