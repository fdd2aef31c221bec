package install

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"frontdoor/render"
)

// The places a save must never write, judged before anything is written.
// Both rules guard against a save that reports success while it did harm:
// haproxy -c accepts bare sections and caddy validate a lone site block, so
// a snippet written over the server's main configuration passes its check
// and replaces the whole configuration; and under a root, a file written
// outside it is the real server's while the check reads the copy.

// Destination is everything a save writes, with what decides whether it may.
type Destination struct {
	Root      string   // the root the layout was detected under; "/" for this machine
	Path      string   // the snippet file
	Link      string   // the enable link; "" for none
	BackupDir string   // where backups go; "" for beside the file
	Check     []string // the check that will run; nil for none
	// Detected is the layout detected under Root: its check names the
	// server's main configuration too, and its Path is where the snippet
	// belongs (the suggestion when Path is refused).
	Detected Target
	// Restore: the write puts a backup back (frontdoor restore), so a
	// refusal says "restoring" where a save's says "saving".
	Restore bool
}

// Guard refuses a destination a save must not write: under a root other
// than "/", a file, link or backup directory outside it; a target that is a
// web server's main configuration; and a target that holds no site of the
// provider (nginx's mime.types, fastcgi_params, Apache's envvars): unless
// frontdoor wrote that file (it starts with frontdoor's header). nil when
// the save may go ahead.
func (d Destination) Guard() error {
	if root := cleanRoot(d.Root); root != "/" {
		for _, c := range []struct {
			what, path string
			link       bool
		}{{"the target", d.Path, false}, {"the enable link", d.Link, true}, {"the backup directory", d.BackupDir, false}} {
			if c.path == "" {
				continue
			}
			where := resolveExisting(c.path)
			if c.link { // the link itself is created, not followed
				where = filepath.Join(resolveExisting(filepath.Dir(c.path)), filepath.Base(c.path))
			}
			if !under(resolveExisting(root), where) {
				why := "the check reads the configuration under " + root + ", so it would be written on this machine's own files, outside the copy, and never checked"
				switch {
				case c.what == "the backup directory": // backups are never checked: say where they would go
					why = "the backups would be written outside " + root + ", on this machine's own file system rather than the copy"
				case d.Detected.Manifest:
					why = "a save under --root writes only into " + root + ", and this would be written outside it"
				}
				return fmt.Errorf("%s %s is outside --root %s: %s; give a path under %s%s",
					c.what, c.path, root, why, root, d.suggestion(c.what == "the target"))
			}
		}
	}
	if err := d.guardMain(); err != nil {
		return err
	}
	return d.guardSite()
}

// UnderRoot reports whether path, symbolic links resolved as far as they
// exist, lies under root ("/" holds everything). It is the one test of "in
// the copy" for every path a save under --root touches or remembers.
func UnderRoot(root, path string) bool {
	root = cleanRoot(root)
	return root == "/" || under(resolveExisting(root), resolveExisting(path))
}

// mainNames are the file names of the web servers' main configurations:
// a file so named is never a snippet, wherever it lies.
var mainNames = map[string]render.Provider{
	"nginx.conf":   render.Nginx,
	"apache2.conf": render.Apache,
	"httpd.conf":   render.Apache,
	"haproxy.cfg":  render.HAProxy,
	"Caddyfile":    render.Caddy,
}

// checkPrograms are the checks whose main configuration ScopeOfCheck names.
var checkPrograms = map[string]render.Provider{
	"nginx":      render.Nginx,
	"apache2ctl": render.Apache,
	"apachectl":  render.Apache,
	"apache2":    render.Apache,
	"httpd":      render.Apache,
	"haproxy":    render.HAProxy,
	"caddy":      render.Caddy,
}

// guardMain refuses a target that is a web server's main configuration:
// the main file of the check that will run or of the detected one, or a
// file named as one (nginx.conf, apache2.conf, httpd.conf, haproxy.cfg,
// Caddyfile). Only a file that exists counts (there is nothing to replace
// otherwise), and one that starts with frontdoor's header is frontdoor's own.
func (d Destination) guardMain() error {
	if d.Path == "" {
		return nil
	}
	file := resolveExisting(d.Path)
	head, err := readHead(file)
	if err != nil || render.HasHeader(head) {
		return nil // nothing there (or unreadable: the save says so), or frontdoor's
	}
	server, found := mainNames[filepath.Base(file)]
	if !found {
		for _, check := range [][]string{d.Check, d.Detected.CheckCmd} {
			if len(check) == 0 {
				continue
			}
			scope := ScopeOfCheck(d.Root, check)
			if scope.Main != "" && resolveExisting(scope.Main) == file {
				server, found = checkPrograms[scope.prog], true
				break
			}
		}
	}
	if !found {
		return nil
	}
	name := "the web server"
	if info, ok := render.Info(server); ok && server != "" {
		name = info.Label
	}
	shown := d.Path
	if file != filepath.Clean(d.Path) {
		shown += " (" + file + ")"
	}
	return fmt.Errorf("the target %s is %s's main configuration, not a file frontdoor wrote: frontdoor writes a snippet that the main configuration includes, and %s it there would replace the whole configuration; save to the snippet's own file%s",
		shown, name, d.writing(), d.suggestion(true))
}

// writing is what the write is called in a refusal: "restoring" or "saving".
func (d Destination) writing() string {
	if d.Restore {
		return "restoring"
	}
	return "saving"
}

// suggestion is where the snippet belongs, from detection: ", e.g. PATH
// (detected; --to PATH)", or "" when there is nothing better to say.
func (d Destination) suggestion(target bool) string {
	if !target || d.Detected.Path == "" || filepath.Clean(d.Detected.Path) == filepath.Clean(d.Path) {
		return ""
	}
	return ", e.g. " + d.Detected.Path + " (detected; --to PATH)"
}

// readHead reads the start of file, enough for render.HasHeader.
func readHead(file string) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", file)
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	return head[:n], nil
}

// resolveExisting is path with its symbolic links resolved as far as they
// exist: a link, even one pointing to a file not there yet, is followed,
// since a save writes the file a link points to; what does not exist yet
// is kept as written.
func resolveExisting(path string) string {
	return resolveDepth(filepath.Clean(path), 0)
}

func resolveDepth(path string, depth int) string {
	if r, err := filepath.EvalSymlinks(path); err == nil {
		return r
	}
	if depth > 40 { // a loop: as written
		return path
	}
	dir := filepath.Dir(path)
	if dir == path {
		return path
	}
	parent := resolveDepth(dir, depth+1)
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		if dest, err := os.Readlink(path); err == nil { // a link to nothing yet
			if !filepath.IsAbs(dest) {
				dest = filepath.Join(parent, dest)
			}
			return resolveDepth(filepath.Clean(dest), depth+1)
		}
	}
	return filepath.Join(parent, filepath.Base(path))
}
