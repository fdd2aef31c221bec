package install

import (
	"fmt"
	"frontdoor/internal/apacheconf"
	"os"
	"path/filepath"
	"strings"
)

// This file follows nginx's and Apache's includes, for CheckScope: which
// configuration files a check reads, and whether any lies outside the root.
// Which files Apache reads is internal/apacheconf's rule (Walker); this
// file only judges each of them against the root.

// installed reports whether path belongs to the server's own installation
// (Debian's /usr/share/nginx/modules-available/*.conf, which only load the
// module binaries): read from this machine like the binary itself, not
// configuration an admin edits, so reading it keeps a check rooted.
func installed(path string) bool {
	return strings.HasPrefix(path, "/usr/") && !strings.HasPrefix(path, "/usr/local/etc/")
}

// scanner follows a server configuration's includes.
type scanner struct {
	root, resolvedRoot string
	main               string
	files              []string
	seen               map[string]bool
	incomplete         bool
	outside            string          // the first thing read outside root, as a sentence
	patterns           []string        // include globs met (Caddy, HAProxy), absolute
	snippets           map[string]bool // Caddyfile snippet names: `import NAME` is not a file
}

// maxScanned bounds the walk (include loops are caught by seen; this is for
// pathological trees).
const maxScanned = 4096

func (sc *scanner) markOutside(format string, args ...any) {
	if sc.outside == "" {
		sc.outside = fmt.Sprintf(format, args...)
	}
}

// visit records file and reports whether to read it: once each, inside the
// limits, and noting a file that is (or links to) something outside root.
func (sc *scanner) visit(path, from string) (resolved string, ok bool) {
	if sc.seen == nil {
		sc.seen = map[string]bool{}
	}
	resolved, err := filepath.EvalSymlinks(path)
	if err != nil {
		resolved = ""
	}
	sc.judge(path, resolved, from)
	if resolved == "" {
		return "", false // a missing optional file; a missing required one fails the check itself
	}
	if sc.seen[resolved] {
		return resolved, false
	}
	if len(sc.seen) >= maxScanned {
		sc.incomplete = true
		return resolved, false
	}
	sc.seen[resolved] = true
	if fi, err := os.Stat(resolved); err != nil || !fi.Mode().IsRegular() {
		return resolved, false
	}
	sc.files = append(sc.files, resolved)
	return resolved, true
}

// judge notes a path the check reads (resolved: its target, "" when it
// does not exist) that is, or links to, something outside root.
func (sc *scanner) judge(path, resolved, from string) {
	if sc.root != "/" && !under(sc.root, path) && !installed(path) {
		if from == "" {
			sc.markOutside("the check reads %s, outside %s", path, sc.root)
		} else {
			sc.markOutside("%s includes %s, outside %s", from, path, sc.root)
		}
	}
	if resolved != "" && sc.root != "/" && under(sc.root, path) && !under(sc.resolvedRoot, resolved) && !installed(resolved) {
		sc.markOutside("%s links to %s, outside %s", path, resolved, sc.root)
	}
}

// checkInclude notes an include pattern outside root, even one that matches
// nothing today: the next file dropped there would be read.
func (sc *scanner) checkInclude(from, pattern string) {
	if sc.root != "/" && !under(sc.root, filepath.Clean(pattern)) && !installed(pattern) {
		sc.markOutside("%s includes %s, outside %s", from, pattern, sc.root)
	}
}

// expand turns an nginx or Caddy include argument into the files it names.
func (sc *scanner) expand(pattern string) []string {
	if !strings.ContainsAny(pattern, "*?[") {
		return []string{pattern}
	}
	matches, err := filepath.Glob(pattern)
	if err != nil {
		sc.incomplete = true
	}
	return matches
}

const maxIncludeDepth = 32

// scanNginx reads an nginx file for include directives; relative includes
// are relative to the directory of the main file (nginx's conf prefix).
func (sc *scanner) scanNginx(path, confDir string, depth int) {
	sc.scanNginxFrom(path, confDir, "", depth)
}

