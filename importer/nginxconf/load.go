// Package nginxconf reads nginx configuration files into a conftree: a main
// nginx.conf with the files it includes, or a single file from
// sites-enabled/ or conf.d/ on its own. nginx-go-crossplane parses each file
// (syntax, argument counts, directives in the wrong block); this package
// follows the includes itself, so an include loop is named by file and line
// and an included file is checked in the block it is included into.
package nginxconf

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	crossplane "github.com/nginxinc/nginx-go-crossplane"

	"frontdoor/importer/conftree"
)

// Config is what Load read.
type Config struct {
	// Nodes are the top-level directives of every file given, in the
	// context each file was found to be written for; includes are replaced
	// by what they include (the include directive stays, with the included
	// directives as its block).
	Nodes []*conftree.Node
	// Files lists every file read, the given ones first.
	Files []string
	// Data holds what each file read contains, by path (the import reads
	// the header frontdoor wrote at the top of an included snippet).
	Data map[string][]byte
	// Missing lists includes that named a file not on this machine: their
	// directives could not be read (the import reports them as unmapped).
	Missing []*conftree.Node
}

// Load parses the files (read by conftree.ReadFile) and reads what they
// include. Each is a main configuration (it has an http, events
// or stream block, or main-only directives) or a snippet written for the http
// block (server, upstream, map) or for a server block (location, listen).
// Problems are a *conftree.Error with file and line.
func Load(files ...conftree.File) (*Config, error) {
	l := &loader{cfg: &Config{Data: map[string][]byte{}}}
	for _, f := range files {
		ctx := contextOf(f.Data)
		l.root = confDir(f.Path, ctx)
		nodes, err := l.parse(f.Path, f.Data, ctx, nil)
		if err != nil {
			return nil, err
		}
		l.cfg.Nodes = append(l.cfg.Nodes, nodes...)
	}
	return l.cfg, nil
}

type loader struct {
	cfg  *Config
	root string // directory relative includes are resolved against
	read conftree.Budget
}

// parse parses one file's data written for the block context ctx (e.g.
// ["http", "server"]) and reads what it includes.
func (l *loader) parse(path string, data []byte, ctx []string, chain conftree.Chain) ([]*conftree.Node, error) {
	if err := l.read.Add(path, len(data)); err != nil {
		return nil, err
	}
	l.cfg.Files = append(l.cfg.Files, path)
	l.cfg.Data[path] = data
	if line := strayBrace(data); line > 0 && len(ctx) > 0 {
		// Checked before wrapping: the stray brace would close the
		// wrapper's block and the parser would blame the wrapper.
		return nil, &conftree.Error{Pos: conftree.Pos{File: path, Line: line}, Message: `unexpected "}"`}
	}
	wrapped := wrap(data, ctx)
	payload, err := crossplane.Parse(path, &crossplane.ParseOptions{
		SingleFile:         true,
		StopParsingOnError: true,
		DirectiveSources:   directiveSources,
		Open:               func(string) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(wrapped)), nil },
	})
	if err != nil {
		return nil, parseError(path, data, err)
	}
	if len(payload.Config) != 1 {
		return nil, &conftree.Error{Pos: conftree.Pos{File: path}, Message: "could not be parsed"}
	}
	parsed := payload.Config[0].Parsed
	for range ctx { // unwrap: the wrapper blocks are the only directive at each level
		if len(parsed) == 0 {
			return nil, nil
		}
		parsed = parsed[0].Block
	}
	nodes := convert(parsed, path)
	markQuoted(nodes, wrapped)
	if len(chain) == 0 {
		chain = conftree.Chain{{File: path}}
	}
	if err := l.includes(nodes, ctx, chain); err != nil {
		return nil, err
	}
	return nodes, nil
}

// directiveSources are the nginx versions whose directives are checked:
// the latest (with NGINX Plus's and the njs module's, crossplane's default)
// and 1.24, whose directives older configurations still use (`ssl on;`,
// removed in 1.25.1; Debian 12 ships 1.22).
var directiveSources = []crossplane.MatchFunc{crossplane.DefaultDirectivesMatchFunc, crossplane.MatchOss124}

