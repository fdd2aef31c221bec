package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"frontdoor/finding"
	"frontdoor/ldapcheck"
	"frontdoor/render"
)

func writeFile(t *testing.T, path, body string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
}

func readString(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestOpenSources(t *testing.T) {
	dir := t.TempDir()
	yamlPath := filepath.Join(dir, "frontdoor.yaml")
	jsonPath := filepath.Join(dir, "webserver.json")
	writeFile(t, yamlPath, "proxy:\n  serverName: a.example.com\n", 0o644)
	writeFile(t, jsonPath, `{"webServerType":"APACHE","serverName":"j.example.com","artifactoryServerName":"10.0.0.5"}`, 0o644)
	missing := filepath.Join(dir, "new.yaml")

	tests := []struct {
		path     string
		explicit bool
		source   Source
		exists   bool
		target   string
		server   string
	}{
		{yamlPath, true, FromFile, true, yamlPath, "a.example.com"},
		{jsonPath, true, FromVendorJSON, true, yamlPath, "j.example.com"},
		{missing, true, FromNew, false, missing, ""},
		{missing, false, FromExample, false, missing, "artifactory.example.com"},
	}
	for _, tt := range tests {
		d, err := Open(tt.path, tt.explicit)
		if err != nil {
			t.Fatalf("Open(%s): %v", tt.path, err)
		}
		if d.Source() != tt.source || d.Exists() != tt.exists || d.Target() != tt.target || d.Settings().Proxy.ServerName != tt.server {
			t.Errorf("Open(%s, %v) = %v, exists %v, target %s, server %q", tt.path, tt.explicit, d.Source(), d.Exists(), d.Target(), d.Settings().Proxy.ServerName)
		}
		if tt.exists && (d.Hash() == [32]byte{} || d.ModTime().IsZero() || len(d.Bytes()) == 0) {
			t.Errorf("Open(%s): hash, time or bytes missing", tt.path)
		}
	}
}

// Example of the whole cycle: open, edit a copy, write; the comment stays.
func ExampleDocument_Write() {
	dir, _ := os.MkdirTemp("", "frontdoor")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "frontdoor.yaml")
	os.WriteFile(path, []byte("proxy:\n  serverName: a.example.com  # the public name\n"), 0o644)

	doc, err := Open(path, true)
	if err != nil {
		panic(err)
	}
	f := doc.Settings()
	f.Proxy.ServerName = "b.example.com"
	for _, c := range doc.Changes(f) {
		os.Stdout.WriteString(c.String() + "\n")
	}
	if _, err := doc.Write(f, WriteOptions{}); err != nil {
		panic(err)
	}
	data, _ := os.ReadFile(path)
	os.Stdout.Write(data)
	// Output:
	// proxy.serverName: a.example.com → b.example.com
	// proxy:
	//   serverName: b.example.com  # the public name
}

// Example of a change made behind the document's back: the write refuses,
// says what changed, and the caller chooses.
func ExampleConflict() {
	dir, _ := os.MkdirTemp("", "frontdoor")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "frontdoor.yaml")
	os.WriteFile(path, []byte("proxy:\n  serverName: a.example.com\n"), 0o644)

	doc, _ := Open(path, true)
	os.WriteFile(path, []byte("proxy:\n  serverName: c.example.com  # changed by a colleague\n"), 0o644)

	f := doc.Settings()
	f.Proxy.RouterPort = 9000
	_, err := doc.Write(f, WriteOptions{})
	var c *Conflict
	if errors.As(err, &c) {
		os.Stdout.WriteString(strings.ReplaceAll(c.Summary(), dir+"/", "") + "\n")
		// Reload (take theirs): doc, err = Open(path, true)
		// Overwrite (take mine): doc.Write(f, WriteOptions{Overwrite: true})
	}
	// Output:
	// frontdoor.yaml changed on disk since it was loaded.
	// Changed there:
	//   proxy.serverName: a.example.com → c.example.com
}

