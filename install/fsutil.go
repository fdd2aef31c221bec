package install

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Names of frontdoor's own files beside a target. They all start with a dot
// and none ends in .conf: nginx's `include sites-enabled/*` and Apache's
// `IncludeOptional */*.conf` never pick them up (a visible copy in
// sites-enabled/ would be loaded by nginx as a second configuration).
func tempPrefix(base string) string    { return "." + base + ".frontdoor-new-" }
func journalName(base string) string   { return "." + base + ".frontdoor-journal" }
func scratchPrefix(base string) string { return "." + base + ".frontdoor-tmp-" }

// backupName is the prefix of the kept backups beside a file
// (.artifactory.conf.frontdoor-bak.20261127T031500Z), and the whole name of
// the single backup older versions kept.
func backupName(base string) string { return "." + base + ".frontdoor-bak" }

// rollbackName is the copy of the previous file a save sets aside for its
// own rollback; it becomes a kept backup once the new file stays.
func rollbackName(base string) string { return "." + base + ".frontdoor-rollback" }

// resolveFile follows path through symlinks to the file that actually holds
// the content (which may not exist yet) and canonicalises its directory, so
// two names of the same file compare equal.
func resolveFile(path string) (string, error) {
	p, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	for hops := 0; ; hops++ {
		if hops > 40 {
			return "", fmt.Errorf("%s: too many levels of symbolic links", path)
		}
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			break
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			break
		}
		dest, err := os.Readlink(p)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(p), dest)
		}
		p = filepath.Clean(dest)
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(p))
	if err != nil {
		return "", fmt.Errorf("directory of %s: %w", path, err)
	}
	return filepath.Join(dir, filepath.Base(p)), nil
}

// fileState is what was at a path before the save touched it.
type fileState struct {
	exists   bool
	data     []byte
	mode     fs.FileMode
	uid, gid int
}

func readState(path string) (fileState, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fileState{}, nil
	}
	if err != nil {
		return fileState{}, err
	}
	if !fi.Mode().IsRegular() {
		return fileState{}, fmt.Errorf("%s is not a regular file", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fileState{}, err
	}
	st := fileState{exists: true, data: data, mode: fi.Mode().Perm(), uid: -1, gid: -1}
	if sys, ok := fi.Sys().(*syscall.Stat_t); ok {
		st.uid, st.gid = int(sys.Uid), int(sys.Gid)
	}
	return st, nil
}

func sum(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// writeTemp writes data to a new hidden file in dir with the given mode and
// owner, calling hook after the write and again after the fsync. It returns
// the temp file's path; the caller renames or removes it.
func writeTemp(dir, prefix string, data []byte, mode fs.FileMode, uid, gid int, afterWrite, afterSync func()) (string, error) {
	f, err := os.CreateTemp(dir, prefix+"*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	fail := func(err error) (string, error) {
		f.Close()
		os.Remove(name)
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	// CreateTemp makes 0600 files: give the new file the old one's mode and
	// owner, or the server (running as www-data) may not be able to read it.
	if err := f.Chmod(mode); err != nil {
		return fail(err)
	}
	if uid >= 0 && gid >= 0 {
		// Best effort: only root can give a file away; a non-root save keeps its own owner.
		if err := f.Chown(uid, gid); err != nil && !errors.Is(err, fs.ErrPermission) {
			return fail(err)
		}
	}
	call(afterWrite)
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	call(afterSync)
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

func call(f func()) {
	if f != nil {
		f()
	}
}

// writeAtomic replaces path with data: temp file (named by prefix), fsync,
// rename, fsync dir.
func writeAtomic(path, prefix string, data []byte, mode fs.FileMode, uid, gid int) error {
	dir := filepath.Dir(path)
	tmp, err := writeTemp(dir, prefix, data, mode, uid, gid, nil, nil)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(dir)
}

// syncDir makes renames, links and removals in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) { // some file systems cannot fsync a directory
		return err
	}
	return nil
}

// removeLeftovers deletes temp files that an interrupted save left in dir.
// They are hidden and never included by a server, so this is tidiness only.
func removeLeftovers(dir, base string) []string {
	var removed []string
	for _, prefix := range []string{tempPrefix(base), scratchPrefix(base)} {
		matches, _ := filepath.Glob(filepath.Join(dir, globEscape(prefix)+"*"))
		for _, m := range matches {
			if os.Remove(m) == nil {
				removed = append(removed, m)
			}
		}
	}
	return removed
}

func globEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`)
	return r.Replace(s)
}

// pointsTo reports whether link is a symlink (or the same file) that resolves to file.
func pointsTo(link, file string) bool {
	r, err := resolveFile(link)
	return err == nil && r == file
}
