package importer

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/importer/semantic"
)

// importConf imports conf written as the file name in a directory of its
// own, and returns the result and the file's path.
func importConf(t testing.TB, name, conf string) (*Result, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Import([]string{path}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res, path
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func itemsText(items []Item) string {
	var b strings.Builder
	for _, it := range items {
		fmt.Fprintf(&b, "  %s: %s: %s\n", it.Source, it.Directive, it.Why)
	}
	return b.String()
}

func changesText(cs []semantic.Change) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "  %s\n", c)
	}
	return b.String()
}

// firstDiff shows the first lines that differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 8; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %q\n  got  %q\n", i+1, wl, gl)
			shown++
		}
	}
	return b.String()
}
