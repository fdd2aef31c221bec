package tui

import (
	"fmt"
	"maps"
	"reflect"
	"sort"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// View is pure (issue 8): layout happens in Update, View only draws. A walk
// through the screens (home, the HTTP steps, the preview focused, the
// review step, the LDAP list, the Check screen, the help, another window
// size) takes, at each point, a deep snapshot of everything the model
// reaches (scroll offsets, laid-out lines, focus, caches), calls View
// twice, and requires the same state after and the same frame both times.
func TestViewIsPure(t *testing.T) {
	m := newModel(t, exampleYAML, 120, 40)
	requirePureView(t, m, []viewStep{
		{"home", func() {}},
		{"HTTP steps", func() { press(t, m, "1") }},
		{"next step", func() { press(t, m, "pgdown", "pgdown") }},
		{"preview focused", func() { press(t, m, "ctrl+p") }},
		{"preview search", func() { press(t, m, "/"); typeText(t, m, "listen") }},
		{"narrow", func() { press(t, m, "esc", "esc"); send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24}) }},
		{"narrow preview", func() { press(t, m, "ctrl+p") }},
		{"review", func() { press(t, m, "esc", "pgdown", "pgdown", "pgdown", "pgdown") }},
		{"help", func() { press(t, m, "?") }},
		{"home again", func() {
			for i := 0; i < 10 && m.screen != screenHome; i++ {
				press(t, m, "esc")
			}
			send(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
		}},
		{"LDAP list", func() { press(t, m, "2") }},
		{"LDAP form", func() { press(t, m, "enter") }},
		{"home from LDAP", func() { press(t, m, "esc", "esc") }},
		{"Check", func() { press(t, m, "4") }},
		{"Check help", func() { press(t, m, "?") }},
		{"quit dialog", func() { press(t, m, "esc", "esc", "1", "pgdown", "pgdown"); typeText(t, m, "x"); press(t, m, "ctrl+c") }},
	})
	if m.confirm == nil || m.screen != screenHTTP {
		t.Errorf("the walk did not end on the quit dialog:\n%s", screenText(m))
	}

	// The import: its offer, and its panel under the review step, focused
	// and searched.
	_, _, opt := importTarget(t)
	m = newModel(t, exampleYAML, 80, 24, opt)
	requirePureView(t, m, []viewStep{
		{"import offer", func() {}},
		{"import panel", func() { press(t, m, "i") }},
		{"import panel focused", func() { press(t, m, "ctrl+o", "G") }},
		{"import panel search", func() { press(t, m, "/"); typeText(t, m, "server") }},
	})
	if !m.imp.Focused() || !m.imp.Capturing() {
		t.Errorf("the walk did not end in the import panel's search:\n%s", screenText(m))
	}
}

type viewStep struct {
	name string
	do   func()
}

// requirePureView takes each step, then requires View to leave the model
// as it was and to draw the same frame twice.
func requirePureView(t *testing.T, m *Model, steps []viewStep) {
	t.Helper()
	for _, step := range steps {
		step.do()
		before := snapshot(m)
		first := m.View().Content
		second := m.View().Content
		if after := snapshot(m); after != before {
			t.Errorf("%s: View changed the model:\n%s", step.name, firstDiff(before, after))
		}
		if first != second {
			t.Errorf("%s: two Views of the same model differ", step.name)
		}
	}
}

// snapshot is everything reachable from v, in words: every field, through
// pointers (each once), interfaces, slices and maps (entries sorted); a
// func or channel is only nil or not.
func snapshot(v any) string {
	w := snapshotter{seen: map[[2]uintptr]bool{}}
	var b strings.Builder
	w.walk(&b, reflect.ValueOf(v))
	return b.String()
}

type snapshotter struct{ seen map[[2]uintptr]bool }

// opaque are packages whose values the model holds but whose insides are
// theirs: the highlighter's compiled lexers and regular expressions keep
// caches and pools of their own, and sync.Pool changes with the GC.
var opaque = []string{"github.com/alecthomas/chroma", "github.com/dlclark/regexp2", "sync"}

func (w snapshotter) walk(b *strings.Builder, v reflect.Value) {
	if v.IsValid() && v.Kind() == reflect.Struct {
		for _, p := range opaque {
			if pkg := v.Type().PkgPath(); pkg == p || strings.HasPrefix(pkg, p+"/") {
				b.WriteString(v.Type().String())
				return
			}
		}
	}
	switch v.Kind() {
	case reflect.Invalid:
		b.WriteString("<invalid>")
	case reflect.Pointer:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		key := [2]uintptr{v.Pointer(), reflect.ValueOf(v.Type()).Pointer()}
		if w.seen[key] {
			b.WriteString("<seen>")
			return
		}
		w.seen[key] = true
		b.WriteString("&")
		w.walk(b, v.Elem())
	case reflect.Interface:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		b.WriteString(v.Elem().Type().String() + ":")
		w.walk(b, v.Elem())
	case reflect.Struct:
		b.WriteString("{")
		for i := range v.NumField() {
			b.WriteString(v.Type().Field(i).Name + ":")
			w.walk(b, v.Field(i))
			b.WriteString(" ")
		}
		b.WriteString("}")
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			b.WriteString("nil")
			return
		}
		fmt.Fprintf(b, "[%d:", v.Len())
		for i := range v.Len() {
			w.walk(b, v.Index(i))
			b.WriteString(",")
		}
		b.WriteString("]\n")
	case reflect.Map:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		// In the order of the keys' words, so that which value is
		// walked first (and which are "<seen>" after) does not vary.
		type entry struct {
			key  string
			k, v reflect.Value
		}
		var entries []entry
		for iter := v.MapRange(); iter.Next(); {
			var k strings.Builder
			(snapshotter{seen: maps.Clone(w.seen)}).walk(&k, iter.Key())
			entries = append(entries, entry{k.String(), iter.Key(), iter.Value()})
		}
		sort.SliceStable(entries, func(i, j int) bool { return entries[i].key < entries[j].key })
		b.WriteString("map[")
		for _, e := range entries {
			w.walk(b, e.k)
			b.WriteString("=")
			w.walk(b, e.v)
			b.WriteString(",")
		}
		b.WriteString("]\n")
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		fmt.Fprintf(b, "%s(nil=%v)", v.Kind(), v.IsNil())
	case reflect.String:
		fmt.Fprintf(b, "%q", v.String())
	case reflect.Bool:
		fmt.Fprint(b, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		fmt.Fprint(b, v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		fmt.Fprint(b, v.Uint())
	case reflect.Float32, reflect.Float64:
		fmt.Fprint(b, v.Float())
	case reflect.Complex64, reflect.Complex128:
		fmt.Fprint(b, v.Complex())
	default:
		b.WriteString(v.Kind().String())
	}
}

// firstDiff shows where two snapshots part.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-300)
	return "before: …" + a[from:min(len(a), i+200)] + "\nafter:  …" + b[from:min(len(b), i+200)]
}
