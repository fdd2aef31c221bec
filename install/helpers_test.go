package install

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// debianTree makes <root>/etc/nginx/{sites-available,sites-enabled} and
// returns the file and link paths of the snippet.
func debianTree(t *testing.T) (root, file, link string) {
	t.Helper()
	root = t.TempDir()
	for _, d := range []string{"etc/nginx/sites-available", "etc/nginx/sites-enabled"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return root, filepath.Join(root, "etc/nginx/sites-available", FileName), filepath.Join(root, "etc/nginx/sites-enabled", FileName)
}

func writeFile(t *testing.T, path string, data []byte, mode fs.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // WriteFile's mode is masked by the umask
		t.Fatal(err)
	}
}

func symlink(t *testing.T, dest, link string) {
	t.Helper()
	if err := os.Symlink(dest, link); err != nil {
		t.Fatal(err)
	}
}

// assertFile checks path holds exactly want with the given mode.
func assertFile(t *testing.T, path string, want []byte, mode fs.FileMode) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s holds %q, want %q", path, got, want)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != mode {
		t.Fatalf("%s has mode %04o, want %04o", path, fi.Mode().Perm(), mode)
	}
}

func assertMissing(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Lstat(path); err == nil {
		t.Fatalf("%s exists, want it gone", path)
	}
}

func assertLinkTo(t *testing.T, link, file string) {
	t.Helper()
	fi, err := os.Lstat(link)
	if err != nil {
		t.Fatalf("link %s: %v", link, err)
	}
	if fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("%s is not a symlink", link)
	}
	if !pointsTo(link, file) {
		dest, _ := os.Readlink(link)
		t.Fatalf("%s -> %s, want it to reach %s", link, dest, file)
	}
}

// assertNoScratch checks no temp file, scratch file or journal of a save is left in dir.
func assertNoScratch(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		n := e.Name()
		if strings.Contains(n, ".frontdoor-new-") || strings.Contains(n, ".frontdoor-tmp-") || strings.HasSuffix(n, ".frontdoor-journal") || strings.HasSuffix(n, ".frontdoor-rollback") {
			t.Errorf("leftover %s in %s", n, dir)
		}
	}
}

// assertBackups checks the target's kept backups hold exactly want, newest
// first, byte for byte, each with the given mode.
func assertBackups(t *testing.T, file, backupDir string, mode fs.FileMode, want ...[]byte) []Backup {
	t.Helper()
	list, err := Backups(file, backupDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(want) {
		t.Fatalf("%d backups, want %d: %v", len(list), len(want), list)
	}
	for i, b := range list {
		assertFile(t, b.Path, want[i], mode)
		if strings.HasSuffix(b.Path, ".conf") || !strings.HasPrefix(filepath.Base(b.Path), ".") && backupDir == "" {
			t.Errorf("backup %s could be loaded by an include glob", b.Path)
		}
	}
	return list
}

// clock is a fixed time for backup names, moved on by each call.
func clock(start time.Time, step time.Duration) func() time.Time {
	now := start.Add(-step)
	return func() time.Time {
		now = now.Add(step)
		return now
	}
}
