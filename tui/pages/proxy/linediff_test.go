package proxy

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// lcsLength is the textbook dynamic programme, the reference for diffLines.
func lcsLength(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

// checkScript verifies that script turns a into b and is minimal.
func checkScript(t *testing.T, a, b []string, script []edit) {
	t.Helper()
	var gotA, gotB []string
	edits := 0
	for _, e := range script {
		switch e.kind {
		case editSame:
			if a[e.a] != b[e.b] {
				t.Fatalf("same line differs: %q vs %q", a[e.a], b[e.b])
			}
			gotA, gotB = append(gotA, a[e.a]), append(gotB, b[e.b])
		case editDel:
			gotA = append(gotA, a[e.a])
			edits++
		case editAdd:
			gotB = append(gotB, b[e.b])
			edits++
		}
	}
	if strings.Join(gotA, "\n") != strings.Join(a, "\n") || strings.Join(gotB, "\n") != strings.Join(b, "\n") {
		t.Fatalf("script does not replay:\na=%q\nb=%q\nscript=%v", a, b, script)
	}
	if want := len(a) + len(b) - 2*lcsLength(a, b); edits != want {
		t.Fatalf("%d edits, the minimum is %d\na=%q\nb=%q", edits, want, a, b)
	}
}

func TestDiffLinesTable(t *testing.T) {
	cases := []struct{ a, b string }{
		{"", ""},
		{"a", ""},
		{"", "a b"},
		{"a b c", "a b c"},
		{"a b c", "a x c"},
		{"a b c d", "b c"},
		{"x a b", "a b y"},
		{"a b a b", "b a b a"},
		{"listen 80; server_name a; return", "listen 8080; server_name a; return"},
	}
	for _, c := range cases {
		a, b := strings.Fields(c.a), strings.Fields(c.b)
		script, ok := diffLines(a, b, 100)
		if !ok {
			t.Fatalf("%q -> %q: gave up", c.a, c.b)
		}
		checkScript(t, a, b, script)
	}
}

func TestDiffLinesRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		gen := func() []string {
			n := r.IntN(12)
			out := make([]string, n)
			for i := range out {
				out[i] = string(rune('a' + r.IntN(4)))
			}
			return out
		}
		a, b := gen(), gen()
		script, ok := diffLines(a, b, 100)
		if !ok {
			t.Fatalf("gave up on %q %q", a, b)
		}
		checkScript(t, a, b, script)
	}
}

func TestDiffLinesGivesUpBeyondTheBound(t *testing.T) {
	a := strings.Fields(strings.Repeat("x ", 50))
	b := strings.Fields(strings.Repeat("y ", 50))
	if _, ok := diffLines(a, b, 20); ok {
		t.Fatal("100 edits reported within a bound of 20")
	}
	// Just inside the bound still works.
	if script, ok := diffLines(a[:10], b[:10], 20); !ok {
		t.Fatal("20 edits refused with a bound of 20")
	} else {
		checkScript(t, a[:10], b[:10], script)
	}
}
