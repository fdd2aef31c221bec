package testenv

import (
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// Tests make and delete thousands of small files: copies of /etc/apache2,
// rooted layouts, backups, server logs. On this project's machines /tmp is
// ext4, where creating a file soon after others were deleted scans for an
// inode that was not recently freed: a copy of /etc/apache2 took about
// 200 ms of system time there against 10 ms on a tmpfs, and that scan was
// a third of what `go test ./...` spent. So a test process keeps its
// temporary files (t.TempDir, os.MkdirTemp("", ...), servertest's copies)
// on the machine's tmpfs, /dev/shm, when it has room; the servers and
// commands the tests start inherit the same TMPDIR. An explicit TMPDIR is
// left alone.
func init() {
	if dir := memoryTempDir(); dir != "" {
		os.Setenv("TMPDIR", dir)
	}
}

const (
	tmpfsMagic   = 0x01021994 // statfs f_type of a tmpfs
	tmpfsMinFree = 1 << 30    // a Samba DC's copy is ~40 MB; leave room for several
)

// memoryTempDir returns /dev/shm/frontdoor-UID, made if needed, or "" when
// TMPDIR is set, /dev/shm is no roomy tmpfs, or the directory is not ours.
func memoryTempDir() string {
	if os.Getenv("TMPDIR") != "" {
		return ""
	}
	var fs syscall.Statfs_t
	if syscall.Statfs("/dev/shm", &fs) != nil || fs.Type != tmpfsMagic || fs.Bavail*uint64(fs.Bsize) < tmpfsMinFree {
		return ""
	}
	uid := os.Geteuid()
	dir := filepath.Join("/dev/shm", "frontdoor-"+strconv.Itoa(uid))
	// 0711: web server workers (www-data) must reach the per-test
	// directories inside, as in /tmp; nobody else may list or add.
	if err := os.Mkdir(dir, 0o711); err != nil && !os.IsExist(err) {
		return ""
	}
	fi, err := os.Lstat(dir)
	if err != nil || !fi.IsDir() || fi.Mode().Perm()&0o022 != 0 {
		return ""
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); !ok || int(st.Uid) != uid {
		return "" // someone else's: keep to the default temp dir
	}
	return dir
}
