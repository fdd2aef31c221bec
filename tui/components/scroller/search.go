package scroller

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
)

// match is one occurrence of the needle: cells [start, end) of a line, as
// drawn (tabs expanded, wide characters two cells).
type match struct{ line, start, end int }

// search is the search state: what is being looked for, where it was found,
// and, while the prompt is open, what to go back to on esc.
type search struct {
	needle    string
	matches   []match // in line and column order
	cur       int     // the current match; -1 none
	prompting bool
	last      string // the last needle confirmed, for ↑ in the prompt
	saved     savedView
}

type savedView struct {
	needle  string
	matches []match
	cur     int
	top     pos
	x       int
}

// smartcase: a needle with an upper-case letter matches case; one without
// matches any case.
func caseSensitive(needle string) bool {
	return strings.IndexFunc(needle, unicode.IsUpper) >= 0
}

// runSearch finds every match of needle and makes current the first at or
// after from.
func (m *Model) runSearch(needle string, from match) {
	s := &m.search
	s.needle, s.matches, s.cur = needle, nil, -1
	if needle == "" {
		return
	}
	s.matches = m.searchText().findAll(needle, !caseSensitive(needle))
	if len(s.matches) > 0 {
		s.cur = m.firstFrom(from) % len(s.matches)
	}
}

// firstFrom is the index of the first match at or after from (len(matches)
// when none).
func (m Model) firstFrom(from match) int {
	ms := m.search.matches
	return sort.Search(len(ms), func(i int) bool {
		return ms[i].line > from.line || (ms[i].line == from.line && ms[i].start >= from.start)
	})
}

// lineMatches are line i's matches and the index among them of the current
// one (-1 when it is on another line).
func (m Model) lineMatches(i int) ([]match, int) {
	ms := m.search.matches
	lo := sort.Search(len(ms), func(k int) bool { return ms[k].line >= i })
	hi := lo
	for hi < len(ms) && ms[hi].line == i {
		hi++
	}
	cur := -1
	if m.search.cur >= lo && m.search.cur < hi {
		cur = m.search.cur - lo
	}
	return ms[lo:hi], cur
}

// matchOrigin is where a search run again over new content starts: the
// current match, or the top of the view.
func (m Model) matchOrigin() match {
	if c := m.search.cur; c >= 0 && c < len(m.search.matches) {
		return m.search.matches[c]
	}
	return match{line: m.top.line}
}

// next goes to the next match (dir 1) or the previous one (dir -1). When
// the current match is out of view (the user scrolled away), it goes to the
// first match from the top of the view (or the last up to its bottom).
func (m *Model) next(dir int) {
	s := &m.search
	switch {
	case s.needle == "":
		m.flash = "no search yet: press " + m.keys.Search.Help().Key + " to search"
		return
	case len(s.matches) == 0:
		m.flash = noMatch(s.needle)
		return
	}
	l := m.layout()
	n := len(s.matches)
	wrapped := false
	switch {
	case s.cur >= 0 && m.matchVisible(s.cur, l):
		s.cur += dir
		wrapped = s.cur < 0 || s.cur >= n
		s.cur = (s.cur + n) % n
	case dir > 0:
		s.cur = m.firstFrom(match{line: m.top.line})
		wrapped = s.cur == n
		s.cur %= n
	default:
		s.cur = m.firstFrom(match{line: m.bottomLine(l) + 1}) - 1
		wrapped = s.cur < 0
		s.cur = (s.cur + n) % n
	}
	m.reveal(s.matches[s.cur])
	m.flash, m.flashIsCount = fmt.Sprintf("match %d of %d", s.cur+1, n), true
	if wrapped && n > 1 {
		m.flash, m.flashIsCount = "search wrapped to the top", false
		if dir < 0 {
			m.flash = "search wrapped to the bottom"
		}
	}
}

func noMatch(needle string) string { return fmt.Sprintf("no match for %q", needle) }

// matchRow is the screen row a match starts on.
func (m Model) matchRow(mt match, l layout) pos {
	p := pos{line: mt.line}
	if m.wrap && mt.line < len(m.lines) {
		toks, _ := tokenize(nil, m.lines[mt.line])
		starts := wrapRows(nil, m.lines[mt.line], toks, l.text)
		for r, c := range starts {
			if c <= mt.start {
				p.row = r
			}
		}
	}
	return p
}

