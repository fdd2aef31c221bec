package check

import (
	"testing"

	"frontdoor/doorcheck"
)

func TestOutcome(t *testing.T) {
	tests := []struct {
		name string
		res  doorcheck.Result
		mark doorcheck.Status
		text string
	}{
		{"works", doorcheck.Result{Doors: 2}, doorcheck.StatusOK, "the door works"},
		{"warnings", doorcheck.Result{Warnings: 1}, doorcheck.StatusWarn, "the door works, with 1 warning"},
		{"failed", doorcheck.Result{Failed: 2}, doorcheck.StatusFail, "the door does not work: 2 steps failed"},
		{"timed out", doorcheck.Result{Failed: 1, TimedOut: true}, doorcheck.StatusFail, "the door does not work: 1 step failed (timed out)"},
		// A door that only redirects elsewhere: nothing failed, nothing was
		// proved either (it said "does not work: 0 steps failed").
		{"not checked", doorcheck.Result{NotChecked: "this door only redirects to https://other.example.com/; check that door"},
			doorcheck.StatusWarn, "not checked: this door only redirects to https://other.example.com/; check that door"},
		{"failed and not checked", doorcheck.Result{Failed: 1, NotChecked: "Artifactory did not answer through any door"},
			doorcheck.StatusFail, "the door does not work: 1 step failed"},
		{"canceled", doorcheck.Result{Canceled: true}, doorcheck.StatusWarn, "canceled"},
	}
	for _, tt := range tests {
		if mark, text := Outcome(tt.res); mark != tt.mark || text != tt.text {
			t.Errorf("%s: %v %q, want %v %q", tt.name, mark, text, tt.mark, tt.text)
		}
	}
}
