package ldap

import (
	"charm.land/bubbles/v2/key"

	"frontdoor/tui/common"
	"frontdoor/tui/components/form"
	"frontdoor/tui/components/scroller"
)

// The Users view's keys. They live here, not in common.Keys, while the
// wizard's other screens are reworked; u is free on the list, ctrl+l in
// every text field (no editor binds it).
var (
	usersKey     = key.NewBinding(key.WithKeys("u", "ctrl+l"), key.WithHelp("u", "users"))
	usersFormKey = key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", "users"))
)

// listKeyMap is the help of the list of LDAP and group settings.
type listKeyMap struct{ k *common.Keys }

func (h listKeyMap) ShortHelp() []key.Binding {
	k := h.k
	return []key.Binding{k.Add, ofKey(k.Test, "t", "test"), usersKey, k.Export, k.Save, ofKey(k.Back, "esc", "home"), k.Help}
}

func (h listKeyMap) FullHelp() [][]key.Binding {
	k := h.k
	return [][]key.Binding{
		{k.MenuUp, k.MenuDown, k.Edit},
		{k.Add, k.Delete, k.ToggleEnabled, k.Undo},
		{k.Test, ofKey(usersKey, "u", "list users"), k.Export, k.Save},
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
		{k.TestForm, ofKey(usersFormKey, "ctrl+l", "list users"), k.ExportForm, k.Save},
		{ofKey(k.Back, "esc", "back to the list"), k.Quit, k.HelpKey(h.typing, "close help")},
	}
}

// testKeyMap is the help of the test panel: the login fields, or the
// results scroller while a run goes or it has the focus.
type testKeyMap struct {
	k       *common.Keys
	view    *scroller.Model
	running bool
	focused bool // the results have the focus
	typing  bool
}

func (h testKeyMap) ShortHelp() []key.Binding {
	k := h.k
	switch {
	case h.view.Capturing():
		return h.view.ShortHelp()
	case h.running:
		return append([]key.Binding{k.Cancel}, h.view.ShortHelp()...)
	case h.focused:
		return append(h.view.ShortHelp(), ofKey(k.Leave, "esc", "back to the fields"), k.Help)
	}
	return []key.Binding{ofKey(k.Next, "tab", "next"), ofKey(k.Run, "enter", "run"), ofKey(k.PageUp, "pgup/pgdn", "scroll"), ofKey(usersFormKey, "ctrl+l", "users"),
		k.Leave, k.HelpKey(h.typing, "keys")}
}

func (h testKeyMap) FullHelp() [][]key.Binding {
	k := h.k
	switch {
	case h.view.Capturing():
		return h.view.FullHelp()
	case h.running:
		return append([][]key.Binding{{k.Cancel, k.Quit}}, h.view.FullHelp()...)
	case h.focused:
		return append(h.view.FullHelp(), []key.Binding{ofKey(k.Leave, "esc/shift+tab", "back to the fields"), k.Quit, ofKey(k.Help, "?", "close help")})
	}
	return [][]key.Binding{
		{k.Next, k.Prev},
		{k.Run, ofKey(k.Toggle, "space", "lookup only"), ofKey(usersFormKey, "ctrl+l", "list users")},
		{ofKey(k.PageUp, "pgup", "scroll results up"), ofKey(k.PageDown, "pgdn", "scroll results down"), ofKey(k.Next, "tab", "last field: to the results")},
		{k.Leave, k.Quit, k.HelpKey(h.typing, "close help")},
	}
}

// usersKeyMap is the help of the Users view: the limit field, whose
// non-digit keys go to the table, or the results while a listing goes or
// they have the focus.
type usersKeyMap struct {
	k       *common.Keys
	view    *scroller.Model
	running bool
	focused bool // the results have the focus
	typing  bool
	number  bool // the Limit field has the focus
	toggle  bool // the Risk a lockout toggle has the focus
	risk    bool // the Risk a lockout toggle is shown (the listing binds as a manager)
}

