// Package apacheconf is a small parser of Apache httpd 2.4 configuration
// files, enough to import a reverse-proxy configuration: directives and their
// arguments (quoted or not), <Sections> nested to any depth, continuation
// lines ending in a backslash, comment lines, and Include/IncludeOptional
// followed from the files given. It knows no directive: every name is kept
// as written, so unknown ones are tolerated and reported by the importer.
package apacheconf

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"frontdoor/importer/conftree"
)

// Config is what Load read.
type Config struct {
	Nodes   []*conftree.Node  // the top-level directives of every file given
	Files   []string          // every file read, the given ones first
	Data    map[string][]byte // what each file read contains, by path
	Missing []*conftree.Node  // Include directives naming a file not on this machine
}

// Load parses the files (read by conftree.ReadFile) and reads what they
// include. Relative includes are resolved
// against the server root: the directory of a main configuration
// (apache2.conf, httpd.conf), or the directory above sites-enabled/ and the
// like for a site's file. Problems are a *conftree.Error with file and line.
func Load(files ...conftree.File) (*Config, error) {
	l := &loader{cfg: &Config{Data: map[string][]byte{}}, defines: map[string]string{}}
	for _, f := range files {
		l.root = serverRoot(f.Path)
		nodes, err := l.parsed(f.Path, f.Data, nil)
		if err != nil {
			return nil, err
		}
		l.cfg.Nodes = append(l.cfg.Nodes, nodes...)
	}
	return l.cfg, nil
}

// Parse parses one file's data without following its includes.
func Parse(path string, data []byte) ([]*conftree.Node, error) {
	return parse(path, data)
}

type loader struct {
	cfg  *Config
	root string
	read conftree.Budget
	// defines are the variables Define has set so far, in the order Apache
	// reads the files (includes where they stand).
	defines map[string]string
}

func (l *loader) file(path string, chain conftree.Chain) ([]*conftree.Node, error) {
	data, err := conftree.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return l.parsed(path, data, chain)
}

func (l *loader) parsed(path string, data []byte, chain conftree.Chain) ([]*conftree.Node, error) {
	if err := l.read.Add(path, len(data)); err != nil {
		return nil, err
	}
	l.cfg.Files = append(l.cfg.Files, path)
	l.cfg.Data[path] = data
	nodes, err := parse(path, data)
	if err != nil {
		return nil, err
	}
	if len(chain) == 0 {
		chain = conftree.Chain{{File: path}}
	}
	if err := l.includes(nodes, chain); err != nil {
		return nil, err
	}
	return nodes, nil
}

func (l *loader) includes(nodes []*conftree.Node, chain conftree.Chain) error {
	for _, n := range nodes {
		for i, a := range n.Args {
			n.Args[i] = Expand(a, l.defines)
		}
		switch {
		case n.Is("Define") && !n.IsBlock && len(n.Args) >= 1:
			l.defines[n.Args[0]] = n.Arg(1)
		case n.Is("UnDefine") && !n.IsBlock && len(n.Args) == 1:
			delete(l.defines, n.Args[0])
		case n.Is("ServerRoot") && len(chain) == 1 && len(n.Args) == 1:
			l.root = n.Args[0]
		case (n.Is("Include") || n.Is("IncludeOptional")) && !n.IsBlock:
			if err := l.include(n, chain); err != nil {
				return err
			}
		case n.IsBlock:
			if err := l.includes(n.Block, chain); err != nil {
				return err
			}
		}
	}
	return nil
}

func (l *loader) include(n *conftree.Node, chain conftree.Chain) error {
	pattern := n.Arg(0)
	if pattern == "" {
		return &conftree.Error{Pos: n.Pos(), Message: n.Name + " needs a file or wildcard"}
	}
	if len(Undefined(pattern)) > 0 {
		l.cfg.Missing = append(l.cfg.Missing, n) // a variable set outside the files read: not known here
		return nil
	}
	if !filepath.IsAbs(pattern) {
		pattern = filepath.Join(l.root, pattern)
	}
	files, err := conftree.Expand(n, pattern)
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := chain.Loop(f, n); err != nil {
			return err
		}
		nodes, err := l.file(f, chain.Then(f, n))
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && f == pattern {
				l.cfg.Missing = append(l.cfg.Missing, n)
				continue
			}
			// The included file's own problem (not one of a line in it):
			// say which include led there.
			var e *conftree.Error
			if errors.As(err, &e) && e.Pos.File == f && e.Pos.Line == 0 {
				return conftree.WithInclude(err, n)
			}
			return err
		}
		n.Block = append(n.Block, nodes...)
	}
	return nil
}

