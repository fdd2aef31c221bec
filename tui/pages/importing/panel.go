package importing

import (
	"bytes"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"frontdoor/importer"
	"frontdoor/importer/semantic"
	"frontdoor/tui/common"
	"frontdoor/tui/components/pane"
)

// The panel under the review step: its share of the layout, its title and
// lines, its keys and help.

// Key gives the panel the focus on the review step.
var Key = key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "import report"))

// Layout lays the panel out (in Update) for a body width x height: its
// lines are drawn again when what they say changed, and it takes its share
// of the body, at most a third (two thirds when focused; at least 4 lines,
// its title included). It returns that share.
func (p *Panel) Layout(width, height int) int {
	key := fmt.Sprint(width, " ", p.version, " ", p.doc.Target.Path.Value, " ", p.doc.Settings().ServerName, " ",
		p.saved, " ", len(p.doc.Settings().Docker.Repositories), " ", p.doc.Proxy.Findings.HasErrors(), " ", p.doc.Settings().Provider)
	if key != p.drawnFor {
		p.drawn, p.drawnFor = p.Lines(width), key
		p.view.SetContent(p.drawn, nil)
	}
	share := height / 3
	if p.focused {
		share = height * 2 / 3 // focused: the report to read; the fields above wait
	}
	titled := len(p.title(width))
	h := max(3+titled, min(len(p.drawn)+titled, share))
	pane.Fit(&p.view, width, h-titled, p.focused)
	return h
}

// Render draws the panel as laid out: its title, then the report, width
// cells wide. It changes nothing.
func (p *Panel) Render(width int) string {
	return strings.Join(p.title(width), "\n") + "\n" + p.view.Render()
}

// title heads the panel: what the import leaves to review (the file is
// the panel's first line), on a second line rather than cut.
func (p *Panel) title(width int) []string {
	st := p.st
	var parts []string
	switch {
	case p.savedOver():
		parts = append(parts, "saved: the old file is a backup")
	case !p.replaced():
		// The save goes elsewhere: no change of that file's is made.
		parts = append(parts, string(p.res.Provider)+" file stays enabled")
	case p.diffErr == nil:
		parts = append(parts, common.CountNoun(len(p.changes), "change")+" when saved")
	}
	if n := len(p.res.Unmapped); n > 0 {
		parts = append(parts, common.Itoa(n)+" not mapped")
	}
	lead, hint := st.Heading.Render("Import"), st.Subtle.Render("  (ctrl+o: scroll, search, copy)")
	if len(parts) > 0 {
		lead += "  "
	}
	if p.focused {
		lead, hint = st.LabelFocused.Render(common.GlyphPointer+" ")+lead, ""
	}
	return common.Titled(lead, strings.Join(parts, " · "), nil, hint, width)
}

// Lines are the panel's content: where the file stays, what was not
// mapped (file:line and why), the notes, and what changes when saved, in
// the words of `frontdoor import` (importer.WriteChanges).
func (p *Panel) Lines(width int) []string {
	st := p.st
	res := p.res
	var out []string
	add := func(style common.Renderer, first, rest, text string) {
		out = append(out, common.WrapPrefixed(text, width, first, rest, style)...)
	}
	add(st.Subtle, "", "  ", fmt.Sprintf("From %s (%s): %s mapped.", p.path, res.Provider, common.CountNoun(len(res.Mapped), "setting")))
	if !p.replaced() {
		target, provider := p.doc.Target.Path.Value, p.doc.Settings().Provider
		text := "The imported " + string(res.Provider) + " file " + p.path + " stays enabled: the save goes to " + target +
			" and does not change it, and both would serve " + p.doc.Settings().ServerName + ". Disable it once the new snippet serves"
		if provider == res.Provider {
			text += ", or make it the Target to replace it (kept as a backup)"
		}
		add(st.WarnText, common.GlyphWarning+" ", "  ", text+".")
	}
	if res.Migrated {
		add(st.Subtle, "", "  ", "The Artifactory 6 layout is migrated to 7: / to the router, /artifactory/ to Artifactory.")
	}
	keysMissing := res.DockerKeysUnknown && len(p.doc.Settings().Docker.Repositories) == 0
	if keysMissing {
		add(st.WarnText, common.GlyphWarning+" ", "  ", "The Docker repository keys are not in the configuration: add them on the Docker step.")
	}
	// What was not mapped, in importer.WriteUnmapped's words and layout:
	// the heading, each place and directive, its reason indented under it.
	var unmapped bytes.Buffer
	importer.WriteUnmapped(&unmapped, res.Unmapped)
	for _, l := range strings.Split(strings.TrimSuffix(unmapped.String(), "\n"), "\n") {
		text := strings.TrimLeft(l, " ")
		switch indent := l[:len(l)-len(text)]; {
		case l == "":
		case indent == "":
			out = append(out, common.WrapPrefixed(text, width, "", "", st.Bold)...)
		case len(indent) <= 2:
			add(st.WarnText, indent, indent+"  ", text)
		default:
			add(st.Subtle, indent, indent, text)
		}
	}
	for _, n := range res.Notes {
		// Two notes are about the settings as imported, not as edited
		// since: said only while they still hold (importer words them).
		switch {
		case strings.Contains(n, "names no repository keys") && !keysMissing:
			continue
		case strings.HasPrefix(n, "the imported settings do not validate yet") && !p.doc.Proxy.Findings.HasErrors():
			continue
		}
		add(st.Subtle, "- ", "  ", n)
	}
	if p.savedOver() {
		// The diff was of the old file against the settings to save; the
		// file holds frontdoor's snippet now.
		add(st.Subtle, "", "", p.path+" now holds frontdoor's snippet (the old file is kept as a backup); what changed with the save:")
	}
	// "What changes" is what a save does to the imported file; a save
	// elsewhere leaves it as it is: the list then says how the new
	// snippet's door differs from the one that file still serves.
	what := func(l string) string { return l }
	if !p.replaced() {
		what = func(l string) string {
			if rest, ok := strings.CutPrefix(l, "What changes"); ok {
				return "How the new snippet differs from it" + rest
			}
			return l
		}
	}
	if p.diffErr != nil {
		add(st.Subtle, "", "", what("What changes: not known until the settings validate ("+p.diffErr.Error()+")."))
		return out
	}
	var b bytes.Buffer
	importer.WriteChanges(&b, p.changes)
	for _, l := range strings.Split(strings.Trim(b.String(), "\n"), "\n") {
		l = what(l)
		indent := l[:len(l)-len(strings.TrimLeft(l, " "))]
		add(changeStyle(st, strings.TrimLeft(l, " ")), indent, indent+"  ", strings.TrimLeft(l, " "))
	}
	return out
}