// convert turns crossplane's directives into conftree nodes.
func convert(ds crossplane.Directives, file string) []*conftree.Node {
	out := make([]*conftree.Node, 0, len(ds))
	for _, d := range ds {
		if d.IsComment() {
			continue
		}
		n := &conftree.Node{Name: d.Directive, Args: d.Args, File: file, Line: d.Line, IsBlock: d.Block != nil}
		if d.Block != nil {
			n.Block = convert(d.Block, file)
		}
		out = append(out, n)
	}
	return out
}

// markQuoted records which arguments the source quotes (Node.Quoted), so
// a report shows a directive as written: crossplane's directives drop the
// quotes, its lexer keeps them. nodes are one file's, in source order (its
// includes are not read yet), so one pass over the tokens finds each
// directive's name on its line and its arguments after it, on any line;
// where the tokens do not match, Quoted stays nil (unknown).
func markQuoted(nodes []*conftree.Node, data []byte) {
	var toks []crossplane.NgxToken
	for t := range crossplane.LexWithOptions(bytes.NewReader(data), crossplane.LexOptions{}) {
		if t.Error == nil {
			toks = append(toks, t)
		}
	}
	next := 0
	conftree.Walk(nodes, func(n *conftree.Node) bool {
		for i := next; i < len(toks) && toks[i].Line <= n.Line; i++ {
			if toks[i].Line != n.Line || toks[i].IsQuoted || toks[i].Value != n.Name || len(toks)-i-1 < len(n.Args) {
				continue
			}
			quoted := make([]bool, len(n.Args))
			for j, a := range n.Args {
				if toks[i+1+j].Value != a {
					return true
				}
				quoted[j] = toks[i+1+j].IsQuoted
			}
			n.Quoted, next = quoted, i+1+len(n.Args)
			break
		}
		return true
	})
}

// includes reads the files every include under nodes names, in the block
// the include sits in, and puts their directives in the include's block.
func (l *loader) includes(nodes []*conftree.Node, ctx []string, chain conftree.Chain) error {
	for _, n := range nodes {
		if n.Name == "include" && !n.IsBlock {
			if err := l.include(n, ctx, chain); err != nil {
				return err
			}
			continue
		}
		if n.IsBlock {
			if err := l.includes(n.Block, append(slices.Clip(ctx), n.Name), chain); err != nil {
				return err
			}
		}
	}
	return nil
}

func (l *loader) include(n *conftree.Node, ctx []string, chain conftree.Chain) error {
	pattern := n.Arg(0)
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
		data, err := conftree.ReadFile(f)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && len(files) == 1 && files[0] == pattern {
				l.cfg.Missing = append(l.cfg.Missing, n)
				continue
			}
			return conftree.WithInclude(err, n)
		}
		nodes, err := l.parse(f, data, ctx, chain.Then(f, n))
		if err != nil {
			return err
		}
		n.Block = append(n.Block, nodes...)
	}
	return nil
}

// parseError turns crossplane's error into file:line and its message; a
// line in the wrapper's closing braces is the file's end.
func parseError(path string, data []byte, err error) error {
	e := &conftree.Error{Pos: conftree.Pos{File: path}, Message: err.Error()}
	if pe, ok := err.(*crossplane.ParseError); ok {
		e.Message = pe.What
		if pe.Line != nil {
			e.Pos.Line = min(*pe.Line, bytes.Count(data, []byte("\n"))+1)
		}
	}
	return e
}

// strayBrace returns the line of the first "}" that closes no block of
// the file (0 when there is none), skipping comments and quoted strings.
func strayBrace(data []byte) int {
	depth, line := 0, 1
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '\n':
			line++
		case '#':
			for i+1 < len(data) && data[i+1] != '\n' {
				i++
			}
		case '"', '\'':
			for i++; i < len(data) && data[i] != c; i++ {
				switch data[i] {
				case '\\':
					i++
				case '\n':
					line++
				}
			}
		case '{':
			depth++
		case '}':
			if depth--; depth < 0 {
				return line
			}
		}
	}
	return 0
}

