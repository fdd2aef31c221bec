package config

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// badFile makes the thing a bad-input case opens; it returns the path.
type badFile func(t *testing.T, dir string) string

func content(s string) badFile {
	return func(t *testing.T, dir string) string {
		p := filepath.Join(dir, "frontdoor.yaml")
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
}

// billionLaughs nests merges of merges of a repository: 10^9 entries once
// expanded, a few hundred bytes written.
func billionLaughs() string {
	var b strings.Builder
	b.WriteString("proxy:\n  docker:\n    repositories:\n      - &a0 {key: a, port: 1}\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "      - &a%d {<<: [%s]}\n", i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 10), ", "))
	}
	return b.String()
}

// classicLaughs is the textbook alias bomb, on keys the settings do not have.
func classicLaughs() string {
	var b strings.Builder
	b.WriteString(`a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]` + "\n")
	for i := 'b'; i <= 'i'; i++ {
		fmt.Fprintf(&b, "%c: &%c [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*%c,", i-1), 9), ","))
	}
	return b.String()
}

// The table of every bad input: each is refused with an *Error (the CLI's
// exit 2) whose one line names the file, the line and the settings path in
// words, never yaml's Go types, and nothing is written by a save on top.
var badInputs = []struct {
	name string
	make badFile
	want string // in the message
}{
	{"larger than 4 MiB", func(t *testing.T, dir string) string {
		p := filepath.Join(dir, "big.yaml")
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(p, 5<<20); err != nil {
			t.Fatal(err)
		}
		return p
	}, "big.yaml: too large: 5,242,880 bytes, the limit is 4 MiB"},
	{"FIFO", func(t *testing.T, dir string) string {
		p := filepath.Join(dir, "fifo.yaml")
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}, "fifo.yaml: is a FIFO (named pipe), not a settings file: frontdoor reads settings only from regular files"},
	{"/dev/zero", func(*testing.T, string) string { return "/dev/zero" }, "/dev/zero: is a character device, not a settings file"},
	{"symlink to /dev/zero", func(t *testing.T, dir string) string {
		p := filepath.Join(dir, "zero.yaml")
		if err := os.Symlink("/dev/zero", p); err != nil {
			t.Fatal(err)
		}
		return p
	}, "zero.yaml: is a character device"},
	{"directory", func(t *testing.T, dir string) string { return dir }, ": is a directory, not a settings file"},
	{"socket", func(t *testing.T, dir string) string {
		p := filepath.Join(dir, "s.sock")
		l, err := net.Listen("unix", p)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		return p
	}, "s.sock: is a socket, not a settings file"},
	{"NUL byte", content("proxy:\n  serverName: a\x00b\n"), "frontdoor.yaml:2: binary data (a NUL byte), not a settings file"},
	{"binary file", content("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcb\x48\xcd\xc9\xc9\x57"), "frontdoor.yaml:1: binary data (a NUL byte)"},
	{"not UTF-8", content("proxy:\n  serverName: caf\xe9\n"), "frontdoor.yaml:2: not UTF-8 text (save the file as UTF-8)"},
	{"alias bomb through merges", content(billionLaughs()), "the settings expand to more than 200,000 values through aliases (*name): that is no settings file"},
	{"classic alias bomb", content(classicLaughs()), "frontdoor.yaml:1: 9 unknown keys (a, b, c and 6 more); the keys here are proxy, ldap, save"},
	{"another tool's YAML", content("version: \"3\"\nservices:\n  web: {}\nvolumes: {}\n"), "frontdoor.yaml:1: 3 unknown keys (version, services, volumes); the keys here are proxy, ldap, save"},
	{"alias loop", content("proxy:\n  docker:\n    repositories:\n      - &r {key: a, <<: *r}\n"), "proxy.docker.repositories[0]: *r is used inside its own anchor &r: a loop"},
	{"deep brackets", content("proxy:\n  nodes: " + strings.Repeat("[", 20_000) + "\n"), "nested too deeply (brackets or indentation more than 10,000 levels deep)"},
	{"deep list at a known key", content("proxy:\n  nodes: " + strings.Repeat("[", 50) + strings.Repeat("]", 50) + "\n"), `frontdoor.yaml:2: proxy.nodes[0]: expected text, got a list`},
	{"deep indentation", func(t *testing.T, dir string) string {
		var b strings.Builder
		for i := 0; i < 2000; i++ {
			b.WriteString(strings.Repeat(" ", i) + "proxy:\n")
		}
		return content(b.String())(t, dir)
	}, "frontdoor.yaml:2: proxy.proxy: unknown key here; proxy belongs under the top level (check the indentation)"},
	{"too many values", content(strings.Repeat("- 1\n", 1<<20)), "too many values (about 1,048,577; the limit is 50,000, and a settings file has a few hundred)"},
	{"tab in the indentation", content("proxy:\n  serverName: a.example.com\n\trouterPort: 8082\n"), "frontdoor.yaml:3: a tab in the indentation: YAML indents with spaces only"},
	{"misspelt key", content("proxy:\n  serverNmae: a.example.com\n"), "frontdoor.yaml:2: proxy.serverNmae: unknown key; did you mean serverName?"},
	{"misspelt key in another case", content("proxy:\n  servername: a.example.com\n"), "proxy.servername: unknown key; did you mean serverName?"},
	{"key at the wrong level", content("serverName: a.example.com\n"), "frontdoor.yaml:1: serverName: unknown key here; serverName belongs under proxy (check the indentation)"},
	{"unknown key with nothing near", content("proxy:\n  docker:\n    zzz: 1\n"), "proxy.docker.zzz: unknown key; the keys here are method, repositories"},
	{"decimal port", content("proxy:\n  routerPort: 8082.9\n"), `frontdoor.yaml:2: proxy.routerPort: expected a whole number (a port), got "8082.9"`},
	{"decimal port with .0", content("proxy:\n  http: {port: 80.0}\n"), `proxy.http.port: expected a whole number (a port), got "80.0"`},
	{"port in words", content("proxy:\n  docker:\n    repositories:\n      - {key: a, port: eighty}\n"), `frontdoor.yaml:4: proxy.docker.repositories[0].port: expected a whole number (a port), got "eighty"`},
	{"port too large", content("proxy:\n  routerPort: 99999999999999999999\n"), `proxy.routerPort: expected a whole number (a port), got "99999999999999999999" (too large)`},
	{"port left empty", content("proxy:\n  routerPort:\n"), "proxy.routerPort: expected a whole number (a port), got nothing"},
	{"boolean in words", content("proxy:\n  https:\n    enabled: maybe\n"), `frontdoor.yaml:3: proxy.https.enabled: expected true or false, got "maybe"`},
	{"list for text", content("proxy:\n  serverName: [a, b]\n"), "proxy.serverName: expected text, got a list"},
	{"section for a list", content("proxy:\n  nodes: {a: 1}\n"), "proxy.nodes: expected a list (lines starting with -, or [a, b]), got a section (key: value)"},
	{"text for a section", content("proxy:\n  https: yes\n"), `proxy.https: expected a section (key: value lines), got "yes"`},
	{"LDAP path", content("ldap:\n  settings:\n    - key: corp\n      search: {subTree: sometimes}\n"), `frontdoor.yaml:4: ldap.settings[0].search.subTree: expected true or false, got "sometimes"`},
	{"save section", content("save:\n  keep: five\n"), `frontdoor.yaml:2: save.keep: expected a whole number (how many backups to keep), got "five"`},
	{"key set twice", content("proxy:\n  serverName: a.example.com\n  serverName: b.example.com\n"), "frontdoor.yaml:3: proxy.serverName: set twice (lines 2 and 3): keep one"},
	{"second document", content("proxy:\n  serverName: a\n---\nproxy:\n  serverName: b\n"), "a second YAML document (after ---): a settings file holds one"},
	{"unknown anchor", content("proxy:\n  nodes: *nodes\n"), "frontdoor.yaml:2: *nodes refers to no anchor: define &nodes before it is used"},
	{"a list instead of settings", content("- proxy\n"), "frontdoor.yaml:1: expected the sections proxy:, ldap: and save: (key: value lines), got a list"},
	{"not YAML", content("proxy: ]a\n"), "not valid YAML: did not find expected node content"},
	// An unclosed flow sequence or mapping: the line where it was opened, not where the parser gave up.
	{"unclosed [", content("proxy: [a\n"), "frontdoor.yaml:1: not valid YAML: the [ opened on this line is never closed: add ] (or a missing comma: did not find expected ',' or ']')"},
	{"unclosed [ of nodes", content("proxy:\n  serverName: a.example.com\n  nodes: [a, b\n  artifactoryPort: 8081\n"), "frontdoor.yaml:3: not valid YAML: the [ opened on this line is never closed: add ]"},
	{"unclosed { of http", content("proxy:\n  http: {enabled: true, port: 80\n  routerPort: 8082\n"), "frontdoor.yaml:2: not valid YAML: the { opened on this line is never closed: add }"},
	{"unclosed [ after closed ones, quotes and comments", content("# a [ in a comment\nproxy:\n  serverName: \"[x\" # [\n  nodes: [a, 'b]'\n  docker: {method: none}\n"), "frontdoor.yaml:4: not valid YAML: the [ opened on this line is never closed"},
	{"a bracket inside a plain value opens nothing", content("proxy:\n  serverName: a[1]\n  nodes: [a, b\n"), "frontdoor.yaml:3: not valid YAML: the [ opened on this line is never closed"},
	{"broken vendor JSON", content(`{"webServerType":"NGINX","serverName":"a.example.com","artifactoryPort":"x"}`), `frontdoor.yaml:1: artifactoryPort: expected a whole number, got a string (in the vendor's JSON)`},
	{"decimal port in the vendor JSON", content(`{"webServerType":"NGINX","serverName":"a.example.com",` + "\n" + `"artifactoryPort":8081.5}`), `frontdoor.yaml:2: artifactoryPort: expected a whole number, got "8081.5" (in the vendor's JSON)`},
}

