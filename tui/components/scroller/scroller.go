// Package scroller is the wizard's one read-only text viewer: the snippet
// preview, the save report, the LDAP export and the LDAP test results.
//
// It scrolls by line, page and half page, wraps long lines or scrolls them
// sideways (a line cut by the right edge ends in ›, never in a silent …),
// numbers lines, keeps a caller's gutter of marks beside the text, searches
// with / n N (smartcase, every match in view highlighted, the current one
// distinctly), copies the content to the terminal's clipboard with y (OSC 52)
// and scrolls with the mouse wheel. Lines may carry ANSI styling (syntax
// highlighting): search and copy use the plain text.
//
// Keys (DefaultKeyMap): ↑↓ or k j a line; pgup pgdown, b space a page;
// ctrl+u ctrl+d half a page; g home, G end the top and bottom; ← → or h l
// sideways; w wrap; # line numbers; / search (typing searches as you go,
// enter keeps it, empty enter clears it, esc goes back, ↑ recalls the last
// one); n N next and previous match; y copy; the mouse wheel scrolls (with
// shift, or tilted, sideways).
//
// The parent owns focus and layout: it routes keys and mouse messages to
// Update while the scroller has focus (every key while Capturing), and calls
// Render, which is pure, to draw exactly the size it set. Only the lines in
// view are measured and drawn, so 40,000 lines cost what 40 do.
package scroller

import (
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/textinput"
	"github.com/charmbracelet/x/ansi"
)

// Model is a scroller. The zero value is not ready: use New.
type Model struct {
	st   *compiledStyles
	keys KeyMap

	lines    []string // as given: may be styled
	plain    []string // the caller's plain lines, or nil
	text     *searchText
	marks    []string
	markPad  []uint8 // spaces after marks[i] to make markW cells
	markW    int
	copyText string

	width, height int
	status        bool
	wrap, numbers bool
	followTail    bool

	top    pos // first row drawn
	x      int // columns scrolled sideways (when not wrapping)
	search search
	prompt textinput.Model
	flash  string
	// flashIsCount: the flash is the match count the status line shows anyway.
	flashIsCount bool
}

// pos is a screen row of the content: a line and a row within it (0 unless
// the line is wrapped).
type pos struct{ line, row int }

func (p pos) before(q pos) bool { return p.line < q.line || (p.line == q.line && p.row < q.row) }

// New makes an empty scroller. Styles come from the caller (see Styles for
// what to pass without colour).
func New(styles Styles) Model {
	m := Model{keys: DefaultKeyMap(), search: search{cur: -1}}
	m.prompt = newPrompt()
	m.SetStyles(styles)
	return m
}

// SetStyles replaces the styles (after a colour profile or background change).
func (m *Model) SetStyles(s Styles) {
	c := compileStyles(s)
	m.st = &c
	m.prompt.SetStyles(promptStyles(s))
}

// SetKeyMap replaces the key bindings (DefaultKeyMap is the default).
func (m *Model) SetKeyMap(k KeyMap) { m.keys = k }

// SetContent replaces the lines (they may contain ANSI styling, e.g. syntax
// highlighting). The scroll position is kept where possible (clamped), and a
// search in progress is run again over the new lines. plain, when non-nil,
// is the same lines without styling, one for one (used for search and copy;
// computed with ansi.Strip when nil or of another length, so pass it when
// you have it: that costs less).
// Lines equal to the current ones cost one comparison (next to nothing when
// they are the same strings, e.g. highlighted once and kept): calling it on
// every update is fine. The scroller keeps copies of the slices.
func (m *Model) SetContent(lines []string, plain []string) {
	if slices.Equal(lines, m.lines) {
		// Plain lines are these lines without styling: unchanged too.
		return
	}
	atBottom := m.followTail && m.AtBottom()
	m.lines = slices.Clone(lines)
	m.plain = nil
	if len(plain) == len(lines) {
		m.plain = slices.Clone(plain)
	}
	m.text = nil
	if m.search.needle != "" {
		m.runSearch(m.search.needle, m.matchOrigin())
	}
	if sv := &m.search.saved; m.search.prompting && sv.needle != "" {
		// What esc goes back to must fit the new lines too.
		sv.matches = m.searchText().findAll(sv.needle, !caseSensitive(sv.needle))
		sv.cur = min(sv.cur, len(sv.matches)-1)
	}
	if atBottom {
		m.GotoBottom()
		return
	}
	m.clamp()
}

