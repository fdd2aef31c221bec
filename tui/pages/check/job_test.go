package check

import (
	"context"
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"frontdoor/doorcheck"
	"frontdoor/doorcheck/standin"
)

// esc cancels a check of a door that accepts and never answers: the run
// ends (canceled) without waiting for its timeout.
func TestCancelEndsTheRun(t *testing.T) {
	port := standin.ListenSilent(t)
	plan, err := doorcheck.FromURL(fmt.Sprintf("https://127.0.0.1:%d", port), nil)
	if err != nil {
		t.Fatal(err)
	}
	j := newJob(true)
	cmd := j.Start(func(ctx context.Context, report func(doorcheck.Step)) doorcheck.Result {
		// A timeout far beyond the test's: only the cancel can end the run.
		return doorcheck.Run(ctx, plan, doorcheck.Options{Timeout: time.Hour}, report)
	})
	msgs := make(chan tea.Msg, 16)
	for _, c := range cmd().(tea.BatchMsg) {
		go func() { msgs <- c() }()
	}
	if !j.Cancel() || j.Cancel() {
		t.Fatal("Cancel: want true once, then false")
	}
	var res *doorcheck.Result
	for res == nil {
		msg := <-msgs
		jm, ok := msg.(jobMsg)
		if !ok {
			continue
		}
		next := j.Update(jm.Msg, func([]doorcheck.Step) {}, func(r doorcheck.Result) { res = &r })
		if next != nil {
			go func() { msgs <- next() }()
		}
	}
	if !res.Canceled || j.Running() {
		t.Fatalf("want a canceled run, got %+v (running %v)", res, j.Running())
	}
}
