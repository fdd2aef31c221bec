package config

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// The settings' shape comes from the Go types' yaml tags, read once per type:
// the decoder, the diff and the writer walk the same fields in the same order.

type field struct {
	key       string // the yaml key
	index     int    // in the Go struct
	omitEmpty bool
}

type structSchema struct {
	fields []field
	byKey  map[string]int // key → position in fields
}

var schemas sync.Map // reflect.Type → *structSchema

func schemaOf(t reflect.Type) *structSchema {
	if s, ok := schemas.Load(t); ok {
		return s.(*structSchema)
	}
	s := &structSchema{byKey: map[string]int{}}
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("yaml")
		if tag == "-" || !sf.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = strings.ToLower(sf.Name)
		}
		checkKind(t, sf.Type)
		if len(s.fields) == 64 {
			panic(fmt.Sprintf("config: %s has more than 64 settings, which the decoder's duplicate check does not count", t))
		}
		s.byKey[name] = len(s.fields)
		s.fields = append(s.fields, field{key: name, index: i, omitEmpty: slices.Contains(strings.Split(opts, ","), "omitempty")})
	}
	schemas.Store(t, s)
	return s
}

// checkKind panics on a field type the decoder and writer do not handle: a
// programming error, caught by every test that loads settings.
func checkKind(owner, t reflect.Type) {
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Struct:
	case reflect.Slice:
		checkKind(owner, t.Elem())
	default:
		panic(fmt.Sprintf("config: %s has a field of kind %s, which frontdoor.yaml cannot hold", owner, t.Kind()))
	}
}

func (s *structSchema) keys() []string {
	keys := make([]string, len(s.fields))
	for i, f := range s.fields {
		keys[i] = f.key
	}
	return keys
}

// expected says in words what a field of type t holds, for "expected …, got …".
func expected(t reflect.Type, key string) string {
	switch t.Kind() {
	case reflect.Int:
		lower := strings.ToLower(key)
		switch {
		case strings.HasSuffix(lower, "port"):
			return "a whole number (a port)"
		case key == "keep":
			return "a whole number (how many backups to keep)"
		case key == "verifyDepth":
			return "a whole number (a depth)"
		}
		return "a whole number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "text"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Struct {
			return "a list of entries (lines starting with -)"
		}
		return "a list (lines starting with -, or [a, b])"
	}
	return "a section (key: value lines)"
}

// keyPaths lists, for every key of the settings, where it belongs
// ("serverName" → "proxy"), so a key at the wrong level can be placed.
var keyPaths = sync.OnceValue(func() map[string][]string {
	m := map[string][]string{}
	var walk func(t reflect.Type, path string)
	walk = func(t reflect.Type, path string) {
		for t.Kind() == reflect.Slice {
			t, path = t.Elem(), path+"[]"
		}
		if t.Kind() != reflect.Struct {
			return
		}
		s := schemaOf(t)
		for _, f := range s.fields {
			if !slices.Contains(m[f.key], path) {
				m[f.key] = append(m[f.key], path)
			}
			walk(t.Field(f.index).Type, joinKey(path, f.key))
		}
	}
	walk(reflect.TypeFor[File](), "")
	return m
})

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
