package keytest

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

func TestKey(t *testing.T) {
	for _, tc := range []struct {
		name string
		want tea.KeyPressMsg
	}{
		{"tab", tea.KeyPressMsg{Code: tea.KeyTab}},
		{"shift+tab", tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}},
		{"ctrl+r", tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl}},
		{"space", tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}},
		{"é", tea.KeyPressMsg{Code: 'é', Text: "é"}},
	} {
		if got := Key(tc.name); got != tc.want {
			t.Errorf("Key(%q) = %#v, want %#v", tc.name, got, tc.want)
		}
		if got := Key(tc.name).String(); got != tc.name {
			t.Errorf("Key(%q) reads back as %q", tc.name, got)
		}
	}
}

func TestKeyUnknownPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Key(\"pagedown\") did not panic")
		}
	}()
	Key("pagedown")
}

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