// savedOver reports whether a save put the snippet over the imported file
// and the save target is still that file: a target changed since (another
// provider) wins, as the next save goes there.
func (p *Panel) savedOver() bool { return p.saved && p.replaced() }

// replaced reports whether a save replaces the imported file: it is the
// save target (after a change of provider the target is another file).
func (p *Panel) replaced() bool {
	t := p.doc.Target.Path.Value
	return t == "" || t == p.path
}

// changeStyle colours a line of the diff by its mark.
func changeStyle(st *common.Styles, l string) common.Renderer {
	// The marks are semantic's, the one place they are chosen.
	switch {
	case strings.HasPrefix(l, semantic.Added.Mark()+" "):
		return st.OKText
	case strings.HasPrefix(l, semantic.Removed.Mark()+" "):
		return st.ErrorText
	case strings.HasPrefix(l, semantic.Changed.Mark()+" "):
		return st.WarnText
	}
	return st.Value
}

// Focused reports whether the panel has the focus (the root asks only
// while it is on show).
func (p *Panel) Focused() bool { return p.focused }

// Blur takes the focus away (the panel is not on show).
func (p *Panel) Blur() { p.focused = false }

// Capturing reports whether the panel's search prompt takes every key.
func (p *Panel) Capturing() bool { return p.view.Capturing() }

// Update handles a key while the panel is on show; false when the key is
// not the panel's. formCapturing says the page above has a search prompt
// open (ctrl+o is then its).
func (p *Panel) Update(k tea.KeyPressMsg, formCapturing bool) (tea.Cmd, bool) {
	if p.focused {
		if !p.view.Capturing() && (key.Matches(k, p.keys.Back) || key.Matches(k, Key)) {
			p.focused = false
			return nil, true
		}
		return p.view.Update(k), true
	}
	if key.Matches(k, Key) && !formCapturing {
		p.focused = true
		return nil, true
	}
	return nil, false
}

// Scroll hands the focused panel a paste, or the panel a wheel message
// with the pointer over it.
func (p *Panel) Scroll(msg tea.Msg) tea.Cmd { return p.view.Update(msg) }

// KeyMap is the help while the panel has the focus; WithKey adds the
// panel's key to the help of the page above it.
func (p *Panel) KeyMap() help.KeyMap { return keyMap{p} }

// WithKey adds the panel's key to the review step's help.
func WithKey(base help.KeyMap) help.KeyMap { return withKey{base} }

type withKey struct{ base help.KeyMap }

func (h withKey) ShortHelp() []key.Binding {
	out := h.base.ShortHelp()
	if n := len(out); n > 0 {
		return append(out[:n-1:n-1], Key, out[n-1]) // before the help key
	}
	return append(out, Key)
}

func (h withKey) FullHelp() [][]key.Binding {
	return append(h.base.FullHelp(), []key.Binding{Key})
}

type keyMap struct{ p *Panel }

func (h keyMap) ShortHelp() []key.Binding {
	out := h.p.view.ShortHelp()
	if h.p.view.Capturing() {
		return out
	}
	return append(out, common.WithHelp(h.p.keys.Back, "esc", "back to the fields"), h.p.keys.Help)
}

func (h keyMap) FullHelp() [][]key.Binding {
	out := h.p.view.FullHelp()
	if h.p.view.Capturing() {
		return out
	}
	return append(out, []key.Binding{common.WithHelp(h.p.keys.Back, "esc/ctrl+o", "back to the fields"), h.p.keys.Quit})
}
