package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// confirmDialog is a yes/no question drawn over the screen.
type confirmDialog struct {
	question, detail string
	yes, no          string
	onYes            func(m *Model) tea.Cmd
}

func (c *confirmDialog) update(m *Model, k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Yes):
		m.confirm = nil
		return c.onYes(m)
	case key.Matches(k, m.keys.No), key.Matches(k, m.keys.Quit):
		m.confirm = nil
	}
	return nil
}

// Render draws the dialog box, at most width cells wide.
func (c *confirmDialog) Render(st *styles, width int) string {
	inner := min(56, width-4)
	lines := []string{st.heading.Render(c.question), ""}
	lines = append(lines, wrapText(c.detail, inner)...)
	lines = append(lines, "", st.bold.Render("y")+" "+c.yes+st.subtle.Render("  ·  ")+st.bold.Render("n")+" "+c.no)
	return st.panelFocused.Width(inner + 4).Render(strings.Join(lines, "\n"))
}

// overlay draws box centred over body (both width x height cells).
func overlay(body, box string, width, height int) string {
	lines := strings.Split(body, "\n")
	boxLines := strings.Split(box, "\n")
	bw := 0
	for _, l := range boxLines {
		bw = max(bw, ansi.StringWidth(l))
	}
	x := max(0, (width-bw)/2)
	y := max(0, (height-len(boxLines))/2)
	for i, bl := range boxLines {
		row := y + i
		if row >= len(lines) {
			break
		}
		base := lines[row]
		left := padRight(ansi.Truncate(base, x, ""), x)
		right := ansi.TruncateLeft(base, x+bw, "")
		lines[row] = left + padRight(bl, bw) + right
	}
	return strings.Join(lines, "\n")
}
