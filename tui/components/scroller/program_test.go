package scroller

import (
	"encoding/base64"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// viewer is the smallest parent: it sizes the scroller, routes keys to it
// and quits after the command a key returned has run.
type viewer struct{ s Model }

func (v viewer) Init() tea.Cmd { return nil }

func (v viewer) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		v.s.SetSize(msg.Width, msg.Height)
	case tea.KeyPressMsg:
		if cmd := v.s.Update(msg); cmd != nil {
			return v, tea.Sequence(cmd, tea.Quit)
		}
	}
	return v, nil
}

func (v viewer) View() tea.View { return tea.NewView(v.s.Render()) }

// TestCopyReachesTheTerminal: in a real program, y writes the content to
// the terminal as OSC 52 (the terminal puts it on the clipboard).
func TestCopyReachesTheTerminal(t *testing.T) {
	t.Parallel()
	s := New(NoColorStyles())
	s.SetContent(highlight(snippet), snippet)
	s.ShowStatus(true)
	tm := teatest.NewTestModel(t, viewer{s}, teatest.WithInitialTermSize(60, 10))
	tm.Type("jy")
	out, err := io.ReadAll(tm.FinalOutput(t, teatest.WithFinalTimeout(10*time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(strings.Join(snippet, "\n")))
	if !strings.Contains(string(out), want) {
		t.Fatalf("no OSC 52 with the snippet in the output:\n%q", out)
	}
	if f := tm.FinalModel(t).(viewer).s.Flash(); f != "copied 20 lines (680 B) to the clipboard" {
		t.Errorf("flash %q", f)
	}
}
