// Package form is the wizard's one form engine. A field descriptor says
// what a value is (label, help, kind: text, number, toggle, choice, table,
// button, read-only info), where its findings are (the validation path) and
// how to read and write it in a document of type S. The HTTP steps, the LDAP
// forms, the LDAP test panel and accessible mode all use the same
// descriptors, so they ask the same things, draw them the same way and check
// answers with the same validators.
package form

import (
	"slices"
	"strconv"
	"strings"

	"frontdoor/tui/components/table"
)

// Kind is what a field is, and so which keys it takes.
type Kind int

const (
	Text   Kind = iota // free text, edited in the form's editor
	Number             // digits only, edited in the form's editor
	Toggle             // on/off
	Choice             // one of a few values
	Table              // rows of cells (nodes, Docker repositories)
	Button             // an action (save)
	Info               // read-only line, never focused
)

// Option is one value of a choice field.
type Option struct{ Value, Label, Help string }

// Field describes one value of a form. The accessors bind it to the
// document, which stays the only copy of every value.
type Field[S any] struct {
	Kind  Kind
	Label string
	// Path is the validation path: findings at exactly this path are drawn
	// under the field, and a finding's path finds its field again. Fields
	// with a path are settings (the preview varies them to mark their lines).
	Path        string
	Hint        string          // shown under the field while it has the focus
	HintFunc    func(*S) string // a hint that depends on the document (overrides Hint)
	Placeholder string          // shown in an empty text field
	Secret      bool            // a password: drawn as •, never as text
	Limit       int             // characters a text or number field takes (0: any)
	Visible     func(*S) bool   // nil: always shown
	// Note is a few words drawn after the value, or under it when they do
	// not fit beside it (where the value came from: "detected",
	// "remembered (save.target)"); nil or "": none.
	Note func(*S) string

	Get     func(*S) string // text, number (as text), choice (value)
	Set     func(*S, string)
	GetBool func(*S) bool // toggle
	SetBool func(*S, bool)
	// Options lists a choice's values. The current value may be none of
	// them (a settings file naming a value that does not exist): then no
	// option is drawn chosen, and the field's finding says why.
	Options func(*S) []Option
	Table   *table.Table[S]
	Info    func(*S) string
	// Draw draws a button's value (its label and what pressing it does).
	Draw func(s *S, focused bool, width int) []string
	// Action names what a button does, so a form with several buttons
	// tells them apart when one is activated.
	Action string
}

// Shown reports whether the field is shown for the document.
func (f *Field[S]) Shown(s *S) bool { return f.Visible == nil || f.Visible(s) }

// Focusable reports whether the field can take the focus.
func (f *Field[S]) Focusable() bool { return f.Kind != Info }

// HintFor is the hint shown under the focused field: for a choice, what the
// current option means, then the field's hint.
func (f *Field[S]) HintFor(s *S) string {
	hint := f.Hint
	if f.HintFunc != nil {
		hint = f.HintFunc(s)
	}
	if f.Kind == Choice {
		opts := f.Options(s)
		if i := OptionIndex(opts, f.Get(s)); i >= 0 {
			hint = strings.TrimSpace(opts[i].Help + " " + hint)
		}
	}
	return hint
}

// OptionIndex is the position of v among the options (-1 when it is none
// of them).
func OptionIndex(opts []Option, v string) int {
	for i, o := range opts {
		if o.Value == v {
			return i
		}
	}
	return -1
}

// Cycle moves a choice to the next (+1) or previous (-1) option; from a
// value that is none of them, to the first or the last.
func (f *Field[S]) Cycle(s *S, dir int) {
	opts := f.Options(s)
	n := len(opts)
	cur := OptionIndex(opts, f.Get(s))
	switch {
	case n == 0:
		return
	case cur < 0 && dir > 0:
		cur = n - 1 // the next is the first
	case cur < 0:
		cur = 0 // the previous is the last
	}
	f.Set(s, opts[(cur+dir+n)%n].Value)
}

// Vary changes the field's value in s to a nearby value of the same grammar
// (attempt 0, 1, ... are different candidates; false when there are no
// more). The preview renders both and marks the lines that differ: the lines
// this field produces, found without knowing the templates. For a table, the
// cell under the cursor varies.
func (f *Field[S]) Vary(s *S, attempt int) bool {
	switch f.Kind {
	case Text:
		v := f.Get(s)
		if !varyText(&v, attempt) {
			return false
		}
		f.Set(s, v)
		return true
	case Number:
		n := ParseNumber(f.Get(s))
		if !varyNumber(&n, attempt) {
			return false
		}
		f.Set(s, FormatNumber(n))
		return true
	case Toggle:
		if attempt > 0 {
			return false
		}
		f.SetBool(s, !f.GetBool(s))
		return true
	case Choice:
		opts := f.Options(s)
		if attempt >= len(opts)-1 {
			return false
		}
		values := make([]string, len(opts))
		for i, o := range opts {
			values[i] = o.Value
		}
		cur := max(slices.Index(values, f.Get(s)), 0)
		f.Set(s, values[(cur+1+attempt)%len(values)])
		return true
	case Table:
		c, ok := f.Table.Current(s)
		if !ok {
			return false
		}
		row, _ := f.Table.Cursor()
		if c.Vary != nil {
			return c.Vary(s, row, attempt)
		}
		v := c.Get(s, row)
		if c.Number {
			n := ParseNumber(v)
			if !varyNumber(&n, attempt) {
				return false
			}
			c.Set(s, row, FormatNumber(n))
			return true
		}
		if !varyText(&v, attempt) {
			return false
		}
		c.Set(s, row, v)
		return true
	}
	return false
}

// varyText gives variants that stay inside every text grammar the validator
// knows (hostname, path, header, repository key) for usual values.
func varyText(p *string, attempt int) bool {
	switch attempt {
	case 0:
		*p += "z"
	case 1:
		*p = "z" + *p
	case 2:
		*p = "/z"
	default:
		return false
	}
	return true
}

func varyNumber(p *int, attempt int) bool {
	switch attempt {
	case 0:
		*p++
	case 1:
		*p += 2
	case 2:
		if *p <= 1 {
			return false
		}
		*p--
	default:
		return false
	}
	return true
}

// FormatNumber shows 0 as an empty field.
func FormatNumber(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// ParseNumber reads the digits the editor lets through; the editor caps the
// length, so the value always fits an int.
func ParseNumber(v string) int {
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0
	}
	return n
}

// Digits reports whether s holds only digits (an empty s does).
func Digits(s string) bool { return strings.Trim(s, "0123456789") == "" }
