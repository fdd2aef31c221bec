package common

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
)

// ShortHelp draws the help line in width cells: when the keys do not all
// fit, the ones just before the last go first, so the last, "? keys" (how
// to see every key), always shows; bubbles/help would cut from the end.
func ShortHelp(h help.Model, keys []key.Binding, width int) string {
	h.SetWidth(0) // measured whole here; nothing cut behind a "…"
	line := h.ShortHelpView(keys)
	for len(keys) > 1 && lipgloss.Width(line) > width {
		keys = append(keys[:len(keys)-2:len(keys)-2], keys[len(keys)-1])
		line = h.ShortHelpView(keys)
	}
	return line
}

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
