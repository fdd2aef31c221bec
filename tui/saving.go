package tui

import (
	"errors"

	tea "charm.land/bubbletea/v2"

	"frontdoor/app"
	"frontdoor/tui/components/confirm"
	"frontdoor/tui/components/scroller"
	"frontdoor/tui/pages/save"
)

// The root's part in saving: every save is a job of the save component
// (app.Save, app.SaveSettings), started by the HTTP review step, the LDAP
// screen or the quit dialog; the root routes its end to the screens and owns
// the dialogs around it (unsaved changes, a settings file changed on disk).

// errSaveRunning answers a save asked for while another one runs.
var errSaveRunning = errors.New("a save is running")

// requestQuit quits at once when nothing would be lost, else asks: save
// the settings and quit, quit without saving, or cancel.
func (m *Model) requestQuit() tea.Cmd {
	if m.save.Saving() {
		m.cancelSave()
		return nil
	}
	if !m.doc.Dirty() {
		return m.quit()
	}
	m.confirm = &confirm.Dialog{
		Question: "Unsaved changes",
		Detail:   save.QuitText(save.Unsaved(m.doc, m.proxy.FieldLabel), m.settingsPath()),
		Choices: []confirm.Choice{
			{Keys: []string{"s", "enter"}, Label: "save settings and quit", Do: m.saveAndQuit},
			{Keys: []string{"q", "y"}, Label: "quit without saving", Do: m.quit},
		},
	}
	return nil
}

// cancelSave cancels the running save, as Ctrl+C does for `frontdoor save`:
// a check is interrupted and what the save changed is put back.
func (m *Model) cancelSave() {
	m.save.Cancel()
	m.status.Set("cancelling the save: what it changed is put back")
}

// saveAndQuit writes the settings (app.SaveSettings: a value validation
// rejects is refused, a file changed on disk is a conflict) and quits once
// they are written.
func (m *Model) saveAndQuit() tea.Cmd {
	if why := save.SettingsRefusal(m.doc); why != "" {
		// Refused as the review step's Save settings only refuses it: the
		// wizard stays, on the error's field.
		m.show(screenHTTP)
		cmd := m.proxy.GotoFirstError()
		m.status.Set("not quitting: " + why)
		return cmd
	}
	m.status.Set("writing the settings…")
	return m.save.Begin(save.QuitJob(m.doc))
}

// saveLDAP runs the LDAP screen's save of its settings over the document's
// baseline.
func (m *Model) saveLDAP(msg save.SettingsRequestMsg) tea.Cmd {
	if m.save.Saving() {
		return func() tea.Msg { return save.SettingsDoneMsg{Path: msg.Path, Err: errSaveRunning} }
	}
	return m.save.Begin(save.Job{Op: app.OpSettings, LDAP: true, Req: save.LDAPRequest(m.doc, msg.File)})
}

// saveDone follows a finished save: the screens learn of it, a file
// changed on disk opens the conflict dialog, "save settings and quit"
// quits once written, and shows why when it was not.
func (m *Model) saveDone(msg save.DoneMsg) tea.Cmd {
	status := m.save.Done(msg, m.doc)
	m.status.Set(status)
	rep := msg.Report
	m.imp.SavedBy(&rep)
	var cmds []tea.Cmd
	if msg.Job.LDAP {
		m.ldap.Saved(save.LDAPDone(msg))
	}
	if m.screen == screenHTTP || !msg.Job.LDAP {
		cmds = append(cmds, m.proxy.SaveDone())
	}
	switch {
	case rep.Conflict != nil:
		m.conflictDialog()
	case msg.Job.Quit && rep.Err == nil:
		return m.quit()
	case msg.Job.Quit:
		// Not written (a rejected value, an I/O error): the report says
		// why, on the review step.
		m.show(screenHTTP)
		m.status.Set("not quitting: " + status)
		cmds = append(cmds, m.proxy.OpenSave())
	case msg.Job.Op == app.OpSave && !msg.Job.LDAP && rep.Saved() && m.confirm == nil:
		m.offerCheck(rep)
	}
	return tea.Batch(cmds...)
}

// conflictDialog shows what changed on disk and asks: reload (take
// theirs), overwrite (take mine), merge (keep both) or cancel.
func (m *Model) conflictDialog() {
	d := m.save.Conflict()
	body := scroller.New(m.styles.Scroller)
	body.SetContent(save.ConflictLines(d), nil)
	body.SetWrap(true)
	var choices []confirm.Choice
	for _, o := range save.ConflictOptions(d) {
		choices = append(choices, confirm.Choice{Keys: []string{o.Key}, Label: o.Label, Do: func() tea.Cmd { return m.resolve(o.Answer) }})
	}
	m.confirm = &confirm.Dialog{
		Question: save.ConflictQuestion(d),
		Detail:   save.ConflictText(d),
		Body:     &body,
		Choices:  choices,
		OnCancel: func() tea.Cmd {
			m.save.DropConflict()
			m.status.Set(save.ConflictCancelled(d))
			return nil
		},
	}
}

// resolve acts on the answer to the conflict dialog.
func (m *Model) resolve(a save.Answer) tea.Cmd {
	cmd, status, reread := m.save.Resolve(a, m.doc)
	var cmds []tea.Cmd
	if reread {
		cmds = append(cmds, m.proxy.Reloaded())
		m.ldap.Open() // the LDAP list shows the file's settings
	}
	m.status.Set(status) // after Open, which clears the status line
	return tea.Batch(append(cmds, cmd)...)
}

func (m *Model) quit() tea.Cmd {
	m.check.Cancel() // a check running goes no further
	m.quitting = true
	m.dropped = m.doc.Dirty() // only "quit without saving" leaves with changes
	return tea.Quit
}
