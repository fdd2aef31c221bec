package check

import (
	"reflect"
	"strings"

	"charm.land/bubbles/v2/key"

	"frontdoor/doorcheck"
	"frontdoor/finding"
	"frontdoor/tui/common"
	"frontdoor/tui/components/form"
	"frontdoor/tui/components/pane"
	"frontdoor/tui/components/scroller"
)

// runKey runs the check from anywhere on the screen (enter on the button
// does too). It is the LDAP test panel's run-again key.
var runKey = key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "check again"))

// intro says what the check does, under the heading.
const intro = "From a client's side, as Docker and browsers use the door: DNS, TCP, TLS, the HTTP → HTTPS redirect, " +
	"Artifactory through the door, each Docker repository's token realm, request streaming, encoded slashes. " +
	"Nothing is changed; a failure names its cause and fix."

// Layout lays the screen out in width x height cells (in Update): the
// heading, the fields, the results' title, then the results scroller in
// what is left.
func (p *Page) Layout(width, height int) {
	p.width, p.height = width, height
	st := p.st
	head := []string{st.Heading.Render("Check the door") + st.Subtle.Render(common.Truncate("  "+p.doc.Settings().ServerName, max(0, width-14)))}
	if height >= 30 { // at 80x24 the results need the room
		head = append(head, common.WrapPrefixed(intro, width, "", "", st.Subtle)...)
	}
	head = append(head, p.notes(width)...)
	p.form.FixFocus(-1)
	p.form.SetWidth(width)
	var fs finding.Findings
	for _, f := range []*finding.Finding{p.addressFinding(), p.caFinding()} {
		if f != nil {
			fs = append(fs, *f)
		}
	}
	idx := common.NewFindingIndex(fs)
	inputs, focusStart, focusEnd := p.form.Lines(form.Layout{Index: idx, Active: !p.job.Running() && !p.resultsFocused})
	head = p.fitHead(head, inputs, focusStart, focusEnd, p.title(width), width, height)
	p.lines = head
	p.fill(width)
	p.resultsTop = len(head)
	pane.Fit(&p.results, width, max(1, height-len(head)), p.resultsFocused)
	if p.placeSummary && p.drawn.summary >= 0 {
		// A run just ended: its summary (the verdict, the first failure's
		// cause and fix) in view, from its first line.
		p.placeSummary = false
		p.results.EnsureVisible(p.drawn.summary, p.results.Lines()-1)
	}
}

// fitHead lays out what goes above the results: top (the heading and the
// notes), the fields, a blank line and the results' title. The results keep
// at least a third of the screen (three lines at the least); when the rest
// is too small for everything, the blank line goes first, then the fields
// scroll in what is left, the focused one whole with its finding and hint
// (a status line of two lines at 80x24 left the first field alone). The
// title always stays: it says how the last run ended.
func (p *Page) fitHead(top, inputs []string, focusStart, focusEnd int, title []string, width, height int) []string {
	room := height - max(3, height/3)
	if len(top)+len(inputs)+1+len(title) <= room {
		p.scroll.Reset()
		return append(append(append(top, inputs...), ""), title...)
	}
	if len(top)+len(inputs)+len(title) <= room {
		p.scroll.Reset()
		return append(append(top, inputs...), title...)
	}
	// Place cuts top to a third of what it is given, and scrolls the fields
	// in the rest with "more" markers.
	fields := p.scroll.Place(p.st, top, inputs, focusStart, focusEnd, width, max(1, room-len(title)))
	return append(fields, title...)
}

// notes are said above the fields: settings that cannot be checked, and
// unsaved edits (the door serves what was saved).
func (p *Page) notes(width int) []string {
	st := p.st
	var out []string
	if n := p.doc.Proxy.Issues.Errors; n > 0 {
		out = append(out, common.WrapPrefixed("The HTTP settings have "+common.CountNoun(n, "error")+": the check plans from settings that render. Fix them first.",
			width, common.GlyphError+" ", "  ", st.ErrorText)...)
	} else if p.doc.ProxyDirty() {
		out = append(out, common.WrapPrefixed("The settings have unsaved edits: the check follows them, while the door serves what was last saved.",
			width, common.GlyphWarning+" ", "  ", st.WarnText)...)
	}
	if r := p.run; r != nil && r.Result != nil && !p.job.Running() && !reflect.DeepEqual(r.settings, *p.doc.Settings()) {
		out = append(out, common.WrapPrefixed("The settings changed since this check: ctrl+r checks again.", width, common.GlyphWarning+" ", "  ", st.WarnText)...)
	}
	return out
}

// title heads the results: what runs, or how the last run ended (on a
// second line rather than cut: the address and the CA trusted are at its
// end).
func (p *Page) title(width int) []string {
	st := p.st
	r := p.run
	lead := st.Heading.Render("Results")
	if p.resultsFocused {
		lead = st.LabelFocused.Render(common.GlyphPointer+" ") + lead
	}
	switch {
	case r == nil:
		return []string{common.Truncate(lead, width)}
	case p.job.Running():
		what := "Checking"
		if p.job.Canceling() {
			what = "Canceling"
		}
		text := st.Heading.Render(what+" ") + st.Pointer.Render(p.job.Spinner()) + st.Subtle.Render(" "+common.CountNoun(len(r.Steps), "step")+" so far  (esc cancels)")
		return []string{common.Truncate(text, width)}
	}
	hint := ""
	if !p.resultsFocused {
		hint = st.Subtle.Render("  (tab: scroll, search, copy)")
	}
	lead = st.Heading.Render("Last check") + " "
	if p.resultsFocused {
		lead = st.LabelFocused.Render(common.GlyphPointer+" ") + lead
	}
	return p.lastLines(r, lead, hint, width)
}

