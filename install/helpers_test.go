package install

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
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
		if strings.Contains(n, ".frontdoor-new-") || strings.Contains(n, ".frontdoor-tmp-") || strings.HasSuffix(n, ".frontdoor-journal") {
			t.Errorf("leftover %s in %s", n, dir)
		}
	}
}

// requireBinary skips when name is not installed, except under CI=true
// where a missing server is a failure (team rule).
func requireBinary(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed (CI=true: required)", name)
		}
		t.Skipf("%s is not installed", name)
	}
	return path
}
