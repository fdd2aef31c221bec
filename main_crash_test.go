package main

import (
	"bytes"
	"strings"
	"testing"
)

// panicWriter fails the way a bug would: a panic in the middle of a command.
type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("boom") }

// A crash must never exit 2, which scripts read as "invalid input".
func TestCrashIsNotInvalid(t *testing.T) {
	var stderr bytes.Buffer
	e := env{stdin: strings.NewReader(""), stdout: panicWriter{}, stderr: &stderr, getenv: func(string) string { return "" }}
	code := runGuarded(e, []string{"version"})
	if code != exitCrashed {
		t.Fatalf("exit %d, want %d (crashed)", code, exitCrashed)
	}
	if !strings.Contains(stderr.String(), "internal error") || !strings.Contains(stderr.String(), "boom") {
		t.Fatalf("stderr does not say it crashed:\n%s", stderr.String())
	}
}
