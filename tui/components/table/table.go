// Package table is an editable table of rows (the proxy's nodes, its Docker
// repositories): a cursor on one cell, the rows in a window that keeps the
// cursor in view, and each row's findings under it. Only the cell under the
// cursor is a live text input (the form's editor, drawn by the caller);
// every other cell is drawn from the settings, so a table of 1,000 rows costs
// what its visible rows cost. The table binds to a document of type S by
// accessors: the document stays the only copy of every value.
package table

import (
	"fmt"
	"strings"

	"frontdoor/finding"
	"frontdoor/tui/common"
)

// Column is one editable column.
type Column[S any] struct {
	Title  string
	Width  int    // display width of the cell
	Field  string // finding path below the row: "key" -> proxy.docker.repositories[3].key; "" is the row itself
	Number bool   // digits only
	Limit  int    // characters the editor takes (0: any)
	Get    func(s *S, row int) string
	Set    func(s *S, row int, v string)
	// Visible says whether the column is shown (nil: always).
	Visible func(s *S) bool
	// Vary, when set, gives the cell of row a nearby valid value for
	// attempt 0, 1, ... (false: no more), where the form's own variants
	// would break a rule of the column (a port next to a neighbour's
	// clashes with it): see form.Field.Vary.
	Vary func(s *S, row, attempt int) bool
}

// Table is a list of the document edited as rows.
type Table[S any] struct {
	Path    string // proxy.nodes, proxy.docker.repositories
	Noun    string // "node", "repository": for messages
	Columns []Column[S]
	Count   func(s *S) int
	Insert  func(s *S, at int) // add an empty row at index at
	Remove  func(s *S, row int)
	// Note is extra text after the cells (what a Docker client types);
	// findings are the row's own.
	Note      func(s *S, row int, findings finding.Findings) string
	NoteTitle string // its heading

	row, col int // cursor: row index, index into the visible columns
	top      int // first row drawn
}

// VisibleColumns are the columns shown for the document.
func (t *Table[S]) VisibleColumns(s *S) []Column[S] {
	out := make([]Column[S], 0, len(t.Columns))
	for _, c := range t.Columns {
		if c.Visible == nil || c.Visible(s) {
			out = append(out, c)
		}
	}
	return out
}

// Cursor is the row and the visible column under the cursor.
func (t *Table[S]) Cursor() (row, col int) { return t.row, t.col }

// SetCursor moves the cursor (clamped to the document).
func (t *Table[S]) SetCursor(s *S, row, col int) {
	t.row, t.col = row, col
	t.Clamp(s)
}

// Clamp keeps the cursor on an existing row and column.
func (t *Table[S]) Clamp(s *S) {
	n := t.Count(s)
	t.row = max(0, min(t.row, n-1))
	t.col = max(0, min(t.col, len(t.VisibleColumns(s))-1))
}

// Current is the column under the cursor; false when there is no cell
// (no rows, no column shown, or the cursor's row or column is gone: an
// undo can take rows away under the cursor until the next Clamp).
func (t *Table[S]) Current(s *S) (Column[S], bool) {
	cols := t.VisibleColumns(s)
	if t.row < 0 || t.row >= t.Count(s) || t.col < 0 || t.col >= len(cols) {
		return Column[S]{}, false
	}
	return cols[t.col], true
}

// RowPath is the finding path of a row.
func (t *Table[S]) RowPath(row int) string { return fmt.Sprintf("%s[%d]", t.Path, row) }

// CellPath is the finding path of a cell.
func (t *Table[S]) CellPath(row int, c Column[S]) string {
	if c.Field == "" {
		return t.RowPath(row)
	}
	return t.RowPath(row) + "." + c.Field
}

// FocusPath puts the cursor on the cell of a finding path under the table
// ("proxy.docker.repositories[3].port"); false when path is not the table's.
func (t *Table[S]) FocusPath(s *S, path string) bool {
	if !strings.HasPrefix(path, t.Path+"[") {
		return false
	}
	t.row = parseIndex(path[len(t.Path):])
	t.col = 0
	for ci, c := range t.VisibleColumns(s) {
		if c.Field != "" && strings.HasSuffix(path, "."+c.Field) {
			t.col = ci
		}
	}
	t.Clamp(s)
	return true
}

