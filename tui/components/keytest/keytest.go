// Package keytest is what tests of the wizard's pages and components share
// to drive them as a terminal would: key presses by name, and running the
// commands a key starts on the test's goroutine. Only tests import it.
package keytest

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// named are the keys a test names rather than types.
var named = map[string]tea.KeyPressMsg{
	"enter":     {Code: tea.KeyEnter},
	"tab":       {Code: tea.KeyTab},
	"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
	"esc":       {Code: tea.KeyEscape},
	"up":        {Code: tea.KeyUp},
	"down":      {Code: tea.KeyDown},
	"left":      {Code: tea.KeyLeft},
	"right":     {Code: tea.KeyRight},
	"pgup":      {Code: tea.KeyPgUp},
	"pgdown":    {Code: tea.KeyPgDown},
	"home":      {Code: tea.KeyHome},
	"end":       {Code: tea.KeyEnd},
	"space":     {Code: tea.KeySpace, Text: " "},
	"backspace": {Code: tea.KeyBackspace},
	"f1":        {Code: tea.KeyF1},
}

// Key is the key press a terminal sends for a name as bubbletea spells it:
// "tab", "shift+tab", "ctrl+r", "pgdown", "space"; one character is typed.
// Anything else panics, so a misspelt name is not typed as its first letter.
func Key(name string) tea.KeyPressMsg {
	if k, ok := named[name]; ok {
		return k
	}
	if c, ok := strings.CutPrefix(name, "ctrl+"); ok && len(c) == 1 {
		return tea.KeyPressMsg{Code: rune(c[0]), Mod: tea.ModCtrl}
	}
	if r := []rune(name); len(r) == 1 {
		return tea.KeyPressMsg{Code: r[0], Text: name}
	}
	panic("keytest: no key " + name)
}

// Settle runs cmd and every command its messages lead to, in order, on this
// goroutine: batches are opened, nil messages dropped, and every other
// message is handed to deliver, whose command joins the queue.
func Settle(cmd tea.Cmd, deliver func(tea.Msg) tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			queue = append(queue, deliver(msg))
		}
	}
}
