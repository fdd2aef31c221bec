package config

import (
	"bytes"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// fastParse reads the YAML settings files are written in (block mappings and
// lists, one-line flow collections such as {key: a, port: 5001}, one-line
// plain and quoted values, comments, blank lines) into the same node tree
// yaml.v3 builds, about ten times faster: the parse is most of what a
// command with 1,000 Docker repositories spends on its settings. It returns
// ok=false at the first thing outside that subset (anchors, aliases, tags,
// block scalars, values over several lines, escapes, document markers, tabs,
// complex keys) and the caller parses with yaml.v3, which is the reference:
// TestFastParseAgreesWithYAML and FuzzFastParse hold the two to the same
// tree. Only what the decoder and the editor read is built: kinds, values,
// quoting and flow styles, positions, and the null tag; comments stay in
// the bytes.
func fastParse(src []byte) (doc *yaml.Node, ok bool) {
	p := &fastParser{src: src, str: string(src)}
	if !p.splitLines() {
		return nil, false
	}
	defer func() {
		if recover() != nil { // a bail-out deep in the recursion
			doc, ok = nil, false
		}
	}()
	p.skipEmpty()
	if p.l == len(p.lines) {
		return nil, false // no content: yaml.v3 says what it says about that
	}
	root := p.block(p.lines[p.l].indent)
	if p.skipEmpty(); p.l != len(p.lines) {
		return nil, false // content left at a smaller indentation: not ours to judge
	}
	return &yaml.Node{Kind: yaml.DocumentNode, Line: root.Line, Column: root.Column, Content: []*yaml.Node{root}}, true
}

type fastLine struct {
	start, end int // the line's bytes, without its line break
	indent     int
	empty      bool // blank or only a comment
}

type fastParser struct {
	src   []byte
	str   string // src as one string: values are slices of it, not copies
	lines []fastLine
	l     int         // the current line
	slab  []yaml.Node // nodes are handed out from here, not allocated one by one
}

// flowStop marks the bytes that end a plain value inside [ ] or { }.
var flowStop = [256]bool{',': true, '[': true, ']': true, '{': true, '}': true, '#': true}

// indicator marks the bytes a plain value may not start with.
var indicator = [256]bool{'-': true, '?': true, ':': true, ',': true, '[': true, ']': true, '{': true, '}': true, '#': true,
	'&': true, '*': true, '!': true, '|': true, '>': true, '\'': true, '"': true, '%': true, '@': true, '`': true}

// bail gives up: the input is outside the subset.
type bail struct{}

func (p *fastParser) bail() { panic(bail{}) }

func (p *fastParser) splitLines() bool {
	src := p.src
	if bytes.HasPrefix(src, []byte("\uFEFF")) || !printable(src) {
		return false
	}
	p.lines = make([]fastLine, 0, bytes.Count(src, []byte("\n"))+1)
	for start := 0; start < len(src); {
		end := bytes.IndexByte(src[start:], '\n')
		next := start + end + 1
		if end < 0 {
			end, next = len(src)-start, len(src)
		}
		end += start
		if end > start && src[end-1] == '\r' {
			end--
		}
		ln := fastLine{start: start, end: end}
		i := start
		for i < end && src[i] == ' ' {
			i++
		}
		ln.indent = i - start
		switch {
		case i == end || src[i] == '#':
			ln.empty = true
		case src[i] == '\t' || src[i] == '\r':
			return false
		case ln.indent == 0 && end-i >= 3 && (bytes.HasPrefix(src[i:], []byte("---")) || bytes.HasPrefix(src[i:], []byte("..."))):
			return false // document markers
		case src[i] == '%':
			return false // directives
		}
		if bytes.IndexByte(src[start:end], '\t') >= 0 {
			return false
		}
		p.lines = append(p.lines, ln)
		start = next
	}
	return true
}

// printable reports whether src holds only characters YAML allows (tabs
// aside, which splitLines declines anyway).
func printable(src []byte) bool {
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError || r >= 0x80 && r <= 0x9f && r != 0x85 || r == 0xfeff || r == 0xfffe || r == 0xffff {
			return false
		}
		i += size
	}
	return true
}

func (p *fastParser) skipEmpty() {
	for p.l < len(p.lines) && p.lines[p.l].empty {
		p.l++
	}
}

// pos is the 1-based line and column (in characters) of byte offset i on line l.
func (p *fastParser) pos(l, i int) (int, int) {
	start := p.lines[l].start
	for j := start; j < i; j++ {
		if p.src[j] >= utf8.RuneSelf {
			return l + 1, utf8.RuneCount(p.src[start:i]) + 1
		}
	}
	return l + 1, i - start + 1
}

