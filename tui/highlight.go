package tui

import (
	"strings"

	"github.com/alecthomas/chroma/v2"

	"frontdoor/assets"
)

// highlighter colours configuration lines with chroma's nginx and
// apacheconf lexers. Lines are tokenised one at a time (both languages are
// line-oriented) and cached by content, so a keystroke that changes one line
// of a 2,000-line snippet re-highlights only the visible lines that changed.
type highlighter struct {
	lexers map[string]chroma.Lexer
	token  tokenStyles
	cache  map[string]string // language + "\x00" + line -> styled line
}

// maxHighlightCache bounds the cache; it is simply dropped when full.
const maxHighlightCache = 8192

func newHighlighter(st tokenStyles) *highlighter {
	return &highlighter{
		lexers: map[string]chroma.Lexer{"nginx": loadLexer("lexers/nginx.xml"), "apache": loadLexer("lexers/apacheconf.xml")},
		token:  st,
		cache:  map[string]string{},
	}
}

// loadLexer reads one of the lexer definitions shipped in assets; nil (no
// highlighting) if it cannot, which a test guards against.
func loadLexer(path string) chroma.Lexer {
	l, err := chroma.NewXMLLexer(assets.Lexers, path)
	if err != nil {
		return nil
	}
	return l
}

// line returns line styled for language ("nginx" or "apache"); unknown
// languages, or a nil highlighter (NO_COLOR), give the line unchanged.
func (h *highlighter) line(language, line string) string {
	if h == nil || strings.TrimSpace(line) == "" {
		return line
	}
	lexer := h.lexers[language]
	if lexer == nil {
		return line
	}
	key := language + "\x00" + line
	if out, ok := h.cache[key]; ok {
		return out
	}
	// The lexers' comment rules expect a line end.
	it, err := lexer.Tokenise(nil, line+"\n")
	if err != nil {
		return line
	}
	var b strings.Builder
	for tok := it(); tok != chroma.EOF; tok = it() {
		text := strings.TrimSuffix(tok.Value, "\n")
		if text == "" {
			continue
		}
		b.WriteString(h.token.styleFor(tok.Type).Render(text))
	}
	out := b.String()
	if len(h.cache) >= maxHighlightCache {
		clear(h.cache)
	}
	h.cache[key] = out
	return out
}

// tokenStyles maps chroma token categories to terminal styles.
type tokenStyles struct {
	comment, keyword, name, variable, constant, str, number, punct, text style
}

func (t tokenStyles) styleFor(tt chroma.TokenType) style {
	switch {
	case tt.InCategory(chroma.Comment):
		return t.comment
	case tt.InCategory(chroma.Keyword):
		return t.keyword
	case tt == chroma.NameVariable || tt.InSubCategory(chroma.NameVariable):
		return t.variable
	case tt == chroma.NameConstant || tt == chroma.NameBuiltin:
		return t.constant
	case tt == chroma.NameTag:
		return t.keyword
	case tt.InCategory(chroma.Name):
		return t.name
	case tt.InSubCategory(chroma.LiteralString) || tt == chroma.LiteralString:
		return t.str
	case tt.InSubCategory(chroma.LiteralNumber) || tt == chroma.LiteralNumber:
		return t.number
	case tt.InCategory(chroma.Punctuation), tt.InCategory(chroma.Operator):
		return t.punct
	}
	return t.text
}
