package check

import (
	"context"
	"sync"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"frontdoor/doorcheck"
)

// job runs doorcheck.Run on a command's goroutine. A check reports about
// three steps per Docker repository and a dozen more, thousands for a big
// door, so its steps go into a queue that never blocks the check (no channel
// to fill up while the UI draws): the UI takes every step that came in since
// it last looked, in one message, and so keeps drawing between them. esc
// cancels the run's context; doorcheck ends promptly.
type job struct {
	id        int
	running   bool
	canceling bool
	cancel    context.CancelFunc
	queue     *queue
	spinner   spinner.Model
}

// queue is the steps of one run waiting for the UI, then its result.
type queue struct {
	mu     sync.Mutex
	steps  []doorcheck.Step
	done   bool
	result doorcheck.Result
	wake   chan struct{} // one pending wake-up at most: push never blocks
}

func newQueue() *queue { return &queue{wake: make(chan struct{}, 1)} }

func (q *queue) signal() {
	select {
	case q.wake <- struct{}{}:
	default: // a wake-up is pending: the reader takes everything then
	}
}

// push adds a step; it never blocks on the reader.
func (q *queue) push(st doorcheck.Step) {
	q.mu.Lock()
	q.steps = append(q.steps, st)
	q.mu.Unlock()
	q.signal()
}

// finish records the run's result after its last step.
func (q *queue) finish(res doorcheck.Result) {
	q.mu.Lock()
	q.done, q.result = true, res
	q.mu.Unlock()
	q.signal()
}

// take waits until there is something and takes it all: the steps that
// came in, and the result once the run ended.
func (q *queue) take() (steps []doorcheck.Step, done bool, res doorcheck.Result) {
	for {
		q.mu.Lock()
		if len(q.steps) > 0 || q.done {
			steps, done, res = q.steps, q.done, q.result
			q.steps = nil
			q.mu.Unlock()
			return steps, done, res
		}
		q.mu.Unlock()
		<-q.wake
	}
}

// The messages of the page's commands; the root routes every Msg to
// Page.Message.
type (
	// stepsMsg carries the steps of run that ended since the last one,
	// and its result when it is over.
	stepsMsg struct {
		run    int
		steps  []doorcheck.Step
		done   bool
		result doorcheck.Result
	}
	spinMsg struct {
		run int
		msg tea.Msg
	}
)

// Msg marks the messages of the Check screen's commands.
type Msg interface{ checkMsg() }

func (stepsMsg) checkMsg() {}
func (spinMsg) checkMsg()  {}

func newJob() job { return job{spinner: spinner.New(spinner.WithSpinner(spinner.MiniDot))} }

// start runs work in a command; work reports steps and returns the result.
func (j *job) start(id int, spin bool, work func(ctx context.Context, report func(doorcheck.Step)) doorcheck.Result) tea.Cmd {
	j.id = id
	j.running, j.canceling = true, false
	ctx, cancel := context.WithCancel(context.Background())
	j.cancel = cancel
	q := newQueue()
	j.queue = q
	run := func() tea.Msg {
		res := work(ctx, q.push)
		cancel()
		q.finish(res)
		return nil
	}
	cmds := []tea.Cmd{run, j.wait()}
	if spin {
		cmds = append(cmds, j.spinTick())
	}
	return tea.Batch(cmds...)
}

// wait takes the run's next steps.
func (j *job) wait() tea.Cmd {
	id, q := j.id, j.queue
	return func() tea.Msg {
		steps, done, res := q.take()
		return stepsMsg{run: id, steps: steps, done: done, result: res}
	}
}

// stop cancels a running job once; false when there is nothing to cancel.
func (j *job) stop() bool {
	if !j.running || j.canceling {
		return false
	}
	j.canceling = true
	j.cancel()
	return true
}

// spinTick advances the spinner while a run is going; its messages are
// wrapped so the root routes them here.
func (j *job) spinTick() tea.Cmd {
	id := j.id
	tick := j.spinner.Tick
	return func() tea.Msg { return spinMsg{run: id, msg: tick()} }
}

// message takes one of the job's messages: steps go to onSteps, the end to
// onDone, the spinner is advanced here. The command waits for more.
func (j *job) message(msg Msg, onSteps func([]doorcheck.Step), onDone func(doorcheck.Result)) tea.Cmd {
	switch msg := msg.(type) {
	case stepsMsg:
		if msg.run != j.id || !j.running {
			return nil
		}
		onSteps(msg.steps)
		if !msg.done {
			return j.wait()
		}
		j.running = false
		j.queue = nil
		onDone(msg.result)
	case spinMsg:
		if msg.run != j.id || !j.running {
			return nil
		}
		var cmd tea.Cmd
		j.spinner, cmd = j.spinner.Update(msg.msg)
		if cmd == nil {
			return nil
		}
		id := msg.run
		return func() tea.Msg { return spinMsg{run: id, msg: cmd()} }
	}
	return nil
}
