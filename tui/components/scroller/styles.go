package scroller

import (
	"strings"
	"sync"

	"charm.land/lipgloss/v2"
)

// Styles are the caller's: the wizard has one styles file. Only colours and
// text attributes are used (padding, width, borders and margins are ignored:
// every cell of the scroller is laid out here).
//
// Without colour (NO_COLOR, or a terminal without colours), pass
// [NoColorStyles] or styles built the same way: matches must stay visible
// through attributes that are not colours, e.g. Match underlined and
// CurrentMatch in reverse video. A Match or CurrentMatch style that draws
// nothing at all is replaced by those, so a match is never invisible.
type Styles struct {
	Text         lipgloss.Style // the content's base style (lines may carry their own styling on top)
	Gutter       lipgloss.Style // the › that says a line goes on past the right edge
	LineNumber   lipgloss.Style // the line-number column
	Match        lipgloss.Style // every match of the search in view
	CurrentMatch lipgloss.Style // the match n/N went to
	Status       lipgloss.Style // the status bar, and the match count beside the search prompt
	Prompt       lipgloss.Style // the "/" of the search prompt
}

// NoColorStyles are the styles to pass when colour is off: nothing but
// attributes, and matches that stay visible (underlined, the current one in
// reverse video).
func NoColorStyles() Styles {
	plain := lipgloss.NewStyle()
	return Styles{
		Text:         plain,
		Gutter:       plain,
		LineNumber:   plain,
		Match:        plain.Underline(true),
		CurrentMatch: plain.Reverse(true),
		Status:       plain,
		Prompt:       plain.Bold(true),
	}
}

// sgr is a style worked out once as the escape sequences around its text,
// so drawing a cell is two string writes instead of a lipgloss layout pass
// (Render runs on every keystroke).
type sgr struct{ pre, post string }

func (s sgr) render(text string) string {
	if s.pre == "" || text == "" {
		return text
	}
	return s.pre + text + s.post
}

// probe is a character lipgloss styles like any other (it special-cases
// spaces and control characters), never part of an escape sequence.
const probe = "█"

func compile(st lipgloss.Style) sgr {
	inline := lipgloss.NewStyle().
		Foreground(st.GetForeground()).Background(st.GetBackground()).
		Bold(st.GetBold()).Italic(st.GetItalic()).Faint(st.GetFaint()).
		UnderlineStyle(st.GetUnderlineStyle()).UnderlineColor(st.GetUnderlineColor()).
		Strikethrough(st.GetStrikethrough()).Reverse(st.GetReverse()).Blink(st.GetBlink())
	r := inline.Render(probe)
	i := strings.Index(r, probe)
	if i < 0 || strings.Count(r, probe) != 1 {
		return sgr{}
	}
	return sgr{pre: r[:i], post: r[i+len(probe):]}
}

// compiledStyles are Styles as escape sequences.
type compiledStyles struct {
	text, gutter, number, match, current, status, prompt sgr
}

func compileStyles(s Styles) compiledStyles {
	c := compiledStyles{
		text: compile(s.Text), gutter: compile(s.Gutter), number: compile(s.LineNumber),
		match: compile(s.Match), current: compile(s.CurrentMatch),
		status: compile(s.Status), prompt: compile(s.Prompt),
	}
	// A match nobody can see is a search that seems broken.
	fallback := NoColorStyles()
	if c.match.pre == "" {
		c.match = compile(fallback.Match)
	}
	if c.current.pre == "" {
		c.current = compile(fallback.CurrentMatch)
	}
	if c.current == c.match {
		c.current = compile(fallback.CurrentMatch.Bold(true))
	}
	return c
}

var noColorCompiled = sync.OnceValue(func() *compiledStyles {
	c := compileStyles(NoColorStyles())
	return &c
})
