package config

import (
	"bytes"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// edit writes changed settings into the bytes a person wrote, changing only
// the values that changed: each edit splices new text at the place the node
// tree gives for the old value (or, for a key the file leaves out, after the
// last key of its section). Everything else (comments, key order, blank
// lines, quoting of untouched values) stays byte for byte. A list that
// changed length keeps its untouched entries; deleted entries go, new ones
// are written like their neighbours. Comment lines inside a deleted block
// are kept: a person's comment is never dropped silently.
//
// ok is false when a change cannot be placed safely (an unusual layout);
// the caller then writes a clean rendering instead. The caller also decodes
// the result and compares it with the wanted settings before writing, so a
// wrong splice can never reach the disk.
func edit(src []byte, doc *yaml.Node, old, want *File) (out []byte, ok bool) {
	e := &editor{t: newText(src), ok: true, uses: aliasUses(doc), done: map[*yaml.Node]bool{}}
	if doc == nil || len(doc.Content) == 0 || isNull(doc.Content[0]) {
		// Nothing but comments (or nothing): the sections go after them.
		body := bodyText(want)
		if len(src) > 0 && !bytes.HasSuffix(src, []byte("\n")) {
			body = "\n" + body
		}
		return append(slices.Clip(src), body...), true
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, false
	}
	e.mapping(root, reflect.ValueOf(old).Elem(), reflect.ValueOf(want).Elem(), false)
	if !e.ok {
		return nil, false
	}
	return e.apply()
}

type splice struct {
	start, end int
	text       string
	depth      int  // for insertions at the same place: the deeper one first
	weak       bool // an alias copied: dropped where a real edit replaces it
}

type editor struct {
	t     *text
	edits []splice
	ok    bool

	// An edit inside an &anchor must not reach the *aliases of it: before
	// the first edit under an anchor, each of its aliases is replaced by a
	// copy of the anchor's old text.
	uses    map[*yaml.Node][]*yaml.Node // anchored node → the aliases naming it
	anchors []*yaml.Node                // the anchored nodes around the value being edited
	done    map[*yaml.Node]bool         // anchors whose aliases are copied already
}

// aliasUses maps every anchored node to the aliases that name it.
func aliasUses(doc *yaml.Node) map[*yaml.Node][]*yaml.Node {
	uses := map[*yaml.Node][]*yaml.Node{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil {
			return
		}
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			uses[n.Alias] = append(uses[n.Alias], n)
			return
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(doc)
	return uses
}

// copyAliases replaces each alias of the anchors around the current edit by
// the anchor's old value, so the edit changes only the anchored place.
func (e *editor) copyAliases() {
	for _, a := range e.anchors {
		if e.done[a] {
			continue
		}
		e.done[a] = true
		var text string
		switch {
		case a.Kind == yaml.ScalarNode:
			text = scalarText(reflect.ValueOf(a.Value), a.Style, true)
		case a.Style&yaml.FlowStyle != 0:
			start := e.t.skipProps(e.t.offset(a))
			end := e.t.flowEnd(start)
			if end < 0 {
				e.ok = false
				return
			}
			text = string(e.t.src[start:end])
		default:
			e.ok = false // a block section cannot stand in an alias's place
			return
		}
		for _, u := range e.uses[a] {
			start := e.t.offset(u)
			e.edits = append(e.edits, splice{start: start, end: start + 1 + len(u.Value), text: text, weak: true})
		}
	}
}

func (e *editor) add(start, end int, text string) { e.insert(start, end, text, 0) }

func (e *editor) insert(start, end int, text string, depth int) {
	if start < 0 || end < start {
		e.ok = false
		return
	}
	e.copyAliases()
	e.edits = append(e.edits, splice{start: start, end: end, text: text, depth: depth})
}

func (e *editor) apply() ([]byte, bool) {
	slices.SortStableFunc(e.edits, func(a, b splice) int {
		if a.start != b.start {
			return a.start - b.start
		}
		if a.end != b.end {
			return a.end - b.end // an insertion before a replacement at the same place
		}
		return b.depth - a.depth // what ends an inner section before what follows it
	})
	src := e.t.src
	crlf := bytes.Contains(src, []byte("\r\n")) // new lines end like the file's
	var out bytes.Buffer
	out.Grow(len(src) + 256)
	edits := e.edits[:0:0]
	for i, s := range e.edits {
		if s.weak && (i > 0 && e.edits[i-1].end > s.start || i+1 < len(e.edits) && e.edits[i+1].start < s.end) {
			continue // the alias is replaced by a real edit
		}
		edits = append(edits, s)
	}
	pos := 0
	for _, s := range edits {
		if s.start < pos {
			return nil, false // overlapping edits: the layout is too unusual
		}
		out.Write(src[pos:s.start])
		if crlf {
			s.text = strings.ReplaceAll(s.text, "\n", "\r\n")
		}
		out.WriteString(s.text)
		pos = s.end
	}
	out.Write(src[pos:])
	return out.Bytes(), true
}

// mapping edits the fields of a struct written as the mapping node m.
func (e *editor) mapping(m *yaml.Node, o, n reflect.Value, flow bool) {
	flow = flow || m.Style&yaml.FlowStyle != 0
	if m.Style&yaml.FlowStyle != 0 && addsOrDeletes(m, o, n) {
		e.rewriteFlow(m, o, n)
		return
	}
	for _, f := range schemaOf(n.Type()).fields {
		ov, nv := o.Field(f.index), n.Field(f.index)
		if equalValues(ov, nv) {
			continue
		}
		k, val := pairOf(m, f.key)
		if k == nil {
			e.addPair(m, f.key, ov, nv, flow)
		} else if !(f.omitEmpty && isZero(nv) && e.deletePair(k, val, flow)) {
			e.value(k, val, ov, nv, flow, k.Column-1)
		}
		if !e.ok {
			return
		}
	}
}

// pairOf returns the key and value nodes of key in mapping m (merged keys
// do not count: a key set by << is overridden by writing it here).
func pairOf(m *yaml.Node, key string) (k, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if c := m.Content[i]; c.Kind == yaml.ScalarNode && c.Value == key && c.Tag != "!!merge" {
			return c, m.Content[i+1]
		}
	}
	return nil, nil
}

// value edits the value val of key k (k is nil for a list entry, whose dash
// stands at column indent).
func (e *editor) value(k, val *yaml.Node, ov, nv reflect.Value, flow bool, indent int) {
	if len(e.uses[val]) > 0 {
		e.anchors = append(e.anchors, val)
		defer func() { e.anchors = e.anchors[:len(e.anchors)-1] }()
	}
	if val.Kind != yaml.AliasNode { // an alias is replaced by the value, never edited through
		switch nv.Kind() {
		case reflect.Struct:
			if val.Kind == yaml.MappingNode {
				e.mapping(val, ov, nv, flow)
				return
			}
		case reflect.Slice:
			if val.Kind == yaml.SequenceNode {
				e.sequence(k, val, ov, nv, flow, indent)
				return
			}
		default:
			if val.Kind == yaml.ScalarNode && !isNull(val) && e.scalar(val, nv, flow) {
				return
			}
		}
	}
	e.replace(k, val, ov, nv, flow, indent)
}

// scalar replaces a scalar's text in place, keeping its properties (&anchor)
// and its quoting style where the new value allows it.
func (e *editor) scalar(val *yaml.Node, nv reflect.Value, flow bool) bool {
	i := e.t.skipProps(e.t.offset(val))
	end := e.t.scalarEnd(val, i, flow)
	if end < 0 {
		return false
	}
	e.add(i, end, scalarText(nv, val.Style, flow))
	return true
}

// colonAfter is the offset just after the ":" that follows key k.
func (e *editor) colonAfter(k *yaml.Node) int {
	t := e.t
	i := t.skipProps(t.offset(k))
	end := -1
	if k.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		end = t.scalarEnd(k, i, true)
	} else if strings.HasPrefix(string(t.src[i:min(len(t.src), i+len(k.Value))]), k.Value) {
		end = i + len(k.Value) // a plain key is its own text
	}
	if end < 0 {
		return -1
	}
	for end < len(t.src) && (t.src[end] == ' ' || t.src[end] == '\t') {
		end++
	}
	if end < len(t.src) && t.src[end] == ':' {
		return end + 1
	}
	return -1
}

