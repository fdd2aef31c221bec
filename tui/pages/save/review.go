package save

import (
	"fmt"
	"slices"
	"strings"

	"frontdoor/app"
	"frontdoor/finding"
	"frontdoor/install"
	"frontdoor/render"
	"frontdoor/tui/common"
	"frontdoor/tui/components/form"
	"frontdoor/tui/document"
)

type field = form.Field[document.Document]

// The actions of the review step's buttons (form.Field.Action).
const (
	ActionSave         = "save"          // the snippet, then the settings (app.Save)
	ActionSettingsOnly = "settings-only" // the settings file only (app.SaveSettings)
)

// Snippet reports whether the provider has a snippet to install (tomcat
// has none: only the settings file is written).
func Snippet(d *document.Document) bool { return d.File.Proxy.Provider != render.Tomcat }

// Manifests reports whether the provider writes Kubernetes manifests: a
// save writes the file, and `kubectl apply -f FILE` applies it; nothing on
// this machine checks, reloads, enables or verifies it (app refuses those).
func Manifests(d *document.Document) bool {
	info, _ := render.Info(d.File.Proxy.Provider)
	return info.Manifests
}

// ApplyCommand is how the manifests at the target are applied.
func ApplyCommand(d *document.Document) string { return "kubectl apply -f " + d.Target.Path.Value }

// Fields are the save options of the review step, each with where its value
// came from (app's words: "detected", "from --to", "remembered
// (save.target)", "edited", "default"): target, enable link, check,
// reload and its command, verify, backups kept, backup directory; then the
// Save and Save settings only buttons. They edit the document's target, not
// the settings.
func (m *Model) Fields(st *common.Styles) []field {
	from := func(label string) func(d *document.Document) string {
		return func(d *document.Document) string { return d.Target.From(label) }
	}
	text := func(label, hint string, get func(t *document.Target) string, set func(t *document.Target, v string)) field {
		return field{
			Kind: form.Text, Label: label, Hint: hint, Visible: Snippet, Note: from(label),
			Get: func(d *document.Document) string { return get(&d.Target) },
			Set: func(d *document.Document, v string) { set(&d.Target, v) },
		}
	}
	reloadOn := func(d *document.Document) bool { return Snippet(d) && d.Target.ReloadOn }
	reloadWith := text("Reload with", "Runs only after a passing check, without a shell.",
		func(t *document.Target) string { return t.Reload.Value },
		func(t *document.Target, v string) { t.SetReloadCommand(v) })
	reloadWith.Visible, reloadWith.Note = reloadOn, nil
	rooted := func(d *document.Document) bool { return Snippet(d) && d.Target.Root.Origin != app.OriginDefault }
	// A manifest is only written: the link, check and reload are not shown,
	// unless one holds a value (kept from another provider), which app
	// refuses and which must then be clearable here.
	serverOnly := func(f field, set func(d *document.Document) bool) field {
		f.Visible = func(d *document.Document) bool { return Snippet(d) && (!Manifests(d) || set(d)) }
		return f
	}
	return []field{
		text("Target", "The snippet file; its directory must exist. A symlink is followed and kept.",
			func(t *document.Target) string { return t.Path.Value },
			func(t *document.Target, v string) { t.Path.Edit(strings.TrimSpace(v)) }),
		{Kind: form.Info, Label: "Apply with", Visible: Manifests, Info: func(d *document.Document) string {
			return ApplyCommand(d) + " (against the cluster: nothing on this machine checks, reloads or enables a manifest)"
		}},
		serverOnly(text("Enable link", "Symlink that enables the target (Debian's sites-enabled/); created when missing. Empty: none.",
			func(t *document.Target) string { return t.Link.Value },
			func(t *document.Target, v string) { t.Link.Edit(strings.TrimSpace(v)) }),
			func(d *document.Document) bool { return d.Target.Link.Value != "" }),
		serverOnly(text("Check", "Runs after the write, without a shell; when it fails the previous file is put back. Empty: no check, no rollback.",
			func(t *document.Target) string { return t.Check.Value },
			func(t *document.Target, v string) { t.Check.Edit(v) }),
			func(d *document.Document) bool { return d.Target.Check.Value != "" }),
		serverOnly(field{
			Kind: form.Toggle, Label: "Reload", Hint: "Reload the server after a passing check.", Note: from("Reload"),
			GetBool: func(d *document.Document) bool { return d.Target.ReloadOn },
			SetBool: func(d *document.Document, v bool) { d.Target.SetReload(v) },
		}, func(d *document.Document) bool { return d.Target.ReloadOn }),
		reloadWith,
		{
			Kind: form.Toggle, Label: "Verify", Visible: reloadOn,
			Hint:    "After the reload, check from a client's side on this machine that the new configuration is the one serving; when it is not, the save is rolled back and the server reloaded again. Asked at each save.",
			Note:    func(*document.Document) string { return "after the reload" },
			GetBool: func(d *document.Document) bool { return d.Target.Verify },
			SetBool: func(d *document.Document, v bool) { d.Target.Verify = v },
		},
		{
			Kind: form.Number, Label: "Backups kept", Limit: 3, Visible: Snippet, Note: from("Backups kept"),
			Hint: "How many previous versions of the snippet to keep (1 or more).",
			Get:  func(d *document.Document) string { return form.FormatNumber(d.Target.Keep.Value) },
			Set: func(d *document.Document, v string) {
				n := form.ParseNumber(v)
				if n < 1 { // an emptied field: the default, not "no backups"
					n = install.DefaultKeep
				}
				d.Target.Keep.Edit(n)
			},
		},
		text("Backup dir", "Where the backups go. Empty: beside the file (hidden, not *.conf).",
			func(t *document.Target) string { return t.BackupDir.Value },
			func(t *document.Target, v string) { t.BackupDir.Edit(strings.TrimSpace(v)) }),
		{Kind: form.Info, Label: "Root", Visible: rooted, Note: from("Root"),
			Info: func(d *document.Document) string { return d.Target.Root.Value }},
		{Kind: form.Button, Action: ActionSave, Draw: func(d *document.Document, focused bool, width int) []string {
			return m.button(st, d, focused, width)
		}},
		{Kind: form.Button, Action: ActionSettingsOnly, Visible: Snippet, Draw: func(d *document.Document, focused bool, width int) []string {
			return m.settingsButton(st, d, focused, width)
		}},
	}
}

