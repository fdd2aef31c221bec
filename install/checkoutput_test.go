package install

import (
	"os"
	"path/filepath"
	"testing"
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
