package scroller

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// tabWidth is the distance between tab stops, as in a terminal.
const tabWidth = 8

// token is one piece of a content line as the terminal shows it: a
// grapheme cluster w cells wide starting at column col, or (w == 0) an
// escape sequence that styles what follows. It holds byte offsets into the
// line, not a string: tokens are made for every line drawn, and offsets
// keep them small and free of pointers for the garbage collector.
type token struct {
	start, end int32 // bytes of the line; a space from a tab has none
	col        int32
	w          int32
}

// text is what the token draws, from the line it was cut from.
func (t token) text(line string) string {
	if t.start == t.end {
		return " "
	}
	return line[t.start:t.end]
}

// isSpace reports whether the token is a space a line may break after.
func (t token) isSpace(line string) bool {
	return t.w == 1 && (t.start == t.end || line[t.start] == ' ')
}

// tokenize appends the tokens of a (possibly styled) line to buf and returns
// them with the line's width in cells. Tabs become spaces up to the next tab
// stop; SGR styling and OSC 8 hyperlinks are kept; every other control
// character and escape sequence is dropped, so a command's output shown here
// cannot move the cursor or clear the screen.
func tokenize(buf []token, line string) ([]token, int) {
	col := int32(0)
	for i := 0; i < len(line); {
		c := line[i]
		// Printable ASCII not followed by a combining mark: one cell.
		if c >= 0x20 && c < 0x7f && (i+1 == len(line) || line[i+1] < 0x80) {
			buf = append(buf, token{start: int32(i), end: int32(i + 1), col: col, w: 1})
			col++
			i++
			continue
		}
		if c == '\t' {
			for n := tabWidth - col%tabWidth; n > 0; n-- {
				buf = append(buf, token{start: int32(i), end: int32(i), col: col, w: 1})
				col++
			}
			i++
			continue
		}
		seq, w, n, _ := ansi.DecodeSequence(line[i:], ansi.NormalState, nil)
		n = max(n, 1)
		switch {
		case w > 0:
			buf = append(buf, token{start: int32(i), end: int32(i + n), col: col, w: int32(w)})
			col += int32(w)
		case seq[0] == ansi.ESC:
			if isSGR(seq) || isLink(seq) {
				buf = append(buf, token{start: int32(i), end: int32(i + n), col: col})
			}
		case isControl(seq):
		default:
			// A zero-width character belongs to the cell right before it
			// (after an escape, it is dropped).
			if k := len(buf) - 1; k >= 0 && buf[k].w > 0 && buf[k].end == int32(i) {
				buf[k].end += int32(n)
			}
		}
		i += n
	}
	return buf, int(col)
}

func isControl(seq string) bool {
	r, _ := utf8.DecodeRuneInString(seq)
	return r < 0x20 || (r >= 0x7f && r < 0xa0) || r == utf8.RuneError
}

// isSGR reports whether seq is a Select Graphic Rendition sequence (CSI ... m).
func isSGR(seq string) bool {
	if len(seq) < 3 || seq[1] != '[' || seq[len(seq)-1] != 'm' {
		return false
	}
	for _, c := range []byte(seq[2 : len(seq)-1]) {
		if (c < '0' || c > '9') && c != ';' && c != ':' {
			return false
		}
	}
	return true
}

// sgrResets reports whether an SGR sequence starts by resetting every
// attribute ("\x1b[m", "\x1b[0m", "\x1b[0;31m").
func sgrResets(seq string) bool {
	params := seq[2 : len(seq)-1]
	first, _, _ := strings.Cut(params, ";")
	return strings.Trim(first, "0") == "" && !strings.Contains(first, ":")
}

func isLink(seq string) bool { return strings.HasPrefix(seq, "\x1b]8;") }

// linkCloses reports whether an OSC 8 sequence ends a hyperlink (empty URI).
func linkCloses(seq string) bool {
	rest := strings.TrimPrefix(seq, "\x1b]8;")
	_, uri, _ := strings.Cut(rest, ";")
	uri = strings.TrimSuffix(strings.TrimSuffix(uri, "\a"), "\x1b\\")
	return uri == ""
}

const (
	sgrReset  = "\x1b[m"
	linkClose = "\x1b]8;;\x1b\\"
)

