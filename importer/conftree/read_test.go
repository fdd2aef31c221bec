package conftree

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// ReadFile's words for each file it refuses (safefile.Read decides).
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	fifo := filepath.Join(dir, "fifo.conf")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
	}{
		{"text", write("ok.conf", []byte("server {}\n")), ""},
		{"binary", write("bin.conf", []byte("server {}\n\x7fELF")), "DIR/bin.conf:2: binary data, not a web server configuration"},
		{"too large", write("huge.conf", make([]byte, MaxSize+1)), "DIR/huge.conf: too large: 4,194,305 bytes, the limit is 4 MiB (a web server configuration is a few KiB)"},
		{"directory", dir, "DIR: is a directory: name the configuration file (e.g. nginx.conf, or a file in sites-enabled/)"},
		{"FIFO", fifo, "DIR/fifo.conf: is not a regular file (a FIFO, device or socket): frontdoor reads configurations only from regular files"},
		{"missing", filepath.Join(dir, "nope.conf"), "DIR/nope.conf: file does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadFile(tt.path)
			var e *Error
			switch {
			case tt.want == "" && err != nil:
				t.Fatal(err)
			case tt.want == "":
			case !errors.As(err, &e):
				t.Fatalf("err %v (%T), want an *Error", err, err)
			case e.Error() != strings.ReplaceAll(tt.want, "DIR", dir):
				t.Errorf("err %q, want %q", e.Error(), tt.want)
			}
		})
	}
	if _, err := ReadFile(filepath.Join(dir, "nope.conf")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v, want fs.ErrNotExist through Unwrap", err)
	}
}
