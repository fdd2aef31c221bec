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

// A check of a big door reports thousands of steps: the queue takes them
// all without a reader (the check's goroutine never waits on the UI), and
// the reader gets them in one message.
func TestQueueNeverBlocksTheCheck(t *testing.T) {
	q := newQueue()
	const n = 10000 // a door of ~3,000 repositories
	for i := range n {
		q.push(doorcheck.Step{Name: fmt.Sprint(i)})
	}
	steps, done, _ := q.take()
	if len(steps) != n || done || steps[n-1].Name != fmt.Sprint(n-1) {
		t.Fatalf("took %d steps (done %v), want %d in order", len(steps), done, n)
	}
	q.push(doorcheck.Step{Name: "last"})
	q.finish(doorcheck.Result{Failed: 1})
	steps, done, res := q.take()
	if len(steps) != 1 || !done || res.Failed != 1 {
		t.Fatalf("after the end: %d steps, done %v, %+v", len(steps), done, res)
	}
}

// The reader waits for steps that come later, from another goroutine.
func TestQueueWakesTheReader(t *testing.T) {
	q := newQueue()
	go func() {
		for i := range 100 {
			q.push(doorcheck.Step{Name: fmt.Sprint(i)})
		}
		q.finish(doorcheck.Result{})
	}()
	got := 0
	for {
		steps, done, _ := q.take()
		got += len(steps)
		if done {
			break
		}
	}
	if got != 100 {
		t.Fatalf("the reader got %d steps, want 100", got)
	}
}

// esc cancels a check of a door that accepts and never answers: the run
// ends (canceled) without waiting for its timeout.
func TestCancelEndsTheRun(t *testing.T) {
	port := standin.ListenSilent(t)
	plan, err := doorcheck.FromURL(fmt.Sprintf("https://127.0.0.1:%d", port), nil)
	if err != nil {
		t.Fatal(err)
	}
	j := newJob()
	cmd := j.start(1, false, func(ctx context.Context, report func(doorcheck.Step)) doorcheck.Result {
		// A timeout far beyond the test's: only the cancel can end the run.
		return doorcheck.Run(ctx, plan, doorcheck.Options{Timeout: time.Hour}, report)
	})
	msgs := make(chan tea.Msg, 16)
	for _, c := range cmd().(tea.BatchMsg) {
		go func() { msgs <- c() }()
	}
	if !j.stop() || j.stop() {
		t.Fatal("stop: want true once, then false")
	}
	var res *doorcheck.Result
	for res == nil {
		msg := <-msgs
		sm, ok := msg.(stepsMsg)
		if !ok {
			continue
		}
		next := j.message(sm, func([]doorcheck.Step) {}, func(r doorcheck.Result) { res = &r })
		if next != nil {
			go func() { msgs <- next() }()
		}
	}
	if !res.Canceled || j.running {
		t.Fatalf("want a canceled run, got %+v (running %v)", res, j.running)
	}
}
