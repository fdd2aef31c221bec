package finding

import (
	"fmt"
	"strings"
	"testing"
)

func TestDedupCollapsesTheSameFindingOnManyRows(t *testing.T) {
	var fs Findings
	for i := range 10_000 {
		fs = append(fs, Finding{Path: fmt.Sprintf("proxy.docker.repositories[%d].key", i), Severity: Error,
			Message: fmt.Sprintf(`"a" is listed twice (also repositories[%d])`, (i+1)%10_000)})
	}
	fs = append(fs, Finding{Path: "proxy.serverName", Severity: Warning, Message: "w"}, Finding{Path: "proxy.serverName", Severity: Warning, Message: "w"})
	got := fs.Dedup()
	if len(got) != 2 || got[0].Also != 9_999 || got[0].Path != "proxy.docker.repositories[0].key" || got[1].Also != 1 {
		t.Fatalf("Dedup = %+v", got)
	}
	if want := `proxy.docker.repositories[0].key: error: "a" is listed twice (also repositories[1]) (and 9,999 more like it)`; got[0].String() != want {
		t.Errorf("String() = %q\nwant %q", got[0].String(), want)
	}
}

func TestLinesCapsInOnePlace(t *testing.T) {
	var fs Findings
	for i := range 120 {
		fs = append(fs, Finding{Path: fmt.Sprintf("p%d", i), Severity: Severity(min(i%6, 1)), Message: "m"}) // 20 errors, 100 warnings
	}
	lines := fs.Lines(0)
	if len(lines) != Limit+1 || lines[Limit] != "… and 70 more" {
		t.Fatalf("%d lines, last %q", len(lines), lines[len(lines)-1])
	}
	if !strings.Contains(lines[19], "error") || !strings.Contains(lines[20], "warning") {
		t.Errorf("errors first: %q … %q", lines[19], lines[20])
	}
	if n := strings.Count(fs.String(), "\n"); n != Limit+1 {
		t.Errorf("String() has %d lines, want %d", n, Limit+1)
	}
	if got := fs.Lines(5); len(got) != 6 {
		t.Errorf("Lines(5) = %d lines", len(got))
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := Count(n); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}
