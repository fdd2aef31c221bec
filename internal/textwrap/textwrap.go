// Package textwrap breaks text into lines at spaces for what frontdoor prints
// to a terminal (save reports, help). A word longer than the room (a path, a
// URL, a command) gets a line of its own and is never cut, so it can still be
// copied whole.
package textwrap

import (
	"strings"
	"unicode/utf8"
)

// Wrap breaks text at spaces into lines of at most width runes, the first
// starting with first and the others with rest. The text's own leading
// indentation is kept after first (command output often has some). A word
// longer than the room gets a line of its own and is never cut. width <= 0:
// one line.
func Wrap(text string, width int, first, rest string) []string {
	if width <= 0 {
		return []string{first + text}
	}
	first += text[:len(text)-len(strings.TrimLeft(text, " \t"))]
	var lines []string
	line, prefix, empty := first, first, true
	for _, w := range strings.Fields(text) {
		if !empty && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) > width {
			lines = append(lines, line)
			line, prefix, empty = rest, rest, true
		}
		if empty {
			line, empty = prefix+w, false
		} else {
			line += " " + w
		}
	}
	return append(lines, line)
}
