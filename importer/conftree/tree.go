// Package conftree is the one shape both web-server parsers produce: a tree
// of directives, each with the file and line it was read from, so the
// importer can say where every value came from and which directives it could
// not map, whatever the server.
package conftree

import (
	"strconv"
	"strings"
)

// Node is one directive: a simple one (`listen 443 ssl;`, `ServerName x`) or
// a block (`server { ... }`, `<VirtualHost *:443> ... </VirtualHost>`).
type Node struct {
	Name string   // as written: nginx directives are lower case, Apache's keep their case
	Args []string // without quotes
	// Quoted says which of Args the source quotes (nil when the parser
	// does not say), so Text shows them as written.
	Quoted []bool
	File   string
	Line   int
	Block  []*Node // the directives inside a block; nil for a simple directive
	// IsBlock tells an empty block (`server {}`) from a simple directive.
	IsBlock bool
}

// Pos is "file:line", the form every message about a directive uses.
func (n *Node) Pos() Pos { return Pos{File: n.File, Line: n.Line} }

// Is reports whether the directive is called name (case-insensitive, as
// Apache's are; nginx's are lower case anyway).
func (n *Node) Is(name string) bool { return strings.EqualFold(n.Name, name) }

// Arg returns argument i, or "" when there are fewer.
func (n *Node) Arg(i int) string {
	if i < len(n.Args) {
		return n.Args[i]
	}
	return ""
}

// Text is the directive as one line, the way a report quotes it: name and
// arguments as the source writes them (an argument the source quotes is
// quoted), and an argument that would not read back as one without quotes
// (empty, with spaces or quotes, or starting with '#') quoted too, so the
// text is one the server would read the same. Long texts are shortened.
func (n *Node) Text() string {
	var b strings.Builder
	b.WriteString(n.Name)
	for i, a := range n.Args {
		b.WriteByte(' ')
		if (i < len(n.Quoted) && n.Quoted[i]) || needsQuotes(a) {
			b.WriteString(quote(a))
		} else {
			b.WriteString(a)
		}
	}
	if n.IsBlock {
		b.WriteString(" {...}")
	}
	s := b.String()
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

// needsQuotes reports whether an argument written bare would be read as
// something else by nginx or Apache: nothing, several arguments, or a
// comment. (nginx's ';' and braces need quotes too, but nginx nodes say
// how they were written, and Apache's %{VAR} must stay as it is.)
func needsQuotes(a string) bool {
	return a == "" || strings.ContainsAny(a, " \t\n\"'") || strings.HasPrefix(a, "#")
}

// quote writes a in double quotes, a '"' in it as '\"': nginx and Apache
// read that back, and leave other backslashes as written (Go's %q escapes
// would not read back).
func quote(a string) string {
	return `"` + strings.ReplaceAll(a, `"`, `\"`) + `"`
}

// Children returns the directives in n's block called name.
func (n *Node) Children(name string) []*Node {
	var out []*Node
	for _, c := range n.Block {
		if c.Is(name) {
			out = append(out, c)
		}
	}
	return out
}

// Child returns the last directive in n's block called name (the one that
// wins when a directive is repeated), or nil.
func (n *Node) Child(name string) *Node {
	for i := len(n.Block) - 1; i >= 0; i-- {
		if n.Block[i].Is(name) {
			return n.Block[i]
		}
	}
	return nil
}

// Walk calls fn for every node under nodes, parents before their children;
// when fn returns false the node's block is skipped.
func Walk(nodes []*Node, fn func(*Node) bool) {
	for _, n := range nodes {
		if fn(n) {
			Walk(n.Block, fn)
		}
	}
}

// File is a configuration file given to a loader: its path (as the user
// wrote it, used in every message) and its content, already read.
type File struct {
	Path string
	Data []byte
}

// Pos is a place in a configuration file.
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line"`
	// EndLine is the last line of a value written over several lines (an
	// upstream's servers, a balancer's members), 0 for one line.
	EndLine int `json:"endLine,omitempty"`
}

// String is "file:line" ("file:4-5" for several lines), or "" for the
// zero Pos (a value nothing set).
func (p Pos) String() string {
	if p.File == "" {
		return ""
	}
	if p.Line == 0 {
		return p.File
	}
	if p.EndLine > p.Line {
		return p.File + ":" + strconv.Itoa(p.Line) + "-" + strconv.Itoa(p.EndLine)
	}
	return p.File + ":" + strconv.Itoa(p.Line)
}

// IsZero reports whether p names no place.
func (p Pos) IsZero() bool { return p.File == "" }

// Error is input the importer cannot use: a syntax error, a binary or huge
// file, an include loop. Pos says where; the CLI exits 2 on it.
type Error struct {
	Pos     Pos
	Message string
	Err     error // the cause, when an os error (errors.Is(err, fs.ErrNotExist) works)
}

func (e *Error) Unwrap() error { return e.Err }

func (e *Error) Error() string {
	if p := e.Pos.String(); p != "" {
		return p + ": " + e.Message
	}
	return e.Message
}
