package config

import "reflect"

// align lines up two lists the way a person edited one into the other:
// entries kept, edited in place, deleted and inserted, in list order. The
// writer uses it to touch only the entries that changed (their comments and
// layout stay), the change summary to name them.

type opKind int

const (
	opKeep opKind = iota // o and n are equal
	opEdit               // o became n
	opDel                // o was removed (n is -1)
	opIns                // n was added (o is -1)
)

type op struct {
	kind opKind
	o, n int
}

// maxAlignCells bounds the table of the longest-common-subsequence match;
// longer middles (thousands of entries changed at once) pair up by position.
const maxAlignCells = 250_000

func align(a, b reflect.Value) []op {
	la, lb := a.Len(), b.Len()
	p := 0
	for p < la && p < lb && equalValues(a.Index(p), b.Index(p)) {
		p++
	}
	q := 0
	for q < la-p && q < lb-p && equalValues(a.Index(la-1-q), b.Index(lb-1-q)) {
		q++
	}
	ops := make([]op, 0, max(la, lb))
	for i := range p {
		ops = append(ops, op{opKeep, i, i})
	}
	ma, mb := la-p-q, lb-p-q
	if ma*mb <= maxAlignCells {
		ops = appendLCS(ops, a, b, p, ma, mb)
	} else {
		ops = appendGap(ops, seq(p, ma), seq(p, mb))
	}
	for i := range q {
		ops = append(ops, op{opKeep, la - q + i, lb - q + i})
	}
	return ops
}

func seq(from, n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = from + i
	}
	return s
}

// appendLCS matches the middles a[p:p+ma] and b[p:p+mb] on their longest
// common subsequence; what lies between two matches is a gap.
func appendLCS(ops []op, a, b reflect.Value, p, ma, mb int) []op {
	if ma == 0 || mb == 0 {
		return appendGap(ops, seq(p, ma), seq(p, mb))
	}
	// table[i][j]: LCS length of a[p+i:] and b[p+j:]
	w := mb + 1
	table := make([]int32, (ma+1)*w)
	for i := ma - 1; i >= 0; i-- {
		for j := mb - 1; j >= 0; j-- {
			if equalValues(a.Index(p+i), b.Index(p+j)) {
				table[i*w+j] = table[(i+1)*w+j+1] + 1
			} else {
				table[i*w+j] = max(table[(i+1)*w+j], table[i*w+j+1])
			}
		}
	}
	var dels, inss []int
	i, j := 0, 0
	for i < ma || j < mb {
		switch {
		case i < ma && j < mb && equalValues(a.Index(p+i), b.Index(p+j)):
			ops = appendGap(ops, dels, inss)
			dels, inss = dels[:0], inss[:0]
			ops = append(ops, op{opKeep, p + i, p + j})
			i++
			j++
		case j == mb || i < ma && table[(i+1)*w+j] >= table[i*w+j+1]:
			dels = append(dels, p+i)
			i++
		default:
			inss = append(inss, p+j)
			j++
		}
	}
	return appendGap(ops, dels, inss)
}

// appendGap pairs deleted and inserted entries at the same place as edits
// (an entry changed in place), then lists the rest as deletions or insertions.
func appendGap(ops []op, dels, inss []int) []op {
	k := min(len(dels), len(inss))
	for i := range k {
		ops = append(ops, op{opEdit, dels[i], inss[i]})
	}
	for _, o := range dels[k:] {
		ops = append(ops, op{opDel, o, -1})
	}
	for _, n := range inss[k:] {
		ops = append(ops, op{opIns, -1, n})
	}
	return ops
}