// SetGutter sets a fixed left column per line that does not scroll
// horizontally (e.g. the preview's ▍ and +/- marks); nil for none. Entry i
// goes beside line i; entries should have the same display width (shorter
// ones are padded). Wrapped rows after a line's first have blanks there.
func (m *Model) SetGutter(marks []string) {
	if slices.Equal(marks, m.marks) && (marks == nil) == (m.marks == nil) {
		return
	}
	m.marks = slices.Clone(marks)
	m.markPad = make([]uint8, len(marks))
	// Marks come from a handful of strings, mostly repeated from one line
	// to the next: measure a mark only when it differs from the one before.
	prev, prevW := "", 0
	for i, s := range marks {
		if i == 0 || s != prev {
			prev, prevW = s, ansi.StringWidth(s)
		}
		m.markPad[i] = uint8(min(prevW, 255))
	}
	m.markW = 0
	for _, w := range m.markPad {
		m.markW = max(m.markW, int(w))
	}
	// markPad held widths; it holds the padding that makes them markW.
	for i, w := range m.markPad {
		m.markPad[i] = uint8(m.markW) - w
	}
	m.clamp()
}

// SetCopyText sets what y copies (default, and when s is "": the plain
// content joined by "\n").
func (m *Model) SetCopyText(s string) { m.copyText = s }

// SetSize sets the size Render draws; height includes the one-line status
// or search bar when shown.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = max(0, width), max(0, height)
	m.prompt.SetWidth(m.promptWidth())
	m.clamp()
}

// ShowStatus turns the bottom status line on or off:
// "L12-34/340 · wrap · /needle 2 of 5". Without it, show Flash yourself.
func (m *Model) ShowStatus(on bool) {
	m.status = on
	m.clamp()
}

// SetWrap turns wrapping of long lines on or off (the w key toggles it).
func (m *Model) SetWrap(on bool) {
	if on == m.wrap {
		return
	}
	m.wrap = on
	m.top.row = 0
	m.clamp()
}

// SetLineNumbers turns the line-number column on or off (the # key toggles it).
func (m *Model) SetLineNumbers(on bool) {
	m.numbers = on
	m.clamp()
}

// SetFollowTail keeps the view at the bottom when SetContent adds lines
// while it was at the bottom (results that arrive one by one).
func (m *Model) SetFollowTail(on bool) { m.followTail = on }

// Wrap reports whether long lines are wrapped.
func (m Model) Wrap() bool { return m.wrap }

// LineNumbers reports whether line numbers are shown.
func (m Model) LineNumbers() bool { return m.numbers }

// Lines is the number of content lines.
func (m Model) Lines() int { return len(m.lines) }

// Rows is how many rows the content takes at width cells, wrapped when
// wrap is on: the height that shows all of it (without a status line), for
// a caller sizing a box to its text.
func (m Model) Rows(width int) int {
	m.width = width
	l := m.layout()
	if !m.wrap {
		return len(m.lines)
	}
	n := 0
	for i := range m.lines {
		n += m.rows(i, l)
	}
	return n
}

// XOffset is how many columns the view is scrolled sideways.
func (m Model) XOffset() int { return m.x }

// ResetX scrolls the view back to its first column: for content of
// another kind (a snippet of another provider) or a view opened again, where
// an old sideways offset would hide the start of every line.
func (m *Model) ResetX() { m.x = 0 }

// Flash is a one-line message the last key wants shown (e.g. "copied 340
// lines", "no match for "x""); "" none. It lasts until the next key or
// wheel message. The status line shows it when on.
func (m Model) Flash() string { return m.flash }

// layout is where things go in the current size.
type layout struct {
	body  int // rows of content
	numW  int // line-number column, with its trailing space; 0 when off
	markW int // the caller's gutter; 0 when none
	text  int // cells for text
}

func (m Model) layout() layout {
	l := layout{body: m.height, markW: m.markW}
	if m.status || m.search.prompting {
		l.body = max(0, m.height-1)
	}
	if m.numbers {
		l.numW = len(strconv.Itoa(max(1, len(m.lines)))) + 1
	}
	l.text = m.width - l.numW - l.markW
	// At a tiny width the text matters more than the gutter.
	if l.text < 1 {
		l.numW, l.text = 0, m.width-l.markW
	}
	if l.text < 1 {
		l.markW, l.text = 0, m.width
	}
	l.text = max(1, l.text)
	return l
}

// rows is how many screen rows line i takes.
func (m Model) rows(i int, l layout) int {
	if !m.wrap || i < 0 || i >= len(m.lines) {
		return 1
	}
	return rowCount(m.lines[i], l.text)
}

// copyContent is what y copies.
func (m *Model) copyContent() string {
	if m.copyText != "" {
		return m.copyText
	}
	return strings.Join(m.plainLines(), "\n")
}

// plainLines are the lines without styling.
func (m *Model) plainLines() []string {
	if m.plain != nil {
		return m.plain
	}
	return m.searchText().stripped
}
