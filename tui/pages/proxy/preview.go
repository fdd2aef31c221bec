package proxy

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"frontdoor/render"
	"frontdoor/tui/common"
	"frontdoor/tui/components/highlight"
	"frontdoor/tui/components/scroller"
)

// preview shows the snippet as it would be saved, in the one scroller:
// syntax highlighted, with the lines the focused field produces marked (▍)
// and each line's change against the file at the save target (+ -) in a
// gutter that does not scroll sideways; searchable, and y copies the snippet.
type preview struct {
	res      previewResult
	have     bool  // res holds a rendered snippet
	stale    bool  // the current settings do not render; res is the last snippet that did
	staleErr error // why
	focused  bool
	// follow brings the first marked line into view when the preview of
	// generation followGen (or later), rendered for the new focus, arrives.
	follow     bool
	followGen  int
	fieldLabel string // the focused field, for the marks line

	view    scroller.Model
	fresh   bool     // res arrived since the content was given to the view
	plain   []string // the display lines as text
	styled  []string // plain, with the lines around the view highlighted
	buf     []string
	marks   []string
	hlFrom  int // the highlighted window of styled
	hlTo    int
	hlLang  string
	hlColor bool
	width   int
	height  int
}

func newPreview(st *common.Styles) preview {
	return preview{view: scroller.New(st.Scroller)}
}

// set takes a finished preview job.
func (p *preview) set(res previewResult) {
	if res.err != nil {
		if !p.stale && p.have {
			p.fresh = true // drawn again without the marks: they were for those settings
		}
		p.stale, p.staleErr = true, res.err
		if !p.have {
			p.res = res
		}
		return
	}
	if p.have && res.provider != p.res.provider {
		p.view.ResetX() // another provider's snippet: its lines start elsewhere
	}
	p.res, p.have, p.stale, p.staleErr = res, true, false, nil
	p.fresh = true
}

// followField names the focused field and brings its lines into view when
// the preview of generation gen (rendered for that focus) arrives.
func (p *preview) followField(label string, gen int) {
	p.fieldLabel = label
	p.follow, p.followGen = true, gen
}

// update takes a key or the mouse wheel while the preview has the focus;
// leave reports that the key hands the focus back to the form, say is what
// the screen's status line should say about the key ("" nothing).
func (p *preview) update(keys *common.Keys, msg tea.Msg) (leave bool, say string, cmd tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && !p.view.Capturing() {
		if key.Matches(k, keys.Back) || key.Matches(k, keys.Preview) {
			return true, "", nil
		}
		if p.stale && key.Matches(k, scroller.DefaultKeyMap().Copy) {
			// The snippet on show is not what these settings render: never
			// copied as if it were.
			return false, staleCopyText, nil
		}
	}
	p.follow = false
	return false, "", p.view.Update(msg)
}

// staleCopyText answers y on the last valid snippet.
const staleCopyText = "nothing copied: the preview is not these settings' snippet (fix the error first)"

// open gives the preview the focus, scrolled back to its first column (an
// offset from an earlier look would hide the start of every line).
func (p *preview) open() {
	p.focused = true
	p.view.ResetX()
}

// close hands the focus back to the form; the view goes back to its first
// column, so the lines beside the form are read from their start.
func (p *preview) close() {
	p.focused = false
	p.view.ResetX()
}

// previewHeader is how many lines the preview draws above the snippet.
const previewHeader = 3

