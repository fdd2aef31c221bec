package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// The LDAP screens (settings list, form, live test) come with the LDAP
// issue, each in its own file; until then this page shows what is loaded
// and where to test it.

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

func (m *Model) renderLDAP(width, height int) string {
	st := &m.styles
	lines := []string{st.heading.Render("LDAP settings"), ""}
	cfg := &m.file.LDAP
	if len(cfg.Settings) == 0 {
		lines = append(lines, st.subtle.Render("  No LDAP settings in "+m.sourceText()+"."))
	}
	for _, s := range cfg.Settings {
		state := "enabled"
		if !s.Enabled {
			state = "disabled"
		}
		lines = append(lines, ansi.Truncate(fmt.Sprintf("  %s  %s  %s", st.bold.Render(s.Key), s.URL, st.subtle.Render(state)), width, "…"))
	}
	for _, g := range cfg.Groups {
		lines = append(lines, ansi.Truncate(fmt.Sprintf("  group %s  %s", st.bold.Render(g.Name), st.subtle.Render("for "+g.LDAPSetting)), width, "…"))
	}
	lines = append(lines, "")
	lines = append(lines, wrapPrefixed("Editing these settings and a live test login arrive with the LDAP screens. "+
		"Until then, test a login from a shell: frontdoor ldap test --user NAME", width, "  ", "  ", st.subtle)...)
	return fitLines(lines, width, height)
}
