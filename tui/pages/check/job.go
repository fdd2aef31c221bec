package check

import (
	tea "charm.land/bubbletea/v2"

	"frontdoor/doorcheck"
	"frontdoor/tui/components/job"
)

// checkJob runs doorcheck.Run on a command's goroutine (components/job): a
// check reports about three steps per Docker repository and a dozen more,
// thousands for a big door, so the UI takes every step that came in since it
// last looked, in one message. esc cancels the run's context; doorcheck ends
// promptly.
type checkJob = job.Job[doorcheck.Step, doorcheck.Result]

// Msg marks the messages of the Check screen's commands; the root routes
// every Msg to Page.Message.
type Msg interface{ checkMsg() }

type (
	// jobMsg is one of the run's messages (steps, the end, the spinner).
	jobMsg struct {
		job.Msg[doorcheck.Step, doorcheck.Result]
	}
	// caFileMsg is what reading the CA file found (caFile.go).
	caFileMsg caAnswer
)

func (jobMsg) checkMsg()    {}
func (caFileMsg) checkMsg() {}

func newJob(noSpin bool) checkJob {
	return job.New(job.Options[doorcheck.Step, doorcheck.Result]{
		Wrap:   func(m job.Msg[doorcheck.Step, doorcheck.Result]) tea.Msg { return jobMsg{m} },
		NoSpin: noSpin,
	})
}
