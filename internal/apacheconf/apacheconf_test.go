package apacheconf

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"frontdoor/internal/servertest"
)

// Files follows includes as Apache does: in place, globs sorted, a
// directory's files, relative to the server root, each file once (a loop
// ends), links named as included; variables are not guessed.
func TestFiles(t *testing.T) {
	root := t.TempDir()
	conf := filepath.Join(root, "etc/apache2")
	servertest.WriteFile(t, filepath.Join(conf, "apache2.conf"), "# Include commented.conf\nInclude ports.conf\nIncludeOptional \"conf-enabled/*.conf\"\nInclude conf.d\nIncludeOptional ${APACHE_X}/x.conf\nIncludeOptional missing/*.conf\nInclude apache2.conf\n")
	servertest.WriteFile(t, filepath.Join(conf, "ports.conf"), "Listen 80\n")
	servertest.WriteFile(t, filepath.Join(conf, "conf-available/b.conf"), "Include ports.conf\n")
	servertest.WriteFile(t, filepath.Join(conf, "conf-enabled/a.conf"), "")
	if err := os.Symlink("../conf-available/b.conf", filepath.Join(conf, "conf-enabled/b.conf")); err != nil {
		t.Fatal(err)
	}
	servertest.WriteFile(t, filepath.Join(conf, "conf.d/z/deep.conf"), "")
	servertest.WriteFile(t, filepath.Join(conf, "commented.conf"), "")
	main, serverRoot, ok := Main(root)
	if !ok || main != filepath.Join(conf, "apache2.conf") || serverRoot != conf {
		t.Fatalf("Main(%s) = %s, %s, %v", root, main, serverRoot, ok)
	}
	var got []string
	for _, f := range Files(main, serverRoot) {
		got = append(got, strings.TrimPrefix(f, conf+"/"))
	}
	want := []string{"apache2.conf", "ports.conf", "conf-enabled/a.conf", "conf-enabled/b.conf", "conf.d/z/deep.conf"}
	if !slices.Equal(got, want) {
		t.Errorf("Files = %q\nwant %q", got, want)
	}
	if _, _, ok := Main(t.TempDir()); ok {
		t.Error("Main found a configuration in an empty root")
	}
}

