package tui

import "charm.land/bubbles/v2/key"

// ldapKeys are the LDAP screen's own bindings; the shared ones (move,
// toggle, back, save, help, quit) come from keys.
type ldapKeys struct {
	Edit, Add, Delete, ToggleEnabled key.Binding
	Test, Export, TestForm           key.Binding
	Run, Cancel, Leave               key.Binding
	Write, WriteConfirm, WriteCancel key.Binding
	ExportForm                       key.Binding
}

func newLDAPKeys() ldapKeys {
	b := func(help, desc string, k ...string) key.Binding {
		return key.NewBinding(key.WithKeys(k...), key.WithHelp(help, desc))
	}
	return ldapKeys{
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

// ldapListKeyMap is the help of the list of LDAP and group settings.
type ldapListKeyMap struct {
	k *keys
	l *ldapKeys
}

func (h ldapListKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{h.l.Edit, h.l.Add, withHelp(h.l.Test, "t", "test"), h.l.Export, h.k.Save, withHelp(h.k.Back, "esc", "home"), h.k.Help}
}

func (h ldapListKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{h.k.MenuUp, h.k.MenuDown, h.l.Edit},
		{h.l.Add, h.l.Delete, h.l.ToggleEnabled},
		{h.l.Test, h.l.Export, h.k.Save},
		{withHelp(h.k.Back, "esc", "home"), h.k.Quit, withHelp(h.k.Help, "?", "close help")},
	}
}

// ldapFormKeyMap is the help of a setting or group form; it depends on the
// focused field.
type ldapFormKeyMap struct {
	k     *keys
	l     *ldapKeys
	focus itemKind
}

func (h ldapFormKeyMap) fieldKeys() []key.Binding {
	switch h.focus {
	case itemToggle:
		return []key.Binding{h.k.Toggle}
	case itemChoice:
		return []key.Binding{h.k.Choose}
	}
	return nil
}

// helpKey is "?" except in a text field, where "?" is typed: there f1.
func (h ldapFormKeyMap) helpKey(desc string) key.Binding {
	if h.focus == itemText {
		return withHelp(h.k.Help, "f1", desc)
	}
	return withHelp(h.k.Help, "?", desc)
}

func (h ldapFormKeyMap) ShortHelp() []key.Binding {
	return append(h.fieldKeys(), withHelp(h.k.Next, "tab", "next"), withHelp(h.l.TestForm, "ctrl+t", "test"), h.k.Save,
		withHelp(h.k.Back, "esc", "list"), h.helpKey("keys"))
}

func (h ldapFormKeyMap) FullHelp() [][]key.Binding {
	edit := h.fieldKeys()
	if len(edit) == 0 {
		edit = []key.Binding{withHelp(h.k.Enter, "type", "edit the value")}
	}
	return [][]key.Binding{
		{h.k.Next, h.k.Prev, h.k.Enter},
		edit,
		{h.l.TestForm, h.l.ExportForm, h.k.Save},
		{withHelp(h.k.Back, "esc", "back to the list"), h.k.Quit, h.helpKey("close help")},
	}
}

// ldapTestKeyMap is the help of the test panel.
type ldapTestKeyMap struct {
	k       *keys
	l       *ldapKeys
	running bool
}

func (h ldapTestKeyMap) ShortHelp() []key.Binding {
	scroll := withHelp(h.k.PageUp, "pgup/pgdn", "scroll")
	if h.running {
		return []key.Binding{h.l.Cancel, scroll, h.k.Quit}
	}
	return []key.Binding{withHelp(h.k.Next, "tab", "next"), withHelp(h.l.Run, "enter", "run"), scroll, h.l.Leave, withHelp(h.k.Help, "f1", "keys")}
}

func (h ldapTestKeyMap) FullHelp() [][]key.Binding {
	if h.running {
		return [][]key.Binding{{h.l.Cancel}, {h.k.PageUp, h.k.PageDown}, {h.k.Quit}}
	}
	return [][]key.Binding{
		{h.k.Next, h.k.Prev},
		{h.l.Run},
		{withHelp(h.k.PageUp, "pgup", "scroll results up"), withHelp(h.k.PageDown, "pgdn", "scroll results down")},
		{h.l.Leave, h.k.Quit, withHelp(h.k.Help, "f1", "close help")},
	}
}

// ldapExportKeyMap is the help of the export page.
type ldapExportKeyMap struct {
	k         *keys
	l         *ldapKeys
	prompting bool
}

func (h ldapExportKeyMap) ShortHelp() []key.Binding {
	if h.prompting {
		return []key.Binding{h.l.WriteConfirm, h.l.WriteCancel}
	}
	return []key.Binding{withHelp(h.k.ScrollDown, "↑/↓", "scroll"), h.k.PageDown, h.l.Write, h.l.Leave, h.k.Help}
}

func (h ldapExportKeyMap) FullHelp() [][]key.Binding {
	if h.prompting {
		return [][]key.Binding{{h.l.WriteConfirm, h.l.WriteCancel}, {h.k.Quit}}
	}
	return [][]key.Binding{
		{h.k.ScrollUp, h.k.ScrollDown},
		{h.k.PageUp, h.k.PageDown, h.k.Top, h.k.Bottom},
		{h.l.Write},
		{h.l.Leave, h.k.Quit, withHelp(h.k.Help, "?", "close help")},
	}
}
