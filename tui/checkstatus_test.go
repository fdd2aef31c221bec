package tui

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"frontdoor/internal/servertest"
	"frontdoor/tui/pages/check"
	"frontdoor/tui/pages/home"
)

// closedDoorYAML is the example's door on ports where nothing listens, so
// a check against 127.0.0.1 fails at once (connection refused).
func closedDoorYAML(t *testing.T) string {
	t.Helper()
	ports := servertest.FreePorts(t, 2)
	yaml := strings.Replace(exampleYAML, "port: 80,", "port: "+strconv.Itoa(ports[0])+",", 1)
	return strings.Replace(yaml, "port: 443,", "port: "+strconv.Itoa(ports[1])+",", 1)
}

// A check that ends while another screen is open (a dialog's answer or the
// import's review can move on while it runs) says its verdict on the Check
// screen and in the home summary, not on that screen's status line; the
// Check screen's status line says it when the screen is back.
func TestCheckVerdictStaysOnTheCheckScreen(t *testing.T) {
	m := newModel(t, closedDoorYAML(t), 80, 24)
	m.check.SetOptions(check.Options{NoSpin: true, Timeout: 5 * time.Second}) // a bound, not an assertion
	in, _ := m.check.Questions()
	in.Address = "127.0.0.1"
	press(t, m, "4")
	_, runCmd := m.Update(keyPress("ctrl+r")) // started; its steps not taken yet
	if !m.check.Running() {
		t.Fatalf("no check runs:\n%s", screenText(m))
	}
	run(t, m, m.openHome(home.LDAP)) // as the home menu opens it
	send(t, m)                       // laid out, as after any message
	if m.screen != screenLDAP {
		t.Fatalf("not on the LDAP screen:\n%s", screenText(m))
	}
	run(t, m, runCmd)
	last := m.check.Last()
	if last == nil || last.Result.Failed == 0 {
		t.Fatalf("the check did not end in failures: %+v", last)
	}
	if screen := screenText(m); strings.Contains(m.status.String(), "check:") || strings.Contains(screen, "the door does not work") {
		t.Fatalf("the check's verdict is on the LDAP screen:\n%s", screen)
	}
	press(t, m, "esc")
	if m.screen != screenHome {
		t.Fatalf("esc did not go home:\n%s", screenText(m))
	}
	if screen := screenText(m); !strings.Contains(screen, "the door does not work") || strings.Contains(m.status.String(), "check:") {
		t.Fatalf("home: the summary should say the verdict, the status line not:\n%s", screen)
	}
	press(t, m, "4")
	if got := m.status.String(); !strings.HasPrefix(got, "check: the door does not work") {
		t.Fatalf("back on the Check screen: status %q, want the verdict:\n%s", got, screenText(m))
	}
}

// A CA file answered without keys (accessible mode, a path kept from an
// earlier visit) is read when the Check screen opens from the home menu:
// its finding is under the field before any key.
func TestOpeningCheckReadsTheCAFile(t *testing.T) {
	m := newModel(t, exampleYAML, 80, 24)
	bad := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(bad, []byte("not a certificate\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	in, _ := m.check.Questions()
	in.CAFile = bad
	press(t, m, "4")
	want := check.CAFileProblem(bad)
	if want == "" {
		t.Fatal("the file was taken for a CA file")
	}
	if screen := screenText(m); !strings.Contains(screen, "✗ "+want[:20]) {
		t.Fatalf("no finding under CA file after opening the screen (%q):\n%s", want, screen)
	}
}
