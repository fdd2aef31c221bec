package scroller

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// KeyMap is the scroller's keys. The prompt keys (Confirm, Cancel, Recall)
// apply while the search prompt is open; every other key then edits the
// needle.
type KeyMap struct {
	Up, Down           key.Binding
	PageUp, PageDown   key.Binding
	HalfUp, HalfDown   key.Binding
	Top, Bottom        key.Binding
	Left, Right        key.Binding
	Wrap, LineNumbers  key.Binding
	Search, Next, Prev key.Binding
	Copy               key.Binding
	Confirm, Cancel    key.Binding
	Recall             key.Binding
}

// DefaultKeyMap is less's and vim's keys, and the arrows.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Up:          b([]string{"up", "k"}, "↑/k", "up"),
		Down:        b([]string{"down", "j"}, "↓/j", "down"),
		PageUp:      b([]string{"pgup", "b"}, "pgup/b", "page up"),
		PageDown:    b([]string{"pgdown", "space"}, "pgdn/space", "page down"),
		HalfUp:      b([]string{"ctrl+u"}, "ctrl+u", "half page up"),
		HalfDown:    b([]string{"ctrl+d"}, "ctrl+d", "half page down"),
		Top:         b([]string{"g", "home"}, "g/home", "top"),
		Bottom:      b([]string{"G", "end"}, "G/end", "bottom"),
		Left:        b([]string{"left", "h"}, "←/h", "scroll left"),
		Right:       b([]string{"right", "l"}, "→/l", "scroll right"),
		Wrap:        b([]string{"w"}, "w", "wrap long lines"),
		LineNumbers: b([]string{"#"}, "#", "line numbers"),
		Search:      b([]string{"/"}, "/", "search"),
		Next:        b([]string{"n"}, "n", "next match"),
		Prev:        b([]string{"N"}, "N", "previous match"),
		Copy:        b([]string{"y"}, "y", "copy all"),
		Confirm:     b([]string{"enter"}, "enter", "search (empty: clear)"),
		Cancel:      b([]string{"esc", "ctrl+c"}, "esc", "cancel search"),
		Recall:      b([]string{"up"}, "↑", "last search"),
	}
}

// wheelRows is how far one notch of the mouse wheel scrolls.
const wheelRows = 3

// Update handles keys, pastes and the mouse wheel while the scroller has
// focus; the parent routes them to it (every key while Capturing). It
// returns nil or the clipboard command, and never does IO.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		m.flash, m.flashIsCount = "", false
		if m.search.prompting {
			return m.updatePrompt(msg)
		}
		return m.handleKey(msg)
	case tea.PasteMsg:
		if m.search.prompting {
			return m.updatePrompt(msg)
		}
	case tea.MouseWheelMsg:
		m.flash, m.flashIsCount = "", false
		m.wheel(msg)
	}
	return nil
}

// Capturing reports whether the search prompt is open: the parent must then
// route EVERY key (esc included) to the scroller, so no key leaks into a
// form field or closes the screen.
func (m Model) Capturing() bool { return m.search.prompting }

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := &m.keys
	l := m.layout()
	page, half := max(1, l.body-1), max(1, l.body/2)
	switch {
	case key.Matches(msg, k.Up):
		m.scroll(-1)
	case key.Matches(msg, k.Down):
		m.scroll(1)
	case key.Matches(msg, k.PageUp):
		m.scroll(-page)
	case key.Matches(msg, k.PageDown):
		m.scroll(page)
	case key.Matches(msg, k.HalfUp):
		m.scroll(-half)
	case key.Matches(msg, k.HalfDown):
		m.scroll(half)
	case key.Matches(msg, k.Top):
		m.GotoTop()
	case key.Matches(msg, k.Bottom):
		m.GotoBottom()
	case key.Matches(msg, k.Left):
		m.scrollX(-m.sideStep(l))
	case key.Matches(msg, k.Right):
		m.scrollX(m.sideStep(l))
	case key.Matches(msg, k.Wrap):
		m.SetWrap(!m.wrap)
		m.flash = "long lines wrapped"
		if !m.wrap {
			m.flash = "long lines not wrapped: " + k.Left.Help().Key + " " + k.Right.Help().Key + " scroll sideways"
		}
	case key.Matches(msg, k.LineNumbers):
		m.SetLineNumbers(!m.numbers)
	case key.Matches(msg, k.Search):
		m.openPrompt()
	case key.Matches(msg, k.Next):
		m.next(1)
	case key.Matches(msg, k.Prev):
		m.next(-1)
	case key.Matches(msg, k.Copy):
		return m.copy()
	}
	return nil
}