func TestOutsideChangesAreNeverLost(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "frontdoor.yaml")
	writeFile(t, path, commented, 0o644)
	doc, err := Open(path, true)
	if err != nil {
		t.Fatal(err)
	}
	mine := doc.Settings()
	mine.Proxy.RouterPort = 9000

	// Unchanged on disk: no conflict.
	if c, err := doc.Changed(); c != nil || err != nil {
		t.Fatalf("Changed() on an untouched file = %v, %v", c, err)
	}

	// Same size, same time, other content: still caught (hash, not mtime).
	info, _ := os.Stat(path)
	theirs := strings.Replace(commented, "port: 5001", "port: 5009", 1)
	writeFile(t, path, theirs, 0o644)
	os.Chtimes(path, info.ModTime(), info.ModTime())
	c, err := doc.Changed()
	if err != nil || c == nil {
		t.Fatalf("Changed() = %v, %v; want a conflict", c, err)
	}
	if want := "proxy.docker.repositories[0].port: 5001 → 5009"; len(c.Changes) != 1 || c.Changes[0].String() != want {
		t.Errorf("changes %v, want %q", c.Changes, want)
	}

	_, err = doc.Write(mine, WriteOptions{})
	if !errors.Is(err, ErrChangedOnDisk) || !strings.Contains(err.Error(), path+" changed on disk since it was loaded (proxy.docker.repositories[0].port: 5001 → 5009): not written") {
		t.Fatalf("Write = %v, want ErrChangedOnDisk naming the file and the change", err)
	}
	if readString(t, path) != theirs {
		t.Fatal("a refused write changed the file")
	}

	// Overwrite (take mine): my setting, their comments and layout.
	next, err := doc.Write(mine, WriteOptions{Overwrite: true})
	if err != nil {
		t.Fatal(err)
	}
	got := readString(t, path)
	if want := strings.Replace(theirs, "  routerPort: 8082\n", "  routerPort: 9000\n", 1); got != strings.Replace(want, "port: 5009", "port: 5001", 1) {
		t.Errorf("overwrite wrote:\n%s", got)
	}
	if next.Hash() == doc.Hash() || next.Source() != FromFile || !next.Settings().Equal(mine) {
		t.Error("the document after a write does not describe what was written")
	}

	// Reload (take theirs) is opening again.
	if again, err := doc.Reload(); err != nil || !again.Settings().Equal(mine) {
		t.Errorf("reload: %v", err)
	}

	// Only comments changed: a conflict too, shown as a line diff.
	writeFile(t, path, got+"# a new comment\n", 0o644)
	c, _ = next.Changed()
	if c == nil || len(c.Changes) != 0 || !strings.Contains(c.Diff, "+# a new comment") || !strings.Contains(c.Error(), "(comments or layout only)") {
		t.Errorf("comment-only change: %+v", c)
	}

	// Deleted behind our back.
	os.Remove(path)
	if _, err := next.Write(mine, WriteOptions{}); !errors.Is(err, ErrChangedOnDisk) || !strings.Contains(err.Error(), "was deleted") {
		t.Errorf("write after delete: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Error("a refused write recreated the deleted file")
	}
}

func TestCreatedBehindTheExampleIsAConflict(t *testing.T) {
	path := filepath.Join(t.TempDir(), "frontdoor.yaml")
	doc, err := Open(path, false)
	if err != nil || doc.Source() != FromExample {
		t.Fatal(doc, err)
	}
	writeFile(t, path, "proxy: {serverName: theirs.example.com}\n", 0o644)
	_, err = doc.Write(doc.Settings(), WriteOptions{})
	if !errors.Is(err, ErrChangedOnDisk) || !strings.Contains(err.Error(), "was created") {
		t.Fatalf("Write = %v", err)
	}
	// Overwrite keeps their file's layout: the example's settings spliced into it.
	if _, err := doc.Write(doc.Settings(), WriteOptions{Overwrite: true}); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, path); !strings.HasPrefix(got, "proxy: {serverName: artifactory.example.com, ") {
		t.Errorf("overwrite wrote:\n%s", got)
	}
}

