package scroller

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Render draws exactly height lines, none wider than width cells (no line at
// all when height is 0). It is pure: it changes nothing. Only the lines in
// view are measured and drawn. Wrapped lines continue under the text, not
// under the gutter; sideways scrolling never cuts a styled sequence; a line
// longer than the width ends in › when not wrapping.
func (m Model) Render() string {
	h, w := m.height, m.width
	if h <= 0 {
		return ""
	}
	if w <= 0 {
		return strings.Repeat("\n", h-1)
	}
	if m.st == nil { // the zero Model: draw it rather than panic
		m.st = noColorCompiled()
	}
	l := m.layout()
	// Every change clamps the position; this only keeps a bad one from
	// drawing out of range.
	top := m.top
	if top.line >= len(m.lines) || top.line < 0 || top.row < 0 {
		top = pos{line: max(0, min(top.line, len(m.lines)-1))}
	}
	var b strings.Builder
	b.Grow(h * (w + 32))
	rows := 0
	newRow := func() {
		if rows > 0 {
			b.WriteByte('\n')
		}
		rows++
	}
	var (
		toks   []token
		starts []int
		state  []string
		width  int
	)
	last := top.line - 1
	for i := top.line; i < len(m.lines) && rows < l.body; i++ {
		toks, width = tokenize(toks[:0], m.lines[i])
		matches, cur := m.lineMatches(i)
		d := drawer{st: m.st, line: m.lines[i], toks: toks, state: state[:0], matches: matches, cur: cur}
		if m.wrap {
			starts = wrapRows(starts[:0], m.lines[i], toks, l.text)
			r := 0
			if i == top.line {
				r = top.row
			}
			for ; r < len(starts) && rows < l.body; r++ {
				newRow()
				m.gutter(&b, i, r == 0, l)
				end := starts[r] + l.text
				if r+1 < len(starts) {
					end = min(end, starts[r+1])
				}
				d.draw(&b, starts[r], end)
			}
		} else {
			newRow()
			m.gutter(&b, i, true, l)
			if width > m.x+l.text {
				d.draw(&b, m.x, m.x+l.text-1)
				b.WriteString(m.st.gutter.render(moreGlyph))
			} else {
				d.draw(&b, m.x, m.x+l.text)
			}
		}
		state = d.state
		last = i
	}
	for rows < l.body {
		newRow()
	}
	if rows < h {
		newRow()
		if m.search.prompting {
			b.WriteString(m.promptLine())
		} else {
			b.WriteString(m.statusLine(top.line, last))
		}
	}
	return b.String()
}

// gutter draws the line number and the caller's mark of line i on its first
// row, blanks of the same width on the rows it wraps onto.
func (m Model) gutter(b *strings.Builder, i int, first bool, l layout) {
	if l.numW > 0 {
		if first {
			n := strconv.Itoa(i + 1)
			b.WriteString(m.st.number.render(spaces(l.numW-1-len(n)) + n))
			b.WriteByte(' ')
		} else {
			b.WriteString(spaces(l.numW))
		}
	}
	if l.markW > 0 {
		if first && i < len(m.marks) {
			b.WriteString(m.marks[i])
			b.WriteString(spaces(int(m.markPad[i])))
		} else {
			b.WriteString(spaces(l.markW))
		}
	}
}

// statusLine is the status bar: statusParts fitted to the width, the least
// useful part dropped first.
func (m Model) statusLine(first, last int) string {
	parts := m.statusParts(first, last)
	line := joinParts(parts)
	if ansi.StringWidth(line) > m.width {
		parts[1] = ""
		line = joinParts(parts)
	}
	return m.fitBar(line, m.st.status)
}

// statusParts are where the view is ("L12-34/340"), how it shows lines
// ("wrap", "col 9"), the search ("/needle 2 of 5") and the flash.
func (m Model) statusParts(first, last int) []string {
	where := "empty"
	if n := len(m.lines); n > 0 {
		where = fmt.Sprintf("L%d-%d/%d", first+1, max(first, last)+1, n)
	}
	var view string
	switch {
	case m.wrap:
		view = "wrap"
	case m.x > 0:
		view = fmt.Sprintf("col %d", m.x+1)
	}
	var found string
	if s := m.search; s.needle != "" {
		switch {
		case len(s.matches) == 0:
			found = "/" + s.needle + " no match"
		case s.cur >= 0:
			found = fmt.Sprintf("/%s %d of %d", s.needle, s.cur+1, len(s.matches))
		}
	}
	flash := m.flash
	if m.flashIsCount {
		flash = ""
	}
	return []string{where, view, found, flash}
}

// StatusText is what the status line says, unstyled and whole, for a parent
// that draws its own footer instead of ShowStatus.
func (m Model) StatusText() string {
	first, last := m.VisibleLines()
	return joinParts(m.statusParts(first, last))
}

// VisibleLines are the first and last lines with a row in view (0-based;
// 0, -1 when there are none).
func (m Model) VisibleLines() (first, last int) {
	if len(m.lines) == 0 {
		return 0, -1
	}
	l := m.layout()
	if l.body == 0 {
		return m.top.line, m.top.line - 1
	}
	return m.top.line, m.bottomLine(l)
}

func joinParts(parts []string) string {
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " · ")
}

// fitBar cuts or pads a bar to the width, in a style (a bar with a
// background runs the whole width).
func (m Model) fitBar(line string, st sgr) string {
	line = ansi.Truncate(line, m.width, "")
	if pad := m.width - ansi.StringWidth(line); pad > 0 && st.pre != "" {
		line += strings.Repeat(" ", pad)
	}
	return st.render(line)
}

// promptLine is the search prompt: "/needle▏  2 of 5".
func (m Model) promptLine() string {
	line := m.prompt.View()
	if info := m.promptInfo(); info != "" {
		line += "  " + m.st.status.render(info)
	}
	return ansi.Truncate(line, m.width, "")
}

// blanks is a run of spaces to slice from, so padding costs no allocation.
const blanks = "                                                                                "

func spaces(n int) string {
	if n <= len(blanks) {
		return blanks[:max(0, n)]
	}
	return strings.Repeat(" ", n)
}
