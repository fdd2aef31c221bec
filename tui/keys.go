package tui

import "charm.land/bubbles/v2/key"

// keys holds every binding once; each screen picks its own set through a
// small keymap type implementing help.KeyMap, so the help line always shows
// what works where the focus is.
type keys struct {
	Quit, Help, Back, Preview, Save  key.Binding
	NextStep, PrevStep, Steps        key.Binding
	Next, Prev, Enter                key.Binding
	Toggle, Choose                   key.Binding
	RowUp, RowDown, NextCol, PrevCol key.Binding
	AddRow, DeleteRow                key.Binding
	ScrollUp, ScrollDown             key.Binding
	PageUp, PageDown, Top, Bottom    key.Binding
	MenuUp, MenuDown, Select, QuitQ  key.Binding
	Yes, No                          key.Binding
}

func newKeys() keys {
	b := func(help, desc string, k ...string) key.Binding {
		return key.NewBinding(key.WithKeys(k...), key.WithHelp(help, desc))
	}
	return keys{
		Quit:       b("ctrl+c", "quit", "ctrl+c"),
		Help:       b("?", "keys", "?", "f1"),
		Back:       b("esc", "back", "esc"),
		Preview:    b("ctrl+p", "preview", "ctrl+p"),
		Save:       b("ctrl+s", "save", "ctrl+s"),
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
		ScrollUp:   b("↑", "scroll up", "up", "k"),
		ScrollDown: b("↓", "scroll down", "down", "j"),
		PageUp:     b("pgup", "page up", "pgup"),
		PageDown:   b("pgdn", "page down", "pgdown", "space"),
		Top:        b("home", "top", "home", "g"),
		Bottom:     b("end", "bottom", "end", "G"),
		MenuUp:     b("↑", "up", "up", "k"),
		MenuDown:   b("↓", "down", "down", "j"),
		Select:     b("enter", "open", "enter"),
		QuitQ:      b("q", "quit", "q"),
		Yes:        b("y", "yes", "y", "Y"),
		No:         b("n/esc", "no", "n", "N", "esc"),
	}
}

// homeKeyMap is the help of the home menu.
type homeKeyMap struct{ k *keys }

func (h homeKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{h.k.MenuUp, h.k.MenuDown, h.k.Select, h.k.QuitQ, h.k.Help}
}

func (h homeKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{h.k.MenuUp, h.k.MenuDown, h.k.Select}, {h.k.Save, h.k.QuitQ, h.k.Quit, h.k.Help}}
}

// formKeyMap is the help of an HTTP step; it depends on the focused item.
type formKeyMap struct {
	k      *keys
	focus  itemKind
	narrow bool // the preview is toggled rather than shown beside the form
}

func (f formKeyMap) itemKeys() []key.Binding {
	switch f.focus {
	case itemToggle:
		return []key.Binding{f.k.Toggle}
	case itemChoice:
		return []key.Binding{f.k.Choose}
	case itemTable:
		return []key.Binding{f.k.AddRow, f.k.DeleteRow}
	case itemButton:
		return []key.Binding{withHelp(f.k.Enter, "enter", "activate")}
	}
	return nil
}

func (f formKeyMap) ShortHelp() []key.Binding {
	item := f.itemKeys()
	if f.focus == itemTable {
		item = []key.Binding{withHelp(f.k.AddRow, "ctrl+n", "add"), withHelp(f.k.DeleteRow, "ctrl+d", "delete")}
	}
	out := append(item, withHelp(f.k.Next, "tab", "next"), f.k.Steps)
	if f.narrow {
		out = append(out, f.k.Preview)
	}
	return append(out, f.k.Help)
}

func (f formKeyMap) FullHelp() [][]key.Binding {
	move := []key.Binding{f.k.Next, f.k.Prev, f.k.Enter}
	if f.focus == itemTable {
		move = []key.Binding{f.k.RowUp, f.k.RowDown, f.k.NextCol, f.k.PrevCol, withHelp(f.k.Enter, "enter", "next row")}
	}
	move = append(move, f.k.NextStep, f.k.PrevStep)
	preview := withHelp(f.k.Preview, "ctrl+p", "focus the preview")
	if f.narrow {
		preview = withHelp(f.k.Preview, "ctrl+p", "show the preview")
	}
	edit := append(f.itemKeys(), f.k.Save, preview)
	return [][]key.Binding{move, edit, {f.k.Back, f.k.Quit, withHelp(f.k.Help, "?", "close help")}}
}

// previewKeyMap is the help while the preview has the focus.
type previewKeyMap struct{ k *keys }

func (p previewKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{p.k.ScrollUp, p.k.ScrollDown, p.k.PageUp, p.k.PageDown, withHelp(p.k.Back, "esc", "back to the form"), p.k.Help}
}

func (p previewKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{p.k.ScrollUp, p.k.ScrollDown}, {p.k.PageUp, p.k.PageDown, p.k.Top, p.k.Bottom}, {withHelp(p.k.Back, "esc/ctrl+p", "back to the form"), p.k.Quit}}
}

// confirmKeyMap is the help of a yes/no question.
type confirmKeyMap struct{ k *keys }

func (c confirmKeyMap) ShortHelp() []key.Binding  { return []key.Binding{c.k.Yes, c.k.No} }
func (c confirmKeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{c.ShortHelp()} }

// ldapKeyMap is the help of the LDAP screen.
type ldapKeyMap struct{ k *keys }

func (l ldapKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{withHelp(l.k.Back, "esc", "home"), l.k.Quit}
}
func (l ldapKeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{l.ShortHelp()} }

// withHelp copies a binding with other help text.
func withHelp(b key.Binding, keyText, desc string) key.Binding {
	b.SetHelp(keyText, desc)
	return b
}
