package config

import (
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"frontdoor/internal/lazyregexp"
)

// The emitter writes settings values as YAML text, for a new file and for
// the values a write adds or replaces in an existing one. It is small on
// purpose: the settings hold only text, whole numbers, true/false, sections
// and lists, and writing them ourselves lets a short section or list entry
// stay on one line as people write them ({key: docker-local, port: 5001}).

// lineWidth is the longest line the emitter writes on its own: a section or
// list entry that fits is written on one line.
const lineWidth = 100

// scalarText writes a string, number or boolean. style is the style the old
// value was written in (0 for a new value), kept where it can hold the new
// value; flow says the text sits inside [ ] or { }.
func scalarText(v reflect.Value, style yaml.Style, flow bool) string {
	var s string
	switch v.Kind() {
	case reflect.Bool:
		s = strconv.FormatBool(v.Bool())
	case reflect.Int:
		s = strconv.FormatInt(v.Int(), 10)
	default:
		s = v.String()
	}
	switch {
	case style&yaml.DoubleQuotedStyle != 0:
		return strconv.Quote(s) // Go's escapes are a subset of YAML's
	case style&yaml.SingleQuotedStyle != 0 && !strings.ContainsFunc(s, isControl):
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	case v.Kind() != reflect.String || plainOK(s, flow):
		return s
	}
	return strconv.Quote(s)
}

func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 || r == 0xfeff
}

// notText matches plain scalars YAML would read as something other than
// text: null, booleans (YAML 1.1 words too), numbers, timestamps, merge.
var notText = lazyregexp.New(`^(?:~|null|Null|NULL|[yY]|[nN]|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|<<` +
	`|[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?0[xXoObB][0-9a-fA-F_]+` +
	`|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)$`)

// plainOK reports whether s can be written without quotes and read back as
// the same text. It errs on the side of quoting.
func plainOK(s string, flow bool) bool {
	if s == "" || s != strings.TrimSpace(s) || strings.ContainsFunc(s, isControl) || strings.ContainsAny(s, "\t") {
		return false
	}
	if strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'\"%@`") || strings.HasSuffix(s, ":") ||
		strings.Contains(s, ": ") || strings.Contains(s, " #") {
		return false
	}
	if flow && strings.ContainsAny(s, ",[]{}") {
		return false
	}
	return !notText().MatchString(s)
}

// isScalarKind reports whether values of t are written as one scalar.
func isScalarKind(t reflect.Type) bool {
	k := t.Kind()
	return k == reflect.String || k == reflect.Int || k == reflect.Bool
}

// skip reports whether field f of struct v is left out: omitempty and zero.
func skip(v reflect.Value, f field) bool {
	return f.omitEmpty && isZero(v.Field(f.index))
}

func isZero(v reflect.Value) bool {
	if v.Kind() == reflect.Slice {
		return v.Len() == 0
	}
	return v.IsZero()
}

// flowText writes v on one line: a scalar, [a, b] or {key: value, …}.
func flowText(v reflect.Value) string {
	var b strings.Builder
	writeFlow(&b, v)
	return b.String()
}

func writeFlow(b *strings.Builder, v reflect.Value) { writeFlowBase(b, v, reflect.Value{}) }

// writeFlowBase is writeFlow leaving out the fields of a struct that equal
// base's (when base is valid), as blockText does.
func writeFlowBase(b *strings.Builder, v, base reflect.Value) {
	switch v.Kind() {
	case reflect.Slice:
		b.WriteByte('[')
		for i := range v.Len() {
			if i > 0 {
				b.WriteString(", ")
			}
			writeFlow(b, v.Index(i))
		}
		b.WriteByte(']')
	case reflect.Struct:
		b.WriteByte('{')
		first := true
		for _, f := range schemaOf(v.Type()).fields {
			if skip(v, f) || base.IsValid() && equalValues(v.Field(f.index), base.Field(f.index)) {
				continue
			}
			if !first {
				b.WriteString(", ")
			}
			first = false
			b.WriteString(f.key)
			b.WriteString(": ")
			writeFlow(b, v.Field(f.index))
		}
		b.WriteByte('}')
	default:
		b.WriteString(scalarText(v, 0, true))
	}
}

