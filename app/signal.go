package app

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
)

// SignalError is the cause of a context cancelled by a signal (see
// WithSignals): a cancelled save reports it, and the command exits 128+N.
type SignalError struct{ Signal os.Signal }

func (e *SignalError) Error() string { return "cancelled " + e.CancelledBy() }

// CancelledBy says who sent the signal, in the words every report uses
// (install.CancelledBy): SIGINT is Ctrl+C at the terminal.
func (e *SignalError) CancelledBy() string {
	switch e.Signal {
	case os.Interrupt:
		return "by you (ctrl+c)"
	case syscall.SIGTERM:
		return "by SIGTERM"
	case syscall.SIGHUP:
		return "by SIGHUP (the terminal closed)"
	}
	return "by the signal " + e.Signal.String()
}

// WithSignals returns a context that the first of sigs cancels, with a
// *SignalError as its cause (signal.NotifyContext's cause does not say which
// signal in a form a program can read). stop releases the signals.
func WithSignals(parent context.Context, sigs ...os.Signal) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, sigs...)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			cancel(&SignalError{Signal: s})
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

// SignalExitCode is the exit code of an operation cancelled by err's
// signal: 128+N as a shell reports it (130 SIGINT, 143 SIGTERM); 130 when
// no signal is named (the wizard's Ctrl+C).
func SignalExitCode(err error) int {
	var se *SignalError
	if errors.As(err, &se) {
		if n, ok := se.Signal.(syscall.Signal); ok {
			return 128 + int(n)
		}
	}
	return 128 + int(syscall.SIGINT)
}
