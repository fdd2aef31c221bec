// Package save is the wizard's save: the save options of the review step
// (each with where it came from), the Save and Save settings only buttons,
// the report of the last save (its steps streamed in as they happen), the
// answers to a settings file changed on disk, and the one place the wizard
// writes. Every write goes through package app, the pipeline `frontdoor
// save` uses (app.Save, app.SaveSettings), inside tea.Cmds (run.go); the
// component only takes their messages.
package save

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"frontdoor/app"
	"frontdoor/config"
	"frontdoor/install"
	"frontdoor/tui/document"
)

// Job is one save as the user asked for it.
type Job struct {
	// Op is app.OpSave (the snippet, then the settings file: app.Save) or
	// app.OpSettings (the settings file only: app.SaveSettings).
	Op app.Op
	// LDAP marks the LDAP screen's save, answered with a SettingsDoneMsg.
	LDAP bool
	// Quit: "save settings and quit"; the wizard quits once it is written.
	Quit bool
	Req  app.Request
	// LeftOut says what the settings written leave out on purpose (the
	// built-in example's LDAP directory): a step of the report once they
	// are written ("" for nothing; NewJob sets it).
	LeftOut string
}

// Done is a finished save: the job and app's report of it.
type Done struct {
	Job    Job
	Report app.Report
}

// Model is the save component: whether a save runs and the steps it took so
// far, the last save's report, a save stopped by a settings file changed on
// disk, and the checks of the review step (the module probe, the
// validation on this machine). The root owns it; the review step draws it.
type Model struct {
	// ctx is the program's: a signal that stops the wizard cancels a
	// running save with the signal as its cause (exit 130/143).
	ctx context.Context

	saving  bool
	job     Job
	cancel  context.CancelCauseFunc
	ch      chan tea.Msg    // the running save's steps, then its DoneMsg
	outcome chan app.Report // its report, also when the program has ended
	live    []install.Step

	last      *Done
	lastGood  *Done    // the last save that put something on disk
	conflict  *Done    // a save stopped by a settings file changed on disk, awaiting the user's answer
	probe     *Probe   // the Apache module probe for the review step
	here      *HereMsg // app.ValidateHere for the review step
	stopped   *app.Report
	installed string // the snippet file of the session's last save that installed one
}

// SetContext sets the context saves run under (the program's).
func (m *Model) SetContext(ctx context.Context) { m.ctx = ctx }

// Saving reports whether a save runs.
func (m *Model) Saving() bool { return m.saving }

// Job is the running save's job, or the last one's.
func (m *Model) Job() Job { return m.job }

// Live are the steps of the running save so far; the last may be a
// command's running step (install.Step.Running), until its outcome comes.
func (m *Model) Live() []install.Step { return m.live }

// Last is the last save's report (nil before any).
func (m *Model) Last() *app.Report {
	if m.last == nil {
		return nil
	}
	return &m.last.Report
}

// LastDone is the last save with its job (nil before any).
func (m *Model) LastDone() *Done { return m.last }

// LastGood is the last save that put the snippet or the settings on disk
// (nil when none did).
func (m *Model) LastGood() *Done { return m.lastGood }

// Installed is the snippet file of the session's last save that installed
// one ("" when none did).
func (m *Model) Installed() string { return m.installed }

// Stopped is the report of a save the program's end cancelled (Wait).
func (m *Model) Stopped() *app.Report { return m.stopped }

// Conflict is the save stopped by a settings file changed on disk, until the
// user answers (nil when none).
func (m *Model) Conflict() *Done { return m.conflict }

// DropConflict forgets the stopped save: the user cancelled.
func (m *Model) DropConflict() { m.conflict = nil }

