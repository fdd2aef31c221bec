package apacheconf

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/importer/conftree"
	"frontdoor/importer/conftree/conftreetest"
)

// outline writes the tree one directive a line: "line name arg|arg", blocks
// indented, so a table can state the whole parse.
func outline(nodes []*conftree.Node, indent string) string {
	var b strings.Builder
	for _, n := range nodes {
		b.WriteString(indent)
		b.WriteString(strings.Join(append([]string{itoa(n.Line), n.Name}, strings.Join(n.Args, "|")), " "))
		b.WriteString("\n")
		b.WriteString(outline(n.Block, indent+"  "))
	}
	return b.String()
}

func itoa(i int) string { return fmt.Sprintf("%02d", i) }

func TestParse(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"comments and blank lines", "# a comment\n\n   # indented\nServerName a.example.com\n", "04 ServerName a.example.com\n"},
		{"quoted arguments keep blanks", `RequestHeader set X-A "a b" 'c d'` + "\n", "01 RequestHeader set|X-A|a b|c d\n"},
		{"escaped quote inside quotes", `RewriteCond "%{HTTP_HOST}" "^a\"b$"` + "\n", `01 RewriteCond %{HTTP_HOST}|^a"b$` + "\n"},
		{"regex backslashes stay", `RequestHeader edit* X "\+" "%%2B"` + "\n", `01 RequestHeader edit*|X|\+|%%2B` + "\n"},
		{"continuation lines join", "ProxyPass / \\\n    http://a:8082/ \\\n    nocanon\nServerName a\n", "01 ProxyPass /|http://a:8082/|nocanon\n04 ServerName a\n"},
		{"CRLF line ends", "ServerName a\r\nServerAlias b\r\n", "01 ServerName a\n02 ServerAlias b\n"},
		{"sections nest, names keep their case", "<VirtualHost *:80>\n  <IfModule mod_ssl.c>\n    SSLEngine on\n  </IfModule>\n</virtualhost>\n",
			"01 VirtualHost *:80\n  02 IfModule mod_ssl.c\n    03 SSLEngine on\n"},
		{"unknown directives are kept", "FooBar 1 2\n<Weird x>\n</Weird>\n", "01 FooBar 1|2\n02 Weird x\n"},
		{"a comment mark inside a line is an argument", "ServerName a # b\n", "01 ServerName a|#|b\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nodes, err := Parse("x.conf", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if got := outline(nodes, ""); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"section not closed", "<VirtualHost *:80>\n  ServerName a\n", "x.conf:1: <VirtualHost> is not closed: the file ends before </VirtualHost>"},
		{"end without start", "ServerName a\n</VirtualHost>\n", "x.conf:2: </VirtualHost> without a matching <VirtualHost>"},
		{"end of another section", "<VirtualHost *:80>\n<Location />\n</VirtualHost>\n", "x.conf:3: </VirtualHost> closes <Location> (opened at x.conf:2): expected </Location>"},
		{"section on two lines", "<VirtualHost *:80\n", `x.conf:1: "<VirtualHost *:80": a section is written <Name arguments> on one line`},
		{"quote not closed", "ServerName \"a\n", "x.conf:1: a quoted argument is not closed (\" missing)"},
		{"empty section", "<>\n", "x.conf:1: <> names no section"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.conf", []byte(tt.in))
			if err == nil || err.Error() != tt.want {
				t.Errorf("err = %v, want %s", err, tt.want)
			}
		})
	}
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

func load(t *testing.T, path string) (*Config, error) {
	t.Helper()
	data, err := conftree.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return Load(conftree.File{Path: path, Data: data})
}

func TestIncludes(t *testing.T) {
	dir := t.TempDir()
	main := write(t, dir, "apache2.conf", "Include ports.conf\nIncludeOptional sites-enabled/*.conf\nIncludeOptional conf-enabled/*.conf\nInclude missing.conf\nInclude ${APACHE_DIR}/x.conf\n")
	write(t, dir, "ports.conf", "Listen 80\n")
	write(t, dir, "sites-enabled/b.conf", "<VirtualHost *:80>\nServerName b\n</VirtualHost>\n")
	write(t, dir, "sites-enabled/a.conf", "<VirtualHost *:80>\nServerName a\n</VirtualHost>\n")
	cfg, err := load(t, main)
	if err != nil {
		t.Fatal(err)
	}
	want := "01 Include ports.conf\n  01 Listen 80\n02 IncludeOptional sites-enabled/*.conf\n  01 VirtualHost *:80\n    02 ServerName a\n  01 VirtualHost *:80\n    02 ServerName b\n03 IncludeOptional conf-enabled/*.conf\n04 Include missing.conf\n05 Include ${APACHE_DIR}/x.conf\n"
	if got := outline(cfg.Nodes, ""); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if len(cfg.Files) != 4 || len(cfg.Missing) != 2 || cfg.Missing[0].Line != 4 || cfg.Missing[1].Line != 5 {
		t.Errorf("files %q, missing %d", cfg.Files, len(cfg.Missing))
	}

	loop := write(t, dir, "loop/a.conf", "Include b.conf\n")
	write(t, dir, "loop/b.conf", "ServerName x\nInclude a.conf\n")
	_, err = load(t, loop)
	want = filepath.Join(dir, "loop/b.conf") + ":2: include loop: " + loop + " includes " + filepath.Join(dir, "loop/b.conf") + " (" + loop + ":1), which includes " + loop + " (" + filepath.Join(dir, "loop/b.conf") + ":2) again"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}

// Each argument says whether it was written in quotes, so a report quotes a
// directive as the admin wrote it (conftree.Node.Text), Define'd variables
// expanded or not.
func TestQuotedAsWritten(t *testing.T) {
	src := "Define LOGS /var/log/art\n" +
		"<VirtualHost \"*:443\">\n" +
		"    Header always set X-Frame-Options \"SAMEORIGIN\"\n" +
		"    RequestHeader set X-A 'a b' early\n" +
		"    RewriteCond \"%{HTTP_HOST}\" ^(.+)\\.example\\.com$\n" +
		"    CustomLog \"${LOGS}/access.log\" combined\n" +
		"    ErrorLog ${LOGS}/error.log\n" +
		"    Header set X-E \"\"\n" +
		"</VirtualHost>\n"
	cfg, err := Load(conftree.File{Path: "/etc/apache2/sites-enabled/a.conf", Data: []byte(src)})
	if err != nil {
		t.Fatal(err)
	}
	conftreetest.CheckTexts(t, cfg.Nodes, []string{
		"1: Define LOGS /var/log/art",
		`2: VirtualHost "*:443" {...}`,
		`3: Header always set X-Frame-Options "SAMEORIGIN"`,
		`4: RequestHeader set X-A "a b" early`,
		`5: RewriteCond "%{HTTP_HOST}" ^(.+)\.example\.com$`,
		`6: CustomLog "/var/log/art/access.log" combined`,
		`7: ErrorLog /var/log/art/error.log`,
		`8: Header set X-E ""`,
	})
}
