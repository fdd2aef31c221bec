package scroller

import (
	"encoding/binary"
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Finding every match runs on each key typed in the search prompt and on
// each content change while a search is on, over up to 40,000 lines: it
// allocates nothing per line for ASCII text (no lower-cased copies, no
// expanded tabs), and counts columns only where a match is.

// searchText is the content as search sees it, built at the first search
// (or copy) after the content changed, never while drawing.
type searchText struct {
	stripped []string // without styling: the caller's plain lines or ansi.Strip's
	ascii    []bool   // stripped[i] is all ASCII
}

func (m *Model) searchText() *searchText {
	if m.text != nil {
		return m.text
	}
	t := &searchText{stripped: m.plain}
	if t.stripped == nil {
		t.stripped = make([]string, len(m.lines))
		for i, l := range m.lines {
			if strings.IndexByte(l, 0x1b) >= 0 {
				l = ansi.Strip(l)
			}
			t.stripped[i] = l
		}
	}
	t.ascii = make([]bool, len(t.stripped))
	for i, l := range t.stripped {
		t.ascii[i] = isASCII(l)
	}
	m.text = t
	return t
}

// isASCII reports whether s has no byte over 0x7f, eight bytes at a time.
func isASCII(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if binary.LittleEndian.Uint64([]byte(s[i:i+8]))&0x8080808080808080 != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// findAll finds the needle in every line, left to right, without overlaps;
// fold ignores case (the needle is then lower-cased here).
func (t *searchText) findAll(needle string, fold bool) []match {
	if fold {
		needle = strings.ToLower(needle)
	}
	asciiNeedle := isASCII(needle)
	var out []match
	for i, line := range t.stripped {
		switch {
		case t.ascii[i] && fold && asciiNeedle:
			out = findIn(out, i, line, needle, indexFoldASCII)
		case t.ascii[i] && !asciiNeedle:
			// An ASCII line cannot hold a needle that is not.
		case fold && !t.ascii[i]:
			// Lower-casing maps rune to rune, so cells stay where they were.
			out = findIn(out, i, strings.ToLower(line), needle, strings.Index)
		default:
			out = findIn(out, i, line, needle, strings.Index)
		}
	}
	return out
}

// findIn appends the matches of needle in line i (hay) found by index.
func findIn(out []match, i int, hay, needle string, index func(s, substr string) int) []match {
	off := 0
	var cols columns
	for {
		j := index(hay[off:], needle)
		if j < 0 {
			return out
		}
		start := off + j
		end := start + len(needle)
		if off == 0 {
			cols = newColumns(hay)
		}
		out = append(out, match{line: i, start: cols.at(start), end: cols.at(end)})
		off = max(end, start+1)
	}
}

// indexFoldASCII is strings.Index ignoring ASCII case, for a lower-case
// needle: it jumps between the first letter's two cases with IndexByte.
func indexFoldASCII(s, needle string) int {
	if needle == "" {
		return 0
	}
	lo := needle[0]
	up := lo
	if lo >= 'a' && lo <= 'z' {
		up = lo - 'a' + 'A'
	}
	for i := 0; i+len(needle) <= len(s); {
		j := strings.IndexByte(s[i:], lo)
		if up != lo {
			if k := strings.IndexByte(s[i:], up); k >= 0 && (j < 0 || k < j) {
				j = k
			}
		}
		if j < 0 || i+j+len(needle) > len(s) {
			return -1
		}
		if equalFoldASCII(s[i+j:i+j+len(needle)], needle) {
			return i + j
		}
		i += j + 1
	}
	return -1
}

func equalFoldASCII(s, lower string) bool {
	for i := 1; i < len(lower); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// columns turns byte offsets of a plain line into the cells tokenize draws
// them at: tabs to the next stop, wide characters two cells. Offsets are
// asked left to right.
type columns struct {
	line     string
	toks     []token // for a line that is not ASCII
	width    int
	off, col int // the last offset asked, and its column (ASCII lines)
}

func newColumns(line string) columns {
	c := columns{line: line}
	if !isASCII(line) {
		c.toks, c.width = tokenize(nil, line)
	}
	return c
}

func (c *columns) at(off int) int {
	if c.toks == nil {
		if off < c.off {
			c.off, c.col = 0, 0
		}
		for ; c.off < off; c.off++ {
			switch ch := c.line[c.off]; {
			case ch == '\t':
				c.col += tabWidth - c.col%tabWidth
			case ch >= 0x20 && ch < 0x7f:
				c.col++
			}
		}
		return c.col
	}
	// The first token at or after off is where off is drawn.
	k := sort.Search(len(c.toks), func(k int) bool { return int(c.toks[k].start) >= off })
	if k == len(c.toks) {
		return c.width
	}
	return int(c.toks[k].col)
}