// wrapRows appends to dst the column at which each screen row of a line
// starts when it is wrapped at width cells: after the last space that
// fits, or (a word longer than the row) at the grapheme that does not fit.
// Spaces at a break are not carried to the next row; a grapheme wider than
// the whole row gets a row alone. The indentation a line starts with is no
// place to break: a path too long for the row after it goes on from there
// (a row of spaces alone would only push it further). asciiRows is the same
// rule for plain ASCII; drawer.draw draws the rows it gives.
func wrapRows(dst []int, line string, toks []token, width int) []int {
	dst = append(dst, 0)
	start, brk, pending, text := 0, -1, false, false
	for _, t := range toks {
		if t.w == 0 {
			continue
		}
		space, col, w := t.isSpace(line), int(t.col), int(t.w)
		if pending {
			if space {
				continue
			}
			start, brk, pending = col, -1, false
			dst = append(dst, start)
		}
		for col+w > start+width {
			if space || col == start {
				// A space at a break goes; a grapheme wider than a row
				// has a row alone.
				pending = true
				break
			}
			if brk > start {
				start = brk
			} else {
				start = col
			}
			brk = -1
			dst = append(dst, start)
		}
		if space && !pending && text {
			brk = col + 1
		}
		text = text || !space
	}
	return dst
}

// asciiRows is len(wrapRows(...)) for a line of printable ASCII, counted
// without tokenizing it.
func asciiRows(line string, width int) int {
	rows, start, brk, pending, text := 1, 0, -1, false, false
	for col := 0; col < len(line); col++ {
		space := line[col] == ' '
		if pending {
			if space {
				continue
			}
			start, brk, pending = col, -1, false
			rows++
		}
		if col+1 > start+width {
			if space {
				pending = true
				continue
			}
			if brk > start {
				start = brk
			} else {
				start = col
			}
			brk = -1
			rows++
		}
		if space && text {
			brk = col + 1
		}
		text = text || !space
	}
	return rows
}

// simpleWidth is the width of a line of printable ASCII only (the common
// case, measured without tokenizing), or -1.
func simpleWidth(line string) int {
	for i := 0; i < len(line); i++ {
		if c := line[i]; c < 0x20 || c >= 0x7f {
			return -1
		}
	}
	return len(line)
}

// quickWidth is the width of a line of ASCII text, tabs and CSI sequences
// (a highlighted snippet line), measured without tokenizing it; -1 for
// anything else.
func quickWidth(line string) int {
	col := 0
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c >= 0x20 && c < 0x7f:
			col++
		case c == '\t':
			col += tabWidth - col%tabWidth
		case c == 0x1b && i+1 < len(line) && line[i+1] == '[':
			i += 2
			for i < len(line) && (line[i] < 0x40 || line[i] > 0x7e) {
				i++
			}
		default:
			return -1
		}
	}
	return col
}

// lineWidth is the width of a line in cells.
func lineWidth(line string) int {
	if w := quickWidth(line); w >= 0 {
		return w
	}
	_, w := tokenize(nil, line)
	return w
}

// rowCount is how many rows a line takes wrapped at width cells.
func rowCount(line string, width int) int {
	if w := simpleWidth(line); w >= 0 {
		if w <= width {
			return 1
		}
		return asciiRows(line, width)
	}
	if w := quickWidth(line); w >= 0 && w <= width {
		return 1
	}
	toks, _ := tokenize(nil, line)
	return len(wrapRows(nil, line, toks, width))
}

// drawer draws one line's cells row by row, keeping the line's styling
// state (its SGR sequences since the last reset, its open hyperlink) from
// one row to the next, and the search matches over it.
type drawer struct {
	st      *compiledStyles
	line    string
	toks    []token
	ti      int
	state   []string
	link    string
	matches []match // this line's, in column order
	mi      int
	cur     int // index in matches of the current match; -1 when not on this line
}

// absorb takes an escape sequence into the styling state.
func (d *drawer) absorb(seq string) {
	if isLink(seq) {
		d.link = seq
		if linkCloses(seq) {
			d.link = ""
		}
		return
	}
	if sgrResets(seq) {
		d.state = d.state[:0]
		if !strings.Contains(seq, ";") {
			return
		}
	}
	d.state = append(d.state, seq)
}

