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

// Labeled is Wrap with a label as the first prefix ("target: ", "restore
// one: "), except that when the text's first word does not fit after the
// label (a long path), the label stands alone on the first line and the
// text starts on the next after rest: the path is then whole on a line of
// its own, where it can be copied, instead of running past the edge beside
// the label.
func Labeled(text string, width int, label, rest string) []string {
	words := strings.Fields(text)
	if width <= 0 || len(words) == 0 || utf8.RuneCountInString(label)+utf8.RuneCountInString(words[0]) <= width {
		return Wrap(text, width, label, rest)
	}
	return append([]string{strings.TrimRight(label, " ")}, Wrap(strings.TrimLeft(text, " \t"), width, rest, rest)...)
}
