package tui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
)

// Glyphs carry the meaning on their own, so nothing depends on colour
// (NO_COLOR, screen readers, colour-blind users).
const (
	glyphError   = "✗"
	glyphWarning = "!"
	glyphOK      = "✓"
	glyphPointer = "›"
	glyphMark    = "▍" // preview: a line the focused field produces
	glyphOn      = "[x]"
	glyphOff     = "[ ]"
	glyphRadioOn = "(•)"
	glyphRadio   = "( )"
)

// styles is every style of the UI, built once per colour profile and
// background; the rest of the package never creates a style of its own.
type styles struct {
	noColor bool

	title, subtle, faint, bold  lipgloss.Style
	label, labelFocused         lipgloss.Style
	value, valueFocused         lipgloss.Style
	pointer                     lipgloss.Style
	errorText, warnText, okText lipgloss.Style
	heading                     lipgloss.Style

	stepCurrent, stepOther, stepError lipgloss.Style

	rowSelected lipgloss.Style
	tableHeader lipgloss.Style

	separator    lipgloss.Style
	panel        lipgloss.Style // bordered box: dialogs
	panelFocused lipgloss.Style

	mark, diffAdd, diffDel, diffDelText lipgloss.Style

	help  help.Styles
	input textinput.Styles
	token tokenStyles
}

func newStyles(dark, noColor bool) styles {
	ld := lipgloss.LightDark(dark)
	var (
		accent = ld(lipgloss.Color("#5A3FD1"), lipgloss.Color("#A78BFA"))
		dim    = ld(lipgloss.Color("#6C6C6C"), lipgloss.Color("#8A8A8A"))
		faint  = ld(lipgloss.Color("#A8A8A8"), lipgloss.Color("#5F5F5F"))
		red    = ld(lipgloss.Color("#C4162A"), lipgloss.Color("#FF6B81"))
		yellow = ld(lipgloss.Color("#A35A00"), lipgloss.Color("#FFC857"))
		green  = ld(lipgloss.Color("#1A7F37"), lipgloss.Color("#7EE2A8"))
		blue   = ld(lipgloss.Color("#0550AE"), lipgloss.Color("#79C0FF"))
		orange = ld(lipgloss.Color("#953800"), lipgloss.Color("#FFA657"))
		cyan   = ld(lipgloss.Color("#1B7C83"), lipgloss.Color("#56D4DD"))
		selBg  = ld(lipgloss.Color("#E8E3FF"), lipgloss.Color("#2D2550"))
	)
	plain := lipgloss.NewStyle()
	fg := func(c color.Color) lipgloss.Style {
		if noColor {
			return plain
		}
		return plain.Foreground(c)
	}
	s := styles{noColor: noColor}
	s.title = fg(accent).Bold(true)
	s.subtle = fg(dim)
	s.faint = fg(faint)
	s.bold = plain.Bold(true)
	s.label = fg(dim)
	s.labelFocused = fg(accent).Bold(true)
	s.value = plain
	s.valueFocused = plain.Bold(true)
	s.pointer = fg(accent).Bold(true)
	s.errorText = fg(red)
	s.warnText = fg(yellow)
	s.okText = fg(green)
	s.heading = plain.Bold(true)
	s.stepCurrent = fg(accent).Bold(true)
	s.stepOther = fg(dim)
	s.stepError = fg(red)
	s.tableHeader = fg(dim).Bold(true)
	s.rowSelected = plain
	if !noColor {
		s.rowSelected = plain.Background(selBg)
	}
	s.separator = fg(faint)
	border := lipgloss.RoundedBorder()
	s.panel = plain.Border(border).Padding(0, 1)
	s.panelFocused = s.panel
	if !noColor {
		s.panel = s.panel.BorderForeground(faint)
		s.panelFocused = s.panelFocused.BorderForeground(accent)
	}
	s.mark = fg(accent)
	s.diffAdd = fg(green)
	s.diffDel = fg(red)
	s.diffDelText = fg(red).Faint(!noColor)

	s.help = help.DefaultStyles(dark)
	if noColor {
		s.help = help.Styles{}
	}
	s.input = textinput.DefaultStyles(dark)
	s.input.Cursor.Blink = false // a blinking cursor redraws twice a second for nothing
	if noColor {
		s.input.Focused = textinput.StyleState{}
		s.input.Blurred = textinput.StyleState{}
		s.input.Cursor.Color = nil
	} else {
		s.input.Cursor.Color = accent
	}
	s.token = tokenStyles{
		comment:  fg(dim).Italic(!noColor),
		keyword:  fg(blue),
		name:     plain,
		variable: fg(orange),
		constant: fg(cyan),
		str:      fg(green),
		number:   fg(cyan),
		punct:    fg(dim),
		text:     plain,
	}
	return s
}