// button draws the Save button and what pressing it will do.
func (m *Model) button(st *common.Styles, d *document.Document, focused bool, width int) []string {
	label := "[ Save ]"
	if !Snippet(d) {
		label = "[ Save settings ]"
	}
	style := st.Bold
	if focused {
		style = st.LabelFocused
	}
	var note string
	switch errs := d.Proxy.Issues.Errors; {
	case m.saving:
		return []string{st.Subtle.Render(label + " saving…")}
	case errs > 0:
		// Name the first: the findings above may be out of view, and
		// enter (or ctrl+s) goes to its field.
		text, room := "fix "+common.CountNoun(errs, "error")+" first", max(0, width-len(label)-1)
		if e := d.Proxy.Findings.Errors(); len(e) > 0 {
			text += ": " + strings.TrimPrefix(e[0].Path, "proxy.")
			if withKey := text + " (enter goes there)"; len(withKey) <= room {
				text = withKey
			}
		}
		return []string{st.Subtle.Render(label) + " " + st.ErrorText.Render(common.Truncate(text, room))}
	case !Snippet(d):
		note = "writes " + settingsPath(d) + " (no snippet for embedded Tomcat)"
	default:
		note = PlanText(d, false)
	}
	return common.Titled(style.Render(label)+" ", note, st.Subtle, "", width)
}

