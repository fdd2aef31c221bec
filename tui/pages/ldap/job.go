package ldap

import (
	"context"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"frontdoor/ldapcheck"
)

// job runs one ldapcheck call (a test, a listing) on a command's goroutine.
// Each step comes back as a StepMsg through a channel the UI reads one
// message at a time, so the UI keeps drawing between steps; cancel (esc)
// closes the connection. The test panel and the Users view each have one;
// run ids are unique across the screen, so a message finds its job.
type job struct {
	id        int
	running   bool
	canceling bool
	cancel    context.CancelFunc
	events    <-chan tea.Msg
	spinner   spinner.Model
}

type (
	// StepMsg carries one step of a run or a listing as it ends.
	StepMsg struct {
		run  int
		Step ldapcheck.Step
	}
	// doneMsg carries what the call returned (a Result, a UserList).
	doneMsg struct {
		run   int
		value any
	}
	spinMsg struct {
		run int
		msg tea.Msg
	}
)

func (StepMsg) ldapMsg() {}
func (doneMsg) ldapMsg() {}
func (spinMsg) ldapMsg() {}

// runOf is the run a message of a job belongs to (-1: not a job's).
func runOf(msg Msg) int {
	switch msg := msg.(type) {
	case StepMsg:
		return msg.run
	case doneMsg:
		return msg.run
	case spinMsg:
		return msg.run
	}
	return -1
}

func newJob() job { return job{spinner: spinner.New(spinner.WithSpinner(spinner.MiniDot))} }

// nextRun numbers runs across the screen's jobs.
func (s *Screen) nextRun() int {
	s.runs++
	return s.runs
}

// start runs work in a command; work reports steps and returns its value.
func (j *job) start(id int, spin bool, work func(ctx context.Context, report func(ldapcheck.Step)) any) tea.Cmd {
	j.id = id
	j.running, j.canceling = true, false
	ctx, cancel := context.WithCancel(context.Background())
	j.cancel = cancel
	// Buffered beyond any run's steps, so a run driven without a reader
	// (tests run commands one after the other) never blocks.
	events := make(chan tea.Msg, 256)
	j.events = events
	run := func() tea.Msg {
		defer close(events)
		v := work(ctx, func(st ldapcheck.Step) { events <- StepMsg{run: id, Step: st} })
		cancel()
		events <- doneMsg{run: id, value: v}
		return nil
	}
	cmds := []tea.Cmd{run, waitEvent(events)}
	if spin {
		cmds = append(cmds, j.spinTick())
	}
	return tea.Batch(cmds...)
}

// replay makes the job look started without a goroutine: the recorded
// messages are then fed to the owner by the caller (goldens).
func (j *job) replay(id int) {
	j.id = id
	j.running, j.canceling = true, false
	j.cancel = func() {}
	done := make(chan tea.Msg)
	close(done)
	j.events = done
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

// waitEvent waits for the run's next message.
func waitEvent(events <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-events
		if !ok {
			return nil
		}
		return msg
	}
}

// spinTick advances the spinner while a run is going; its messages are
// wrapped so the root routes them here.
func (j *job) spinTick() tea.Cmd {
	id := j.id
	tick := j.spinner.Tick
	return func() tea.Msg { return spinMsg{run: id, msg: tick()} }
}

// message takes one of the job's messages: step and done are handed to the
// owner (ok), the spinner is advanced here. The returned command waits for
// the next message.
func (j *job) message(msg Msg, onStep func(ldapcheck.Step), onDone func(any)) tea.Cmd {
	switch msg := msg.(type) {
	case StepMsg:
		if msg.run != j.id {
			return nil
		}
		onStep(msg.Step)
		return waitEvent(j.events)
	case doneMsg:
		if msg.run != j.id {
			return nil
		}
		j.running = false
		j.events = nil
		onDone(msg.value)
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

// runningLine is the last line while a job goes: the spinner and how to
// cancel.
func (s *Screen) runningLine(j *job) string {
	what := "running…"
	if j.canceling {
		what = "canceling…"
	}
	return "  " + s.st.Pointer.Render(j.spinner.View()) + " " + s.st.Subtle.Render(what+"  (esc cancels)")
}
