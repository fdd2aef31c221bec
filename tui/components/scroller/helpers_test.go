package scroller

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// press is the key message a terminal sends for a key name as bubbletea
// spells it ("j", "G", "ctrl+d", "pgdown", "space", "enter").
func press(name string) tea.KeyPressMsg {
	special := map[string]rune{
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "backspace": tea.KeyBackspace, "tab": tea.KeyTab,
	}
	if c, ok := special[name]; ok {
		return tea.KeyPressMsg{Code: c}
	}
	if name == "space" {
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	}
	if c, ok := strings.CutPrefix(name, "ctrl+"); ok {
		return tea.KeyPressMsg{Code: rune(c[0]), Mod: tea.ModCtrl}
	}
	r := []rune(name)
	if len(r) != 1 {
		panic("press: unknown key " + name)
	}
	return tea.KeyPressMsg{Code: r[0], Text: name}
}

// keys presses each key in turn; a key of more than one character that is
// not a key name is typed character by character.
func keys(m *Model, names ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, n := range names {
		cmd = m.Update(press(n))
	}
	return cmd
}

func typeText(m *Model, s string) {
	for _, r := range s {
		m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// numbered is n lines "line 1" .. "line n", each followed by pad.
func numbered(n int, pad string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("line %d%s", i+1, pad)
	}
	return out
}

func newModel(t testing.TB, lines []string, width, height int) Model {
	t.Helper()
	m := New(NoColorStyles())
	m.SetContent(lines, nil)
	m.SetSize(width, height)
	return m
}

// checkFrame fails unless the frame is exactly height lines of at most
// width cells.
func checkFrame(t testing.TB, frame string, width, height int) {
	t.Helper()
	if height <= 0 {
		if frame != "" {
			t.Fatalf("height %d: frame %q, want none", height, frame)
		}
		return
	}
	lines := strings.Split(frame, "\n")
	if len(lines) != height {
		t.Fatalf("%dx%d: %d lines, want %d:\n%s", width, height, len(lines), height, frame)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > max(0, width) {
			t.Fatalf("%dx%d: line %d is %d cells wide: %q", width, height, i, w, l)
		}
	}
}

// plainFrame is a frame without its escape sequences.
func plainFrame(m Model) string { return ansi.Strip(m.Render()) }
