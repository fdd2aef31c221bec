package servertest

import (
	"io/fs"
	"os"
	"path/filepath"
)

// CopyTree copies the directory src to dst: directories, regular files with
// their permission bits, symlinks as symlinks (sockets and FIFOs are
// skipped: nothing a configuration needs). rewrite, when not nil, is applied
// to every file's contents and every symlink's target, so that the copy can
// be made to refer to itself instead of to src (see NginxRoot).
func CopyTree(src, dst string, rewrite func(string) string) error {
	return copyTreeWith(src, dst, rewrite, rewrite)
}

// copyTree copies a configuration directory keeping the contents as they
// are; an absolute symlink into src (Debian's nginx links
// sites-enabled/default to /etc/nginx/sites-available/default) points into
// dst instead, so the links of sites-enabled/ and mods-enabled/ resolve
// inside the copy, exactly as they do in the original.
func copyTree(src, dst string) error {
	intoCopy := func(link string) string {
		if rel, err := filepath.Rel(src, link); err == nil && filepath.IsAbs(link) && filepath.IsLocal(rel) {
			return filepath.Join(dst, rel)
		}
		return link
	}
	return copyTreeWith(src, dst, nil, intoCopy)
}

// copyTreeWith is the one walk behind CopyTree and copyTree; contents and
// link rewrite file contents and symlink targets (nil: kept as they are).
func copyTreeWith(src, dst string, contents, link func(string) string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			dest, err := os.Readlink(path)
			if err != nil {
				return err
			}
			if link != nil {
				dest = link(dest)
			}
			return os.Symlink(dest, target)
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type().IsRegular():
			info, err := d.Info()
			if err != nil {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if contents != nil {
				data = []byte(contents(string(data)))
			}
			return os.WriteFile(target, data, info.Mode().Perm())
		}
		return nil
	})
}
