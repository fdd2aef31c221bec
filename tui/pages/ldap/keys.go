package ldap

import (
	"charm.land/bubbles/v2/key"

	"frontdoor/tui/common"
	"frontdoor/tui/components/form"
)

// listKeyMap is the help of the list of LDAP and group settings.
type listKeyMap struct{ k *common.Keys }

func (h listKeyMap) ShortHelp() []key.Binding {
	k := h.k
	return []key.Binding{k.Edit, k.Add, ofKey(k.Test, "t", "test"), k.Export, k.Save, ofKey(k.Back, "esc", "home"), k.Help}
}

func (h listKeyMap) FullHelp() [][]key.Binding {
	k := h.k
	return [][]key.Binding{
		{k.MenuUp, k.MenuDown, k.Edit},
		{k.Add, k.Delete, k.ToggleEnabled, k.Undo},
		{k.Test, k.Export, k.Save},
		{ofKey(k.Back, "esc", "home"), k.Quit, ofKey(k.Help, "?", "close help")},
	}
}

// formKeyMap is the help of a setting or group form; it depends on the
// focused field.
type formKeyMap struct {
	k      *common.Keys
	focus  form.Kind
	typing bool
}

func (h formKeyMap) fieldKeys() []key.Binding {
	switch h.focus {
	case form.Toggle:
		return []key.Binding{h.k.Toggle}
	case form.Choice:
		return []key.Binding{h.k.Choose}
	}
	return nil
}

func (h formKeyMap) ShortHelp() []key.Binding {
	k := h.k
	return append(h.fieldKeys(), ofKey(k.Next, "tab", "next"), ofKey(k.TestForm, "ctrl+t", "test"), k.Save,
		ofKey(k.Back, "esc", "list"), k.HelpKey(h.typing, "keys"))
}

func (h formKeyMap) FullHelp() [][]key.Binding {
	k := h.k
	edit := h.fieldKeys()
	if len(edit) == 0 {
		edit = []key.Binding{ofKey(k.Enter, "type", "edit the value")}
	}
	return [][]key.Binding{
		{k.Next, k.Prev, k.Enter},
		append(edit, k.Undo),
		{k.TestForm, k.ExportForm, k.Save},
		{ofKey(k.Back, "esc", "back to the list"), k.Quit, k.HelpKey(h.typing, "close help")},
	}
}

// testKeyMap is the help of the test panel.
type testKeyMap struct {
	k       *common.Keys
	running bool
	typing  bool
}

func (h testKeyMap) ShortHelp() []key.Binding {
	k := h.k
	scroll := ofKey(k.PageUp, "pgup/pgdn", "scroll")
	if h.running {
		return []key.Binding{k.Cancel, scroll, k.Quit}
	}
	return []key.Binding{ofKey(k.Next, "tab", "next"), ofKey(k.Run, "enter", "run"), scroll, k.Leave, k.HelpKey(h.typing, "keys")}
}

func (h testKeyMap) FullHelp() [][]key.Binding {
	k := h.k
	if h.running {
		return [][]key.Binding{{k.Cancel}, {k.PageUp, k.PageDown}, {k.Quit}}
	}
	return [][]key.Binding{
		{k.Next, k.Prev},
		{k.Run},
		{ofKey(k.PageUp, "pgup", "scroll results up"), ofKey(k.PageDown, "pgdn", "scroll results down")},
		{k.Leave, k.Quit, k.HelpKey(h.typing, "close help")},
	}
}

// exportKeyMap is the help of the export page.
type exportKeyMap struct {
	k         *common.Keys
	prompting bool
}

func (h exportKeyMap) ShortHelp() []key.Binding {
	k := h.k
	if h.prompting {
		return []key.Binding{k.WriteConfirm, k.WriteCancel}
	}
	return []key.Binding{ofKey(k.ScrollDown, "↑/↓", "scroll"), k.PageDown, k.Write, k.Leave, k.Help}
}

func (h exportKeyMap) FullHelp() [][]key.Binding {
	k := h.k
	if h.prompting {
		return [][]key.Binding{{k.WriteConfirm, k.WriteCancel}, {k.Quit}}
	}
	return [][]key.Binding{
		{k.ScrollUp, k.ScrollDown},
		{k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Write},
		{k.Leave, k.Quit, ofKey(k.Help, "?", "close help")},
	}
}
