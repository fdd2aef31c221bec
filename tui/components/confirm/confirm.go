// Package confirm is a question drawn over the screen: yes or no, or one of
// a few choices (the quit dialog, the conflict dialog), with an optional
// scrollable text under it (what changed on disk). The root model owns it:
// it routes keys to it while it is open and runs the action of the answer.
package confirm

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"frontdoor/tui/common"
	"frontdoor/tui/components/scroller"
)

// Dialog is one question. OnYes runs when the answer is yes.
type Dialog struct {
	Question, Detail string
	Yes, No          string // what each answer does: "quit", "keep editing"
	OnYes            func() tea.Cmd

	// Choices replace yes and no when set: each answer has its keys; esc
	// and ctrl+c cancel (OnCancel, when set).
	Choices  []Choice
	OnCancel func() tea.Cmd
	// Body is text under the detail, scrolled with ↑/↓, pgup/pgdn (what
	// changed on disk); nil: none. Size it with Fit.
	Body *scroller.Model

	picked int
}

// Choice is one answer of a dialog with choices.
type Choice struct {
	Keys  []string // "r"; the first is shown
	Label string   // "reload (take theirs)"
	Do    func() tea.Cmd
}

// Answer is what a key did to the question.
type Answer int

const (
	Open   Answer = iota // not an answer: the question stays
	Yes                  // yes, or a choice (Picked says which)
	No                   // no, or cancel
	Picked               // one of Choices (Picked)
)

// Update reads an answer: y, or n / esc / ctrl+c; with choices, a choice's
// key, or esc / n / ctrl+c to cancel. Other keys scroll the body.
func (d *Dialog) Update(keys *common.Keys, k tea.KeyPressMsg) Answer {
	if len(d.Choices) > 0 {
		for i, c := range d.Choices {
			for _, ck := range c.Keys {
				if k.String() == ck {
					d.picked = i
					return Picked
				}
			}
		}
		// n is "no" in every question: here, cancel.
		if k.String() == "esc" || k.String() == "n" || key.Matches(k, keys.Quit) {
			return No
		}
		d.scroll(k)
		return Open
	}
	switch {
	case key.Matches(k, keys.Yes):
		return Yes
	case key.Matches(k, keys.No), key.Matches(k, keys.Quit):
		return No
	}
	d.scroll(k)
	return Open
}

func (d *Dialog) scroll(k tea.KeyPressMsg) {
	if d.Body == nil {
		return
	}
	switch k.String() {
	case "up", "down", "pgup", "pgdown", "home", "end", "k", "j", "g", "G", "left", "right", "w":
		d.Body.Update(k)
	}
}

// Wheel scrolls the body.
func (d *Dialog) Wheel(msg tea.MouseWheelMsg) {
	if d.Body != nil {
		d.Body.Update(msg)
	}
}

// Run is the action of an answer Update returned: OnYes, the picked
// choice's, or OnCancel (nil when there is none).
func (d *Dialog) Run(a Answer) tea.Cmd {
	var do func() tea.Cmd
	switch a {
	case Yes:
		do = d.OnYes
	case Picked:
		do = d.Choices[d.picked].Do
	case No:
		do = d.OnCancel
	}
	if do == nil {
		return nil
	}
	return do()
}

// inner is the width of the text inside the box.
func inner(width int) int { return max(10, min(72, width-6)) }

// Fit sizes the body for a screen of width x height: the box keeps a line
// above and below it.
func (d *Dialog) Fit(width, height int) {
	if d.Body == nil {
		return
	}
	w := inner(width)
	fixed := 2 + len(common.WrapText(d.Detail, w)) + 2 + len(d.answerLines(nil, w)) + 2 // heading, detail, gaps, answers, border
	// Wrapped: a line may take several rows.
	rows := d.Body.Rows(w)
	h := max(3, min(rows, height-2-fixed))
	d.Body.SetSize(w, h)
	d.Body.ShowStatus(rows > h)
}

// answerLines are the keys and what each does, wrapped to width.
func (d *Dialog) answerLines(st *common.Styles, width int) []string {
	bold := func(s string) string { return s }
	subtle := bold
	if st != nil {
		bold, subtle = func(s string) string { return st.Bold.Render(s) }, func(s string) string { return st.Subtle.Render(s) }
	}
	var parts []string
	if len(d.Choices) == 0 {
		parts = []string{bold("y") + " " + d.Yes, bold("n") + " " + d.No}
	} else {
		for _, c := range d.Choices {
			parts = append(parts, bold(c.Keys[0])+" "+c.Label)
		}
		parts = append(parts, bold("esc")+" cancel")
	}
	sep := subtle("  ·  ")
	var lines []string
	line := ""
	for _, p := range parts {
		if line != "" && ansi.StringWidth(line)+ansi.StringWidth(sep)+ansi.StringWidth(p) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += sep
		}
		line += p
	}
	return append(lines, line)
}

// Render draws the dialog box, at most width cells wide.
func (d *Dialog) Render(st *common.Styles, width int) string {
	w := inner(width)
	if d.Body == nil {
		w = min(56, width-4)
	}
	lines := []string{st.Heading.Render(d.Question), ""}
	lines = append(lines, common.WrapText(d.Detail, w)...)
	if d.Body != nil {
		lines = append(lines, "")
		lines = append(lines, strings.Split(d.Body.Render(), "\n")...)
	}
	lines = append(lines, "")
	lines = append(lines, d.answerLines(st, w)...)
	return st.PanelFocused.Width(w + 4).Render(strings.Join(lines, "\n"))
}

// Text is the dialog as plain lines, for accessible mode to read out.
func (d *Dialog) Text() []string {
	return append([]string{d.Question, d.Detail}, d.answerLines(nil, 1<<20)...)
}

// KeyMap is the help of a question.
type KeyMap struct {
	Keys   *common.Keys
	Dialog *Dialog
}

func (c KeyMap) ShortHelp() []key.Binding {
	if c.Dialog == nil || len(c.Dialog.Choices) == 0 {
		return []key.Binding{c.Keys.Yes, c.Keys.No}
	}
	var out []key.Binding
	for _, ch := range c.Dialog.Choices {
		out = append(out, key.NewBinding(key.WithKeys(ch.Keys...), key.WithHelp(ch.Keys[0], firstWord(ch.Label))))
	}
	out = append(out, key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")))
	if c.Dialog.Body != nil {
		out = append(out, key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "scroll")))
	}
	return out
}

func (c KeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{c.ShortHelp()} }

func firstWord(s string) string {
	w, _, _ := strings.Cut(s, " (")
	return w
}
