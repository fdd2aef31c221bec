// Package highlight colours configuration lines with chroma's nginx and
// apacheconf lexers (shipped in assets). Lines are tokenised one at a time
// (both languages are line-oriented) and cached by content, so a keystroke
// that changes one line of a 2,000-line snippet re-highlights only the
// visible lines that changed. A lexer is loaded the first time its language
// is drawn, not when the wizard starts.
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
	lexers map[string]chroma.Lexer // loaded on first use; nil value: failed
	token  common.TokenStyles
	cache  map[string]string // language + "\x00" + line -> styled line
}

// maxCache bounds the cache; it is simply dropped when full.
const maxCache = 8192

// lexerFiles are the lexer definitions per language.
var lexerFiles = map[string]string{"nginx": "lexers/nginx.xml", "apache": "lexers/apacheconf.xml"}

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

func (h *Highlighter) lexer(language string) chroma.Lexer {
	l, ok := h.lexers[language]
	if !ok {
		if path, known := lexerFiles[language]; known {
			l = LoadLexer(path)
		}
		h.lexers[language] = l
	}
	return l
}

// Line returns line styled for language ("nginx" or "apache"); unknown
// languages, or a nil highlighter, give the line unchanged.
func (h *Highlighter) Line(language, line string) string {
	if h == nil || strings.TrimSpace(line) == "" {
		return line
	}
	key := language + "\x00" + line
	if out, ok := h.cache[key]; ok {
		return out
	}
	lexer := h.lexer(language)
	if lexer == nil {
		return line
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
		b.WriteString(styleFor(&h.token, tok.Type).Render(text))
	}
	out := b.String()
	if len(h.cache) >= maxCache {
		clear(h.cache)
	}
	h.cache[key] = out
	return out
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
	case tt == chroma.NameTag:
		return t.Keyword
	case tt.InCategory(chroma.Name):
		return t.Name
	case tt.InSubCategory(chroma.LiteralString) || tt == chroma.LiteralString:
		return t.Str
	case tt.InSubCategory(chroma.LiteralNumber) || tt == chroma.LiteralNumber:
		return t.Number
	case tt.InCategory(chroma.Punctuation), tt.InCategory(chroma.Operator):
		return t.Punct
	}
	return t.Text
}
