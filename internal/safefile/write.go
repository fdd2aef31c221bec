package safefile

import (
	"io/fs"
	"os"
	"path/filepath"
)

// WriteNew writes data to path, a file that must not exist yet: the bytes go
// to a temporary file beside it first (mode perm, synced), which is then
// linked into place. path never holds part of data, and a file someone
// created there meanwhile, even a moment before, is never replaced: the
// error then wraps fs.ErrExist (a rename would replace it).
func WriteNew(path string, data []byte, perm fs.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil { // CreateTemp's 0600, not the umask's choice
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil { // the new name survives a power cut
		d.Sync()
		d.Close()
	}
	return nil
}
