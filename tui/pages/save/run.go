package save

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
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
func HereCmd(gen int, f config.File, now time.Time, root string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 2*render.NodeLookupTimeout)
		defer cancel()
		return HereMsg{Gen: gen, Findings: app.ValidateHere(ctx, &f, now, root)}
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
	Reload    Answer = iota // take theirs: the file as it is now replaces the edits (ctrl+z puts them back on top of it)
	Overwrite               // take mine: save again over their change (their comments stay)
	Merge                   // keep both: their file with every change of mine on top, then save again
)

// Resolve acts on the user's answer to the stopped save (Conflict): it
// reads the file again (reload, merge), rebases the document on it, and
// for overwrite and merge starts the save again, as the settings file only
// when the snippet is already in place. status says what happened; reread
// says the file was read again (the save: section may name another target).
//
// Settings loaded from the vendor's JSON were never loaded from the file:
// overwrite is then config's write of them into it (the values the JSON
// carries and the edits; the rest of the file stays), done as a merge, so
// the editor holds what is written and the next save's baseline is that
// file.
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
	vendor := base.Source() == config.FromVendorJSON
	switch {
	case a == Overwrite && !vendor:
		job.Req.Overwrite = true
		return m.Begin(job), "writing your settings over the change to " + path, false
	case a == Reload:
		theirs, err := base.Reload()
		if err != nil {
			return nil, "could not read " + path + " again: " + err.Error(), false
		}
		m.conflict = nil
		doc.Rebase(theirs, theirs.Settings())
		return nil, "took " + path + " as it is on disk: your edits were replaced (ctrl+z puts them back on top of it, as merge would); nothing saved", true
	}
	// Merge (and a vendor JSON's overwrite): every change of mine over their
	// file as it is now.
	theirs, err := base.Reload()
	if err != nil {
		return nil, "could not read " + path + " again: " + err.Error(), false
	}
	if !theirs.Exists() || theirs.Source() == config.FromVendorJSON {
		return nil, path + " is not there any more: save again to write it", false
	}
	now := &config.Conflict{Path: path, Exists: true, Theirs: theirs.Bytes()}
	all, mine := doc.ForSave(), *job.Req.Settings
	if doc.LDAPPlaceholder() {
		// The example's LDAP was left out as untouched, not deleted: their
		// file's ldap: section stays.
		all.LDAP, mine.LDAP = base.Settings().LDAP, base.Settings().LDAP
	}
	editor, _, err := base.Merge(now, &all)
	if err != nil {
		return nil, "could not merge into " + path + ": " + err.Error(), false
	}
	merged, clashes, _ := base.Merge(now, &mine)
	doc.Rebase(theirs, editor)
	job.Req.Doc, job.Req.Settings = theirs, merged
	status = "kept both: " + path + " as it is now, with your changes on top"
	if vendor {
		status = "writing the settings from " + filepath.Base(base.Path()) + " into " + path + "; the rest of it stays"
	}
	if len(clashes) > 0 {
		status += fmt.Sprintf("; both changed %s: yours kept", strings.Join(clashes, ", "))
	}
	return m.Begin(job), status, true
}

// ConflictCancelled says what cancelling the conflict dialog left: for the
// status line.
func ConflictCancelled(d *Done) string {
	c := d.Report.Conflict
	if c.From != "" {
		return "not saved: " + c.Path + " already holds settings; nothing written"
	}
	return "not saved: " + c.Path + " changed on disk; nothing written"
}

// ConflictOption is one answer the conflict dialog offers.
type ConflictOption struct {
	Answer Answer
	Key    string // the key of the wizard's dialog
	Label  string // beside the key: "reload (take theirs)"
	Long   string // accessible mode's sentence
}

// ConflictQuestion is the conflict dialog's question; the body under it
// is Conflict.Details.
func ConflictQuestion(d *Done) string {
	if c := d.Report.Conflict; c.From != "" {
		return filepath.Base(c.Path) + " already holds settings"
	}
	return "The settings file changed on disk"
}

