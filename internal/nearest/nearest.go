// Package nearest is frontdoor's one "did you mean" rule: the known name a
// mistyped one most likely meant (a settings key, a flag, a file or
// template name), and the edit distance behind it.
package nearest

import (
	"strings"
	"unicode/utf8"
)

// Closest returns the name in known that typed most likely meant: the same
// letters in another case, or else the nearest within Limit of it; "" when
// none is that close.
func Closest(typed string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if strings.EqualFold(k, typed) {
			return k
		}
		if d := Distance(strings.ToLower(typed), strings.ToLower(k)); d <= Limit(k) && d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// Limit is how many edits a typed name may be from name and still be its
// typo: two; one when name has four letters or fewer, where two edits make
// most names alike; none for one or two letters, where one edit is half the
// name. A file's name is judged by its stem ("dec" of dec.yaml: the
// extension is the same letters in every candidate, not a likeness).
func Limit(name string) int {
	switch n := utf8.RuneCountInString(name); {
	case n <= 2:
		return 0
	case n <= 4:
		return 1
	}
	return 2
}

// Distance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of neighbours cost one
// each, so "serverNmae" is one edit from "serverName" and "zhs" one from
// "zsh". It counts runes, and is case-sensitive.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
