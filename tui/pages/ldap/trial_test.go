package ldap_test

import (
	"strings"
	"testing"
)

// A Password env naming a variable that is not set here gets a note at the
// field, as the Users view and the test panel say "(not set)".
func TestPasswordEnvNotSetIsNoted(t *testing.T) {
	yaml := strings.Replace(corpYAML, "managerPasswordFile: /etc/frontdoor/ldap-manager.pw", "managerPasswordEnv: READER_PW", 1)
	h := newHarness(t, yaml, 100, 40)
	h.press("enter") // the first setting's form
	if frame := h.frame(); !strings.Contains(frame, "not set here: a test or listing asks for the password") {
		t.Fatalf("no note for an unset READER_PW:\n%s", frame)
	}
}

// The status line belongs to the screen: opening the LDAP screen drops
// another screen's news (the Check screen's verdict).
func TestOpeningTheScreenClearsOtherNews(t *testing.T) {
	h := newHarness(t, corpYAML, 100, 40)
	h.status.Set("check: the door does not work: 2 steps failed")
	h.s.Open()
	if got := h.status.String(); got != "" {
		t.Fatalf("the LDAP screen shows %q", got)
	}
}
