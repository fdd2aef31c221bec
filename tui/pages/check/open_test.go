package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// A CA file set without keys (accessible mode's answer, a path kept from
// an earlier visit) is read when the screen opens: Open returns the read,
// so the field's finding is there before any key or run.
func TestOpenReadsTheCAFile(t *testing.T) {
	s, _ := subdomainDoor(t)
	p := newPage(t, s)
	bad := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(bad, []byte("not a certificate\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	in, _ := p.Questions()
	in.CAFile = bad
	cmd := p.Open(false)
	if cmd == nil {
		t.Fatal("Open read nothing for a CA file set without keys")
	}
	if f := p.caFinding(); f != nil {
		t.Fatalf("a finding before the answer: %+v", f)
	}
	settle(t, p, cmd)
	f := p.caFinding()
	if f == nil {
		t.Fatal("no finding for a CA file that holds no certificate")
	}
	p.Layout(80, 24)
	if screen := ansi.Strip(p.Render()); !strings.Contains(screen, "✗ "+f.Message[:20]) {
		t.Errorf("the finding is not under the field:\n%s", screen)
	}
	// Opened again: the file may have changed meanwhile, so it is read again.
	if p.Open(false) == nil {
		t.Error("opening again did not read the CA file again")
	}
	// No CA file: nothing to read.
	in.CAFile = ""
	if p.Open(false) != nil {
		t.Error("Open read a CA file when none is given")
	}
}

// The status line belongs to the screen on show: a run's news while the
// screen is away waits for its return, and opening the screen clears what
// another screen left there.
func TestNewsWaitsForTheScreen(t *testing.T) {
	s, _ := subdomainDoor(t)
	p := newPage(t, s)
	p.say("check: the door works")
	if got := p.status.String(); got != "check: the door works" {
		t.Fatalf("on show: status %q", got)
	}
	p.SetShown(false)
	p.status.Set("LDAP settings saved")
	p.say("check: the door does not work: 6 steps failed")
	if got := p.status.String(); got != "LDAP settings saved" {
		t.Fatalf("another screen's status line took the check's news: %q", got)
	}
	p.Open(false)
	if got := p.status.String(); got != "check: the door does not work: 6 steps failed" {
		t.Fatalf("back on the screen: status %q, want the verdict that came meanwhile", got)
	}
	p.SetShown(false)
	p.status.Set("LDAP settings saved")
	p.Open(false)
	if got := p.status.String(); got != "" {
		t.Fatalf("the screen opened with another screen's news: %q", got)
	}
}

// When the fields and the results do not both fit (a two-line status at
// 80x24, a hint under the focused field), the blank line goes, then the
// fields scroll around the focused one; the results' title stays and the
// results keep a third of the height.
func TestLayoutSharesTheHeight(t *testing.T) {
	s, _ := subdomainDoor(t)
	for _, tc := range []struct {
		height int
		want   []string // on screen
		scroll bool     // the fields scroll ("↓ more")
	}{
		{19, []string{"Test against", "not an IP address", "Empty: DNS.", "CA file", "Docker user", "[ Check ]", "Results"}, false},
		{14, []string{"Test against", "not an IP address", "Empty: DNS.", "Results"}, true},
	} {
		p := newPage(t, s)
		p.inputs.Address = "artifactory.local"
		p.form.SetFocus(fieldAddress)
		p.form.Load()
		p.Layout(80, tc.height)
		screen := ansi.Strip(p.Render())
		lines := strings.Split(screen, "\n")
		if len(lines) != tc.height {
			t.Errorf("height %d: %d lines drawn", tc.height, len(lines))
		}
		for _, w := range tc.want {
			if !strings.Contains(screen, w) {
				t.Errorf("height %d: %q is not on screen:\n%s", tc.height, w, screen)
			}
		}
		if got := strings.Contains(screen, "↓ more"); got != tc.scroll {
			t.Errorf("height %d: fields scroll %v, want %v:\n%s", tc.height, got, tc.scroll, screen)
		}
		if results := tc.height - p.resultsTop; results < max(3, tc.height/3) {
			t.Errorf("height %d: %d lines for the results:\n%s", tc.height, results, screen)
		}
	}
}
