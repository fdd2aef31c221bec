package proxy

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"frontdoor/app"
	"frontdoor/config"
	"frontdoor/tui/components/form"
	"frontdoor/tui/pages/save"
)

// The review step's part in a save: the checks it shows before one (the
// module probe, the validation on this machine), starting a save or a
// settings-only save, following one that ended, and the settings read again
// after a conflict. The save itself is the save component's (app's jobs).

// Redetect resolves every provider's target again, from the settings file
// as it is now (its save: section) and the layout on disk now, keeping
// what the user typed: at start, after the settings file was read again,
// when the review step opens and after a save, so its notes ("conf.d does
// not exist") are about the machine now.
func (p *Page) Redetect() tea.Cmd {
	if p.opts.Resolve == nil {
		return nil
	}
	return detectCmd(p.opts.Resolve, p.loadedSettings())
}

// DetectNow is Redetect done at once, for accessible mode (no Bubble Tea
// there: plain IO between questions is fine).
func (p *Page) DetectNow() {
	if p.opts.Resolve != nil {
		p.doc.SetDetected(DetectTargets(p.opts.Resolve, p.loadedSettings()))
	}
}

// loadedSettings is the settings file as last loaded or written (nil when
// there is none), whose save: section the targets are resolved from.
func (p *Page) loadedSettings() *config.File {
	if b := p.doc.Base(); b != nil {
		return b.Settings()
	}
	return nil
}

// Probed takes a module probe (the save component keeps the one for the
// current target and settings).
func (p *Page) Probed(msg save.ProbeMsg) { p.save.SetProbe(&msg.Probe) }

// Validated takes the validation on this machine.
func (p *Page) Validated(msg save.HereMsg) { p.save.SetHere(msg) }

// reviewChecks start what the review step shows of a save before it runs:
// Apache's module probe for the current target and settings, and the
// validation on this machine (app.ProbeModules, app.ValidateHere), each
// once for what it depends on.
func (p *Page) reviewChecks() tea.Cmd {
	if p.step != StepReview || !p.doc.Detected() {
		return nil
	}
	var cmds []tea.Cmd
	t := p.doc.Target.App()
	if key := save.ProbeKey(t, &p.doc.File.Proxy); key != "" && p.save.ProbeFor(key) == nil && key != p.probing {
		p.probing = key
		cmds = append(cmds, save.ProbeCmd(t, p.doc.File.Proxy.Clone()))
	}
	if p.save.HereFor(p.settingsGen) == nil && p.validating != p.settingsGen {
		p.validating = p.settingsGen
		cmds = append(cmds, save.HereCmd(p.settingsGen, p.doc.ForSave(), p.doc.Now(), t.Root.Value))
	}
	return tea.Batch(cmds...)
}

// StartSave saves the snippet and the settings through app.Save in a
// command (see save.Model.Begin); it refuses while errors remain and shows
// the first one.
func (p *Page) StartSave() tea.Cmd {
	if p.save.Saving() {
		return nil
	}
	if p.doc.Proxy.Issues.Errors > 0 {
		cmd := p.GotoFirstError()
		p.status.Set("fix the errors first") // after the step changed, which clears the status
		return cmd
	}
	if !p.doc.Detected() {
		// Without a target app would write the settings only: not what
		// Save says it does.
		p.status.Set("not saved: still finding where the snippet goes; save again in a moment")
		return nil
	}
	p.status.Clear()
	if p.opts.Resolve == nil {
		return p.beginSave(app.OpSave)
	}
	// Where it goes is resolved again first (a command: detection stats
	// the file system), then the save begins with it (saveTargetsMsg).
	resolve, loaded := p.opts.Resolve, p.loadedSettings()
	return func() tea.Msg { return saveTargetsMsg{targets: DetectTargets(resolve, loaded), op: app.OpSave} }
}

// saveTargetsResolved takes the targets resolved for the save asked for,
// and begins it.
func (p *Page) saveTargetsResolved(msg saveTargetsMsg) tea.Cmd {
	if p.save.Saving() {
		return nil
	}
	p.doc.SetDetected(msg.targets)
	return p.beginSave(msg.op)
}

// beginSave starts the save job, the report pane following its steps.
func (p *Page) beginSave(op app.Op) tea.Cmd {
	p.showReport()
	return p.save.Begin(save.NewJob(op, p.doc))
}

// SaveSettingsOnly writes the settings file without installing a snippet
// (app.SaveSettings): a value validation rejects is refused there, and the
// report says why.
func (p *Page) SaveSettingsOnly() tea.Cmd {
	if p.save.Saving() {
		return nil
	}
	if why := save.SettingsRefusal(p.doc); why != "" {
		cmd := p.GotoFirstError()
		p.status.Set(why)
		return cmd
	}
	p.status.Clear()
	p.showReport()
	return p.save.Begin(save.NewJob(app.OpSettings, p.doc))
}

// showReport opens the review step with the report pane, which follows the
// running save's steps.
func (p *Page) showReport() {
	if p.step != StepReview {
		p.forms[StepReview].FocusKind(form.Button)
		p.step = StepReview
		p.shown = true
	}
	p.reportFocused, p.reportBig = false, true
	p.reportOf, p.reportSteps = nil, -1
}

// SaveDone follows a finished save: the report sits below the buttons,
// opened where a step failed (else at its top), and the file at the target
// changed.
func (p *Page) SaveDone() tea.Cmd {
	if p.step == StepReview {
		if fd := p.form().Focused(); fd == nil || fd.Kind != form.Button {
			p.forms[StepReview].FocusKind(form.Button)
		}
		p.form().Load()
	}
	p.reportFocused, p.reportBig = false, true
	p.reportSteps = -1 // laid out again, then placed where a step failed
	p.placeReport = true
	return tea.Batch(p.reloadTarget(true), p.reviewChecks())
}

// Reloaded follows settings replaced from outside the page (the settings
// file read again after a conflict): validation, every read, the targets.
func (p *Page) Reloaded() tea.Cmd {
	p.settingsGen++
	p.countSteps()
	for _, f := range p.forms {
		f.FixFocus(+1)
	}
	p.form().Load()
	return tea.Batch(p.previewCmd(), p.certCmd(false), p.nodesCmd(false), p.Redetect())
}

// FieldLabel names the field a settings path belongs to ("proxy.docker.
// repositories[1].port" is "Repositories"), as the steps label it, for the
// quit dialog's list of what is unsaved; the path itself when no field
// holds it.
func (p *Page) FieldLabel(path string) string {
	best, label := "", ""
	for _, f := range p.forms {
		for _, fd := range f.Fields() {
			fp := fd.Path
			if fp == "" || fd.Label == "" || len(fp) <= len(best) {
				continue
			}
			if path == fp || strings.HasPrefix(path, fp+".") || strings.HasPrefix(path, fp+"[") {
				best, label = fp, fd.Label
			}
		}
	}
	if label == "" {
		return strings.TrimPrefix(path, "proxy.")
	}
	return label
}
