package save

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"frontdoor/app"
	"frontdoor/config"
	"frontdoor/finding"
	"frontdoor/install"
	"frontdoor/ldapcheck"
	"frontdoor/render"
	"frontdoor/tui/document"
)

// The save's messages. Every write runs in Begin's goroutine through app;
// the probe and the validation of the review step in their own commands.

// StepMsg is one step of the running save, as it happens.
type StepMsg struct{ Step install.Step }

// DoneMsg carries a finished save.
type DoneMsg struct {
	Job    Job
	Report app.Report
}

// SettingsRequestMsg asks the wizard to write the settings file alone with
// the LDAP screen's settings (SettingsCmd); the root runs it as a Job.
type SettingsRequestMsg struct {
	Path string
	File config.File
}

// SettingsDoneMsg carries a finished save of the LDAP settings.
type SettingsDoneMsg struct {
	LDAP ldapcheck.Config
	Path string
	Err  error
}

// SettingsCmd asks for frontdoor.yaml to be written with f (the LDAP
// screen's save: document.ForLDAPSave). The write itself is the root's
// (app.SaveSettings over the document's baseline, so a file changed on disk
// is never overwritten); the answer is a SettingsDoneMsg.
func SettingsCmd(path string, f config.File) tea.Cmd {
	return func() tea.Msg { return SettingsRequestMsg{Path: path, File: f} }
}

// LDAPDone is the LDAP screen's answer to a finished save of its settings.
func LDAPDone(d DoneMsg) SettingsDoneMsg {
	msg := SettingsDoneMsg{Path: d.Report.SettingsFile, Err: d.Report.Err}
	if d.Job.Req.Settings != nil {
		msg.LDAP = d.Job.Req.Settings.LDAP
	}
	if msg.Err == nil && d.Report.Settings != app.SettingsWritten && d.Report.Settings != app.SettingsUnchanged {
		msg.Err = errors.New(d.Report.Headline())
	}
	return msg
}

// Probe is the Apache module probe of the review step (app.ProbeModules):
// the step a save would show, for the target and modules in Key.
type Probe struct {
	Key  string
	Step install.Step
	OK   bool // false: nothing to probe (not Apache, or no apache2ctl known)
}

// ProbeMsg carries a module probe.
type ProbeMsg struct{ Probe Probe }

// ProbeKey names what a probe depends on: the target's root and Apache
// control program, and the modules the settings need.
func ProbeKey(t app.Target, s *render.Settings) string {
	if s.Provider != render.Apache {
		return ""
	}
	return strings.Join([]string{t.Root.Value, t.Detected.ApacheCtl, install.FormatCommand(t.Detected.ModulesCmd), strings.Join(render.ApacheModules(s), " ")}, "\x00")
}

// ProbeCmd probes Apache's modules as a save would, before the write.
func ProbeCmd(t app.Target, s render.Settings) tea.Cmd {
	key := ProbeKey(t, &s)
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		step, ok := app.ProbeModules(ctx, t, &s)
		return ProbeMsg{Probe{Key: key, Step: step, OK: ok}}
	}
}

// SetProbe takes a probe (nil forgets it).
func (m *Model) SetProbe(p *Probe) { m.probe = p }

// ProbeFor is the probe for key (nil when there is none yet).
func (m *Model) ProbeFor(key string) *Probe {
	if m.probe == nil || m.probe.Key != key {
		return nil
	}
	return m.probe
}

// HereMsg carries app.ValidateHere's findings for the settings of
// generation Gen: what a save's validation step will say.
type HereMsg struct {
	Gen      int
	Findings finding.Findings
}

// HereCmd validates the settings as a save does (certificate files, node
// names, LDAP, the save: section), off the program's goroutine.
func HereCmd(gen int, f config.File, now time.Time) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 2*render.NodeLookupTimeout)
		defer cancel()
		return HereMsg{Gen: gen, Findings: app.ValidateHere(ctx, &f, now)}
	}
}

// SetHere takes a validation.
func (m *Model) SetHere(h HereMsg) { m.here = &h }

// HereFor is the validation of generation gen (nil when not done yet).
func (m *Model) HereFor(gen int) *HereMsg {
	if m.here == nil || m.here.Gen != gen {
		return nil
	}
	return m.here
}

// Answer is the user's answer to a settings file changed on disk.
type Answer int

const (
	Reload    Answer = iota // take theirs: the file as it is now replaces the edits (ctrl+z brings them back)
	Overwrite               // take mine: save again over their change (their comments stay)
	Merge                   // keep both: their file with every change of mine on top, then save again
)

// Resolve acts on the user's answer to the stopped save (Conflict): it
// reads the file again (reload, merge), rebases the document on it, and
// for overwrite and merge starts the save again, as the settings file only
// when the snippet is already in place. status says what happened; reread
// says the file was read again (the save: section may name another target).
func (m *Model) Resolve(a Answer, doc *document.Document) (cmd tea.Cmd, status string, reread bool) {
	c := m.conflict
	if c == nil || m.saving {
		return nil, "", false
	}
	job := c.Job
	if c.Report.Install != nil { // the snippet is in place; only the settings file is left
		job.Op = app.OpSettings
	}
	base := job.Req.Doc
	path := base.Target()
	switch a {
	case Overwrite:
		job.Req.Overwrite = true
		return m.Begin(job), "writing your settings over the change to " + path, false
	case Reload:
		theirs, err := base.Reload()
		if err != nil {
			return nil, "could not read " + path + " again: " + err.Error(), false
		}
		m.conflict = nil
		doc.Rebase(theirs, theirs.Settings())
		return nil, "took " + path + " as it is on disk: your edits were replaced (ctrl+z brings them back); nothing saved", true
	}
	// Merge: every change of mine over their file as it is now.
	theirs, err := base.Reload()
	if err != nil {
		return nil, "could not read " + path + " again: " + err.Error(), false
	}
	loaded, now := base.Settings(), theirs.Settings()
	all := doc.ForSave()
	editor, _ := config.Merge(loaded, &all, now)
	merged, clashes := config.Merge(loaded, job.Req.Settings, now)
	doc.Rebase(theirs, editor)
	job.Req.Doc, job.Req.Settings = theirs, merged
	status = "kept both: " + path + " as it is now, with your changes on top"
	if len(clashes) > 0 {
		status += fmt.Sprintf("; both changed %s: yours kept", strings.Join(clashes, ", "))
	}
	return m.Begin(job), status, true
}

// ConflictText says what a stopped save did and what merging would do:
// the detail of the dialog, above Conflict.Summary (what changed there).
func ConflictText(d *Done) string {
	what := "Nothing was installed and nothing was written; your edits are kept until you choose."
	if d.Report.Install != nil {
		what = "The snippet is in place; the settings file was NOT written; your edits are kept until you choose."
	}
	return what + " " + MergeText(d)
}

// MergeText says what "merge" would do with the values both sides changed.
func MergeText(d *Done) string {
	doc, mine := d.Job.Req.Doc, d.Job.Req.Settings
	if doc == nil || mine == nil {
		return ""
	}
	_, clashes, err := doc.Merge(d.Report.Conflict, mine)
	switch {
	case err != nil:
		return "Merge is not possible: the file on disk is not valid settings (" + err.Error() + ")."
	case len(clashes) == 0:
		return "Merge keeps both: no value was changed on both sides."
	}
	return "Both changed " + strings.Join(clashes, ", ") + ": merge keeps yours there."
}