func (h usersKeyMap) ShortHelp() []key.Binding {
	k := h.k
	list := ofKey(k.Run, "enter", "list")
	test := ofKey(k.TestForm, "ctrl+t", "test a login")
	switch {
	case h.view.Capturing():
		return h.view.ShortHelp()
	case h.running:
		return append([]key.Binding{ofKey(k.Cancel, "esc", "cancel the listing")}, h.view.ShortHelp()...)
	case h.focused:
		return append(h.view.ShortHelp(), ofKey(k.Leave, "esc", "back"), k.Help)
	case h.number:
		// On the limit, / and y are the table's (digits are the limit's).
		sk := scroller.DefaultKeyMap()
		return []key.Binding{list, ofKey(k.Next, "tab", "table"), ofKey(sk.Search, "/", "search"), ofKey(sk.Copy, "y", "copy"),
			ofKey(k.TestForm, "ctrl+t", "test"), k.Leave, k.Help}
	case h.toggle:
		return []key.Binding{list, ofKey(k.Toggle, "space", "risk a lockout"), ofKey(k.Next, "tab", "next"), test, k.Leave, k.HelpKey(h.typing, "keys")}
	}
	return []key.Binding{list, ofKey(k.Next, "tab", "next"), test, k.Leave, k.HelpKey(h.typing, "keys")}
}

func (h usersKeyMap) FullHelp() [][]key.Binding {
	k := h.k
	test := ofKey(k.TestForm, "ctrl+t", "test a login")
	switch {
	case h.view.Capturing():
		return h.view.FullHelp()
	case h.running:
		return append([][]key.Binding{{ofKey(k.Cancel, "esc", "cancel the listing"), test, k.Quit}}, h.view.FullHelp()...)
	case h.focused:
		return append(h.view.FullHelp(), []key.Binding{ofKey(k.Run, "ctrl+r", "list again"), test},
			[]key.Binding{ofKey(k.Leave, "esc/shift+tab", "back to the limit"), k.Quit, ofKey(k.Help, "?", "close help")})
	}
	out := [][]key.Binding{
		{k.Next, k.Prev, ofKey(k.Run, "enter", "list again"), test},
		{ofKey(k.PageUp, "pgup", "scroll up"), ofKey(k.PageDown, "pgdn", "scroll down"), ofKey(k.Next, "tab", "the table")},
	}
	if h.risk { // under the fields' keys: a column of its own would not fit at 80
		out[0] = append(out[0], ofKey(k.Toggle, "space", "risk lockout"))
	}
	if h.number || h.toggle {
		sk := scroller.DefaultKeyMap() // on the limit or the toggle, the table's keys
		out = append(out, []key.Binding{sk.Search, sk.Copy})
	}
	return append(out, []key.Binding{k.Leave, k.Quit, k.HelpKey(h.typing, "close help")})
}

// exportKeyMap is the help of the export page.
type exportKeyMap struct {
	k         *common.Keys
	view      *scroller.Model
	prompting bool
	failed    bool // the settings do not export: nothing to scroll
}

func (h exportKeyMap) ShortHelp() []key.Binding {
	k := h.k
	switch {
	case h.failed:
		return []key.Binding{k.Leave, k.Save, k.Help}
	case h.prompting:
		return []key.Binding{k.WriteConfirm, k.WriteCancel}
	case h.view.Capturing():
		return h.view.ShortHelp()
	}
	return append(h.view.ShortHelp(), k.Write, k.Leave, k.Help)
}

func (h exportKeyMap) FullHelp() [][]key.Binding {
	k := h.k
	switch {
	case h.failed:
		return [][]key.Binding{{k.Leave, k.Save}, {k.Quit, ofKey(k.Help, "?", "close help")}}
	case h.prompting:
		return [][]key.Binding{{k.WriteConfirm, k.WriteCancel}, {k.Quit}}
	case h.view.Capturing():
		return h.view.FullHelp()
	}
	return append(h.view.FullHelp(), []key.Binding{k.Write, k.Save}, []key.Binding{k.Leave, k.Quit, ofKey(k.Help, "?", "close help")})
}
