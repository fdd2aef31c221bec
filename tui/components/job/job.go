// Package job runs one background call of a screen (a door check, an LDAP
// test, a user listing) on a command's goroutine and streams its steps back
// to the UI: a run id so a late message of an earlier run is dropped, esc
// cancelling the run's context, and a spinner while it goes.
//
// Steps go into a queue that never blocks the call (no channel to fill up
// while the UI draws: a check of a big door reports thousands of steps);
// the UI takes what came in since it last looked, up to Options.PerMessage
// steps a message, and so keeps drawing between them. The end comes in a
// message of its own, after the last step.
package job

import (
	"context"
	"sync"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
)

// Msg is one of a job's messages: steps that ended, the end with the
// call's result, or a tick of the spinner. A page wraps it in its own
// message type (Options.Wrap) so the root routes it back to the page.
type Msg[S, R any] struct {
	run    int
	Steps  []S  // the steps that ended since the last message, in order
	Done   bool // the call returned: Result is what it returned
	Result R
	spin   tea.Msg
}

// Options tune a job.
type Options[S, R any] struct {
	// Wrap turns the job's messages into the page's (nil: as they are).
	Wrap func(Msg[S, R]) tea.Msg
	// PerMessage bounds the steps one message carries (0: every step
	// waiting), so a page can draw each step as it comes.
	PerMessage int
	// NoSpin leaves the spinner out of the command queue (tests).
	NoSpin bool
}

// Job is one background call at a time, and its spinner.
type Job[S, R any] struct {
	opts      Options[S, R]
	id        int // the run going or last run; ids only grow
	running   bool
	canceling bool
	cancel    context.CancelFunc
	queue     *queue[S, R]
	spinner   spinner.Model
}

// New is a job that has not run.
func New[S, R any](opts Options[S, R]) Job[S, R] {
	return Job[S, R]{opts: opts, spinner: spinner.New(spinner.WithSpinner(spinner.MiniDot))}
}

// SetNoSpin turns the spinner's ticks off or on for the next runs (tests).
func (j *Job[S, R]) SetNoSpin(v bool) { j.opts.NoSpin = v }

// Running reports whether a call runs (until its end message is taken).
func (j *Job[S, R]) Running() bool { return j.running }

// Canceling reports whether the running call was asked to stop.
func (j *Job[S, R]) Canceling() bool { return j.running && j.canceling }

// Spinner is the spinner's frame, for the running line.
func (j *Job[S, R]) Spinner() string { return j.spinner.View() }

// Start runs work in a command. work reports each step to emit (never
// blocks) and returns the result; ctx ends when Cancel is called. A running
// job is not started again (nil).
func (j *Job[S, R]) Start(work func(ctx context.Context, emit func(S)) R) tea.Cmd {
	if j.running {
		return nil
	}
	j.begin()
	ctx, cancel := context.WithCancel(context.Background())
	j.cancel = cancel
	q := j.queue
	run := func() tea.Msg {
		res := work(ctx, q.push)
		cancel()
		q.finish(res)
		return nil
	}
	cmds := []tea.Cmd{run, j.wait()}
	if !j.opts.NoSpin {
		cmds = append(cmds, j.tick(j.id, j.spinner.Tick))
	}
	return tea.Batch(cmds...)
}

func (j *Job[S, R]) begin() {
	j.id++
	j.running, j.canceling = true, false
	j.cancel = func() {}
	j.queue = newQueue[S, R]()
}

// Replay shows a recorded run through the messages a real one sends, with
// no goroutine: the steps (as many a message as a run's), then the end
// when res is not nil. The goldens draw runs this way; real runs are tested
// against real servers.
func (j *Job[S, R]) Replay(steps []S, res *R, onSteps func([]S), onDone func(R)) {
	j.begin()
	q := j.queue
	for _, st := range steps {
		q.push(st)
	}
	if res != nil {
		q.finish(*res)
	}
	for j.running && (len(q.steps) > 0 || q.done) {
		steps, done, r := q.take(j.opts.PerMessage)
		j.Update(Msg[S, R]{run: j.id, Steps: steps, Done: done, Result: r}, onSteps, onDone)
	}
}