// oneLine reports whether v is best written on one line in flow style at a
// line that already holds used columns: a list of scalars always is; a
// section or list entry of scalars only, when it fits in lineWidth.
func oneLine(v, base reflect.Value, used int) bool {
	switch v.Kind() {
	case reflect.Slice:
		return v.Len() == 0 || isScalarKind(v.Type().Elem())
	case reflect.Struct:
		for _, f := range schemaOf(v.Type()).fields {
			if !isScalarKind(v.Type().Field(f.index).Type) {
				return false
			}
		}
		var b strings.Builder
		writeFlowBase(&b, v, base)
		return used+b.Len() <= lineWidth
	}
	return true
}

// blockText writes the fields of struct v as block lines indented by
// indent spaces, each ending in a newline. With base valid (a struct of the
// same type), only the fields that differ from it are written: a section
// added to a file holds only what the edit changed, like the rest of a file
// a person wrote, where keys left out keep their defaults.
func blockText(v, base reflect.Value, indent int) string {
	var b strings.Builder
	writeBlock(&b, v, base, indent)
	return b.String()
}

func writeBlock(b *strings.Builder, v, base reflect.Value, indent int) {
	pad := strings.Repeat(" ", indent)
	for _, f := range schemaOf(v.Type()).fields {
		fv := v.Field(f.index)
		var fb reflect.Value
		if base.IsValid() {
			fb = base.Field(f.index)
			if equalValues(fv, fb) {
				continue
			}
		} else if skip(v, f) {
			continue
		}
		b.WriteString(pad)
		b.WriteString(f.key)
		b.WriteString(":")
		writeValueAfterKey(b, fv, fb, indent, len(pad)+len(f.key)+2)
	}
}

// writeValueAfterKey writes a value that follows "key:" on its line: on the
// same line when it fits, else on the lines below, indented two more.
func writeValueAfterKey(b *strings.Builder, v, base reflect.Value, indent, used int) {
	switch {
	case isScalarKind(v.Type()):
		b.WriteByte(' ')
		b.WriteString(scalarText(v, 0, false))
		b.WriteByte('\n')
	case oneLine(v, base, used):
		b.WriteByte(' ')
		writeFlowBase(b, v, base)
		b.WriteByte('\n')
	case v.Kind() == reflect.Struct:
		b.WriteByte('\n')
		writeBlock(b, v, base, indent+2)
	default:
		b.WriteByte('\n')
		writeItems(b, v, 0, v.Len(), indent+2, autoItems)
	}
}

// itemStyle says how list entries of sections are written.
type itemStyle int

const (
	autoItems  itemStyle = iota // on one line when they fit ({key: a, port: 1}), else as blocks
	flowItems                   // on one line, like their neighbours in the file
	blockItems                  // as blocks (one key per line), like their neighbours
)

// writeItems writes list entries v[from:to] as "- " lines at indent.
func writeItems(b *strings.Builder, v reflect.Value, from, to, indent int, style itemStyle) {
	pad := strings.Repeat(" ", indent)
	for i := from; i < to; i++ {
		item := v.Index(i)
		b.WriteString(pad)
		b.WriteString("- ")
		if item.Kind() != reflect.Struct || style == flowItems || style == autoItems && oneLine(item, reflect.Value{}, indent+2) {
			writeFlow(b, item)
			b.WriteByte('\n')
			continue
		}
		// A block entry: its first key on the dash's line, the rest below it.
		var inner strings.Builder
		writeBlock(&inner, item, reflect.Value{}, indent+2)
		b.WriteString(strings.TrimPrefix(inner.String(), pad+"  "))
	}
}

// itemsText is writeItems as a string.
func itemsText(v reflect.Value, from, to, indent int, style itemStyle) string {
	var b strings.Builder
	writeItems(&b, v, from, to, indent, style)
	return b.String()
}

// equalValues compares settings values as the file sees them: an empty
// list equals a missing one.
func equalValues(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !equalValues(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for _, f := range schemaOf(a.Type()).fields {
			if !equalValues(a.Field(f.index), b.Field(f.index)) {
				return false
			}
		}
		return true
	}
	return a.Interface() == b.Interface()
}
