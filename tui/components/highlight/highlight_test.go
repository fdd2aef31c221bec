package highlight

import "testing"

func TestShippedLexersLoad(t *testing.T) {
	for lang, path := range lexerFiles {
		if LoadLexer(path) == nil {
			t.Errorf("%s (%s) does not load: the preview would lose its highlighting", path, lang)
		}
	}
}
