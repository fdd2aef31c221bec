package config

import (
	"bytes"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The editor's structural changes: keys added to a section and removed from
// it, a flow mapping rewritten on its line, list entries inserted and
// deleted (see edit).

// addsOrDeletes reports whether editing mapping m from o to n adds a key
// or deletes one (an omitempty field set to zero).
func addsOrDeletes(m *yaml.Node, o, n reflect.Value) bool {
	for _, f := range schemaOf(n.Type()).fields {
		ov, nv := o.Field(f.index), n.Field(f.index)
		if equalValues(ov, nv) {
			continue
		}
		if k, _ := pairOf(m, f.key); k == nil || f.omitEmpty && isZero(nv) {
			return true
		}
	}
	return false
}

// rewriteFlow writes a flow mapping ({a: 1, b: 2}) that gains or loses keys
// anew on its line: untouched pairs as they were written, changed ones
// with their new value, removed ones left out, new ones at the end.
func (e *editor) rewriteFlow(m *yaml.Node, o, n reflect.Value) {
	t := e.t
	start := t.skipProps(t.offset(m))
	end := t.flowEnd(start)
	if end < 0 || bytes.ContainsRune(t.src[start:end], '\n') {
		e.ok = false // over several lines, maybe with comments: not rewritten
		return
	}
	s := schemaOf(n.Type())
	var parts []string
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if fi, known := s.byKey[k.Value]; known && k.Tag != "!!merge" {
			f := s.fields[fi]
			ov, nv := o.Field(f.index), n.Field(f.index)
			switch {
			case equalValues(ov, nv):
			case f.omitEmpty && isZero(nv):
				continue
			default:
				parts = append(parts, f.key+": "+flowText(nv))
				continue
			}
		}
		ve := e.valueEnd(v, true)
		if ve < 0 {
			e.ok = false
			return
		}
		parts = append(parts, string(t.src[t.offset(k):ve]))
	}
	for _, f := range s.fields {
		ov, nv := o.Field(f.index), n.Field(f.index)
		if k, _ := pairOf(m, f.key); k == nil && !equalValues(ov, nv) {
			var b strings.Builder
			writeFlowBase(&b, nv, baseFor(ov, nv))
			parts = append(parts, f.key+": "+b.String())
		}
	}
	e.add(start, end, "{"+strings.Join(parts, ", ")+"}")
}

// baseFor is the base a new section is written against (only what differs
// from the defaults it stood for), or none for other values.
func baseFor(ov, nv reflect.Value) reflect.Value {
	if nv.Kind() == reflect.Struct {
		return ov
	}
	return reflect.Value{}
}

// addPair adds key with value nv to mapping m, after its last key (or
// before the closing brace of a flow mapping). A section gets only the
// values that differ from the defaults it stood for (ov).
func (e *editor) addPair(m *yaml.Node, key string, ov, nv reflect.Value, flow bool) {
	t := e.t
	base := reflect.Value{}
	if nv.Kind() == reflect.Struct {
		base = ov
	}
	if flow {
		open := t.skipProps(t.offset(m))
		end := t.flowEnd(open)
		if end < 0 {
			e.ok = false
			return
		}
		var b strings.Builder
		b.WriteString(key)
		b.WriteString(": ")
		writeFlowBase(&b, nv, base)
		j := end - 1 // the closing brace
		for j > open+1 && isSpace(t.src[j-1]) {
			j--
		}
		switch t.src[j-1] {
		case '{':
		case ',':
			b.Reset()
			b.WriteString(" " + key + ": ")
			writeFlowBase(&b, nv, base)
		default:
			s := b.String()
			b.Reset()
			b.WriteString(", " + s)
		}
		e.add(j, j, b.String())
		return
	}
	if len(m.Content) < 2 {
		e.ok = false
		return
	}
	last := m.Content[len(m.Content)-2]
	endLine := t.blockEnd(t.lineOf(t.offset(last)), last.Column-1, true)
	indent := m.Column - 1
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", indent) + key + ":")
	writeValueAfterKey(&b, nv, base, indent, indent+len(key)+2)
	pos := t.lineEnd(endLine)
	text := b.String()
	if pos == len(t.src) && len(t.src) > 0 && t.src[pos-1] != '\n' {
		text = "\n" + text
	}
	e.insert(pos, pos, text, indent)
}

// deletePair removes key k and its value (an omitempty field set to its
// zero value). It returns false when the pair cannot be cut out cleanly (it
// shares its line with a list dash); the caller then writes the zero value.
func (e *editor) deletePair(k, val *yaml.Node, flow bool) bool {
	t := e.t
	ks := t.offset(k)
	if flow {
		ve := e.valueEnd(val, true)
		if ve < 0 {
			return false
		}
		j := ks
		for j > 0 && isSpace(t.src[j-1]) {
			j--
		}
		if j > 0 && t.src[j-1] == ',' {
			e.add(j-1, ve, "")
			return true
		}
		for ve < len(t.src) && isSpace(t.src[ve]) {
			ve++
		}
		if ve < len(t.src) && t.src[ve] == ',' {
			ve++
			for ve < len(t.src) && isSpace(t.src[ve]) {
				ve++
			}
		}
		e.add(ks, ve, "")
		return true
	}
	line := t.lineOf(ks)
	if n, _ := t.indent(line); t.lineStart(line)+n != ks {
		return false
	}
	e.removeLines(line, t.blockEnd(line, k.Column-1, true))
	return true
}