// wrapperOf is the opening of a block of each kind a file may be included
// into, with arguments that satisfy the parser's checks.
var wrapperOf = map[string]string{
	"location":     "location / {",
	"upstream":     "upstream frontdoor_import {",
	"if":           "if ($frontdoor_import) {",
	"limit_except": "limit_except GET {",
	"map":          "map $frontdoor_import $frontdoor_import_map {",
	"geo":          "geo $frontdoor_import {",
}

// wrap puts data inside the blocks of ctx, on its first line and after its
// last, so the parser checks each directive where it will be and the line
// numbers stay those of the file.
func wrap(data []byte, ctx []string) []byte {
	if len(ctx) == 0 {
		return data
	}
	var b bytes.Buffer
	b.Grow(len(data) + 64)
	for _, c := range ctx {
		w, ok := wrapperOf[c]
		if !ok {
			w = c + " {"
		}
		b.WriteString(w)
		b.WriteByte(' ')
	}
	b.Write(data)
	b.WriteString("\n")
	b.WriteString(strings.Repeat("}", len(ctx)))
	b.WriteString("\n")
	return b.Bytes()
}

// mainOnly are directives only a main nginx.conf has at its top level.
var mainOnly = map[string]bool{
	"http": true, "events": true, "stream": true, "mail": true, "user": true, "worker_processes": true,
	"pid": true, "load_module": true, "worker_rlimit_nofile": true, "daemon": true, "master_process": true,
	"error_log": false, "include": false,
}

// serverOnly are directives a file written for a server block starts with.
var serverOnly = map[string]bool{
	"location": true, "listen": true, "server_name": true, "ssl_certificate": true, "return": true,
	"rewrite": true, "proxy_pass": true, "proxy_set_header": true, "root": true,
}

// contextOf tells what block a file was written for from its top-level
// directive names: main (nil), http, or http > server.
func contextOf(data []byte) []string {
	names := topLevelNames(data)
	for _, n := range names {
		if mainOnly[n] {
			return nil
		}
	}
	for _, n := range names {
		if n == "server" || n == "upstream" || n == "map" {
			return []string{"http"}
		}
	}
	for _, n := range names {
		if serverOnly[n] {
			return []string{"http", "server"}
		}
	}
	return []string{"http"}
}

// topLevelNames scans for the names of the directives at brace depth 0,
// skipping comments and quoted strings: enough to tell a main configuration
// from a snippet without parsing the file twice.
func topLevelNames(data []byte) []string {
	var names []string
	depth, atStart := 0, true
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '#':
			for i < len(data) && data[i] != '\n' {
				i++
			}
		case c == '"' || c == '\'':
			for i++; i < len(data) && data[i] != c; i++ {
				if data[i] == '\\' {
					i++
				}
			}
			atStart = false
		case c == '{':
			depth++
			atStart = true
		case c == '}':
			depth--
			atStart = true
		case c == ';':
			atStart = true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		default:
			start := i
			for i < len(data) && !strings.ContainsRune(" \t\r\n;{}#\"'", rune(data[i])) {
				i++
			}
			if atStart && depth == 0 {
				names = append(names, string(data[start:i]))
			}
			atStart = false
			i--
		}
	}
	return names
}

// confDir is where nginx resolves a file's relative includes: its prefix's
// conf directory. For a main configuration that is its own directory; for a
// snippet in sites-enabled/, conf.d/ and the like, the directory above.
func confDir(path string, ctx []string) string {
	dir := filepath.Dir(path)
	if ctx != nil {
		switch filepath.Base(dir) {
		case "sites-enabled", "sites-available", "conf.d", "snippets":
			return filepath.Dir(dir)
		}
	}
	return dir
}
