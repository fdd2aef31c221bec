package accessible

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"frontdoor/app"
	"frontdoor/install"
	"frontdoor/tui/common"
	"frontdoor/tui/pages/proxy"
	"frontdoor/tui/pages/save"
)

// Saves in accessible mode run the full-screen wizard's jobs (save.Model:
// app.Save, app.SaveSettings) on this goroutine: each step is read out as it
// happens, then the rest of app's report (where it went, the backups, the
// result), and a settings file changed on disk is asked about with the
// same choices as the full screen's dialog.

// runJob starts a job and follows it to its end; it returns false when the
// job did not start (a save runs).
func (s *session) runJob(job save.Job) (save.DoneMsg, bool) {
	return s.follow(s.Save.Begin(job))
}

// follow reads a running save's steps out until its DoneMsg, then asks
// about a conflict and follows the answer's save in turn.
func (s *session) follow(cmd tea.Cmd) (save.DoneMsg, bool) {
	head := false
	// Where the save goes is read before its steps, as the report prints it.
	readHead := func() {
		if !head {
			head = true
			s.println(lines(s.Save.Head(common.AccessibleWidth))...)
		}
	}
	// A failed settings step may be a conflict, known at the end: it is
	// read then, as the full screen's dialog shows it (save.ConflictStep).
	var held []install.Step
	for cmd != nil {
		switch msg := cmd().(type) {
		case proxy.Msg: // the target resolved again for the save: it begins
			cmd = s.Proxy.Message(msg)
		case save.StepMsg:
			readHead()
			if msg.Step.Kind == app.StepSettings && msg.Step.Mark == install.MarkFailed || len(held) > 0 {
				held = append(held, msg.Step)
			} else {
				s.println(save.StepLines(s.Styles, msg.Step, common.AccessibleWidth)...)
			}
			cmd = s.Save.Step(msg)
		case save.DoneMsg:
			readHead()
			return s.finish(msg, held)
		default:
			return save.DoneMsg{}, false
		}
	}
	return save.DoneMsg{}, false
}

// lines splits text that ends in a newline into its lines (none for "").
func lines(text string) []string {
	if text == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(text, "\n"), "\n")
}

// finish takes a finished save, reads the rest of its report out, tells the
// LDAP screen, and asks what to do when the settings file changed on disk.
func (s *session) finish(msg save.DoneMsg, held []install.Step) (save.DoneMsg, bool) {
	s.Status.Set(s.Save.Done(msg, s.Doc))
	d := s.Save.Conflict()
	for _, step := range held {
		var details []string
		if d != nil {
			step, details = save.ConflictStep(d, step)
		}
		s.println(save.StepLines(s.Styles, step, common.AccessibleWidth)...)
		for _, l := range details {
			s.println("      " + l) // under the step's words, as its output is
		}
	}
	if msg.Job.LDAP {
		s.LDAP.Saved(save.LDAPDone(msg))
	}
	// Where it went and the steps were read out as they happened: the
	// backups, the restore command and the result are left.
	s.println(lines(msg.Report.RenderEnd(common.AccessibleWidth))...)
	if msg.Report.Conflict == nil {
		return msg, true
	}
	s.println(save.ConflictText(d)) // what changed there was read out with the step
	const cancel = -1
	choice := cancel
	var options []huh.Option[int]
	for i, o := range save.ConflictOptions(d) {
		options = append(options, huh.NewOption(o.Long, i))
	}
	options = append(options, huh.NewOption("Cancel: save nothing", cancel))
	err := s.runField(huh.NewSelect[int]().Title(save.ConflictQuestion(d) + ": what now? [Cancel]").Options(options...).Value(&choice))
	if err != nil || s.in.eof || choice == cancel {
		s.Save.DropConflict()
		said := save.ConflictCancelled(d)
		s.println(strings.ToUpper(said[:1]) + said[1:] + ".")
		return msg, true
	}
	answer := save.ConflictOptions(d)[choice].Answer
	cmd, status, _ := s.Save.Resolve(answer, s.Doc)
	s.println(status + ".")
	if cmd == nil {
		return msg, true
	}
	return s.follow(cmd)
}

// saved reports whether a finished save wrote what it was asked to.
func saved(msg save.DoneMsg) bool {
	rep := msg.Report
	return rep.Err == nil && (rep.Saved() || rep.Settings == app.SettingsWritten || rep.Settings == app.SettingsUnchanged)
}
