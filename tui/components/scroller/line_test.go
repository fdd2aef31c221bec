package scroller

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestTokenize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, line string
		want       string // graphemes joined by |, escapes as <esc>
		width      int
	}{
		{"ascii", "ab c", "a|b| |c", 4},
		{"tab to the next stop", "ab\tc", "a|b| | | | | | |c", 9},
		{"tab after a wide character", "世\tx", "世| | | | | | |x", 9},
		{"wide", "a世界", "a|世|界", 5},
		{"combining mark", "e\u0301x", "e\u0301|x", 2},
		{"emoji with a skin tone", "👍🏽!", "👍🏽|!", 3},
		{"SGR kept", "\x1b[31mr\x1b[m", "<esc>|r|<esc>", 1},
		{"hyperlink kept", "\x1b]8;;http://x\x1b\\l\x1b]8;;\x1b\\", "<esc>|l|<esc>", 1},
		{"controls dropped", "a\rb\a\x00c\x7f", "a|b|c", 3},
		{"cursor moves dropped", "a\x1b[2Jb\x1b[5;5Hc\x1b[?25l", "a|b|c", 3},
		{"C1 dropped", "a\u0085b", "a|b", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			toks, width := tokenize(nil, tt.line)
			var parts []string
			for _, tk := range toks {
				if tk.w == 0 {
					parts = append(parts, "<esc>")
				} else {
					parts = append(parts, tk.text(tt.line))
				}
			}
			if got := strings.Join(parts, "|"); got != tt.want || width != tt.width {
				t.Errorf("tokenize(%q) = %q width %d, want %q width %d", tt.line, got, width, tt.want, tt.width)
			}
		})
	}
}

func TestEscapes(t *testing.T) {
	t.Parallel()
	for seq, want := range map[string]bool{"\x1b[m": true, "\x1b[0m": true, "\x1b[00m": true, "\x1b[0;31m": true, "\x1b[31m": false, "\x1b[10m": false, "\x1b[38:2::1:2:3m": false} {
		if got := sgrResets(seq); got != want {
			t.Errorf("sgrResets(%q) = %v", seq, got)
		}
	}
	for seq, want := range map[string]bool{"\x1b]8;;\x1b\\": true, "\x1b]8;;\a": true, "\x1b]8;id=1;\a": true, "\x1b]8;;http://x\a": false} {
		if got := linkCloses(seq); got != want {
			t.Errorf("linkCloses(%q) = %v", seq, got)
		}
	}
	if isSGR("\x1b[2J") || !isSGR("\x1b[1;31m") {
		t.Error("isSGR")
	}
}

func TestWrapRows(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line  string
		width int
		want  []int
	}{
		{"", 5, []int{0}},
		{"hello", 5, []int{0}},
		{"hello world", 5, []int{0, 6}},         // the space at the break goes
		{"hello   world", 7, []int{0, 8}},       // so do several
		{"ab cd ef", 5, []int{0, 6}},            // the space that does not fit goes
		{"ab cd ef", 4, []int{0, 3, 6}},         // break after the last space that fits
		{"abcdefghij", 4, []int{0, 4, 8}},       // a word longer than the row breaks hard
		{"a abcdefghij", 4, []int{0, 2, 6, 10}}, // after moving to its own row
		{"世界世界", 3, []int{0, 2, 4, 6}},          // a wide character does not fit in the last cell
		{"世界", 1, []int{0, 2}},                  // wider than the row: a row each
		{"a\tb", 4, []int{0, 8}},                // tab spaces are spaces
		{"\x1b[31mab\x1b[m cd", 3, []int{0, 3}}, // escapes take no room
		{"  /a/long/path", 8, []int{0, 8}},      // the indentation is no break: the path goes on from there
		{"  ab cdefgh", 6, []int{0, 5}},         // after a word, spaces are breaks again
	}
	for _, tt := range tests {
		toks, _ := tokenize(nil, tt.line)
		got := wrapRows(nil, tt.line, toks, tt.width)
		if !equalInts(got, tt.want) {
			t.Errorf("wrapRows(%q, %d) = %v, want %v", tt.line, tt.width, got, tt.want)
		}
		if simpleWidth(tt.line) >= 0 {
			if n := asciiRows(tt.line, tt.width); n != len(tt.want) {
				t.Errorf("asciiRows(%q, %d) = %d, want %d", tt.line, tt.width, n, len(tt.want))
			}
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestHighlightKeepsStyling: a match inside a styled token is drawn in the
// match style alone, and the token's styling comes back after it.
func TestHighlightKeepsStyling(t *testing.T) {
	t.Parallel()
	m := newModel(t, []string{"\x1b[34mproxy_pass\x1b[m http://a;"}, 40, 1)
	keys(&m, "/", "x", "y", "_", "p", "enter")
	want := "\x1b[34mpro\x1b[m\x1b[7mxy_p\x1b[m\x1b[34mass\x1b[m http://a;"
	if got := m.Render(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// TestHyperlinkClosedEachRow: a link cut by the edge of a row is closed
// there and opened again on the next, so it never runs into the gutter.
func TestHyperlinkClosedEachRow(t *testing.T) {
	t.Parallel()
	open := "\x1b]8;;http://x\x1b\\"
	m := newModel(t, []string{open + "abcdef" + linkClose}, 3, 2)
	m.SetWrap(true)
	want := open + "abc" + linkClose + "\n" + open + "def" + linkClose
	if got := m.Render(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// TestQuickWidth: the quick measure agrees with tokenize where it answers.
func TestQuickWidth(t *testing.T) {
	t.Parallel()
	for _, line := range []string{"", "abc", "a\tb", "\t\tx", "\x1b[34mword\x1b[m rest\t;", "\x1b[1;38;2;1;2;3mX\x1b[m", "世界", "\x1b]8;;u\x1b\\l", "a\rb"} {
		_, want := tokenize(nil, line)
		if got := quickWidth(line); got >= 0 && got != want {
			t.Errorf("quickWidth(%q) = %d, want %d", line, got, want)
		}
		if got := lineWidth(line); got != want {
			t.Errorf("lineWidth(%q) = %d, want %d", line, got, want)
		}
	}
}

// TestIndexFoldASCII agrees with strings.Index on lower-cased text.
func TestIndexFoldASCII(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 1))
	alphabet := "aAbB-_ 1zZ"
	gen := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	for range 5000 {
		s, needle := gen(r.IntN(20)), strings.ToLower(gen(1+r.IntN(3)))
		if got, want := indexFoldASCII(s, needle), strings.Index(strings.ToLower(s), needle); got != want {
			t.Fatalf("indexFoldASCII(%q, %q) = %d, want %d", s, needle, got, want)
		}
	}
}
