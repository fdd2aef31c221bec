package scroller

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"

	"frontdoor/tui/internal/tuitest"
)

func TestPositions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		do     func(m *Model)
		top    int
		bottom bool
	}{
		{"GotoLine in view does nothing", func(m *Model) { m.GotoLine(5) }, 0, false},
		{"GotoLine below comes in with context", func(m *Model) { m.GotoLine(50) }, 48, false},
		{"GotoLine above", func(m *Model) { m.GotoBottom(); m.GotoLine(10) }, 8, false},
		{"GotoLine past the end", func(m *Model) { m.GotoLine(1000) }, 90, true},
		{"EnsureVisible below scrolls the least", func(m *Model) { m.EnsureVisible(20, 22) }, 13, false},
		{"EnsureVisible above", func(m *Model) { m.GotoBottom(); m.EnsureVisible(20, 22) }, 20, false},
		{"EnsureVisible in view does nothing", func(m *Model) { m.EnsureVisible(2, 8) }, 0, false},
		{"EnsureVisible taller than the view shows the start", func(m *Model) { m.EnsureVisible(30, 60) }, 30, false},
		{"EnsureVisible backwards", func(m *Model) { m.EnsureVisible(60, 30) }, 30, false},
		{"GotoBottom", func(m *Model) { m.GotoBottom() }, 90, true},
		{"GotoTop", func(m *Model) { m.GotoBottom(); m.GotoTop() }, 0, false},
		{"a taller view clamps", func(m *Model) { m.GotoBottom(); m.SetSize(20, 20) }, 80, true},
		{"fewer lines clamp", func(m *Model) { m.GotoBottom(); m.SetContent(numbered(50, ""), nil) }, 40, true},
		{"new lines keep the position", func(m *Model) { m.GotoLine(40); m.SetContent(numbered(200, "!"), nil) }, 38, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := newModel(t, numbered(100, ""), 20, 10)
			tt.do(&m)
			if m.YOffset() != tt.top || m.AtBottom() != tt.bottom {
				t.Errorf("top %d at bottom %v, want %d %v", m.YOffset(), m.AtBottom(), tt.top, tt.bottom)
			}
		})
	}
}

func TestPositionsWrapped(t *testing.T) {
	t.Parallel()
	// Each line takes 3 rows at 10 cells: "line N" and two rows of x.
	m := newModel(t, numbered(20, " "+strings.Repeat("x", 10)+" "+strings.Repeat("x", 10)), 10, 6)
	m.SetWrap(true)
	m.GotoBottom()
	if m.YOffset() != 18 || !m.AtBottom() {
		t.Fatalf("bottom: top %d", m.YOffset())
	}
	keys(&m, "k")
	if m.top != (pos{line: 17, row: 2}) || m.AtBottom() {
		t.Fatalf("a row up: %+v", m.top)
	}
	m.EnsureVisible(5, 5)
	if m.top != (pos{line: 5}) {
		t.Fatalf("EnsureVisible(5, 5): %+v", m.top)
	}
	m.EnsureVisible(7, 7) // the whole of line 7 (rows 21-23) at the bottom
	if m.top != (pos{line: 6, row: 0}) {
		t.Fatalf("EnsureVisible(7, 7): %+v", m.top)
	}
	if got := strings.Split(plainFrame(m), "\n")[5]; got != "xxxxxxxxxx" {
		t.Fatalf("last row %q", got)
	}
}

func TestFollowTail(t *testing.T) {
	t.Parallel()
	m := newModel(t, numbered(20, ""), 20, 5)
	m.SetFollowTail(true)
	m.GotoBottom()
	m.SetContent(numbered(30, ""), nil)
	if !m.AtBottom() || m.YOffset() != 25 {
		t.Fatalf("at the bottom: top %d", m.YOffset())
	}
	keys(&m, "k")
	m.SetContent(numbered(40, ""), nil)
	if m.AtBottom() || m.YOffset() != 24 {
		t.Fatalf("scrolled up: top %d", m.YOffset())
	}
}

