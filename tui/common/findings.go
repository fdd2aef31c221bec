package common

import (
	"strings"

	"frontdoor/finding"
)

// FindingIndex finds the findings about one settings path quickly: a table
// draws findings row by row, and a table may have 1,000 rows.
type FindingIndex struct {
	byPath map[string]finding.Findings
}

// NewFindingIndex indexes findings by path.
func NewFindingIndex(fs finding.Findings) FindingIndex {
	idx := FindingIndex{byPath: make(map[string]finding.Findings, len(fs))}
	for _, f := range fs {
		idx.byPath[f.Path] = append(idx.byPath[f.Path], f)
	}
	return idx
}

// Exact returns the findings whose path is exactly path.
func (i FindingIndex) Exact(path string) finding.Findings {
	if path == "" {
		return nil
	}
	return i.byPath[path]
}

// IssueCount is how many errors and warnings there are.
type IssueCount struct{ Errors, Warnings int }

// Add counts one finding.
func (c *IssueCount) Add(f finding.Finding) {
	if f.Severity == finding.Error {
		c.Errors++
	} else {
		c.Warnings++
	}
}

// CountIssues counts findings.
func CountIssues(fs finding.Findings) IssueCount {
	var c IssueCount
	for _, f := range fs {
		c.Add(f)
	}
	return c
}

// FindingLines formats one finding as wrapped lines: the glyph says error or
// warning without colour, the message says what to do.
func FindingLines(st *Styles, f finding.Finding, width int, indent string) []string {
	glyph, style := GlyphError, st.ErrorText
	if f.Severity == finding.Warning {
		glyph, style = GlyphWarning, st.WarnText
	}
	return WrapPrefixed(f.Message, width, indent+glyph+" ", indent+"  ", style)
}

// Summary is the one-line count of findings, e.g. "✗ 2 errors · ! 1 warning".
func Summary(st *Styles, c IssueCount) string {
	var parts []string
	if c.Errors > 0 {
		parts = append(parts, st.ErrorText.Render(GlyphError+" "+CountNoun(c.Errors, "error")))
	}
	if c.Warnings > 0 {
		parts = append(parts, st.WarnText.Render(GlyphWarning+" "+CountNoun(c.Warnings, "warning")))
	}
	if len(parts) == 0 {
		return st.OKText.Render(GlyphOK + " valid")
	}
	return strings.Join(parts, st.Subtle.Render(" · "))
}

// FindingText is a finding read out (accessible mode): what and where, then
// the fix. prefix is cut from the path ("proxy.").
func FindingText(f finding.Finding, prefix string) string {
	sev := "Error"
	if f.Severity == finding.Warning {
		sev = "Warning"
	}
	return sev + " at " + strings.TrimPrefix(f.Path, prefix) + ": " + f.Message
}
