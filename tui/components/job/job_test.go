package job

import (
	"context"
	"fmt"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// A call reports thousands of steps: the queue takes them all without a
// reader (the call's goroutine never waits on the UI), and the reader gets
// them in one message, or PerMessage at a time; the end comes after the
// last step, on its own.
func TestQueueNeverBlocksTheCall(t *testing.T) {
	tests := []struct {
		name      string
		limit     int
		wantTakes int
	}{
		{"all at once", 0, 1},
		{"one a message", 1, 10000},
		{"a hundred a message", 100, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := newQueue[string, int]()
			const n = 10000 // a door of ~3,000 repositories
			for i := range n {
				q.push(fmt.Sprint(i))
			}
			q.finish(7)
			var got []string
			takes := 0
			for {
				steps, done, res := q.take(tt.limit)
				if done {
					if len(steps) != 0 || res != 7 {
						t.Fatalf("the end carries %d steps, result %d", len(steps), res)
					}
					break
				}
				takes++
				got = append(got, steps...)
			}
			if len(got) != n || got[n-1] != fmt.Sprint(n-1) || takes != tt.wantTakes {
				t.Fatalf("took %d steps in %d messages, want %d in order in %d", len(got), takes, n, tt.wantTakes)
			}
		})
	}
}

// The reader waits for steps that come later, from another goroutine.
func TestQueueWakesTheReader(t *testing.T) {
	q := newQueue[int, bool]()
	go func() {
		for i := range 100 {
			q.push(i)
		}
		q.finish(true)
	}()
	got := 0
	for {
		steps, done, _ := q.take(0)
		got += len(steps)
		if done {
			break
		}
	}
	if got != 100 {
		t.Fatalf("the reader got %d steps, want 100", got)
	}
}

// drive runs a job's commands on goroutines and feeds their messages back
// until the run ends, as the program does.
func drive(t *testing.T, j *Job[int, string], cmd tea.Cmd, onSteps func([]int), before func()) string {
	t.Helper()
	msgs := make(chan tea.Msg, 16)
	for _, c := range cmd().(tea.BatchMsg) {
		go func() { msgs <- c() }()
	}
	if before != nil {
		before()
	}
	var res *string
	for res == nil {
		m, ok := (<-msgs).(Msg[int, string])
		if !ok {
			continue
		}
		next := j.Update(m, onSteps, func(r string) { res = &r })
		if next != nil {
			go func() { msgs <- next() }()
		}
	}
	return *res
}

// Cancel ends a call that only stops when asked: the run ends with what
// the call returned, once; a second Cancel does nothing.
func TestCancelEndsTheRun(t *testing.T) {
	j := New(Options[int, string]{NoSpin: true})
	cmd := j.Start(func(ctx context.Context, emit func(int)) string {
		emit(1)
		<-ctx.Done()
		return "canceled"
	})
	if !j.Running() || j.Start(func(context.Context, func(int)) string { return "" }) != nil {
		t.Fatal("a running job started again")
	}
	var steps []int
	res := drive(t, &j, cmd, func(s []int) { steps = append(steps, s...) }, func() {
		if !j.Cancel() || j.Cancel() || !j.Canceling() {
			t.Error("Cancel: want true once, then false")
		}
	})
	if res != "canceled" || j.Running() || j.Canceling() || len(steps) != 1 {
		t.Fatalf("result %q, running %v, steps %v", res, j.Running(), steps)
	}
}

// A late message of an earlier run (the spinner's, or a replayed run's
// leftovers) is dropped: the steps and the end go to the run they belong to.
func TestStaleRunIsDropped(t *testing.T) {
	j := New(Options[int, string]{PerMessage: 1, NoSpin: true})
	j.Replay([]int{1, 2}, nil, func([]int) {}, func(string) {})
	old := Msg[int, string]{run: j.id, Steps: []int{3}}
	j.Replay(nil, nil, func([]int) {}, func(string) {})
	if cmd := j.Update(old, func([]int) { t.Error("an earlier run's steps were taken") }, func(string) {}); cmd != nil {
		t.Error("a stale message asked for more")
	}
	var got []int
	var batches int
	end := ""
	j.Replay([]int{4, 5, 6}, new("ok"), func(s []int) { batches++; got = append(got, s...) }, func(r string) { end = r })
	if fmt.Sprint(got) != "[4 5 6]" || batches != 3 || end != "ok" || j.Running() {
		t.Fatalf("replay: steps %v in %d messages, end %q, running %v", got, batches, end, j.Running())
	}
}

// Wrap turns the job's messages into the page's own.
func TestWrap(t *testing.T) {
	type pageMsg struct{ m Msg[int, string] }
	j := New(Options[int, string]{Wrap: func(m Msg[int, string]) tea.Msg { return pageMsg{m} }})
	cmd := j.Start(func(_ context.Context, emit func(int)) string { emit(1); return "done" })
	var msgs []tea.Msg
	for _, c := range cmd().(tea.BatchMsg) {
		if m := c(); m != nil {
			msgs = append(msgs, m)
		}
	}
	if len(msgs) != 2 { // the steps, and the spinner's first tick
		t.Fatalf("messages %#v", msgs)
	}
	for _, m := range msgs {
		pm, ok := m.(pageMsg)
		if !ok {
			t.Fatalf("%T is not the page's message", m)
		}
		if cmd := j.Update(pm.m, func([]int) {}, func(string) {}); cmd == nil {
			t.Fatalf("no command after %+v", pm.m)
		}
	}
}
