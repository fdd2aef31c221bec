package textwrap

import (
	"slices"
	"testing"
)

func TestWrap(t *testing.T) {
	const long = "/etc/nginx/sites-available/.artifactory.conf.frontdoor-bak.20261127T031500Z"
	tests := []struct {
		name        string
		text        string
		width       int
		first, rest string
		want        []string
	}{
		{"fits", "saved and checked", 40, "result: ", "  ", []string{"result: saved and checked"}},
		{"breaks at spaces", "one two three four", 9, "", "", []string{"one two", "three", "four"}},
		{"prefixes count", "one two three", 12, "> ", "    ", []string{"> one two", "    three"}},
		{"a long path is never cut", "kept " + long + " here", 30, "", "  ", []string{"kept", "  " + long, "  here"}},
		{"a long first word keeps the first prefix", long, 10, "- ", "  ", []string{"- " + long}},
		{"runes, not bytes", "ééééé ééééé", 11, "", "", []string{"ééééé ééééé"}},
		{"the text's indentation kept", "    at main.go:12", 40, "| ", "| ", []string{"|     at main.go:12"}},
		{"runs of spaces folded", "a   b", 10, "", "", []string{"a b"}},
		{"width 0: one line", "one two three", 0, "> ", "", []string{"> one two three"}},
		{"empty", "", 10, "> ", "", []string{"> "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Wrap(tt.text, tt.width, tt.first, tt.rest); !slices.Equal(got, tt.want) {
				t.Errorf("Wrap(%q, %d) = %q, want %q", tt.text, tt.width, got, tt.want)
			}
		})
	}
}
