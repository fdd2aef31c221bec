package apacheconf

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"frontdoor/importer/conftree"
)

// FuzzParse: whatever the bytes, Parse returns directives or a
// *conftree.Error with a line inside the file, and never panics. The seeds
// are the Apache fixtures and frontdoor's Apache snippets (go test runs
// only them; go test -fuzz FuzzParse explores).
func FuzzParse(f *testing.F) {
	for _, glob := range []string{"../testdata/fixtures/apache-*.tmpl", "../../render/testdata/golden/apache-*.conf"} {
		files, _ := filepath.Glob(glob)
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte("<A>\n</B>\n"))
	f.Add([]byte("X \"unclosed\n"))
	f.Add([]byte("\\\n\\\n<"))
	f.Fuzz(func(t *testing.T, data []byte) {
		nodes, err := Parse("f.conf", data)
		if err != nil {
			var e *conftree.Error
			if !errors.As(err, &e) || e.Pos.File != "f.conf" || e.Pos.Line < 1 {
				t.Fatalf("error %v (%T) names no line of the file", err, err)
			}
			return
		}
		conftree.Walk(nodes, func(n *conftree.Node) bool {
			if n.Line < 1 || n.Name == "" {
				t.Fatalf("node %+v", n)
			}
			return true
		})
	})
}
