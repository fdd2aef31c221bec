package tui

import (
	"frontdoor/render"
	"frontdoor/tui/accessible"
	"frontdoor/tui/common"
	"frontdoor/tui/pages/importing"
	"frontdoor/tui/pages/proxy"
)

// The root's part in importing a configuration an admin already has (the
// panel is package pages/importing): when the panel shows and has the
// focus, the offer's dialog, and accessible mode's offers.

// WebServerConfig says whether the file at path is an nginx or Apache
// configuration (frontdoor's own snippets included), and which: `--config`
// naming one opens the wizard with the offer to import it.
func WebServerConfig(path string) (render.Provider, bool) { return importing.WebServerConfig(path) }

// importShown reports whether the review step shows the import panel.
func (m *Model) importShown() bool {
	return m.imp.Imported() && m.screen == screenHTTP && m.proxy.Step() == proxy.StepReview
}

// importFocused reports whether the import panel is on show with the focus.
func (m *Model) importFocused() bool { return m.imp.Focused() && m.importShown() }

// askPending opens a waiting offer once nothing else is asked and the
// targets are known (the offer's words depend on where the snippet goes).
func (m *Model) askPending() {
	if m.confirm != nil || m.save.Saving() || m.quitting || !m.doc.Detected() {
		return
	}
	if d := m.imp.Ask(); d != nil {
		m.confirm = d
	}
}

// importOffers are the files to offer to import before accessible mode's
// menu, as its yes-or-no questions.
func (m *Model) importOffers() []accessible.Offer {
	offers := m.imp.Offers(m.opts.Import)
	out := make([]accessible.Offer, len(offers))
	for i, o := range offers {
		question, detail := importing.Question(o, m.doc.Target.Path.Value, true)
		out[i] = accessible.Offer{Question: question, Detail: detail, Do: func() ([]string, error) {
			return m.imp.ImportNow(o, common.AccessibleWidth)
		}}
	}
	return out
}
