// Package tuitest holds what the wizard's tests share across its screens'
// packages: one way to name a key press.
package tuitest

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// special are the key names tests use for keys that type no text.
var special = map[string]tea.KeyPressMsg{
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

// KeyPress turns a name into a key press: "tab", "ctrl+n", "pgdown";
// anything else is typed as text (its first character is the key).
func KeyPress(name string) tea.KeyPressMsg {
	if k, ok := special[name]; ok {
		return k
	}
	if strings.HasPrefix(name, "ctrl+") && len(name) == 6 {
		return tea.KeyPressMsg{Code: rune(name[5]), Mod: tea.ModCtrl}
	}
	r := []rune(name)[0]
	return tea.KeyPressMsg{Code: r, Text: name}
}
