package config

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"time"

	"frontdoor/finding"
	"frontdoor/internal/safefile"
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

// readFile reads a settings file safely (safefile.Read): only a regular file
// is read (a FIFO, device, directory or socket is refused without blocking),
// and only up to MaxSize. A missing file is not an error: exists is false.
func readFile(path string) (diskState, error) {
	data, info, err := safefile.Read(path, MaxSize)
	var notRegular *safefile.NotRegularError
	var large *safefile.TooLargeError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return diskState{}, nil
	case errors.As(err, &notRegular):
		return diskState{}, fileError(path, "is %s, not a settings file: frontdoor reads settings only from regular files", safefile.Kind(notRegular.Mode))
	case errors.As(err, &large):
		return diskState{}, tooLarge(path, large.Size)
	case err != nil:
		return diskState{}, err
	}
	st := diskState{exists: true, data: data, hash: sha256.Sum256(data), modTime: info.ModTime(), mode: info.Mode().Perm(), uid: -1, gid: -1}
	if sys, ok := info.Sys().(*syscall.Stat_t); ok {
		st.uid, st.gid = int(sys.Uid), int(sys.Gid)
	}
	return st, nil
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
