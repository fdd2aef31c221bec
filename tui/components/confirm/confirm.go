// Package confirm is a yes/no question drawn over the screen. The root
// model owns it: it routes keys to it while it is open and runs the action
// of the answer.
package confirm

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"frontdoor/tui/common"
)

// Dialog is one question. OnYes runs when the answer is yes.
type Dialog struct {
	Question, Detail string
	Yes, No          string // what each answer does: "quit", "keep editing"
	OnYes            func() tea.Cmd
}

// Answer is what a key did to the question.
type Answer int

const (
	Open Answer = iota // not an answer: the question stays
	Yes
	No
)

// Update reads an answer: y, or n / esc / ctrl+c.
func (d *Dialog) Update(keys *common.Keys, k tea.KeyPressMsg) Answer {
	switch {
	case key.Matches(k, keys.Yes):
		return Yes
	case key.Matches(k, keys.No), key.Matches(k, keys.Quit):
		return No
	}
	return Open
}

// Render draws the dialog box, at most width cells wide.
func (d *Dialog) Render(st *common.Styles, width int) string {
	inner := min(56, width-4)
	lines := []string{st.Heading.Render(d.Question), ""}
	lines = append(lines, common.WrapText(d.Detail, inner)...)
	lines = append(lines, "", st.Bold.Render("y")+" "+d.Yes+st.Subtle.Render("  ·  ")+st.Bold.Render("n")+" "+d.No)
	return st.PanelFocused.Width(inner + 4).Render(strings.Join(lines, "\n"))
}

// KeyMap is the help of a question.
type KeyMap struct{ Keys *common.Keys }

func (c KeyMap) ShortHelp() []key.Binding  { return []key.Binding{c.Keys.Yes, c.Keys.No} }
func (c KeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{c.ShortHelp()} }