func TestListens(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "a.conf")
	servertest.WriteFile(t, f, "Listen 80\r\n<IfModule ssl_module>\n  Listen 443 https\n</IfModule>\n#Listen 1\nlisten \\\n *:5001\nListen 127.0.0.1:5002\nListen [::]:5003\n")
	var got []string
	for _, l := range Listens([]string{f, filepath.Join(dir, "missing.conf")}) {
		got = append(got, strings.TrimPrefix(l.String(), dir+"/")+" "+l.Addr+" "+l.Port+map[bool]string{true: " all", false: ""}[l.AllAddresses()]+map[bool]string{true: " conditional", false: ""}[l.Conditional])
	}
	want := []string{"a.conf:1 80 80 all", "a.conf:3 443 443 all conditional", "a.conf:6 *:5001 5001 all", "a.conf:8 127.0.0.1:5002 5002", "a.conf:9 [::]:5003 5003"}
	if !slices.Equal(got, want) {
		t.Errorf("Listens =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Walker follows what Files does and more, telling its hooks what it meets
// in order: Define and the environment for ${VAR}, a directory a glob
// matches, a directory linked into an included one, no hidden file for a
// wildcard, a missing IncludeOptional heard of, ServerRoot, and what it
// could not resolve (then Incomplete).
func TestWalk(t *testing.T) {
	root := t.TempDir()
	conf := filepath.Join(root, "etc/httpd")
	other := filepath.Join(root, "elsewhere")
	servertest.WriteFile(t, filepath.Join(conf, "conf/httpd.conf"), "ServerRoot "+conf+"\nDefine SITES sites\nInclude ${SITES}/*.conf\nIncludeOptional ${FROM_ENV}/env.conf\nIncludeOptional conf.d/*\nIncludeOptional missing.conf\nInclude ${NOBODY}/x.conf\nUnDefine SITES\nInclude ${SITES}/again.conf\n")
	servertest.WriteFile(t, filepath.Join(conf, "sites/a.conf"), "")
	servertest.WriteFile(t, filepath.Join(conf, "sites/.hidden.conf"), "")
	servertest.WriteFile(t, filepath.Join(conf, "env/env.conf"), "")
	servertest.WriteFile(t, filepath.Join(conf, "conf.d/sub/one.conf"), "")
	servertest.WriteFile(t, filepath.Join(other, "linked.conf"), "")
	if err := os.Symlink(other, filepath.Join(conf, "conf.d/sub/zlink")); err != nil {
		t.Fatal(err)
	}
	var events []string
	short := func(p string) string { return strings.TrimPrefix(strings.TrimPrefix(p, conf+"/"), root+"/") }
	w := Walker{
		Getenv: func(name string) string {
			if name == "FROM_ENV" {
				return conf + "/env"
			}
			return ""
		},
		Visit: func(name, resolved, from string) {
			events = append(events, "visit "+short(name)+" -> "+short(resolved)+" from "+short(from))
		},
		Include:    func(from, pattern string) { events = append(events, "include "+short(pattern)) },
		ServerRoot: func(from, dir string) { events = append(events, "serverroot "+dir) },
		Unresolved: func(from, directive, arg string) { events = append(events, "unresolved "+directive+" "+arg) },
	}
	cfg := w.Walk(filepath.Join(conf, "conf/httpd.conf"), "/etc/httpd")
	want := []string{
		"visit conf/httpd.conf -> conf/httpd.conf from ",
		"serverroot " + conf,
		"include sites/*.conf",
		"visit sites/a.conf -> sites/a.conf from conf/httpd.conf",
		"include env/env.conf",
		"visit env/env.conf -> env/env.conf from conf/httpd.conf",
		"include conf.d/*",
		"visit conf.d/sub/one.conf -> conf.d/sub/one.conf from conf/httpd.conf",
		"visit conf.d/sub/zlink/linked.conf -> elsewhere/linked.conf from conf/httpd.conf",
		"include missing.conf",
		"visit missing.conf ->  from conf/httpd.conf",
		"unresolved Include ${NOBODY}/x.conf",
		"unresolved Include ${SITES}/again.conf",
	}
	if !slices.Equal(events, want) {
		t.Errorf("events\n%s\nwant\n%s", strings.Join(events, "\n"), strings.Join(want, "\n"))
	}
	var files []string
	for _, f := range cfg.Files {
		files = append(files, short(f.Name)+" -> "+short(f.Resolved))
	}
	wantFiles := []string{"conf/httpd.conf -> conf/httpd.conf", "sites/a.conf -> sites/a.conf", "env/env.conf -> env/env.conf", "conf.d/sub/one.conf -> conf.d/sub/one.conf", "conf.d/sub/zlink/linked.conf -> elsewhere/linked.conf"}
	if !slices.Equal(files, wantFiles) || !cfg.Incomplete {
		t.Errorf("files %q (incomplete %v), want %q (incomplete)", files, cfg.Incomplete, wantFiles)
	}
}

// A chain of includes deeper than maxDepth: the files are listed as far as
// the limit allows and the walk says it is incomplete; a loop is not.
func TestWalkLimits(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i <= maxDepth+2; i++ {
		servertest.WriteFile(t, filepath.Join(dir, fmt.Sprintf("%d.conf", i)), fmt.Sprintf("Include %d.conf\n", i+1))
	}
	cfg := Walker{}.Walk(filepath.Join(dir, "0.conf"), dir)
	if len(cfg.Files) != maxDepth+2 || !cfg.Incomplete {
		t.Errorf("deep chain: %d files (incomplete %v), want %d, incomplete", len(cfg.Files), cfg.Incomplete, maxDepth+2)
	}
	loop := t.TempDir()
	servertest.WriteFile(t, filepath.Join(loop, "loop.conf"), "Include loop.conf\nInclude .\n")
	if err := os.Symlink(".", filepath.Join(loop, "self")); err != nil {
		t.Fatal(err)
	}
	if cfg := (Walker{}).Walk(filepath.Join(loop, "loop.conf"), loop); cfg.Incomplete || len(cfg.Files) != 1 {
		t.Errorf("loop: %+v", cfg)
	}
}

// Listen ${PORT} is a Listen of the port a Define gave it, in the order
// the files are read; a variable no file defines leaves the Listen out.
func TestListensExpandDefines(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.conf")
	b := filepath.Join(dir, "b.conf")
	if err := os.WriteFile(a, []byte("Define DP 5001\nListen ${DP}\nListen ${FROM_ENV}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte("Listen 127.0.0.1:${DP}\nUnDefine DP\nListen ${DP}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range Listens([]string{a, b}) {
		got = append(got, filepath.Base(l.File)+":"+strconv.Itoa(l.Line)+" "+l.Addr+" "+l.Port)
	}
	want := []string{"a.conf:2 5001 5001", "b.conf:1 127.0.0.1:5001 5001"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