// sideStep is how far one sideways key scrolls: 8 columns, less on a
// narrow view.
func (m Model) sideStep(l layout) int { return max(1, min(8, l.text/2)) }

func (m *Model) wheel(msg tea.MouseWheelMsg) {
	l := m.layout()
	shift := msg.Mod.Contains(tea.ModShift)
	switch {
	case msg.Button == tea.MouseWheelUp && shift, msg.Button == tea.MouseWheelLeft:
		m.scrollX(-m.sideStep(l))
	case msg.Button == tea.MouseWheelDown && shift, msg.Button == tea.MouseWheelRight:
		m.scrollX(m.sideStep(l))
	case msg.Button == tea.MouseWheelUp:
		m.scroll(-wheelRows)
	case msg.Button == tea.MouseWheelDown:
		m.scroll(wheelRows)
	}
}

func (m *Model) updatePrompt(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, m.keys.Confirm):
			m.confirm()
			return nil
		case key.Matches(k, m.keys.Cancel):
			m.cancel()
			return nil
		case key.Matches(k, m.keys.Recall):
			if m.search.last != "" && m.prompt.Value() != m.search.last {
				m.prompt.SetValue(m.search.last)
				m.prompt.CursorEnd()
				m.typed()
			}
			return nil
		}
	}
	before := m.prompt.Value()
	var cmd tea.Cmd
	m.prompt, cmd = m.prompt.Update(msg)
	if m.prompt.Value() != before {
		m.typed()
	}
	return cmd
}

// copy sends the content (or the copy text) to the terminal's clipboard
// with OSC 52.
func (m *Model) copy() tea.Cmd {
	text := m.copyContent()
	if text == "" {
		m.flash = "nothing to copy"
		return nil
	}
	n := strings.Count(strings.TrimSuffix(text, "\n"), "\n") + 1
	m.flash = fmt.Sprintf("copied %s (%s) to the clipboard", countNoun(n, "line"), byteSize(len(text)))
	return tea.SetClipboard(text)
}

func countNoun(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func byteSize(n int) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

// ShortHelp is the keys for the wizard's help line.
func (m Model) ShortHelp() []key.Binding {
	k := m.keys
	if m.search.prompting {
		return []key.Binding{k.Confirm, k.Cancel}
	}
	scroll := key.NewBinding(key.WithKeys(append(k.Up.Keys(), k.Down.Keys()...)...), key.WithHelp("↑/↓", "scroll"))
	out := []key.Binding{scroll, k.Search}
	if m.search.needle != "" {
		out = append(out, key.NewBinding(key.WithKeys(append(k.Next.Keys(), k.Prev.Keys()...)...), key.WithHelp("n/N", "next/prev match")))
	}
	wrap := k.Wrap
	wrap.SetHelp("w", "wrap") // the help line is narrow; ? says "wrap long lines"
	return append(out, wrap, k.Copy)
}

// FullHelp is the keys for the ? screen.
func (m Model) FullHelp() [][]key.Binding {
	k := m.keys
	if m.search.prompting {
		return [][]key.Binding{{k.Confirm, k.Cancel, k.Recall}}
	}
	side := []key.Binding{k.Left, k.Right, k.Wrap, k.LineNumbers}
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.HalfUp, k.HalfDown, k.Top, k.Bottom},
		side,
		{k.Search, k.Next, k.Prev, k.Copy},
	}
}
