// Package common is what every part of the wizard shares: the one styles
// file, the one keymap, the sizes the layout follows, and the small text
// helpers (wrapping, padding, fitting) and finding helpers every screen draws
// with. It holds no state of the wizard.
package common

import (
	"image/color"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"

	"frontdoor/tui/components/scroller"
)

// Glyphs carry the meaning on their own, so nothing depends on colour
// (NO_COLOR, screen readers, colour-blind users).
const (
	GlyphError   = "✗"
	GlyphWarning = "!"
	GlyphOK      = "✓"
	GlyphPointer = "›"
	GlyphMark    = "▍" // preview: a line the focused field produces
	GlyphOn      = "[x]"
	GlyphOff     = "[ ]"
	GlyphRadioOn = "(•)"
	GlyphRadio   = "( )"
	GlyphUndone  = "↺"
)

// Renderer is anything that styles text: a Style or a lipgloss.Style.
type Renderer interface{ Render(...string) string }

// Styles is every style of the UI, built once per colour profile and
// background; no other file of the wizard creates a style of its own.
type Styles struct {
	NoColor bool
	Dark    bool

	Title, Subtle, Faint, Bold  Style
	Label, LabelFocused         Style
	Value, ValueFocused         Style
	Pointer                     Style
	ErrorText, WarnText, OKText Style
	Heading                     Style

	StepCurrent, StepOther, StepError Style

	TableHeader Style
	Separator   Style

	// Banner is the loud warning of a setting that does not verify
	// certificates.
	Banner Style

	Panel        lipgloss.Style // bordered box: dialogs
	PanelFocused lipgloss.Style

	Mark, DiffAdd, DiffDel, DiffDelText Style

	// Scroller is the palette of the one scroller (preview, report, export,
	// test results).
	Scroller scroller.Styles

	Help  help.Styles
	Input textinput.Styles
	Token TokenStyles
}

// TokenStyles maps the categories of the syntax highlighter to styles.
type TokenStyles struct {
	Comment, Keyword, Name, Variable, Constant, Str, Number, Punct, Text Style
}

// NewStyles builds the styles for a dark or light background, with or
// without colour.
func NewStyles(dark, noColor bool) Styles {
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
		match  = ld(lipgloss.Color("#FFE8A3"), lipgloss.Color("#5C4B00"))
	)
	plain := lipgloss.NewStyle()
	fg := func(c color.Color) lipgloss.Style {
		if noColor {
			return plain
		}
		return plain.Foreground(c)
	}
	S := NewStyle
	s := Styles{NoColor: noColor, Dark: dark}
	s.Title = S(fg(accent).Bold(true))
	s.Subtle = S(fg(dim))
	s.Faint = S(fg(faint))
	s.Bold = S(plain.Bold(true))
	s.Label = S(fg(dim))
	s.LabelFocused = S(fg(accent).Bold(true))
	s.Value = S(plain)
	s.ValueFocused = S(plain.Bold(true))
	s.Pointer = S(fg(accent).Bold(true))
	s.ErrorText = S(fg(red))
	s.WarnText = S(fg(yellow))
	s.OKText = S(fg(green))
	s.Heading = S(plain.Bold(true))
	s.StepCurrent = S(fg(accent).Bold(true))
	s.StepOther = S(fg(dim))
	s.StepError = S(fg(red))
	s.TableHeader = S(fg(dim).Bold(true))
	s.Separator = S(fg(faint))
	s.Banner = S(fg(red).Bold(true).Reverse(!noColor))
	border := lipgloss.RoundedBorder()
	s.Panel = plain.Border(border).Padding(0, 1)
	s.PanelFocused = s.Panel
	if !noColor {
		s.Panel = s.Panel.BorderForeground(faint)
		s.PanelFocused = s.PanelFocused.BorderForeground(accent)
	}
	s.Mark = S(fg(accent))
	s.DiffAdd = S(fg(green))
	s.DiffDel = S(fg(red))
	s.DiffDelText = S(fg(red).Faint(!noColor))

	if noColor {
		// Without colour a match stays visible: underlined, the current one
		// reversed.
		s.Scroller = scroller.NoColorStyles()
	} else {
		s.Scroller = scroller.Styles{
			Text:         plain,
			Gutter:       fg(accent),
			LineNumber:   fg(faint),
			Match:        plain.Background(match),
			CurrentMatch: plain.Background(accent).Foreground(ld(lipgloss.Color("#FFFFFF"), lipgloss.Color("#000000"))).Bold(true),
			Status:       fg(dim),
			Prompt:       fg(accent).Bold(true),
		}
	}

	s.Help = help.DefaultStyles(dark)
	if noColor {
		s.Help = help.Styles{}
	}
	s.Input = textinput.DefaultStyles(dark)
	s.Input.Cursor.Blink = false // a blinking cursor redraws twice a second for nothing
	if noColor {
		s.Input.Focused = textinput.StyleState{}
		s.Input.Blurred = textinput.StyleState{}
		s.Input.Cursor.Color = nil
	} else {
		s.Input.Cursor.Color = accent
	}
	s.Token = TokenStyles{
		Comment:  S(fg(dim).Italic(!noColor)),
		Keyword:  S(fg(blue)),
		Name:     S(plain),
		Variable: S(fg(orange)),
		Constant: S(fg(cyan)),
		Str:      S(fg(green)),
		Number:   S(fg(cyan)),
		Punct:    S(fg(dim)),
		Text:     S(plain),
	}
	return s
}

// Style is a lipgloss style whose escape sequences are worked out once, so
// drawing one line of text is two concatenations instead of lipgloss's full
// layout pass (which dominated the frame time with 1,000 table rows). Text
// with line breaks or tabs, and styles with layout (padding, borders,
// width), still go through lipgloss.
type Style struct {
	lipgloss.Style
	pre, post string
	simple    bool
}

// NewStyle wraps a lipgloss style.
func NewStyle(s lipgloss.Style) Style {
	out := Style{Style: s}
	r := s.Render("\x00")
	if i := strings.IndexByte(r, 0); i >= 0 && strings.Count(r, "\x00") == 1 && !strings.Contains(r, "\n") {
		out.pre, out.post, out.simple = r[:i], r[i+1:], true
	}
	return out
}

// Render styles text like lipgloss.Style.Render.
func (s Style) Render(strs ...string) string {
	text := strings.Join(strs, " ")
	if !s.simple || text == "" || strings.ContainsAny(text, "\n\t") {
		return s.Style.Render(strs...)
	}
	return s.pre + text + s.post
}
