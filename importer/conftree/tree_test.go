package conftree

import (
	"strings"
	"testing"
)

// A directive is shown as the source writes it: quoted arguments quoted,
// and an argument that would not read back bare quoted too.
func TestNodeText(t *testing.T) {
	cases := []struct {
		name string
		n    Node
		want string
	}{
		{"quoted as written", Node{Name: "return", Args: []string{"200", "ok"}, Quoted: []bool{false, true}}, `return 200 "ok"`},
		{"bare as written", Node{Name: "return", Args: []string{"200", "ok"}, Quoted: []bool{false, false}}, `return 200 ok`},
		{"quoting unknown", Node{Name: "return", Args: []string{"200", "ok"}}, `return 200 ok`},
		{"a space needs quotes", Node{Name: "add_header", Args: []string{"X-A", "a b"}}, `add_header X-A "a b"`},
		{"empty needs quotes", Node{Name: "set", Args: []string{"$e", ""}}, `set $e ""`},
		{"a quote inside", Node{Name: "add_header", Args: []string{"X-Q", `say "hi"`}, Quoted: []bool{false, true}}, `add_header X-Q "say \"hi\""`},
		{"a semicolon or brace written quoted", Node{Name: "return", Args: []string{"200", "a;b{}"}, Quoted: []bool{false, true}}, `return 200 "a;b{}"`},
		{"apache variable bare", Node{Name: "RewriteCond", Args: []string{"%{HTTP_HOST}", "^x$"}}, `RewriteCond %{HTTP_HOST} ^x$`},
		{"a comment sign first", Node{Name: "Header", Args: []string{"set", "X", "#1"}}, `Header set X "#1"`},
		{"backslashes kept", Node{Name: "rewrite", Args: []string{`^/(.*)\.html$`, "/$1"}, Quoted: []bool{true, false}}, `rewrite "^/(.*)\.html$" /$1`},
		{"apache regex bare", Node{Name: "RewriteRule", Args: []string{`^/v2/(.*)$`, "/x/$1", "[PT,L]"}}, `RewriteRule ^/v2/(.*)$ /x/$1 [PT,L]`},
		{"block", Node{Name: "location", Args: []string{"~", "^/artifactory/"}, IsBlock: true}, `location ~ ^/artifactory/ {...}`},
	}
	for _, c := range cases {
		if got := c.n.Text(); got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got, c.want)
		}
	}
	long := Node{Name: "add_header", Args: []string{"X", strings.Repeat("a", 200)}}
	if got := long.Text(); len(got) != 120 || !strings.HasSuffix(got, "...") {
		t.Errorf("a long directive is not shortened: %d %q", len(got), got)
	}
}