// layout fits the preview in width x height cells (in Update): it gives
// the scroller the snippet, brings the marked lines into view when asked,
// and highlights the lines around the view.
func (p *preview) layout(st *common.Styles, hl *highlight.Highlighter, width, height int) {
	p.width, p.height = width, height
	if p.fresh {
		p.fresh = false
		p.plain = p.plain[:0]
		// The gutter of a line is one of six strings: styled once here,
		// not once per line of a 40,000-line snippet.
		var gutters [3][2]string
		for kind, g := range [3]string{editSame: " ", editAdd: st.DiffAdd.Render("+"), editDel: st.DiffDel.Render("-")} {
			gutters[kind] = [2]string{g + " ", g + st.Mark.Render(common.GlyphMark)}
		}
		marks := slices.Grow(p.marks[:0], len(p.res.display))[:len(p.res.display)]
		p.marks = marks // the scroller keeps a copy: the buffer is reused
		p.plain = append(p.plain, p.res.shown...)
		for i, d := range p.res.display {
			marked := 0
			if d.marked && !p.stale {
				marked = 1
			}
			marks[i] = gutters[d.kind][marked]
		}
		p.view.SetGutter(marks)
		p.view.SetCopyText(p.res.copy)
		p.styled = nil // highlighted again below
		p.setContent(st, hl)
	}
	// The heading says where the view is: the status line only when focused
	// (the search prompt, wrap, what y copied).
	p.view.SetSize(width, max(1, height-previewHeader))
	p.view.ShowStatus(p.focused)
	if p.follow && p.have && p.res.gen >= p.followGen {
		if p.res.firstMark >= 0 {
			p.view.GotoLine(p.res.firstMark)
		}
		p.follow = false
	}
	p.setContent(st, hl)
}

// setContent gives the view the display lines with the ones in and around
// the view highlighted: a snippet of 1,000 Docker repositories has 40,000
// lines, and only a screenful is ever drawn.
func (p *preview) setContent(st *common.Styles, hl *highlight.Highlighter) {
	body := max(1, p.height-previewHeader)
	first := p.view.YOffset()
	from, to := max(0, first-body), min(len(p.plain), first+2*body)
	color := hl != nil
	if p.styled != nil && from >= p.hlFrom && to <= p.hlTo && p.res.language == p.hlLang && color == p.hlColor {
		return // the view is inside the window highlighted last time
	}
	from, to = max(0, first-2*body), min(len(p.plain), first+3*body)
	// The scroller keeps a copy: the buffer is reused.
	styled := append(p.buf[:0], p.plain...)
	p.buf = styled
	for i := from; i < to; i++ {
		if p.res.display[i].kind == editDel {
			styled[i] = st.DiffDelText.Render(p.plain[i])
		} else {
			styled[i] = hl.Line(p.res.language, p.plain[i])
		}
	}
	p.styled, p.hlFrom, p.hlTo, p.hlLang, p.hlColor = styled, from, to, p.res.language, color
	// No plain copy: the scroller strips the few highlighted lines itself,
	// and only when a search needs it.
	p.view.SetContent(styled, nil)
}

// previewTab is how wide a tab is drawn in the preview: a Caddyfile is
// indented with tabs (as caddy fmt writes it), and a terminal's 8 cells a
// level push its directives out of a pane half the screen wide. What y
// copies keeps the tabs.
const previewTab = "    "

// expandTabs draws the tabs of a line as previewTab (tab stops at 4).
func expandTabs(line string) string {
	if strings.IndexByte(line, '\t') < 0 {
		return line
	}
	var b strings.Builder
	col := 0
	for _, r := range line {
		if r == '\t' {
			n := len(previewTab) - col%len(previewTab)
			b.WriteString(previewTab[:n])
			col += n
			continue
		}
		b.WriteRune(r)
		col++
	}
	return b.String()
}

// restyle drops the highlighting (new styles): the next layout draws again.
func (p *preview) restyle(st *common.Styles) {
	p.view.SetStyles(st.Scroller)
	p.fresh, p.styled = true, nil
}

// previewView is what drawing the preview needs besides the preview.
type previewView struct {
	st       *common.Styles
	provider render.Provider
	target   string // the save target's path
}

