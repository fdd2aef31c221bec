package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"frontdoor/render"
)

// findingIndex finds the findings about one settings path quickly: the
// table draws findings row by row, and a table may have 1,000 rows.
type findingIndex struct {
	byPath map[string]render.Findings
}

func newFindingIndex(fs render.Findings) findingIndex {
	idx := findingIndex{byPath: make(map[string]render.Findings, len(fs))}
	for _, f := range fs {
		idx.byPath[f.Path] = append(idx.byPath[f.Path], f)
	}
	return idx
}

// exact returns the findings whose path is exactly path.
func (i findingIndex) exact(path string) render.Findings {
	if path == "" {
		return nil
	}
	return i.byPath[path]
}

// issueCount is how many errors and warnings a step has.
type issueCount struct{ errors, warnings int }

func (c *issueCount) add(f render.Finding) {
	if f.Severity == render.Error {
		c.errors++
	} else {
		c.warnings++
	}
}

// findingLines formats one finding as wrapped lines: the glyph says error or
// warning without colour, the message says what to do.
func findingLines(st *styles, f render.Finding, width int, indent string) []string {
	glyph, style := glyphError, st.errorText
	if f.Severity == render.Warning {
		glyph, style = glyphWarning, st.warnText
	}
	return wrapPrefixed(f.Message, width, indent+glyph+" ", indent+"  ", style)
}

// wrapPrefixed word-wraps text to width cells, the first line after first,
// the others after rest, every line styled.
func wrapPrefixed(text string, width int, first, rest string, style interface{ Render(...string) string }) []string {
	avail := max(10, width-ansi.StringWidth(first))
	wrapped := wrapText(text, avail)
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

// summary is the one-line count of findings, e.g. "✗ 2 errors · ! 1 warning".
func summary(st *styles, c issueCount) string {
	var parts []string
	if c.errors > 0 {
		parts = append(parts, st.errorText.Render(glyphError+" "+countNoun(c.errors, "error")))
	}
	if c.warnings > 0 {
		parts = append(parts, st.warnText.Render(glyphWarning+" "+countNoun(c.warnings, "warning")))
	}
	if len(parts) == 0 {
		return st.okText.Render(glyphOK + " valid")
	}
	return strings.Join(parts, st.subtle.Render(" · "))
}

func countNoun(n int, noun string) string {
	return itoa(n) + " " + plural(n, noun)
}

// wrapText wraps plain text at spaces to width cells, cutting only words
// longer than a line (paths); unlike ansi.Wrap it never breaks at '-', so
// "sites-available" stays whole.
func wrapText(text string, width int) []string {
	width = max(1, width)
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			for ansi.StringWidth(word) > width {
				if line != "" {
					lines = append(lines, line)
					line = ""
				}
				lines = append(lines, ansi.Truncate(word, width, ""))
				word = ansi.TruncateLeft(word, width, "")
			}
			switch {
			case line == "":
				line = word
			case ansi.StringWidth(line)+1+ansi.StringWidth(word) <= width:
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