// parseIndex reads the n of "[n]..." (0 when absent).
func parseIndex(s string) int {
	n := 0
	for i := 1; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// RowFindings are the findings about one row and its cells.
func (t *Table[S]) RowFindings(idx common.FindingIndex, row int) finding.Findings {
	base := t.RowPath(row)
	out := idx.Exact(base)
	for _, c := range t.Columns {
		if c.Field != "" {
			out = append(out, idx.Exact(base+"."+c.Field)...)
		}
	}
	return out
}

// View is what drawing the table needs.
type View[S any] struct {
	Styles  *common.Styles
	Doc     *S
	Index   common.FindingIndex
	Focused bool
	Editor  string // the live input of the cell under the cursor
	Width   int
	MaxRows int // row budget (lines), including finding lines under rows
}

// Layout returns the header, the window of rows (moved so the cursor row is
// whole in view) and each row's findings under it. It is called while the
// screen is laid out (in Update), as it moves the window.
func (t *Table[S]) Layout(v View[S]) []string {
	st, s := v.Styles, v.Doc
	t.Clamp(s) // rows may have gone since the cursor last moved (an undo)
	cols := t.VisibleColumns(s)
	n := t.Count(s)
	var lines []string

	head := "    "
	for _, c := range cols {
		head += common.PadRight(c.Title, c.Width) + " "
	}
	if t.NoteTitle != "" {
		head += t.NoteTitle
	}
	lines = append(lines, st.TableHeader.Render(common.Truncate(strings.TrimRight(head, " "), v.Width)))
	if n == 0 {
		lines = append(lines, st.Subtle.Render(fmt.Sprintf("    no %s yet: ctrl+n adds one", t.Noun)))
		return lines
	}

	msgWidth := max(20, v.Width-6)
	rowLines := func(row int) []string {
		fs := t.RowFindings(v.Index, row)
		status := "  "
		switch {
		case fs.HasErrors():
			status = st.ErrorText.Render(common.GlyphError) + " "
		case len(fs) > 0:
			status = st.WarnText.Render(common.GlyphWarning) + " "
		}
		pointer := "  "
		current := v.Focused && row == t.row
		if current {
			pointer = st.Pointer.Render(common.GlyphPointer) + " "
		}
		var b strings.Builder
		b.WriteString(pointer)
		b.WriteString(status)
		for ci, c := range cols {
			cell := c.Get(s, row)
			switch {
			case current && ci == t.col:
				b.WriteString(common.PadRight(v.Editor, c.Width))
			case current:
				b.WriteString(st.ValueFocused.Render(common.PadRight(common.Truncate(cell, c.Width), c.Width)))
			default:
				b.WriteString(common.PadRight(common.Truncate(cell, c.Width), c.Width))
			}
			b.WriteString(" ")
		}
		if t.Note != nil {
			b.WriteString(t.Note(s, row, fs))
		}
		out := []string{common.Truncate(strings.TrimRight(b.String(), " "), v.Width)}
		for _, f := range fs {
			out = append(out, common.FindingLines(st, f, msgWidth, "      ")...)
		}
		return out
	}

	// Keep the cursor row in view: scan up from it (at most a budget's worth
	// of rows) for the lowest top row that still shows it whole.
	budget := max(1, v.MaxRows)
	if t.row < t.top {
		t.top = t.row
	}
	used, minTop := 0, t.row
	for r := t.row; r >= t.top; r-- {
		used += len(rowLines(r))
		if used > budget {
			break
		}
		minTop = r
	}
	t.top = max(t.top, minTop)
	// Rows may have got shorter since the window last moved (their errors
	// fixed, a column hidden): when the rows from top to the end leave room,
	// show the rows above rather than blank lines under the last.
	used = 0
	for r := t.top; r < n && used <= budget; r++ {
		used += len(rowLines(r))
	}
	for t.top > 0 && used <= budget {
		h := len(rowLines(t.top - 1))
		if used+h > budget {
			break
		}
		used += h
		t.top--
	}
	used, drawn := 0, 0
	for r := t.top; r < n; r++ {
		rl := rowLines(r)
		if used+len(rl) > budget && r > t.row {
			break
		}
		lines = append(lines, rl...)
		used += len(rl)
		drawn++
	}
	if t.top > 0 || t.top+drawn < n {
		lines = append(lines, st.Subtle.Render(fmt.Sprintf("    %d %s, row %d of %d", n, common.Plural(n, t.Noun), t.row+1, n)))
	}
	return lines
}

// Key is what a key does to the table.
type Key int

const (
	KeyNone       Key = iota // not a table key: the caller edits the cell
	KeyMoved                 // the cursor moved inside the table
	KeyLeftTop               // up or back past the first row or column
	KeyLeftBottom            // down, on or enter past the last row or column
	KeyAdded                 // a row was inserted at the cursor
	KeyDeleted               // the row under the cursor was removed
)

// Navigation keys of the table.
const (
	keyUp       = "up"
	keyDown     = "down"
	keyTab      = "tab"
	keyShiftTab = "shift+tab"
)

// MoveRow moves the cursor up (-1) or down (+1) a row; false at the ends.
func (t *Table[S]) MoveRow(s *S, dir int) bool {
	n := t.Count(s)
	if r := t.row + dir; r >= 0 && r < n {
		t.row = r
		return true
	}
	return false
}

// MoveCol moves the cursor to the next (+1) or previous (-1) column; false
// at the ends.
func (t *Table[S]) MoveCol(s *S, dir int) bool {
	if t.Count(s) == 0 {
		return false
	}
	if c := t.col + dir; c >= 0 && c < len(t.VisibleColumns(s)) {
		t.col = c
		return true
	}
	return false
}

// Navigate handles a navigation key name (up, down, tab, shift+tab).
func (t *Table[S]) Navigate(s *S, name string) Key {
	var ok, back bool
	switch name {
	case keyUp:
		ok, back = t.MoveRow(s, -1), true
	case keyDown:
		ok = t.MoveRow(s, +1)
	case keyTab:
		ok = t.MoveCol(s, +1)
	case keyShiftTab:
		ok, back = t.MoveCol(s, -1), true
	default:
		return KeyNone
	}
	switch {
	case ok:
		return KeyMoved
	case back:
		return KeyLeftTop
	}
	return KeyLeftBottom
}

// AddRow inserts an empty row after the cursor (the first row of an empty
// table) and puts the cursor on its first cell.
func (t *Table[S]) AddRow(s *S) {
	t.Clamp(s)
	at := 0
	if t.Count(s) > 0 {
		at = t.row + 1
	}
	t.Insert(s, at)
	t.row, t.col = at, 0
}

// DeleteRow removes the row under the cursor; false when there is none.
func (t *Table[S]) DeleteRow(s *S) bool {
	if t.Count(s) == 0 {
		return false
	}
	t.Clamp(s)
	t.Remove(s, t.row)
	t.Clamp(s)
	return true
}

// Enter puts the cursor where the focus comes from: the first cell when
// coming from above, the last row when coming from below.
func (t *Table[S]) Enter(s *S, fromBelow bool) {
	t.col = 0
	if fromBelow {
		t.row = t.Count(s) - 1
	} else {
		t.row = 0
	}
	t.Clamp(s)
}
