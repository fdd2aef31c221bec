package config

import (
	"math/rand/v2"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"frontdoor/assets"
)

// propertyRuns is how many random edits TestRandomEditsKeepEveryComment
// makes: a fixed seed and a modest count by default (CI), more with
// FRONTDOOR_PROPERTY_RUNS=100000 and another FRONTDOOR_PROPERTY_SEED locally.
func propertyRuns(t *testing.T) (runs int, seed uint64) {
	runs, seed = 400, 1
	if s := os.Getenv("FRONTDOOR_PROPERTY_RUNS"); s != "" {
		runs, _ = strconv.Atoi(s)
	}
	if s := os.Getenv("FRONTDOOR_PROPERTY_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("%d runs, seed %d", runs, seed)
	return runs, seed
}

// Texts and numbers that stress quoting and YAML's own types.
var (
	randomTexts = []string{"a.example.com", "", " lead", "trail ", "a: b", "#x", "x #y", "yes", "No", "123", "0x1F", "1e3",
		"null", "~", "it's", `quo"te`, "back\\slash", "ünïcödé", "[x]", "{y}", "a,b", "-dash", "- item", "*star", "&amp", "!bang",
		"%pct", "@at", "`tick", "|pipe", ">gt", "line\nbreak", "tab\there", "2024-01-02", "<<", "?q", ":colon", "colon:",
		strings.Repeat("long ", 30), "(uid={0})", "ldap://h:389/dc=x,dc=y", "/etc/ssl/a.pem", "X-Header"}
	randomInts = []int{0, 1, 80, 443, 5001, 65535, -1, 99999, 8082}
)

func TestRandomEditsKeepEveryComment(t *testing.T) {
	t.Parallel() // pure parsing of its own inputs
	sources := map[string]string{
		"commented": commented,
		"example":   string(assets.Example),
		"crlf":      strings.ReplaceAll(commented, "\n", "\r\n"),
		"anchors":   "proxy:\n  serverName: &n a.example.com  # anchored\n  http: &h {enabled: true, port: 80}\n  https:\n    <<: *h\n    port: 443\n  nodes: [*n]\n",
		"sparse":    "# only a comment\n\nldap:\n  # nothing yet\n  settings: []\n",
	}
	names := []string{"commented", "example", "crlf", "anchors", "sparse"}
	runs, seed := propertyRuns(t)
	r := rand.New(rand.NewPCG(seed, 0))
	for i := range runs {
		name := names[r.IntN(len(names))]
		src := sources[name]
		var steps []string
		// Two rounds: an edit of the person's file, then an edit of ours.
		for round := range 2 {
			f, doc, err := decode([]byte(src))
			if err != nil {
				t.Fatalf("run %d (%s) round %d: the input does not load: %v\n%s", i, name, round, err, src)
			}
			g := f.Clone()
			for range 1 + r.IntN(4) {
				steps = append(steps, randomEdit(r, reflect.ValueOf(g).Elem(), ""))
			}
			out, ok := edit([]byte(src), doc, f, g)
			if !ok {
				t.Fatalf("run %d (%s): edits %v could not be placed in:\n%s", i, name, steps, src)
			}
			back, _, err := decode(out)
			if err != nil {
				t.Fatalf("run %d (%s): edits %v: the output does not load: %v\n%s", i, name, steps, err, out)
			}
			if !back.Equal(g) {
				t.Fatalf("run %d (%s): edits %v: the output holds other settings: %v\n%s", i, name, steps, Diff(g, back), out)
			}
			if lost := lostComments(src, string(out)); len(lost) > 0 {
				t.Fatalf("run %d (%s): edits %v lost comment lines %q:\n%s", i, name, steps, lost, out)
			}
			src = string(out)
		}
	}
}

// lostComments returns the comment lines of a that b does not have (as
// many times as a has them).
func lostComments(a, b string) []string {
	have := map[string]int{}
	for _, l := range strings.Split(b, "\n") {
		have[strings.TrimSpace(l)]++
	}
	var lost []string
	for _, l := range strings.Split(a, "\n") {
		l = strings.TrimSpace(l)
		if !strings.HasPrefix(l, "#") {
			continue
		}
		if have[l] == 0 {
			lost = append(lost, l)
		}
		have[l]--
	}
	return lost
}

// randomEdit changes one thing somewhere in v, chosen uniformly among its
// values and lists, and says what it did.
func randomEdit(r *rand.Rand, v reflect.Value, path string) string {
	type spot struct {
		v    reflect.Value
		path string
	}
	var spots []spot
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.Struct:
			for _, f := range schemaOf(v.Type()).fields {
				walk(v.Field(f.index), joinKey(path, f.key))
			}
		case reflect.Slice:
			spots = append(spots, spot{v, path})
			for i := range v.Len() {
				walk(v.Index(i), path+"["+strconv.Itoa(i)+"]")
			}
		default:
			spots = append(spots, spot{v, path})
		}
	}
	walk(v, path)
	s := spots[r.IntN(len(spots))]
	switch s.v.Kind() {
	case reflect.String:
		s.v.SetString(randomTexts[r.IntN(len(randomTexts))])
	case reflect.Int:
		s.v.SetInt(int64(randomInts[r.IntN(len(randomInts))]))
	case reflect.Bool:
		s.v.SetBool(!s.v.Bool())
	case reflect.Slice:
		n := s.v.Len()
		switch op := r.IntN(5); {
		case op == 0 && n > 0: // delete one
			i := r.IntN(n)
			rest := reflect.AppendSlice(reflect.MakeSlice(s.v.Type(), 0, n-1), s.v.Slice(0, i))
			s.v.Set(reflect.AppendSlice(rest, s.v.Slice(i+1, n)))
			return s.path + " delete " + strconv.Itoa(i)
		case op == 1: // clear
			s.v.Set(reflect.MakeSlice(s.v.Type(), 0, 0))
			return s.path + " clear"
		default: // insert a new entry somewhere
			i := r.IntN(n + 1)
			elem := newElem(s.v.Type().Elem())
			e := reflect.New(elem.Type()).Elem()
			e.Set(elem)
			if e.Kind() == reflect.String {
				e.SetString(randomTexts[r.IntN(len(randomTexts))])
			} else {
				randomEdit(r, e, "")
			}
			out := reflect.AppendSlice(reflect.MakeSlice(s.v.Type(), 0, n+1), s.v.Slice(0, i))
			out = reflect.Append(out, e)
			s.v.Set(reflect.AppendSlice(out, s.v.Slice(i, n)))
			return s.path + " insert at " + strconv.Itoa(i)
		}
	}
	return s.path + " = " + strconv.Quote(flowText(s.v))
}
