package save

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"frontdoor/app"
	"frontdoor/install"
	"frontdoor/tui/common"
)

// The report is app's (Report.Render at the pane's width: the same words as
// `frontdoor save`, lines broken at spaces only, so a path is never cut);
// the wizard only colours the marks.

// ReportLines draws a finished save's report.
func ReportLines(st *common.Styles, rep *app.Report, width int) []string {
	return styleLines(st, fitLines(strings.Split(strings.TrimSuffix(rep.Render(width), "\n"), "\n"), width), rep.Mark())
}

// CopyText is what y copies of a finished save's report: app's report
// unwrapped, as the command line prints it to a pipe; the pane's line
// breaks inside a path would break it when pasted.
func CopyText(rep *app.Report) string { return rep.Render(0) }

// fitLines breaks the lines app could not break at a space (one word
// longer than the pane: a backup path under a long --root, a JSON log line
// of caddy's) so they go on under their own start, the "    | " gutter of a
// command's output kept, instead of the scroller wrapping them to column 0
// or mid-gutter.
func fitLines(lines []string, width int) []string {
	if width <= 0 {
		return lines
	}
	var out []string
	for _, l := range lines {
		if common.Width(l) <= width {
			out = append(out, l)
			continue
		}
		// app puts a word too long for the line alone after its prefix
		// (indentation, a mark, the gutter): it goes on under its start.
		start := strings.LastIndex(ansi.Truncate(l, width, ""), " ") + 1
		col := common.Width(l[:start])
		if col > width/2 {
			start, col = 0, 0 // no room under a deep prefix: use the whole line
		}
		indent := strings.Repeat(" ", col)
		if strings.HasPrefix(l, gutter) && col >= len(gutter) {
			indent = gutter + indent[len(gutter):]
		}
		out = append(out, l[:start]+ansi.Truncate(l[start:], width-col, ""))
		rest := ansi.TruncateLeft(l[start:], width-col, "")
		room := width - col
		for rest != "" {
			out = append(out, indent+ansi.Truncate(rest, room, ""))
			rest = ansi.TruncateLeft(rest, room, "")
		}
	}
	return out
}

// gutter starts each line of a command's own output in app's report.
const gutter = "    | "

// LiveLines draw the running save's steps so far the way its report will
// (app's RenderTarget and RenderSteps: where it goes, then the steps; no
// result yet), and that it is still going.
func (m *Model) LiveLines(st *common.Styles, width int) []string {
	partial := m.partial()
	partial.Steps = m.live
	var lines []string
	if text := partial.RenderTarget(width) + partial.RenderSteps(width); text != "" {
		lines = fitLines(strings.Split(strings.TrimSuffix(text, "\n"), "\n"), width)
	}
	out := styleLines(st, lines, install.MarkInfo)
	what := "saving…"
	if m.job.Op == app.OpSettings {
		what = "writing the settings…"
	}
	return append(out, st.Subtle.Render(what+" (ctrl+c cancels: what changed is put back)"))
}

// partial is the running save's report before any step: where it goes.
func (m *Model) partial() app.Report {
	partial := app.Report{Op: m.job.Op, Target: m.job.Req.Target}
	if m.job.Req.Doc != nil && m.job.Op == app.OpSettings {
		partial.SettingsFile = m.job.Req.Doc.Target()
	}
	return partial
}

// Head is where the running save goes, as its report starts (app's
// RenderTarget): accessible mode reads it before the steps.
func (m *Model) Head(width int) string { return m.partial().RenderTarget(width) }

// LiveCopy is what y copies of the running save's report: its lines so
// far, unwrapped.
func (m *Model) LiveCopy() string {
	partial := m.partial()
	partial.Steps = m.live
	return partial.RenderTarget(0) + partial.RenderSteps(0)
}

// FirstFailed is the first line of a report marked ✗ (-1 when none): at
// 80x24 the report opens there, where the reason is.
func FirstFailed(lines []string) int {
	for i, l := range lines {
		if strings.HasPrefix(ansi.Strip(l), install.MarkFailed.Symbol()+" ") {
			return i
		}
	}
	return -1
}

// styleLines colours each step's mark, a command's output and the result.
func styleLines(st *common.Styles, lines []string, result install.Mark) []string {
	out := make([]string, len(lines))
	inResult := false
	for i, l := range lines {
		if strings.HasPrefix(l, "result: ") {
			inResult = true
		}
		switch {
		case inResult:
			out[i] = MarkStyle(st, result).Render(l)
		case strings.HasPrefix(l, gutter):
			out[i] = st.Subtle.Render(l)
		default:
			out[i] = styleMark(st, l)
		}
	}
	return out
}

// styleMark colours the mark at the start of a step's line.
func styleMark(st *common.Styles, l string) string {
	for _, mk := range []install.Mark{install.MarkOK, install.MarkFailed, install.MarkWarning, install.MarkInfo} {
		if sym := mk.Symbol() + " "; strings.HasPrefix(l, sym) {
			return MarkStyle(st, mk).Render(sym) + l[len(sym):]
		}
	}
	return l
}

// MarkStyle colours a mark: ✓ green, ✗ red, ! yellow, · subtle.
func MarkStyle(st *common.Styles, mk install.Mark) common.Renderer {
	switch mk {
	case install.MarkOK:
		return st.OKText
	case install.MarkFailed:
		return st.ErrorText
	case install.MarkWarning:
		return st.WarnText
	}
	return st.Subtle
}

// StepLines draw one step (the module probe on the review step) as the
// report does: its mark, its words wrapped, a command's output under it.
func StepLines(st *common.Styles, s install.Step, width int) []string {
	rep := app.Report{Steps: []install.Step{s}}
	lines := strings.Split(strings.TrimSuffix(rep.Render(width-2), "\n"), "\n")
	lines = lines[:len(lines)-1] // "result: nothing to do"
	out := styleLines(st, lines, install.MarkInfo)
	for i := range out {
		out[i] = "  " + out[i]
	}
	return out
}
