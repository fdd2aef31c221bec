package proxy

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"

	"frontdoor/tui/common"
	"frontdoor/tui/components/form"
	"frontdoor/tui/components/scroller"
)

// KeyMap is the help for where the focus is on the page.
func (p *Page) KeyMap() help.KeyMap {
	switch {
	case p.previewOpen:
		return viewKeyMap{k: p.keys, view: &p.preview.view, back: "esc/ctrl+p", what: "back to the form"}
	case p.reportShown() && p.reportFocused:
		return viewKeyMap{k: p.keys, view: &p.report, back: "esc/shift+tab", what: "back to the fields"}
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

// viewKeyMap is the help while a scroller (the preview, the save report)
// has the focus: its keys, then how to leave it.
type viewKeyMap struct {
	k          *common.Keys
	view       *scroller.Model
	back, what string
}

func (v viewKeyMap) ShortHelp() []key.Binding {
	out := v.view.ShortHelp()
	if v.view.Capturing() {
		return out
	}
	return append(out, common.WithHelp(v.k.Back, "esc", v.what), v.k.Help)
}

func (v viewKeyMap) FullHelp() [][]key.Binding {
	out := v.view.FullHelp()
	if v.view.Capturing() {
		return out
	}
	return append(out, []key.Binding{common.WithHelp(v.k.Back, v.back, v.what), v.k.Quit, common.WithHelp(v.k.Help, "?", "close help")})
}
