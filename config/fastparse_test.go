package config

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"frontdoor/assets"
)

// yamlTree parses with yaml.v3 alone, the reference fastParse is held to.
func yamlTree(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc)
	return &doc, err
}

// sameTree compares what the decoder and the editor read of two trees.
func sameTree(a, b *yaml.Node, path string) error {
	const styles = yaml.DoubleQuotedStyle | yaml.SingleQuotedStyle | yaml.FlowStyle | yaml.LiteralStyle | yaml.FoldedStyle
	switch {
	case a.Kind != b.Kind:
		return fmt.Errorf("%s: kind %v, yaml.v3 %v", path, a.Kind, b.Kind)
	case a.Value != b.Value:
		return fmt.Errorf("%s: value %q, yaml.v3 %q", path, a.Value, b.Value)
	case a.Line != b.Line || a.Column != b.Column:
		return fmt.Errorf("%s: at %d:%d, yaml.v3 %d:%d", path, a.Line, a.Column, b.Line, b.Column)
	case a.Style&styles != b.Style&styles:
		return fmt.Errorf("%s: style %v, yaml.v3 %v", path, a.Style, b.Style)
	case isNull(a) != isNull(b):
		return fmt.Errorf("%s: null %v, yaml.v3 %v", path, isNull(a), isNull(b))
	case len(a.Content) != len(b.Content):
		return fmt.Errorf("%s: %d children, yaml.v3 %d", path, len(a.Content), len(b.Content))
	}
	for i := range a.Content {
		if err := sameTree(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", path, i)); err != nil {
			return err
		}
	}
	return nil
}

// checkFast asserts that fastParse either declines data or builds the tree
// yaml.v3 builds; it reports whether it took the input.
func checkFast(t *testing.T, data []byte) bool {
	t.Helper()
	fast, ok := fastParse(data)
	ref, err := yamlTree(data)
	if !ok {
		return false
	}
	if err != nil {
		t.Fatalf("fastParse took what yaml.v3 refuses (%v):\n%s", err, data)
	}
	if err := sameTree(fast, ref, ""); err != nil {
		t.Fatalf("fastParse differs from yaml.v3: %v\n%s", err, data)
	}
	return true
}

func TestFastParseAgreesWithYAML(t *testing.T) {
	t.Parallel() // pure parsing of its own inputs
	corpus := []string{commented, string(assets.Example), reposFile(3), strings.ReplaceAll(commented, "\n", "\r\n"),
		"a:\n", "a: 1\nb:", "- a: 1\n  b: [x, {y: z}]\n-   c: 2\n", "proxy:\n  routerPort:\n  https:\n    port: 1\n  nodes:\n  - a\n  x: \"\"\n",
		"a: 'it''s'\nb: \"q\"\nc: ~\nd: null\ne: [ ]\nf: {}\ng: [a , b]\n", "a: ü: b\n", "a: ünï\nb: [ü, {ö: ä}]\n",
		"a: b # c\n# d\n\n  # e\nf: g\n", "a:\n  - x\n  -  y\nb: 1\n", "a:\n- x\n- y\n", "a: [1, 2,]\n", "a: {b}\n", "a: -1\nb: -x\nc: :x\n",
		"a: x:y\nb: http://h:1/p\n", "a:\n    b: 1\n  c: 2\n", "a: 1\n  b: 2\n", "a: [x\n", "- - x\n", "-\n  a: 1\n",
	}
	for _, in := range badInputs {
		if body, ok := badBody(in.make); ok {
			corpus = append(corpus, body)
		}
	}
	// What the editor writes is read by the fast path next time.
	r := rand.New(rand.NewPCG(9, 9))
	for range 200 {
		f, doc, err := decode([]byte(commented))
		if err != nil {
			t.Fatal(err)
		}
		g := f.Clone()
		for range 3 {
			randomEdit(r, reflect.ValueOf(g).Elem(), "")
		}
		out, _ := edit([]byte(commented), doc, f, g)
		corpus = append(corpus, string(out))
		m, _ := Marshal(g)
		corpus = append(corpus, string(m))
	}
	taken := 0
	for _, in := range corpus {
		if checkFast(t, []byte(in)) {
			taken++
		}
	}
	t.Logf("fast path took %d of %d inputs", taken, len(corpus))
	for _, must := range []string{commented, string(assets.Example), reposFile(1000)} {
		if _, ok := fastParse([]byte(must)); !ok {
			t.Errorf("the fast path declines a common file:\n%s", must[:min(len(must), 300)])
		}
	}
}

