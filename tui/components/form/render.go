package form

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"frontdoor/tui/common"
	"frontdoor/tui/components/table"
)

// Layout is what drawing a form needs besides the form.
type Layout struct {
	Index       common.FindingIndex // findings drawn under the fields
	Active      bool                // the form has the focus: the pointer and the live editor are drawn
	TableBudget int                 // lines a table may take (its rows scroll inside)
}

// Lines draws every shown field at the form's width: label, value, the
// findings at its path, and the hint of the focused one. focusStart and
// focusEnd are the lines of the focused field (-1 when none), for the
// caller's scrolling. It is called while the screen is laid out (in
// Update): a table moves its window of rows to keep the cursor in view.
func (f *Form[S]) Lines(l Layout) (lines []string, focusStart, focusEnd int) {
	focusStart, focusEnd = -1, -1
	for i := range f.fields {
		fd := &f.fields[i]
		if !fd.Shown(f.doc) {
			continue
		}
		focused := i == f.focus && l.Active
		start := len(lines)
		lines = append(lines, f.fieldLines(fd, focused, l)...)
		if focused {
			focusStart, focusEnd = start, len(lines)
		}
	}
	return lines, focusStart, focusEnd
}

// fieldLines draws one field: label, value, then its findings, then (when
// focused) its hint.
func (f *Form[S]) fieldLines(fd *Field[S], focused bool, l Layout) []string {
	st, width := f.st, f.width
	labelW := LabelWidth(width)
	indent := strings.Repeat(" ", 2+labelW)
	valueW := max(8, width-2-labelW)
	pointer := "  "
	labelStyle := st.Label
	if focused {
		pointer = st.Pointer.Render(common.GlyphPointer) + " "
		labelStyle = st.LabelFocused
	}
	label := labelStyle.Render(common.PadRight(common.Truncate(fd.Label, labelW-1), labelW))

	var out []string
	switch fd.Kind {
	case Table:
		out = append(out, pointer+labelStyle.Render(fd.Label))
		row := fd.Table.Layout(table.View[S]{
			Styles: st, Doc: f.doc, Index: l.Index, Focused: focused,
			Editor: f.editor.View(), Width: width - 2, MaxRows: l.TableBudget,
		})
		for _, line := range row {
			out = append(out, "  "+line)
		}
	default:
		var values []string
		if fd.Kind == Info {
			values = common.WrapText(fd.Info(f.doc), valueW)
		} else {
			values = f.value(fd, focused, valueW)
		}
		out = append(out, withNote(st, values, f.note(fd), pointer+label, indent, width, valueW)...)
	}
	for _, fnd := range l.Index.Exact(fd.Path) {
		out = append(out, common.FindingLines(st, fnd, width, indent)...)
	}
	if focused {
		if hint := fd.HintFor(f.doc); hint != "" {
			out = append(out, common.WrapPrefixed(hint, width, indent, indent, st.Subtle)...)
		}
	}
	return out
}

// note is the few words drawn after a field's value ("" when none).
func (f *Form[S]) note(fd *Field[S]) string {
	if fd.Note == nil {
		return ""
	}
	return fd.Note(f.doc)
}

// withNote lays a field's value lines out after its label, with its note
// beside the last line when it fits there, else on a line of its own.
func withNote(st *common.Styles, values []string, note, first, indent string, width, valueW int) []string {
	last := len(values) - 1
	beside := note != "" && ansi.StringWidth(values[last])+2+ansi.StringWidth(note) <= valueW
	if beside {
		values[last] += "  " + st.Subtle.Render(note)
	}
	out := make([]string, 0, len(values)+1)
	for i, v := range values {
		prefix := indent
		if i == 0 {
			prefix = first
		}
		out = append(out, ansi.Truncate(prefix+v, width, "…"))
	}
	if note != "" && !beside {
		out = append(out, indent+st.Subtle.Render(common.Truncate(note, valueW)))
	}
	return out
}

// value draws the value part of a field, possibly on several lines.
func (f *Form[S]) value(fd *Field[S], focused bool, width int) []string {
	st := f.st
	switch fd.Kind {
	case Text, Number:
		if focused {
			return []string{f.editor.View()}
		}
		v := fd.Get(f.doc)
		switch {
		case v == "" && fd.Placeholder != "":
			return []string{st.Faint.Render(fd.Placeholder)}
		case v == "":
			return []string{st.Faint.Render("—")}
		case fd.Secret:
			return []string{st.Value.Render(strings.Repeat("•", len([]rune(v))))}
		}
		// Whole, over as many lines as it takes (a check command under a
		// long --root): a cut value cannot be checked by eye. The editor
		// scrolls it sideways once focused.
		lines := common.WrapText(v, width)
		for i, l := range lines {
			lines[i] = st.Value.Render(l)
		}
		return lines
	case Toggle:
		if fd.GetBool(f.doc) {
			return []string{st.Value.Render(common.GlyphOn + " on")}
		}
		return []string{st.Subtle.Render(common.GlyphOff + " off")}
	case Choice:
		opts := fd.Options(f.doc)
		cur := OptionIndex(opts, fd.Get(f.doc))
		var lines []string
		line := ""
		for i, o := range opts {
			opt := common.GlyphRadio + " " + o.Label
			style := st.Subtle
			if i == cur {
				opt = common.GlyphRadioOn + " " + o.Label
				style = st.Value
				if focused {
					style = st.ValueFocused
				}
			}
			if line != "" && ansi.StringWidth(line)+2+ansi.StringWidth(opt) > width {
				lines = append(lines, line)
				line = ""
			}
			if line != "" {
				line += "  "
			}
			line += style.Render(opt)
		}
		return append(lines, line)
	case Button:
		return fd.Draw(f.doc, focused, width)
	}
	return []string{""}
}

// Scroll is the first line of a scrolled body (a form and what surrounds
// it), kept so the focused field is whole on screen.
type Scroll struct{ top int }

// Top is the first body line drawn.
func (s *Scroll) Top() int { return s.top }

// Reset goes back to the top.
func (s *Scroll) Reset() { s.top = 0 }

// FitHead cuts the lines above a scrolled body to a third of the height: a
// small terminal keeps most of its lines for the fields.
func FitHead(head []string, height int) []string {
	if len(head) > height/3 {
		return head[:max(1, height/3)]
	}
	return head
}

// Place lays head (fixed) and body (scrolled) out in height lines, moving
// as little as possible so body lines [focusStart, focusEnd) are in view.
// "More" markers replace a line at the edge, never a line of the focused
// field. It is part of laying the screen out (in Update).
func (s *Scroll) Place(st *common.Styles, head, body []string, focusStart, focusEnd, width, height int) []string {
	head = FitHead(head, height)
	avail := max(1, height-len(head))
	top := s.top
	if focusStart >= 0 {
		top = common.ScrollTop(top, focusStart, focusEnd, len(body), avail)
	}
	top = max(0, min(top, len(body)-avail))
	s.top = top
	end := min(len(body), top+avail)
	out := append(append(make([]string, 0, height), head...), body[top:end]...)
	if top > 0 && (top < focusStart || top >= focusEnd) {
		out[len(head)] = st.Faint.Render("  ↑ more")
	}
	if end < len(body) && len(out) > len(head)+1 && (end-1 < focusStart || end-1 >= focusEnd) {
		out[len(out)-1] = st.Faint.Render("  ↓ more")
	}
	return common.Fit(out, width, height)
}
