// Help is wrapped for the terminal it is printed on: this file lays help
// text out (paragraphs, lists, synopses and commands to type); cli_help.go
// says what the help holds.
package main

import (
	"frontdoor/internal/textwrap"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// helpWidth is the width help is wrapped to: the terminal's (at least 40),
// or 80 for a pipe or a file.
func helpWidth(w io.Writer) int {
	if n := terminalWidth(w); n > 0 {
		return max(n, 40)
	}
	return 80
}

// synopsisLines is c's synopsis after first ("Usage: "), wrapped to width
// between its options, never inside a bracketed group (unless one alone is
// wider than the room); later lines start under the first option.
func synopsisLines(c *cobra.Command, first string, width int) []string {
	use := useLine(c)
	path := c.CommandPath()
	if !strings.HasPrefix(use, path) {
		path = ""
	}
	indent := strings.Repeat(" ", len(first)+len(path)+1)
	var lines []string
	line := first + path
	for _, word := range synopsisWords(strings.TrimSpace(strings.TrimPrefix(use, path)), width-len(indent)) {
		if len(line)+1+len(word) > width && strings.TrimSpace(line) != strings.TrimSpace(first+path) {
			lines = append(lines, line)
			line = indent[:len(indent)-1]
		}
		line += " " + word
	}
	return append(lines, line)
}

// synopsisWords splits a synopsis into what must stay on one line: a
// bracketed group with what is nested in it ([--reload CMD [--verify]]),
// or one word; a group wider than room is split at its spaces.
func synopsisWords(s string, room int) []string {
	var words []string
	depth, start := 0, 0
	flush := func(end int) {
		if w := strings.TrimSpace(s[start:end]); w != "" {
			if len(w) > room {
				words = append(words, strings.Fields(w)...)
			} else {
				words = append(words, w)
			}
		}
		start = end
	}
	for i, r := range s {
		switch {
		case r == '[':
			depth++
		case r == ']' && depth > 0:
			depth--
		case r == ' ' && depth == 0:
			flush(i)
		}
	}
	flush(len(s))
	return words
}

// reflow wraps help text to width: running lines are filled into
// paragraphs (the texts break their lines for the source, not the
// terminal); an indented line is a list or a command: a list is wrapped
// under its indent, a command to type goes on with a backslash
// (commandLines); a blank line stays.
func reflow(text string, width int) string {
	var out, para []string
	flush := func() {
		if len(para) > 0 {
			out = append(out, textwrap.Wrap(strings.Join(para, " "), width, "", "")...)
			para = nil
		}
	}
	for _, line := range strings.Split(text, "\n") {
		switch {
		case strings.TrimSpace(line) == "":
			flush()
			out = append(out, "")
		case strings.HasPrefix(line, "  ") && strings.Contains(line, "frontdoor "):
			flush()
			out = append(out, commandLines(line, width)...)
		case strings.HasPrefix(line, "  "):
			flush()
			indent := line[:len(line)-len(strings.TrimLeft(line, " "))]
			out = append(out, textwrap.Wrap(strings.TrimLeft(line, " "), width, indent, indent+"  ")...)
		default:
			para = append(para, line)
		}
	}
	flush()
	return strings.Join(out, "\n") + "\n"
}

// commandLines is a command line to type, as lines of at most width that a
// shell reads as the one command: broken at spaces outside quotes, each
// line but the last ending in a backslash, the others indented deeper. A
// word wider than the room stays whole.
func commandLines(line string, width int) []string {
	if len(line) <= width {
		return []string{line}
	}
	indent := line[:len(line)-len(strings.TrimLeft(line, " "))]
	var words []string
	var quote rune
	start := len(indent)
	for i, r := range line {
		switch {
		case i < len(indent):
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == ' ':
			if i > start {
				words = append(words, line[start:i])
			}
			start = i + 1
		}
	}
	if start < len(line) {
		words = append(words, line[start:])
	}
	// A flag and its value stay together (--resolve HOST:ADDR) where they fit.
	room := width - len(indent) - len("    ") - len(" \\")
	for i := 0; i+1 < len(words); i++ {
		pair := len(words[i]) + 1 + len(words[i+1])
		if strings.HasPrefix(words[i], "-") && !strings.HasPrefix(words[i+1], "-") && words[i+1] != "|" && pair <= room {
			words = append(words[:i], append([]string{words[i] + " " + words[i+1]}, words[i+2:]...)...)
		}
	}
	var lines []string
	cur := indent
	for i, w := range words {
		room := width - 2 // " \" ends a line that goes on
		if i == len(words)-1 {
			room = width
		}
		if strings.TrimSpace(cur) != "" && len(cur)+1+len(w) > room {
			lines = append(lines, cur+" \\")
			cur = indent + "    " + w
			continue
		}
		if strings.TrimSpace(cur) == "" {
			cur += w
		} else {
			cur += " " + w
		}
	}
	return append(lines, cur)
}