func (p *fastParser) node(kind yaml.Kind, l, i int) *yaml.Node {
	if len(p.slab) == 0 {
		p.slab = make([]yaml.Node, min(1024, 8+len(p.lines)*2))
	}
	n := &p.slab[0]
	p.slab = p.slab[1:]
	n.Kind = kind
	n.Line, n.Column = p.pos(l, i)
	return n
}

// block parses the block collection whose first line is the current one,
// at indentation indent.
func (p *fastParser) block(indent int) *yaml.Node {
	ln := p.lines[p.l]
	if isDash(p.src[ln.start+ln.indent : ln.end]) {
		return p.sequence(indent)
	}
	return p.mapping(p.l, ln.start+indent, indent)
}

// sequence parses "- " entries at indent.
func (p *fastParser) sequence(indent int) *yaml.Node {
	ln := p.lines[p.l]
	seq := p.node(yaml.SequenceNode, p.l, ln.start+indent)
	seq.Tag = "!!seq"
	for p.skipEmpty(); p.l < len(p.lines); p.skipEmpty() {
		ln = p.lines[p.l]
		rest := p.src[ln.start+ln.indent : ln.end]
		if ln.indent != indent || !isDash(rest) {
			break
		}
		i := ln.start + indent + 1
		for i < ln.end && p.src[i] == ' ' {
			i++
		}
		if i == ln.end || p.src[i] == '#' || p.src[i] == '-' || p.src[i] == '?' {
			p.bail() // an entry below its dash, or a list in a list
		}
		if p.keyAt(i) {
			seq.Content = append(seq.Content, p.mapping(p.l, i, i-ln.start))
			continue
		}
		seq.Content = append(seq.Content, p.lineValue(i))
	}
	return seq
}

// mapping parses "key: value" entries at indent; the first one starts at
// byte i of line l (after a dash, it is not the line's first text).
func (p *fastParser) mapping(l, i, indent int) *yaml.Node {
	m := p.node(yaml.MappingNode, l, i)
	m.Tag = "!!map"
	first := true
	for {
		if !first {
			p.skipEmpty()
			if p.l >= len(p.lines) {
				break
			}
			ln := p.lines[p.l]
			if ln.indent != indent || isDash(p.src[ln.start+ln.indent:ln.end]) {
				if ln.indent > indent {
					p.bail() // more indented text after a value: a continuation
				}
				break
			}
			i = ln.start + indent
		}
		first = false
		key, colon := p.key(i)
		m.Content = append(m.Content, key)
		j := colon + 1
		end := p.lines[p.l].end
		for j < end && p.src[j] == ' ' {
			j++
		}
		if j < end && p.src[j] != '#' {
			m.Content = append(m.Content, p.lineValue(j))
			continue
		}
		// The value is below the key, or there is none.
		null := p.node(yaml.ScalarNode, p.l, colon+1)
		null.Tag = "!!null"
		p.l++
		p.skipEmpty()
		if p.l < len(p.lines) {
			ln := p.lines[p.l]
			dash := isDash(p.src[ln.start+ln.indent : ln.end])
			if ln.indent > indent || ln.indent == indent && dash {
				m.Content = append(m.Content, p.block(ln.indent))
				continue
			}
		}
		m.Content = append(m.Content, null)
	}
	return m
}

// keyAt reports whether a plain "key:" starts at byte i of the current line.
func (p *fastParser) keyAt(i int) bool {
	end := p.lines[p.l].end
	for j := i; j < end; j++ {
		c := p.src[j]
		if c == ':' {
			return j > i && (j+1 == end || p.src[j+1] == ' ')
		}
		if !isKeyByte(c) {
			return false
		}
	}
	return false
}

func isKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
}

// key reads a plain key at byte i of the current line; colon is the offset
// of its ":".
func (p *fastParser) key(i int) (*yaml.Node, int) {
	if !p.keyAt(i) || p.src[i] == '-' || p.src[i] == '.' {
		p.bail()
	}
	j := i
	for p.src[j] != ':' {
		j++
	}
	k := p.node(yaml.ScalarNode, p.l, i)
	k.Tag, k.Value = "!!str", p.str[i:j]
	return k, j
}

// lineValue reads the value at byte i of the current line, which must end
// the line (a comment may follow), and moves to the next line.
func (p *fastParser) lineValue(i int) *yaml.Node {
	end := p.lines[p.l].end
	var n *yaml.Node
	var j int
	switch p.src[i] {
	case '[', '{':
		n, j = p.flow(i, end)
	case '"', '\'':
		n, j = p.quoted(i, end)
	default:
		j = i
		for j < end && !(p.src[j] == '#' && p.src[j-1] == ' ') {
			j++
		}
		for j > i && p.src[j-1] == ' ' {
			j--
		}
		n = p.plain(i, j, false)
	}
	for j < end && p.src[j] == ' ' {
		j++
	}
	if j < end && (p.src[j] != '#' || p.src[j-1] != ' ') {
		p.bail() // text after the value
	}
	p.l++
	return n
}