// ConflictOptions are the answers that make sense for the conflict (cancel
// is always one too): a deleted file cannot be merged with nor reloaded; a
// file that never was loaded (beside the vendor's JSON) is written into,
// which keeps both, so merge is not another answer; one that is not valid
// settings can only be read again once corrected.
func ConflictOptions(d *Done) []ConflictOption {
	c := d.Report.Conflict
	name := filepath.Base(c.Path)
	switch {
	case c.From != "" && c.Unreadable != "":
		return []ConflictOption{{Reload, "r", "read it again (once corrected)", "Read " + name + " again, once corrected: your edits are replaced (nothing saved)"}}
	case c.From != "":
		return []ConflictOption{
			{Reload, "r", "open " + name + " (take theirs)", "Open " + name + " as it is: the settings from " + c.From + " are replaced (nothing saved)"},
			{Overwrite, "o", "write into it (the rest stays)", "Write: the changes listed go into " + name + ", the rest of it stays; then save"},
		}
	case !c.Exists:
		return []ConflictOption{{Overwrite, "o", "write it again (take mine)", "Write: save your settings as " + name + " again"}}
	}
	return []ConflictOption{
		{Reload, "r", "reload (take theirs)", "Reload: take the file as it is now; your edits are dropped (nothing saved)"},
		{Overwrite, "o", "overwrite (take mine)", "Overwrite: save yours over their change (their comments stay)"},
		{Merge, "m", "merge (keep both)", "Merge: keep both, their file with your changes on top, then save"},
	}
}

// ConflictText says what a stopped save did and what the answers would do:
// the detail of the dialog, above Conflict.Summary (what changed there, or
// what writing there would change).
func ConflictText(d *Done) string {
	what := "Nothing was installed and nothing was written; your edits are kept until you choose."
	if d.Report.Install != nil {
		what = "The snippet is in place; the settings file was NOT written; your edits are kept until you choose."
	}
	switch c := d.Report.Conflict; {
	case c.From != "":
		what = c.Path + " was not loaded: these settings came from " + c.From + ". " + what
	case !c.Exists:
		what = c.Path + " was deleted since it was loaded. " + what
	default:
		what = c.Path + " changed since it was loaded. " + what
	}
	if t := MergeText(d); t != "" {
		what += " " + t
	}
	return what
}

// MergeText says what merging (or, for a file that was never loaded,
// writing into it) would do with the values both sides set; "" when there
// is nothing to merge with.
func MergeText(d *Done) string {
	doc, mine, c := d.Job.Req.Doc, d.Job.Req.Settings, d.Report.Conflict
	if doc == nil || mine == nil || c == nil || !c.Exists {
		return ""
	}
	if c.From != "" {
		if c.Unreadable != "" {
			return "It is not valid settings: correct it, then r reads it again; or cancel and save elsewhere (--config other.yaml)."
		}
		said := "Writing into it changes only what is listed below."
		if _, clashes, err := doc.Merge(c, mine); err == nil && len(clashes) > 0 {
			said += " Among them, it says otherwise of " + strings.Join(clashes, ", ") + ": yours is written."
		}
		return said
	}
	_, clashes, err := doc.Merge(c, mine)
	switch {
	case err != nil:
		return "Merge is not possible: the file on disk is not valid settings (" + err.Error() + ")."
	case len(clashes) == 0:
		return "Merge keeps both: no value was changed on both sides."
	}
	return "Both changed " + strings.Join(clashes, ", ") + ": merge keeps yours there."
}

// ConflictLines are Conflict.Details as the dialog shows them: in the
// lines of a line diff (a change of comments or layout only), a tab is
// drawn → and a trailing space ·, so two lines that differ only there do
// not look the same; a last line says what the marks are when there are
// any.
func ConflictLines(d *Done) []string {
	lines := strings.Split(d.Report.Conflict.Details(), "\n")
	marked := false
	for i, l := range lines {
		if l == "" || (l[0] != '-' && l[0] != '+') || strings.HasPrefix(l, "---") || strings.HasPrefix(l, "+++") {
			continue
		}
		body := strings.TrimRight(l[1:], " \t")
		trail := l[1+len(body):]
		shown := l[:1] + strings.ReplaceAll(body, "\t", "→") + strings.NewReplacer(" ", "·", "\t", "→").Replace(trail)
		if shown != l {
			lines[i], marked = shown, true
		}
	}
	if marked {
		lines = append(lines, "(→ a tab, · a space at the end of a line)")
	}
	return lines
}

// ConflictStep splits the save's step that stopped at the conflict into
// the step without the conflict's details, and the details as the dialog
// shows them (ConflictLines: whitespace marked), for accessible mode to
// read out as the full screen shows them, unwrapped (a wrap would close up
// the spaces the marks are about). Any other step comes back as it is.
func ConflictStep(d *Done, step install.Step) (install.Step, []string) {
	c := d.Report.Conflict
	if c == nil || step.Kind != app.StepSettings || step.Mark != install.MarkFailed {
		return step, nil
	}
	details := c.Details()
	head, ok := strings.CutSuffix(step.Output, details)
	if details == "" || !ok {
		return step, nil
	}
	step.Output = strings.TrimSuffix(head, "\n")
	return step, ConflictLines(d)
}
