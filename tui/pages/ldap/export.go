package ldap

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"frontdoor/config"
	"frontdoor/ldapcheck"
	"frontdoor/tui/common"
	"frontdoor/tui/components/confirm"
	"frontdoor/tui/components/pane"
	"frontdoor/tui/components/scroller"
)

// export shows the vendor's YAML (ldapcheck.ExportYAML) in the one
// scroller (wrapped, searchable; y copies it) and writes it to a file the
// user names.
type export struct {
	s         *Screen
	view      scroller.Model
	data      []byte
	err       error // the settings do not export (errors)
	prompting bool
	path      textinput.Model
	head      []string
	foot      []string
}

type (
	exportWrittenMsg struct {
		path string
		err  error
	}
	// exportExistsMsg: the file is there; ask before replacing it.
	exportExistsMsg struct {
		path string
		data []byte
	}
)

func (exportWrittenMsg) ldapMsg() {}
func (exportExistsMsg) ldapMsg()  {}

// ExportFileName is offered when the user writes the export.
const ExportFileName = "artifactory-ldap.yaml"

func newExport(s *Screen) export {
	e := export{s: s, view: scroller.New(s.st.Scroller)}
	// Always wrapped (YAML lines are short), and w writes the file here.
	km := scroller.DefaultKeyMap()
	km.Wrap.SetEnabled(false)
	e.view.SetKeyMap(km)
	e.view.SetWrap(true)
	e.path = textinput.New()
	e.path.Prompt = ""
	e.path.SetStyles(s.st.Input)
	return e
}

// openExport renders the export of the settings as they are now.
func (s *Screen) openExport(back Page) {
	e := &s.export
	e.data, e.err = ldapcheck.ExportYAML(*cfg(s.doc))
	e.view.SetContent(strings.Split(strings.TrimRight(string(e.data), "\n"), "\n"), nil)
	e.view.SetCopyText(string(e.data))
	e.view.GotoTop()
	e.prompting = false
	s.back = back
	s.page = PageExport
	e.layout(s.width, s.height) // scrolling needs the size before the first draw
}

// layout fits the view between the lines above the YAML and the prompt
// below it (in Update).
func (e *export) layout(width, height int) []string {
	st := e.s.st
	e.head = []string{common.JoinEnds(st.Heading.Render("Export: the vendor's YAML"), st.Subtle.Render("security.ldapSettings / ldapGroupSettings"), width)}
	e.head = append(e.head, common.WrapPrefixed("For PATCH /api/system/configuration. Manager passwords are placeholders: fill them in "+
		"where you send it, and do not keep the completed file.", width, "", "", st.Subtle)...)
	e.foot = nil
	if e.prompting {
		e.foot = append(e.foot, "", st.LabelFocused.Render(common.GlyphPointer+" Write to ")+e.path.View())
	}
	pane.Fit(&e.view, width, max(1, height-len(e.head)-len(e.foot)), true)
	return nil
}

func (e *export) update(k tea.KeyPressMsg) (Result, tea.Cmd) {
	s, keys := e.s, e.s.keys
	if e.prompting {
		switch {
		case key.Matches(k, keys.WriteCancel):
			e.prompting = false
			return Result{}, nil
		case key.Matches(k, keys.WriteConfirm):
			path := strings.TrimSpace(e.path.Value())
			if path == "" {
				s.status.Set("give a file name")
				return Result{}, nil
			}
			e.prompting = false
			s.status.Set("writing " + path + "…")
			return Result{}, writeExportCmd(path, e.data, false)
		}
		var cmd tea.Cmd
		e.path, cmd = e.path.Update(k)
		return Result{}, cmd
	}
	if e.view.Capturing() {
		return Result{}, e.view.Update(k)
	}
	switch {
	case key.Matches(k, keys.Leave):
		s.leave()
	case key.Matches(k, keys.Save):
		return Result{}, s.Save()
	case key.Matches(k, keys.Write):
		if e.err != nil {
			s.status.Set("fix the LDAP errors first")
			return Result{}, nil
		}
		e.path.SetValue(filepath.Join(filepath.Dir(s.opts.ConfigPath), ExportFileName))
		e.path.CursorEnd()
		e.path.SetWidth(max(10, s.width-16))
		e.prompting = true
		return Result{}, e.path.Focus()
	default:
		return Result{}, e.view.Update(k)
	}
	return Result{}, nil
}

func (e *export) paste(msg tea.PasteMsg) tea.Cmd {
	if !e.prompting {
		return e.view.Update(msg) // the search prompt, when open
	}
	var cmd tea.Cmd
	e.path, cmd = e.path.Update(msg)
	return cmd
}

// writeExportCmd writes the export with 0600 permissions (the user will
// put the manager password into it). An existing file is replaced only
// when asked again.
func writeExportCmd(path string, data []byte, replace bool) tea.Cmd {
	return func() tea.Msg {
		if !replace {
			if _, err := os.Lstat(path); err == nil {
				return exportExistsMsg{path: path, data: data}
			} else if !errors.Is(err, fs.ErrNotExist) {
				return exportWrittenMsg{path: path, err: err}
			}
		}
		return exportWrittenMsg{path: path, err: config.WriteFileAtomic(path, data, 0o600)}
	}
}

func (e *export) message(msg Msg) Result {
	s := e.s
	switch msg := msg.(type) {
	case exportWrittenMsg:
		if msg.err != nil {
			s.status.Set("export not written: " + msg.err.Error())
		} else {
			s.status.Set("export written to " + msg.path + " (replace the password placeholder there, then delete the file)")
		}
	case exportExistsMsg:
		s.status.Clear()
		return Result{Action: Confirm, Dialog: &confirm.Dialog{
			Question: "Replace " + filepath.Base(msg.path) + "?",
			Detail:   msg.path + " exists. Replacing it loses what it holds.",
			Yes:      "replace", No: "keep it",
			OnYes: func() tea.Cmd {
				s.status.Set("writing " + msg.path + "…")
				return writeExportCmd(msg.path, msg.data, true)
			},
		}}
	}
	return Result{}
}

// render draws the YAML, or why the settings do not export.
func (e *export) render(width, height int) string {
	st := e.s.st
	if e.err != nil {
		lines := []string{st.Heading.Render("Export: the vendor's YAML"), "", st.ErrorText.Render("The settings do not export while they have errors:")}
		for _, f := range e.s.doc.LDAP.Findings.Errors() {
			lines = append(lines, common.WrapPrefixed(f.Path+": "+f.Message, width, "  "+common.GlyphError+" ", "    ", st.ErrorText)...)
		}
		return common.FitLines(lines, width, height)
	}
	lines := append(append([]string(nil), e.head...), e.view.Render())
	lines = append(lines, e.foot...)
	return common.FitLines(strings.Split(strings.Join(lines, "\n"), "\n"), width, height)
}
