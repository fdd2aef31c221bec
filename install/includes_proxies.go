package install

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// This file follows what HAProxy's and Caddy's checks read, for CheckScope:
// HAProxy's -f files and directories (it has no include directive), and a
// Caddyfile's imports.

// haproxyCheck follows `haproxy -c -f FILE|DIR ... [-- FILE...]`.
func (sc *scanner) haproxyCheck(cl commandLine) {
	configs := cl.haproxyConfigs()
	for _, c := range configs {
		if !filepath.IsAbs(c) {
			sc.incomplete = true // relative to where the check runs (or -C): not followed
			if sc.root != "/" {
				sc.markOutside("the check reads %s, a relative path: give it under %s", c, sc.root)
			}
			continue
		}
		c = filepath.Clean(c)
		if sc.main == "" {
			sc.main = c
		}
		if fi, err := os.Stat(c); err == nil && fi.IsDir() {
			sc.checkInclude("the check", filepath.Join(c, "*.cfg"))
			sc.patterns = append(sc.patterns, filepath.Join(c, "*.cfg"))
			for _, f := range haproxyDirFiles(c) {
				sc.visit(f, "")
			}
			continue
		}
		sc.visit(c, "")
	}
}

// haproxyConfigs are the configuration files and directories of a haproxy
// command line: each -f, and everything after --.
func (cl commandLine) haproxyConfigs() []string {
	var out []string
	for i := 0; i < len(cl.args); i++ {
		switch a := cl.args[i]; {
		case a == "--":
			return append(out, cl.args[i+1:]...)
		case a == "-f" && i+1 < len(cl.args):
			out = append(out, cl.args[i+1])
			i++
		}
	}
	return out
}

// haproxyDirFiles are the files HAProxy loads from a -f directory: the
// *.cfg whose names do not start with a dot, in lexical order.
func haproxyDirFiles(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, ".cfg") && !strings.HasPrefix(name, ".") {
			out = append(out, filepath.Join(dir, name))
		}
	}
	return out
}

// caddyCheck follows `caddy validate|run|adapt --config FILE [--adapter
// caddyfile]`: a Caddyfile and its imports, or a JSON file alone.
func (sc *scanner) caddyCheck(cl commandLine) {
	conf, ok := cl.longFlag("--config")
	if !ok {
		conf = "Caddyfile" // caddy's default: in the directory it runs in
	}
	if !filepath.IsAbs(conf) {
		if abs, err := filepath.Abs(conf); err == nil {
			conf = abs
		}
	}
	sc.main = filepath.Clean(conf)
	adapter, _ := cl.longFlag("--adapter")
	if adapter == "caddyfile" || adapter == "" && strings.HasPrefix(filepath.Base(conf), "Caddyfile") {
		sc.scanCaddyfile(sc.main, "", 0)
		return
	}
	sc.visit(sc.main, "")
}

// longFlag returns the value of an option given as "--name value" or "--name=value".
func (cl commandLine) longFlag(name string) (string, bool) {
	val, found := "", false
	for i := 0; i < len(cl.args); i++ {
		a := cl.args[i]
		switch {
		case a == name && i+1 < len(cl.args):
			val, found = cl.args[i+1], true
			i++
		case strings.HasPrefix(a, name+"="):
			val, found = a[len(name)+1:], true
		}
	}
	return val, found
}

