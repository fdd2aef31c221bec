package ldap_test

import (
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"frontdoor/config"
	"frontdoor/tui/common"
	"frontdoor/tui/document"
	"frontdoor/tui/internal/tuitest"
	"frontdoor/tui/pages/ldap"
	"frontdoor/tui/pages/save"
)

// harness drives the LDAP screen alone, as the root model does: keys to
// Update, the screen's messages to Message, a layout after each, and a
// frame of the body with the status and help lines under it (the root's
// header and footer are the root's: its goldens show them).
type harness struct {
	t      testing.TB
	st     common.Styles
	keys   common.Keys
	status common.Status
	sv     save.Model
	doc    *document.Document
	s      *ldap.Screen
	help   help.Model
	width  int
	height int
}

// newHarness opens the LDAP screen on yaml at width x height cells.
func newHarness(t testing.TB, yaml string, width, height int) *harness {
	t.Helper()
	f, err := config.Parse([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, st: common.NewStyles(true, true), keys: common.NewKeys(), width: width, height: height}
	h.help = help.New()
	h.help.Styles = h.st.Help
	h.doc = document.New(f, func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) })
	h.s = ldap.New(&h.st, &h.keys, &h.status, h.doc, &h.sv, ldap.Options{ConfigPath: "frontdoor.yaml", NoSpin: true,
		Getenv: func(string) string { return "" }})
	h.s.Open()
	h.layout()
	return h
}

// bodyHeight is what the root leaves the screen: a header of two lines,
// the status line and the help.
func (h *harness) bodyHeight() int {
	return max(1, h.height-2-1-len(strings.Split(h.helpText(), "\n")))
}

func (h *harness) layout() { h.s.Layout(h.width, h.bodyHeight()) }

// key sends one key as the root does (help and quit aside) and returns the
// command the screen gave back, not run.
func (h *harness) key(name string) tea.Cmd {
	h.t.Helper()
	k := keyPress(name)
	if !h.s.Capturing() && key.Matches(k, h.keys.Help) && (k.String() == "f1" || !h.s.Typing()) {
		h.help.ShowAll = !h.help.ShowAll
		h.layout()
		return nil
	}
	_, cmd := h.s.Update(k)
	h.layout()
	return cmd
}

// press sends keys, dropping their commands (goldens replay runs instead).
func (h *harness) press(names ...string) {
	h.t.Helper()
	for _, n := range names {
		h.key(n)
	}
}

// typeText types text one character at a time.
func (h *harness) typeText(text string) {
	h.t.Helper()
	for _, r := range text {
		h.s.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		h.layout()
	}
}

// message hands the screen one of its messages.
func (h *harness) message(msg tea.Msg) tea.Cmd {
	m, ok := msg.(ldap.Msg)
	if !ok {
		return nil
	}
	_, cmd := h.s.Message(m)
	h.layout()
	return cmd
}

// helpText is the help as the root draws it: the full help when shown,
// else the help line (common.ShortHelp keeps "? keys" in it).
func (h *harness) helpText() string {
	if h.help.ShowAll {
		return h.help.View(h.s.KeyMap())
	}
	return common.ShortHelp(h.help, h.s.KeyMap().ShortHelp(), h.width)
}

// frame is the body, the status line and the help, without styles.
func (h *harness) frame() string {
	h.layout()
	lines := []string{h.s.Render(), common.Truncate("LDAP "+common.Summary(&h.st, h.doc.LDAP.Issues)+statusSuffix(h.status.String()), h.width)}
	for _, l := range strings.Split(h.helpText(), "\n") {
		lines = append(lines, common.Cut(l, h.width))
	}
	return ansi.Strip(strings.Join(lines, "\n"))
}

func statusSuffix(s string) string {
	if s == "" {
		return ""
	}
	return "  ·  " + s
}

// keyPress is a named key press (tuitest.KeyPress): "tab", "ctrl+n", text.
func keyPress(name string) tea.KeyPressMsg { return tuitest.KeyPress(name) }
