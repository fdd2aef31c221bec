package tui

import (
	"image/color"
	"strings"

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

	title, subtle, faint, bold  style
	label, labelFocused         style
	value, valueFocused         style
	pointer                     style
	errorText, warnText, okText style
	heading                     style

	stepCurrent, stepOther, stepError style

	tableHeader style

	separator    style
	panel        lipgloss.Style // bordered box: dialogs
	panelFocused lipgloss.Style

	mark, diffAdd, diffDel, diffDelText style

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
	)
	plain := lipgloss.NewStyle()
	fg := func(c color.Color) lipgloss.Style {
		if noColor {
			return plain
		}
		return plain.Foreground(c)
	}
	S := newStyle
	s := styles{noColor: noColor}
	s.title = S(fg(accent).Bold(true))
	s.subtle = S(fg(dim))
	s.faint = S(fg(faint))
	s.bold = S(plain.Bold(true))
	s.label = S(fg(dim))
	s.labelFocused = S(fg(accent).Bold(true))
	s.value = S(plain)
	s.valueFocused = S(plain.Bold(true))
	s.pointer = S(fg(accent).Bold(true))
	s.errorText = S(fg(red))
	s.warnText = S(fg(yellow))
	s.okText = S(fg(green))
	s.heading = S(plain.Bold(true))
	s.stepCurrent = S(fg(accent).Bold(true))
	s.stepOther = S(fg(dim))
	s.stepError = S(fg(red))
	s.tableHeader = S(fg(dim).Bold(true))
	s.separator = S(fg(faint))
	border := lipgloss.RoundedBorder()
	s.panel = plain.Border(border).Padding(0, 1)
	s.panelFocused = s.panel
	if !noColor {
		s.panel = s.panel.BorderForeground(faint)
		s.panelFocused = s.panelFocused.BorderForeground(accent)
	}
	s.mark = S(fg(accent))
	s.diffAdd = S(fg(green))
	s.diffDel = S(fg(red))
	s.diffDelText = S(fg(red).Faint(!noColor))

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
		comment:  S(fg(dim).Italic(!noColor)),
		keyword:  S(fg(blue)),
		name:     S(plain),
		variable: S(fg(orange)),
		constant: S(fg(cyan)),
		str:      S(fg(green)),
		number:   S(fg(cyan)),
		punct:    S(fg(dim)),
		text:     S(plain),
	}
	return s
}

// style is a lipgloss style whose escape sequences are worked out once, so
// drawing one line of text is two concatenations instead of lipgloss's full
// layout pass (which dominated the frame time with 1,000 table rows). Text
// with line breaks or tabs, and styles with layout (padding, borders,
// width), still go through lipgloss.
type style struct {
	lipgloss.Style
	pre, post string
	simple    bool
}

func newStyle(s lipgloss.Style) style {
	out := style{Style: s}
	r := s.Render("\x00")
	if i := strings.IndexByte(r, 0); i >= 0 && strings.Count(r, "\x00") == 1 && !strings.Contains(r, "\n") {
		out.pre, out.post, out.simple = r[:i], r[i+1:], true
	}
	return out
}

// Render styles text like lipgloss.Style.Render.
func (s style) Render(strs ...string) string {
	text := strings.Join(strs, " ")
	if !s.simple || text == "" || strings.ContainsAny(text, "\n\t") {
		return s.Style.Render(strs...)
	}
	return s.pre + text + s.post
}