// scanCaddyfile reads a Caddyfile for import lines: a file or a glob,
// relative to the importing file's directory (as Caddy resolves it), or a
// snippet defined with (name).
func (sc *scanner) scanCaddyfile(path, from string, depth int) {
	resolved, ok := sc.visit(path, from)
	if !ok {
		return
	}
	if depth > maxIncludeDepth {
		sc.incomplete = true
		return
	}
	data, err := os.ReadFile(resolved)
	if err != nil {
		sc.incomplete = true
		return
	}
	lines := caddyLines(string(data))
	if sc.snippets == nil {
		sc.snippets = map[string]bool{}
	}
	for _, words := range lines {
		if n := words[0]; len(n) > 2 && n[0] == '(' && n[len(n)-1] == ')' {
			sc.snippets[n[1:len(n)-1]] = true
		}
	}
	for _, words := range lines {
		if words[0] != "import" || len(words) < 2 || sc.snippets[words[1]] {
			continue
		}
		arg := words[1]
		if strings.Contains(arg, "{") { // {$ENV} or a placeholder: not known here
			sc.incomplete = true
			if sc.root != "/" {
				sc.markOutside("%s imports %s, which frontdoor cannot resolve to a path under %s", path, arg, sc.root)
			}
			continue
		}
		if !filepath.IsAbs(arg) {
			arg = filepath.Join(filepath.Dir(path), arg)
		}
		sc.checkInclude(path, arg)
		sc.patterns = append(sc.patterns, arg)
		for _, f := range sc.expand(arg) {
			sc.scanCaddyfile(f, path, depth+1)
		}
	}
}

// caddyLines splits Caddyfile text into the words of each line, without
// comments (a word starting with #) and quotes ("..." and `...`).
func caddyLines(text string) [][]string {
	var lines [][]string
	var words []string
	var w strings.Builder
	in := false
	flush := func() {
		if in {
			words = append(words, w.String())
			w.Reset()
			in = false
		}
	}
	endLine := func() {
		flush()
		if len(words) > 0 {
			lines = append(lines, words)
		}
		words = nil
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '#' && !in:
			for i < len(text) && text[i] != '\n' {
				i++
			}
			endLine()
		case c == '"' || c == '`':
			in = true
			for i++; i < len(text) && text[i] != c; i++ {
				if c == '"' && text[i] == '\\' && i+1 < len(text) {
					i++
				}
				w.WriteByte(text[i])
			}
		case c == '\n':
			endLine()
		case c == ' ' || c == '\t' || c == '\r':
			flush()
		default:
			in = true
			w.WriteByte(c)
		}
	}
	endLine()
	return lines
}

// matchesPattern reports whether path is named by one of the include
// patterns the scan met (a file that does not exist yet, at detection).
func (s CheckScope) matchesPattern(path string) bool {
	return slices.ContainsFunc(s.patterns, func(p string) bool {
		ok, err := filepath.Match(p, path)
		if ok && strings.HasSuffix(p, "/*.cfg") { // HAProxy's directories: no hidden files
			return !strings.HasPrefix(filepath.Base(path), ".")
		}
		return ok && err == nil
	})
}

// notLoaded says that the configuration the check reads does not load
// file, and what to do about it.
func (s CheckScope) notLoaded(file string, check []string, linked bool) string {
	switch s.prog {
	case "caddy":
		return s.Main + " does not import " + file + ": " + s.loadHint(file)
	case "haproxy":
		return "`" + FormatCommand(check) + "` does not read " + file + ": " + s.loadHint(file)
	}
	why := fmt.Sprintf("the configuration %s reads (%s) does not load %s", FormatCommand(check), s.Main, file)
	if !linked {
		why += "; is an enable link missing?"
	}
	return why
}

// loadHint says how to make the check's configuration load file, for the
// servers that name their files (a Caddyfile import line, a -f option);
// "" for nginx and Apache (an enable link, an include: the report asks).
func (s CheckScope) loadHint(file string) string {
	switch s.prog {
	case "caddy":
		if s.Main == "" {
			return ""
		}
		rel, err := filepath.Rel(filepath.Dir(s.Main), file)
		line := "import " + file
		switch {
		case err == nil && filepath.Dir(rel) == "conf.d" && strings.HasSuffix(rel, ".caddyfile"):
			line = "import conf.d/*.caddyfile"
		case err == nil && filepath.IsLocal(rel):
			line = "import " + rel
		}
		return "add the line `" + line + "` to " + s.Main
	case "haproxy":
		if strings.HasSuffix(file, ".cfg") && !strings.HasPrefix(filepath.Base(file), ".") {
			return "add -f " + filepath.Dir(file) + " to the check"
		}
		return "add -f " + file + " to the check"
	}
	return ""
}
