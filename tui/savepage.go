package tui

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"frontdoor/install"
	"frontdoor/render"
)

// reviewItems are the save options: target, enable link, check, reload, and
// the Save button. They edit the save target, not the proxy settings.
func reviewItems() []item {
	text := func(label, hint string, field func(t *saveTarget) *string) item {
		return item{
			kind: itemText, label: label, hint: hint,
			visible: snippetProvider,
			get:     func(m *Model) string { return *field(&m.target) },
			set: func(m *Model, v string) {
				*field(&m.target) = v
				m.targetEdited = true
			},
		}
	}
	return []item{
		text("Target", "The snippet file; its directory must exist. A symlink is followed and kept.",
			func(t *saveTarget) *string { return &t.Path }),
		text("Enable link", "Symlink that enables the target (Debian's sites-enabled/); created when missing. Empty: none.",
			func(t *saveTarget) *string { return &t.Link }),
		text("Check", "Runs after the write, without a shell; when it fails the previous file is put back. Empty: no check.",
			func(t *saveTarget) *string { return &t.Check }),
		{
			kind: itemToggle, label: "Reload", hint: "Reload the server after a passing check.",
			visible: snippetProvider,
			getB:    func(m *Model) bool { return m.target.ReloadOn },
			setB:    func(m *Model, v bool) { m.target.ReloadOn = v },
		},
		withVisible(text("Reload with", "Runs only after a passing check.",
			func(t *saveTarget) *string { return &t.Reload }),
			func(m *Model) bool { return snippetProvider(m) && m.target.ReloadOn }),
		{kind: itemButton, label: "", press: (*Model).startSave},
	}
}

func snippetProvider(m *Model) bool { return m.settings.Provider != render.Tomcat }

// buttonValue draws the Save button and what pressing it will do.
func (m *Model) buttonValue(it *item, focused bool, width int) []string {
	st := &m.styles
	label := "[ Save ]"
	if !snippetProvider(m) {
		label = "[ Save settings ]"
	}
	style := st.bold
	if focused {
		style = st.labelFocused
	}
	var note string
	switch {
	case m.saving:
		return []string{st.subtle.Render(label + " saving…")}
	case m.issues.errors > 0:
		return []string{st.subtle.Render(label) + " " + st.errorText.Render("fix "+countNoun(m.issues.errors, "error")+" first")}
	case !snippetProvider(m):
		note = "writes " + m.opts.ConfigPath + " (no snippet for embedded Tomcat)"
	default:
		note = "write, check, then " + m.opts.ConfigPath
	}
	return []string{style.Render(label) + " " + st.subtle.Render(ansi.Truncate(note, max(0, width-len(label)-1), "…"))}
}