// Expand replaces each ${NAME} Define has set in s by its value, as Apache
// does when it reads a directive. A variable not set in the files read
// (from the environment, e.g. Debian's envvars) stays as written: see
// Undefined. ${map:key} is a RewriteMap lookup, not a variable.
func Expand(s string, defines map[string]string) string {
	if !strings.Contains(s, "${") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		name := s[i+2 : i+j]
		v, ok := defines[name]
		b.WriteString(s[:i])
		if ok {
			b.WriteString(v)
		} else {
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}

// Undefined returns the ${NAME} variables left in s after Expand: set
// outside the files read, so their value is not known here.
func Undefined(s string) []string {
	var out []string
	for rest := s; ; {
		i := strings.Index(rest, "${")
		if i < 0 {
			return out
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return out
		}
		if name := rest[i+2 : i+j]; name != "" && !strings.Contains(name, ":") {
			out = append(out, "${"+name+"}")
		}
		rest = rest[i+j+1:]
	}
}

// serverRoot is where relative includes are resolved from: the main
// configuration's directory, or the one above a directory of sites.
func serverRoot(path string) string {
	dir := filepath.Dir(path)
	switch filepath.Base(dir) {
	case "sites-enabled", "sites-available", "conf.d", "conf-enabled", "conf-available", "mods-enabled", "mods-available":
		return filepath.Dir(dir)
	}
	return dir
}

// parse reads the directives of one file.
func parse(path string, data []byte) ([]*conftree.Node, error) {
	p := &parser{file: path}
	root := &conftree.Node{IsBlock: true}
	stack := []*conftree.Node{root}
	lines := bytes.Split(data, []byte("\n"))
	for i := 0; i < len(lines); i++ {
		start := i + 1
		line := string(bytes.TrimRight(lines[i], "\r"))
		// A backslash at the end joins the next line (comment lines too,
		// as Apache does).
		for strings.HasSuffix(line, "\\") && i+1 < len(lines) {
			i++
			line = line[:len(line)-1] + string(bytes.TrimRight(lines[i], "\r"))
		}
		text := strings.TrimSpace(line)
		if text == "" || text[0] == '#' {
			continue
		}
		pos := conftree.Pos{File: path, Line: start}
		top := stack[len(stack)-1]
		switch {
		case strings.HasPrefix(text, "</"):
			name, ok := strings.CutSuffix(text[2:], ">")
			name = strings.TrimSpace(name)
			if !ok || name == "" || strings.ContainsAny(name, " \t") {
				return nil, &conftree.Error{Pos: pos, Message: fmt.Sprintf("%q: a section end is written </Name>", text)}
			}
			if len(stack) == 1 {
				return nil, &conftree.Error{Pos: pos, Message: fmt.Sprintf("</%s> without a matching <%s>", name, name)}
			}
			if !top.Is(name) {
				return nil, &conftree.Error{Pos: pos, Message: fmt.Sprintf("</%s> closes <%s> (opened at %s): expected </%s>", name, top.Name, top.Pos(), top.Name)}
			}
			stack = stack[:len(stack)-1]
		case text[0] == '<':
			body, ok := strings.CutSuffix(text[1:], ">")
			if !ok {
				return nil, &conftree.Error{Pos: pos, Message: fmt.Sprintf("%q: a section is written <Name arguments> on one line", text)}
			}
			args, quoted, err := p.words(body, pos)
			if err != nil {
				return nil, err
			}
			if len(args) == 0 || args[0] == "" {
				return nil, &conftree.Error{Pos: pos, Message: "<> names no section"}
			}
			n := &conftree.Node{Name: args[0], Args: args[1:], Quoted: quoted[1:], File: path, Line: start, IsBlock: true, Block: []*conftree.Node{}}
			top.Block = append(top.Block, n)
			stack = append(stack, n)
		default:
			args, quoted, err := p.words(text, pos)
			if err != nil {
				return nil, err
			}
			if len(args) == 0 || args[0] == "" {
				return nil, &conftree.Error{Pos: pos, Message: "a directive without a name"}
			}
			top.Block = append(top.Block, &conftree.Node{Name: args[0], Args: args[1:], Quoted: quoted[1:], File: path, Line: start})
		}
	}
	if len(stack) > 1 {
		open := stack[len(stack)-1]
		return nil, &conftree.Error{Pos: open.Pos(), Message: fmt.Sprintf("<%s> is not closed: the file ends before </%s>", open.Name, open.Name)}
	}
	return root.Block, nil
}

type parser struct{ file string }

// words splits a directive line into words as Apache does: separated by
// blanks; a word in double or single quotes may hold blanks, and a backslash
// inside quotes escapes the quote character. quoted says which words were
// written in quotes (conftree.Node.Quoted: a report quotes them as written).
func (p *parser) words(s string, pos conftree.Pos) (out []string, quoted []bool, err error) {
	for i := 0; i < len(s); {
		c := s[i]
		if c == ' ' || c == '\t' {
			i++
			continue
		}
		if c == '"' || c == '\'' {
			var b strings.Builder
			j := i + 1
			for ; j < len(s) && s[j] != c; j++ {
				if s[j] == '\\' && j+1 < len(s) && (s[j+1] == c || s[j+1] == '\\') {
					j++
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, nil, &conftree.Error{Pos: pos, Message: fmt.Sprintf("a quoted argument is not closed (%c missing)", c)}
			}
			out, quoted = append(out, b.String()), append(quoted, true)
			i = j + 1
			continue
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' {
			j++
		}
		out, quoted = append(out, s[i:j]), append(quoted, false)
		i = j
	}
	return out, quoted, nil
}
