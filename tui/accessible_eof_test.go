package tui

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frontdoor/app"
)

// A wrong answer, then the end of the input (Ctrl+D, a pipe that ends) or
// Ctrl+C, at every kind of question: the session ends as it does after a
// right answer, without taking the wrong one. huh, at the end of its input
// after a wrong answer, returns that answer: a select indexed its options
// with it ("index out of range [-1]", exit 70).
func TestAccessibleWrongAnswerThenEnd(t *testing.T) {
	questions := []struct {
		name   string
		before []string // the answers that lead to the question
		wrong  string
	}{
		{"home menu, not a number", nil, "?"},
		{"home menu, out of range", nil, "9"},
		{"home menu, zero", nil, "0"},
		{"a choice (web server)", []string{"1"}, "8"},
		{"a table (nodes)", []string{"1", "", ""}, "bad host!"},
		{"a number (Artifactory port)", []string{"1", "", "", ""}, "abc"},
		{"a text (server name)", []string{"1", "", "", "", "", ""}, "bad name"},
		{"a yes or no (HTTP)", []string{"1", "", "", "", "", "", ""}, "maybe"},
	}
	for _, q := range questions {
		for _, end := range []string{"end of input", "ctrl+c"} {
			t.Run(q.name+", "+end, func(t *testing.T) {
				ctx, cancel := context.WithCancelCause(context.Background())
				defer cancel(nil)
				lines := append(append([]string{}, q.before...), q.wrong)
				var in io.Reader = &lineReader{lines}
				if end == "ctrl+c" {
					in = &blockingReader{lineReader: lineReader{lines}, atEnd: func() { cancel(&app.SignalError{Signal: os.Interrupt}) }}
				}
				var out bytes.Buffer
				res, err := RunAccessible(ctx, Options{
					File: parseFile(t, exampleYAML), ConfigPath: filepath.Join(t.TempDir(), "frontdoor.yaml"), Target: fixedTarget,
					Now: func() time.Time { return fixedNow }, LoadCertificates: noCerts, LoadClientCA: noClientCA, ImportCandidate: noImport,
				}, in, &out)
				if err != nil {
					t.Fatalf("%v\n%s", err, out.String())
				}
				if res.Dropped || res.Last != nil {
					t.Errorf("result %+v: the wrong answer was taken", res)
				}
				if text := out.String(); !strings.Contains(text, "Invalid") && !strings.Contains(text, "invalid") && !strings.Contains(text, q.wrong) {
					t.Errorf("the wrong answer is not refused:\n%s", text)
				}
			})
		}
	}
}
