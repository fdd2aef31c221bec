package tui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"frontdoor/render"
)

// preview shows the snippet as it would be saved: syntax highlighted,
// scrollable, with the lines the focused field produces marked, and each
// line's change against the file at the save target.
type preview struct {
	res        previewResult
	have       bool  // res holds a rendered snippet
	stale      bool  // the current settings do not render; res is the last snippet that did
	staleErr   error // why
	top        int
	bodyHeight int // lines drawn last time, for paging
	focused    bool
	follow     bool   // bring the first marked line into view when it arrives
	fieldLabel string // the focused item, for the marks line
}

// set takes a finished preview job.
func (p *preview) set(res previewResult) {
	if res.err != nil {
		p.stale, p.staleErr = true, res.err
		if !p.have {
			p.res = res
		}
		return
	}
	p.res, p.have, p.stale, p.staleErr = res, true, false, nil
}

func (p *preview) scroll(delta int) {
	p.follow = false
	p.top = max(0, min(p.top+delta, len(p.res.display)-max(1, p.bodyHeight)))
}

func (p *preview) page(delta int) { p.scroll(delta * max(1, p.bodyHeight-1)) }

func (p *preview) home() { p.follow = false; p.top = 0 }

func (p *preview) end() { p.scroll(len(p.res.display)) }

// previewHeader is how many lines Render draws above the snippet.
const previewHeader = 3

// Render draws the preview in width x height cells.
func (p *preview) Render(m *Model, width, height int) string {
	st := &m.styles
	lines := make([]string, 0, height)
	title := st.heading.Render("Preview")
	if p.focused {
		title = st.labelFocused.Render(glyphPointer + " Preview")
	}
	lang := string(m.settings.Provider)
	if p.have {
		lang = p.res.language
	}
	title += st.subtle.Render(" · " + lang + " snippet")
	bodyHeight := max(1, height-previewHeader)
	p.bodyHeight = bodyHeight
	total := len(p.res.display)
	if p.follow && p.have && p.res.firstMark >= 0 {
		if p.res.firstMark < p.top || p.res.firstMark >= p.top+bodyHeight {
			p.top = max(0, p.res.firstMark-2)
		}
		p.follow = false
	}
	p.top = max(0, min(p.top, total-bodyHeight))
	if total > 0 {
		pos := fmt.Sprintf("%d-%d/%d", p.top+1, min(total, p.top+bodyHeight), total)
		title = joinEnds(title, st.subtle.Render(pos), width)
	}
	lines = append(lines, ansi.Truncate(title, width, "…"))
	lines = append(lines, ansi.Truncate(p.statusLine(m), width, "…"))
	lines = append(lines, ansi.Truncate(p.markLine(m), width, "…"))

	if !p.have {
		msg := "No preview yet."
		if p.res.err != nil {
			msg = previewErrorText(p.res.err)
		}
		lines = append(lines, "")
		lines = append(lines, wrapPrefixed(msg, width, "", "", st.subtle)...)
		return fitLines(lines, width, height)
	}
	textWidth := max(1, width-2)
	for i := p.top; i < total && i < p.top+bodyHeight; i++ {
		d := p.res.display[i]
		gutter := " "
		text := ansi.Truncate(d.text, textWidth, "…")
		switch d.kind {
		case editAdd:
			gutter = st.diffAdd.Render("+")
			text = m.hl.line(lang, text)
		case editDel:
			gutter = st.diffDel.Render("-")
			text = st.diffDelText.Render(text)
		default:
			text = m.hl.line(lang, text)
		}
		mark := " "
		if d.marked {
			mark = st.mark.Render(glyphMark)
		}
		lines = append(lines, gutter+mark+text)
	}
	return fitLines(lines, width, height)
}

// statusLine compares the snippet with the file at the target, or says why
// the preview is not up to date.
func (p *preview) statusLine(m *Model) string {
	st := &m.styles
	if p.stale && p.have {
		return st.errorText.Render(glyphError+" not updated: ") + st.subtle.Render(previewErrorText(p.staleErr)+" Showing the last valid snippet.")
	}
	if !p.have {
		return ""
	}
	path := m.target.Path
	switch p.res.state {
	case targetNew:
		return st.diffAdd.Render("new file ") + st.subtle.Render(path)
	case targetSame:
		return st.okText.Render(glyphOK+" same as ") + st.subtle.Render(path+": saving changes nothing")
	case targetChanged:
		return st.diffAdd.Render(fmt.Sprintf("+%d", p.res.added)) + " " + st.diffDel.Render(fmt.Sprintf("-%d", p.res.removed)) +
			st.subtle.Render(" lines vs "+path)
	case targetRewritten:
		return st.warnText.Render("differs throughout from ") + st.subtle.Render(path)
	case targetUnreadable:
		return st.warnText.Render(glyphWarning+" cannot read ") + st.subtle.Render(path+": compared with nothing")
	}
	return st.subtle.Render("no file to compare with")
}

// markLine says which lines the focused field produces.
func (p *preview) markLine(m *Model) string {
	st := &m.styles
	if !p.have || p.stale || p.fieldLabel == "" {
		return ""
	}
	if !p.res.markable {
		return ""
	}
	if p.res.marks == 0 {
		return st.subtle.Render(p.fieldLabel + ": no line of the snippet depends on it")
	}
	return st.mark.Render(glyphMark) + st.subtle.Render(fmt.Sprintf(" %s from %s", countNoun(p.res.marks, "line"), p.fieldLabel))
}

// previewErrorText is the short reason a snippet was not rendered.
func previewErrorText(err error) string {
	var inv *render.InvalidError
	switch {
	case errors.As(err, &inv):
		return fmt.Sprintf("fix the %s first.", countNoun(len(inv.Findings.Errors()), "error"))
	case errors.Is(err, render.ErrNoSnippet):
		return err.Error() + "."
	}
	return err.Error()
}

// fitLines pads or cuts lines to exactly height lines of at most width cells.
func fitLines(lines []string, width, height int) string {
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = ansi.Truncate(l, width, "…")
		}
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// joinEnds puts left and right on one line of width cells.
func joinEnds(left, right string, width int) string {
	gap := width - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 1 {
		return left
	}
	return left + strings.Repeat(" ", gap) + right
}
