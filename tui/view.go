package tui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"frontdoor/config"
)

// Below this size the wizard asks for a bigger terminal instead of drawing
// a broken screen; 80x24 is comfortable.
const (
	minWidth  = 50
	minHeight = 14
	// wideWidth is where the preview moves beside the form.
	wideWidth = 120
)

// View draws the whole screen; it only reads state computed in Update
// (the preview was rendered once per change, in a command).
func (m *Model) View() tea.View {
	v := tea.NewView(m.frame())
	v.AltScreen = true
	v.WindowTitle = "frontdoor"
	return v
}

// frame is the screen as text, exactly width x height cells.
func (m *Model) frame() string {
	if m.quitting || m.width <= 0 || m.height <= 0 {
		return ""
	}
	if m.width < minWidth || m.height < minHeight {
		msg := "The terminal is too small for frontdoor: make it at least " + itoa(minWidth) + "x" + itoa(minHeight) + " (ctrl+c quits)."
		return fitLines(wrapText(msg, m.width), m.width, m.height)
	}
	header := m.renderHeader()
	footer := m.renderFooter()
	bodyHeight := max(1, m.height-len(header)-len(footer))
	body := m.renderBody(m.width, bodyHeight)
	if m.confirm != nil {
		body = overlay(body, m.confirm.Render(&m.styles, m.width), m.width, bodyHeight)
	}
	return strings.Join(header, "\n") + "\n" + body + "\n" + strings.Join(footer, "\n")
}

func (m *Model) wide() bool { return m.width >= wideWidth }

// formWidth is the form column: the whole width, or the left part when
// the preview sits beside it.
func (m *Model) formWidth() int {
	if !m.wide() {
		return max(minWidth, m.width)
	}
	return max(56, min(76, m.width*45/100))
}

func (m *Model) renderHeader() []string {
	st := &m.styles
	names := map[screen]string{screenHome: "home", screenHTTP: "HTTP settings", screenLDAP: "LDAP settings"}
	left := st.title.Render("frontdoor") + st.subtle.Render(" · "+names[m.screen])
	source := m.opts.ConfigPath
	if m.opts.Source == config.FromExample {
		source = "built-in example"
	}
	right := st.subtle.Render(source)
	if m.dirty || m.ldapDirty() {
		right = st.warnText.Render("modified") + st.subtle.Render(" · ") + right
	}
	lines := []string{ansi.Truncate(joinEnds(left, right, m.width), m.width, "…")}
	if m.screen == screenHTTP {
		lines = append(lines, m.renderStepBar(m.width))
	}
	return append(lines, st.separator.Render(strings.Repeat("─", m.width)))
}

func (m *Model) renderFooter() []string {
	st := &m.styles
	status := summary(st, m.issues)
	if m.screen == screenLDAP {
		status = "LDAP " + summary(st, m.ldap.issues)
	}
	if m.status != "" {
		status += st.subtle.Render("  ·  ") + st.bold.Render(m.status)
	}
	lines := []string{ansi.Truncate(status, m.width, "…")}
	for _, l := range strings.Split(m.help.View(m.keyMap()), "\n") {
		// bubbles/help adds an item that does not fit when even "…" does not.
		lines = append(lines, ansi.Truncate(l, m.width, ""))
	}
	return lines
}

// keyMap is the help for where the focus is.
func (m *Model) keyMap() help.KeyMap {
	switch {
	case m.confirm != nil:
		return confirmKeyMap{&m.keys}
	case m.screen == screenHome:
		return homeKeyMap{&m.keys}
	case m.screen == screenLDAP:
		return m.ldapHelp()
	case m.previewOpen:
		return previewKeyMap{&m.keys}
	}
	kind := itemInfo
	if it := m.focused(); it != nil {
		kind = it.kind
	}
	return formKeyMap{k: &m.keys, focus: kind, narrow: !m.wide()}
}

func (m *Model) renderBody(width, height int) string {
	switch m.screen {
	case screenHome:
		return m.renderHome(width, height)
	case screenLDAP:
		return m.renderLDAPScreen(width, height)
	}
	if !m.wide() {
		if m.previewOpen {
			return m.preview.Render(m, width, height)
		}
		return m.renderForm(width, height)
	}
	fw := m.formWidth()
	pw := width - fw - 3
	form := strings.Split(m.renderForm(fw, height), "\n")
	prev := strings.Split(m.preview.Render(m, pw, height), "\n")
	sep := m.styles.separator.Render("│")
	var b strings.Builder
	for i := range height {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(padRight(form[i], fw))
		b.WriteString(" " + sep + " ")
		b.WriteString(prev[i])
	}
	return b.String()
}