// render draws the preview as laid out (pure).
func (p *preview) render(v previewView) string {
	st, width, height := v.st, p.width, p.height
	lines := make([]string, 0, height)
	title := st.Heading.Render("Preview")
	if p.focused {
		title = st.LabelFocused.Render(common.GlyphPointer + " Preview")
	}
	switch {
	case p.stale && p.have:
		// Not the current settings' snippet: titled as what it is.
		title += st.Subtle.Render(" · last valid: " + outputName(p.res.provider))
	default:
		title += st.Subtle.Render(" · " + outputName(v.provider))
	}
	if total := p.view.Lines(); total > 0 {
		first, last := p.view.VisibleLines()
		title = common.JoinEnds(title, st.Subtle.Render(fmt.Sprintf("%d-%d/%d", first+1, last+1, total)), width)
	}
	lines = append(lines, common.Truncate(title, width))
	if p.stale && p.have {
		// Why there is no current snippet takes the marks line too (no
		// marks on the last valid one): two lines, not cut.
		lines = append(lines, p.staleLines(st, width)...)
	} else {
		lines = append(lines, common.Truncate(p.statusLine(st, v.target), width))
		lines = append(lines, common.Truncate(p.markLine(st), width))
	}
	if !p.have {
		msg := "No preview yet."
		if p.res.err != nil {
			msg = previewErrorText(p.res.err)
		}
		lines = append(lines, "")
		lines = append(lines, common.WrapPrefixed(msg, width, "", "", st.Subtle)...)
		return common.FitLines(lines, width, height)
	}
	return strings.Join(lines, "\n") + "\n" + p.view.Render()
}

// outputName says what the preview shows: "nginx snippet", "Gateway API
// manifests", and "plain text" where chroma has no lexer to colour it.
func outputName(p render.Provider) string {
	info, _ := render.Info(p)
	switch {
	case info.Manifests:
		return info.Label + " manifests"
	case info.Template != "" && !highlight.Has(info.Syntax):
		return info.Label + " snippet · plain text"
	}
	return string(p) + " snippet"
}

// statusLine compares the snippet with the file at the target, or says why
// the preview is not up to date.
func (p *preview) statusLine(st *common.Styles, path string) string {
	if !p.have || p.stale {
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

// staleHead starts what the preview says when it shows the last valid
// snippet.
const staleHead = common.GlyphError + " no current snippet: "

// staleLines say why the preview shows the last valid snippet, on two
// lines of width cells (the second cut only when even two are too few).
func (p *preview) staleLines(st *common.Styles, width int) []string {
	text := staleHead + previewErrorText(p.staleErr) + " Below: the last valid one, not these settings' (y copies nothing)."
	wrapped := append(common.WrapText(text, width), "")
	first := wrapped[0]
	if rest, ok := strings.CutPrefix(first, staleHead); ok {
		first = st.ErrorText.Render(staleHead) + st.Subtle.Render(rest)
	} else {
		first = st.Subtle.Render(first)
	}
	second := strings.Join(wrapped[1:], " ")
	return []string{common.Truncate(first, width), common.Truncate(st.Subtle.Render(strings.TrimSpace(second)), width)}
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

// PreviewInfo is what the preview shows now (tests read it).
type PreviewInfo struct {
	Have, Stale    bool     // a snippet is shown; it is the last valid one, not the current
	Lines          []string // the snippet
	Marked         []string // the lines the focused field produces
	New, Same      bool     // no file at the target; the file holds this snippet
	Changed        bool     // differs from the file at the target, line by line:
	Added, Removed int
	Top            int // first line in view
	X              int // columns scrolled sideways
}

// Preview describes the preview.
func (p *Page) Preview() PreviewInfo {
	pv := &p.preview
	info := PreviewInfo{
		Have: pv.have, Stale: pv.stale, Lines: pv.res.lines, Top: pv.view.YOffset(),
		New: pv.res.state == targetNew, Same: pv.res.state == targetSame, Changed: pv.res.state == targetChanged,
		Added: pv.res.added, Removed: pv.res.removed, X: pv.view.XOffset(),
	}
	for _, d := range pv.res.display {
		if d.marked {
			info.Marked = append(info.Marked, d.text)
		}
	}
	return info
}
