package ldap

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"frontdoor/config"
	"frontdoor/ldapcheck"
	"frontdoor/tui/common"
	"frontdoor/tui/components/confirm"
)

// export shows the vendor's YAML (ldapcheck.ExportYAML) in a scrollable
// view and writes it to a file the user names.
type export struct {
	s         *Screen
	view      viewport.Model
	data      []byte
	err       error // the settings do not export (errors)
	prompting bool
	path      textinput.Model
	wrapWidth int // the content is word-wrapped for this width
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
	e := export{s: s, view: viewport.New()}
	e.path = textinput.New()
	e.path.Prompt = ""
	e.path.SetStyles(s.st.Input)
	return e
}

// openExport renders the export of the settings as they are now.
func (s *Screen) openExport(back Page) {
	e := &s.export
	e.data, e.err = ldapcheck.ExportYAML(*cfg(s.doc))
	e.wrapWidth = -1 // layout sets the content for the width
	e.view.SetYOffset(0)
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
	e.view.SetWidth(max(1, width))
	e.view.SetHeight(max(1, height-len(e.head)-1-len(e.foot)))
	if e.wrapWidth != width {
		// Wrapped at spaces here: the viewport's own soft wrap cuts words.
		e.wrapWidth = width
		top := e.view.YOffset()
		e.view.SetContent(ansi.Wrap(strings.TrimRight(string(e.data), "\n"), max(1, width), ""))
		e.view.SetYOffset(top)
	}
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
	switch {
	case key.Matches(k, keys.Leave):
		s.leave()
	case key.Matches(k, keys.ScrollUp):
		e.view.ScrollUp(1)
	case key.Matches(k, keys.ScrollDown):
		e.view.ScrollDown(1)
	case key.Matches(k, keys.PageUp):
		e.view.PageUp()
	case key.Matches(k, keys.PageDown):
		e.view.PageDown()
	case key.Matches(k, keys.Top):
		e.view.GotoTop()
	case key.Matches(k, keys.Bottom):
		e.view.GotoBottom()
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
	}
	return Result{}, nil
}

func (e *export) paste(msg tea.PasteMsg) tea.Cmd {
	if !e.prompting {
		return nil
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
	body := strings.Split(e.view.View(), "\n")
	first := e.view.YOffset() + 1
	last := min(e.view.TotalLineCount(), e.view.YOffset()+e.view.VisibleLineCount())
	where := "── lines " + common.Itoa(first) + "–" + common.Itoa(last) + " of " + common.Itoa(e.view.TotalLineCount())
	if last < e.view.TotalLineCount() {
		where += " (↓ more)"
	}
	pos := st.Faint.Render(ansi.Truncate(where, width, ""))
	lines := append(append([]string(nil), e.head...), body...)
	lines = append(lines, pos)
	lines = append(lines, e.foot...)
	return common.FitLines(lines, width, height)
}