// TestSearchStyledLines: search looks at the plain text, whatever the
// styling, and the caller's plain lines when given.
func TestSearchStyledLines(t *testing.T) {
	t.Parallel()
	styled := []string{"\x1b[31mfo\x1b[1mo\x1b[m bar", "x \x1b[4mFoo\x1b[m"}
	tests := []struct {
		name   string
		plain  []string
		needle string
		want   []match
	}{
		{"across escapes", nil, "foo", []match{{0, 0, 3}, {1, 2, 5}}},
		{"smartcase", nil, "Foo", []match{{1, 2, 5}}},
		{"the caller's plain lines", []string{"foo bar", "x Foo"}, "o b", []match{{0, 2, 5}}},
		{"escape bytes are not text", nil, "31m", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := New(NoColorStyles())
			m.SetContent(styled, tt.plain)
			m.SetSize(20, 5)
			keys(&m, "/")
			typeText(&m, tt.needle)
			keys(&m, "enter")
			if !equalMatches(m.search.matches, tt.want) {
				t.Errorf("matches %v, want %v", m.search.matches, tt.want)
			}
		})
	}
}

// TestSearchColumns: match columns count cells as drawn: tabs expanded,
// wide characters two cells, case folded without shifting.
func TestSearchColumns(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line, needle string
		want         []match
	}{
		{"a\tkey", "key", []match{{0, 8, 11}}},
		{"世界 key", "key", []match{{0, 5, 8}}},
		{"世界世界", "界", []match{{0, 2, 4}, {0, 6, 8}}},
		{"İSTANBUL istanbul", "stan", []match{{0, 1, 5}, {0, 10, 14}}},
		{"STRASSE straße", "straße", []match{{0, 8, 14}}},
		{"aaaa", "aa", []match{{0, 0, 2}, {0, 2, 4}}},
	}
	for _, tt := range tests {
		m := newModel(t, []string{tt.line}, 40, 3)
		keys(&m, "/")
		typeText(&m, tt.needle)
		keys(&m, "enter")
		if !equalMatches(m.search.matches, tt.want) {
			t.Errorf("%q in %q: %v, want %v", tt.needle, tt.line, m.search.matches, tt.want)
		}
	}
}

