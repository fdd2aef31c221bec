package conftree

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// Chain is the include chain being read, the file named on the command line
// first, then each file with the directive that included it: what names an
// include loop. Both parsers follow includes through one.
type Chain []Link

// Link is one file of a Chain and the include that led to it (nil for the
// first).
type Link struct {
	File string
	By   *Node
}

// Then is the chain with file, included by n, at its end (the chain itself
// is left as it is: siblings share its start).
func (c Chain) Then(file string, n *Node) Chain {
	return append(c[:len(c):len(c)], Link{File: file, By: n})
}

// Loop returns an *Error at n when file is already in the chain, naming
// each step: "a.conf includes b.conf (a.conf:3), which includes a.conf
// (b.conf:1) again"; nil otherwise.
func (c Chain) Loop(file string, n *Node) error {
	for i, l := range c {
		if l.File != file {
			continue
		}
		steps := c[i:]
		var b strings.Builder
		b.WriteString(steps[0].File)
		for _, s := range steps[1:] {
			fmt.Fprintf(&b, " includes %s (%s), which", s.File, s.By.Pos())
		}
		fmt.Fprintf(&b, " includes %s (%s) again", steps[0].File, n.Pos())
		return &Error{Pos: n.Pos(), Message: "include loop: " + b.String()}
	}
	return nil
}

// Expand returns the files the include n names by pattern (already made
// absolute): a wildcard's matches in name order, or the pattern itself.
func Expand(n *Node, pattern string) ([]string, error) {
	if !strings.ContainsAny(pattern, "*?[") {
		return []string{pattern}, nil
	}
	files, err := filepath.Glob(pattern)
	if err != nil {
		return nil, &Error{Pos: n.Pos(), Message: fmt.Sprintf("%s %s: %v", n.Name, n.Arg(0), err)}
	}
	sort.Strings(files)
	return files, nil
}

// WithInclude adds the include n that led to a file to the file's problem:
// "b.conf: binary data ... (included at a.conf:3)".
func WithInclude(err error, n *Node) error {
	if e, ok := err.(*Error); ok {
		return &Error{Pos: e.Pos, Message: e.Message + " (included at " + n.Pos().String() + ")", Err: e.Err}
	}
	return err
}

// Budget is what one import has read through includes so far: a glob over
// a huge directory must not make it read without end.
type Budget struct {
	Files, Bytes int
}

// Add counts the file path of size bytes, or refuses it: after MaxFiles
// files, or past MaxTotal bytes in all.
func (b *Budget) Add(path string, size int) error {
	if b.Files >= MaxFiles {
		return &Error{Pos: Pos{File: path}, Message: fmt.Sprintf("more than %d files through includes: import the site's own file instead of the whole configuration", MaxFiles)}
	}
	b.Files++
	if b.Bytes += size; b.Bytes > MaxTotal {
		return &Error{Pos: Pos{File: path}, Message: fmt.Sprintf("the files read through includes pass %d MiB: import the site's own file instead of the whole configuration", MaxTotal>>20)}
	}
	return nil
}
