package form

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"frontdoor/tui/common"
	"frontdoor/tui/internal/tuitest"
)

type doc struct {
	Name string
	Port int
	On   bool
	Mode string
}

func fields() []Field[doc] {
	return []Field[doc]{
		{Kind: Text, Label: "Name", Path: "name", Get: func(d *doc) string { return d.Name }, Set: func(d *doc, v string) { d.Name = v }},
		{Kind: Number, Label: "Port", Path: "port", Limit: 5,
			Get: func(d *doc) string { return FormatNumber(d.Port) }, Set: func(d *doc, v string) { d.Port = ParseNumber(v) }},
		{Kind: Toggle, Label: "On", Path: "on", GetBool: func(d *doc) bool { return d.On }, SetBool: func(d *doc, v bool) { d.On = v }},
		{Kind: Info, Label: "Note", Info: func(*doc) string { return "read only" }},
		{Kind: Choice, Label: "Mode", Path: "mode",
			Options: func(*doc) []Option {
				return []Option{{Value: "a", Label: "a"}, {Value: "b", Label: "b"}, {Value: "c", Label: "c"}}
			},
			Get: func(d *doc) string { return d.Mode }, Set: func(d *doc, v string) { d.Mode = v }},
	}
}

func newForm(d *doc) (*Form[doc], *[]string) {
	st, keys := common.NewStyles(true, true), common.NewKeys()
	f := New(&st, &keys, d, fields())
	var groups []string
	f.BeforeEdit = func(group, where string) { groups = append(groups, group) }
	f.SetWidth(80)
	f.Load()
	return f, &groups
}

func TestKeysPerKind(t *testing.T) {
	d := &doc{Name: "x", Port: 80, Mode: "a"}
	f, groups := newForm(d)
	steps := []struct {
		key  string
		want Event
	}{
		{"y", Changed}, {"z", Changed}, // one group: typing in Name
		{"tab", Moved},
		{"q", Handled}, {"1", Changed}, // Port takes digits only
		{"tab", Moved},
		{"space", Changed}, // On
		{"tab", Moved},     // skips the Info line
		{"right", Changed}, {"right", Changed}, {"left", Changed},
		{"tab", Handled},     // the last field: stays
		{"enter", PastEnd},   // the screen goes on
		{"shift+tab", Moved}, // back to On
	}
	for i, s := range steps {
		if ev, _ := f.Update(tuitest.KeyPress(s.key)); ev != s.want {
			t.Fatalf("step %d %q: event %d, want %d", i, s.key, ev, s.want)
		}
	}
	if *d != (doc{Name: "xyz", Port: 801, On: true, Mode: "b"}) {
		t.Fatalf("document %+v", *d)
	}
	want := []string{"text:Namename", "text:Portport", "toggle:on", "choice:mode", "choice:mode", "choice:mode"}
	// Typing in one field reports the same group each time (one undo step).
	var distinct []string
	for _, g := range *groups {
		if len(distinct) == 0 || distinct[len(distinct)-1] != g {
			distinct = append(distinct, g)
		}
	}
	if strings.Join(distinct, ",") != "text:Namename,text:Portport,toggle:on,choice:mode" || len(*groups) != 7 {
		t.Fatalf("groups %q (want the groups of %q)", *groups, want)
	}
	if f.FocusLabel() != "On" || f.Typing() {
		t.Fatalf("focus %q typing %v", f.FocusLabel(), f.Typing())
	}
}

func TestVaryStaysInTheGrammar(t *testing.T) {
	cases := []struct {
		field int
		doc   doc
		check func(d doc) bool
	}{
		{0, doc{Name: "host"}, func(d doc) bool { return d.Name != "host" && d.Name != "" }},
		{1, doc{Port: 80}, func(d doc) bool { return d.Port == 81 }},
		{2, doc{On: false}, func(d doc) bool { return d.On }},
		{4, doc{Mode: "c"}, func(d doc) bool { return d.Mode == "a" }},
	}
	for _, c := range cases {
		f := fields()[c.field]
		d := c.doc
		if !f.Vary(&d, 0) || !c.check(d) {
			t.Errorf("%s: varied to %+v", f.Label, d)
		}
	}
	f := fields()[2]
	if d := (doc{}); f.Vary(&d, 1) {
		t.Error("a toggle has one variant only")
	}
}

func TestLinesMarkTheFocusedField(t *testing.T) {
	d := &doc{Name: "x", Mode: "a"}
	f, _ := newForm(d)
	lines, from, to := f.Lines(Layout{Active: true})
	if from != 0 || to <= from || !strings.Contains(ansi.Strip(lines[0]), "› Name") {
		t.Fatalf("focus lines %d-%d:\n%s", from, to, strings.Join(lines, "\n"))
	}
	lines, from, _ = f.Lines(Layout{Active: false})
	if from != -1 || strings.Contains(strings.Join(lines, "\n"), "›") {
		t.Fatalf("an inactive form draws a pointer:\n%s", strings.Join(lines, "\n"))
	}
}

// A choice whose value is none of its options (a settings file naming a
// value that does not exist) draws no option chosen and no option's help;
// → and ← go to the first and the last option from there.
func TestChoiceOfAValueThatIsNoOption(t *testing.T) {
	for _, tt := range []struct {
		key  string
		want string
	}{{"right", "a"}, {"left", "c"}, {"space", "a"}} {
		d := &doc{Mode: "subdomains"}
		f, _ := newForm(d)
		lines, _, _ := f.Lines(Layout{})
		text := ansi.Strip(strings.Join(lines, "\n"))
		if strings.Contains(text, common.GlyphRadioOn) || !strings.Contains(text, common.GlyphRadio+" a") {
			t.Fatalf("an option is drawn chosen for an unknown value:\n%s", text)
		}
		if i := OptionIndex(fields()[4].Options(d), d.Mode); i != -1 {
			t.Fatalf("OptionIndex = %d, want -1", i)
		}
		for range 4 {
			f.Update(tuitest.KeyPress("tab"))
		}
		if f.FocusLabel() != "Mode" {
			t.Fatalf("focus %q", f.FocusLabel())
		}
		f.Update(tuitest.KeyPress(tt.key))
		if d.Mode != tt.want {
			t.Errorf("%s from an unknown value: %q, want %q", tt.key, d.Mode, tt.want)
		}
	}
}
