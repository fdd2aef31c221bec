package form

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"frontdoor/tui/common"
	"frontdoor/tui/components/table"
)

// Form is a list of fields with the focus on one: it takes the keys of the
// focused field, edits the document through the fields' accessors, and
// draws every field with its findings. The one live text input is the
// focused text field or table cell.
type Form[S any] struct {
	st     *common.Styles
	keys   *common.Keys
	doc    *S
	fields []Field[S]
	focus  int
	editor textinput.Model
	width  int

	// BeforeEdit is called before a value changes: group names the edit
	// (typing in one field is one group), where is its settings path. The
	// document keeps its undo history with it.
	BeforeEdit func(group, where string)
}

// New makes a form over doc, focused on its first focusable field.
func New[S any](st *common.Styles, keys *common.Keys, doc *S, fields []Field[S]) *Form[S] {
	f := &Form[S]{st: st, keys: keys, doc: doc, fields: fields}
	f.editor = textinput.New()
	f.editor.Prompt = ""
	f.editor.SetStyles(st.Input)
	f.FixFocus(+1)
	return f
}

// StylesChanged takes new styles (colour profile, background).
func (f *Form[S]) StylesChanged() { f.editor.SetStyles(f.st.Input) }

// Fields are the form's fields, in order.
func (f *Form[S]) Fields() []Field[S] { return f.fields }

// Focused is the field with the focus (nil when none can have it).
func (f *Form[S]) Focused() *Field[S] {
	if f.focus < 0 || f.focus >= len(f.fields) {
		return nil
	}
	return &f.fields[f.focus]
}

// FocusIndex is the position of the focused field (-1: none).
func (f *Form[S]) FocusIndex() int { return f.focus }

func (f *Form[S]) canFocus(i int) bool {
	return i >= 0 && i < len(f.fields) && f.fields[i].Focusable() && f.fields[i].Shown(f.doc)
}

// FixFocus moves the focus off fields that are hidden or not focusable,
// looking in direction dir first, and puts every table's cursor back on a
// row that exists (after the document changed under the form: an undo).
func (f *Form[S]) FixFocus(dir int) {
	for i := range f.fields {
		if t := f.fields[i].Table; t != nil {
			t.Clamp(f.doc)
		}
	}
	if f.canFocus(f.focus) {
		return
	}
	for _, d := range []int{dir, -dir} {
		for i := f.focus + d; i >= 0 && i < len(f.fields); i += d {
			if f.canFocus(i) {
				f.focus = i
				return
			}
		}
	}
	f.focus = -1
}

// SetFocus focuses field i (then the nearest focusable one).
func (f *Form[S]) SetFocus(i int) {
	f.focus = max(0, min(i, len(f.fields)-1))
	f.FixFocus(+1)
}

// FocusKind focuses the first field of a kind (the review step's button);
// false when there is none.
func (f *Form[S]) FocusKind(k Kind) bool {
	for i := range f.fields {
		if f.fields[i].Kind == k && f.canFocus(i) {
			f.focus = i
			return true
		}
	}
	return false
}

// FocusPath focuses the field that shows findings at path (a table cell for
// a path under a table); false when no shown field does.
func (f *Form[S]) FocusPath(path string) bool {
	for i := range f.fields {
		fd := &f.fields[i]
		if fd.Path == "" || !fd.Shown(f.doc) {
			continue
		}
		if fd.Path == path || (fd.Kind == Table && fd.Table.FocusPath(f.doc, path)) {
			f.focus = i
			return true
		}
	}
	return false
}

// HasPath reports whether a field of the form shows findings at path.
func (f *Form[S]) HasPath(path string) bool {
	for i := range f.fields {
		fd := &f.fields[i]
		if fd.Path != "" && (path == fd.Path || (fd.Kind == Table && strings.HasPrefix(path, fd.Path+"["))) {
			return true
		}
	}
	return false
}

// Move moves the focus to the next (+1) or previous (-1) focusable field;
// false at either end. A table is entered at the side the focus comes from.
func (f *Form[S]) Move(dir int) bool {
	for i := f.focus + dir; i >= 0 && i < len(f.fields); i += dir {
		if f.canFocus(i) {
			f.focus = i
			if t := f.fields[i].Table; t != nil {
				t.Enter(f.doc, dir < 0)
			}
			return true
		}
	}
	return false
}

// AtLast reports whether no focusable field follows the focus.
func (f *Form[S]) AtLast() bool {
	for i := f.focus + 1; i < len(f.fields); i++ {
		if f.canFocus(i) {
			return false
		}
	}
	return true
}