// Begin starts a job in a tea.Cmd: app.Save or app.SaveSettings on a
// goroutine, each step sent as a StepMsg as it happens, then a DoneMsg.
// It does nothing while a save runs.
func (m *Model) Begin(job Job) tea.Cmd {
	if m.saving {
		return nil
	}
	parent := m.ctx
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancelCause(parent)
	ch, outcome := make(chan tea.Msg, 64), make(chan app.Report, 1)
	job.Req.Progress = func(s install.Step) { ch <- StepMsg{Step: s} } // on the save's goroutine
	go func() {
		var rep app.Report
		if job.Op == app.OpSettings {
			rep = app.SaveSettings(job.Req)
		} else {
			rep = app.Save(ctx, job.Req)
		}
		for _, s := range job.notes(rep) {
			rep.Steps = append(rep.Steps, s)
			ch <- StepMsg{Step: s}
		}
		outcome <- rep // buffered: never blocks
		ch <- DoneMsg{Job: job, Report: rep}
		close(ch)
	}()
	m.saving, m.job, m.cancel, m.ch, m.outcome, m.live = true, job, cancel, ch, outcome, nil
	m.conflict = nil
	return m.next()
}

// next waits for the running save's next message.
func (m *Model) next() tea.Cmd {
	ch := m.ch
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		return msg
	}
}

// Step takes a step of the running save and asks for the next message.
func (m *Model) Step(msg StepMsg) tea.Cmd {
	if !m.saving {
		return nil
	}
	// A command's "running" step is shown until the step that ends it (or
	// any next one) comes: it is progress, not a step of the report.
	if n := len(m.live); n > 0 && m.live[n-1].Running() {
		m.live = m.live[:n-1]
	}
	m.live = append(m.live, msg.Step)
	return m.next()
}

// Cancel stops a running save: a check is interrupted and what the save
// changed is put back ("cancelled, rolled back").
func (m *Model) Cancel() {
	if m.saving && m.cancel != nil {
		m.cancel(nil)
	}
}

// Wait cancels a running save with cause (the signal that stopped the
// program; nil: cancelled) and waits for its rollback: the program has
// ended, so nothing else takes its messages. A save that finished before
// the cancel counts.
func (m *Model) Wait(cause error) {
	if !m.saving {
		return
	}
	m.cancel(cause)
	ch := m.ch
	for {
		select {
		case rep := <-m.outcome:
			m.saving = false
			d := Done{Job: m.job, Report: rep}
			m.record(&d)
			if rep.Cancelled() {
				m.stopped = &d.Report
			}
			return
		case _, ok := <-ch: // the steps nobody draws any more: let the save go on
			if !ok {
				ch = nil
			}
		}
	}
}

// record keeps a finished save as the last one (and the last good one).
func (m *Model) record(d *Done) {
	m.last = d
	if wrote(d.Report) {
		m.lastGood = d
	}
	if f := d.Report.Installed(); f != "" {
		m.installed = f
	}
}

// wrote reports whether a save put the snippet or the settings on disk.
func wrote(rep app.Report) bool {
	return rep.Saved() || rep.Settings == app.SettingsWritten || rep.Settings == app.SettingsUnchanged
}

// Done takes a finished save: what it wrote is the settings file now (the
// document's new baseline); a file changed on disk keeps the job for the
// user's answer (Conflict). status is the news for the status line.
func (m *Model) Done(msg DoneMsg, doc *document.Document) (status string) {
	m.saving = false
	if m.cancel != nil {
		m.cancel(nil) // releases the save's context
	}
	rep := msg.Report
	d := Done{Job: msg.Job, Report: rep}
	m.record(&d)
	if rep.Cancelled() {
		m.stopped = &d.Report
	}
	if rep.Document != nil && (rep.Settings == app.SettingsWritten || rep.Settings == app.SettingsUnchanged) {
		written := msg.Job.Req.Settings
		if written == nil {
			written = rep.Document.Settings()
		}
		doc.Saved(rep.Document, written)
	}
	if rep.Conflict != nil {
		m.conflict = &d
	}
	return rep.Headline()
}

// Request is the save of the document as the review step shows it: the
// settings as edited (a copy: editing goes on while it runs) over the file
// as last loaded or written, to the target with its origins.
func Request(doc *document.Document) app.Request {
	f := doc.ForSave()
	return app.Request{
		Doc: doc.BaseForSave(), Settings: &f, Target: doc.Target.App(), Remember: true,
		Verify: doc.Target.VerifyOn(), Now: doc.Now,
	}
}

// LDAPRequest is the LDAP screen's save: its LDAP settings and the rest of
// the file as on disk (document.ForLDAPSave); no save: section change.
func LDAPRequest(doc *document.Document, f config.File) app.Request {
	return app.Request{Doc: doc.BaseForSave(), Settings: &f, Now: doc.Now}
}
