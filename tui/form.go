package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"frontdoor/render"
)

// focused is the item with the focus on the current step (nil when the
// step has no focusable item).
func (m *Model) focused() *item {
	its := m.items[m.step]
	i := m.focus[m.step]
	if i < 0 || i >= len(its) {
		return nil
	}
	return &its[i]
}

// fixFocus moves the focus off items that are hidden or not focusable,
// looking in direction dir first.
func (m *Model) fixFocus(dir int) {
	its := m.items[m.step]
	ok := func(i int) bool { return i >= 0 && i < len(its) && its[i].focusable() && its[i].shown(m) }
	if ok(m.focus[m.step]) {
		return
	}
	for _, d := range []int{dir, -dir} {
		for i := m.focus[m.step] + d; i >= 0 && i < len(its); i += d {
			if ok(i) {
				m.focus[m.step] = i
				return
			}
		}
	}
	m.focus[m.step] = -1
}

// moveFocus moves to the next (dir=+1) or previous focusable item; false
// at either end.
func (m *Model) moveFocus(dir int) bool {
	its := m.items[m.step]
	for i := m.focus[m.step] + dir; i >= 0 && i < len(its); i += dir {
		if its[i].focusable() && its[i].shown(m) {
			m.focus[m.step] = i
			if t := its[i].table; t != nil {
				// Enter a table at the side the focus comes from.
				t.col = 0
				if dir < 0 {
					t.row = t.count(&m.settings) - 1
				} else {
					t.row = 0
				}
				t.clamp(&m.settings)
			}
			return true
		}
	}
	return false
}

// focusChanged loads the editor for the new focus and re-renders the
// preview, whose marks follow the focus.
func (m *Model) focusChanged() tea.Cmd {
	m.loadEditor()
	m.preview.fieldLabel = m.focusLabel()
	m.preview.follow = true
	return m.previewCmd()
}

// loadEditor puts the focused text field or table cell into the editor.
func (m *Model) loadEditor() {
	it := m.focused()
	m.editor.Blur()
	if it == nil {
		return
	}
	m.sizeEditor() // before SetValue: the editor scrolls long values to fit its width
	switch it.kind {
	case itemText, itemNumber:
		m.editor.CharLimit = it.charLimit
		m.editor.SetValue(it.get(m))
	case itemTable:
		t := it.table
		t.clamp(&m.settings)
		cols := t.visibleCols(&m.settings)
		if t.count(&m.settings) == 0 || len(cols) == 0 {
			return
		}
		c := cols[t.col]
		m.editor.CharLimit = c.limit
		m.editor.SetValue(c.get(&m.settings, t.row))
	default:
		return
	}
	m.editor.CursorEnd()
	m.editor.Focus()
}

// sizeEditor fits the editor to the cell or value column it edits.
func (m *Model) sizeEditor() {
	it := m.focused()
	if it == nil {
		return
	}
	if it.kind == itemTable {
		cols := it.table.visibleCols(&m.settings)
		if it.table.col < len(cols) {
			m.editor.SetWidth(cols[it.table.col].width - 1)
		}
		return
	}
	m.editor.SetWidth(max(8, m.formWidth()-2-m.labelWidth()-1))
}

// focusedPerturb is how the preview varies the focused field to find the
// lines it produces (nil for items outside the proxy settings).
func (m *Model) focusedPerturb() func(*render.Settings, int) bool {
	it := m.focused()
	if it == nil || !it.proxy {
		return nil
	}
	if it.kind != itemTable {
		return it.perturb
	}
	t := it.table
	cols := t.visibleCols(&m.settings)
	if t.count(&m.settings) == 0 || len(cols) == 0 {
		return nil
	}
	col, row := cols[t.col], t.row
	return func(s *render.Settings, attempt int) bool { return col.perturb(s, row, attempt) }
}

// gotoStep shows step sid (clamped) and starts what that step needs.
func (m *Model) gotoStep(sid stepID) tea.Cmd {
	sid = max(0, min(sid, stepCount-1))
	m.screen = screenHTTP
	m.step = sid
	m.fixFocus(+1)
	cmds := []tea.Cmd{m.focusChanged()}
	if sid == stepReview && m.settings.Provider == render.Apache && m.target.apacheCtl != "" && m.modules == nil {
		cmds = append(cmds, modulesCmd(m.target.apacheCtl, render.ApacheModules(&m.settings)))
	}
	return tea.Batch(cmds...)
}

