package common

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Sizes the layout follows.
const (
	// Below MinWidth x MinHeight the wizard asks for a bigger terminal
	// instead of drawing a broken screen; 80x24 is comfortable.
	MinWidth  = 50
	MinHeight = 14
	// WideWidth is where the preview moves beside the form.
	WideWidth = 120
	// AccessibleWidth lays panels out wide enough never to wrap: a screen
	// reader reads a wrapped sentence as two lines.
	AccessibleWidth = 500
)

// Itoa is strconv.Itoa, short for the many counts on screen.
func Itoa(n int) string { return strconv.Itoa(n) }

// Plural is noun for one, its plural otherwise.
func Plural(n int, noun string) string {
	if n == 1 {
		return noun
	}
	if strings.HasSuffix(noun, "y") {
		return strings.TrimSuffix(noun, "y") + "ies"
	}
	return noun + "s"
}

// CountNoun is "1 error", "2 errors".
func CountNoun(n int, noun string) string {
	return Itoa(n) + " " + Plural(n, noun)
}

// FirstLine is s up to its first line break.
func FirstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// plainASCII reports whether s is printable ASCII without escape
// sequences: one byte is one cell, no grapheme clustering needed. Most of
// what the wizard draws (keys, hosts, ports, paths) is, and measuring it
// this way keeps a table of 1,000 rows cheap per keystroke.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// Width is the display width of s, which may hold ANSI styles.
func Width(s string) int {
	if plainASCII(s) {
		return len(s)
	}
	return ansi.StringWidth(s)
}

// PadRight pads s (which may hold ANSI styles) with spaces to width cells.
func PadRight(s string, width int) string {
	if w := Width(s); w < width {
		return s + strings.Repeat(" ", width-w)
	}
	return s
}

// JoinEnds puts left and right on one line of width cells.
func JoinEnds(left, right string, width int) string {
	gap := width - Width(left) - Width(right)
	if gap < 1 {
		return left
	}
	return left + strings.Repeat(" ", gap) + right
}

// Truncate cuts s to width cells, ending in … when cut.
func Truncate(s string, width int) string {
	if plainASCII(s) {
		if len(s) <= width {
			return s
		}
		if width < 1 {
			return ""
		}
		return s[:width-1] + "…"
	}
	return ansi.Truncate(s, width, "…")
}

// FitLines pads or cuts lines to exactly height lines of at most width cells.
func FitLines(lines []string, width, height int) string {
	return strings.Join(Fit(lines, width, height), "\n")
}

// Fit is FitLines as lines.
func Fit(lines []string, width, height int) []string {
	out := make([]string, height)
	for i := range min(height, len(lines)) {
		l := lines[i]
		if Width(l) > width {
			l = ansi.Truncate(l, width, "…")
		}
		out[i] = l
	}
	return out
}

// WrapText wraps plain text at spaces to width cells, cutting only words
// longer than a line (paths, after their last '/' that fits); unlike
// ansi.Wrap it never breaks at '-', so "sites-available" stays whole.
func WrapText(text string, width int) []string { return wrapText(text, width, width) }

// wrapText is WrapText with a width for the first line and another for the
// lines after it (a prefix deeper on those lines leaves less room).
func wrapText(text string, firstWidth, restWidth int) []string {
	firstWidth, restWidth = max(1, firstWidth), max(1, restWidth)
	var lines []string
	width := func() int {
		if len(lines) == 0 {
			return firstWidth
		}
		return restWidth
	}
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			for line == "" && Width(word) > width() || line != "" && Width(word) > restWidth {
				if line != "" {
					lines = append(lines, line)
					line = ""
				}
				w := width()
				head := ansi.Truncate(word, w, "")
				if strings.IndexByte(word, '\x1b') >= 0 {
					lines = append(lines, head)
					word = ansi.TruncateLeft(word, w, "")
					continue
				}
				if i := strings.LastIndexByte(head, '/'); i > 0 {
					head = head[:i+1] // a path breaks after a '/', not inside a name
				}
				lines = append(lines, head)
				word = word[len(head):]
			}
			switch {
			case line == "":
				line = word
			case Width(line)+1+Width(word) <= width():
				line += " " + word
			default:
				lines = append(lines, line)
				line = word
			}
		}
		lines = append(lines, line)
	}
	return lines
}

