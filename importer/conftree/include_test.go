package conftree

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestChainLoop(t *testing.T) {
	a := &Node{Name: "include", Args: []string{"b.conf"}, File: "a.conf", Line: 3}
	b := &Node{Name: "include", Args: []string{"a.conf"}, File: "b.conf", Line: 1}
	chain := Chain{{File: "a.conf"}}.Then("b.conf", a)
	tests := []struct {
		name, file string
		by         *Node
		want       string
	}{
		{"no loop", "c.conf", b, ""},
		{"back to the first", "a.conf", b, "b.conf:1: include loop: a.conf includes b.conf (a.conf:3), which includes a.conf (b.conf:1) again"},
		{"itself", "b.conf", b, "b.conf:1: include loop: b.conf includes b.conf (b.conf:1) again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := chain.Loop(tt.file, tt.by)
			if got := errText(err); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	// Then leaves the chain it extends as it was: siblings share it.
	first, second := chain.Then("x.conf", b), chain.Then("y.conf", b)
	if first[2].File != "x.conf" || second[2].File != "y.conf" || len(chain) != 2 {
		t.Errorf("siblings share their ends: %v %v", first, second)
	}
}

func TestExpand(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.conf", "a.conf", "c.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	n := &Node{Name: "IncludeOptional", Args: []string{"x"}, File: "main.conf", Line: 2}
	tests := []struct {
		name, pattern string
		want          []string
		err           string
	}{
		{"a plain name, even missing", filepath.Join(dir, "none.conf"), []string{filepath.Join(dir, "none.conf")}, ""},
		{"a glob, in name order", filepath.Join(dir, "*.conf"), []string{filepath.Join(dir, "a.conf"), filepath.Join(dir, "b.conf")}, ""},
		{"a glob matching nothing", filepath.Join(dir, "*.none"), nil, ""},
		{"a bad pattern", filepath.Join(dir, "[.conf"), nil, "main.conf:2: IncludeOptional x: syntax error in pattern"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Expand(n, tt.pattern)
			if errText(err) != tt.err || !slices.Equal(got, tt.want) {
				t.Errorf("%v %v, want %v %q", got, err, tt.want, tt.err)
			}
		})
	}
}

func TestBudget(t *testing.T) {
	var b Budget
	for i := range MaxFiles {
		if err := b.Add("f.conf", 1); err != nil {
			t.Fatalf("file %d: %v", i+1, err)
		}
	}
	if err := b.Add("one-more.conf", 1); !strings.Contains(errText(err), "one-more.conf: more than 512 files through includes") {
		t.Errorf("file %d: %v", MaxFiles+1, err)
	}
	b = Budget{}
	if err := b.Add("big.conf", MaxTotal+1); !strings.Contains(errText(err), "big.conf: the files read through includes pass 16 MiB") {
		t.Errorf("past MaxTotal: %v", err)
	}
}

func TestWithInclude(t *testing.T) {
	n := &Node{Name: "include", File: "main.conf", Line: 7}
	err := WithInclude(&Error{Pos: Pos{File: "b.conf"}, Message: "file does not exist", Err: os.ErrNotExist}, n)
	if errText(err) != "b.conf: file does not exist (included at main.conf:7)" {
		t.Errorf("got %q", errText(err))
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
