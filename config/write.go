package config

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// WriteFileAtomic replaces path with data without ever exposing a partial
// file: a temporary file in the same directory, fsync, rename, fsync of the
// directory, so an interrupted write leaves the old file or the new one.
// Writing never widens permissions: an existing file keeps its mode and
// owner (a 0600 file stays 0600); perm is the mode of a new file. A symlink
// is followed: the file it names is replaced and the link stays a link.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	_, err := writeAtomic(path, data, perm)
	return err
}

func writeAtomic(path string, data []byte, perm os.FileMode) (diskState, error) {
	real, err := filepath.EvalSymlinks(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		real = path // a new file (or a link to a missing one: replaced by the file)
	case err != nil:
		return diskState{}, err
	}
	mode, uid, gid := perm.Perm(), -1, -1
	if info, err := os.Stat(real); err == nil {
		if !info.Mode().IsRegular() {
			return diskState{}, fileError(path, "is not a regular file: not replaced")
		}
		mode = info.Mode().Perm()
		if sys, ok := info.Sys().(*syscall.Stat_t); ok {
			uid, gid = int(sys.Uid), int(sys.Gid)
		}
	}
	dir := filepath.Dir(real)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(real)+".tmp-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) { // name the file, not the temporary one
			err = pe.Err
		}
		if errors.Is(err, fs.ErrNotExist) {
			return diskState{}, fmt.Errorf("cannot write %s: the directory %s does not exist", path, dir)
		}
		return diskState{}, fmt.Errorf("cannot write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	fail := func(err error) (diskState, error) {
		tmp.Close()
		return diskState{}, err
	}
	if _, err := tmp.Write(data); err != nil {
		return fail(err)
	}
	if uid >= 0 {
		if info, err := tmp.Stat(); err == nil {
			if sys, ok := info.Sys().(*syscall.Stat_t); ok && (int(sys.Uid) != uid || int(sys.Gid) != gid) {
				if err := tmp.Chown(uid, gid); err != nil {
					return fail(fmt.Errorf("%s: not written: cannot keep its owner (uid %d, gid %d): %w", path, uid, gid, err))
				}
			}
		}
	}
	if err := tmp.Chmod(mode); err != nil { // after Chown, which may clear mode bits
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	info, err := tmp.Stat()
	if err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return diskState{}, err
	}
	if err := os.Rename(tmp.Name(), real); err != nil {
		return diskState{}, err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // make the rename durable
		d.Close()
	}
	st := diskState{exists: true, data: data, hash: sha256.Sum256(data), modTime: info.ModTime(), mode: mode, uid: uid, gid: gid}
	return st, nil
}
