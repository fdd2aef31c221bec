package scroller

import (
	"fmt"
	"testing"
)

// bigSnippet is 40,000 lines: the snippet for 1,000 Docker repositories,
// highlighted, with its plain lines.
func bigSnippet() (styled, plain []string) {
	block := []string{
		"\t# docker repository %d",
		"\tlocation ~ ^/v2/docker-repo-%d/(.*)$ {",
		"\t\tproxy_pass http://artifactory/artifactory/api/docker/docker-repo-%d/v2/$1;",
		"\t\tproxy_set_header Host $http_host;",
		"\t\tproxy_set_header X-Forwarded-Proto $scheme;",
		"\t\tproxy_set_header X-JFrog-Override-Base-Url $scheme://$host:$server_port;",
		"\t\tproxy_read_timeout 900;",
		"\t\tclient_max_body_size 0;",
	}
	for len(plain) < 40000 {
		n := len(plain) / len(block)
		for _, l := range block {
			if len(plain) == 40000 {
				break
			}
			if c := countVerbs(l); c > 0 {
				l = fmt.Sprintf(l, n)
			}
			plain = append(plain, l)
		}
	}
	return highlight(plain), plain
}

func countVerbs(s string) int {
	n := 0
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '%' && s[i+1] == 'd' {
			n++
		}
	}
	return n
}

func benchModel(b *testing.B, wrap bool) Model {
	styled, plain := bigSnippet()
	m := New(colourStyles())
	m.SetContent(styled, plain)
	m.SetGutter(marks(len(styled), map[int]string{20001: "+▍", 20002: " ▍"}))
	m.SetSize(120, 40)
	m.ShowStatus(true)
	m.SetLineNumbers(true)
	m.SetWrap(wrap)
	m.GotoLine(20000)
	return m
}

// BenchmarkRender draws 40 rows in the middle of 40,000 lines.
func BenchmarkRender(b *testing.B) {
	for _, bc := range []struct {
		name   string
		wrap   bool
		needle string
	}{{"sideways", false, ""}, {"wrapped", true, ""}, {"search", false, "proxy"}} {
		b.Run(bc.name, func(b *testing.B) {
			m := benchModel(b, bc.wrap)
			if bc.needle != "" {
				keys(&m, "/")
				typeText(&m, bc.needle)
				keys(&m, "enter")
			}
			b.ReportAllocs()
			for b.Loop() {
				_ = m.Render()
			}
		})
	}
}

// BenchmarkKeystroke is what the wizard does on each key while the preview
// shows 40,000 unchanged lines: SetContent with the same lines, Render.
// "same strings" passes the slice it highlighted once; "equal copies"
// highlights again (equal strings elsewhere in memory).
func BenchmarkKeystroke(b *testing.B) {
	m := benchModel(b, false)
	same, samePlain := m.lines, m.plain
	copies, copiesPlain := bigSnippet()
	for _, bc := range []struct {
		name         string
		lines, plain []string
	}{{"same strings", same, samePlain}, {"equal copies", copies, copiesPlain}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m.SetContent(bc.lines, bc.plain)
				_ = m.Render()
			}
		})
	}
}

// BenchmarkSetContent replaces 40,000 lines with different ones.
func BenchmarkSetContent(b *testing.B) {
	m := benchModel(b, false)
	styled, plain := bigSnippet()
	styled2, plain2 := append([]string{"# changed"}, styled[1:]...), append([]string{"# changed"}, plain[1:]...)
	b.Run("plain given", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if i%2 == 0 {
				m.SetContent(styled2, plain2)
			} else {
				m.SetContent(styled, plain)
			}
		}
	})
	b.Run("with a search", func(b *testing.B) {
		keys(&m, "/", "x", "-", "j", "f", "r", "o", "g", "enter")
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if i%2 == 0 {
				m.SetContent(styled2, plain2)
			} else {
				m.SetContent(styled, plain)
			}
		}
	})
}

// BenchmarkSearch is one keystroke in the search prompt over 40,000 lines.
func BenchmarkSearch(b *testing.B) {
	for _, bc := range []struct{ name, needle string }{
		{"rare", "docker-repo-777/"}, {"frequent", "proxy"}, {"case-sensitive", "X-JFrog"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			m := benchModel(b, false)
			keys(&m, "/")
			b.ReportAllocs()
			for b.Loop() {
				m.prompt.SetValue(bc.needle[:len(bc.needle)-1])
				typeText(&m, bc.needle[len(bc.needle)-1:])
			}
		})
	}
	b.Run("first search strips styled lines", func(b *testing.B) {
		styled, _ := bigSnippet()
		b.ReportAllocs()
		for b.Loop() {
			m := New(NoColorStyles())
			m.SetContent(styled, nil)
			m.SetSize(120, 40)
			m.runSearch("proxy", match{})
		}
	})
}

// BenchmarkScroll is a page down among 40,000 wrapped lines.
func BenchmarkScroll(b *testing.B) {
	m := benchModel(b, true)
	m.SetSize(40, 40)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%200 == 0 {
			m.GotoLine(20000)
		}
		keys(&m, "pgdown")
	}
}

// BenchmarkSetGutter moves the marks of the focused field over 40,000 lines.
func BenchmarkSetGutter(b *testing.B) {
	m := benchModel(b, false)
	a := marks(40000, map[int]string{100: "+▍", 101: " ▍"})
	c := marks(40000, map[int]string{300: "+▍", 301: " ▍", 302: "-▍"})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			m.SetGutter(a)
		} else {
			m.SetGutter(c)
		}
	}
}
