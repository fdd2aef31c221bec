package common

import (
	"strings"
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

// Every line of WrapPrefixed fits the width its own prefix leaves: a deeper
// indent on the lines after the first never runs past the edge.
func TestWrapPrefixedFitsEachPrefix(t *testing.T) {
	plain := Renderer(plainRenderer{})
	text := "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
	tests := []struct {
		name        string
		width       int
		first, rest string
	}{
		{"same prefixes", 30, "  ", "  "},
		{"deeper rest", 30, "  ", "    "},
		{"no first prefix, indented rest", 24, "", "  "},
		{"deeper first", 30, "    → ", "  "},
		{"narrow", 16, "  ", "      "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := WrapPrefixed(text, tt.width, tt.first, tt.rest, plain)
			words := ""
			for i, l := range lines {
				if w := Width(l); w > tt.width {
					t.Errorf("line %d is %d cells, over %d: %q", i, w, tt.width, l)
				}
				prefix := tt.rest
				if i == 0 {
					prefix = tt.first
				}
				if len(l) < len(prefix) || l[:len(prefix)] != prefix {
					t.Errorf("line %d lacks its prefix %q: %q", i, prefix, l)
				}
				words += " " + l[len(prefix):]
			}
			if got := fieldsJoined(words); got != text {
				t.Errorf("words changed: %q", got)
			}
		})
	}
	// A word longer than the room is cut at each line's own width.
	long := "/etc/nginx/sites-available/artifactory-with-a-very-long-name.conf"
	for i, l := range WrapPrefixed(long, 20, "- ", "    ", plain) {
		if Width(l) > 20 {
			t.Errorf("cut line %d is %d cells: %q", i, Width(l), l)
		}
	}
}

type plainRenderer struct{}

func (plainRenderer) Render(s ...string) string { return strings.Join(s, " ") }

func fieldsJoined(s string) string { return strings.Join(strings.Fields(s), " ") }

// A path longer than a line breaks after a '/', not inside a name.
func TestWrapTextBreaksPathsAtSlashes(t *testing.T) {
	got := WrapText("imported /tmp/frontdoor-demo/etc/nginx/sites-available/artifactory.conf: 14 settings mapped", 30)
	want := []string{"imported", "/tmp/frontdoor-demo/etc/nginx/", "sites-available/", "artifactory.conf: 14 settings", "mapped"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

// SplitFit fills a line, breaking a path after a '/'.
func TestSplitFit(t *testing.T) {
	for _, tc := range []struct {
		text       string
		width      int
		head, rest string
	}{
		{"short", 10, "short", ""},
		{"imported /tmp/demo/etc/nginx/artifactory.conf: done", 24, "imported /tmp/demo/etc/", "nginx/artifactory.conf: done"},
		{"one two three", 9, "one two", "three"},
		{"abcdefghijkl", 5, "abcde", "fghijkl"},
	} {
		head, rest := SplitFit(tc.text, tc.width)
		if head != tc.head || rest != tc.rest {
			t.Errorf("SplitFit(%q, %d) = %q, %q; want %q, %q", tc.text, tc.width, head, rest, tc.head, tc.rest)
		}
	}
}