// matchAt is the index in d.matches of the match over column col, or -1.
// Columns only grow from one call to the next.
func (d *drawer) matchAt(col int) int {
	for d.mi < len(d.matches) && d.matches[d.mi].end <= col {
		d.mi++
	}
	if d.mi < len(d.matches) && d.matches[d.mi].start <= col {
		return d.mi
	}
	return -1
}

func (d *drawer) matchStyle(i int) sgr {
	if i == d.cur {
		return d.st.current
	}
	return d.st.match
}

// draw writes the cells of columns [from, to) to b and returns how many
// cells it wrote (at most to-from). Rows are drawn left to right: from is
// never less than the previous call's to. A grapheme cut by the right edge
// is left for the next row; one cut by the left edge shows as spaces; one
// wider than the whole row shows as ›.
//
// The line's own escape sequences are written just before the next cell
// that shows them, and not inside a match: there they would override the
// match's colours, and after it the line's styling is put back whole.
func (d *drawer) draw(b *strings.Builder, from, to int) int {
	for d.ti < len(d.toks) {
		t := d.toks[d.ti]
		col, w := int(t.col), int(t.w)
		if w == 0 && col <= from {
			d.absorb(t.text(d.line))
		} else if w == 0 || col+w > from {
			break
		}
		d.ti++
	}
	// open: styling is in effect that a reset must end.
	open, linked := false, d.link != ""
	writeState := func() {
		b.WriteString(d.st.text.pre)
		for _, s := range d.state {
			b.WriteString(s)
		}
		open = d.st.text.pre != "" || len(d.state) > 0
	}
	writeState()
	b.WriteString(d.link)
	var pending []string // escapes read but not yet written
	pos, inMatch := from, -1
	// Text is written in runs of adjacent graphemes, not one by one.
	runStart, runEnd := int32(-1), int32(-1)
	flush := func() {
		if runStart >= 0 {
			b.WriteString(d.line[runStart:runEnd])
			runStart = -1
		}
	}
loop:
	for ; d.ti < len(d.toks); d.ti++ {
		t := d.toks[d.ti]
		col, w, text := int(t.col), int(t.w), t.text(d.line)
		if col >= to {
			break
		}
		if w == 0 {
			d.absorb(text)
			if isLink(text) {
				flush()
				b.WriteString(text)
				linked = true
			} else if inMatch < 0 {
				pending = append(pending, text)
			}
			continue
		}
		if mi := d.matchAt(col); mi != inMatch {
			flush()
			if inMatch >= 0 {
				b.WriteString(d.matchStyle(inMatch).post)
				writeState()
			}
			if mi >= 0 {
				if open {
					b.WriteString(sgrReset)
				}
				b.WriteString(d.matchStyle(mi).pre)
				open = true
			}
			pending, inMatch = pending[:0], mi
		}
		if len(pending) > 0 {
			flush()
		}
		for _, s := range pending {
			b.WriteString(s)
			open = true
			if sgrResets(s) {
				b.WriteString(d.st.text.pre)
				open = d.st.text.pre != "" || strings.Contains(s, ";")
			}
		}
		pending = pending[:0]
		switch {
		case col < from: // a wide character cut by the left edge
			flush()
			pos = min(col+w, to)
			b.WriteString(spaces(pos - from))
		case col+w > to && col == from: // wider than the whole row
			flush()
			b.WriteString(d.st.gutter.render(moreGlyph))
			b.WriteString(spaces(to - from - 1))
			pos = to
		case col+w > to: // cut by the right edge: it goes on the next row
			flush()
			b.WriteString(spaces(to - col))
			pos = to
			break loop
		case t.start == t.end: // a space from a tab
			flush()
			b.WriteByte(' ')
			pos = col + w
		default:
			if runStart < 0 || runEnd != t.start {
				flush()
				runStart = t.start
			}
			runEnd = t.end
			pos = col + w
		}
	}
	flush()
	if inMatch >= 0 {
		b.WriteString(d.matchStyle(inMatch).post)
		open = false
	}
	if linked {
		b.WriteString(linkClose)
	}
	if open {
		b.WriteString(sgrReset)
	}
	return pos - from
}

// moreGlyph marks a line that goes on past the right edge.
const moreGlyph = "›"
