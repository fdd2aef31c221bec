package scroller

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"frontdoor/tui/internal/tuitest"
)

// state is what a key changes, as the parent sees it.
type state struct {
	top, x        int
	wrap, numbers bool
	capturing     bool
	flash         string
	status        string // the status line, without styling
}

func stateOf(m Model) state {
	frame := strings.Split(plainFrame(m), "\n")
	return state{
		top: m.YOffset(), x: m.XOffset(), wrap: m.Wrap(), numbers: m.LineNumbers(),
		capturing: m.Capturing(), flash: m.Flash(), status: strings.TrimRight(frame[len(frame)-1], " "),
	}
}

// TestKeys: 100 lines of 67 cells in a 40x10 view with the status line
// (9 rows of content, 40 cells of text).
func TestKeys(t *testing.T) {
	t.Parallel()
	long := " " + strings.Repeat("x", 60)
	tests := []struct {
		name string
		keys []string
		want state
	}{
		{"down", []string{"down"}, state{top: 1, status: "L2-10/100"}},
		{"j", []string{"j", "j"}, state{top: 2, status: "L3-11/100"}},
		{"up", []string{"j", "j", "up"}, state{top: 1, status: "L2-10/100"}},
		{"k", []string{"j", "k"}, state{top: 0, status: "L1-9/100"}},
		{"up at the top stays", []string{"k"}, state{top: 0, status: "L1-9/100"}},
		{"pgdown keeps a line", []string{"pgdown"}, state{top: 8, status: "L9-17/100"}},
		{"space", []string{"space", "space"}, state{top: 16, status: "L17-25/100"}},
		{"pgup", []string{"pgdown", "pgdown", "pgup"}, state{top: 8, status: "L9-17/100"}},
		{"b", []string{"pgdown", "b"}, state{top: 0, status: "L1-9/100"}},
		{"ctrl+d", []string{"ctrl+d"}, state{top: 4, status: "L5-13/100"}},
		{"ctrl+u", []string{"ctrl+d", "ctrl+d", "ctrl+u"}, state{top: 4, status: "L5-13/100"}},
		{"G", []string{"G"}, state{top: 91, status: "L92-100/100"}},
		{"end", []string{"end"}, state{top: 91, status: "L92-100/100"}},
		{"down at the bottom stays", []string{"G", "j"}, state{top: 91, status: "L92-100/100"}},
		{"g", []string{"G", "g"}, state{top: 0, status: "L1-9/100"}},
		{"home", []string{"G", "home"}, state{top: 0, status: "L1-9/100"}},
		{"right", []string{"right"}, state{x: 8, status: "L1-9/100 · col 9"}},
		// Stops where the widest line in view ends.
		{"l", []string{"l", "l", "l", "l"}, state{x: 27, status: "L1-9/100 · col 28"}},
		{"left", []string{"l", "l", "left"}, state{x: 8, status: "L1-9/100 · col 9"}},
		{"h", []string{"l", "h", "h"}, state{x: 0, status: "L1-9/100"}},
		{"w", []string{"l", "w"}, state{wrap: true, flash: "long lines wrapped", status: "L1-3/100 · wrap · long lines wrapped"}},
		{"w again", []string{"w", "w"}, state{flash: "long lines not wrapped: ←/h →/l scroll sideways", status: "L1-9/100 · long lines not wrapped: ←/h →"}},
		{"l while wrapped", []string{"w", "l"}, state{wrap: true, flash: "lines are wrapped: press w to scroll sideways", status: "L1-3/100 · lines are wrapped: press w to"}},
		{"j while wrapped scrolls a row", []string{"w", "j"}, state{wrap: true, status: "L1-4/100 · wrap"}},
		{"#", []string{"#"}, state{numbers: true, status: "L1-9/100"}},
		{"# again", []string{"#", "#"}, state{status: "L1-9/100"}},
		{"/ opens the prompt", []string{"/"}, state{capturing: true, status: "/"}},
		{"typing searches", []string{"/", "5", "0"}, state{top: 46, capturing: true, status: "/50                               1 of 1"}},
		{"enter keeps the search", []string{"/", "5", "enter"}, state{flash: "match 1 of 20", status: "L1-9/100 · /5 1 of 20"}},
		{"esc puts the view back", []string{"j", "/", "5", "0", "esc"}, state{top: 1, status: "L2-10/100"}},
		{"ctrl+c cancels too", []string{"/", "5", "0", "ctrl+c"}, state{status: "L1-9/100"}},
		{"keys go to the prompt", []string{"/", "G", "q", "esc"}, state{status: "L1-9/100"}},
		{"esc puts the last search back", []string{"/", "5", "enter", "/", "7", "esc"}, state{status: "L1-9/100 · /5 1 of 20"}},
		{"no match", []string{"/", "z", "enter"}, state{flash: `no match for "z"`, status: `L1-9/100 · /z no match · no match for "z`}},
		{"no match while typing", []string{"/", "z"}, state{capturing: true, status: "/z                              no match"}},
		{"empty enter clears", []string{"/", "5", "enter", "/", "enter"}, state{flash: "search cleared", status: "L1-9/100 · search cleared"}},
		{"backspace edits the needle", []string{"/", "5", "0", "backspace", "enter"}, state{flash: "match 1 of 20", status: "L1-9/100 · /5 1 of 20"}},
		{"up recalls the last search", []string{"/", "5", "0", "enter", "g", "/", "up", "enter"}, state{top: 46, flash: "match 1 of 1", status: "L47-55/100 · /50 1 of 1"}},
		{"n", []string{"/", "5", "enter", "n"}, state{top: 11, flash: "match 2 of 20", status: "L12-20/100 · /5 2 of 20"}},
		{"n again", []string{"/", "5", "enter", "n", "n"}, state{top: 21, flash: "match 3 of 20", status: "L22-30/100 · /5 3 of 20"}},
		{"N", []string{"/", "5", "enter", "n", "n", "N"}, state{top: 11, flash: "match 2 of 20", status: "L12-20/100 · /5 2 of 20"}},
		{"N wraps", []string{"/", "5", "enter", "N"}, state{top: 91, flash: "search wrapped to the bottom", status: "L92-100/100 · /5 20 of 20 · search wrapp"}},
		{"n wraps", []string{"/", "5", "enter", "G", "n", "n"}, state{top: 1, flash: "search wrapped to the top", status: "L2-10/100 · /5 1 of 20 · search wrapped"}},
		{"n after scrolling starts from the view", []string{"/", "5", "enter", "pgdown", "pgdown", "n"}, state{top: 16, flash: "match 3 of 20", status: "L17-25/100 · /5 3 of 20"}},
		{"N after scrolling starts from the view", []string{"/", "5", "enter", "pgdown", "pgdown", "N"}, state{top: 16, flash: "match 3 of 20", status: "L17-25/100 · /5 3 of 20"}},
		{"n without a search", []string{"n"}, state{flash: "no search yet: press / to search", status: "L1-9/100 · no search yet: press / to sea"}},
		{"smartcase: lower matches any case", []string{"/", "l", "i", "n", "e", " ", "4", "2", "enter"}, state{top: 38, flash: "match 1 of 1", status: "L39-47/100 · /line 42 1 of 1"}},
		{"smartcase: upper matches case", []string{"/", "L", "i", "n", "e", "enter"}, state{flash: `no match for "Line"`, status: `L1-9/100 · /Line no match · no match for`}},
		{"y", []string{"y"}, state{flash: "copied 100 lines (6.9 kB) to the clipboard", status: "L1-9/100 · copied 100 lines (6.9 kB) to"}},
		{"an unknown key does nothing", []string{"x"}, state{status: "L1-9/100"}},
		{"a key clears the flash", []string{"y", "j"}, state{top: 1, status: "L2-10/100"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := newModel(t, numbered(100, long), 40, 10)
			m.ShowStatus(true)
			keys(&m, tt.keys...)
			got := stateOf(m)
			if got != tt.want {
				t.Errorf("keys %q:\n got %+v\nwant %+v", tt.keys, got, tt.want)
			}
		})
	}
}