func TestBadInputIsRefusedInOneClearLine(t *testing.T) {
	t.Parallel() // pure parsing of its own inputs
	for _, tt := range badInputs {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.make(t, t.TempDir())
			before := snapshot(path)
			_, err := Open(path, true)
			var bad *Error
			if !errors.As(err, &bad) {
				t.Fatalf("Open: %v (%T), want a *config.Error", err, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) {
				t.Errorf("message:\n%s\nwant it to contain:\n%s", msg, tt.want)
			}
			for _, goTalk := range []string{"!!", "unmarshal", "int64", "render.", "ldapcheck.", "goroutine", "panic"} {
				if strings.Contains(msg, goTalk) {
					t.Errorf("message speaks Go (%q): %s", goTalk, msg)
				}
			}
			if strings.Count(msg, "\n") >= len(bad.Problems) {
				t.Errorf("more lines than problems: %q", msg)
			}
			if !strings.HasPrefix(msg, path) {
				t.Errorf("message does not start with the file: %q", msg)
			}
			// A save on top of a file that is not settings changes nothing.
			if path != "/dev/zero" {
				if err := Save(path, NewFile()); err == nil {
					t.Error("Save replaced a file that is not settings")
				}
				if after := snapshot(path); after != before {
					t.Errorf("the file changed: %s → %s", before, after)
				}
			}
		})
	}
}

