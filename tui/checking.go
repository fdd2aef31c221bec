package tui

import (
	tea "charm.land/bubbletea/v2"

	"frontdoor/app"
	"frontdoor/install"
	"frontdoor/tui/components/confirm"
	"frontdoor/tui/pages/proxy"
)

// The root's part in checking the door: the Check screen (pages/check) is
// opened from the home menu, or right after a save that installed the
// snippet, from the question the save's end asks ("check the door now").

// openCheck shows the Check screen; local suggests this machine's
// listeners (after a save that reloaded the web server here). The command
// reads the CA file the screen holds, so its finding is there without a key.
func (m *Model) openCheck(local bool) tea.Cmd {
	m.show(screenCheck)
	return m.check.Open(local)
}

// offerCheck asks, after a save that put the snippet in place and
// reloaded the web server, whether to check the door now: the save proved
// the configuration loads; the check proves clients get through it. A save
// without a reload is not asked about: the door still serves the previous
// configuration, which is what a check would see. Nor is a save that
// verified after its reload (Verify): that was a check from a client's side
// on this machine's listeners, and its steps are in the report.
func (m *Model) offerCheck(rep app.Report) {
	if rep.Install == nil || rep.Install.Reload.Status != install.StatusPassed || rep.Verify != nil {
		return
	}
	m.confirm = &confirm.Dialog{
		Question: "Check the door now?",
		Detail: "The snippet is in place (" + rep.Installed() + ") and the server was reloaded. " +
			"Check the door now from a client's side (DNS, TLS, the redirect, Artifactory and Docker through it), " +
			"against this machine's listeners? Home → Check runs it later.",
		Choices: []confirm.Choice{
			{Keys: []string{"c", "enter"}, Label: "check the door now", Do: func() tea.Cmd {
				open := m.openCheck(true)
				return tea.Batch(open, m.check.Start())
			}},
		},
	}
}

// checkLineShown reports whether the review step shows the last check
// under the save report: after a check, as its one-line verdict.
func (m *Model) checkLineShown() bool {
	return m.screen == screenHTTP && m.proxy.Step() == proxy.StepReview && m.check.Last() != nil && m.height >= 20
}

// checkLines is how many lines the check's verdict takes (0: not shown).
func (m *Model) checkLines() int {
	if m.checkLineShown() {
		return len(m.checkLine())
	}
	return 0
}

// checkLine is the last check as the home screen says it, wrapped to the
// width rather than cut (the address and the CA trusted are at its end).
func (m *Model) checkLine() []string {
	return m.check.SummaryLines(m.styles.Heading.Render("Last check")+" ", m.styles.Subtle.Render("  (home → Check)"), m.width)
}
