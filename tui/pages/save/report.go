package save

import (
	"strings"

	"frontdoor/install"
	"frontdoor/tui/common"
)

// ReportLines show each step of the last save, the check's output when it
// failed, and what happened to frontdoor.yaml.
func (m *Model) ReportLines(st *common.Styles, width int) []string {
	if m.saving {
		return []string{"", st.Subtle.Render("  saving: writing, checking…")}
	}
	if m.last == nil {
		return nil
	}
	return append([]string{"", st.Heading.Render("Last save")}, ReportBody(st, m.last, width)...)
}

// ReportBody is the report of one save, without its heading (accessible
// mode reads it out as it is).
func ReportBody(st *common.Styles, res *Result, width int) []string {
	var out []string
	rep := res.Report
	// The outcome first: at 80x24 the steps below may be cut off.
	switch {
	case res.Snippet && len(rep.Steps) > 0:
		glyph, style := common.GlyphOK, st.OKText
		switch {
		case rep.RolledBack:
			glyph, style = common.GlyphUndone, st.ErrorText
		case res.Err != nil || !rep.Saved:
			glyph, style = common.GlyphError, st.ErrorText
		}
		out = append(out, common.WrapPrefixed(rep.Outcome(), width, "  "+glyph+" ", "    ", style)...)
		if res.Err != nil && !rep.RolledBack && rep.Saved {
			out = append(out, common.WrapPrefixed(res.Err.Error(), width, "    ", "    ", st.WarnText)...)
		}
		// Why the check (or reload) failed comes right under the outcome,
		// wrapped rather than cut: it is what the user acts on, and at 80x24
		// the step list below runs off the screen.
		if s, ok := failedCommandStep(rep); ok {
			out = append(out, commandOutputLines(st, s.Output, width)...)
		}
	case res.Err != nil:
		out = append(out, common.WrapPrefixed(res.Err.Error(), width, "  "+common.GlyphError+" ", "    ", st.ErrorText)...)
	}
	switch {
	case res.ConfigUnchanged:
		out = append(out, common.WrapPrefixed(res.ConfigPath+" already holds these settings: left as it is", width, "  "+common.GlyphOK+" ", "    ", st.OKText)...)
	case res.ConfigSaved:
		out = append(out, common.WrapPrefixed("settings written to "+res.ConfigPath, width, "  "+common.GlyphOK+" ", "    ", st.OKText)...)
	case res.ConfigErr != nil:
		out = append(out, common.WrapPrefixed("settings not written to "+res.ConfigPath+": "+res.ConfigErr.Error(), width, "  "+common.GlyphError+" ", "    ", st.ErrorText)...)
	}
	if res.Modules != nil && res.Modules.FixLine != "" {
		out = append(out, common.WrapPrefixed("then: "+res.Modules.FixLine, width, "  "+common.GlyphWarning+" ", "    ", st.WarnText)...)
	}
	if !res.Snippet || len(rep.Steps) == 0 {
		return out
	}
	target := rep.Target
	if rep.File != "" && rep.File != rep.Target {
		target += " -> " + rep.File
	}
	out = append(out, st.Subtle.Render("  steps, target "+target+":"))
	shown, hasShown := failedCommandStep(rep)
	for _, s := range rep.Steps {
		glyph, style := stepGlyph(st, rep, s)
		out = append(out, common.WrapPrefixed(s.Detail, width, "  "+glyph+" ", "    ", style)...)
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
func commandOutputLines(st *common.Styles, output string, width int) []string {
	const maxOutputLines = 12
	var out []string
	for _, l := range strings.Split(output, "\n") {
		for _, w := range common.WrapText(l, max(10, width-6)) {
			if len(out) == maxOutputLines {
				return append(out, st.Subtle.Render("    │ …"))
			}
			out = append(out, st.Subtle.Render("    │ "+w))
		}
	}
	return out
}

// stepGlyph marks a report step as done, failed, undone or a warning.
func stepGlyph(st *common.Styles, rep install.Report, s install.Step) (string, common.Renderer) {
	cmdGlyph := func(c install.CommandResult) (string, common.Renderer) {
		switch c.Status {
		case install.StatusPassed:
			return common.GlyphOK, st.OKText
		case install.StatusFailed, install.StatusInterrupted:
			return common.GlyphError, st.ErrorText
		}
		return common.GlyphWarning, st.WarnText
	}
	switch s.Kind {
	case install.StepCheck:
		return cmdGlyph(rep.Check)
	case install.StepReload:
		if rep.Reload.Status == install.StatusSkipped {
			return common.GlyphWarning, st.WarnText
		}
		return cmdGlyph(rep.Reload)
	case install.StepRollback:
		return common.GlyphUndone, st.WarnText
	case install.StepWarning, install.StepResume:
		return common.GlyphWarning, st.WarnText
	case install.StepCleanup, install.StepUnchanged:
		return "·", st.Subtle
	}
	return common.GlyphOK, st.Value
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