// PlanText says what Save does, in order, as the button (short: "write,
// check, reload, verify, then frontdoor.yaml") and accessible mode (long:
// "install the snippet to …, check it with …, reload …, verify …, then
// write the settings to …") say it: the check only when there is one, the
// reload and the verify only when switched on.
func PlanText(d *document.Document, long bool) string {
	t := &d.Target
	if Manifests(d) {
		if long {
			return "write the manifests to " + t.Path.Value + ", then write the settings to " + settingsPath(d)
		}
		return "write the manifests, then " + settingsPath(d)
	}
	var steps []string
	add := func(short, longer string) {
		if long {
			steps = append(steps, longer)
		} else {
			steps = append(steps, short)
		}
	}
	add("write", "install the snippet to "+t.Path.Value)
	if t.Check.Value != "" {
		add("check", "check it ("+t.Check.Value+"; a failure puts the previous file back)")
	}
	if t.ReloadOn {
		add("reload", "reload the server ("+t.Reload.Value+")")
	}
	if t.VerifyOn() {
		add("verify", "verify that the new configuration is the one serving (else it is rolled back)")
	}
	if long {
		return strings.Join(steps, ", ") + ", then write the settings to " + settingsPath(d)
	}
	return strings.Join(steps, ", ") + ", then " + settingsPath(d)
}

// settingsButton draws Save settings only.
func (m *Model) settingsButton(st *common.Styles, d *document.Document, focused bool, width int) []string {
	label := "[ Save settings only ]"
	style := st.Bold
	if focused {
		style = st.LabelFocused
	}
	if m.saving {
		return []string{st.Subtle.Render(label)}
	}
	if SettingsRefusal(d) != "" {
		return []string{st.Subtle.Render(label) + " " + st.ErrorText.Render("fix "+common.CountNoun(d.Proxy.Issues.Errors, "error")+" first")}
	}
	return common.Titled(style.Render(label)+" ", "writes "+settingsPath(d)+" only", st.Subtle, "", width)
}

// settingsPath is the settings file a save writes.
func settingsPath(d *document.Document) string { return d.SettingsPath() }

// Preamble is drawn above the review step's fields: every finding that
// remains, what the save's validation on this machine adds (here: LDAP, the
// save: section; nil while it runs), why the target cannot be used, and
// the notes of where the choices came from.
func Preamble(st *common.Styles, d *document.Document, here *HereMsg, width int) []string {
	var out []string
	errs, warns := d.Proxy.Findings.Errors(), d.Proxy.Findings.Warnings()
	const maxListed = 4
	list := func(fs finding.Findings, prefix string) {
		for i, f := range fs {
			if i == maxListed {
				out = append(out, st.Subtle.Render(fmt.Sprintf("    and %d more", len(fs)-maxListed)))
				break
			}
			f.Message = prefix + f.Path + ": " + f.Message
			out = append(out, common.FindingLines(st, f, width, "  ")...)
		}
	}
	switch {
	case len(errs) > 0:
		verb := "block"
		if len(errs) == 1 {
			verb = "blocks"
		}
		out = append(out, st.ErrorText.Render(fmt.Sprintf("%s %s %s the save (Save shows the first):", common.GlyphError, common.CountNoun(len(errs), "error"), verb)))
		list(errs, "")
	default:
		out = append(out, st.OKText.Render(common.GlyphOK+" the settings are valid"))
	}
	if len(warns) > 0 {
		out = append(out, st.WarnText.Render(fmt.Sprintf("%s %s (saving is allowed):", common.GlyphWarning, common.CountNoun(len(warns), "warning"))))
		list(warns, "")
	}
	if here != nil {
		if more := extra(here.Findings, d.Proxy.Findings); len(more) > 0 {
			glyph, style, what := common.GlyphWarning, st.WarnText, "the save's check on this machine also finds"
			if len(more.Errors()) > 0 {
				glyph, style, what = common.GlyphError, st.ErrorText, "the save's check on this machine refuses (nothing would be written)"
			}
			out = append(out, style.Render(glyph+" "+what+":"))
			list(more, "")
		}
	}
	out = append(out, "")
	if Snippet(d) {
		t := &d.Target
		if t.Err != "" {
			out = append(out, common.WrapPrefixed(t.Err, width, "  "+common.GlyphError+" ", "    ", st.ErrorText)...)
		}
		for _, n := range t.Notes {
			out = append(out, common.WrapPrefixed(n, width, "  "+common.GlyphWarning+" ", "    ", st.WarnText)...)
		}
		if t.Path.Origin == app.OriginDetected && t.Detected.Detected && t.Detected.Layout != "" {
			out = append(out, st.Subtle.Render("  detected layout: "+string(t.Detected.Layout)))
		}
	}
	return out
}

