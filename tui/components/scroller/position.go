package scroller

// Scroll positions are screen rows (a line, and a row within it when the
// line is wrapped), so a long wrapped line scrolls row by row. Only the
// lines a move passes over are measured: never the whole content.

// GotoTop shows the first line.
func (m *Model) GotoTop() { m.top = pos{} }

// GotoBottom shows the last line at the bottom.
func (m *Model) GotoBottom() { m.top = m.maxTop(m.layout()) }

// GotoLine makes line i visible: when it is not in view, it comes in with up
// to two lines above it for context (following the focused field).
func (m *Model) GotoLine(i int) {
	if len(m.lines) == 0 {
		return
	}
	i = clampInt(i, 0, len(m.lines)-1)
	l := m.layout()
	if m.lineVisible(i, l) {
		return
	}
	m.top = m.clamped(m.advance(pos{line: i}, -min(2, l.body/4), l), l)
}

// EnsureVisible scrolls the least so lines from..to are in view; when they
// do not fit, from goes to the top.
func (m *Model) EnsureVisible(from, to int) {
	if len(m.lines) == 0 {
		return
	}
	if from > to {
		from, to = to, from
	}
	from, to = clampInt(from, 0, len(m.lines)-1), clampInt(to, 0, len(m.lines)-1)
	l := m.layout()
	start, end := pos{line: from}, pos{line: to, row: m.rows(to, l) - 1}
	switch {
	case start.before(m.top):
		m.top = start
	case m.distance(end, l.body, l) >= l.body:
		m.top = m.advance(end, -(max(1, l.body) - 1), l)
		if start.before(m.top) {
			m.top = start
		}
	}
	m.top = m.clamped(m.top, l)
}

// YOffset is the first line in view.
func (m Model) YOffset() int { return m.top.line }

// AtBottom reports whether the last line is in view (nothing below to scroll to).
func (m Model) AtBottom() bool {
	l := m.layout()
	return !m.top.before(m.maxTop(l))
}

// scroll moves the view n rows down (up when n < 0).
func (m *Model) scroll(n int) {
	l := m.layout()
	m.top = m.clamped(m.advance(m.top, n, l), l)
}

// clamp brings the position back into the content after a change of
// content, size or layout.
func (m *Model) clamp() {
	l := m.layout()
	m.top = m.clamped(m.top, l)
	if m.wrap {
		m.x = 0
	}
}

// clamped is p moved into the content, no further down than maxTop.
func (m Model) clamped(p pos, l layout) pos {
	if len(m.lines) == 0 || p.line < 0 {
		return pos{}
	}
	if p.line >= len(m.lines) {
		p = pos{line: len(m.lines) - 1, row: m.rows(len(m.lines)-1, l)}
	}
	p.row = clampInt(p.row, 0, m.rows(p.line, l)-1)
	if mt := m.maxTop(l); mt.before(p) {
		return mt
	}
	return p
}

// maxTop is the furthest the view scrolls down: the last row at the bottom.
func (m Model) maxTop(l layout) pos {
	if len(m.lines) == 0 {
		return pos{}
	}
	last := len(m.lines) - 1
	end := pos{line: last, row: m.rows(last, l) - 1}
	return m.advance(end, -(max(1, l.body) - 1), l)
}

// advance moves p n rows down (up when n < 0), stopping at the first and
// the last row.
func (m Model) advance(p pos, n int, l layout) pos {
	if len(m.lines) == 0 {
		return pos{}
	}
	if !m.wrap {
		return pos{line: clampInt(p.line+n, 0, len(m.lines)-1)}
	}
	for n > 0 {
		r := m.rows(p.line, l)
		if left := r - 1 - p.row; n <= left {
			p.row += n
			return p
		} else if p.line == len(m.lines)-1 {
			p.row = r - 1
			return p
		} else {
			n -= left + 1
			p = pos{line: p.line + 1}
		}
	}
	for n < 0 {
		if -n <= p.row {
			p.row += n
			return p
		}
		if p.line == 0 {
			return pos{}
		}
		n += p.row + 1
		p = pos{line: p.line - 1, row: m.rows(p.line-1, l) - 1}
	}
	return p
}

// distance is how many rows p is below the top of the view: -1 when it is
// above, and limit at most (counting stops there).
func (m Model) distance(p pos, limit int, l layout) int {
	if p.before(m.top) {
		return -1
	}
	if !m.wrap {
		return min(p.line-m.top.line, limit)
	}
	d, q := 0, m.top
	for q.line < p.line {
		d += m.rows(q.line, l) - q.row
		q = pos{line: q.line + 1}
		if d >= limit {
			return limit
		}
	}
	return min(limit, d+p.row-q.row)
}

// lineVisible reports whether every row of line i is in view.
func (m Model) lineVisible(i int, l layout) bool {
	if i < m.top.line || (i == m.top.line && m.top.row > 0) {
		return false
	}
	return m.distance(pos{line: i, row: m.rows(i, l) - 1}, l.body, l) < l.body
}

// bottomLine is the last line with a row in view.
func (m Model) bottomLine(l layout) int {
	end := m.advance(m.top, max(1, l.body)-1, l)
	return end.line
}

// scrollX moves the view n columns right (left when n < 0), no further than
// shows the end of the widest line in view.
func (m *Model) scrollX(n int) {
	if m.wrap {
		m.flash = "lines are wrapped: press " + m.keys.Wrap.Help().Key + " to scroll sideways"
		return
	}
	l := m.layout()
	widest, bottom := 0, m.bottomLine(l)
	for i := m.top.line; i < len(m.lines) && i <= bottom; i++ {
		widest = max(widest, lineWidth(m.lines[i]))
	}
	m.x = clampInt(m.x+n, 0, max(0, widest-l.text))
}

func clampInt(v, lo, hi int) int { return max(lo, min(v, hi)) }
