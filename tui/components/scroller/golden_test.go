package scroller

import (
	"fmt"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/exp/golden"
)

// snippet is an nginx server block like the preview shows.
var snippet = strings.Split(`# frontdoor: generated, edit with frontdoor
upstream artifactory {
	server 127.0.0.1:8081;
	keepalive 32;
}
server {
	listen 443 ssl;
	server_name artifacts.example.com *.artifacts.example.com docker.artifacts.example.com;
	ssl_certificate /etc/ssl/certs/artifacts.example.com.pem;
	ssl_certificate_key /etc/ssl/private/artifacts.example.com.key;
	client_max_body_size 0;
	location / {
		proxy_pass http://artifactory;
		proxy_set_header Host $http_host;
		proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
		proxy_read_timeout 900;
	}
	# Docker: /v2/<repo>/ goes to the repository of the same name.
	rewrite ^/v2/([^/]+)/(.*)$ /artifactory/api/docker/$1/v2/$2 break;
}`, "\n")

// highlight colours the first word of each line and comments, as the
// wizard's highlighter does (each token styled, then reset).
func highlight(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		trimmed := strings.TrimLeft(l, "\t")
		indent := l[:len(l)-len(trimmed)]
		switch {
		case strings.HasPrefix(trimmed, "#"):
			out[i] = indent + "\x1b[2;3m" + trimmed + "\x1b[m"
		default:
			word, rest, _ := strings.Cut(trimmed, " ")
			out[i] = indent + "\x1b[34m" + word + "\x1b[m"
			if rest != "" {
				out[i] += " " + rest
			}
		}
	}
	return out
}

// colourStyles are styles with colour, as the wizard passes them.
func colourStyles() Styles {
	s := NoColorStyles()
	s.LineNumber = lipgloss.NewStyle().Foreground(lipgloss.Color("#8A8A8A"))
	s.Gutter = lipgloss.NewStyle().Foreground(lipgloss.Color("#5F5F5F"))
	s.Match = lipgloss.NewStyle().Background(lipgloss.Color("#5F5F00")).Foreground(lipgloss.Color("#FFFFFF"))
	s.CurrentMatch = lipgloss.NewStyle().Background(lipgloss.Color("#FFC857")).Foreground(lipgloss.Color("#000000")).Bold(true)
	s.Status = lipgloss.NewStyle().Foreground(lipgloss.Color("#8A8A8A"))
	return s
}

func marks(n int, marked map[int]string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "  "
		if s, ok := marked[i]; ok {
			out[i] = s
		}
	}
	return out
}

func TestGolden(t *testing.T) {
	t.Parallel()
	styled := highlight(snippet)
	gut := marks(len(snippet), map[int]string{
		11: "\x1b[32m+\x1b[m\x1b[35m▍\x1b[m", 12: " \x1b[35m▍\x1b[m", 13: "\x1b[31m-\x1b[m\x1b[35m▍\x1b[m",
	})
	long := []string{
		"short",
		"a line long enough to need wrapping at forty cells, with words",
		"averyveryveryverylongwordwithoutanyspacesthatmustbebrokenhard",
		"\tTabbed\tcolumns\there",
		"世界 wide characters 世界世界世界世界世界 and more 世界世界",
		"",
		"last",
	}
	tests := []struct {
		name          string
		lines         []string
		plain         []string
		styles        *Styles
		width, height int
		setup         func(m *Model)
		keys          []string
	}{
		{name: "plain", lines: snippet, width: 60, height: 12, setup: func(m *Model) { m.ShowStatus(true) }},
		{name: "styled_gutter_numbers", lines: styled, plain: snippet, styles: ptr(colourStyles()), width: 60, height: 12,
			setup: func(m *Model) { m.SetGutter(gut); m.ShowStatus(true); m.EnsureVisible(11, 13) }, keys: []string{"#"}},
		{name: "wrap_gutter_numbers", lines: styled, plain: snippet, width: 40, height: 16,
			setup: func(m *Model) { m.SetGutter(gut); m.ShowStatus(true); m.SetLineNumbers(true) }, keys: []string{"w", "G"}},
		{name: "sideways", lines: styled, width: 40, height: 10, setup: func(m *Model) { m.GotoLine(7) }, keys: []string{"l", "l"}},
		{name: "search", lines: styled, plain: snippet, width: 60, height: 12,
			setup: func(m *Model) { m.ShowStatus(true) }, keys: []string{"/", "p", "r", "o", "x", "y", "enter", "n"}},
		{name: "search_colour", lines: styled, plain: snippet, styles: ptr(colourStyles()), width: 60, height: 12,
			setup: func(m *Model) { m.ShowStatus(true) }, keys: []string{"/", "h", "t", "t", "p", "enter"}},
		{name: "search_wrapped", lines: styled, width: 40, height: 12,
			setup: func(m *Model) { m.ShowStatus(true); m.SetWrap(true) }, keys: []string{"/", "e", "x", "a", "m", "p", "l", "e", "enter"}},
		{name: "search_sideways", lines: styled, width: 40, height: 8,
			setup: func(m *Model) { m.ShowStatus(true) }, keys: []string{"/", "k", "e", "y", "enter"}},
		{name: "prompt", lines: snippet, width: 60, height: 8, keys: []string{"/", "s", "s", "l"}},
		{name: "prompt_no_match", lines: snippet, width: 60, height: 8, keys: []string{"/", "z", "z"}},
		{name: "no_match", lines: snippet, width: 60, height: 8,
			setup: func(m *Model) { m.ShowStatus(true) }, keys: []string{"/", "z", "z", "enter"}},
		{name: "unicode_tabs_wrapped", lines: long, width: 24, height: 16,
			setup: func(m *Model) { m.SetWrap(true); m.SetLineNumbers(true) }, keys: []string{"/", "世", "enter"}},
		{name: "unicode_tabs_sideways", lines: long, width: 24, height: 8, keys: []string{"l"}},
		{name: "copied", lines: snippet, width: 60, height: 4, setup: func(m *Model) { m.ShowStatus(true) }, keys: []string{"y"}},
		{name: "empty", width: 30, height: 3, setup: func(m *Model) { m.ShowStatus(true) }},
		{name: "tiny_1x1", lines: snippet, width: 1, height: 1},
		{name: "tiny_3x3_gutter_numbers_wrap", lines: styled, width: 3, height: 3,
			setup: func(m *Model) { m.SetGutter(gut); m.SetLineNumbers(true); m.SetWrap(true) }},
		{name: "zero_width", lines: snippet, width: 0, height: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st := NoColorStyles()
			if tt.styles != nil {
				st = *tt.styles
			}
			m := New(st)
			m.SetContent(tt.lines, tt.plain)
			m.SetSize(tt.width, tt.height)
			if tt.setup != nil {
				tt.setup(&m)
			}
			keys(&m, tt.keys...)
			frame := m.Render()
			checkFrame(t, frame, tt.width, tt.height)
			golden.RequireEqual(t, frame)
		})
	}
}

// Example of the frames above, for reading the goldens: go test -run TestGolden -v shows them.
func ExampleModel_Render() {
	m := New(NoColorStyles())
	m.SetContent([]string{"server {", "\tlisten 443 ssl;", "}"}, nil)
	m.SetSize(24, 4)
	m.ShowStatus(true)
	fmt.Println(m.Render())
	// Output:
	// server {
	//         listen 443 ssl;
	// }
	// L1-3/3
}

func ptr[T any](v T) *T { return &v }
