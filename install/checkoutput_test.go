package install

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/internal/servertest"
)

// A failed check whose errors are all in another file than frontdoor's says
// where, in each web server's words; an error in the snippet (by any of its
// names) blames no other file.
func TestErrorsOutside(t *testing.T) {
	dir := t.TempDir()
	main := filepath.Join(dir, "nginx.conf")
	ours := filepath.Join(dir, "sites-available", "artifactory.conf")
	link := filepath.Join(dir, "sites-enabled", "artifactory.conf")
	for _, d := range []string{"sites-available", "sites-enabled"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, main, []byte("events {}\n"), 0o644)
	writeFile(t, ours, []byte("server {}\n"), 0o644)
	symlink(t, ours, link)
	tests := []struct {
		name   string
		output string
		want   string
	}{
		{"nginx, main config", "2026/11/27 06:33:59 [emerg] 1808#1808: invalid value \"onn\" in \"sendfile\" directive in " + main + ":18\nnginx: configuration file " + main + " test failed",
			"the error is in " + main + ":18, outside frontdoor's file"},
		{"nginx, the snippet through its enable link", "nginx: [emerg] unknown directive \"x\" in " + link + ":3\nnginx: configuration file " + main + " test failed", ""},
		{"nginx, the snippet by its own name", "nginx: [emerg] unknown directive \"x\" in " + ours + ":3", ""},
		{"Apache", "AH00526: Syntax error on line 7 of " + main + ":\nInvalid command 'Bogus'", "the error is in " + main + ":7, outside frontdoor's file"},
		{"HAProxy", "[ALERT]    (1) : config : parsing [" + main + ":12] : unknown keyword 'bogus' in 'global' section", "the error is in " + main + ":12, outside frontdoor's file"},
		{"Caddy", "Error: adapting config using caddyfile: " + main + ":4: unrecognized directive: bogus", "the error is in " + main + ":4, outside frontdoor's file"},
		{"two places, both outside", "[emerg] a in " + main + ":1\n[emerg] b in " + main + ":2", "the errors are in " + main + ":1, " + main + ":2, outside frontdoor's file"},
		{"one outside, one ours: ours may be at fault", "[emerg] duplicate in " + ours + ":3\n[emerg] previous in " + main + ":9", ""},
		{"no place named", "nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)", ""},
		{"a file that does not exist is no place", "connect to http://backend.example.com:8082 failed; see /no/such/file:3", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errorsOutside(tt.output, ours, ours, link); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// Apache's "Cannot define multiple Listeners" names the line it read
// second; the explanation names the other Listen lines for that port in the
// files the check reads, never ours, and only Listens for every address.
func TestListenClash(t *testing.T) {
	dir := t.TempDir()
	ports := filepath.Join(dir, "ports.conf")
	ours := filepath.Join(dir, "sites-available", "artifactory.conf")
	link := filepath.Join(dir, "sites-enabled", "artifactory.conf")
	later := filepath.Join(dir, "sites-enabled", "zzz.conf")
	for _, d := range []string{"sites-available", "sites-enabled"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, ports, []byte("Listen 80\n<IfModule ssl_module>\n\tListen 443\n</IfModule>\nListen 127.0.0.1:5002\nListen 5001\n"), 0o644)
	writeFile(t, ours, []byte("# frontdoor\nListen 5001\nListen 5002\nListen 5003\n<VirtualHost *:5001>\n</VirtualHost>\n"), 0o644)
	symlink(t, ours, link)
	writeFile(t, later, []byte("Listen *:5003\n"), 0o644)
	files := []string{ports, ours, later}
	clash := func(line int, file string) string {
		return fmt.Sprintf("AH00526: Syntax error on line %d of %s:\nCannot define multiple Listeners on the same IP:port\n", line, file)
	}
	tests := []struct {
		name, output, want string
	}{
		{"ours read second: ports.conf named", clash(2, link), "Listen 5001 is also in " + ports + ":6: Apache refuses two Listen lines for one port: remove it there (frontdoor's snippet declares the ports it uses)"},
		{"another site read after ours: that one named", clash(1, later), "Listen 5003 is also in " + later + ":1: Apache refuses two Listen lines for one port: remove it there (frontdoor's snippet declares the ports it uses)"},
		{"a one-address Listen is not the clash", clash(3, link), ""},
		{"another error", "AH00526: Syntax error on line 2 of " + link + ":\nInvalid command 'Bogus'\n", ""},
		{"the line is no Listen", clash(1, link), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := listenClash(tt.output, files, ours, link); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// The real apache2ctl -t on a copy of /etc/apache2 whose ports.conf already
// listens on the snippet's port: the save is rolled back, and the result
// names ports.conf and its line, not only the snippet Apache blames.
func TestRootedApacheListenClashNamesPortsConf(t *testing.T) {
	t.Parallel() // the real server checks copies of its own
	root := servertest.ApacheRoot(t)
	portsConf := filepath.Join(root, "etc/apache2/ports.conf")
	stock, err := os.ReadFile(portsConf)
	if err != nil {
		t.Fatal(err)
	}
	port := servertest.FreePort(t)
	text := strings.TrimRight(string(stock), "\n") + fmt.Sprintf("\nListen %d\n", port)
	writeFile(t, portsConf, []byte(text), 0o644)
	line := strings.Count(text, "\n")
	target := DetectTarget("apache", root)
	site := fmt.Appendf(nil, "Listen %d\n<VirtualHost *:%d>\n    ServerName artifactory.test\n</VirtualHost>\n", port, port)
	rep, err := Save(context.Background(), target.Plan(site))
	if !errors.Is(err, ErrCheckFailed) || !strings.Contains(rep.Check.Output, "Cannot define multiple Listeners") {
		t.Fatalf("save: %v\n%s", err, rep)
	}
	want := fmt.Sprintf("Listen %d is also in %s:%d: Apache refuses two Listen lines for one port: remove it there", port, portsConf, line)
	if !strings.HasPrefix(rep.Reason, want) || !strings.Contains(rep.String(), want) {
		t.Errorf("reason %q\nwant it to start %q\n%s", rep.Reason, want, rep)
	}
	assertMissing(t, target.Path)

	writeFile(t, portsConf, stock, 0o644)
	if rep, err := Save(context.Background(), target.Plan(site)); err != nil || rep.Result != ResultChecked {
		t.Fatalf("with the line removed there: %v\n%s", err, rep)
	}
}
