package tui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"frontdoor/tui/common"
	"frontdoor/tui/components/confirm"
	"frontdoor/tui/pages/home"
	"frontdoor/tui/pages/importing"
)

// layout lays the screen on show out for the terminal size: the header and
// footer, and the body in what they leave. It runs at the end of every
// Update, so View only draws what is laid out.
func (m *Model) layout() {
	// The Check screen's news (a run's verdict comes in a message of its
	// own, whatever is on show) goes to the status line only while it is on show.
	m.check.SetShown(m.screen == screenCheck)
	if m.tooSmall() {
		return
	}
	m.headerLines, m.footerLines = m.header(), m.footer()
	h := max(1, m.height-len(m.headerLines)-len(m.footerLines))
	if m.confirm != nil {
		m.confirm.Fit(m.width, h)
	}
	m.proxy.SetBlurred(m.importFocused()) // one focus on screen
	switch m.screen {
	case screenHTTP:
		// Under the review step: the last check beside the save report,
		// then the import's report.
		h -= m.checkLines()
		if m.importShown() {
			ph := m.imp.Layout(m.width, h)
			m.proxy.Layout(m.width, h-ph)
			m.importTop = h - ph + m.checkLines()
			break
		}
		m.proxy.Layout(m.width, h)
	case screenLDAP:
		m.ldap.Layout(m.width, h)
	case screenCheck:
		m.check.Layout(m.width, h)
	}
}

func (m *Model) tooSmall() bool {
	return m.quitting || m.width < common.MinWidth || m.height < common.MinHeight
}

// View draws the whole screen; it only reads state laid out in Update (the
// preview was rendered once per change, in a command).
func (m *Model) View() tea.View {
	v := tea.NewView(m.frame())
	v.AltScreen = true
	v.WindowTitle = "frontdoor"
	// The wheel scrolls the preview, the report, the export and the test
	// results (hold shift to select text with the mouse).
	v.MouseMode = tea.MouseModeCellMotion
	return v
}

// frame is the screen as text, exactly width x height cells.
func (m *Model) frame() string {
	if m.quitting || m.width <= 0 || m.height <= 0 {
		return ""
	}
	if m.tooSmall() {
		msg := "The terminal is too small for frontdoor: make it at least " + common.Itoa(common.MinWidth) + "x" + common.Itoa(common.MinHeight) + " (ctrl+c quits)."
		return common.FitLines(common.WrapText(msg, m.width), m.width, m.height)
	}
	header, footer := m.headerLines, m.footerLines
	bodyHeight := max(1, m.height-len(header)-len(footer))
	var body string
	switch m.screen {
	case screenHome:
		body = m.home.Render(&m.styles, m.homeSummary(), m.width, bodyHeight)
	case screenHTTP:
		body = m.proxy.Render()
		if m.checkLineShown() {
			body += "\n" + strings.Join(m.checkLine(), "\n")
		}
		if m.importShown() {
			body += "\n" + m.imp.Render(m.width)
		}
	case screenLDAP:
		body = m.ldap.Render()
	case screenCheck:
		body = m.check.Render()
	}
	if m.confirm != nil {
		body = common.Overlay(body, m.confirm.Render(&m.styles, m.width), m.width, bodyHeight)
	}
	return strings.Join(header, "\n") + "\n" + body + "\n" + strings.Join(footer, "\n")
}

func (m *Model) header() []string {
	st := &m.styles
	left := st.Title.Render("frontdoor") + st.Subtle.Render(" · "+screenNames[m.screen])
	right := st.Subtle.Render(m.headerSource())
	if m.doc.Dirty() {
		right = st.WarnText.Render("modified") + st.Subtle.Render(" · ") + right
	}
	lines := []string{common.Truncate(common.JoinEnds(left, right, m.width), m.width)}
	if m.screen == screenHTTP {
		lines = append(lines, m.proxy.StepBar(m.width))
	}
	return append(lines, st.Separator.Render(strings.Repeat("─", m.width)))
}

func (m *Model) footer() []string {
	st := &m.styles
	status := common.Summary(st, m.doc.Proxy.Issues)
	if m.screen == screenLDAP {
		status = "LDAP " + common.Summary(st, m.doc.LDAP.Issues)
	}
	lines := statusLines(st, status, m.status.String(), m.width)
	help := common.ShortHelp(m.help, m.keyMap().ShortHelp(), m.width)
	if m.help.ShowAll {
		help = common.FullHelp(m.help, m.keyMap().FullHelp(), m.width) // every key, in bands
	}
	for _, l := range strings.Split(help, "\n") {
		// bubbles/help adds an item that does not fit when even "…" does not.
		lines = append(lines, common.Cut(l, m.width))
	}
	return lines
}

// statusLines are the findings' summary and the status news after it: one
// line when they fit, else the news wraps onto a second line (a path is
// broken after a '/'), cut only past that.
func statusLines(st *common.Styles, summary, news string, width int) []string {
	const sep = "  ·  "
	if news == "" {
		return []string{common.Truncate(summary, width)}
	}
	line := summary + st.Subtle.Render(sep) + st.Bold.Render(news)
	first := width - common.Width(summary) - len(sep)
	if common.Width(line) <= width || first < 20 {
		return []string{common.Truncate(line, width)}
	}
	head, rest := common.SplitFit(news, first) // a path goes on where it broke
	return []string{
		summary + st.Subtle.Render(sep) + st.Bold.Render(head),
		common.Truncate("  "+st.Bold.Render(rest), width),
	}
}

// keyMap is the help for where the focus is.
func (m *Model) keyMap() help.KeyMap {
	switch {
	case m.confirm != nil:
		return confirm.KeyMap{Keys: &m.keys, Dialog: m.confirm}
	case m.screen == screenHome:
		return home.KeyMap{Keys: &m.keys}
	case m.importFocused():
		return m.imp.KeyMap()
	case m.importShown():
		return importing.WithKey(m.proxy.KeyMap())
	case m.screen == screenLDAP:
		return m.ldap.KeyMap()
	case m.screen == screenCheck:
		return m.check.KeyMap()
	}
	return m.proxy.KeyMap()
}