// Cancel asks the running call to stop, once; false when there is nothing
// to cancel (none runs, or it was asked already).
func (j *Job[S, R]) Cancel() bool {
	if !j.running || j.canceling {
		return false
	}
	j.canceling = true
	j.cancel()
	return true
}

// wait takes the run's next steps, or its end.
func (j *Job[S, R]) wait() tea.Cmd {
	id, q, limit, wrap := j.id, j.queue, j.opts.PerMessage, j.wrapper()
	return func() tea.Msg {
		steps, done, res := q.take(limit)
		return wrap(Msg[S, R]{run: id, Steps: steps, Done: done, Result: res})
	}
}

// tick advances the spinner while the run goes.
func (j *Job[S, R]) tick(id int, cmd tea.Cmd) tea.Cmd {
	wrap := j.wrapper()
	return func() tea.Msg { return wrap(Msg[S, R]{run: id, spin: cmd()}) }
}

// wrapper is Options.Wrap, or the message as it is.
func (j *Job[S, R]) wrapper() func(Msg[S, R]) tea.Msg {
	if j.opts.Wrap != nil {
		return j.opts.Wrap
	}
	return func(m Msg[S, R]) tea.Msg { return m }
}

// Update takes one of the job's messages: steps go to onSteps, the end to
// onDone, the spinner is advanced here; a message of another run, or of a
// run that ended, is dropped. The command waits for what comes next.
func (j *Job[S, R]) Update(m Msg[S, R], onSteps func([]S), onDone func(R)) tea.Cmd {
	if m.run != j.id || !j.running {
		return nil
	}
	if m.spin != nil {
		var cmd tea.Cmd
		j.spinner, cmd = j.spinner.Update(m.spin)
		if cmd == nil {
			return nil
		}
		return j.tick(m.run, cmd)
	}
	if len(m.Steps) > 0 {
		onSteps(m.Steps)
	}
	if !m.Done {
		return j.wait()
	}
	j.running, j.canceling = false, false
	j.queue = nil
	onDone(m.Result)
	return nil
}

// queue is the steps of one run waiting for the UI, then its result.
type queue[S, R any] struct {
	mu     sync.Mutex
	steps  []S
	done   bool
	result R
	wake   chan struct{} // one pending wake-up at most: push never blocks
}

func newQueue[S, R any]() *queue[S, R] { return &queue[S, R]{wake: make(chan struct{}, 1)} }

func (q *queue[S, R]) signal() {
	select {
	case q.wake <- struct{}{}:
	default: // a wake-up is pending: the reader takes everything then
	}
}

// push adds a step; it never blocks on the reader.
func (q *queue[S, R]) push(st S) {
	q.mu.Lock()
	q.steps = append(q.steps, st)
	q.mu.Unlock()
	q.signal()
}

// finish records the run's result after its last step.
func (q *queue[S, R]) finish(res R) {
	q.mu.Lock()
	q.done, q.result = true, res
	q.mu.Unlock()
	q.signal()
}

// take waits until there is something and takes it: up to limit steps
// (0: all) that came in; the result once every step was taken.
func (q *queue[S, R]) take(limit int) (steps []S, done bool, res R) {
	for {
		q.mu.Lock()
		if n := len(q.steps); n > 0 {
			if limit > 0 && n > limit {
				steps = append([]S(nil), q.steps[:limit]...)
				q.steps = q.steps[limit:]
			} else {
				steps, q.steps = q.steps, nil
			}
			q.mu.Unlock()
			return steps, false, res
		}
		if q.done {
			res = q.result
			q.mu.Unlock()
			return nil, true, res
		}
		q.mu.Unlock()
		<-q.wake
	}
}
