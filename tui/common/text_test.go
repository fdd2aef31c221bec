package common

import (
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// The ASCII fast paths agree with the ansi package.
func TestWidthAndTruncateAgreeWithANSI(t *testing.T) {
	for _, s := range []string{"", "docker-local", "a b", "ünïcode", "\x1b[1mbold\x1b[m", "日本語", "tab\there", "x…"} {
		if got, want := Width(s), ansi.StringWidth(s); got != want {
			t.Errorf("Width(%q) = %d, ansi says %d", s, got, want)
		}
		for w := 0; w <= 14; w++ {
			if got, want := Truncate(s, w), ansi.Truncate(s, w, "…"); got != want {
				t.Errorf("Truncate(%q, %d) = %q, ansi says %q", s, w, got, want)
			}
		}
	}
}
