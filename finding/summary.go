package finding

import (
	"fmt"
	"strconv"

	"frontdoor/internal/lazyregexp"
)

// Limit is how many findings (or other problems) a printer shows before it
// sums up the rest in one "… and N more" line. It lives here, once, so the CLI,
// the wizard and the settings-file errors of package config cap alike: an
// alias-heavy file must never multiply output.
const Limit = 50

// Cap returns at most limit items and how many were left out. A limit of 0 or
// less means Limit.
func Cap[T any](items []T, limit int) (shown []T, more int) {
	if limit <= 0 {
		limit = Limit
	}
	if len(items) <= limit {
		return items, 0
	}
	return items[:limit], len(items) - limit
}

// More is the line that stands for the items Cap left out.
func More(n int) string {
	return fmt.Sprintf("… and %s more", Count(n))
}

// Count writes n with thousands separators (10,000), as every message does.
func Count(n int) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

var listIndex = lazyregexp.New(`\[\d+\]`)

// WithoutIndexes is s with every list index ("[3]") written "[]": the
// shape under which the same problem on many rows of a list counts once,
// in findings (Dedup) and in config's problems alike.
func WithoutIndexes(s string) string { return listIndex().ReplaceAllString(s, "[]") }

// sameShape is the key under which Dedup collapses findings: list indexes in
// the path and the message do not count, so the same problem on 10,000 rows
// (a list of aliases of one entry) is one finding.
func sameShape(f Finding) string {
	return f.Severity.String() + "\x00" + WithoutIndexes(f.Path) + "\x00" + WithoutIndexes(f.Message)
}

// Dedup collapses findings that say the same thing: the same severity and
// message at paths that differ only in list indexes. The first one stays, in
// its place, and its Also counts the others. The order is kept.
func (fs Findings) Dedup() Findings {
	if len(fs) < 2 {
		return fs
	}
	first := make(map[string]int, len(fs))
	out := make(Findings, 0, len(fs))
	for _, f := range fs {
		k := sameShape(f)
		if i, ok := first[k]; ok {
			out[i].Also += 1 + f.Also
			continue
		}
		first[k] = len(out)
		out = append(out, f)
	}
	return out
}

// Lines is how every printer shows findings: errors before warnings,
// repeats collapsed (Dedup), at most limit lines (0: Limit), then one
// "… and N more" line for the rest.
func (fs Findings) Lines(limit int) []string {
	all := append(fs.Errors().Dedup(), fs.Warnings().Dedup()...)
	shown, more := Cap(all, limit)
	lines := make([]string, 0, len(shown)+1)
	for _, f := range shown {
		lines = append(lines, f.String())
	}
	if more > 0 {
		lines = append(lines, More(more))
	}
	return lines
}
