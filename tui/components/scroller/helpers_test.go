package scroller

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"frontdoor/tui/internal/tuitest"
)

// keys presses each named key in turn and returns the last one's command.
func keys(m *Model, names ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, n := range names {
		cmd = m.Update(tuitest.KeyPress(n))
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