// lastLines are a run's verdict after lead, wrapped to width: the mark,
// then what it found, when, the address and the CA trusted.
func (p *Page) lastLines(r *Run, lead, hint string, width int) []string {
	mark, what := r.Describe(p.opts.Now())
	style := StatusStyle(p.st, mark)
	return common.Titled(lead+style.Render(mark.Symbol()+" "), what, style, hint, width)
}

// SummaryLines are the last check after lead, as Summary says it, wrapped
// to width rather than cut (the review step's line under the save report).
func (p *Page) SummaryLines(lead, hint string, width int) []string {
	if r := p.Last(); r != nil {
		mark, what := r.Describe(p.opts.Now())
		return common.Titled(lead+StatusStyle(p.st, mark).Render(mark.Symbol())+" ", what, nil, hint, width)
	}
	return common.Titled(lead, p.Summary(), nil, hint, width)
}

// fill puts the run's lines in the results scroller: the steps so far are
// drawn once each (a new step adds its lines), the hint before any run.
func (p *Page) fill(width int) {
	r := p.run
	if r == nil {
		hint := common.WrapPrefixed("Press enter on Check: each step shows as it ends. Type an address first to test one machine's "+
			"listeners (127.0.0.1 after a save here), a CA file for a door with a private CA; give a Docker user to try the token flow too.", width, "", "", p.st.Subtle)
		p.results.SetContent(hint, nil)
		p.drawn = drawn{}
		return
	}
	d := &p.drawn
	if d.run != r || d.width != width || d.steps > len(r.Steps) {
		*d = drawn{run: r, width: width, summary: -1}
	}
	if d.steps == len(r.Steps) && d.lines != nil {
		return
	}
	for _, step := range r.Steps[d.steps:] {
		if step.Kind == doorcheck.KindSummary {
			d.summary = len(d.lines)
		}
		d.lines = append(d.lines, StepLines(p.st, step, width)...)
	}
	if d.lines == nil {
		d.lines = []string{}
	}
	d.steps = len(r.Steps)
	p.results.SetContent(d.lines, nil)
	p.results.SetCopyText(r.Text())
}

// Render draws the screen as laid out.
func (p *Page) Render() string {
	return strings.Join(append(common.Fit(p.lines, p.width, len(p.lines)), p.results.Render()), "\n")
}

// Summary is the last check for the home screen, styled ("" before any).
func (p *Page) Summary() string {
	r := p.Last()
	if r == nil {
		if p.job.Running() {
			return p.st.Subtle.Render("checking…")
		}
		return p.st.Subtle.Render("not run in this session")
	}
	mark, what := r.Describe(p.opts.Now())
	return StatusStyle(p.st, mark).Render(mark.Symbol()) + " " + what
}

// KeyMap is the help for where the focus is on the screen.
func (p *Page) KeyMap() KeyMap {
	return KeyMap{k: p.keys, view: &p.results, running: p.job.Running(), focused: p.resultsFocused, typing: p.Typing()}
}

// KeyMap is the help of the Check screen: the fields, or the results while
// a check runs or they have the focus.
type KeyMap struct {
	k       *common.Keys
	view    *scroller.Model
	running bool
	focused bool
	typing  bool
}

func (h KeyMap) ShortHelp() []key.Binding {
	k := h.k
	switch {
	case h.view.Capturing():
		return h.view.ShortHelp()
	case h.running:
		return append([]key.Binding{common.WithHelp(k.Cancel, "esc", "cancel the check")}, h.view.ShortHelp()...)
	case h.focused:
		return append(h.view.ShortHelp(), runKey, common.WithHelp(k.Leave, "esc", "back to the fields"), k.Help)
	}
	return []key.Binding{common.WithHelp(k.Next, "tab", "next"), common.WithHelp(k.Run, "enter", "check"),
		common.WithHelp(k.PageUp, "pgup/pgdn", "scroll"), common.WithHelp(k.Leave, "esc", "home"), k.HelpKey(h.typing, "keys")}
}

func (h KeyMap) FullHelp() [][]key.Binding {
	k := h.k
	switch {
	case h.view.Capturing():
		return h.view.FullHelp()
	case h.running:
		return append([][]key.Binding{{common.WithHelp(k.Cancel, "esc", "cancel the check"), k.Quit}}, h.view.FullHelp()...)
	case h.focused:
		return append(h.view.FullHelp(), []key.Binding{runKey},
			[]key.Binding{common.WithHelp(k.Leave, "esc/shift+tab", "back to the fields"), k.Quit, common.WithHelp(k.Help, "?", "close help")})
	}
	return [][]key.Binding{
		{k.Next, k.Prev, common.WithHelp(k.Run, "enter", "check (on the button)"), runKey},
		{common.WithHelp(k.PageUp, "pgup", "scroll results up"), common.WithHelp(k.PageDown, "pgdn", "scroll results down"), common.WithHelp(k.Next, "tab", "past the button: to the results")},
		{common.WithHelp(k.Leave, "esc", "home"), k.Quit, k.HelpKey(h.typing, "close help")},
	}
}
