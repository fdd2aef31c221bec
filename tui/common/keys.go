package common

import "charm.land/bubbles/v2/key"

// Keys holds every binding of the wizard once; each screen picks its own
// set through a small keymap type implementing help.KeyMap, so the help line
// always shows what works where the focus is.
type Keys struct {
	Quit, Help, HelpInText, Back, Preview, Save key.Binding
	Undo                                        key.Binding
	NextStep, PrevStep, Steps                   key.Binding
	Next, Prev, Enter                           key.Binding
	Toggle, Choose                              key.Binding
	RowUp, RowDown, NextCol, PrevCol            key.Binding
	AddRow, DeleteRow                           key.Binding
	PageUp, PageDown                            key.Binding
	MenuUp, MenuDown, Select, QuitQ             key.Binding
	Yes, No                                     key.Binding

	// The LDAP screen.
	Edit, Add, Delete, ToggleEnabled key.Binding
	Test, Export, TestForm           key.Binding
	ExportForm                       key.Binding
	Run, Cancel, Leave               key.Binding
	Write, WriteConfirm, WriteCancel key.Binding
}

// NewKeys returns the wizard's bindings.
func NewKeys() Keys {
	b := func(help, desc string, k ...string) key.Binding {
		return key.NewBinding(key.WithKeys(k...), key.WithHelp(help, desc))
	}
	return Keys{
		Quit: b("ctrl+c", "quit", "ctrl+c"),
		// "?" is the help key on every screen, except where it is text
		// being typed into a field: there f1 does the same.
		Help:       b("?", "keys", "?", "f1"),
		HelpInText: b("f1", "keys", "f1"),
		Back:       b("esc", "back", "esc"),
		Preview:    b("ctrl+p", "preview", "ctrl+p"),
		Save:       b("ctrl+s", "save", "ctrl+s"),
		Undo:       b("ctrl+z", "undo", "ctrl+z"),
		NextStep:   b("pgdn", "next step", "pgdown"),
		PrevStep:   b("pgup", "previous step", "pgup"),
		Steps:      b("pgdn/pgup", "step", "pgdown", "pgup"),
		Next:       b("tab/↓", "next", "tab", "down"),
		Prev:       b("shift+tab/↑", "previous", "shift+tab", "up"),
		Enter:      b("enter", "next", "enter"),
		Toggle:     b("space", "toggle", "space", "x"),
		Choose:     b("←/→", "choose", "left", "right", "space"),
		RowUp:      b("↑", "row up", "up"),
		RowDown:    b("↓", "row down", "down"),
		NextCol:    b("tab", "next column", "tab"),
		PrevCol:    b("shift+tab", "previous column", "shift+tab"),
		AddRow:     b("ctrl+n", "add row", "ctrl+n"),
		DeleteRow:  b("ctrl+d", "delete row", "ctrl+d"),
		PageUp:     b("pgup", "page up", "pgup"),
		PageDown:   b("pgdn", "page down", "pgdown"),
		MenuUp:     b("↑", "up", "up", "k"),
		MenuDown:   b("↓", "down", "down", "j"),
		Select:     b("enter", "open", "enter"),
		QuitQ:      b("q", "quit", "q"),
		Yes:        b("y", "yes", "y", "Y"),
		No:         b("n/esc", "no", "n", "N", "esc"),

		Edit:          b("enter", "edit", "enter"),
		Add:           b("ctrl+n", "add", "ctrl+n"),
		Delete:        b("ctrl+d", "delete", "ctrl+d"),
		ToggleEnabled: b("space", "enable/disable", "space", "x"),
		Test:          b("t", "test a login", "t", "ctrl+t"),
		Export:        b("e", "export", "e", "ctrl+e"),
		TestForm:      b("ctrl+t", "test a login", "ctrl+t"),
		ExportForm:    b("ctrl+e", "export", "ctrl+e"),
		Run:           b("enter", "run the test", "enter", "ctrl+r"),
		Cancel:        b("esc", "cancel the test", "esc"),
		Leave:         b("esc", "back", "esc"),
		Write:         b("w", "write to a file", "w", "ctrl+w"),
		WriteConfirm:  b("enter", "write", "enter"),
		WriteCancel:   b("esc", "cancel", "esc"),
	}
}

// WithHelp copies a binding with other help text.
func WithHelp(b key.Binding, keyText, desc string) key.Binding {
	b.SetHelp(keyText, desc)
	return b
}

// HelpKey is the help binding as the help line names it: "?" where "?" opens
// the help, "f1" where the focus is in a text field and "?" is typed.
func (k *Keys) HelpKey(typing bool, desc string) key.Binding {
	if typing {
		return WithHelp(k.HelpInText, "f1", desc)
	}
	return WithHelp(k.Help, "?", desc)
}
