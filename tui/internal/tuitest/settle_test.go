package tuitest

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

type ping int

// Settle opens batches, skips nil commands and messages, and follows each
// delivered message's command until nothing is left.
func TestSettle(t *testing.T) {
	var got []ping
	send := func(p ping) tea.Cmd { return func() tea.Msg { return p } }
	deliver := func(msg tea.Msg) tea.Cmd {
		p := msg.(ping)
		got = append(got, p)
		if p < 3 {
			return send(p + 10)
		}
		return nil
	}
	Settle(tea.Batch(send(1), nil, func() tea.Msg { return nil }, send(2)), deliver)
	want := []ping{1, 2, 11, 12}
	if len(got) != len(want) {
		t.Fatalf("delivered %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("delivered %v, want %v", got, want)
		}
	}
}
