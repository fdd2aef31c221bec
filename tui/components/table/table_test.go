package table

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"frontdoor/finding"
	"frontdoor/tui/common"
)

type rows struct{ keys []string }

func newTable() *Table[rows] {
	return &Table[rows]{
		Path: "repos", Noun: "repository",
		Columns: []Column[rows]{{
			Title: "KEY", Width: 12,
			Get: func(s *rows, r int) string { return s.keys[r] },
			Set: func(s *rows, r int, v string) { s.keys[r] = v },
		}},
		Count: func(s *rows) int { return len(s.keys) },
	}
}

// drawn are the keys of the rows a layout shows.
func drawn(lines []string, s *rows) []string {
	var out []string
	for _, l := range lines {
		l = ansi.Strip(l)
		for _, k := range s.keys {
			if strings.Contains(l, " "+k+" ") || strings.HasSuffix(l, " "+k) {
				out = append(out, k)
			}
		}
	}
	return out
}

// The trial's Docker table: rows with three-line errors under them scroll
// the window down to the cursor on row 3; once the errors are gone (another
// method) every row fits, and the window shows them all instead of rows 2-3
// above blank lines.
func TestWindowFillsWhenRowsGetShorter(t *testing.T) {
	st := common.NewStyles(true, true)
	s := &rows{keys: []string{"one", "two", "three"}}
	tb := newTable()
	long := strings.Repeat("a long reason that wraps ", 5)
	var errs finding.Findings
	for i := range s.keys {
		errs = append(errs, finding.Finding{Path: tb.RowPath(i), Severity: finding.Error, Message: long})
	}
	tb.SetCursor(s, 2, 0)
	view := View[rows]{Styles: &st, Doc: s, Index: common.NewFindingIndex(errs), Focused: true, Editor: "three", Width: 60, MaxRows: 9}
	if got := drawn(tb.Layout(view), s); len(got) == 3 {
		t.Fatalf("every row fits with its errors: %v", got)
	}
	view.Index = common.NewFindingIndex(nil)
	if got := drawn(tb.Layout(view), s); strings.Join(got, ",") != "one,two,three" {
		t.Fatalf("rows without errors: %v drawn", got)
	}
}
