package tui

import (
	"strings"
	"testing"
	"time"

	"frontdoor/tui/pages/check"
	"frontdoor/tui/pages/save"
)

// The status line is the news of the screen on show: leaving a screen
// clears what it said (Check's verdict, LDAP's "nothing to undo"), and a
// screen's news that comes while another is on show is not said there.
// Home's Check row keeps the verdict.
func TestStatusIsTheNewsOfTheScreenOnShow(t *testing.T) {
	m := newModel(t, closedDoorYAML(t), 80, 24)
	m.check.SetOptions(check.Options{NoSpin: true, Timeout: 5 * time.Second}) // a bound, not an assertion
	in, _ := m.check.Questions()
	in.Address = "127.0.0.1"
	press(t, m, "4")
	_, runCmd := m.Update(keyPress("ctrl+r"))
	run(t, m, runCmd)
	if got := m.status.String(); !strings.HasPrefix(got, "check: the door does not work") {
		t.Fatalf("on the Check screen: status %q, want the verdict", got)
	}
	press(t, m, "esc")
	if got, screen := m.status.String(), screenText(m); m.screen != screenHome || got != "" || !strings.Contains(screen, "the door does not work") {
		t.Fatalf("home after Check: status %q; want none, and the verdict in the Check row:\n%s", got, screen)
	}
	press(t, m, "4", "esc", "1")
	if got := m.status.String(); m.screen != screenHTTP || got != "" {
		t.Fatalf("the HTTP steps after Check: status %q, want none:\n%s", got, screenText(m))
	}

	press(t, m, "esc", "2", "ctrl+z")
	if got := m.status.String(); m.screen != screenLDAP || got == "" {
		t.Fatalf("LDAP's undo said nothing (status %q):\n%s", got, screenText(m))
	}
	press(t, m, "esc")
	if got := m.status.String(); m.screen != screenHome || got != "" {
		t.Fatalf("home after LDAP: status %q, want none:\n%s", got, screenText(m))
	}
	send(t, m, save.SettingsDoneMsg{Path: "/tmp/elsewhere.yaml"}) // the LDAP screen's save, ended while home is on show
	if got := m.status.String(); got != "" {
		t.Fatalf("home says the LDAP screen's news %q", got)
	}
}
