package scroller

import (
	"math/rand/v2"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/charmbracelet/x/ansi"
)

// fragments are what random lines are made of: words, spaces, tabs, wide
// characters, emoji, combining marks, styling, hyperlinks, and control
// sequences that must never reach the terminal.
var fragments = []string{
	"a", "word", "longerword", "x=1;", " ", "  ", "\t", "世界", "ｗｉｄｅ", "👍🏽", "e\u0301", "İ", "ß",
	"\x1b[31m", "\x1b[0m", "\x1b[m", "\x1b[1;4;38;2;10;20;30m", "\x1b]8;;https://example.com\x1b\\", "\x1b]8;;\x1b\\",
	"\r", "\a", "\x1b[2J", "\x1b[10;10H", "\x00",
}

func randomLine(r *rand.Rand) string {
	var b strings.Builder
	for range r.IntN(12) {
		b.WriteString(fragments[r.IntN(len(fragments))])
	}
	return b.String()
}

func randomLines(r *rand.Rand) []string {
	lines := make([]string, r.IntN(40))
	for i := range lines {
		lines[i] = randomLine(r)
	}
	return lines
}

var randomKeys = []string{
	"j", "k", "down", "up", "pgdown", "pgup", "space", "b", "ctrl+d", "ctrl+u", "g", "G", "home", "end",
	"h", "l", "left", "right", "w", "#", "n", "N", "y", "/", "a", "o", "e", "enter", "esc", "backspace", "up",
}

// TestRenderSize: whatever the size, content and state, Render draws
// exactly height lines of at most width cells, draws no … of its own,
// lets no cursor-moving sequence through, and changes nothing.
func TestRenderSize(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(8, 2026))
	sizes := [][2]int{{0, 0}, {0, 5}, {1, 1}, {1, 0}, {1, 5}, {2, 2}, {3, 1}, {5, 3}}
	for range 300 {
		sizes = append(sizes, [2]int{r.IntN(40) - 2, r.IntN(14) - 1})
	}
	for _, size := range sizes {
		width, height := size[0], size[1]
		m := New(NoColorStyles())
		m.SetContent(randomLines(r), nil)
		if r.IntN(2) == 0 {
			m.SetGutter([]string{"+▍", "-", "\x1b[32m+\x1b[m "})
		}
		m.ShowStatus(r.IntN(2) == 0)
		m.SetWrap(r.IntN(2) == 0)
		m.SetLineNumbers(r.IntN(2) == 0)
		m.SetSize(width, height)
		for range 25 {
			frame := m.Render()
			checkFrame(t, frame, width, height)
			if strings.Contains(frame, "…") {
				t.Fatalf("%dx%d: an ellipsis: %q", width, height, frame)
			}
			for _, bad := range []string{"\x1b[2J", "\x1b[10;10H", "\r", "\a", "\x00"} {
				if strings.Contains(frame, bad) {
					t.Fatalf("%dx%d: %q reached the terminal: %q", width, height, bad, frame)
				}
			}
			top, x := m.YOffset(), m.XOffset()
			if again := m.Render(); again != frame || m.YOffset() != top || m.XOffset() != x {
				t.Fatalf("Render is not pure")
			}
			switch r.IntN(12) {
			case 0:
				m.SetContent(randomLines(r), nil)
			case 1:
				width, height = r.IntN(40)-2, r.IntN(14)-1
				m.SetSize(width, height)
			case 2:
				buttons := []tea.MouseButton{tea.MouseWheelUp, tea.MouseWheelDown, tea.MouseWheelLeft, tea.MouseWheelRight}
				m.Update(tea.MouseWheelMsg{Button: buttons[r.IntN(len(buttons))], Mod: tea.KeyMod(r.IntN(2)) * tea.ModShift})
			case 3:
				m.EnsureVisible(r.IntN(50)-5, r.IntN(50)-5)
			default:
				keys(&m, randomKeys[r.IntN(len(randomKeys))])
			}
		}
	}
}

// TestWrapLosesNothing: the rows of a wrapped line hold all its text (the
// spaces a break falls on aside), whatever the width.
func TestWrapLosesNothing(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 14))
	noSpace := func(s string) string { return strings.ReplaceAll(s, " ", "") }
	for range 300 {
		line := randomLine(r)
		width := 2 + r.IntN(20)
		m := newModel(t, []string{line}, width, 100)
		m.SetWrap(true)
		rows := strings.Split(strings.TrimRight(plainFrame(m), "\n"), "\n")
		got := noSpace(strings.Join(rows, ""))
		want := noSpace(tokensText(line))
		if got != want {
			t.Fatalf("line %q at width %d: rows %q hold %q, want %q", line, width, rows, got, want)
		}
	}
}

// tokensText is what a line shows: its graphemes, tabs as spaces.
func tokensText(line string) string {
	toks, _ := tokenize(nil, line)
	var b strings.Builder
	for _, t := range toks {
		if t.w > 0 {
			b.WriteString(t.text(line))
		}
	}
	return b.String()
}

// TestSidewaysLosesNothing: scrolling right step by step shows every cell
// of a long line at some point.
func TestSidewaysLosesNothing(t *testing.T) {
	t.Parallel()
	line := "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	for width := 2; width < 20; width++ {
		m := newModel(t, []string{line}, width, 1)
		seen := map[byte]bool{}
		for range 80 {
			for _, c := range []byte(strings.TrimSuffix(plainFrame(m), moreGlyph)) {
				seen[c] = true
			}
			keys(&m, "l")
		}
		for _, c := range []byte(line) {
			if !seen[c] {
				t.Fatalf("width %d: %q never shown", width, c)
			}
		}
	}
}

// TestASCIIRows: the fast row count for plain ASCII is the general one.
func TestASCIIRows(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 5))
	words := []string{"a", "bb", "cccc", "dddddddddd", " ", "  ", "x=y;", "-"}
	for range 2000 {
		var b strings.Builder
		for range r.IntN(15) {
			b.WriteString(words[r.IntN(len(words))])
		}
		line, width := b.String(), 1+r.IntN(12)
		toks, _ := tokenize(nil, line)
		if got, want := asciiRows(line, width), len(wrapRows(nil, line, toks, width)); got != want {
			t.Fatalf("%q at %d: asciiRows %d, wrapRows %d", line, width, got, want)
		}
	}
}

// TestRenderWidthExact: rows drawn sideways fill the text width exactly
// when the line is longer (the › in the last cell).
func TestRenderWidthExact(t *testing.T) {
	t.Parallel()
	m := newModel(t, []string{"世界世界世界世界", "ab\tcd世"}, 7, 2)
	for range 6 {
		for i, l := range strings.Split(m.Render(), "\n") {
			if w := ansi.StringWidth(l); i == 0 && w != 7 {
				t.Fatalf("x=%d: row %q is %d cells, want 7", m.XOffset(), l, w)
			}
		}
		keys(&m, "l")
	}
}