// snapshot describes a path's type and content, to show nothing changed.
func snapshot(path string) string {
	info, err := os.Lstat(path)
	if err != nil {
		return err.Error()
	}
	if !info.Mode().IsRegular() {
		return info.Mode().String()
	}
	data, _ := os.ReadFile(path)
	return fmt.Sprintf("%s %x", info.Mode(), data[:min(len(data), 64)])
}

// The Error type lists several problems, one per line, capped in one place.
func TestErrorListsProblemsOnePerLine(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("proxy:\n  docker:\n    repositories:\n")
	for i := range 80 {
		fmt.Fprintf(&b, "      - {key: r%d, port: x}\n", i)
	}
	_, err := Parse(b.Bytes())
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 51 || lines[0] != `line 4: proxy.docker.repositories[0].port: expected a whole number (a port), got "x"` || lines[50] != "… and 30 more problems" {
		t.Errorf("%d lines; first %q, last %q", len(lines), lines[0], lines[len(lines)-1])
	}
}

// The keys of one section that nothing is near are one problem, however
// many: named up to three, then counted. A key with a near spelling or a
// home elsewhere keeps its own line (it says what to do).
func TestUnknownKeysOfASectionAreOneProblem(t *testing.T) {
	keys := func(names ...string) string {
		var b strings.Builder
		b.WriteString("proxy:\n  serverName: a.example.com\n")
		for _, n := range names {
			fmt.Fprintf(&b, "  %s: 1\n", n)
		}
		return b.String()
	}
	here := "the keys here are provider, serverName, nodes"
	tests := []struct {
		name string
		in   string
		want []string // the lines
	}{
		{"one", keys("zz"), []string{"line 3: proxy.zz: unknown key; " + here}},
		{"three", keys("zz", "yy", "xx"), []string{"line 3: proxy: 3 unknown keys (zz, yy, xx); " + here}},
		{"eighty", keys(strings.Fields(strings.Repeat("q ", 80))...), []string{"line 3: proxy: 80 unknown keys (q, q, q and 77 more); " + here}},
		{"with a misspelt one", keys("zz", "serverNmae", "yy"), []string{"line 4: proxy.serverNmae: unknown key; did you mean serverName?", "line 3: proxy: 2 unknown keys (zz, yy); " + here}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			if err == nil {
				t.Fatal("no error")
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("%d lines, want %d:\n%s", len(lines), len(tt.want), err)
			}
			for i, want := range tt.want {
				if !strings.HasPrefix(lines[i], want) {
					t.Errorf("line %d: %q, want %q…", i, lines[i], want)
				}
			}
		})
	}
}

func TestTenThousandAliasesOfOneEntryLoadAndReportOnce(t *testing.T) {
	t.Parallel() // pure parsing of its own inputs
	var b strings.Builder
	b.WriteString("proxy:\n  serverName: a.example.com\n  docker:\n    method: ports\n    repositories:\n      - &r {key: docker-local, port: 5001}\n")
	for range 9_999 {
		b.WriteString("      - *r\n")
	}
	f, err := Parse([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.Proxy.Docker.Repositories); n != 10_000 {
		t.Fatalf("%d repositories", n)
	}
	lines := Validate(f).Lines(0)
	if len(lines) > 51 {
		t.Errorf("%d lines of findings for one repeated entry", len(lines))
	}
	t.Logf("findings:\n%s", strings.Join(lines, "\n"))
}
