package common

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
)

// FullHelp draws the full help (the ? screen) in width cells: its columns
// side by side while they fit, the next ones in a band below, and a
// description too long for the width wrapped under itself. Every key shows:
// bubbles/help's FullHelpView drops the columns that do not fit behind a
// "…", which at 80 columns hid how to leave the help.
func FullHelp(h help.Model, groups [][]key.Binding, width int) string {
	sep := h.Styles.FullSeparator.Inline(true).Render(h.FullSeparator)
	sepW := lipgloss.Width(sep)
	var bands, band []string
	used := 0
	for _, g := range groups {
		col := helpColumn(h, g, width)
		if col == "" {
			continue
		}
		w := lipgloss.Width(col)
		if used > 0 && used+sepW+w > width {
			bands = append(bands, lipgloss.JoinHorizontal(lipgloss.Top, band...))
			band, used = nil, 0
		}
		if used > 0 {
			band = append(band, sep)
			used += sepW
		}
		band = append(band, col)
		used += w
	}
	if len(band) > 0 {
		bands = append(bands, lipgloss.JoinHorizontal(lipgloss.Top, band...))
	}
	return strings.Join(bands, "\n")
}

// helpColumn is one group of keys: the keys, a space, what each does
// (wrapped to what the width leaves; the key's rows below it blank).
func helpColumn(h help.Model, g []key.Binding, width int) string {
	var keys, descs []string
	keyW := 0
	for _, kb := range g {
		if kb.Enabled() {
			keyW = max(keyW, lipgloss.Width(kb.Help().Key))
		}
	}
	for _, kb := range g {
		if !kb.Enabled() {
			continue
		}
		lines := WrapText(kb.Help().Desc, max(8, width-keyW-1))
		keys = append(keys, kb.Help().Key)
		for range lines[1:] {
			keys = append(keys, "")
		}
		descs = append(descs, lines...)
	}
	if len(keys) == 0 {
		return ""
	}
	return lipgloss.JoinHorizontal(lipgloss.Top,
		h.Styles.FullKey.Render(strings.Join(keys, "\n")), " ",
		h.Styles.FullDesc.Render(strings.Join(descs, "\n")))
}
