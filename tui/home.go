package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"frontdoor/config"
	"frontdoor/render"
)

// homeEntry is one line of the home menu.
type homeEntry int

const (
	homeHTTP homeEntry = iota
	homeLDAP
	homeSave
	homeQuit
	homeEntries
)

var homeTitles = [homeEntries][2]string{
	homeHTTP: {"HTTP settings", "provider, nodes, name and TLS, Docker, mTLS; live preview"},
	homeLDAP: {"LDAP settings", "directory connections and group mapping"},
	homeSave: {"Save", "review the target, install the snippet, check it"},
	homeQuit: {"Quit", ""},
}

// homeMenu is the first screen.
type homeMenu struct{ cursor homeEntry }

func (m *Model) updateHome(k tea.KeyPressMsg) tea.Cmd {
	h := &m.home
	switch {
	case key.Matches(k, m.keys.MenuUp):
		h.cursor = (h.cursor + homeEntries - 1) % homeEntries
	case key.Matches(k, m.keys.MenuDown), k.String() == "tab":
		h.cursor = (h.cursor + 1) % homeEntries
	case key.Matches(k, m.keys.Select):
		return m.openHome(h.cursor)
	case key.Matches(k, m.keys.QuitQ):
		return m.requestQuit()
	case key.Matches(k, m.keys.Save):
		return m.openHome(homeSave)
	case len(k.Text) == 1 && k.Text[0] >= '1' && k.Text[0] < '1'+byte(homeEntries):
		h.cursor = homeEntry(k.Text[0] - '1')
		return m.openHome(h.cursor)
	}
	return nil
}

func (m *Model) openHome(e homeEntry) tea.Cmd {
	switch e {
	case homeHTTP:
		m.screen = screenHTTP
		return m.gotoStep(m.step)
	case homeLDAP:
		return m.openLDAP()
	case homeSave:
		m.focusButton(stepReview)
		return m.gotoStep(stepReview)
	case homeQuit:
		return m.requestQuit()
	}
	return nil
}

// renderHome draws the menu and a summary of what is loaded.
func (m *Model) renderHome(width, height int) string {
	st := &m.styles
	lines := []string{
		st.subtle.Render(ansi.Truncate("Put Artifactory behind nginx or Apache, and check its LDAP settings.", width, "…")),
		"",
	}
	for e := range homeEntries {
		pointer, style := "  ", st.value
		if e == m.home.cursor {
			pointer, style = st.pointer.Render(glyphPointer)+" ", st.labelFocused
		}
		title := fmt.Sprintf("%d  %s", e+1, homeTitles[e][0])
		if e == homeHTTP && m.issues.errors > 0 {
			title += " " + glyphError
		}
		line := pointer + style.Render(padRight(title, 18))
		if d := homeTitles[e][1]; d != "" && width > 40 {
			line += "  " + st.subtle.Render(d)
		}
		lines = append(lines, ansi.Truncate(line, width, "…"))
	}
	lines = append(lines, "")
	s := &m.settings
	row := func(label, value string) {
		lines = append(lines, ansi.Truncate("  "+st.label.Render(padRight(label, 10))+value, width, "…"))
	}
	row("Settings", m.sourceText())
	row("Proxy", proxySummary(s))
	row("Findings", summary(st, m.issues))
	if snippetProvider(m) && m.target.Path != "" {
		row("Target", m.target.Path)
	}
	row("LDAP", ldapSummary(m))
	return fitLines(lines, width, height)
}

// sourceText says which settings are loaded.
func (m *Model) sourceText() string {
	switch {
	case m.opts.Source == config.FromExample:
		return "built-in example (saving writes " + m.opts.ConfigPath + ")"
	case m.opts.LoadedFrom != "" && m.opts.LoadedFrom != m.opts.ConfigPath:
		return m.opts.LoadedFrom + " (saving writes " + m.opts.ConfigPath + ")"
	}
	return m.opts.ConfigPath
}

// proxySummary is the settings in one line.
func proxySummary(s *render.Settings) string {
	parts := []string{string(s.Provider)}
	if s.ServerName != "" {
		parts = append(parts, s.ServerName)
	}
	if s.HTTP.Enabled {
		parts = append(parts, fmt.Sprintf("HTTP %d", s.HTTP.Port))
	}
	if s.HTTPS.Enabled {
		parts = append(parts, fmt.Sprintf("HTTPS %d", s.HTTPS.Port))
	}
	if s.Docker.Method != render.DockerNone {
		parts = append(parts, fmt.Sprintf("Docker %s (%d)", s.Docker.Method, len(s.Docker.Repositories)))
	}
	if s.IsHA() {
		parts = append(parts, fmt.Sprintf("%d nodes", len(s.Nodes)))
	}
	if s.MTLS.Enabled {
		parts = append(parts, "mTLS")
	}
	return strings.Join(parts, " · ")
}

// ldapSummary is the LDAP section in one line, for the home screen.
func ldapSummary(m *Model) string {
	n := len(m.file.LDAP.Settings)
	if n == 0 {
		return "no LDAP settings"
	}
	keys := make([]string, 0, n)
	for _, s := range m.file.LDAP.Settings {
		keys = append(keys, s.Key)
	}
	return fmt.Sprintf("%s (%s)", countNoun(n, "setting"), strings.Join(keys, ", "))
}
