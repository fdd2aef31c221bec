package config

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
	"time"

	"frontdoor/finding"
)

// MaxSize is the largest settings file frontdoor reads: far more than any
// real one (1,000 Docker repositories take 40 KiB), small enough that no
// input can exhaust memory. Larger files are refused before reading.
const MaxSize = 4 << 20

// diskState is what one read of a settings file saw: the bytes, and what a
// later write compares with (hash) and keeps (mode, owner).
type diskState struct {
	exists  bool
	data    []byte
	hash    [sha256.Size]byte
	modTime time.Time
	mode    fs.FileMode // permission bits
	uid     int
	gid     int
}

// readFile reads a settings file safely: only a regular file is read (a
// FIFO, device, directory or socket is refused without blocking), and only up
// to MaxSize. A missing file is not an error: exists is false.
func readFile(path string) (diskState, error) {
	info, err := os.Stat(path) // follows a symlink to the file it names
	if errors.Is(err, fs.ErrNotExist) {
		return diskState{}, nil
	}
	if err != nil {
		return diskState{}, err
	}
	if err := regularAndSmall(path, info); err != nil {
		return diskState{}, err
	}
	// O_NONBLOCK: if the file was swapped for a FIFO since the Stat, opening
	// it still returns at once, and the Stat of the open file refuses it.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
	if err != nil {
		return diskState{}, err
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return diskState{}, err
	}
	if err := regularAndSmall(path, info); err != nil {
		return diskState{}, err
	}
	data := make([]byte, 0, info.Size()+1) // one read for a file that does not grow meanwhile
	for len(data) <= MaxSize {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return diskState{}, err
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
	if len(data) > MaxSize { // it grew while being read
		return diskState{}, tooLarge(path, int64(len(data)))
	}
	st := diskState{exists: true, data: data, hash: sha256.Sum256(data), modTime: info.ModTime(), mode: info.Mode().Perm(), uid: -1, gid: -1}
	if sys, ok := info.Sys().(*syscall.Stat_t); ok {
		st.uid, st.gid = int(sys.Uid), int(sys.Gid)
	}
	return st, nil
}

// regularAndSmall refuses what is not a regular file of at most MaxSize bytes.
func regularAndSmall(path string, info fs.FileInfo) error {
	m := info.Mode()
	var what string
	switch {
	case m.IsRegular():
		if info.Size() > MaxSize {
			return tooLarge(path, info.Size())
		}
		return nil
	case m.IsDir():
		what = "a directory"
	case m&fs.ModeNamedPipe != 0:
		what = "a FIFO (named pipe)"
	case m&fs.ModeCharDevice != 0:
		what = "a character device"
	case m&fs.ModeDevice != 0:
		what = "a block device"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	default:
		what = "a special file"
	}
	return fileError(path, "is %s, not a settings file: frontdoor reads settings only from regular files", what)
}

func tooLarge(path string, size int64) error {
	return fileError(path, "too large: %s bytes, the limit is %d MiB (a settings file is a few KiB)", finding.Count(int(size)), MaxSize>>20)
}

// sameFile is the comparison that decides whether a file changed since it
// was read: existence and content (hash), never only the modification time,
// which a copy or a coarse clock can leave equal.
func (a diskState) sameFile(b diskState) bool {
	return a.exists == b.exists && a.hash == b.hash
}

func (a diskState) String() string {
	if !a.exists {
		return "absent"
	}
	return fmt.Sprintf("%d bytes, sha256 %x", len(a.data), a.hash[:6])
}