func TestNewFileIsACleanRendering(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub.yaml")
	doc, err := Open(path, true)
	if err != nil || doc.Source() != FromNew {
		t.Fatal(doc, err)
	}
	f := doc.Settings()
	f.Proxy.ServerName = "a.example.com"
	next, err := doc.Write(f, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := readString(t, path)
	if !strings.HasPrefix(got, header) || !strings.Contains(got, "\n  serverName: a.example.com\n") {
		t.Errorf("new file:\n%s", got)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644 for a file without secret references", info.Mode().Perm())
	}
	if next.Reformatted() {
		t.Error("a new file is not a reformatting")
	}
}

func TestVendorJSONIsNeverOverwritten(t *testing.T) {
	dir := t.TempDir()
	jsonPath := filepath.Join(dir, "webserver.json")
	body := `{"webServerType":"NGINX","serverName":"j.example.com","artifactoryServerName":"10.0.0.5"}`
	writeFile(t, jsonPath, body, 0o644)
	doc, err := Open(jsonPath, true)
	if err != nil {
		t.Fatal(err)
	}
	f := doc.Settings()
	f.Proxy.Provider = render.Apache
	next, err := doc.Write(f, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if readString(t, jsonPath) != body {
		t.Error("the vendor's JSON was changed")
	}
	if next.Path() != filepath.Join(dir, DefaultPath) || !strings.Contains(readString(t, next.Path()), "provider: apache") {
		t.Errorf("settings written to %s", next.Path())
	}
	// Opening the JSON again while frontdoor.yaml exists beside it: a write
	// would replace settings it did not load.
	doc2, _ := Open(jsonPath, true)
	if _, err := doc2.Write(doc2.Settings(), WriteOptions{}); !errors.Is(err, ErrChangedOnDisk) {
		t.Errorf("write over an existing frontdoor.yaml beside the JSON: %v", err)
	}
	// Saving over the JSON itself is refused.
	if err := Save(jsonPath, f); err == nil || readString(t, jsonPath) != body {
		t.Errorf("Save over the vendor JSON: %v", err)
	}
}

func TestWriteKeepsModeAndOwnerAndNarrowsNewSecrets(t *testing.T) {
	dir := t.TempDir()
	private := filepath.Join(dir, "private.yaml")
	writeFile(t, private, "proxy:\n  serverName: a.example.com\n", 0o600)
	doc, err := Open(private, true)
	if err != nil {
		t.Fatal(err)
	}
	f := doc.Settings()
	f.Proxy.RouterPort = 9000
	if os.Geteuid() == 0 {
		if err := os.Chown(private, 4242, 4343); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := doc.Write(f, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(private)
	if info.Mode().Perm() != 0o600 {
		t.Errorf("a 0600 file became %v", info.Mode().Perm())
	}
	if st := info.Sys().(*syscall.Stat_t); os.Geteuid() == 0 && (st.Uid != 4242 || st.Gid != 4343) {
		t.Errorf("owner became %d:%d, want 4242:4343", st.Uid, st.Gid)
	}

	// A new file referencing a password: 0600; without: 0644.
	for _, tt := range []struct {
		env  string
		mode os.FileMode
	}{{"LDAP_PW", 0o600}, {"", 0o644}} {
		path := filepath.Join(dir, "new-"+tt.env+".yaml")
		doc, _ := Open(path, true)
		f := doc.Settings()
		f.Proxy.ServerName = "a.example.com"
		f.HasProxy = true
		if tt.env != "" {
			f.LDAP = ldapConfig(tt.env)
		}
		if _, err := doc.Write(f, WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		if info, _ := os.Stat(path); info.Mode().Perm() != tt.mode {
			t.Errorf("new file with env %q: mode %v, want %v", tt.env, info.Mode().Perm(), tt.mode)
		}
	}
}

func TestWriteFollowsASymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "etc-frontdoor.yaml")
	link := filepath.Join(dir, "frontdoor.yaml")
	writeFile(t, real, "proxy:\n  serverName: a.example.com\n", 0o640)
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	doc, err := Open(link, true)
	if err != nil {
		t.Fatal(err)
	}
	f := doc.Settings()
	f.Proxy.ServerName = "b.example.com"
	if _, err := doc.Write(f, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Lstat(link); info.Mode()&os.ModeSymlink == 0 {
		t.Error("the symlink was replaced by a file")
	}
	if !strings.Contains(readString(t, real), "b.example.com") {
		t.Error("the file the link names was not written")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("temp files left: %v", entries)
	}
}

func TestWriteRefusesValuesValidationRejects(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "frontdoor.yaml")
	writeFile(t, path, commented, 0o644)
	doc, err := Open(path, true)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(f *File)
		want string
	}{
		{"password in the LDAP URL", func(f *File) { f.LDAP.Settings[0].URL = "ldap://reader:s3cret@ldap.example.com/dc=x" }, "ldap.settings[0].url"},
		{"directive in the server name", func(f *File) { f.Proxy.ServerName = "a.example.com; include /etc/passwd" }, "proxy.serverName"},
		{"negative backups", func(f *File) { f.Save.Keep = -1 }, "save.keep"},
		{"check and no check", func(f *File) { f.Save.Check, f.Save.NoCheck = "nginx -t", true }, "save.noCheck"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := doc.Settings()
			tt.edit(f)
			_, err := doc.Write(f, WriteOptions{})
			var invalid *finding.InvalidError
			if !errors.As(err, &invalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Write = %v, want an invalid-settings error about %s", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Error("the error repeats the password")
			}
			if readString(t, path) != commented {
				t.Error("a refused write changed the file")
			}
		})
	}
}

func TestWriteWithoutChangesWritesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "frontdoor.yaml")
	writeFile(t, path, commented, 0o644)
	doc, _ := Open(path, true)
	old := modTimeOf(t, path)
	next, err := doc.Write(doc.Settings(), WriteOptions{})
	if err != nil || next != doc || modTimeOf(t, path) != old {
		t.Errorf("an unchanged write touched the file: %v", err)
	}
}