// badBody returns the content a bad-input case writes, for content cases.
func badBody(make badFile) (string, bool) {
	dir, err := tempDir()
	if err != nil {
		return "", false
	}
	defer removeAll(dir)
	t := &testing.T{}
	path := make(t, dir)
	data, err := readRegular(path)
	return string(data), err == nil && len(data) < 1<<20
}

func FuzzFastParse(f *testing.F) {
	for _, s := range []string{commented, string(assets.Example), reposFile(2), "a: [x, {y: z}]\n", "- a: 'b'\n  c: \"d\"\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFast(t, data)
	})
}

func tempDir() (string, error) { return os.MkdirTemp("", "fastparse") }
func removeAll(dir string)     { os.RemoveAll(dir) }
func readRegular(p string) ([]byte, error) {
	info, err := os.Stat(p)
	if err != nil || !info.Mode().IsRegular() {
		return nil, fmt.Errorf("not regular")
	}
	return os.ReadFile(p)
}

// TestFastParseRandomDocuments builds documents from the pieces settings
// files are made of, in random order and indentation, so that many of them
// fall inside the fast path's subset and are compared with yaml.v3.
func TestFastParseRandomDocuments(t *testing.T) {
	t.Parallel() // pure parsing of its own inputs
	pieces := []string{"a:", "b: 1", "key: docker-local", "- x", "- {key: a, port: 1}", "- k: v", "-", "c: [x, y]", "d: {e: f}",
		"# comment", "", "e: 'it''s'", "f: \"q\"", "g: ~", "h: a b # c", "i: x:y", "j: -1", "k: [ ]", "l: {}", "m: [a,b]",
		"n: {a: [b, {c: d}]}", "o: [\"x\", 'y']", "p: ü", "q: a#b", "r: [a #b]", "s: 'x' y", "t: [a, ]", "u: {a: 1,}", "v:  w",
		"w: x: y", "x: -", "y: ?", "z: :", "aa: [:a]", "ab: {a:b}", "ac: [a: b]", "ad: {a: b c}", "ae: a  ", "af: [a] b", "- - a",
		"ag: \"a'b\"", "ah: 'a\"b'", "ai: [\"a,b\"]", "aj: 1.5", "ak: true", "-a", "? a", "al: |", "am: &x 1", "an: *x"}
	common := []string{"a:", "b: 1", "c: [x, y]", "d: {e: f}", "- x", "- {key: a, port: 1}", "- k: v", "  k2: v2", "# comment", "", "e: 'it''s'", "g: ~"}
	r := rand.New(rand.NewPCG(3, 4))
	taken := 0
	const runs = 20_000
	for range runs {
		var b strings.Builder
		for range 1 + r.IntN(8) {
			b.WriteString(strings.Repeat(" ", r.IntN(3)*2))
			if r.IntN(4) == 0 {
				b.WriteString(pieces[r.IntN(len(pieces))])
			} else {
				b.WriteString(common[r.IntN(len(common))])
			}
			b.WriteString([]string{"\n", "\n", "\n", "\r\n", " \n", "  # t\n"}[r.IntN(6)])
		}
		if checkFast(t, []byte(b.String())) {
			taken++
		}
	}
	t.Logf("fast path took %d of %d random documents", taken, runs)
}
