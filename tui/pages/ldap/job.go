package ldap

import (
	tea "charm.land/bubbletea/v2"

	"frontdoor/ldapcheck"
	"frontdoor/tui/components/job"
)

// The test panel and the Users view each run one ldapcheck call (a test, a
// listing) on a command's goroutine (components/job): each step comes back
// in a message of its own, so the UI draws it as it ends; cancel (esc)
// closes the connection.
type (
	testJob  = job.Job[ldapcheck.Step, ldapcheck.Result]
	usersJob = job.Job[ldapcheck.Step, ldapcheck.UserList]
)

type (
	// StepMsg carries one step of a run or a listing as it ends.
	StepMsg struct {
		Step ldapcheck.Step
		job  tea.Msg // the job's own message: testRun or usersRun
	}
	// jobMsg is another message of a job: its end, or its spinner.
	jobMsg struct {
		job tea.Msg
	}
	testRun  = job.Msg[ldapcheck.Step, ldapcheck.Result]
	usersRun = job.Msg[ldapcheck.Step, ldapcheck.UserList]
)

func (StepMsg) ldapMsg() {}
func (jobMsg) ldapMsg()  {}

// wrap is the screen's message for a job's: a StepMsg for a step.
func wrap[R any](m job.Msg[ldapcheck.Step, R]) tea.Msg {
	if len(m.Steps) == 1 {
		return StepMsg{Step: m.Steps[0], job: m}
	}
	return jobMsg{job: m}
}

// newJob is a job whose messages carry one step each.
func newJob[R any]() job.Job[ldapcheck.Step, R] {
	return job.New(job.Options[ldapcheck.Step, R]{Wrap: wrap[R], PerMessage: 1})
}

// jobMessage hands a job's message to the test panel or the Users view.
func (s *Screen) jobMessage(m tea.Msg) tea.Cmd {
	switch m := m.(type) {
	case testRun:
		return s.test.message(m)
	case usersRun:
		return s.users.message(m)
	}
	return nil
}

// runningLine is the last line while a job goes: the spinner and how to
// cancel.
func (s *Screen) runningLine(spinner string, canceling bool) string {
	what := "running…"
	if canceling {
		what = "canceling…"
	}
	return "  " + s.st.Pointer.Render(spinner) + " " + s.st.Subtle.Render(what+"  (esc cancels)")
}
