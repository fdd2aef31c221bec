// Package highlight colours the preview's lines with chroma's lexers for
// the outputs that have one (render.ProviderInfo.Syntax: nginx, apacheconf,
// Caddyfile, YAML), shipped in assets/lexers. Lines are tokenised one at a
// time and cached by content, so a keystroke that changes one line of a
// 40,000-line output re-highlights only the visible lines that changed.
// nginx and Apache are line-oriented; a YAML manifest line stands alone as
// frontdoor writes them (flow collections close on their line, no block
// scalars); a Caddyfile line is read in the state its indentation says (a
// site label at the left edge, a directive inside a block). A lexer is
// loaded the first time its language is drawn, never when the wizard
// starts; a language without one (HAProxy) stays plain text.
package highlight

import (
	"strings"

	"github.com/alecthomas/chroma/v2"

	"frontdoor/assets"
	"frontdoor/tui/common"
)

// Highlighter styles lines; a nil *Highlighter (no colour) leaves them as
// they are.
type Highlighter struct {
	lexers map[string]chroma.Lexer // by file, loaded on first use; nil value: failed
	token  common.TokenStyles
	cache  map[string]string // language + "\x00" + line -> styled line
}

// maxCache bounds the cache; it is simply dropped when full.
const maxCache = 8192

// syntax is how one language's lines are tokenised: with top at the left
// edge, and with nested (when not "") inside a block (indented lines).
type syntax struct{ top, nested string }

// languages are the lexer definitions per chroma lexer name
// (render.ProviderInfo.Syntax); "apache" is the provider's name for
// apacheconf, as callers used before ProviderInfo named the lexers.
var languages = map[string]syntax{
	"nginx":      {top: "lexers/nginx.xml"},
	"apacheconf": {top: "lexers/apacheconf.xml"},
	"apache":     {top: "lexers/apacheconf.xml"},
	"YAML":       {top: "lexers/yaml.xml"},
	// chroma's Caddyfile lexer keeps a stack of blocks across lines; its
	// directives variant starts inside a site block, where every indented
	// line of a formatted Caddyfile is.
	"Caddyfile": {top: "lexers/caddyfile.xml", nested: "lexers/caddyfile-directives.xml"},
}

// Has reports whether language has a lexer: its lines are coloured.
func Has(language string) bool {
	_, ok := languages[language]
	return ok
}

// New makes a highlighter with the styles of the token categories.
func New(st common.TokenStyles) *Highlighter {
	return &Highlighter{lexers: map[string]chroma.Lexer{}, token: st, cache: map[string]string{}}
}

// LoadLexer reads one of the lexer definitions shipped in assets; nil (no
// highlighting) if it cannot, which a test guards against.
func LoadLexer(path string) chroma.Lexer {
	l, err := chroma.NewXMLLexer(assets.Lexers, path)
	if err != nil {
		return nil
	}
	return l
}

func (h *Highlighter) lexer(path string) chroma.Lexer {
	l, ok := h.lexers[path]
	if !ok {
		l = LoadLexer(path)
		h.lexers[path] = l
	}
	return l
}

// lexerFor picks the lexer for one line of language ("" path: none).
func lexerFor(language, line string) (path string, closing bool) {
	syn, ok := languages[language]
	if !ok {
		return "", false
	}
	if syn.nested == "" {
		return syn.top, false
	}
	if strings.TrimSpace(line) == "}" {
		return "", true // a block's end: the lexers, reading one line, cannot tell
	}
	if line[0] == ' ' || line[0] == '\t' {
		return syn.nested, false
	}
	return syn.top, false
}

// Line returns line styled for language (a chroma lexer name, see
// languages); unknown languages, or a nil highlighter, give the line
// unchanged.
func (h *Highlighter) Line(language, line string) string {
	if h == nil || strings.TrimSpace(line) == "" {
		return line
	}
	key := language + "\x00" + line
	if out, ok := h.cache[key]; ok {
		return out
	}
	path, closing := lexerFor(language, line)
	var out string
	switch {
	case closing:
		i := strings.IndexByte(line, '}')
		out = line[:i] + h.token.Punct.Render("}") + line[i+1:]
	case path == "":
		return line
	default:
		lexer := h.lexer(path)
		if lexer == nil {
			return line
		}
		var ok bool
		if out, ok = h.tokenise(lexer, line); !ok {
			return line
		}
	}
	if len(h.cache) >= maxCache {
		clear(h.cache)
	}
	h.cache[key] = out
	return out
}

// tokenise styles one line with lexer.
func (h *Highlighter) tokenise(lexer chroma.Lexer, line string) (string, bool) {
	// The lexers' comment rules expect a line end.
	it, err := lexer.Tokenise(nil, line+"\n")
	if err != nil {
		return "", false
	}
	var b strings.Builder
	for tok := it(); tok != chroma.EOF; tok = it() {
		text := strings.TrimSuffix(tok.Value, "\n")
		// Leading blanks go out as they are: a style would turn a tab
		// (a Caddyfile's indentation) into spaces.
		rest := strings.TrimLeft(text, " \t")
		b.WriteString(text[:len(text)-len(rest)])
		if rest != "" {
			b.WriteString(styleFor(&h.token, tok.Type).Render(rest))
		}
	}
	return b.String(), true
}

func styleFor(t *common.TokenStyles, tt chroma.TokenType) common.Style {
	switch {
	case tt.InCategory(chroma.Comment):
		return t.Comment
	case tt.InCategory(chroma.Keyword):
		return t.Keyword
	case tt == chroma.NameVariable || tt.InSubCategory(chroma.NameVariable):
		return t.Variable
	case tt == chroma.NameConstant || tt == chroma.NameBuiltin:
		return t.Constant
	case tt == chroma.NameTag, tt == chroma.GenericHeading:
		// YAML's keys, a Caddyfile's site addresses.
		return t.Keyword
	case tt == chroma.NameNamespace:
		return t.Punct // YAML's document separator ---
	case tt == chroma.NameDecorator:
		return t.Variable // Caddyfile matchers
	case tt.InCategory(chroma.Name):
		return t.Name
	case tt == chroma.LiteralStringEscape:
		return t.Variable // Caddyfile placeholders {host}
	case tt.InSubCategory(chroma.LiteralString) || tt == chroma.LiteralString:
		return t.Str
	case tt.InSubCategory(chroma.LiteralNumber) || tt == chroma.LiteralNumber:
		return t.Number
	case tt.InCategory(chroma.Punctuation), tt.InCategory(chroma.Operator):
		return t.Punct
	}
	return t.Text
}