func equalMatches(a, b []match) bool {
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

// TestSearchFollowsContent: new content is searched again, the current
// match staying where it was.
func TestSearchFollowsContent(t *testing.T) {
	t.Parallel()
	m := newModel(t, numbered(100, ""), 20, 10)
	keys(&m, "/", "7", "enter", "n", "n") // lines 7, 17, 27: the third
	m.SetContent(append([]string{"line 7 new"}, numbered(100, "")...), nil)
	if got := m.search.matches[m.search.cur]; got.line != 27 || len(m.search.matches) != 21 {
		t.Fatalf("current %+v of %d", got, len(m.search.matches))
	}
	m.SetContent([]string{"nothing"}, nil)
	if m.search.cur != -1 || !strings.Contains(plainFrame(m), "") {
		t.Fatal("matches remain")
	}
	m.ShowStatus(true)
	if got := strings.TrimSpace(strings.Split(plainFrame(m), "\n")[9]); got != "L1-1/1 · /7 no match" {
		t.Fatalf("status %q", got)
	}
}

// TestInvisibleMatchStyles: match styles that draw nothing (colour off and
// no attributes) are replaced, so matches stay visible and distinct.
func TestInvisibleMatchStyles(t *testing.T) {
	t.Parallel()
	plain := lipgloss.NewStyle()
	for name, st := range map[string]Styles{
		"none":      {Match: plain, CurrentMatch: plain},
		"same":      {Match: plain.Reverse(true), CurrentMatch: plain.Reverse(true)},
		"only bold": {Match: plain.Bold(true), CurrentMatch: plain.Bold(true)},
	} {
		c := compileStyles(st)
		if c.match.pre == "" || c.current.pre == "" || c.match == c.current {
			t.Errorf("%s: match %q current %q", name, c.match.pre, c.current.pre)
		}
	}
	// Layout in a style is ignored: only colours and attributes count.
	c := compile(plain.Reverse(true).Padding(0, 3).Width(30).Border(lipgloss.NormalBorder()))
	if c.render("x") != "\x1b[7mx\x1b[m" {
		t.Errorf("layout leaked: %q", c.render("x"))
	}
}

func TestGutter(t *testing.T) {
	t.Parallel()
	m := newModel(t, []string{"one", "two", "three"}, 12, 3)
	m.SetGutter([]string{"+▍", "-"}) // a short entry is padded; a missing one is blank
	m.SetLineNumbers(true)
	want := "1 +▍one\n2 - two\n3   three"
	if got := plainFrame(m); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	m := newModel(t, numbered(10, ""), 20, 5)
	helpKeys := func() string {
		var out []string
		for _, b := range m.ShortHelp() {
			out = append(out, b.Help().Key)
		}
		return strings.Join(out, " ")
	}
	if got := helpKeys(); got != "↑/↓ / w y" {
		t.Errorf("short help %q", got)
	}
	keys(&m, "/", "1", "enter")
	if got := helpKeys(); got != "↑/↓ / n/N w y" {
		t.Errorf("with a search %q", got)
	}
	keys(&m, "/")
	if got := helpKeys(); got != "enter esc" {
		t.Errorf("prompting %q", got)
	}
	n := 0
	for _, g := range m.FullHelp() {
		n += len(g)
	}
	keys(&m, "esc")
	for _, g := range m.FullHelp() {
		n += len(g)
	}
	if n != 3+16 {
		t.Errorf("full help has %d keys", n)
	}
}

// TestContentChangesWhilePrompting: esc goes back to the search of before,
// found again in the new lines.
func TestContentChangesWhilePrompting(t *testing.T) {
	t.Parallel()
	m := newModel(t, numbered(30, ""), 20, 5)
	keys(&m, "/", "2", "0", "enter", "/", "9")
	m.SetContent(append([]string{"20 at the top"}, numbered(30, "")...), nil)
	keys(&m, "esc")
	if len(m.search.matches) != 2 || m.search.matches[0].line != 0 || m.search.needle != "20" {
		t.Fatalf("search after esc: %q %+v", m.search.needle, m.search.matches)
	}
	// plain of another length than the lines is not used.
	m.SetContent([]string{"\x1b[1ma\x1b[m", "b"}, []string{"x"})
	if got := m.copyContent(); got != "a\nb" {
		t.Fatalf("copy %q", got)
	}
}

func TestVisibleLinesAndStatusText(t *testing.T) {
	t.Parallel()
	m := newModel(t, numbered(100, ""), 20, 10)
	keys(&m, "j", "/", "5", "0", "enter")
	first, last := m.VisibleLines()
	if first != 46 || last != 55 {
		t.Errorf("visible %d-%d", first, last)
	}
	if got := m.StatusText(); got != "L47-56/100 · /50 1 of 1" {
		t.Errorf("status %q", got)
	}
	m.SetWrap(true)
	m.SetSize(4, 3) // "line 50" takes two rows
	if first, last := m.VisibleLines(); first != 46 || last != 47 {
		t.Errorf("wrapped: visible %d-%d", first, last)
	}
	if first, last := New(NoColorStyles()).VisibleLines(); first != 0 || last != -1 {
		t.Errorf("empty: %d-%d", first, last)
	}
}

// TestZeroModel: the zero Model draws (empty or not) instead of panicking.
func TestZeroModel(t *testing.T) {
	t.Parallel()
	var m Model
	m.SetContent([]string{"a", "b"}, nil)
	m.SetSize(5, 3)
	m.ShowStatus(true)
	m.Update(tuitest.KeyPress("j"))
	checkFrame(t, m.Render(), 5, 3)
}

func TestRowsIsTheHeightThatShowsItAll(t *testing.T) {
	t.Parallel()
	m := newModel(t, []string{"short", "a line of words that wraps at twelve", ""}, 40, 3)
	if got := m.Rows(12); got != 3 {
		t.Errorf("not wrapping: %d rows, want one per line (3)", got)
	}
	m.SetWrap(true)
	if got := m.Rows(12); got != 1+4+1 {
		t.Errorf("wrapped at 12: %d rows, want 6", got)
	}
	if got := m.Rows(40); got != 3 {
		t.Errorf("wrapped at 40: %d rows, want 3", got)
	}
	m.SetSize(12, 6)
	if out := m.Render(); strings.Count(out, "\n")+1 != 6 || !strings.Contains(out, "twelve") {
		t.Errorf("a height of Rows shows it all:\n%s", out)
	}
}
