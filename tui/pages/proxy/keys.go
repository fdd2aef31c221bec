package proxy

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"

	"frontdoor/tui/common"
	"frontdoor/tui/components/form"
)

// KeyMap is the help for where the focus is on the page.
func (p *Page) KeyMap() help.KeyMap {
	if p.previewOpen {
		return previewKeyMap{p.keys}
	}
	kind := form.Info
	if fd := p.form().Focused(); fd != nil {
		kind = fd.Kind
	}
	return formKeyMap{k: p.keys, focus: kind, narrow: !p.wide(), typing: p.Typing()}
}

// formKeyMap is the help of a step; it depends on the focused field.
type formKeyMap struct {
	k      *common.Keys
	focus  form.Kind
	narrow bool // the preview is toggled rather than shown beside the form
	typing bool // "?" is typed into the field: f1 is the help key
}

func (f formKeyMap) itemKeys() []key.Binding {
	switch f.focus {
	case form.Toggle:
		return []key.Binding{f.k.Toggle}
	case form.Choice:
		return []key.Binding{f.k.Choose}
	case form.Table:
		return []key.Binding{f.k.AddRow, f.k.DeleteRow}
	case form.Button:
		return []key.Binding{common.WithHelp(f.k.Enter, "enter", "activate")}
	}
	return nil
}

func (f formKeyMap) ShortHelp() []key.Binding {
	item := f.itemKeys()
	if f.focus == form.Table {
		item = []key.Binding{common.WithHelp(f.k.AddRow, "ctrl+n", "add"), common.WithHelp(f.k.DeleteRow, "ctrl+d", "delete")}
	}
	out := append(item, common.WithHelp(f.k.Next, "tab", "next"), f.k.Steps)
	if f.narrow {
		out = append(out, f.k.Preview)
	}
	return append(out, f.k.HelpKey(f.typing, "keys"))
}

func (f formKeyMap) FullHelp() [][]key.Binding {
	move := []key.Binding{f.k.Next, f.k.Prev, f.k.Enter}
	if f.focus == form.Table {
		move = []key.Binding{f.k.RowUp, f.k.RowDown, f.k.NextCol, f.k.PrevCol, common.WithHelp(f.k.Enter, "enter", "next row")}
	}
	move = append(move, f.k.NextStep, f.k.PrevStep)
	preview := common.WithHelp(f.k.Preview, "ctrl+p", "focus the preview")
	if f.narrow {
		preview = common.WithHelp(f.k.Preview, "ctrl+p", "show the preview")
	}
	edit := append(f.itemKeys(), f.k.Undo, f.k.Save, preview)
	return [][]key.Binding{move, edit, {f.k.Back, f.k.Quit, f.k.HelpKey(f.typing, "close help")}}
}

// previewKeyMap is the help while the preview has the focus.
type previewKeyMap struct{ k *common.Keys }

func (p previewKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{p.k.ScrollUp, p.k.ScrollDown, p.k.PageUp, p.k.PageDown, common.WithHelp(p.k.Back, "esc", "back to the form"), p.k.Help}
}

func (p previewKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{p.k.ScrollUp, p.k.ScrollDown}, {p.k.PageUp, p.k.PageDown, p.k.Top, p.k.Bottom}, {common.WithHelp(p.k.Back, "esc/ctrl+p", "back to the form"), p.k.Quit}}
}
