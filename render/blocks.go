package render

import (
	"bytes"
	"strconv"
	"strings"
)

// blocks holds the large parts of a view: the lines repeated per
// repository of the Kubernetes outputs (megabytes at 1,000 repositories). A
// template prints a short marker for each, and splice writes the block's
// entries straight into the output after the template ran: text/template
// prints a string by copying it through fmt's buffer, and building each
// block apart first would copy its megabytes once more. Blocks hold no
// blank lines, so squeezing the template's output first changes nothing.
type blocks struct {
	parts []block
	size  int // the blocks' estimated size, for the output's one allocation
}

// block is n entries, each "\n" + what line writes; first is entry 0,
// written already to measure the entries.
type block struct {
	n     int
	first []byte
	line  func(w *text, i int)
}

// blockMin is the size from which a block is spliced rather than printed
// (a variable so a test can print every block through the template).
var blockMin = 32 << 10

// text is an append-only buffer (what strings.Builder is) over a byte
// slice, so splice can have a block write into the output itself.
type text struct{ b []byte }

func (t *text) WriteString(s string) { t.b = append(t.b, s...) }

// WriteByte appends c; the error is always nil (io.ByteWriter's signature).
func (t *text) WriteByte(c byte) error {
	t.b = append(t.b, c)
	return nil
}

// lines is what a template prints for n entries, each "\n" + what line(i)
// writes: the text itself when small, else a marker that splice replaces
// by the entries. size is a generous guess of one entry's length.
func (b *blocks) lines(n, size int, line func(w *text, i int)) string {
	if n == 0 {
		return ""
	}
	// The first entry tells the size of the rest (keys vary by a few dozen
	// bytes): the output is allocated once, with room to spare.
	first := text{b: make([]byte, 0, size+1)}
	first.WriteByte('\n')
	line(&first, 0)
	each := len(first.b)
	total := each + (n-1)*(each+each/8+64)
	if total >= blockMin {
		b.parts = append(b.parts, block{n: n, first: first.b, line: line})
		b.size += total
		return "\x00" + strconv.Itoa(len(b.parts)-1) + "\x00" // NUL: in no validated value
	}
	all := text{b: append(make([]byte, 0, total), first.b...)}
	for i := 1; i < n; i++ {
		all.WriteByte('\n')
		line(&all, i)
	}
	return string(all.b)
}

// splice replaces the markers in out with their blocks' entries.
func (b *blocks) splice(out []byte) []byte {
	if len(b.parts) == 0 {
		return out
	}
	res := text{b: make([]byte, 0, len(out)+b.size)}
	for {
		i := bytes.IndexByte(out, 0)
		if i < 0 {
			return append(res.b, out...)
		}
		res.b = append(res.b, out[:i]...)
		j := bytes.IndexByte(out[i+1:], 0)
		if j < 0 {
			return append(res.b, out[i:]...) // not a marker of ours: keep as is
		}
		n, err := strconv.Atoi(string(out[i+1 : i+1+j]))
		if err != nil || n < 0 || n >= len(b.parts) {
			return append(res.b, out[i:]...)
		}
		p := &b.parts[n]
		res.b = append(res.b, p.first...)
		for k := 1; k < p.n; k++ {
			res.WriteByte('\n')
			p.line(&res, k)
		}
		out = out[i+2+j:]
	}
}

// lines writes n entries, each "\n" + what line(i) writes; size is a
// generous guess of one entry's length, so the builder grows once.
func lines(n, size int, line func(b *strings.Builder, i int)) string {
	if n == 0 {
		return ""
	}
	// The first entry tells the size of the rest (keys vary by a few dozen
	// bytes): the builder is allocated once, with room to spare.
	var first strings.Builder
	first.Grow(size + 1)
	first.WriteByte('\n')
	line(&first, 0)
	if n == 1 {
		return first.String()
	}
	each := first.Len()
	var b strings.Builder
	b.Grow(each + (n-1)*(each+each/8+64))
	b.WriteString(first.String())
	for i := 1; i < n; i++ {
		b.WriteByte('\n')
		line(&b, i)
	}
	return b.String()
}
