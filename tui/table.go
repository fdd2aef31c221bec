package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"frontdoor/render"
)

// column is one editable column of a row table.
type column struct {
	title   string
	width   int    // display width of the cell
	field   string // finding path below the row: "key" -> proxy.docker.repositories[3].key; "" is the row itself
	number  bool
	limit   int
	get     func(s *render.Settings, row int) string
	set     func(s *render.Settings, row int, v string)
	visible func(s *render.Settings) bool // nil: always
	perturb func(s *render.Settings, row, attempt int) bool
}

// rowTable edits a list of the settings (nodes, Docker repositories). Only
// the cell under the cursor is a live text input (the model's shared
// editor); every other cell is drawn from the settings, so a table of 1,000
// rows costs what its visible rows cost.
type rowTable struct {
	path    string // proxy.nodes, proxy.docker.repositories
	noun    string // "node", "repository": for messages
	cols    []column
	count   func(s *render.Settings) int
	insert  func(s *render.Settings, at int) // add an empty row at index at
	remove  func(s *render.Settings, row int)
	note    func(m *Model, row int) string // extra text after the cells (Docker host, certificate coverage)
	noteCol string                         // its heading

	row, col int // cursor: row index, index into visibleCols
	top      int // first row drawn
}

func (t *rowTable) visibleCols(s *render.Settings) []column {
	out := make([]column, 0, len(t.cols))
	for _, c := range t.cols {
		if c.visible == nil || c.visible(s) {
			out = append(out, c)
		}
	}
	return out
}

// clamp keeps the cursor on an existing row and column.
func (t *rowTable) clamp(s *render.Settings) {
	n := t.count(s)
	t.row = max(0, min(t.row, n-1))
	t.col = max(0, min(t.col, len(t.visibleCols(s))-1))
}

func (t *rowTable) rowPath(row int) string { return fmt.Sprintf("%s[%d]", t.path, row) }

func (t *rowTable) cellPath(row int, c column) string {
	if c.field == "" {
		return t.rowPath(row)
	}
	return t.rowPath(row) + "." + c.field
}

// rowFindings are the findings about one row and its cells.
func (t *rowTable) rowFindings(idx findingIndex, s *render.Settings, row int) render.Findings {
	base := t.rowPath(row)
	out := idx.exact(base)
	for _, c := range t.cols {
		if c.field != "" {
			out = append(out, idx.exact(base+"."+c.field)...)
		}
	}
	return out
}

// tableView is what drawing a table needs from the model.
type tableView struct {
	m       *Model
	focused bool
	width   int
	maxRows int // row budget (lines), including finding lines under rows
}

// render draws the header, the visible window of rows (the cursor row kept
// in view) and each row's findings under it.
func (t *rowTable) render(v tableView) []string {
	m, st := v.m, &v.m.styles
	s := &m.settings
	cols := t.visibleCols(s)
	n := t.count(s)
	var lines []string

	head := "    "
	for _, c := range cols {
		head += padRight(c.title, c.width) + " "
	}
	if t.noteCol != "" {
		head += t.noteCol
	}
	lines = append(lines, st.tableHeader.Render(ansi.Truncate(strings.TrimRight(head, " "), v.width, "…")))
	if n == 0 {
		lines = append(lines, st.subtle.Render(fmt.Sprintf("    no %s yet: ctrl+n adds one", t.noun)))
		return lines
	}

	msgWidth := max(20, v.width-6)
	rowLines := func(row int) []string {
		fs := t.rowFindings(m.index, s, row)
		status := "  "
		switch {
		case fs.HasErrors():
			status = st.errorText.Render(glyphError) + " "
		case len(fs) > 0:
			status = st.warnText.Render(glyphWarning) + " "
		}
		pointer := "  "
		current := v.focused && row == t.row
		if current {
			pointer = st.pointer.Render(glyphPointer) + " "
		}
		var b strings.Builder
		b.WriteString(pointer)
		b.WriteString(status)
		for ci, c := range cols {
			cell := c.get(s, row)
			if current && ci == t.col {
				b.WriteString(padRight(m.editor.View(), c.width))
			} else if current {
				b.WriteString(st.valueFocused.Render(padRight(ansi.Truncate(cell, c.width, "…"), c.width)))
			} else {
				b.WriteString(padRight(ansi.Truncate(cell, c.width, "…"), c.width))
			}
			b.WriteString(" ")
		}
		if t.note != nil {
			b.WriteString(t.note(m, row))
		}
		out := []string{ansi.Truncate(strings.TrimRight(b.String(), " "), v.width, "…")}
		for _, f := range fs {
			out = append(out, findingLines(st, f, msgWidth, "      ")...)
		}
		return out
	}

	// Keep the cursor row in view: scan up from it (at most a budget's worth
	// of rows) for the lowest top row that still shows it whole.
	budget := max(1, v.maxRows)
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
		lines = append(lines, st.subtle.Render(fmt.Sprintf("    %d %s, row %d of %d", n, plural(n, t.noun), t.row+1, n)))
	}
	return lines
}

func plural(n int, noun string) string {
	if n == 1 {
		return noun
	}
	if strings.HasSuffix(noun, "y") {
		return strings.TrimSuffix(noun, "y") + "ies"
	}
	return noun + "s"
}

// padRight pads s (which may hold ANSI styles) with spaces to width cells.
func padRight(s string, width int) string {
	if w := ansi.StringWidth(s); w < width {
		return s + strings.Repeat(" ", width-w)
	}
	return s
}