func TestWheel(t *testing.T) {
	t.Parallel()
	long := " " + strings.Repeat("x", 40)
	wheel := func(b tea.MouseButton, mod tea.KeyMod) tea.MouseWheelMsg {
		return tea.MouseWheelMsg{Button: b, Mod: mod}
	}
	tests := []struct {
		name   string
		msgs   []tea.Msg
		top, x int
	}{
		{"down", []tea.Msg{wheel(tea.MouseWheelDown, 0)}, 3, 0},
		{"up", []tea.Msg{wheel(tea.MouseWheelDown, 0), wheel(tea.MouseWheelDown, 0), wheel(tea.MouseWheelUp, 0)}, 3, 0},
		{"right", []tea.Msg{wheel(tea.MouseWheelRight, 0)}, 0, 8},
		{"left", []tea.Msg{wheel(tea.MouseWheelRight, 0), wheel(tea.MouseWheelRight, 0), wheel(tea.MouseWheelLeft, 0)}, 0, 8},
		{"shift+down goes right", []tea.Msg{wheel(tea.MouseWheelDown, tea.ModShift)}, 0, 8},
		{"shift+up goes left", []tea.Msg{wheel(tea.MouseWheelDown, tea.ModShift), wheel(tea.MouseWheelUp, tea.ModShift)}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := newModel(t, numbered(100, long), 20, 10)
			for _, msg := range tt.msgs {
				if cmd := m.Update(msg); cmd != nil {
					t.Errorf("%v returned a command", msg)
				}
			}
			if m.YOffset() != tt.top || m.XOffset() != tt.x {
				t.Errorf("top %d x %d, want %d %d", m.YOffset(), m.XOffset(), tt.top, tt.x)
			}
		})
	}
}

// TestCopy: y returns OSC 52 for the plain content, or the copy text.
func TestCopy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, copyText string
		lines, plain   []string
		want, flash    string
	}{
		{"styled lines copy as plain", "", []string{"\x1b[31mred\x1b[m", "two"}, nil, "red\ntwo", "copied 2 lines (7 B) to the clipboard"},
		{"the caller's plain lines", "", []string{"\x1b[31mred\x1b[m"}, []string{"red!"}, "red!", "copied 1 line (4 B) to the clipboard"},
		{"the copy text", "whole export\n", []string{"a"}, nil, "whole export\n", "copied 1 line (13 B) to the clipboard"},
		{"nothing", "", nil, nil, "", "nothing to copy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := New(NoColorStyles())
			m.SetContent(tt.lines, tt.plain)
			m.SetCopyText(tt.copyText)
			cmd := m.Update(tuitest.KeyPress("y"))
			if m.Flash() != tt.flash {
				t.Errorf("flash %q, want %q", m.Flash(), tt.flash)
			}
			if tt.want == "" {
				if cmd != nil {
					t.Errorf("a command for nothing")
				}
				return
			}
			if cmd == nil {
				t.Fatal("no command")
			}
			msg := cmd()
			if got := fmt.Sprintf("%T", msg); got != "tea.setClipboardMsg" {
				t.Fatalf("message %s, want tea.setClipboardMsg", got)
			}
			if got := fmt.Sprint(msg); got != tt.want {
				t.Errorf("copied %q, want %q", got, tt.want)
			}
		})
	}
}
