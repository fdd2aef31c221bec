package install

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"
)

// One wording of who cancelled, whatever the cause: the wizard's cancel
// (with or without the key), a signal as the CLI receives it, a deadline;
// never Go's own words.
func TestCancelWords(t *testing.T) {
	deadline, stop := context.WithTimeout(context.Background(), time.Nanosecond)
	defer stop()
	<-deadline.Done()
	tests := []struct {
		name  string
		cause error
		want  string
	}{
		{"a plain cancel (the wizard's)", context.Canceled, "by you"},
		{"the wizard's ctrl+c", ByUser{Key: "ctrl+c"}, "by you (ctrl+c)"},
		{"wrapped", fmt.Errorf("stopping: %w", ByUser{Key: "esc"}), "by you (esc)"},
		{"a deadline", context.Cause(deadline), "by the time limit"},
		{"signal.NotifyContext's SIGINT", errors.New("interrupt signal received"), "by you (ctrl+c)"},
		{"signal.NotifyContext's SIGTERM", errors.New("terminated signal received"), "by SIGTERM"},
		{"no cause", nil, "by you"},
	}
	for _, tt := range tests {
		if got := CancelWords(tt.cause); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	// What signal.NotifyContext really gives, not a copy of its words.
	ctx, stopSignals := signal.NotifyContext(context.Background(), syscall.SIGUSR1)
	defer stopSignals()
	syscall.Kill(os.Getpid(), syscall.SIGUSR1)
	<-ctx.Done()
	if got := CancelledBy(ctx); got != "by the signal user defined signal 1" {
		t.Errorf("SIGUSR1: %q", got)
	}
}
