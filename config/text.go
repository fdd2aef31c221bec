package config

import (
	"bytes"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// text is the loaded bytes seen as lines, to turn the parser's positions
// (1-based line, 1-based column counted in characters) into byte offsets and
// to find where a value's text ends, which the node tree does not record.
type text struct {
	src   []byte
	lines []int // byte offset where each line starts (index 0 is line 1)
}

func newText(src []byte) *text {
	t := &text{src: src, lines: make([]int, 1, bytes.Count(src, []byte("\n"))+1)}
	if bytes.HasPrefix(src, []byte("\uFEFF")) {
		t.lines[0] = 3 // the parser does not count a byte order mark as a column
	}
	for i, c := range src {
		if c == '\n' {
			t.lines = append(t.lines, i+1)
		}
	}
	return t
}

// offset is the byte offset of a node's first character.
func (t *text) offset(n *yaml.Node) int { return t.at(n.Line, n.Column) }

func (t *text) at(line, col int) int {
	if line < 1 || line > len(t.lines) {
		return len(t.src)
	}
	i := t.lines[line-1]
	for c := 1; c < col && i < len(t.src) && t.src[i] != '\n'; c++ {
		if t.src[i] < utf8.RuneSelf {
			i++
			continue
		}
		_, size := utf8.DecodeRune(t.src[i:])
		i += size
	}
	return i
}

// lineOf is the 0-based line index holding byte offset i.
func (t *text) lineOf(i int) int {
	lo, hi := 0, len(t.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if t.lines[mid] <= i {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// lineStart and lineEnd bound line l (0-based); lineEnd is after its newline
// (or the end of the text).
func (t *text) lineStart(l int) int { return t.lines[l] }
func (t *text) lineEnd(l int) int {
	if l+1 < len(t.lines) {
		return t.lines[l+1]
	}
	return len(t.src)
}

// lineText is line l without its newline.
func (t *text) lineText(l int) []byte {
	return bytes.TrimRight(t.src[t.lineStart(l):t.lineEnd(l)], "\r\n")
}

// indent is the number of leading spaces of line l, and whether the line is
// blank or only a comment (which says nothing about structure).
func (t *text) indent(l int) (n int, empty bool) {
	s := t.lineText(l)
	rest := bytes.TrimLeft(s, " ")
	n = len(s) - len(rest)
	rest = bytes.TrimLeft(rest, " \t")
	return n, len(rest) == 0 || rest[0] == '#'
}

// isComment reports whether line l holds only a comment.
func (t *text) isComment(l int) bool {
	rest := bytes.TrimLeft(t.lineText(l), " \t")
	return len(rest) > 0 && rest[0] == '#'
}

// blockEnd is the last line of a block that starts on line first and holds
// every following line indented more than parentIndent (plus, when seqAt is
// true, lines starting "-" at exactly parentIndent: a block sequence may sit
// at its key's indentation). Trailing blank and comment lines are not part of
// it: they belong to what follows.
func (t *text) blockEnd(first, parentIndent int, seqAt bool) int {
	last := first
	for l := first + 1; l < len(t.lines); l++ {
		n, empty := t.indent(l)
		if empty {
			continue
		}
		if n > parentIndent || seqAt && n == parentIndent && isDash(t.lineText(l)[n:]) {
			last = l
			continue
		}
		break
	}
	return last
}

func isDash(s []byte) bool {
	return len(s) > 0 && s[0] == '-' && (len(s) == 1 || s[1] == ' ' || s[1] == '\t')
}

// skipProps moves past a node's properties (&anchor, !tag) to its value.
func (t *text) skipProps(i int) int {
	for i < len(t.src) && (t.src[i] == '&' || t.src[i] == '!') {
		for i < len(t.src) && !isSpace(t.src[i]) {
			i++
		}
		for i < len(t.src) && (t.src[i] == ' ' || t.src[i] == '\t') {
			i++
		}
	}
	return i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// scalarEnd is the offset just after the text of the scalar that starts at
// i (after its properties), or -1 when its extent cannot be told safely (a
// plain scalar folded over several lines, a block scalar).
func (t *text) scalarEnd(n *yaml.Node, i int, flow bool) int {
	s := t.src
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		for j := i + 1; j < len(s); j++ {
			switch s[j] {
			case '\\':
				j++
			case '"':
				return j + 1
			}
		}
	case n.Style&yaml.SingleQuotedStyle != 0:
		for j := i + 1; j < len(s); j++ {
			if s[j] == '\'' {
				if j+1 < len(s) && s[j+1] == '\'' {
					j++
					continue
				}
				return j + 1
			}
		}
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return -1
	default: // plain: to the end of the line, a comment, or (in flow) an indicator
		j := i
		for ; j < len(s) && s[j] != '\n' && s[j] != '\r'; j++ {
			if s[j] == '#' && j > i && (s[j-1] == ' ' || s[j-1] == '\t') {
				break
			}
			if flow && (s[j] == ',' || s[j] == ']' || s[j] == '}') {
				break
			}
		}
		for j > i && (s[j-1] == ' ' || s[j-1] == '\t') {
			j--
		}
		if string(s[i:j]) == n.Value {
			return j
		}
	}
	return -1
}

// flowEnd is the offset just after the bracket that closes the flow
// collection opening at i ("[" or "{"), skipping quoted text.
func (t *text) flowEnd(i int) int {
	s, depth := t.src, 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '[', '{':
			depth++
		case ']', '}':
			if depth--; depth == 0 {
				return j + 1
			}
		case '"', '\'':
			if j > 0 && !isSpace(s[j-1]) && !bytes.ContainsRune([]byte("[{,:"), rune(s[j-1])) {
				continue // a quote inside a plain scalar (it's, quo"te)
			}
			q := s[j]
			for j++; j < len(s); j++ {
				if q == '"' && s[j] == '\\' {
					j++
				} else if s[j] == q {
					if q == '\'' && j+1 < len(s) && s[j+1] == '\'' {
						j++
						continue
					}
					break
				}
			}
		case '#':
			if j > 0 && isSpace(s[j-1]) {
				for j < len(s) && s[j] != '\n' {
					j++
				}
			}
		}
	}
	return -1
}