// updateHTTP handles a key on an HTTP step.
func (m *Model) updateHTTP(k tea.KeyPressMsg) tea.Cmd {
	if m.previewOpen {
		return m.updatePreview(k)
	}
	switch {
	case key.Matches(k, m.keys.Preview):
		m.previewOpen = true
		m.preview.focused = true
		return nil
	case key.Matches(k, m.keys.Save):
		if m.step != stepReview {
			m.focusButton(stepReview)
			return m.gotoStep(stepReview)
		}
		return m.startSave()
	case key.Matches(k, m.keys.NextStep):
		if m.step < stepReview {
			return m.gotoStep(m.step + 1)
		}
		return nil
	case key.Matches(k, m.keys.PrevStep):
		return m.gotoStep(m.step - 1)
	case key.Matches(k, m.keys.Back):
		if m.step == stepProvider {
			m.screen = screenHome
			return nil
		}
		return m.gotoStep(m.step - 1)
	}
	it := m.focused()
	if it == nil {
		return nil
	}
	switch it.kind {
	case itemTable:
		return m.updateTable(k, it)
	case itemToggle:
		if key.Matches(k, m.keys.Toggle) {
			before := m.settings.Provider
			it.setB(m, !it.getB(m))
			return m.changed(it, before)
		}
	case itemChoice:
		if k.String() == "left" || k.String() == "right" || k.String() == "space" {
			dir := 1
			if k.String() == "left" {
				dir = -1
			}
			n := len(it.choices)
			cur := choiceIndex(it.choices, it.get(m))
			before := m.settings.Provider
			it.set(m, it.choices[(cur+dir+n)%n].value)
			return m.changed(it, before)
		}
	case itemButton:
		if key.Matches(k, m.keys.Enter) {
			return it.press(m)
		}
	}
	switch {
	case key.Matches(k, m.keys.Next):
		return m.move(+1)
	case key.Matches(k, m.keys.Prev):
		return m.move(-1)
	case key.Matches(k, m.keys.Enter):
		if !m.moveFocus(+1) {
			if m.step < stepReview {
				return m.gotoStep(m.step + 1)
			}
			return nil
		}
		return m.focusChanged()
	}
	if it.kind == itemText || it.kind == itemNumber {
		return m.editText(k, k.Text)
	}
	return nil
}

// move moves the focus; at the ends of a step it stays.
func (m *Model) move(dir int) tea.Cmd {
	if m.moveFocus(dir) {
		return m.focusChanged()
	}
	return nil
}

// updateTable handles a key on a row table: rows, columns, add, delete, edit.
func (m *Model) updateTable(k tea.KeyPressMsg, it *item) tea.Cmd {
	t, s := it.table, &m.settings
	n := t.count(s)
	ncols := len(t.visibleCols(s))
	switch {
	case key.Matches(k, m.keys.AddRow):
		at := 0
		if n > 0 {
			at = t.row + 1
		}
		t.insert(s, at)
		t.row, t.col = at, 0
		return tea.Batch(m.changed(it, s.Provider), m.focusChanged())
	case key.Matches(k, m.keys.DeleteRow):
		if n == 0 {
			return nil
		}
		t.remove(s, t.row)
		t.clamp(s)
		return tea.Batch(m.changed(it, s.Provider), m.focusChanged())
	case k.String() == "up":
		if t.row > 0 {
			t.row--
			return m.focusChanged()
		}
		return m.move(-1)
	case k.String() == "down":
		if t.row < n-1 {
			t.row++
			return m.focusChanged()
		}
		return m.move(+1)
	case key.Matches(k, m.keys.Enter):
		if t.row < n-1 {
			t.row++
			return m.focusChanged()
		}
		if m.moveFocus(+1) {
			return m.focusChanged()
		}
		if m.step < stepReview {
			return m.gotoStep(m.step + 1)
		}
		return nil
	case k.String() == "tab":
		if t.col < ncols-1 && n > 0 {
			t.col++
			return m.focusChanged()
		}
		return m.move(+1)
	case k.String() == "shift+tab":
		if t.col > 0 {
			t.col--
			return m.focusChanged()
		}
		return m.move(-1)
	}
	if n == 0 {
		return nil
	}
	return m.editText(k, k.Text)
}

