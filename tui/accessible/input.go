// How accessible mode reads answers: the input (which notices its end and
// ctx's), huh's accessible prompts, and passwords without echo.

package accessible

import (
	"bufio"
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
type input struct {
	r   io.Reader
	ctx context.Context
	eof bool

	pending chan chunk // a read of r under way (it outlives a cancelled Read)
	rest    []byte     // what a read got beyond the last Read's buffer
}

type chunk struct {
	data []byte
	err  error
}

func (in *input) Read(p []byte) (int, error) {
	if len(in.rest) > 0 {
		n := copy(p, in.rest)
		in.rest = in.rest[n:]
		return n, nil
	}
	if in.ctx == nil {
		return in.read(p)
	}
	if in.pending == nil {
		ch, buf := make(chan chunk, 1), make([]byte, max(len(p), 4096))
		go func() {
			n, err := in.r.Read(buf)
			ch <- chunk{buf[:n], err}
		}()
		in.pending = ch
	}
	select {
	case c := <-in.pending:
		in.pending = nil
		n := copy(p, c.data)
		in.rest = c.data[n:]
		if n == 0 && errors.Is(c.err, io.EOF) {
			in.eof = true
		}
		if len(in.rest) > 0 {
			return n, nil // the error, if any, comes again with the next read
		}
		return n, c.err
	case <-in.ctx.Done():
		in.eof = true
		return 0, io.EOF
	}
}

// read reads r directly (no context to end it).
func (in *input) read(p []byte) (int, error) {
	n, err := in.r.Read(p)
	if n == 0 && errors.Is(err, io.EOF) {
		in.eof = true
	}
	return n, err
}

// runField runs one huh field in accessible mode.
func (s *session) runField(f huh.Field) error {
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
