package ldapcheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestTextsNameNoFlags: the steps' details and hints are shown by `ldap
// test` and by the wizard alike, so no text of this package names a
// command-line flag (--lookup-only, --user, --timeout): it names what both
// front ends call the thing ("lookup only", "the timeout").
func TestTextsNameNoFlags(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	flag := regexp.MustCompile(`(^|[\s(])--[a-z]`)
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0) // comments left out: they may name flags
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			if s, err := strconv.Unquote(lit.Value); err == nil && flag.MatchString(s) {
				t.Errorf("%s: %q names a command-line flag", fset.Position(lit.Pos()), s)
			}
			return true
		})
	}
}
