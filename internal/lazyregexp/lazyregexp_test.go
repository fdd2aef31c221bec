package lazyregexp

import "testing"

func TestNew(t *testing.T) {
	tests := []struct {
		pattern, in string
		want        bool
	}{
		{`^a+$`, "aaa", true},
		{`^a+$`, "ab", false},
		{`\[\d+\]`, "x[12]", true},
	}
	for _, tt := range tests {
		re := New(tt.pattern)
		if got := re().MatchString(tt.in); got != tt.want {
			t.Errorf("New(%q)().MatchString(%q) = %v, want %v", tt.pattern, tt.in, got, tt.want)
		}
		if first, again := re(), re(); first != again {
			t.Errorf("New(%q): compiled more than once", tt.pattern)
		}
	}
}

// A bad pattern panics when the package is tested, not only on first use.
func TestNewBadPatternPanicsInTests(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New(`(`) did not panic in a test binary")
		}
	}()
	New(`(`)
}