func (m Model) matchVisible(i int, l layout) bool {
	d := m.distance(m.matchRow(m.search.matches[i], l), l.body, l)
	return d >= 0 && d < l.body
}

// reveal scrolls so a match is in view: a third of the way down when the
// view has to move, and sideways when lines are not wrapped.
func (m *Model) reveal(mt match) {
	l := m.layout()
	p := m.matchRow(mt, l)
	if d := m.distance(p, l.body, l); d < 0 || d >= l.body {
		m.top = m.clamped(m.advance(p, -(l.body/3), l), l)
	}
	if m.wrap {
		return
	}
	// The last cell may hold the › of a longer line.
	visible := max(1, l.text-1)
	if mt.start < m.x || mt.end > m.x+visible {
		m.x = max(0, mt.start-l.text/3)
		if mt.end > m.x+visible {
			m.x = max(0, min(mt.start, mt.end-visible))
		}
	}
}

// newPrompt is the search prompt: a text input without a blinking cursor
// (it would redraw twice a second for nothing) and without ctrl+v, which
// reads the clipboard with a helper program (the terminal's own paste
// arrives as a paste message).
func newPrompt() textinput.Model {
	ti := textinput.New()
	ti.Prompt = "/"
	ti.KeyMap.Paste.SetEnabled(false)
	return ti
}

func promptStyles(s Styles) textinput.Styles {
	state := textinput.StyleState{Prompt: s.Prompt, Text: s.Text, Placeholder: s.Status}
	return textinput.Styles{
		Focused: state, Blurred: state,
		Cursor: textinput.CursorStyle{Color: s.Prompt.GetForeground(), Blink: false},
	}
}

// promptInfo is what the prompt line says after the needle being typed.
func (m Model) promptInfo() string {
	s := m.search
	switch {
	case m.prompt.Value() == "":
		return ""
	case len(s.matches) == 0:
		return "no match"
	}
	return fmt.Sprintf("%d of %d", s.cur+1, len(s.matches))
}

// promptWidth is the room for the needle on the prompt line.
func (m Model) promptWidth() int {
	info := m.promptInfo()
	w := m.width - lipgloss.Width(m.prompt.Prompt) - 1
	if info != "" {
		w -= len(info) + 2
	}
	return max(1, w)
}

// openPrompt starts a search, remembering the view for esc.
func (m *Model) openPrompt() {
	s := &m.search
	s.saved = savedView{needle: s.needle, matches: s.matches, cur: s.cur, top: m.top, x: m.x}
	s.prompting = true
	m.prompt.Reset()
	m.prompt.Focus()
	m.fitPrompt()
	m.clamp()
}

// fitPrompt gives the text input the room the prompt line has left.
func (m *Model) fitPrompt() {
	m.prompt.SetWidth(m.promptWidth())
	m.prompt.SetCursor(m.prompt.Position())
}

// typed searches as the needle is typed: matches light up and the view
// goes to the first at or after where it was when the prompt opened.
func (m *Model) typed() {
	v := m.prompt.Value()
	sv := m.search.saved
	m.top, m.x = sv.top, sv.x
	m.runSearch(v, match{line: sv.top.line})
	if m.search.cur >= 0 {
		m.reveal(m.search.matches[m.search.cur])
	}
	m.clamp()
	m.fitPrompt()
}

// confirm closes the prompt keeping the search; an empty needle clears it.
func (m *Model) confirm() {
	s := &m.search
	s.prompting = false
	m.prompt.Blur()
	if m.prompt.Value() == "" {
		s.needle, s.matches, s.cur = "", nil, -1
	}
	switch {
	case s.needle == "" && s.saved.needle != "":
		m.flash = "search cleared"
	case s.needle == "":
	case len(s.matches) == 0:
		s.last = s.needle
		m.flash = noMatch(s.needle)
	default:
		s.last = s.needle
		m.flash, m.flashIsCount = fmt.Sprintf("match %d of %d", s.cur+1, len(s.matches)), true
	}
	m.clamp()
}

// cancel closes the prompt and puts back the search and view of before.
func (m *Model) cancel() {
	s := &m.search
	sv := s.saved
	s.prompting = false
	s.needle, s.matches, s.cur = sv.needle, sv.matches, sv.cur
	m.top, m.x = sv.top, sv.x
	m.prompt.Blur()
	m.clamp()
}