// ShownCount is how many fields are shown.
func (f *Form[S]) ShownCount() int {
	n := 0
	for i := range f.fields {
		if f.fields[i].Shown(f.doc) {
			n++
		}
	}
	return n
}

// Typing reports whether the focus is in a free-text field, where "?" is
// text (a path, a command, a password); everywhere else (numbers, toggles,
// table cells of hosts, keys and ports, where "?" is never valid) it opens
// the help.
func (f *Form[S]) Typing() bool {
	fd := f.Focused()
	return fd != nil && fd.Kind == Text
}

// LabelWidth is the width of the label column of a form width cells wide:
// one rule for every form, wide enough for the longest label of any.
func LabelWidth(width int) int {
	if width < 56 {
		return 15
	}
	return 18
}

// SetWidth sets the width the form is drawn at, and fits the editor to it
// (loading the value again, so it scrolls to fit the new width).
func (f *Form[S]) SetWidth(width int) {
	if width == f.width {
		return
	}
	f.width = width
	if f.editor.Focused() {
		f.Load()
	}
}

// sizeEditor fits the editor to the cell or value column it edits.
func (f *Form[S]) sizeEditor() {
	fd := f.Focused()
	if fd == nil {
		return
	}
	if fd.Kind == Table {
		if c, ok := fd.Table.Current(f.doc); ok {
			f.editor.SetWidth(c.Width - 1)
		}
		return
	}
	f.editor.SetWidth(max(8, f.width-2-LabelWidth(f.width)-1))
}

// Load puts the focused text field or table cell into the editor (after a
// focus change, or a change of the document from outside the form).
func (f *Form[S]) Load() {
	f.editor.Blur()
	fd := f.Focused()
	if fd == nil {
		return
	}
	// Sized before SetValue: the editor scrolls long values to fit its width.
	f.sizeEditor()
	f.editor.Placeholder = ""
	f.editor.EchoMode = textinput.EchoNormal
	switch fd.Kind {
	case Text, Number:
		f.editor.CharLimit = fd.Limit
		f.editor.Placeholder = fd.Placeholder
		if fd.Secret {
			f.editor.EchoMode = textinput.EchoPassword
			f.editor.EchoCharacter = '•'
		}
		f.editor.SetValue(fd.Get(f.doc))
	case Table:
		fd.Table.Clamp(f.doc) // the row may be gone (an undo took it)
		c, ok := fd.Table.Current(f.doc)
		if !ok {
			return
		}
		row, _ := fd.Table.Cursor()
		f.editor.CharLimit = c.Limit
		f.editor.SetValue(c.Get(f.doc, row))
	default:
		return
	}
	f.editor.CursorEnd()
	f.editor.Focus()
}

// Blur takes the editor's focus away (the form is not on show).
func (f *Form[S]) Blur() { f.editor.Blur() }

// Event is what a key did in the form.
type Event int

const (
	None        Event = iota // not the form's key: the screen may use it
	Handled                  // taken, nothing changed (the editor's cursor moved)
	Moved                    // the focus moved (to another field or cell)
	Changed                  // a value of the document changed
	RowsChanged              // a table row was added or removed: the value and the cursor changed
	PastEnd                  // enter or down on the last field: the screen goes on
	Activated                // enter on a button
)

// Update handles a key for the focused field.
func (f *Form[S]) Update(k tea.KeyPressMsg) (Event, tea.Cmd) {
	fd := f.Focused()
	if fd == nil {
		return None, nil
	}
	keys := f.keys
	switch fd.Kind {
	case Table:
		if ev, cmd, ok := f.updateTable(k, fd); ok {
			return ev, cmd
		}
	case Toggle:
		if key.Matches(k, keys.Toggle) {
			f.edit("toggle:"+fd.Path, fd.Path)
			fd.SetBool(f.doc, !fd.GetBool(f.doc))
			return Changed, nil
		}
	case Choice:
		if s := k.String(); s == "left" || s == "right" || s == "space" {
			dir := 1
			if s == "left" {
				dir = -1
			}
			f.edit("choice:"+fd.Path, fd.Path)
			fd.Cycle(f.doc, dir)
			return Changed, nil
		}
	case Button:
		if key.Matches(k, keys.Enter) {
			return Activated, nil
		}
	}
	switch {
	case key.Matches(k, keys.Next):
		return f.moved(f.Move(+1)), nil
	case key.Matches(k, keys.Prev):
		return f.moved(f.Move(-1)), nil
	case key.Matches(k, keys.Enter):
		if f.Move(+1) {
			return f.moved(true), nil
		}
		return PastEnd, nil
	}
	if fd.Kind == Text || fd.Kind == Number {
		return f.EditText(k, k.Text)
	}
	return None, nil
}

