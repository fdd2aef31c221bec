package apacheconf

import (
	"os"
	"path/filepath"
	"strings"
)

// This file is the one place the rule "which files does Apache read"
// lives: render's Listen warning (Files) and install's check scope (Walker
// with its hooks, to judge each path against a --root) both follow it.

// Bounds of a walk: include loops are caught by the seen set; these are for
// pathological trees (Apache's own include depth limit is 128, its
// directory nesting limit 128).
const (
	maxFiles    = 4096
	maxDepth    = 32
	maxDirDepth = 128
)

// File is one configuration file Apache reads.
type File struct {
	Name     string // as included: a link in sites-enabled by the link's name
	Resolved string // symbolic links resolved
}

// Config is what a walk found.
type Config struct {
	Files []File // each file once, in the order Apache reads them
	// Incomplete: something was not followed, so Files may miss one (an
	// include naming a variable nobody defines, an unreadable file or
	// directory, a bad glob, a limit).
	Incomplete bool
}

// Walker follows an Apache configuration's includes as Apache does:
// Include and IncludeOptional, in place, globs (sorted; a wildcard does not
// match a leading dot, as Apache's APR_FNM_PERIOD), directories (every file
// below, in lexical order, through links), relative ones from the server
// root (ServerRoot changes it), ${VAR} from Define and then Getenv. Each
// file once (a loop ends), at most maxFiles, maxDepth includes deep.
// Includes inside sections (<IfModule>, <IfDefine>) are followed whatever
// the condition: a file that may be read counts as read.
//
// The hooks, each optional, are told what the walk meets, in order, so a
// caller can judge each path (install: is it under the root the save
// targets?) without a second copy of the rule.
type Walker struct {
	// Getenv is the environment Apache runs with (apache2ctl's envvars, the
	// command's own); nil for none. An empty value is not known.
	Getenv func(name string) string
	// Visit: a path the walk is about to read (main, with from ""; each
	// file an include names, with the including file), resolved "" when
	// it does not exist. Called again for a file met again.
	Visit func(name, resolved, from string)
	// Include: an include's argument, absolute and variables replaced,
	// before it is expanded (even when it matches nothing yet).
	Include func(from, pattern string)
	// ServerRoot: a ServerRoot directive, its directory.
	ServerRoot func(from, dir string)
	// Unresolved: an Include, IncludeOptional or ServerRoot whose argument
	// names a variable the walk does not know; it is not followed.
	Unresolved func(from, directive, arg string)
}

// Files are the names of the files Apache reads from main with the server
// root serverRoot (see Walker), variables not followed.
func Files(main, serverRoot string) []string {
	var out []string
	for _, f := range (Walker{}).Walk(main, serverRoot).Files {
		out = append(out, f.Name)
	}
	return out
}

// Walk follows the configuration from main with the server root
// serverRoot (apache2 -d; -f main).
func (wk Walker) Walk(main, serverRoot string) Config {
	w := walk{Walker: wk, serverRoot: filepath.Clean(serverRoot), seen: map[string]bool{}, defines: map[string]string{}}
	w.file(filepath.Clean(main), "", 0)
	return w.cfg
}

type walk struct {
	Walker
	serverRoot string
	seen       map[string]bool // resolved files
	defines    map[string]string
	cfg        Config
}