// editText passes a key or paste to the editor and writes the result into
// the focused field or cell. Number fields take digits only.
func (m *Model) editText(msg tea.Msg, typed string) tea.Cmd {
	it := m.focused()
	if it == nil {
		return nil
	}
	number := it.kind == itemNumber
	var col *column
	if it.kind == itemTable {
		cols := it.table.visibleCols(&m.settings)
		if it.table.count(&m.settings) == 0 || len(cols) == 0 {
			return nil
		}
		col = &cols[it.table.col]
		number = col.number
	} else if it.kind != itemText && it.kind != itemNumber {
		return nil
	}
	if number && typed != "" && strings.Trim(typed, "0123456789") != "" {
		return nil
	}
	before := m.editor.Value()
	var cmd tea.Cmd
	m.editor, cmd = m.editor.Update(msg)
	value := m.editor.Value()
	if value == before {
		return cmd
	}
	provider := m.settings.Provider
	if col != nil {
		col.set(&m.settings, it.table.row, value)
	} else {
		it.set(m, value)
	}
	return tea.Batch(cmd, m.changed(it, provider))
}

// changed follows an edit: settings edits re-validate and re-render, save
// target edits re-read the file at the target.
func (m *Model) changed(it *item, providerBefore render.Provider) tea.Cmd {
	m.status = ""
	if it.proxy {
		return m.proxyChanged(providerBefore)
	}
	if m.target.Path != m.targetFile.path {
		return m.reloadTarget(false)
	}
	return nil
}

// focusButton puts the focus on the step's button (the review's Save).
func (m *Model) focusButton(sid stepID) {
	for i, it := range m.items[sid] {
		if it.kind == itemButton {
			m.focus[sid] = i
		}
	}
}

// updatePreview scrolls the preview while it has the focus.
func (m *Model) updatePreview(k tea.KeyPressMsg) tea.Cmd {
	p := &m.preview
	switch {
	case key.Matches(k, m.keys.Back), key.Matches(k, m.keys.Preview):
		m.previewOpen = false
		p.focused = false
	case key.Matches(k, m.keys.ScrollUp):
		p.scroll(-1)
	case key.Matches(k, m.keys.ScrollDown):
		p.scroll(+1)
	case key.Matches(k, m.keys.PageUp):
		p.page(-1)
	case key.Matches(k, m.keys.PageDown):
		p.page(+1)
	case key.Matches(k, m.keys.Top):
		p.home()
	case key.Matches(k, m.keys.Bottom):
		p.end()
	}
	return nil
}

// gotoFirstError shows the step and field of the first error.
func (m *Model) gotoFirstError() tea.Cmd {
	for _, f := range m.findings {
		if f.Severity != render.Error {
			continue
		}
		sid := stepOfPath(&m.items, f.Path)
		cmd := m.gotoStep(sid)
		for i := range m.items[sid] {
			it := &m.items[sid][i]
			if it.path == "" || !it.proxy || !it.shown(m) {
				continue
			}
			if f.Path == it.path {
				m.focus[sid] = i
			} else if it.kind == itemTable && strings.HasPrefix(f.Path, it.path+"[") {
				m.focus[sid] = i
				it.table.row = parseIndex(f.Path[len(it.path):])
				it.table.col = 0
				for ci, c := range it.table.visibleCols(&m.settings) {
					if strings.HasSuffix(f.Path, "."+c.field) {
						it.table.col = ci
					}
				}
				it.table.clamp(&m.settings)
			} else {
				continue
			}
			return tea.Batch(cmd, m.focusChanged())
		}
		return cmd
	}
	return nil
}

