package tui

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
)

// ldapExport shows the vendor's YAML (ldapcheck.ExportYAML) in a
// scrollable viewport and writes it to a file the user names.
type ldapExport struct {
	view      viewport.Model
	data      []byte
	err       error // the settings do not export (errors)
	prompting bool
	path      textinput.Model
	wrapWidth int // the content is word-wrapped for this width
}

type (
	ldapExportWrittenMsg struct {
		path string
		err  error
	}
	// ldapExportExistsMsg: the file is there; ask before replacing it.
	ldapExportExistsMsg struct {
		path string
		data []byte
	}
)

func (ldapExportWrittenMsg) ldapMsg() {}
func (ldapExportExistsMsg) ldapMsg()  {}

// ldapExportFileName is offered when the user writes the export.
const ldapExportFileName = "artifactory-ldap.yaml"

// ldapOpenExport renders the export of the settings as they are now.
func (m *Model) ldapOpenExport(back ldapPage) tea.Cmd {
	u := &m.ldap
	e := &u.export
	e.data, e.err = ldapcheck.ExportYAML(m.file.LDAP)
	e.wrapWidth = -1 // ldapExportHead sets the content for the width
	e.view.SetYOffset(0)
	e.prompting = false
	u.back = back
	u.page = ldapPageExport
	m.ldapExportHead(m.width, m.ldapBodyHeight())
	return nil
}

// ldapBodyHeight is the height the root gives the screen's body.
func (m *Model) ldapBodyHeight() int {
	return max(1, m.height-len(m.renderHeader())-len(m.renderFooter()))
}

// ldapExportHead returns the lines above the YAML and the prompt below it,
// and fits the viewport between them: scrolling needs its size before the
// first draw.
func (m *Model) ldapExportHead(width, height int) (head, foot []string) {
	st := &m.styles
	e := &m.ldap.export
	head = []string{joinEnds(st.heading.Render("Export: the vendor's YAML"), st.subtle.Render("security.ldapSettings / ldapGroupSettings"), width)}
	head = append(head, wrapPrefixed("For PATCH /api/system/configuration. Manager passwords are placeholders: fill them in "+
		"where you send it, and do not keep the completed file.", width, "", "", st.subtle)...)
	if e.prompting {
		foot = append(foot, "", st.labelFocused.Render(glyphPointer+" Write to ")+e.path.View())
	}
	e.view.SetWidth(max(1, width))
	e.view.SetHeight(max(1, height-len(head)-1-len(foot)))
	if e.wrapWidth != width {
		// Wrapped at spaces here: the viewport's own soft wrap cuts words.
		e.wrapWidth = width
		top := e.view.YOffset()
		e.view.SetContent(ansi.Wrap(strings.TrimRight(string(e.data), "\n"), max(1, width), ""))
		e.view.SetYOffset(top)
	}
	return head, foot
}

func (m *Model) updateLDAPExport(k tea.KeyPressMsg) tea.Cmd {
	u := &m.ldap
	e := &u.export
	m.ldapExportHead(m.width, m.ldapBodyHeight())
	if e.prompting {
		switch {
		case key.Matches(k, u.keys.WriteCancel):
			e.prompting = false
			return nil
		case key.Matches(k, u.keys.WriteConfirm):
			path := strings.TrimSpace(e.path.Value())
			if path == "" {
				m.status = "give a file name"
				return nil
			}
			e.prompting = false
			m.status = "writing " + path + "…"
			return writeExportCmd(path, e.data, false)
		}
		var cmd tea.Cmd
		e.path, cmd = e.path.Update(k)
		return cmd
	}
	switch {
	case key.Matches(k, u.keys.Leave):
		u.page = u.back
		if (u.back == ldapPageSetting || u.back == ldapPageGroup) && m.ldapFormValid() {
			m.ldapLoadEditor()
		} else {
			u.page = ldapPageList
		}
	case key.Matches(k, m.keys.ScrollUp):
		e.view.ScrollUp(1)
	case key.Matches(k, m.keys.ScrollDown):
		e.view.ScrollDown(1)
	case key.Matches(k, m.keys.PageUp):
		e.view.PageUp()
	case key.Matches(k, m.keys.PageDown):
		e.view.PageDown()
	case key.Matches(k, m.keys.Top):
		e.view.GotoTop()
	case key.Matches(k, m.keys.Bottom):
		e.view.GotoBottom()
	case key.Matches(k, m.keys.Save):
		return m.ldapSave()
	case key.Matches(k, u.keys.Write):
		if e.err != nil {
			m.status = "fix the LDAP errors first"
			return nil
		}
		e.path = newLDAPInput(m, false)
		e.path.SetValue(filepath.Join(filepath.Dir(m.opts.ConfigPath), ldapExportFileName))
		e.path.CursorEnd()
		e.path.SetWidth(max(10, m.width-16))
		e.prompting = true
		return e.path.Focus()
	}
	return nil
}

// writeExportCmd writes the export with 0600 permissions (the user will
// put the manager password into it). An existing file is replaced only
// when asked again.
func writeExportCmd(path string, data []byte, replace bool) tea.Cmd {
	return func() tea.Msg {
		if !replace {
			if _, err := os.Lstat(path); err == nil {
				return ldapExportExistsMsg{path: path, data: data}
			} else if !errors.Is(err, fs.ErrNotExist) {
				return ldapExportWrittenMsg{path: path, err: err}
			}
		}
		return ldapExportWrittenMsg{path: path, err: config.WriteFileAtomic(path, data, 0o600)}
	}
}

func (m *Model) ldapExportMessage(msg ldapMsg) tea.Cmd {
	switch msg := msg.(type) {
	case ldapExportWrittenMsg:
		if msg.err != nil {
			m.status = "export not written: " + msg.err.Error()
		} else {
			m.status = "export written to " + msg.path + " (replace the password placeholder there, then delete the file)"
		}
	case ldapExportExistsMsg:
		m.status = ""
		m.confirm = &confirmDialog{
			question: "Replace " + filepath.Base(msg.path) + "?",
			detail:   msg.path + " exists. Replacing it loses what it holds.",
			yes:      "replace", no: "keep it",
			onYes: func(m *Model) tea.Cmd {
				m.status = "writing " + msg.path + "…"
				return writeExportCmd(msg.path, msg.data, true)
			},
		}
	}
	return nil
}

// renderLDAPExport draws the YAML, or why the settings do not export.
func (m *Model) renderLDAPExport(width, height int) string {
	st := &m.styles
	e := &m.ldap.export
	if e.err != nil {
		lines := []string{st.heading.Render("Export: the vendor's YAML"), "", st.errorText.Render("The settings do not export while they have errors:")}
		for _, f := range m.ldap.findings.Errors() {
			lines = append(lines, wrapPrefixed(f.Path+": "+f.Message, width, "  "+glyphError+" ", "    ", st.errorText)...)
		}
		return fitLines(lines, width, height)
	}
	head, foot := m.ldapExportHead(width, height)
	body := strings.Split(e.view.View(), "\n")
	first := e.view.YOffset() + 1
	last := min(e.view.TotalLineCount(), e.view.YOffset()+e.view.VisibleLineCount())
	where := "── lines " + itoa(first) + "–" + itoa(last) + " of " + itoa(e.view.TotalLineCount())
	if last < e.view.TotalLineCount() {
		where += " (↓ more)"
	}
	pos := st.faint.Render(ansi.Truncate(where, width, ""))
	lines := append(head, body...)
	lines = append(lines, pos)
	lines = append(lines, foot...)
	return fitLines(lines, width, height)
}
