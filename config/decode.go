package config

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"frontdoor/finding"
	"frontdoor/internal/nearest"
)

// The decoder fills a File from the parsed node tree, walking the tree
// against the structs' yaml tags. Doing it here rather than with yaml's own
// decoder gives every problem its settings path, its line and the expected
// type in words, rejects decimals for whole numbers instead of truncating
// them, suggests the key a misspelt one meant, and bounds what aliases can
// expand to.

// MaxExpandedValues bounds the values decoded, counting each use of an
// alias (*name) as a copy of what it names: 10,000 aliases of one Docker
// repository pass, a "billion laughs" of nested aliases stops at once.
const MaxExpandedValues = 200_000

type decoder struct {
	problems []Problem
	budget   int
	active   map[*yaml.Node]bool // aliases being expanded: an alias inside its own anchor is a loop
	stopped  bool
}

// decodeFile decodes the document node (nil: an empty file) into a File
// that starts from the defaults, so keys left out keep them.
func decodeFile(doc *yaml.Node) (*File, error) {
	f := NewFile()
	if doc == nil || len(doc.Content) == 0 {
		return f, nil
	}
	root := doc.Content[0]
	if isNull(root) {
		return f, nil // only comments
	}
	d := &decoder{budget: MaxExpandedValues, active: map[*yaml.Node]bool{}}
	if deref(root).Kind != yaml.MappingNode {
		return nil, &Error{Problems: []Problem{{Line: root.Line, Message: "expected the sections proxy:, ldap: and save: (key: value lines), got " + got(deref(root))}}}
	}
	d.value(root, reflect.ValueOf(f).Elem(), nil)
	if len(d.problems) > 0 {
		return nil, &Error{Problems: dedupProblems(d.problems)}
	}
	f.HasProxy = lookup(deref(root), "proxy") != nil
	return f, nil
}

func (d *decoder) fail(n *yaml.Node, path *keyPath, format string, args ...any) {
	d.problems = append(d.problems, Problem{Line: n.Line, Key: path.String(), Message: fmt.Sprintf(format, args...)})
}

// keyPath is the settings path of the value being decoded, built as the
// decoder descends and written out only when a problem names it.
type keyPath struct {
	up    *keyPath
	key   string // "" for a list entry
	index int
}

func (p *keyPath) String() string {
	if p == nil {
		return ""
	}
	if p.key == "" {
		return fmt.Sprintf("%s[%d]", p.up, p.index)
	}
	return joinKey(p.up.String(), p.key)
}

// last is the key the value belongs to (a list entry's: its list's).
func (p *keyPath) last() string {
	for ; p != nil; p = p.up {
		if p.key != "" {
			return p.key
		}
	}
	return ""
}

// value decodes n into v; path is the settings path of v ("proxy.routerPort").
func (d *decoder) value(n *yaml.Node, v reflect.Value, path *keyPath) {
	if d.stopped {
		return
	}
	if d.budget--; d.budget < 0 {
		d.stopped = true
		d.fail(n, nil, "the settings expand to more than %s values through aliases (*name): that is no settings file", finding.Count(MaxExpandedValues))
		return
	}
	if n.Kind == yaml.AliasNode {
		if d.active[n] {
			d.fail(n, path, "*%s is used inside its own anchor &%s: a loop", n.Value, n.Value)
			return
		}
		d.active[n] = true
		d.value(n.Alias, v, path)
		delete(d.active, n)
		return
	}
	key := path.last()
	if isNull(n) {
		switch v.Kind() {
		case reflect.String, reflect.Slice:
			v.SetZero()
		case reflect.Struct: // an empty section: all defaults
		default:
			d.fail(n, path, "expected %s, got nothing", expected(v.Type(), key))
		}
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			d.fail(n, path, "expected %s, got %s", expected(v.Type(), key), got(n))
			return
		}
		d.mapping(n, v, path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.fail(n, path, "expected %s, got %s", expected(v.Type(), key), got(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			elem := s.Index(i)
			elem.Set(newElem(v.Type().Elem()))
			d.value(item, elem, &keyPath{up: path, index: i})
			finishElem(elem, deref(item))
		}
		v.Set(s)
	default:
		if n.Kind != yaml.ScalarNode {
			d.fail(n, path, "expected %s, got %s", expected(v.Type(), key), got(n))
			return
		}
		if ok, note := setScalar(v, n.Value); !ok {
			d.fail(n, path, "expected %s, got %s%s", expected(v.Type(), key), got(n), note)
		}
	}
}

// setScalar sets a string, int or bool from a scalar's text. When the text
// does not fit, note may add to the message (" (too large)").
func setScalar(v reflect.Value, s string) (ok bool, note string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Int:
		i, err := parseWhole(s)
		if err == strconv.ErrRange {
			return false, " (too large)"
		} else if err != nil {
			return false, ""
		}
		v.SetInt(int64(i))
	case reflect.Bool:
		b, ok := parseBool(s)
		if !ok {
			return false, ""
		}
		v.SetBool(b)
	}
	return true, ""
}

// parseWhole reads a whole number: decimal digits with an optional sign
// (leading zeros stay decimal: 0080 is 80), or 0x/0o/0b as YAML 1.2 writes
// them. 8082.9 and 8082.0 are not whole numbers: an error, never truncated.
func parseWhole(s string) (int, error) {
	t := strings.TrimLeft(s, "+-")
	if len(s)-len(t) > 1 || t == "" {
		return 0, strconv.ErrSyntax
	}
	base := 10
	if len(t) > 2 && t[0] == '0' && strings.ContainsRune("xXoObB", rune(t[1])) {
		base = 0
	} else if strings.Trim(t, "0123456789") != "" {
		return 0, strconv.ErrSyntax
	}
	i, err := strconv.ParseInt(s, base, strconv.IntSize)
	if ne, ok := err.(*strconv.NumError); ok {
		return 0, ne.Err
	}
	return int(i), nil
}

