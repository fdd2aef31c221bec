package safefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.conf")
	if err := os.WriteFile(small, []byte("hello\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	large := filepath.Join(dir, "large.conf")
	if err := os.WriteFile(large, make([]byte, 11), 0o644); err != nil {
		t.Fatal(err)
	}
	exact := filepath.Join(dir, "exact.conf")
	if err := os.WriteFile(exact, []byte("0123456789"), 0o640); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(small, link); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		want string // the bytes read, when no error
		kind string // NotRegularError's Kind
		size int64  // TooLargeError's Size
		gone bool   // fs.ErrNotExist
	}{
		{name: "a regular file", path: small, want: "hello\n"},
		{name: "a symlink to one", path: link, want: "hello\n"},
		{name: "exactly the limit", path: exact, want: "0123456789"},
		{name: "over the limit", path: large, size: 11},
		{name: "a FIFO: refused without waiting for a writer", path: fifo, kind: "a FIFO (named pipe)"},
		{name: "a character device: refused without reading forever", path: "/dev/zero", kind: "a character device"},
		{name: "a directory", path: dir, kind: "a directory"},
		{name: "missing", path: filepath.Join(dir, "nope"), gone: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, info, err := Read(tt.path, 10)
			var notRegular *NotRegularError
			var tooLarge *TooLargeError
			switch {
			case tt.kind != "":
				if !errors.As(err, &notRegular) || Kind(notRegular.Mode) != tt.kind {
					t.Fatalf("err %v, want %s", err, tt.kind)
				}
			case tt.size != 0:
				if !errors.As(err, &tooLarge) || tooLarge.Size != tt.size || tooLarge.Limit != 10 || tooLarge.Grew {
					t.Fatalf("err %v, want too large (%d bytes)", err, tt.size)
				}
			case tt.gone:
				if !errors.Is(err, fs.ErrNotExist) {
					t.Fatalf("err %v, want not exist", err)
				}
			default:
				if err != nil || string(data) != tt.want || info.Mode().Perm() != 0o640 {
					t.Fatalf("%q, %v, %v", data, info, err)
				}
			}
		})
	}
}

func TestKind(t *testing.T) {
	for mode, want := range map[fs.FileMode]string{
		fs.ModeDir: "a directory", fs.ModeNamedPipe: "a FIFO (named pipe)", fs.ModeDevice | fs.ModeCharDevice: "a character device",
		fs.ModeDevice: "a block device", fs.ModeSocket: "a socket", fs.ModeIrregular: "a special file",
	} {
		if got := Kind(mode); got != want {
			t.Errorf("Kind(%v) = %q, want %q", mode, got, want)
		}
	}
}
