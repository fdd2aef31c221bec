package install

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// planLink checks the enable link before anything changes: it must be
// missing (needLink) or already resolve to file.
func planLink(link, file string) (abs string, needLink bool, err error) {
	if link == "" {
		return "", false, nil
	}
	abs, err = filepath.Abs(link)
	if err != nil {
		return "", false, err
	}
	fi, err := os.Lstat(abs)
	if errors.Is(err, fs.ErrNotExist) {
		if !isDir(filepath.Dir(abs)) {
			return abs, false, fmt.Errorf("enable link %s: directory %s does not exist", abs, filepath.Dir(abs))
		}
		return abs, true, nil
	}
	if err != nil {
		return abs, false, err
	}
	if pointsTo(abs, file) {
		return abs, false, nil
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		dest, _ := os.Readlink(abs)
		return abs, false, fmt.Errorf("enable link %s points to %s, not to %s: remove it or choose another link", abs, dest, file)
	}
	return abs, false, fmt.Errorf("enable link %s is a file of its own, not a link to %s: the server would load both; move it away or choose another link", abs, file)
}

// createLink makes link point to file with a relative path (as a2ensite does),
// so the tree stays valid when mounted elsewhere, and returns the path as
// written in the link (what `ls -l` shows, and the report says).
func createLink(link, file string) (dest string, err error) {
	linkDir, err := filepath.EvalSymlinks(filepath.Dir(link))
	if err != nil {
		return "", err
	}
	dest, err = filepath.Rel(linkDir, file)
	if err != nil {
		dest = file
	}
	if err := os.Symlink(dest, link); err != nil {
		return "", err
	}
	return dest, syncDir(filepath.Dir(link))
}

// makeBackup keeps cur (the bytes at file) at backupPath, atomically. A hard
// link is byte-identical and keeps mode and owner by construction (same
// inode); a copy is the fallback across file systems.
// snapshot sets cur (the bytes at file) aside at path for a rollback,
// atomically. A hard link is byte-identical and keeps mode and owner by
// construction (same inode); a copy is the fallback where links fail.
func snapshot(file, path, key string, cur fileState) error {
	dir := filepath.Dir(path)
	scratch := filepath.Join(dir, scratchPrefix(key)+"link-"+strconv.Itoa(os.Getpid()))
	os.Remove(scratch)
	if err := os.Link(file, scratch); err == nil {
		// Someone may have edited the file since we read it: the copy must be what we report as previous.
		if got, err := os.ReadFile(scratch); err != nil || !bytes.Equal(got, cur.data) {
			os.Remove(scratch)
			return fmt.Errorf("%s changed while saving; try again", file)
		}
	} else {
		tmp, err := writeTemp(dir, scratchPrefix(key), cur.data, cur.mode, cur.uid, cur.gid, nil, nil)
		if err != nil {
			return err
		}
		scratch = tmp
	}
	if err := os.Rename(scratch, path); err != nil {
		os.Remove(scratch)
		return err
	}
	// rename(2) does nothing when both names are links to the same inode:
	// the copy is then already right, and the scratch name must go.
	if err := os.Remove(scratch); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return syncDir(dir)
}

// restore moves backup (the save's own copy) over file in one rename. Across file systems it
// copies the backup beside file first, so the replacement is still atomic.
func restore(backup, file string) error {
	err := os.Rename(backup, file)
	if errors.Is(err, syscall.EXDEV) {
		b, rerr := readState(backup)
		if rerr != nil {
			return rerr
		}
		return writeAtomic(file, scratchPrefix(filepath.Base(file)), b.data, b.mode, b.uid, b.gid)
	}
	if err != nil {
		return err
	}
	if filepath.Dir(backup) != filepath.Dir(file) {
		syncDir(filepath.Dir(backup))
	}
	return syncDir(filepath.Dir(file))
}
