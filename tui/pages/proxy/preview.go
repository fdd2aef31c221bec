package proxy

import (
	"errors"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"frontdoor/render"
	"frontdoor/tui/common"
	"frontdoor/tui/components/highlight"
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
	bodyHeight int // lines drawn, for paging (set by layout)
	focused    bool
	follow     bool   // bring the first marked line into view when it arrives:
	followGen  int    // the preview of this generation (or later) for the new focus
	fieldLabel string // the focused field, for the marks line
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

// followField names the focused field and brings its lines into view when
// the preview of generation gen (rendered for that focus) arrives.
func (p *preview) followField(label string, gen int) {
	p.fieldLabel = label
	p.follow, p.followGen = true, gen
}

func (p *preview) scroll(delta int) {
	p.follow = false
	p.top = max(0, min(p.top+delta, len(p.res.display)-max(1, p.bodyHeight)))
}

// update scrolls the preview while it has the focus.
func (p *preview) update(keys *common.Keys, k tea.KeyPressMsg) {
	switch {
	case key.Matches(k, keys.ScrollUp):
		p.scroll(-1)
	case key.Matches(k, keys.ScrollDown):
		p.scroll(+1)
	case key.Matches(k, keys.PageUp):
		p.scroll(-max(1, p.bodyHeight-1))
	case key.Matches(k, keys.PageDown):
		p.scroll(max(1, p.bodyHeight-1))
	case key.Matches(k, keys.Top):
		p.follow = false
		p.top = 0
	case key.Matches(k, keys.Bottom):
		p.scroll(len(p.res.display))
	}
}

// previewHeader is how many lines the preview draws above the snippet.
const previewHeader = 3

// layout fits the preview in height lines: it brings the marked lines into
// view when asked and keeps the window on the snippet (part of laying the
// screen out, in Update).
func (p *preview) layout(height int) {
	p.bodyHeight = max(1, height-previewHeader)
	total := len(p.res.display)
	if p.follow && p.have && p.res.gen >= p.followGen {
		if m := p.res.firstMark; m >= 0 && (m < p.top || m >= p.top+p.bodyHeight) {
			p.top = max(0, m-2)
		}
		p.follow = false
	}
	p.top = max(0, min(p.top, total-p.bodyHeight))
}

// previewView is what drawing the preview needs besides the preview.
type previewView struct {
	st       *common.Styles
	hl       *highlight.Highlighter
	provider render.Provider
	target   string // the save target's path
}

// render draws the preview in width x height cells (pure: layout placed it).
func (p *preview) render(v previewView, width, height int) string {
	st := v.st
	lines := make([]string, 0, height)
	title := st.Heading.Render("Preview")
	if p.focused {
		title = st.LabelFocused.Render(common.GlyphPointer + " Preview")
	}
	lang := string(v.provider)
	if p.have {
		lang = p.res.language
	}
	title += st.Subtle.Render(" · " + lang + " snippet")
	total := len(p.res.display)
	if total > 0 {
		pos := fmt.Sprintf("%d-%d/%d", p.top+1, min(total, p.top+p.bodyHeight), total)
		title = common.JoinEnds(title, st.Subtle.Render(pos), width)
	}
	lines = append(lines, common.Truncate(title, width))
	lines = append(lines, common.Truncate(p.statusLine(st, v.target), width))
	lines = append(lines, common.Truncate(p.markLine(st), width))

	if !p.have {
		msg := "No preview yet."
		if p.res.err != nil {
			msg = previewErrorText(p.res.err)
		}
		lines = append(lines, "")
		lines = append(lines, common.WrapPrefixed(msg, width, "", "", st.Subtle)...)
		return common.FitLines(lines, width, height)
	}
	textWidth := max(1, width-2)
	for i := p.top; i < total && i < p.top+p.bodyHeight; i++ {
		d := p.res.display[i]
		gutter := " "
		text := common.Truncate(d.text, textWidth)
		switch d.kind {
		case editAdd:
			gutter = st.DiffAdd.Render("+")
			text = v.hl.Line(lang, text)
		case editDel:
			gutter = st.DiffDel.Render("-")
			text = st.DiffDelText.Render(text)
		default:
			text = v.hl.Line(lang, text)
		}
		mark := " "
		if d.marked {
			mark = st.Mark.Render(common.GlyphMark)
		}
		lines = append(lines, gutter+mark+text)
	}
	return common.FitLines(lines, width, height)
}

// statusLine compares the snippet with the file at the target, or says why
// the preview is not up to date.
func (p *preview) statusLine(st *common.Styles, path string) string {
	if p.stale && p.have {
		return st.ErrorText.Render(common.GlyphError+" not updated: ") + st.Subtle.Render(previewErrorText(p.staleErr)+" Showing the last valid snippet.")
	}
	if !p.have {
		return ""
	}
	switch p.res.state {
	case targetNew:
		return st.DiffAdd.Render("new file ") + st.Subtle.Render(path)
	case targetSame:
		return st.OKText.Render(common.GlyphOK+" same as ") + st.Subtle.Render(path+": saving changes nothing")
	case targetChanged:
		return st.DiffAdd.Render(fmt.Sprintf("+%d", p.res.added)) + " " + st.DiffDel.Render(fmt.Sprintf("-%d", p.res.removed)) +
			st.Subtle.Render(" lines vs "+path)
	case targetRewritten:
		return st.WarnText.Render("differs throughout from ") + st.Subtle.Render(path)
	case targetUnreadable:
		return st.WarnText.Render(common.GlyphWarning+" cannot read ") + st.Subtle.Render(path+": compared with nothing")
	}
	return st.Subtle.Render("no file to compare with")
}

// markLine says which lines the focused field produces.
func (p *preview) markLine(st *common.Styles) string {
	if !p.have || p.stale || p.fieldLabel == "" || !p.res.markable {
		return ""
	}
	if p.res.marks == 0 {
		return st.Subtle.Render(p.fieldLabel + ": no line of the snippet depends on it")
	}
	return st.Mark.Render(common.GlyphMark) + st.Subtle.Render(fmt.Sprintf(" %s from %s", common.CountNoun(p.res.marks, "line"), p.fieldLabel))
}

// previewErrorText is the short reason a snippet was not rendered.
func previewErrorText(err error) string {
	var inv *render.InvalidError
	switch {
	case errors.As(err, &inv):
		return fmt.Sprintf("fix the %s first.", common.CountNoun(len(inv.Findings.Errors()), "error"))
	case errors.Is(err, render.ErrNoSnippet):
		return err.Error() + "."
	}
	return err.Error()
}
