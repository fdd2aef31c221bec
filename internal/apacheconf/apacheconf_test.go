package apacheconf

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Files follows includes as Apache does: in place, globs sorted, a
// directory's files, relative to the server root, each file once (a loop
// ends), links named as included; variables are not guessed.
func TestFiles(t *testing.T) {
	root := t.TempDir()
	conf := filepath.Join(root, "etc/apache2")
	write(t, filepath.Join(conf, "apache2.conf"), "# Include commented.conf\nInclude ports.conf\nIncludeOptional \"conf-enabled/*.conf\"\nInclude conf.d\nIncludeOptional ${APACHE_X}/x.conf\nIncludeOptional missing/*.conf\nInclude apache2.conf\n")
	write(t, filepath.Join(conf, "ports.conf"), "Listen 80\n")
	write(t, filepath.Join(conf, "conf-available/b.conf"), "Include ports.conf\n")
	write(t, filepath.Join(conf, "conf-enabled/a.conf"), "")
	if err := os.Symlink("../conf-available/b.conf", filepath.Join(conf, "conf-enabled/b.conf")); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(conf, "conf.d/z/deep.conf"), "")
	write(t, filepath.Join(conf, "commented.conf"), "")
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
	write(t, f, "Listen 80\r\n<IfModule ssl_module>\n  Listen 443 https\n</IfModule>\n#Listen 1\nlisten \\\n *:5001\nListen 127.0.0.1:5002\nListen [::]:5003\n")
	var got []string
	for _, l := range Listens([]string{f, filepath.Join(dir, "missing.conf")}) {
		got = append(got, strings.TrimPrefix(l.String(), dir+"/")+" "+l.Addr+" "+l.Port+map[bool]string{true: " all", false: ""}[l.AllAddresses()]+map[bool]string{true: " conditional", false: ""}[l.Conditional])
	}
	want := []string{"a.conf:1 80 80 all", "a.conf:3 443 443 all conditional", "a.conf:6 *:5001 5001 all", "a.conf:8 127.0.0.1:5002 5002", "a.conf:9 [::]:5003 5003"}
	if !slices.Equal(got, want) {
		t.Errorf("Listens =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
