package proxy

import (
	"strings"

	"frontdoor/tui/common"
	"frontdoor/tui/components/form"
	"frontdoor/tui/components/steplist"
	"frontdoor/tui/pages/save"
)

// wide reports whether the preview sits beside the form.
func (p *Page) wide() bool { return p.width >= common.WideWidth }

// formWidth is the form column: the whole width, or the left part when the
// preview sits beside it.
func (p *Page) formWidth() int {
	if !p.wide() {
		return max(common.MinWidth, p.width)
	}
	return max(56, min(76, p.width*45/100))
}

// Layout lays the page out in width x height cells: the form scrolled so
// the focused field is whole on screen, the preview's window. It runs in
// Update, after every change; Render then only draws.
func (p *Page) Layout(width, height int) {
	p.width, p.height = width, height
	switch {
	case !p.wide() && p.previewOpen:
		p.preview.layout(height)
	case !p.wide():
		p.formLines = p.layoutForm(width, height)
	default:
		p.formLines = p.layoutForm(p.formWidth(), height)
		p.preview.layout(height)
	}
}

// Render draws the page as laid out.
func (p *Page) Render() string {
	width, height := p.width, p.height
	pv := previewView{st: p.st, hl: p.hl, provider: p.doc.File.Proxy.Provider, target: p.doc.Target.Path}
	if !p.wide() {
		if p.previewOpen {
			return p.preview.render(pv, width, height)
		}
		return strings.Join(p.formLines, "\n")
	}
	fw := p.formWidth()
	prev := strings.Split(p.preview.render(pv, width-fw-3, height), "\n")
	sep := p.st.Separator.Render("│")
	var b strings.Builder
	for i := range height {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(common.PadRight(p.formLines[i], fw))
		b.WriteString(" " + sep + " ")
		b.WriteString(prev[i])
	}
	return b.String()
}

// layoutForm lays the current step out: heading, the step's preamble, its
// fields (the focused one kept in view), and the step's panels.
func (p *Page) layoutForm(width, height int) []string {
	st := p.st
	info := Steps[p.step]
	head := []string{st.Heading.Render(common.Truncate(info.Title, width))}
	head = append(head, common.WrapPrefixed(info.Intro, width, "", "", st.Subtle)...)
	head = append(head, "")
	head = form.FitHead(head, height)
	avail := max(1, height-len(head))

	f := p.form()
	f.SetWidth(width)
	var pre []string
	if p.step == StepReview {
		pre = save.Preamble(p.st, p.doc, width)
	}
	lines, focusStart, focusEnd := f.Lines(form.Layout{
		Index:       p.doc.Proxy.Index,
		Active:      !p.previewOpen,
		TableBudget: max(4, avail-len(pre)-2*f.ShownCount()-2),
	})
	body := append(append(pre, lines...), p.extras(width)...)
	if focusStart >= 0 {
		focusStart, focusEnd = focusStart+len(pre), focusEnd+len(pre)
		if f.AtLast() {
			// Nothing to focus below: let the step's panels come into view too.
			focusEnd = len(body)
		}
	}
	return p.scroll[p.step].Place(st, head, body, focusStart, focusEnd, width, height)
}

// extras are drawn below a step's fields: where the snippet goes, the
// certificate panel, and on the review step the Apache modules and the save
// report.
func (p *Page) extras(width int) []string {
	switch p.step {
	case StepProvider:
		return save.TargetSummary(p.st, p.doc, width)
	case StepPublic:
		s := &p.doc.File.Proxy
		reading := p.certWant == [2]string{s.HTTPS.Certificate, s.HTTPS.Key}
		return CertPanel(p.st, p.doc, reading, width)
	case StepReview:
		return append(p.save.ModulesLines(p.st, p.doc, width), p.save.ReportLines(p.st, width)...)
	}
	return nil
}

// StepBar draws the bar of steps for the header.
func (p *Page) StepBar(width int) string {
	steps := make([]steplist.Step, StepCount)
	for sid := range StepCount {
		steps[sid] = steplist.Step{Short: Steps[sid].Short, Errors: sid != StepReview && p.stepIssues[sid].Errors > 0}
	}
	return steplist.Render(p.st, steps, int(p.step), width)
}