// valueEnd is the offset after a value written on one line (a scalar, a flow
// collection, an alias), or -1.
func (e *editor) valueEnd(val *yaml.Node, flow bool) int {
	t := e.t
	i := t.offset(val)
	switch val.Kind {
	case yaml.AliasNode:
		return i + 1 + len(val.Value)
	case yaml.ScalarNode:
		if isNull(val) && val.Value == "" {
			return -1 // an empty value has no text of its own
		}
		return t.scalarEnd(val, t.skipProps(i), flow)
	}
	if val.Style&yaml.FlowStyle != 0 {
		return t.flowEnd(t.skipProps(i))
	}
	return -1
}

// replace writes the whole value of key k (or of a list entry, k nil) anew.
func (e *editor) replace(k, val *yaml.Node, ov, nv reflect.Value, flow bool, indent int) {
	t := e.t
	// A section that was empty gets only what differs from the defaults it
	// stood for; anything else is written in full.
	base := reflect.Value{}
	wasEmpty := isNull(val) || val.Kind != yaml.AliasNode && val.Kind != yaml.ScalarNode && len(val.Content) == 0
	if wasEmpty && nv.Kind() == reflect.Struct {
		base = ov
	}
	keepFlow := val.Style&yaml.FlowStyle != 0 && !wasEmpty
	used := indent + 2 // the column the value starts at
	if k != nil {
		used = indent + len(k.Value) + 2
	}
	var newText string
	var block bool
	switch {
	case isScalarKind(nv.Type()):
		style := yaml.Style(0)
		if val.Kind == yaml.ScalarNode {
			style = val.Style
		}
		newText = scalarText(nv, style, flow)
	case flow || keepFlow || oneLine(nv, base, used):
		var b strings.Builder
		writeFlowBase(&b, nv, base)
		newText = b.String()
	default:
		block = true
	}

	if k == nil { // a list entry: "- " then the value
		start := t.skipProps(t.offset(val))
		if val.Kind == yaml.ScalarNode && isNull(val) && val.Value == "" {
			e.ok = false
			return
		}
		end := e.valueEnd(val, flow)
		if end < 0 { // a block entry: up to its last line
			end = e.lineContentEnd(t.blockEnd(t.lineOf(start), indent, false))
		}
		if block {
			newText = strings.TrimSuffix(itemsText(reflect.Append(reflect.MakeSlice(reflect.SliceOf(nv.Type()), 0, 1), nv), 0, 1, indent, autoItems), "\n")
			newText = strings.TrimPrefix(newText, strings.Repeat(" ", indent)+"- ")
		}
		e.add(start, end, newText)
		return
	}

	colon := e.colonAfter(k)
	if colon < 0 {
		e.ok = false
		return
	}
	if block {
		if nv.Kind() == reflect.Struct {
			newText = "\n" + strings.TrimSuffix(blockText(nv, base, indent+2), "\n")
		} else {
			newText = "\n" + strings.TrimSuffix(itemsText(nv, 0, nv.Len(), indent+2, autoItems), "\n")
		}
	} else {
		newText = " " + newText
	}
	keyLine := t.lineOf(t.offset(k))
	if val.Kind == yaml.MappingNode || val.Kind == yaml.SequenceNode {
		if val.Style&yaml.FlowStyle == 0 && val.Line > k.Line {
			// A block collection below the key: write the new value after the
			// colon, drop the old lines (keeping comment lines).
			e.add(colon, colon, newText)
			e.removeLines(keyLine+1, t.blockEnd(keyLine, indent, val.Kind == yaml.SequenceNode))
			return
		}
	}
	end := e.valueEnd(val, flow)
	switch {
	case isNull(val) && val.Value == "": // "key:" with nothing after it
		end = colon
	case end < 0: // a block scalar or a plain one folded over lines
		if val.Line != k.Line && val.Kind == yaml.ScalarNode && val.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
			e.ok = false // a plain scalar below its key: too unusual to splice
			return
		}
		end = e.lineContentEnd(t.blockEnd(t.lineOf(t.offset(val)), indent, false))
	}
	e.add(colon, end, newText)
}

// lineContentEnd is the offset of the newline ending line l (or the end).
func (e *editor) lineContentEnd(l int) int {
	end := e.t.lineEnd(l)
	for end > e.t.lineStart(l) && (e.t.src[end-1] == '\n' || e.t.src[end-1] == '\r') {
		end--
	}
	return end
}

// removeLines deletes lines first..last (0-based), except comment lines.
func (e *editor) removeLines(first, last int) {
	for l := first; l <= last; {
		if e.t.isComment(l) {
			l++
			continue
		}
		run := l
		for l <= last && !e.t.isComment(l) {
			l++
		}
		e.add(e.t.lineStart(run), e.t.lineEnd(l-1), "")
	}
}
