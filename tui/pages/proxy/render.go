package proxy

import (
	"strings"

	"frontdoor/app"

	"frontdoor/tui/common"
	"frontdoor/tui/components/form"
	"frontdoor/tui/components/pane"
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
// the focused field is whole on screen, the save report and the preview in
// their scrollers. It runs in Update, after every change; Render then only
// draws.
func (p *Page) Layout(width, height int) {
	// A finished preview job changes nothing in the form column: keep it
	// (the form of 1,000 rows costs as much to lay out as the job's result).
	keepForm := p.previewOnly && width == p.width && height == p.height && len(p.formLines) == height
	p.previewOnly = false
	p.width, p.height = width, height
	p.preview.focused = p.previewOpen
	switch {
	case !p.wide() && p.previewOpen:
		p.preview.layout(p.st, p.hl, width, height)
	case !p.wide():
		if !keepForm {
			p.formLines = p.layoutForm(width, height)
		}
	default:
		fw := p.formWidth()
		if !keepForm {
			p.formLines = p.layoutForm(fw, height)
		}
		p.preview.layout(p.st, p.hl, width-fw-3, height)
	}
}

// Render draws the page as laid out.
func (p *Page) Render() string {
	height := p.height
	pv := previewView{st: p.st, provider: p.doc.File.Proxy.Provider, target: p.doc.Target.Path.Value}
	if !p.wide() {
		if p.previewOpen {
			return p.preview.render(pv)
		}
		return p.renderForm()
	}
	fw := p.formWidth()
	form := strings.Split(p.renderForm(), "\n")
	prev := strings.Split(p.preview.render(pv), "\n")
	sep := p.st.Separator.Render("│")
	var b strings.Builder
	for i := range height {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(common.PadRight(form[i], fw))
		b.WriteString(" " + sep + " ")
		b.WriteString(prev[i])
	}
	return b.String()
}

// renderForm draws the form column as laid out: the fields, and on the
// review step the save report below them.
func (p *Page) renderForm() string {
	out := strings.Join(p.formLines, "\n")
	if p.reportShown() {
		out += "\n" + p.report.Render()
	}
	return out
}

// layoutForm lays the current step out: heading, the step's preamble, its
// fields (the focused one kept in view), and the step's panels; on the
// review step the last save's report follows in a scroller.
func (p *Page) layoutForm(width, height int) []string {
	head, body, focusStart, focusEnd := p.formParts(width, height)
	if !p.reportShown() {
		return p.scroll[p.step].Place(p.st, head, body, focusStart, focusEnd, width, height)
	}
	grew := p.fillReport(width)
	// The fields take what they need while the report (with its title)
	// fits below; else the report takes up to two thirds of the space under
	// the heading (at least 8 lines) and the fields scroll in the rest.
	// A save that just ended (or a report with the focus) gets up to two
	// thirds, so its outcome and a failure's output are in view; once the
	// user is back in the fields, it keeps a third and the fields, the
	// findings and the notes above them get the rest.
	need := p.report.Lines() + 2
	rh := height - len(head) - len(body)
	if rh < need {
		share := (height - len(head)) / 3
		if p.reportBig || p.reportFocused {
			share = max(8, (height-len(head))*2/3)
		}
		rh = min(need, max(5, share))
	}
	rh = max(3, min(rh, height-1))
	lines := p.scroll[p.step].Place(p.st, head, body, focusStart, focusEnd, width, height-rh)
	p.reportTop = len(lines) + 1
	pane.Fit(&p.report, width, rh-2, p.reportFocused)
	switch {
	case p.save.Saving() && grew:
		p.report.GotoBottom() // the newest step in view
	case p.placeReport && !p.save.Saving():
		p.placeReport = false
		if i := save.FirstFailed(p.reportLines); i >= 0 {
			// From the top: GotoLine leaves a line in view where it is,
			// which after a running save (at the bottom) may be the last
			// row, with the failure's output below the pane.
			p.report.GotoTop()
			p.report.GotoLine(i)
		} else {
			p.report.GotoTop()
		}
	}
	return append(lines, "", common.Truncate(p.reportTitle(width), width))
}

// fillReport puts the running save's steps, or the last save's report, in
// the report pane when they changed; grew says new steps came in.
func (p *Page) fillReport(width int) (grew bool) {
	if p.save.Saving() {
		live := p.save.Live()
		if p.reportOf == nil && p.reportSteps == len(live) && width == p.reportWidth {
			return false
		}
		p.reportOf, p.reportSteps, p.reportWidth = nil, len(live), width
		p.reportLines = p.save.LiveLines(p.st, width)
		p.report.SetContent(p.reportLines, nil)
		p.report.SetCopyText(p.save.LiveCopy())
		return true
	}
	d := p.save.LastDone()
	if d == p.reportOf && width == p.reportWidth && p.reportSteps == 0 {
		return false
	}
	p.reportOf, p.reportSteps, p.reportWidth = d, 0, width
	p.reportLines = save.ReportLines(p.st, &d.Report, width)
	p.report.SetContent(p.reportLines, nil)
	p.report.SetCopyText(save.CopyText(&d.Report))
	return false
}

// reportTitle heads the report pane: what runs, or the last outcome.
func (p *Page) reportTitle(width int) string {
	st := p.st
	text := "Saving"
	if p.save.Job().Op == app.OpSettings {
		text = "Writing the settings"
	}
	var outcome string
	if !p.save.Saving() {
		rep := p.save.Last()
		text = "Last save"
		if pr := rep.Target.Provider; pr != "" && pr != p.doc.File.Proxy.Provider {
			text = "Last save, for " + string(pr) // the provider was changed since: not this one's
		}
		outcome = " " + save.MarkStyle(st, rep.Mark()).Render(rep.Mark().Symbol()+" "+rep.Headline())
	}
	if p.reportFocused {
		return st.LabelFocused.Render(common.GlyphPointer+" "+text) + outcome
	}
	title := st.Heading.Render(text) + outcome
	if hint := st.Subtle.Render("  (tab: scroll, search, copy)"); common.Width(title+hint) <= width {
		title += hint // only whole: the outcome matters more
	}
	return title
}

// formParts are the step's heading (fixed) and body (scrolled): preamble,
// fields and panels, with the lines of the focused field in the body.
func (p *Page) formParts(width, height int) (head, body []string, focusStart, focusEnd int) {
	st := p.st
	info := Steps[p.step]
	head = []string{st.Heading.Render(common.Truncate(info.Title, width))}
	head = append(head, common.WrapPrefixed(info.Intro, width, "", "", st.Subtle)...)
	head = append(head, "")
	head = form.FitHead(head, height)
	avail := max(1, height-len(head))

	f := p.form()
	f.SetWidth(width)
	var pre []string
	if p.step == StepReview {
		pre = save.Preamble(p.st, p.doc, p.save.HereFor(p.settingsGen), width)
	}
	lines, focusStart, focusEnd := f.Lines(form.Layout{
		Index:       p.doc.Proxy.Index,
		Active:      !p.previewOpen && !p.reportFocused && !p.blurred,
		TableBudget: max(4, avail-len(pre)-2*f.ShownCount()-2),
	})
	body = append(append(pre, lines...), p.extras(width)...)
	if focusStart >= 0 {
		focusStart, focusEnd = focusStart+len(pre), focusEnd+len(pre)
		if fd := f.Focused(); f.AtLast() || fd != nil && fd.Kind == form.Button {
			// Nothing but buttons below: let the step's panels (the module
			// probe) come into view too.
			focusEnd = len(body)
		}
	}
	return head, body, focusStart, focusEnd
}

// extras are drawn below a step's fields: where the snippet goes, the
// certificate panel, and on the review step the Apache modules and the save
// report.
func (p *Page) extras(width int) []string {
	switch p.step {
	case StepProvider:
		return save.TargetSummary(p.st, p.doc, width)
	case StepPublic:
		if !usesCertificateFiles(p.doc) {
			return nil // no file names the certificate: nothing to read
		}
		s := &p.doc.File.Proxy
		reading := p.certWant.readPair && p.certWant.cert == s.HTTPS.Certificate && p.certWant.key == s.HTTPS.Key
		return CertPanel(p.st, p.doc, reading, width)
	case StepReview:
		return p.save.ProbeLines(p.st, p.doc, width)
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
