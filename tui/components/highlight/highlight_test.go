package highlight

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"frontdoor/render"
	"frontdoor/tui/common"
)

func TestShippedLexersLoad(t *testing.T) {
	for lang, syn := range languages {
		for _, path := range []string{syn.top, syn.nested} {
			if path != "" && LoadLexer(path) == nil {
				t.Errorf("%s (%s) does not load: the preview would lose its highlighting", path, lang)
			}
		}
	}
}

// Every provider's output is highlighted where chroma has a lexer, and
// nothing else: each styled line reads as the line itself (no text lost or
// doubled by a lexer), most lines get colour, and a language without a
// lexer (HAProxy) is left as it is.
func TestEveryOutputHighlights(t *testing.T) {
	st := common.NewStyles(true, false).Token
	for _, p := range render.Providers {
		info, _ := render.Info(p)
		if info.Template == "" {
			continue
		}
		s := render.Defaults()
		s.Provider = p
		s.ServerName = "artifactory.example.com"
		s.HTTPS = render.HTTPS{Enabled: true, Port: 443, Certificate: "/etc/ssl/a.pem", Key: "/etc/ssl/a.pem", TLSProfile: render.TLSIntermediate}
		s.HTTP.RedirectToHTTPS = true
		s.Docker = render.Docker{Method: render.DockerSubdomain, Repositories: []render.DockerRepository{{Key: "docker-local"}, {Key: "docker"}}}
		s.MTLS = render.MTLS{Enabled: true, Required: true, ClientCA: render.DefaultClientCA(p), VerifyDepth: 2, Header: "X-JFrog-Client-Cert"}
		if p == render.KubernetesIngress {
			s.MTLS.Header = "ssl-client-cert"
		}
		out, err := render.Render(&s)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		h := New(st)
		lines, styled := 0, 0
		for _, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
			got := h.Line(info.Syntax, line)
			if plain := ansi.Strip(got); plain != line {
				t.Errorf("%s: %q highlights as %q", p, line, plain)
			}
			if strings.TrimSpace(line) != "" {
				lines++
				if got != line {
					styled++
				}
			}
		}
		switch {
		case !Has(info.Syntax) && styled > 0:
			t.Errorf("%s (%q): %d lines styled without a lexer", p, info.Syntax, styled)
		case Has(info.Syntax) && styled < lines*9/10:
			t.Errorf("%s (%s): only %d of %d lines styled", p, info.Syntax, styled, lines)
		}
	}
}

// A Caddyfile line is read in the state its indentation says: a site
// address at the left edge, a directive inside a block, a block's end.
func TestCaddyfileLinesInContext(t *testing.T) {
	st := common.NewStyles(true, false).Token
	h := New(st)
	kw := st.Keyword.Render
	for _, c := range []struct{ line, want string }{
		{"https://artifactory.example.com:443 {", kw("https://artifactory.example.com:443")},
		{"\treverse_proxy 10.0.0.11:8082 {", kw("reverse_proxy")},
		{"\t}", "\t" + st.Punct.Render("}")},
	} {
		if got := h.Line("Caddyfile", c.line); !strings.Contains(got, c.want) {
			t.Errorf("%q: %q lacks %q", c.line, got, c.want)
		}
	}
}

// Lexers load when a language is first drawn, not when the wizard starts.
func TestLexersLoadOnFirstUse(t *testing.T) {
	h := New(common.NewStyles(true, false).Token)
	if len(h.lexers) != 0 {
		t.Fatalf("lexers loaded at start: %d", len(h.lexers))
	}
	h.Line("YAML", "kind: Ingress")
	if len(h.lexers) != 1 || h.lexers["lexers/yaml.xml"] == nil {
		t.Errorf("after one YAML line: %v", h.lexers)
	}
}