// plain makes the plain scalar src[i:j]; flow says it stands in [ ] or { }.
func (p *fastParser) plain(i, j int, flow bool) *yaml.Node {
	s := p.src[i:j]
	if len(s) == 0 || indicator[s[0]] && !(len(s) > 1 && (s[0] == '-' || s[0] == '?' || s[0] == ':') && s[1] != ' ' && !flow) {
		p.bail()
	}
	for k, c := range s {
		if c == ':' && (k+1 == len(s) || s[k+1] == ' ') || c == '#' && k > 0 && s[k-1] == ' ' || flow && flowStop[c] {
			p.bail()
		}
	}
	n := p.node(yaml.ScalarNode, p.l, i)
	n.Value = p.str[i:j]
	n.Tag = "!!str"
	switch n.Value {
	case "~", "null", "Null", "NULL":
		n.Tag = "!!null"
	case "<<":
		p.bail()
	}
	return n
}

// quoted reads a quoted scalar at i that closes on the same line; escapes in
// double quotes are left to yaml.v3.
func (p *fastParser) quoted(i, end int) (*yaml.Node, int) {
	q := p.src[i]
	var val []byte
	j := i + 1
	for ; ; j++ {
		if j >= end {
			p.bail()
		}
		c := p.src[j]
		if q == '"' && c == '\\' {
			p.bail()
		}
		if c == q {
			if q == '\'' && j+1 < end && p.src[j+1] == '\'' {
				val = append(val, '\'')
				j++
				continue
			}
			break
		}
		val = append(val, c)
	}
	n := p.node(yaml.ScalarNode, p.l, i)
	n.Tag, n.Value, n.Style = "!!str", string(val), yaml.DoubleQuotedStyle
	if q == '\'' {
		n.Style = yaml.SingleQuotedStyle
	}
	return n, j + 1
}

// flow reads a flow collection at i that closes on the same line.
func (p *fastParser) flow(i, end int) (*yaml.Node, int) {
	open := p.src[i]
	n := p.node(yaml.SequenceNode, p.l, i)
	n.Tag, n.Style = "!!seq", yaml.FlowStyle
	closer := byte(']')
	if open == '{' {
		n.Kind, n.Tag, closer = yaml.MappingNode, "!!map", '}'
	}
	j := p.spaces(i+1, end)
	if j < end && p.src[j] == closer {
		return n, j + 1
	}
	for {
		if open == '{' {
			k, colon := p.flowKey(j, end)
			n.Content = append(n.Content, k)
			j = p.spaces(colon+1, end)
		}
		var item *yaml.Node
		item, j = p.flowValue(j, end)
		n.Content = append(n.Content, item)
		j = p.spaces(j, end)
		if j >= end {
			p.bail()
		}
		switch p.src[j] {
		case ',':
			j = p.spaces(j+1, end)
			if j < end && p.src[j] == closer {
				p.bail() // a trailing comma
			}
		case closer:
			return n, j + 1
		default:
			p.bail()
		}
	}
}

func (p *fastParser) spaces(j, end int) int {
	for j < end && p.src[j] == ' ' {
		j++
	}
	return j
}

// flowKey reads "key:" followed by a space inside { }.
func (p *fastParser) flowKey(i, end int) (*yaml.Node, int) {
	j := i
	for j < end && isKeyByte(p.src[j]) {
		j++
	}
	if j == i || j+1 >= end || p.src[j] != ':' || p.src[j+1] != ' ' || p.src[i] == '-' || p.src[i] == '.' {
		p.bail()
	}
	k := p.node(yaml.ScalarNode, p.l, i)
	k.Tag, k.Value = "!!str", p.str[i:j]
	return k, j
}

// flowValue reads one value inside [ ] or { }.
func (p *fastParser) flowValue(i, end int) (*yaml.Node, int) {
	if i >= end {
		p.bail()
	}
	switch p.src[i] {
	case '[', '{':
		return p.flow(i, end)
	case '"', '\'':
		return p.quoted(i, end)
	}
	j := i
	for ; j < end; j++ {
		c := p.src[j]
		if flowStop[c] || c == ':' && (j+1 == end || p.src[j+1] == ' ' || flowStop[p.src[j+1]]) {
			break
		}
	}
	k := j
	for k > i && p.src[k-1] == ' ' {
		k--
	}
	return p.plain(i, k, true), j
}
