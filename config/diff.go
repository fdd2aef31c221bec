package config

import (
	"fmt"
	"reflect"
	"strings"
)

// ChangeKind says how a setting changed.
type ChangeKind int

const (
	Set     ChangeKind = iota // a value changed
	Added                     // a list entry was added
	Removed                   // a list entry was removed
)

// Change is one setting that differs between two File values, by path.
type Change struct {
	Kind ChangeKind
	Path string // "proxy.serverName", "proxy.docker.repositories[3]"
	Old  string // the old value as written in the file ({key: a, port: 1}); "" when Added
	New  string // the new value; "" when Removed
}

// String is one line: "proxy.serverName: a.example.com → b.example.com",
// "proxy.docker.repositories[3]: added {key: x, port: 5004}".
func (c Change) String() string {
	switch c.Kind {
	case Added:
		return fmt.Sprintf("%s: added %s", c.Path, c.New)
	case Removed:
		return fmt.Sprintf("%s: removed %s", c.Path, c.Old)
	}
	return fmt.Sprintf("%s: %s → %s", c.Path, c.Old, c.New)
}

// Diff lists the settings that differ from a to b, in file order. List
// entries are matched the way a person edits a list, so inserting one
// repository is one Added change, not a change of every entry after it.
// Indexes are b's for Set and Added, a's for Removed.
func Diff(a, b *File) []Change {
	var out []Change
	diffValue(&out, reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem(), "")
	return out
}

func diffValue(out *[]Change, a, b reflect.Value, path string) {
	if equalValues(a, b) {
		return
	}
	switch a.Kind() {
	case reflect.Struct:
		for _, f := range schemaOf(a.Type()).fields {
			diffValue(out, a.Field(f.index), b.Field(f.index), joinKey(path, f.key))
		}
	case reflect.Slice:
		if isScalarKind(a.Type().Elem()) {
			*out = append(*out, Change{Set, path, shown(a), shown(b)})
			return
		}
		for _, o := range align(a, b) {
			switch o.kind {
			case opEdit:
				diffValue(out, a.Index(o.o), b.Index(o.n), fmt.Sprintf("%s[%d]", path, o.n))
			case opDel:
				*out = append(*out, Change{Removed, fmt.Sprintf("%s[%d]", path, o.o), shown(a.Index(o.o)), ""})
			case opIns:
				*out = append(*out, Change{Added, fmt.Sprintf("%s[%d]", path, o.n), "", shown(b.Index(o.n))})
			}
		}
	default:
		*out = append(*out, Change{Set, path, shown(a), shown(b)})
	}
}

// shown writes a value for a change line: as in a file, with "" for empty text.
func shown(v reflect.Value) string {
	if v.Kind() == reflect.String && v.String() == "" {
		return `""`
	}
	s := flowText(v)
	if r := []rune(s); len(r) > 80 {
		s = string(r[:79]) + "…"
	}
	return strings.TrimSpace(s)
}
