package nginxconf

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/importer/conftree"
	"frontdoor/importer/conftree/conftreetest"
)

func outline(nodes []*conftree.Node, indent string) string {
	var b strings.Builder
	for _, n := range nodes {
		fmt.Fprintf(&b, "%s%02d %s %s\n", indent, n.Line, n.Name, strings.Join(n.Args, "|"))
		b.WriteString(outline(n.Block, indent+"  "))
	}
	return b.String()
}

func write(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func load(t *testing.T, paths ...string) (*Config, error) {
	t.Helper()
	var files []conftree.File
	for _, p := range paths {
		data, err := conftree.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, conftree.File{Path: p, Data: data})
	}
	return Load(files...)
}

// TestContexts: a file is parsed in the block it was written for, with the
// parser's checks of where directives may stand, and keeps its line numbers.
func TestContexts(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"main configuration", "user www-data;\nevents {}\nhttp {\n  server { listen 80; }\n}\n",
			"01 user www-data\n02 events \n03 http \n  04 server \n    04 listen 80\n"},
		{"a site's file: http block", "upstream a {\n  server 10.0.0.1:8082;\n}\nserver {\n  listen 80;\n}\n",
			"01 upstream a\n  02 server 10.0.0.1:8082\n04 server \n  05 listen 80\n"},
		{"a file written for a server block", "listen 443 ssl;\nlocation / {\n  proxy_pass http://a;\n}\n",
			"01 listen 443|ssl\n02 location /\n  03 proxy_pass http://a\n"},
		{"quotes, comments and if arguments", "server {\n  # a comment\n  if ($repo != \"\") { return 404; }\n  add_header X \"a b\";\n}\n",
			"01 server \n  03 if $repo|!=|\n    03 return 404\n  04 add_header X|a b\n"},
		{"unknown directives are kept", "server {\n  more_set_headers \"X: y\";\n}\n", "01 server \n  02 more_set_headers X: y\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := load(t, write(t, t.TempDir(), "x.conf", tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if got := outline(cfg.Nodes, ""); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"missing semicolon", "server {\n  listen 80\n}\n", `x.conf:2: directive "listen" is not terminated by ";"`},
		{"block not closed", "server {\n  listen 80;\n", `x.conf:3: unexpected end of file, expecting "}"`},
		{"too many closing braces", "server {\n  listen 80;\n}\n}\n", `x.conf:4: unexpected "}"`},
		{"directive in the wrong block", "server {\n  location / {\n    listen 80;\n  }\n}\n", `x.conf:3: "listen" directive is not allowed here`},
		{"wrong argument count", "server {\n  location / {\n    proxy_pass;\n  }\n}\n", `x.conf:3: invalid number of arguments in "proxy_pass" directive`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			_, err := load(t, write(t, dir, "x.conf", tt.in))
			if err == nil || !strings.HasPrefix(strings.TrimPrefix(err.Error(), dir+"/"), tt.want) {
				t.Errorf("err = %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestIncludes(t *testing.T) {
	dir := t.TempDir()
	main := write(t, dir, "nginx.conf", "events {}\nhttp {\n  include conf.d/*.conf;\n  include sites-enabled/*;\n}\n")
	write(t, dir, "conf.d/b.conf", "upstream b { server 10.0.0.2:8082; }\n")
	write(t, dir, "conf.d/a.conf", "upstream a { server 10.0.0.1:8082; }\n")
	write(t, dir, "sites-enabled/site", "server {\n  include snippets/tls.conf;\n  include missing.conf;\n}\n")
	write(t, dir, "snippets/tls.conf", "ssl_certificate /c.pem;\n")
	cfg, err := load(t, main)
	if err != nil {
		t.Fatal(err)
	}
	want := "01 events \n02 http \n  03 include conf.d/*.conf\n    01 upstream a\n      01 server 10.0.0.1:8082\n    01 upstream b\n      01 server 10.0.0.2:8082\n" +
		"  04 include sites-enabled/*\n    01 server \n      02 include snippets/tls.conf\n        01 ssl_certificate /c.pem\n      03 include missing.conf\n"
	if got := outline(cfg.Nodes, ""); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if len(cfg.Files) != 5 || len(cfg.Missing) != 1 || cfg.Missing[0].Line != 3 {
		t.Errorf("files %q, missing %v", cfg.Files, cfg.Missing)
	}

	// A site's file resolves its includes from the directory above
	// sites-enabled/, as nginx (whose prefix is there) does.
	site := filepath.Join(dir, "sites-enabled/site")
	cfg, err = load(t, site)
	if err != nil || len(cfg.Files) != 2 {
		t.Errorf("site alone: err %v, files %q", err, cfg.Files)
	}

	// An included file is checked in the block it is included into.
	write(t, dir, "bad/nginx.conf", "events {}\nhttp {\n  include server.conf;\n}\n")
	write(t, dir, "bad/server.conf", "location / {}\n")
	_, err = load(t, filepath.Join(dir, "bad/nginx.conf"))
	if err == nil || !strings.Contains(err.Error(), "server.conf:1: \"location\" directive is not allowed here") {
		t.Errorf("err = %v", err)
	}

	self := write(t, dir, "self/nginx.conf", "events {}\nhttp {\n  include nginx.conf;\n}\n")
	_, err = load(t, self)
	if want := self + ":3: include loop: " + self + " includes " + self + " (" + self + ":3) again"; err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}

// The loader records which arguments the source quotes, so a report shows
// `return 200 "ok"` as written, a directive over several lines too.
func TestQuotedAsWritten(t *testing.T) {
	src := "server {\n" +
		"    location = /ping { return 200 \"ok\"; }\n" +
		"    add_header X-A 'a b';\n" +
		"    rewrite \"^/(.*)\\.html$\" /$1 last;\n" +
		"    add_header X-Q \"say \\\"hi\\\"\";\n" +
		"    set $e \"\";\n" +
		"    proxy_set_header\n        Host \"$host\";\n" +
		"}\n"
	cfg, err := Load(conftree.File{Path: "/etc/nginx/sites-enabled/a.conf", Data: []byte(src)})
	if err != nil {
		t.Fatal(err)
	}
	conftreetest.CheckTexts(t, cfg.Nodes, []string{
		"1: server {...}",
		"2: location = /ping {...}",
		`2: return 200 "ok"`,
		`3: add_header X-A "a b"`,
		`4: rewrite "^/(.*)\.html$" /$1 last`,
		`5: add_header X-Q "say \"hi\""`,
		`6: set $e ""`,
		`7: proxy_set_header Host "$host"`,
	})
}