// startSave saves in a tea.Cmd: the snippet through install.Save (temp
// file, backup, atomic rename, check, rollback, reload), then
// frontdoor.yaml. It refuses while errors remain and shows the first one.
func (m *Model) startSave() tea.Cmd {
	if m.saving {
		return nil
	}
	if m.issues.errors > 0 {
		m.status = "fix the errors first"
		return m.gotoFirstError()
	}
	snippet := snippetProvider(m)
	if snippet && strings.TrimSpace(m.target.Path) == "" {
		m.status = "give a target path"
		return nil
	}
	m.saving, m.lastSave, m.status = true, nil, ""
	req := saveRequest{snippet: snippet, configPath: m.opts.ConfigPath, file: m.file}
	m.ldap.savingCfg = m.file.LDAP
	req.file.Proxy = m.settings.Clone()
	if snippet {
		content, err := render.Render(&req.file.Proxy)
		req.renderErr = err
		req.plan = install.Plan{
			Target:     strings.TrimSpace(m.target.Path),
			Content:    content,
			EnableLink: strings.TrimSpace(m.target.Link),
			CheckCmd:   install.ParseCommand(m.target.Check),
			// A check the user typed must run; the detected one may be absent here.
			CheckRequired: m.target.checkChosen || strings.TrimSpace(m.target.Check) != m.target.defaultCheck,
		}
		if m.target.ReloadOn {
			req.plan.ReloadCmd = install.ParseCommand(m.target.Reload)
		}
		if m.settings.Provider == render.Apache && m.target.apacheCtl != "" {
			req.apacheCtl = m.target.apacheCtl
			req.modules = render.ApacheModules(&req.file.Proxy)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
	m.saveCancel, m.saveOutcome = cancel, make(chan saveResult, 1)
	return saveCmd(ctx, req, m.saveOutcome)
}

// stepPreamble is drawn above a step's items.
func (m *Model) stepPreamble(width int) []string {
	if m.step != stepReview {
		return nil
	}
	st := &m.styles
	var out []string
	errs, warns := m.findings.Errors(), m.findings.Warnings()
	const maxListed = 4
	list := func(fs render.Findings) {
		for i, f := range fs {
			if i == maxListed {
				out = append(out, st.subtle.Render(fmt.Sprintf("    and %d more", len(fs)-maxListed)))
				break
			}
			out = append(out, findingLines(st, render.Finding{Path: f.Path, Severity: f.Severity, Message: f.Path + ": " + f.Message}, width, "  ")...)
		}
	}
	switch {
	case len(errs) > 0:
		verb := "block"
		if len(errs) == 1 {
			verb = "blocks"
		}
		out = append(out, st.errorText.Render(fmt.Sprintf("%s %s %s the save (Save shows the first):", glyphError, countNoun(len(errs), "error"), verb)))
		list(errs)
	default:
		out = append(out, st.okText.Render(glyphOK+" the settings are valid"))
	}
	if len(warns) > 0 {
		out = append(out, st.warnText.Render(fmt.Sprintf("%s %s (saving is allowed):", glyphWarning, countNoun(len(warns), "warning"))))
		list(warns)
	}
	out = append(out, "")
	if snippetProvider(m) {
		layout := string(m.target.layout)
		switch {
		case m.target.note != "":
			out = append(out, wrapPrefixed(m.target.note, width, "  ", "  ", st.warnText)...)
		case m.target.detected && layout != "":
			out = append(out, st.subtle.Render("  detected layout: "+layout))
		}
	}
	return out
}

// stepExtras is drawn below a step's items: the certificate panel, and on
// the review step the Apache modules and the save report.
func (m *Model) stepExtras(width int) []string {
	switch m.step {
	case stepProvider:
		return m.renderTargetSummary(width)
	case stepPublic:
		return m.renderCertPanel(width)
	case stepReview:
		out := m.renderModules(width)
		return append(out, m.renderSaveReport(width)...)
	}
	return nil
}

// renderTargetSummary says where the chosen provider's snippet will go and
// how it is checked (editable on the review step).
func (m *Model) renderTargetSummary(width int) []string {
	st, t := &m.styles, &m.target
	out := []string{"", st.heading.Render("Where it goes")}
	if !snippetProvider(m) {
		return append(out, wrapPrefixed(t.note, width, "  ", "  ", st.subtle)...)
	}
	const labelW = 13
	row := func(label, value string) {
		if value == "" {
			value = "none"
		}
		out = append(out, "  "+st.label.Render(padRight(label, labelW))+ansi.Truncate(value, max(10, width-2-labelW), "…"))
	}
	row("Target", t.Path)
	if t.Link != "" {
		row("Enable link", t.Link)
	}
	row("Check", t.Check)
	row("Reload", t.Reload+" (only when asked)")
	if t.note != "" {
		out = append(out, wrapPrefixed(t.note, width, "  ", "  ", st.warnText)...)
	}
	return append(out, st.subtle.Render("  All editable on the review step."))
}

// renderModules says which Apache modules the snippet needs and whether
// they are enabled (apache2ctl -M, run in a command).
func (m *Model) renderModules(width int) []string {
	if m.settings.Provider != render.Apache {
		return nil
	}
	st := &m.styles
	out := []string{""}
	need := strings.Join(render.ApacheModules(&m.settings), " ")
	mr := m.modules
	switch {
	case m.target.apacheCtl == "":
		return nil
	case mr == nil:
		out = append(out, st.subtle.Render("  Apache modules: checking "+m.target.apacheCtl+" -M…"))
	case errors.Is(mr.err, exec.ErrNotFound):
		out = append(out, wrapPrefixed(fmt.Sprintf("%s not found here: on the server, enable %s (a2enmod %s)", mr.ctl, need, need), width, "  "+glyphWarning+" ", "    ", st.warnText)...)
	case mr.err != nil:
		// -M fails when the configuration in place is broken; its output
		// (after the first line of the error) says what is wrong.
		head, output, _ := strings.Cut(mr.err.Error(), "\n")
		out = append(out, wrapPrefixed("could not list the Apache modules: "+head, width, "  "+glyphWarning+" ", "    ", st.warnText)...)
		if output != "" {
			out = append(out, commandOutputLines(st, output, width)...)
		}
	case len(mr.missing) > 0:
		out = append(out, wrapPrefixed("Apache modules not enabled: "+strings.Join(mr.missing, " "), width, "  "+glyphWarning+" ", "    ", st.warnText)...)
		out = append(out, wrapPrefixed("run: "+mr.fixLine, width, "    ", "    ", st.bold)...)
	default:
		out = append(out, st.okText.Render("  "+glyphOK+" Apache modules enabled: ")+st.subtle.Render(need))
	}
	return out
}

// renderSaveReport shows each step of the last save, the check's output
// when it failed, and what happened to frontdoor.yaml.
func (m *Model) renderSaveReport(width int) []string {
	st := &m.styles
	if m.saving {
		return []string{"", st.subtle.Render("  saving: writing, checking…")}
	}
	res := m.lastSave
	if res == nil {
		return nil
	}
	out := []string{"", st.heading.Render("Last save")}
	rep := res.report
	// The outcome first: at 80x24 the steps below may be cut off.
	switch {
	case res.snippet && len(rep.Steps) > 0:
		glyph, style := glyphOK, st.okText
		switch {
		case rep.RolledBack:
			glyph, style = "↺", st.errorText
		case res.err != nil || !rep.Saved:
			glyph, style = glyphError, st.errorText
		}
		out = append(out, wrapPrefixed(rep.Outcome(), width, "  "+glyph+" ", "    ", style)...)
		if res.err != nil && !rep.RolledBack && rep.Saved {
			out = append(out, wrapPrefixed(res.err.Error(), width, "    ", "    ", st.warnText)...)
		}
		// Why the check (or reload) failed comes right under the outcome,
		// wrapped rather than cut: it is what the user acts on, and at 80x24
		// the step list below runs off the screen.
		if s, ok := failedCommandStep(rep); ok {
			out = append(out, commandOutputLines(st, s.Output, width)...)
		}
	case res.err != nil:
		out = append(out, wrapPrefixed(res.err.Error(), width, "  "+glyphError+" ", "    ", st.errorText)...)
	}
	switch {
	case res.configUnchanged:
		out = append(out, wrapPrefixed(res.configPath+" already holds these settings: left as it is", width, "  "+glyphOK+" ", "    ", st.okText)...)
	case res.configSaved:
		out = append(out, wrapPrefixed("settings written to "+res.configPath, width, "  "+glyphOK+" ", "    ", st.okText)...)
	case res.configErr != nil:
		out = append(out, wrapPrefixed("settings not written to "+res.configPath+": "+res.configErr.Error(), width, "  "+glyphError+" ", "    ", st.errorText)...)
	}
	if res.modules != nil && res.modules.fixLine != "" {
		out = append(out, wrapPrefixed("then: "+res.modules.fixLine, width, "  "+glyphWarning+" ", "    ", st.warnText)...)
	}
	if !res.snippet || len(rep.Steps) == 0 {
		return out
	}
	target := rep.Target
	if rep.File != "" && rep.File != rep.Target {
		target += " -> " + rep.File
	}
	out = append(out, st.subtle.Render("  steps, target "+target+":"))
	shown, hasShown := failedCommandStep(rep)
	for _, s := range rep.Steps {
		glyph, style := stepGlyph(st, rep, s)
		out = append(out, wrapPrefixed(s.Detail, width, "  "+glyph+" ", "    ", style)...)
		if s.Output != "" && showOutput(rep, s) && !(hasShown && s.Kind == shown.Kind) {
			out = append(out, commandOutputLines(st, s.Output, width)...)
		}
	}
	return out
}

// failedCommandStep is the check or reload step whose output explains a
// failure, if any.
func failedCommandStep(rep install.Report) (install.Step, bool) {
	for _, s := range rep.Steps {
		if (s.Kind == install.StepCheck || s.Kind == install.StepReload) && s.Output != "" && showOutput(rep, s) {
			return s, true
		}
	}
	return install.Step{}, false
}

// commandOutputLines draws a command's output as a quoted block, each line
// wrapped to the width (nginx's messages put the file and line at the end),
// at most maxOutputLines screen lines.
func commandOutputLines(st *styles, output string, width int) []string {
	const maxOutputLines = 12
	var out []string
	for _, l := range strings.Split(output, "\n") {
		for _, w := range wrapText(l, max(10, width-6)) {
			if len(out) == maxOutputLines {
				return append(out, st.subtle.Render("    │ …"))
			}
			out = append(out, st.subtle.Render("    │ "+w))
		}
	}
	return out
}

// stepGlyph marks a report step as done, failed, undone or a warning.
func stepGlyph(st *styles, rep install.Report, s install.Step) (string, interface{ Render(...string) string }) {
	cmdGlyph := func(c install.CommandResult) (string, interface{ Render(...string) string }) {
		switch c.Status {
		case install.StatusPassed:
			return glyphOK, st.okText
		case install.StatusFailed, install.StatusInterrupted:
			return glyphError, st.errorText
		}
		return glyphWarning, st.warnText
	}
	switch s.Kind {
	case install.StepCheck:
		return cmdGlyph(rep.Check)
	case install.StepReload:
		if rep.Reload.Status == install.StatusSkipped {
			return glyphWarning, st.warnText
		}
		return cmdGlyph(rep.Reload)
	case install.StepRollback:
		return "↺", st.warnText
	case install.StepWarning, install.StepResume:
		return glyphWarning, st.warnText
	case install.StepCleanup, install.StepUnchanged:
		return "·", st.subtle
	}
	return glyphOK, st.value
}

// showOutput shows a command's output when it failed: a passing check's
// chatter ("syntax is ok") adds nothing.
func showOutput(rep install.Report, s install.Step) bool {
	switch s.Kind {
	case install.StepCheck:
		return rep.Check.Status != install.StatusPassed
	case install.StepReload:
		return rep.Reload.Status != install.StatusPassed
	}
	return true
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
