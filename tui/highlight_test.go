package tui

import "testing"

func TestShippedLexersLoad(t *testing.T) {
	for _, path := range []string{"lexers/nginx.xml", "lexers/apacheconf.xml"} {
		if loadLexer(path) == nil {
			t.Errorf("%s does not load: the preview would lose its highlighting", path)
		}
	}
}