// extra are the findings of here that the live validation does not show.
func extra(here, live finding.Findings) finding.Findings {
	seen := make(map[string]bool, len(live))
	for _, f := range live {
		seen[f.Path+"\x00"+f.Message] = true
	}
	var out finding.Findings
	for _, f := range here {
		if !seen[f.Path+"\x00"+f.Message] {
			out = append(out, f)
		}
	}
	return out
}

// TargetSummary says where the chosen provider's snippet will go and how it
// is checked, each with where it came from (editable on the review step).
func TargetSummary(st *common.Styles, d *document.Document, width int) []string {
	t := &d.Target
	out := []string{"", st.Heading.Render("Where it goes")}
	if !Snippet(d) {
		return append(out, common.WrapPrefixed(t.Detected.Note, width, "  ", "  ", st.Subtle)...)
	}
	const labelW = 13
	indent := strings.Repeat(" ", 2+labelW)
	for _, r := range t.App().Rows() {
		value := r.Value
		if r.Label == "Reload" && !t.ReloadOn && t.Reload.Value != "" {
			value = "off (offers: " + t.Reload.Value + ")"
		}
		// A value too long for the line goes on under itself, whole (a
		// check command under a long --root); its origin after it.
		lines := common.WrapText(value, max(10, width-2-labelW))
		last := len(lines) - 1
		if common.Width(lines[last])+2+common.Width(r.From) <= max(10, width-2-labelW) {
			lines[last] += "  " + st.Subtle.Render(r.From)
		} else {
			lines = append(lines, st.Subtle.Render(r.From))
		}
		out = append(out, "  "+st.Label.Render(common.PadRight(r.Label, labelW))+lines[0])
		for _, l := range lines[1:] {
			out = append(out, indent+l)
		}
	}
	// Notes say what detection found lacking; app puts the detected note
	// among them already.
	notes := t.Notes
	if !slices.Contains(notes, t.Detected.Note) {
		notes = append(notes, t.Detected.Note)
	}
	for _, n := range notes {
		if n != "" {
			out = append(out, common.WrapPrefixed(n, width, "  ", "  ", st.WarnText)...)
		}
	}
	return append(out, st.Subtle.Render("  All editable on the review step."))
}

// ProbeLines are the Apache module probe on the review step: the step a
// save will show (✓ enabled, ! missing with the line that enables them,
// · not probed), or that it runs.
func (m *Model) ProbeLines(st *common.Styles, d *document.Document, width int) []string {
	key := ProbeKey(d.Target.App(), &d.File.Proxy)
	if key == "" || (d.Target.Detected.ApacheCtl == "" && len(d.Target.Detected.ModulesCmd) == 0) {
		return nil
	}
	p := m.ProbeFor(key)
	switch {
	case p == nil:
		return []string{"", st.Subtle.Render("  Apache modules: probing " + d.Target.Detected.ApacheCtl + " -M…")}
	case !p.OK:
		return nil
	}
	return append([]string{""}, StepLines(st, p.Step, width)...)
}
