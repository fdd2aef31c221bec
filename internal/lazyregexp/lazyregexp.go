// Package lazyregexp compiles a package-level regular expression on its first
// use instead of at program start. Every command (and the wizard's first
// frame) paid for compiling the patterns of every package it links at init,
// most of them only needed on one path (an error message, an import).
package lazyregexp

import (
	"os"
	"regexp"
	"strings"
	"sync"
)

// New returns a function that compiles pattern once, on its first call, and
// returns the compiled expression. A bad pattern panics there, as
// regexp.MustCompile would have at init; in a test binary it is compiled at
// once, so any test of the package catches it even when no test reaches the
// path that uses it.
func New(pattern string) func() *regexp.Regexp {
	compile := sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
	if inTest {
		compile()
	}
	return compile
}

// inTest reports whether this is a test binary (`go test` names it *.test).
var inTest = strings.HasSuffix(os.Args[0], ".test")