func (w *walk) file(name, from string, depth int) {
	resolved, err := filepath.EvalSymlinks(name)
	if err != nil {
		resolved = "" // a missing optional file; a missing required one fails Apache's own check
	}
	if w.Visit != nil {
		w.Visit(name, resolved, from)
	}
	if resolved == "" || w.seen[resolved] {
		return
	}
	if len(w.seen) >= maxFiles {
		w.cfg.Incomplete = true
		return
	}
	w.seen[resolved] = true
	if fi, err := os.Stat(resolved); err != nil || !fi.Mode().IsRegular() {
		return
	}
	w.cfg.Files = append(w.cfg.Files, File{Name: name, Resolved: resolved})
	if depth > maxDepth {
		w.cfg.Incomplete = true // listed, since Apache reads it, but its includes not followed
		return
	}
	data, err := os.ReadFile(resolved)
	if err != nil {
		w.cfg.Incomplete = true
		return
	}
	for _, d := range directives(string(data)) {
		switch strings.ToLower(d.name) {
		case "define":
			if len(d.args) == 2 {
				if v, ok := w.substitute(d.args[1]); ok {
					w.defines[d.args[0]] = v
				}
			}
		case "undefine":
			if len(d.args) == 1 {
				delete(w.defines, d.args[0])
			}
		case "serverroot":
			if len(d.args) != 1 {
				continue
			}
			dir, ok := w.substitute(d.args[0])
			if !ok {
				w.unresolved(name, d)
				continue
			}
			w.serverRoot = filepath.Clean(dir)
			if w.ServerRoot != nil {
				w.ServerRoot(name, w.serverRoot)
			}
		case "include", "includeoptional":
			if len(d.args) != 1 { // Apache refuses it: its check fails
				continue
			}
			arg, ok := w.substitute(d.args[0])
			if !ok {
				w.unresolved(name, d)
				continue
			}
			if !filepath.IsAbs(arg) {
				arg = filepath.Join(w.serverRoot, arg)
			}
			arg = filepath.Clean(arg)
			if w.Include != nil {
				w.Include(name, arg)
			}
			for _, f := range w.expand(arg) {
				w.file(f, name, depth+1)
			}
		}
	}
}

func (w *walk) unresolved(from string, d directive) {
	w.cfg.Incomplete = true
	if w.Unresolved != nil {
		w.Unresolved(from, d.name, strings.Join(d.args, " "))
	}
}

// substitute replaces each ${VAR} with its Define, else its environment
// value (Apache's ap_resolve_env); ok is false when one is not known.
func (w *walk) substitute(s string) (string, bool) {
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			return s, true
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return s, false
		}
		name := s[i+2 : i+j]
		v, ok := w.defines[name]
		if !ok && w.Getenv != nil {
			v = w.Getenv(name)
		}
		if v == "" {
			return s, false
		}
		s = s[:i] + v + s[i+j+1:]
	}
}

// expand is what an include argument names: a glob's matches, or the path
// itself (even missing: the Visit hook hears of it); a directory among them
// stands for the files below it.
func (w *walk) expand(pattern string) []string {
	names := []string{pattern}
	if strings.ContainsAny(pattern, "*?[") {
		matches, err := filepath.Glob(pattern)
		if err != nil {
			w.cfg.Incomplete = true
		}
		names = names[:0]
		for _, m := range matches {
			if !hiddenMatch(pattern, m) {
				names = append(names, m)
			}
		}
	}
	var out []string
	dirs := map[string]bool{}
	for _, n := range names {
		out = w.tree(n, dirs, 0, out)
	}
	return out
}

// tree appends path, or when it is a directory (through a link too) every
// file below it, each directory's entries in lexical order (Apache's
// process_resource_config_nofnmatch); dirs ends link loops.
func (w *walk) tree(path string, dirs map[string]bool, depth int, out []string) []string {
	fi, err := os.Stat(path)
	if err != nil || !fi.IsDir() {
		return append(out, path)
	}
	resolved, err := filepath.EvalSymlinks(path)
	if err != nil || dirs[resolved] {
		return out
	}
	if depth >= maxDirDepth {
		w.cfg.Incomplete = true
		return out
	}
	dirs[resolved] = true
	entries, err := os.ReadDir(path)
	if err != nil {
		w.cfg.Incomplete = true
		return out
	}
	for _, e := range entries {
		out = w.tree(filepath.Join(path, e.Name()), dirs, depth+1, out)
	}
	return out
}

// hiddenMatch reports whether a wildcard in pattern matched a name starting
// with a dot, which Apache's glob (APR_FNM_PERIOD) does not: a wildcard
// matches a leading dot only when the pattern spells the dot.
func hiddenMatch(pattern, match string) bool {
	pp := strings.Split(pattern, string(filepath.Separator))
	mp := strings.Split(match, string(filepath.Separator))
	if len(pp) != len(mp) {
		return false
	}
	for i := range pp {
		if strings.HasPrefix(mp[i], ".") && !strings.HasPrefix(pp[i], ".") && strings.ContainsAny(pp[i], "*?[") {
			return true
		}
	}
	return false
}

func readRegular(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, os.ErrInvalid
	}
	return os.ReadFile(path)
}