func modTimeOf(t *testing.T, path string) int64 {
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.ModTime().UnixNano()
}

// The old entry points still work on top of the document.
func TestSaveKeepsCommentsNow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "frontdoor.yaml")
	writeFile(t, path, commented, 0o600)
	f, src, err := Load(path, true)
	if err != nil || src != FromFile {
		t.Fatal(err)
	}
	f.Proxy.RouterPort = 9000
	if err := Save(path, f); err != nil {
		t.Fatal(err)
	}
	got := readString(t, path)
	if got != strings.Replace(commented, "routerPort: 8082", "routerPort: 9000", 1) {
		t.Errorf("Save rewrote:\n%s", got)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", info.Mode().Perm())
	}
	if !bytes.Contains([]byte(got), []byte("# the virtual one everybody pulls from")) {
		t.Error("comment lost")
	}
}

// ldapConfig is one valid LDAP setting whose manager password is in env.
func ldapConfig(env string) ldapcheck.Config {
	s := ldapcheck.NewSetting("corp")
	s.URL = "ldap://ldap.example.com/dc=example,dc=com"
	s.Search.Filter = "(uid={0})"
	s.Search.ManagerDN = "cn=reader,dc=example,dc=com"
	s.Search.ManagerPasswordEnv = env
	return ldapcheck.Config{Settings: []ldapcheck.Setting{s}}
}

func TestWriteIntoAMissingDirectorySaysSo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "frontdoor.yaml")
	doc, err := Open(path, true)
	if err != nil {
		t.Fatal(err)
	}
	f := doc.Settings()
	f.Proxy.ServerName = "a.example.com"
	_, err = doc.Write(f, WriteOptions{})
	if err == nil || err.Error() != "cannot write "+path+": the directory "+filepath.Dir(path)+" does not exist" {
		t.Errorf("Write = %v", err)
	}
}

// Keep both: their outside edit and comment, and my edit.
func TestMergeKeepsBothSides(t *testing.T) {
	path := filepath.Join(t.TempDir(), "frontdoor.yaml")
	writeFile(t, path, commented, 0o644)
	doc, _ := Open(path, true)
	mine := doc.Settings()
	mine.Proxy.RouterPort = 9000
	mine.Proxy.HTTP.Port = 8080

	theirs := strings.Replace(commented, "port: 5001}", "port: 5009}  # moved", 1)
	theirs = strings.Replace(theirs, "http: {enabled: true, port: 80}", "http: {enabled: true, port: 81}", 1)
	writeFile(t, path, theirs, 0o644)

	_, err := doc.Write(mine, WriteOptions{})
	var c *Conflict
	if !errors.As(err, &c) {
		t.Fatalf("Write = %v", err)
	}
	merged, clashes, err := doc.Merge(c, mine)
	if err != nil {
		t.Fatal(err)
	}
	if len(clashes) != 1 || clashes[0] != "proxy.http.port: yours 8080, theirs 81" {
		t.Errorf("clashes %q", clashes)
	}
	if _, err := doc.Write(merged, WriteOptions{Overwrite: true}); err != nil {
		t.Fatal(err)
	}
	got := readString(t, path)
	for _, want := range []string{"port: 5009}  # moved", "routerPort: 9000", "port: 8080}", "# the virtual one everybody pulls from"} {
		if !strings.Contains(got, want) {
			t.Errorf("merged file lacks %q:\n%s", want, got)
		}
	}
}