func (f *Form[S]) moved(ok bool) Event {
	if !ok {
		return Handled
	}
	f.Load()
	return Moved
}

// updateTable handles the table's own keys: rows, columns, add, delete.
func (f *Form[S]) updateTable(k tea.KeyPressMsg, fd *Field[S]) (Event, tea.Cmd, bool) {
	t, s := fd.Table, f.doc
	switch {
	case key.Matches(k, f.keys.AddRow):
		f.edit("", t.Path)
		t.AddRow(s)
		f.Load()
		return RowsChanged, nil, true
	case key.Matches(k, f.keys.DeleteRow):
		if t.Count(s) == 0 {
			return Handled, nil, true
		}
		row, _ := t.Cursor()
		f.edit("", t.RowPath(row))
		t.DeleteRow(s)
		f.Load()
		return RowsChanged, nil, true
	case key.Matches(k, f.keys.Enter):
		if t.MoveRow(s, +1) {
			f.Load()
			return Moved, nil, true
		}
		if f.Move(+1) {
			return f.moved(true), nil, true
		}
		return PastEnd, nil, true
	}
	switch t.Navigate(s, k.String()) {
	case table.KeyMoved:
		f.Load()
		return Moved, nil, true
	case table.KeyLeftTop:
		return f.moved(f.Move(-1)), nil, true
	case table.KeyLeftBottom:
		return f.moved(f.Move(+1)), nil, true
	}
	if t.Count(s) == 0 {
		return Handled, nil, true // nothing to type into
	}
	ev, cmd := f.EditText(k, k.Text)
	return ev, cmd, true
}

// edit tells BeforeEdit about an edit.
func (f *Form[S]) edit(group, where string) {
	if f.BeforeEdit != nil {
		f.BeforeEdit(group, where)
	}
}

// EditText passes a key or paste to the editor and writes the result into
// the focused field or cell. Number fields and cells take digits only.
func (f *Form[S]) EditText(msg tea.Msg, typed string) (Event, tea.Cmd) {
	fd := f.Focused()
	if fd == nil {
		return None, nil
	}
	number := fd.Kind == Number
	var col table.Column[S]
	var row int
	switch fd.Kind {
	case Table:
		c, ok := fd.Table.Current(f.doc)
		if !ok {
			return None, nil
		}
		col, number = c, c.Number
		row, _ = fd.Table.Cursor()
	case Text, Number:
	default:
		return None, nil
	}
	if number && typed != "" && !Digits(typed) {
		return Handled, nil
	}
	before := f.editor.Value()
	next, cmd := f.editor.Update(msg)
	value := next.Value()
	if value == before {
		f.editor = next
		return Handled, cmd
	}
	if fd.Kind == Table {
		f.edit("cell:"+fd.Table.CellPath(row, col), fd.Table.CellPath(row, col))
		col.Set(f.doc, row, value)
	} else {
		f.edit("text:"+fd.Label+fd.Path, fd.Path)
		fd.Set(f.doc, value)
	}
	f.editor = next
	return Changed, cmd
}

// Paste puts pasted text into the focused text field or cell.
func (f *Form[S]) Paste(msg tea.PasteMsg) (Event, tea.Cmd) { return f.EditText(msg, msg.Content) }

// Clear empties a text field (the test panel forgets a password).
func (f *Form[S]) Clear(i int) {
	f.fields[i].Set(f.doc, "")
	if i == f.focus {
		f.editor.SetValue("")
	}
}

// FocusLabel names the focused field for the preview's marks line ("HTTP
// port", "port of repository 3"); "" for fields outside the settings.
func (f *Form[S]) FocusLabel() string {
	fd := f.Focused()
	if fd == nil || fd.Path == "" {
		return ""
	}
	if fd.Kind == Table {
		c, ok := fd.Table.Current(f.doc)
		if !ok {
			return ""
		}
		row, _ := fd.Table.Cursor()
		return strings.ToLower(c.Title) + " of " + fd.Table.Noun + " " + common.Itoa(row+1)
	}
	return fd.Label
}

// FocusedVary varies the focused settings field in a copy of the document
// (see Field.Vary); nil when the focus is not on a settings field.
func (f *Form[S]) FocusedVary() func(s *S, attempt int) bool {
	fd := f.Focused()
	if fd == nil || fd.Path == "" || fd.Kind == Info || fd.Kind == Button {
		return nil
	}
	field := *fd
	if fd.Kind == Table {
		// The copy's table is a copy too: the cursor stays where it is now.
		t := *fd.Table
		field.Table = &t
		if _, ok := t.Current(f.doc); !ok {
			return nil
		}
	}
	return field.Vary
}
