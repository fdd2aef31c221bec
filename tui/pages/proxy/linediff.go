package proxy

// editKind is one step of a line diff.
type editKind uint8

const (
	editSame editKind = iota // line in both
	editAdd                  // line only in the new text
	editDel                  // line only in the old text
)

// edit is one line of a diff script: a indexes old (same, del), b indexes new (same, add).
type edit struct {
	kind editKind
	a, b int
}

// diffLines returns the shortest edit script turning old into new (Myers'
// O(ND) algorithm over interned lines, after trimming the common prefix and
// suffix). ok is false when more than maxEdits lines differ: the caller then
// says "changed throughout" instead of paying quadratic time and memory.
func diffLines(old, new []string, maxEdits int) (script []edit, ok bool) {
	prefix := 0
	for prefix < len(old) && prefix < len(new) && old[prefix] == new[prefix] {
		prefix++
	}
	suffix := 0
	for suffix < len(old)-prefix && suffix < len(new)-prefix && old[len(old)-1-suffix] == new[len(new)-1-suffix] {
		suffix++
	}
	script = make([]edit, 0, max(len(old), len(new))+8)
	for i := 0; i < prefix; i++ {
		script = append(script, edit{editSame, i, i})
	}
	a, b := old[prefix:len(old)-suffix], new[prefix:len(new)-suffix]
	in := intern(a, b)
	if editsLowerBound(in) > maxEdits {
		return nil, false // e.g. nginx against Apache: no need to search
	}
	middle, ok := myers(in, prefix, maxEdits)
	if !ok {
		return nil, false
	}
	script = append(script, middle...)
	for i := 0; i < suffix; i++ {
		script = append(script, edit{editSame, len(old) - suffix + i, len(new) - suffix + i})
	}
	return script, true
}

// interned holds both sides as small integers, so comparisons are cheap.
type interned struct{ a, b []int32 }

func intern(a, b []string) interned {
	ids := make(map[string]int32, len(a)+len(b))
	conv := func(lines []string) []int32 {
		out := make([]int32, len(lines))
		for i, l := range lines {
			id, seen := ids[l]
			if !seen {
				id = int32(len(ids))
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	return interned{conv(a), conv(b)}
}

// editsLowerBound is a cheap lower bound of the edit distance: a common
// subsequence cannot hold more of a line than both sides have.
func editsLowerBound(in interned) int {
	counts := make(map[int32]int, len(in.a))
	for _, id := range in.a {
		counts[id]++
	}
	common := 0
	for _, id := range in.b {
		if counts[id] > 0 {
			counts[id]--
			common++
		}
	}
	return len(in.a) + len(in.b) - 2*common
}

// myers diffs in.a against in.b; indexes in the script are shifted by base.
func myers(in interned, base, maxEdits int) ([]edit, bool) {
	a, b := in.a, in.b
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		if n+m > maxEdits {
			return nil, false
		}
		out := make([]edit, 0, n+m)
		for i := 0; i < n; i++ {
			out = append(out, edit{editDel, base + i, base})
		}
		for j := 0; j < m; j++ {
			out = append(out, edit{editAdd, base + n, base + j})
		}
		return out, true
	}
	limit := min(n+m, maxEdits)
	off := limit + 1
	v := make([]int, 2*limit+3)
	// trace[d] keeps v for diagonals -(d+1)..d+1 as it was before round d.
	var trace [][]int
	found := -1
	for d := 0; d <= limit && found < 0; d++ {
		trace = append(trace, append([]int(nil), v[off-d-1:off+d+2]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1] // down: a line added
			} else {
				x = v[off+k-1] + 1 // right: a line deleted
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				found = d
				break
			}
		}
	}
	if found < 0 {
		return nil, false
	}
	// Walk back from the end, collecting the script in reverse.
	rev := make([]edit, 0, n+m)
	x, y := n, m
	for d := found; d >= 0; d-- {
		tv := trace[d]
		at := func(k int) int { return tv[k+d+1] }
		k := x - y
		var prevK int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := at(prevK)
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x--
			y--
			rev = append(rev, edit{editSame, base + x, base + y})
		}
		if d > 0 {
			if x == prevX {
				rev = append(rev, edit{editAdd, base + x, base + y - 1})
			} else {
				rev = append(rev, edit{editDel, base + x - 1, base + y})
			}
		}
		x, y = prevX, prevY
	}
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	return rev, true
}
