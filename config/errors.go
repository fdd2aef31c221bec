package config

import (
	"errors"
	"fmt"
	"strings"

	"frontdoor/finding"
)

// Error is a settings file that cannot be used as it is: not a regular file,
// too large, binary, not YAML, or settings of the wrong shape. Each problem
// is one line that names the file, the line and the settings path. The CLI
// maps it to exit 2 (invalid input):
//
//	var bad *config.Error
//	if errors.As(err, &bad) { return exitInvalid }
type Error struct {
	Path     string // the file; "" for bytes given to Parse
	Problems []Problem
}

// Problem is one thing wrong with a settings file.
type Problem struct {
	Line    int    // 1-based; 0 when the problem is about the whole file
	Key     string // the settings path ("proxy.routerPort"); "" when not about one setting
	Message string // what is wrong, in words: `expected a whole number (a port), got "8082.9"`
}

// String is "line 7: proxy.routerPort: expected …" (parts that are unknown left out).
func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	if p.Key != "" {
		b.WriteString(p.Key)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Error lists the problems, one line each, at most finding.Limit of them:
//
//	frontdoor.yaml:7: proxy.routerPort: expected a whole number (a port), got "8082.9"
func (e *Error) Error() string {
	shown, more := finding.Cap(e.Problems, 0)
	lines := make([]string, 0, len(shown)+1)
	for _, p := range shown {
		lines = append(lines, e.line(p))
	}
	if more > 0 {
		lines = append(lines, finding.More(more)+" problems")
	}
	if len(lines) == 0 {
		return e.line(Problem{Message: "invalid settings"})
	}
	return strings.Join(lines, "\n")
}

func (e *Error) line(p Problem) string {
	switch {
	case e.Path == "":
		return p.String()
	case p.Line > 0:
		line := p.Line
		p.Line = 0
		return fmt.Sprintf("%s:%d: %s", e.Path, line, p)
	}
	return e.Path + ": " + p.String()
}

// fileError is an Error about the whole file (no line, no key).
func fileError(path, format string, args ...any) *Error {
	return &Error{Path: path, Problems: []Problem{{Message: fmt.Sprintf(format, args...)}}}
}

// withPath returns err with the file's path filled in, when it is an *Error.
func withPath(err error, path string) error {
	var e *Error
	if errors.As(err, &e) && e.Path == "" {
		return &Error{Path: path, Problems: e.Problems}
	}
	return err
}

// ErrChangedOnDisk is what a write refuses with when the file is no longer
// what was loaded (someone edited, replaced, created or deleted it). The
// error is a *Conflict that says what changed; test with errors.Is.
var ErrChangedOnDisk = errors.New("changed on disk since it was loaded")