func (sc *scanner) scanNginxFrom(path, confDir, from string, depth int) {
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
	for _, stmt := range nginxStatements(string(data)) {
		if len(stmt) < 2 || stmt[0] != "include" {
			continue
		}
		arg := stmt[1]
		if strings.Contains(arg, "$") {
			sc.incomplete = true
			continue
		}
		if !filepath.IsAbs(arg) {
			arg = filepath.Join(confDir, arg)
		}
		sc.checkInclude(path, arg)
		for _, f := range sc.expand(arg) {
			sc.scanNginxFrom(f, confDir, path, depth+1)
		}
	}
}

// nginxStatements splits nginx configuration text into the words of each
// statement (ended by ';' or '{'), without comments and quotes.
func nginxStatements(text string) [][]string {
	var stmts [][]string
	var words []string
	var word strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			words = append(words, word.String())
			word.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '#' && !inWord:
			for i < len(text) && text[i] != '\n' {
				i++
			}
		case c == '"' || c == '\'':
			inWord = true
			for i++; i < len(text) && text[i] != c; i++ {
				if text[i] == '\\' && i+1 < len(text) {
					i++
				}
				word.WriteByte(text[i])
			}
		case c == ';' || c == '{' || c == '}':
			flush()
			if len(words) > 0 {
				stmts = append(stmts, words)
			}
			words = nil
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			flush()
		default:
			inWord = true
			word.WriteByte(c)
		}
	}
	return stmts
}

// debianApache: apache2ctl sources $APACHE_CONFDIR/envvars and runs apache2
// with -d $APACHE_CONFDIR (plus the command's own options).
func (sc *scanner) debianApache(cl commandLine) {
	confDir := cl.getenv("APACHE_CONFDIR")
	if confDir == "" {
		confDir = "/etc/apache2"
	}
	envvars := cl.getenv("APACHE_ENVVARS")
	if envvars == "" {
		envvars = filepath.Join(confDir, "envvars")
	}
	if sc.root != "/" && !under(sc.root, filepath.Clean(envvars)) {
		sc.markOutside("apache2ctl reads %s, outside %s (set APACHE_CONFDIR=%s)", envvars, sc.root, filepath.Join(sc.root, "etc/apache2"))
	}
	sc.apache(cl, confDir, "apache2.conf")
}

// apache follows an Apache main configuration: -d sets the server root
// (default serverRoot), -f the main file (relative to the server root).
// What Apache reads is apacheconf's rule; this judges each path against
// the root.
func (sc *scanner) apache(cl commandLine, serverRoot, mainRel string) {
	if d, ok := cl.flag("-d"); ok {
		serverRoot = d
	}
	main := mainRel
	if f, ok := cl.flag("-f"); ok {
		main = f
	}
	if !filepath.IsAbs(main) {
		main = filepath.Join(serverRoot, main)
	}
	sc.main = filepath.Clean(main)
	w := apacheconf.Walker{
		Getenv: cl.getenv,
		Visit:  sc.judge,
		Include: func(from, pattern string) {
			sc.checkInclude(from, pattern)
		},
		ServerRoot: func(from, dir string) {
			if sc.root != "/" && !under(sc.root, dir) {
				sc.markOutside("%s sets ServerRoot %s, outside %s", from, dir, sc.root)
			}
		},
		Unresolved: func(from, directive, arg string) {
			if sc.root == "/" {
				return
			}
			if strings.EqualFold(directive, "ServerRoot") {
				sc.markOutside("%s sets ServerRoot %s, which frontdoor cannot resolve to a path under %s", from, arg, sc.root)
			} else {
				sc.markOutside("%s includes %s, which frontdoor cannot resolve to a path under %s", from, arg, sc.root)
			}
		},
	}
	cfg := w.Walk(sc.main, serverRoot)
	for _, f := range cfg.Files {
		sc.files = append(sc.files, f.Resolved)
	}
	if cfg.Incomplete {
		sc.incomplete = true
	}
}
