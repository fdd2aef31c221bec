package install

import (
	"context"
	"errors"
	"strings"
)

// Canceller is a cancel cause that says who cancelled, in the report's
// words: app's SignalError ("by you (ctrl+c)", "by SIGTERM"), ByUser.
type Canceller interface{ CancelledBy() string }

// ByUser is the cause a front-end gives a cancel its user asked for, with
// the key they pressed: context.WithCancelCause's cancel(install.ByUser{Key:
// "ctrl+c"}) makes the report say "cancelled by you (ctrl+c)".
type ByUser struct{ Key string }

func (u ByUser) Error() string { return "cancelled " + u.CancelledBy() }

// CancelledBy is "by you (KEY)", or "by you" without a key.
func (u ByUser) CancelledBy() string {
	if u.Key == "" {
		return "by you"
	}
	return "by you (" + u.Key + ")"
}

// CancelledBy says who cancelled ctx, in one wording for every front-end
// and never Go's own ("context canceled"): the cause's words (Canceller),
// "by the time limit" for a deadline, and "by you" for a cancel without a
// cause (a front-end cancels only when its user asks).
func CancelledBy(ctx context.Context) string { return CancelWords(context.Cause(ctx)) }

// CancelWords is CancelledBy for a cause already taken from its context.
func CancelWords(cause error) string {
	var c Canceller
	switch {
	case errors.As(cause, &c):
		return c.CancelledBy()
	case errors.Is(cause, context.DeadlineExceeded):
		return "by the time limit"
	case cause == nil:
		return "by you"
	}
	// signal.NotifyContext's cause: "interrupt signal received".
	sig, isSignal := strings.CutSuffix(cause.Error(), " signal received")
	switch {
	case sig == "interrupt":
		return "by you (ctrl+c)"
	case sig == "terminated":
		return "by SIGTERM"
	case isSignal:
		return "by the signal " + sig
	}
	return "by you"
}

// cancelError is a save or undo stopped by its context: it reads "cancelled
// during the check by you (ctrl+c)", and is ErrCancelled and its cause (a
// signal decides the exit code).
type cancelError struct {
	msg   string
	cause error
}

func (e *cancelError) Error() string   { return e.msg }
func (e *cancelError) Unwrap() []error { return []error{ErrCancelled, e.cause} }

// cancelled is the error of a save stopped by its context; what says when
// ("during the check").
func cancelled(ctx context.Context, what string) error {
	return &cancelError{msg: "cancelled " + what + " " + CancelledBy(ctx), cause: context.Cause(ctx)}
}