// parseBool reads true/false and, as yaml.v3 does for typed booleans, the
// YAML 1.1 words yes/no/on/off.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true", "yes", "on", "y":
		return true, true
	case "false", "no", "off", "n":
		return false, true
	}
	return false, false
}

// mapping decodes a mapping node into struct v: merge keys (<<: *base)
// first, so keys written here win over merged ones wherever they stand.
func (d *decoder) mapping(n *yaml.Node, v reflect.Value, path *keyPath) {
	s := schemaOf(v.Type())
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			d.merge(n.Content[i+1], v, path)
		}
	}
	var seen uint64          // the fields set so far, by position (a settings struct has fewer than 64)
	var unknown []*yaml.Node // keys nothing here is near: one problem for them all
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := deref(n.Content[i]), n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			continue
		}
		if k.Kind != yaml.ScalarNode {
			d.fail(k, path, "a key must be a name, got %s", got(k))
			continue
		}
		kpath := &keyPath{up: path, key: k.Value}
		fi, ok := s.byKey[k.Value]
		if !ok {
			if msg := unknownKey(k.Value, s); msg != "" {
				d.fail(k, kpath, "%s", msg)
			} else {
				unknown = append(unknown, k)
			}
			continue
		}
		if seen&(1<<fi) != 0 {
			d.fail(k, kpath, "set twice (lines %d and %d): keep one", firstLine(n, k.Value), k.Line)
			continue
		}
		seen |= 1 << fi
		d.value(val, v.Field(s.fields[fi].index), kpath)
	}
	d.unknownKeys(unknown, s, path)
}

// namedUnknown is how many keys of a mapping an unknown-keys problem names
// before "and N more".
const namedUnknown = 3

// unknownKeys reports the keys of one mapping that nothing here is near in
// one problem, at the first of them: a file of other keys (another tool's
// YAML, an alias bomb on keys the settings do not have) is one clear line,
// not a line per key.
func (d *decoder) unknownKeys(keys []*yaml.Node, s *structSchema, path *keyPath) {
	here := "the keys here are " + strings.Join(s.keys(), ", ")
	switch len(keys) {
	case 0:
	case 1:
		d.fail(keys[0], &keyPath{up: path, key: keys[0].Value}, "unknown key; %s", here)
	default:
		shown, more := finding.Cap(keys, namedUnknown)
		names := make([]string, len(shown))
		for i, k := range shown {
			names[i] = k.Value
		}
		list := strings.Join(names, ", ")
		if more > 0 {
			list += " and " + finding.Count(more) + " more"
		}
		d.fail(keys[0], path, "%s unknown keys (%s); %s", finding.Count(len(keys)), list, here)
	}
}

// merge applies a merge key's value: a mapping, an alias of one, or a list of them.
// firstLine is the line where key is first set in mapping m.
func firstLine(m *yaml.Node, key string) int {
	k, _ := pairOf(m, key)
	return k.Line
}

func (d *decoder) merge(n *yaml.Node, v reflect.Value, path *keyPath) {
	switch m := deref(n); m.Kind {
	case yaml.MappingNode:
		d.value(n, v, path)
	case yaml.SequenceNode:
		for _, item := range m.Content {
			if deref(item).Kind != yaml.MappingNode {
				d.fail(item, path, "<< merges mappings (key: value), got %s", got(deref(item)))
				continue
			}
			d.value(item, v, path)
		}
	default:
		d.fail(n, path, "<< merges mappings (key: value), got %s", got(m))
	}
}

// unknownKey says what a key nobody knows probably meant: a near spelling
// here, or the same key in another section (wrong indentation); "" when
// nothing is near (unknownKeys lists the keys that belong here).
func unknownKey(key string, s *structSchema) string {
	if near := nearest.Closest(key, s.keys()); near != "" {
		return fmt.Sprintf("unknown key; did you mean %s?", near)
	}
	for k, parents := range keyPaths() {
		if strings.EqualFold(k, key) {
			where := make([]string, len(parents))
			for i, p := range parents {
				where[i] = cmpOr(p, "the top level")
			}
			return fmt.Sprintf("unknown key here; %s belongs under %s (check the indentation)", k, strings.Join(where, " or "))
		}
	}
	return ""
}

func cmpOr(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// got describes a node for "expected …, got …".
func got(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a section (key: value)"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if isNull(n) {
			return "nothing"
		}
		v := n.Value
		if r := []rune(v); len(r) > 40 {
			v = string(r[:40]) + "…"
		}
		return strconv.Quote(v)
	}
	return "something else"
}

// deref follows an alias to the node it names.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// lookup returns the value of key in a mapping node, or nil.
func lookup(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key && m.Content[i].Kind == yaml.ScalarNode {
			return m.Content[i+1]
		}
	}
	return nil
}

// dedupProblems collapses the same problem reached many times through
// aliases (the same line and message), so output never multiplies.
func dedupProblems(ps []Problem) []Problem {
	seen := make(map[Problem]bool, len(ps))
	out := ps[:0:0]
	for _, p := range ps {
		k := p
		k.Key = finding.WithoutIndexes(k.Key) // the same shape, as findings count it
		if !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	return out
}
