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

func TestLabeled(t *testing.T) {
	const long = "/etc/nginx/sites-available/artifactory-with-a-long-name.conf"
	tests := []struct {
		name        string
		text        string
		width       int
		label, rest string
		want        []string
	}{
		{"fits beside the label", "/etc/nginx/a.conf (detected)", 40, "target:       ", "  ",
			[]string{"target:       /etc/nginx/a.conf", "  (detected)"}},
		{"a long path goes on its own line, whole", long + " (detected)", 50, "target:       ", "  ",
			[]string{"target:", "  " + long, "  (detected)"}},
		{"longer than any line: alone, never cut", long, 20, "restore one: ", "  ",
			[]string{"restore one:", "  " + long}},
		{"a short first word stays beside the label", "frontdoor restore --to " + long, 40, "restore one: ", "  ",
			[]string{"restore one: frontdoor restore --to", "  " + long}},
		{"width 0: one line", long, 0, "target: ", "  ", []string{"target: " + long}},
		{"empty", "", 10, "result: ", "  ", []string{"result: "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Labeled(tt.text, tt.width, tt.label, tt.rest); !slices.Equal(got, tt.want) {
				t.Errorf("Labeled(%q, %d, %q) = %q, want %q", tt.text, tt.width, tt.label, got, tt.want)
			}
		})
	}
}