// SplitFit splits plain text where a line of width cells ends: after the
// last space, or the last '/' of a path, that fits (a word with neither is
// cut), so a line is filled rather than a long path moved whole to the next;
// rest is what goes on, its leading spaces dropped.
func SplitFit(text string, width int) (head, rest string) {
	if Width(text) <= width {
		return text, ""
	}
	cut := 0
	for i, r := range text {
		if Width(text[:i]) > width {
			break
		}
		switch {
		case r == ' ':
			cut = i
		case r == '/' && Width(text[:i+1]) <= width:
			cut = i + 1
		}
	}
	if cut == 0 {
		cut = len(ansi.Truncate(text, width, ""))
	}
	return strings.TrimRight(text[:cut], " "), strings.TrimLeft(text[cut:], " ")
}

// WrapPrefixed word-wraps text to width cells, the first line after first,
// the others after rest, every line styled. Each line wraps at the room its
// own prefix leaves, so a deeper rest indent never runs past width.
func WrapPrefixed(text string, width int, first, rest string, style Renderer) []string {
	wrapped := wrapText(text, max(10, width-Width(first)), max(10, width-Width(rest)))
	out := make([]string, len(wrapped))
	for i, l := range wrapped {
		prefix := rest
		if i == 0 {
			prefix = first
		}
		out[i] = style.Render(prefix + l)
	}
	return out
}

// ScrollTop returns the first line to draw so that lines [from, to) are on
// screen, moving as little as possible from top.
func ScrollTop(top, from, to, total, height int) int {
	if from < top {
		top = from
	}
	if to > top+height {
		top = min(from, to-height)
	}
	return max(0, min(top, total-height))
}

// Overlay draws box centred over body (both width x height cells).
func Overlay(body, box string, width, height int) string {
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
		left := PadRight(ansi.Truncate(base, x, ""), x)
		right := ansi.TruncateLeft(base, x+bw, "")
		lines[row] = left + PadRight(bl, bw) + right
	}
	return strings.Join(lines, "\n")
}

// Status is the one line of news under the screen ("saved", "fix the errors
// first"); the root owns it and the screens set it.
type Status struct{ text string }

// Set replaces the news.
func (s *Status) Set(text string) { s.text = text }

// Clear removes the news.
func (s *Status) Clear() { s.text = "" }

// String is the news ("" for none).
func (s *Status) String() string { return s.text }

// Cut cuts s to width cells without a mark.
func Cut(s string, width int) string { return ansi.Truncate(s, width, "") }

// Titled lays out a title or a button line in lines of width cells rather
// than cutting it: lead (already styled: a heading, a button's label, a
// mark), then text in style, wrapped under itself (paths break after a
// '/'), then hint (styled) on the last line when it fits there; a hint is
// the least of it and is left out when it does not fit. A nil style leaves
// text as it is.
func Titled(lead, text string, style Renderer, hint string, width int) []string {
	indent := Width(lead)
	room := max(10, width-indent)
	if text == "" {
		if Width(lead)+Width(hint) <= width {
			return []string{lead + hint}
		}
		return []string{Truncate(lead, width)}
	}
	wrapped := WrapText(text, room)
	out := make([]string, len(wrapped))
	for i, l := range wrapped {
		if style != nil {
			l = style.Render(l)
		}
		out[i] = Truncate(strings.Repeat(" ", indent)+l, width) // cut only when width leaves under 10 cells
		if i == 0 {
			out[i] = Truncate(lead+l, width)
		}
	}
	if last := len(out) - 1; hint != "" && Width(out[last])+Width(hint) <= width {
		out[last] += hint
	}
	return out
}