// sequence edits a list written as node s: entries that stayed are not
// touched, changed ones are edited in place, removed ones cut out and new
// ones written where they belong, in the style of their neighbours.
func (e *editor) sequence(k, s *yaml.Node, ov, nv reflect.Value, flow bool, indent int) {
	flowSeq := flow || s.Style&yaml.FlowStyle != 0
	if flowSeq || nv.Len() == 0 {
		if ov.Len() != nv.Len() || len(s.Content) != ov.Len() {
			e.replace(k, s, ov, nv, flow, indent)
			return
		}
		for i, item := range s.Content {
			if !equalValues(ov.Index(i), nv.Index(i)) {
				e.value(nil, item, ov.Index(i), nv.Index(i), flowSeq, indent)
			}
		}
		return
	}
	t := e.t
	dashIndent := s.Column - 1
	dashLines := make([]int, len(s.Content))
	for i, item := range s.Content {
		if dashLines[i] = e.dashLine(item, s, dashIndent); dashLines[i] < 0 {
			e.ok = false
			return
		}
	}
	itemEnd := func(i int) int { return t.blockEnd(dashLines[i], dashIndent, false) }
	last := -1    // old index of the entry new ones go after
	pending := -1 // first new index waiting to be written
	count := 0    // how many are waiting
	flush := func() {
		if count == 0 {
			return
		}
		pos := t.lineStart(dashLines[0])
		if last >= 0 {
			pos = t.lineEnd(itemEnd(last))
		}
		// New entries are written like the one they follow (or precede).
		neighbour := deref(s.Content[max(last, 0)])
		style := blockItems
		if neighbour.Style&yaml.FlowStyle != 0 || neighbour.Kind == yaml.ScalarNode {
			style = flowItems
		}
		text := itemsText(nv, pending, pending+count, dashIndent, style)
		if pos == len(t.src) && len(t.src) > 0 && t.src[pos-1] != '\n' {
			text = "\n" + text
		}
		e.insert(pos, pos, text, dashIndent+1) // entries before keys of the section that holds the list
		count = 0
	}
	for _, o := range align(ov, nv) {
		switch o.kind {
		case opIns:
			if count == 0 {
				pending = o.n
			}
			count++
			continue
		case opEdit:
			e.value(nil, s.Content[o.o], ov.Index(o.o), nv.Index(o.n), false, dashIndent)
			if !sameEntry(ov.Index(o.o), nv.Index(o.n)) {
				e.dropEntryComment(s.Content[o.o])
			}
		case opDel:
			if n, _ := t.indent(dashLines[o.o]); n != dashIndent {
				e.ok = false
				return
			}
			e.removeLines(dashLines[o.o], itemEnd(o.o))
		}
		flush()
		last = o.o
	}
	flush()
}

// dashLine is the line of the "-" that starts list entry item of block
// sequence s (the entry's value may start on a later line).
func (e *editor) dashLine(item, s *yaml.Node, dashIndent int) int {
	t := e.t
	for l := t.lineOf(t.offset(item)); l >= s.Line-1 && l >= 0; l-- {
		n, empty := t.indent(l)
		if !empty && n == dashIndent && isDash(t.lineText(l)[n:]) {
			return l
		}
	}
	return -1
}

// sameEntry reports whether list entry b is entry a edited (a Docker
// repository whose port changed) rather than another entry in its place: a
// scalar is its value, an entry with a key or a name is that.
func sameEntry(a, b reflect.Value) bool {
	if isScalarKind(a.Type()) {
		return equalValues(a, b)
	}
	if a.Kind() == reflect.Struct {
		s := schemaOf(a.Type())
		for _, k := range []string{"key", "name"} {
			if i, ok := s.byKey[k]; ok {
				f := s.fields[i].index
				return equalValues(a.Field(f), b.Field(f))
			}
		}
	}
	return true
}

// dropEntryComment removes the comment after a list entry written on one
// line ("- art1.example.com  # primary") that another entry replaces: it
// spoke of the old entry, and must not sit on the new one. (A deleted
// entry's line goes with its comment too; comment lines always stay.)
func (e *editor) dropEntryComment(item *yaml.Node) {
	end := e.valueEnd(item, false)
	if end < 0 {
		return
	}
	lineEnd := e.lineContentEnd(e.t.lineOf(end))
	if rest := bytes.TrimLeft(e.t.src[end:lineEnd], " \t"); len(rest) == 0 || rest[0] != '#' {
		return
	}
	e.add(end, lineEnd, "")
}
