package safefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteNew(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "new.yaml")
	if err := WriteNew(path, []byte("a: 1\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	fi, _ := os.Stat(path)
	if string(data) != "a: 1\n" || fi.Mode().Perm() != 0o640 {
		t.Errorf("wrote %q mode %v", data, fi.Mode().Perm())
	}
	// A second write never replaces the first, and leaves nothing behind.
	if err := WriteNew(path, []byte("b: 2\n"), 0o644); !errors.Is(err, fs.ErrExist) {
		t.Errorf("over an existing file: %v, want fs.ErrExist", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "a: 1\n" {
		t.Errorf("replaced: %q", data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	if err := WriteNew(filepath.Join(dir, "missing", "x.yaml"), nil, 0o644); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("into a missing directory: %v", err)
	}
}