// parseIndex reads the n of "[n]..." (0 when absent).
func parseIndex(s string) int {
	n := 0
	for i := 1; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// labelWidth is the width of the label column.
func (m *Model) labelWidth() int {
	if m.formWidth() < 56 {
		return 15
	}
	return 18
}

// renderForm draws the current step: heading, items (the focused one kept
// in view), and the step's own panels.
func (m *Model) renderForm(width, height int) string {
	st := &m.styles
	info := steps[m.step]
	head := []string{st.heading.Render(ansi.Truncate(info.title, width, "…"))}
	head = append(head, wrapPrefixed(info.intro, width, "", "", st.subtle)...)
	head = append(head, "")
	if len(head) > height/3 {
		head = head[:1]
	}
	avail := max(1, height-len(head))

	var lines []string
	focusStart, focusEnd := -1, -1
	lines = append(lines, m.stepPreamble(width)...)
	its := m.items[m.step]
	shown := 0
	for i := range its {
		if its[i].shown(m) {
			shown++
		}
	}
	tableBudget := max(4, avail-len(lines)-2*shown-2)
	for i := range its {
		it := &its[i]
		if !it.shown(m) {
			continue
		}
		focused := i == m.focus[m.step] && !m.previewOpen
		start := len(lines)
		lines = append(lines, m.renderItem(it, focused, width, tableBudget)...)
		if focused {
			focusStart, focusEnd = start, len(lines)
		}
	}
	lines = append(lines, m.stepExtras(width)...)

	// Scroll so the focused item is whole on screen; on the review step keep
	// the save report in view once there is one.
	top := m.formTop[m.step]
	if focusStart >= 0 && m.isLastFocusable() {
		// Nothing to focus below: let the step's panels come into view too.
		focusEnd = len(lines)
	}
	if focusStart >= 0 {
		if focusStart < top {
			top = focusStart
		}
		if focusEnd > top+avail {
			top = min(focusStart, focusEnd-avail)
		}
	}
	top = max(0, min(top, len(lines)-avail))
	m.formTop[m.step] = top
	end := min(len(lines), top+avail)
	body := append(head, lines[top:end]...)
	// "More" markers replace a line at the edge, never a line of the focused item.
	if top > 0 && (top < focusStart || top >= focusEnd) {
		body[len(head)] = st.faint.Render("  ↑ more")
	}
	if end < len(lines) && len(body) > len(head)+1 && (end-1 < focusStart || end-1 >= focusEnd) {
		body[len(body)-1] = st.faint.Render("  ↓ more")
	}
	return fitLines(body, width, height)
}

// isLastFocusable reports whether no focusable item follows the focus.
func (m *Model) isLastFocusable() bool {
	its := m.items[m.step]
	for i := m.focus[m.step] + 1; i < len(its); i++ {
		if its[i].focusable() && its[i].shown(m) {
			return false
		}
	}
	return true
}

// renderItem draws one item: label, value, then its findings, then (when
// focused) its hint.
func (m *Model) renderItem(it *item, focused bool, width, tableBudget int) []string {
	st := &m.styles
	labelW := m.labelWidth()
	indent := strings.Repeat(" ", 2+labelW)
	valueW := max(8, width-2-labelW)
	pointer := "  "
	labelStyle := st.label
	if focused {
		pointer = st.pointer.Render(glyphPointer) + " "
		labelStyle = st.labelFocused
	}
	label := labelStyle.Render(padRight(ansi.Truncate(it.label, labelW-1, "…"), labelW))

	var out []string
	switch it.kind {
	case itemTable:
		out = append(out, pointer+labelStyle.Render(it.label))
		for _, l := range it.table.render(tableView{m: m, focused: focused, width: width - 2, maxRows: tableBudget}) {
			out = append(out, "  "+l)
		}
	case itemInfo:
		wrapped := wrapText(it.info(m), valueW)
		out = append(out, pointer+label+wrapped[0])
		for _, l := range wrapped[1:] {
			out = append(out, indent+l)
		}
	default:
		values := m.itemValue(it, focused, valueW)
		out = append(out, pointer+label+values[0])
		for _, l := range values[1:] {
			out = append(out, indent+l)
		}
	}
	for _, f := range m.index.exact(it.path) {
		out = append(out, findingLines(st, f, width, indent)...)
	}
	if focused {
		hint := it.hint
		if it.kind == itemChoice {
			hint = strings.TrimSpace(it.choices[choiceIndex(it.choices, it.get(m))].help + " " + hint)
		}
		if hint != "" {
			out = append(out, wrapPrefixed(hint, width, indent, indent, st.subtle)...)
		}
	}
	return out
}

// itemValue draws the value part of an item, possibly on several lines.
func (m *Model) itemValue(it *item, focused bool, width int) []string {
	st := &m.styles
	switch it.kind {
	case itemText, itemNumber:
		if focused {
			return []string{m.editor.View()}
		}
		v := it.get(m)
		if v == "" {
			return []string{st.faint.Render("—")}
		}
		return []string{st.value.Render(ansi.Truncate(v, width, "…"))}
	case itemToggle:
		if it.getB(m) {
			return []string{st.value.Render(glyphOn + " on")}
		}
		return []string{st.subtle.Render(glyphOff + " off")}
	case itemChoice:
		cur := choiceIndex(it.choices, it.get(m))
		var lines []string
		line := ""
		for i, c := range it.choices {
			opt := glyphRadio + " " + c.label
			style := st.subtle
			if i == cur {
				opt = glyphRadioOn + " " + c.label
				style = st.value
				if focused {
					style = st.valueFocused
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
	case itemButton:
		return m.buttonValue(it, focused, width)
	}
	return []string{""}
}
