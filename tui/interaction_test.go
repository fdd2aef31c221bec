package tui

import (
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"frontdoor/ldapcheck"
	"frontdoor/render"
	"frontdoor/tui/common"
	"frontdoor/tui/components/form"
	"frontdoor/tui/document"
	"frontdoor/tui/pages/proxy"
)

func TestWalkStepsForwardAndBack(t *testing.T) {
	m := newModel(t, exampleYAML, 80, 24)
	press(t, m, "enter")
	for want := proxy.StepProvider; want <= proxy.StepReview; want++ {
		if m.proxy.Step() != want || m.screen != screenHTTP {
			t.Fatalf("step %d, want %d", m.proxy.Step(), want)
		}
		if !strings.Contains(screenText(m), proxy.Steps[want].Title) {
			t.Fatalf("step %d does not show its title:\n%s", want, screenText(m))
		}
		press(t, m, "pgdown")
	}
	if m.proxy.Step() != proxy.StepReview {
		t.Fatalf("pgdown went past the last step: %d", m.proxy.Step())
	}
	// Esc goes back one step at a time, then home.
	for want := proxy.StepReview - 1; want >= proxy.StepProvider; want-- {
		press(t, m, "esc")
		if m.proxy.Step() != want {
			t.Fatalf("esc: step %d, want %d", m.proxy.Step(), want)
		}
	}
	press(t, m, "esc")
	if m.screen != screenHome {
		t.Fatalf("esc on the first step: screen %d, want home", m.screen)
	}
}

func TestEnterMovesThroughFieldsThenToNextStep(t *testing.T) {
	m := newModel(t, exampleYAML, 80, 24)
	press(t, m, "enter", "pgdown") // nodes step: the table, then two ports
	requireFocus(t, m, "Nodes")
	press(t, m, "enter") // one row: leaves the table
	requireFocus(t, m, "Artifactory port")
	press(t, m, "enter")
	requireFocus(t, m, "Router port")
	press(t, m, "enter")
	if m.proxy.Step() != proxy.StepPublic {
		t.Fatalf("enter on the last field: step %d, want %d", m.proxy.Step(), proxy.StepPublic)
	}
	press(t, m, "shift+tab") // at the first item: stays
	requireFocus(t, m, "Server name")
}

func TestInlineErrorAppearsAndDisappears(t *testing.T) {
	m := newModel(t, exampleYAML, 80, 24)
	press(t, m, "enter", "pgdown", "pgdown")
	requireFocus(t, m, "Server name")
	const msg = "a hostname holds letters, digits, '-' and '.' only"
	typeText(t, m, " x")
	if !strings.Contains(screenText(m), "has a space") {
		t.Fatalf("no inline error after typing a space:\n%s", screenText(m))
	}
	if m.proxy.StepIssues(proxy.StepPublic).Errors != 1 || !strings.Contains(screenText(m), "[3 Name & TLS✗]") {
		t.Fatalf("the step bar does not mark the step with the error:\n%s", screenText(m))
	}
	press(t, m, "backspace", "backspace")
	if s := screenText(m); strings.Contains(s, msg) || strings.Contains(s, common.GlyphError) {
		t.Fatalf("the error stays after the fix:\n%s", s)
	}
	if m.doc.ProxyDirty() {
		t.Fatal("typing and deleting the same text left the settings modified")
	}
}

func TestNumberFieldsTakeDigitsOnly(t *testing.T) {
	m := newModel(t, exampleYAML, 80, 24)
	press(t, m, "enter", "pgdown", "tab") // Artifactory port
	requireFocus(t, m, "Artifactory port")
	press(t, m, "backspace", "backspace", "backspace", "backspace")
	if !strings.Contains(screenText(m), "port 0 is out of range: use 1-65535") {
		t.Fatalf("an empty port is not reported by the validator:\n%s", screenText(m))
	}
	typeText(t, m, "9a0x81")
	if settings(m).ArtifactoryPort != 9081 {
		t.Fatalf("port = %d, want 9081 (letters ignored)", settings(m).ArtifactoryPort)
	}
}

func TestDockerRowsAddEditDeleteAndClashMarks(t *testing.T) {
	m := newModel(t, portsYAML, 80, 24)
	press(t, m, "enter", "pgdown", "pgdown", "pgdown", "tab")
	requireFocus(t, m, "Repositories")
	// Add a row after the first and type a key and a clashing port.
	press(t, m, "ctrl+n")
	if n := len(settings(m).Docker.Repositories); n != 4 {
		t.Fatalf("%d rows after ctrl+n, want 4", n)
	}
	if got := settings(m).Docker.Repositories[1].Port; got != 5004 {
		t.Fatalf("new row port %d, want the next free one, 5004", got)
	}
	typeText(t, m, "docker-new")
	press(t, m, "tab", "backspace")
	typeText(t, m, "1") // 5001: docker-local's port
	s := screenText(m)
	clash := regexp.MustCompile(`✗ docker-new\s+5001`)
	if !clash.MatchString(s) || !regexp.MustCompile(`✗ docker-local\s+5001`).MatchString(s) {
		t.Fatalf("the clash is not marked on both rows:\n%s", s)
	}
	if !strings.Contains(s, `port 5001 is also used by repository "docker-local"`) {
		t.Fatalf("no clash message under the row:\n%s", s)
	}
	// Delete it: the clash goes away, the other rows are intact.
	press(t, m, "ctrl+d")
	want := []render.DockerRepository{{Key: "docker-local", Port: 5001}, {Key: "docker-remote", Port: 5002}, {Key: "docker", Port: 5003}}
	if got := settings(m).Docker.Repositories; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("rows after delete: %+v", got)
	}
	if m.doc.Proxy.Issues.Errors != 0 {
		t.Fatalf("errors remain after deleting the clashing row: %v", m.doc.Proxy.Findings)
	}
	if m.doc.ProxyDirty() {
		t.Fatal("adding and deleting a row left the settings modified")
	}
}

func TestEmptyTableAddsFirstRow(t *testing.T) {
	yaml := strings.Replace(exampleYAML, "method: subdomain", "method: repositoryPath", 1)
	yaml = regexp.MustCompile(`(?s)repositories:.*?mtls`).ReplaceAllString(yaml, "repositories: []\n  mtls")
	m := newModel(t, yaml, 80, 24)
	press(t, m, "enter", "pgdown", "pgdown", "pgdown", "tab")
	if !strings.Contains(screenText(m), "no repository yet: ctrl+n adds one") {
		t.Fatalf("empty table:\n%s", screenText(m))
	}
	typeText(t, m, "x") // nothing to edit: ignored
	press(t, m, "ctrl+n")
	typeText(t, m, "docker")
	if got := settings(m).Docker.Repositories; len(got) != 1 || got[0].Key != "docker" {
		t.Fatalf("rows: %+v", got)
	}
}

func TestCtrlCQuitsAtOnceWhenNothingChanged(t *testing.T) {
	m := newModel(t, exampleYAML, 80, 24)
	press(t, m, "enter", "pgdown")
	_, cmd := m.Update(keyPress("ctrl+c"))
	if cmd == nil || m.confirm != nil {
		t.Fatal("ctrl+c with nothing changed should quit at once")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("ctrl+c did not quit")
	}
}

func TestCtrlCAsksBeforeDroppingChanges(t *testing.T) {
	m := newModel(t, exampleYAML, 80, 24)
	press(t, m, "enter", "right") // apache
	press(t, m, "ctrl+c")
	if m.confirm == nil || !strings.Contains(screenText(m), "quit without saving") {
		t.Fatalf("no question:\n%s", screenText(m))
	}
	for _, cancel := range []string{"n", "esc", "ctrl+c"} {
		press(t, m, cancel)
		if m.confirm != nil || m.quitting || settings(m).Provider != render.Apache {
			t.Fatalf("%s should close the question and keep the changes", cancel)
		}
		press(t, m, "ctrl+c")
	}
	_, cmd := m.Update(keyPress("q"))
	if cmd == nil || !m.quitting {
		t.Fatal("q should quit without saving")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("q did not quit")
	}
	if res := m.result(); !res.Dropped || res.Last != nil || res.Saved {
		t.Errorf("the session's result: %+v; want the changes dropped, no save", res)
	}
}

func TestSaveRefusedWhileErrorsRemainShowsTheFirst(t *testing.T) {
	m := newModel(t, portsYAML, 80, 24)
	press(t, m, "enter", "pgdown", "pgdown", "pgdown", "tab", "down", "tab")
	press(t, m, "backspace", "backspace", "backspace", "backspace") // repositories[1].port: empty
	press(t, m, "ctrl+s")                                           // to the review step
	if m.proxy.Step() != proxy.StepReview || !strings.Contains(screenText(m), "fix 1 error first") {
		t.Fatalf("ctrl+s with errors:\n%s", screenText(m))
	}
	press(t, m, "ctrl+s") // tries to save: refused, shows the field
	if m.save.Saving() || m.proxy.Step() != proxy.StepDocker {
		t.Fatalf("save not refused (saving %v, step %d)", m.save.Saving(), m.proxy.Step())
	}
	it := focused(m)
	if it.Kind != form.Table {
		t.Fatalf("focus on %q, want the table", it.Label)
	}
	row, _ := it.Table.Cursor()
	if c, ok := it.Table.Current(m.doc); row != 1 || !ok || c.Field != "port" {
		t.Fatalf("focus not on repositories[1].port: row %d, column %q", row, c.Field)
	}
}

func TestPreviewMarksTheLinesOfTheFocusedField(t *testing.T) {
	m := newModel(t, exampleYAML, 160, 48)
	press(t, m, "enter", "pgdown", "pgdown") // Server name
	p := m.proxy.Preview()
	if !p.Have || len(p.Marked) == 0 {
		t.Fatalf("no marked lines for the server name: %+v", p.Marked)
	}
	for _, l := range p.Marked {
		if !strings.Contains(l, "artifactory") {
			t.Errorf("marked line without the server name: %q", l)
		}
	}
	press(t, m, "tab", "tab") // HTTP port
	requireFocus(t, m, "HTTP port")
	var marked []string
	for _, l := range m.proxy.Preview().Marked {
		marked = append(marked, strings.TrimSpace(l))
	}
	if !containsLine(marked, "listen 80;") {
		t.Fatalf("HTTP port marks %q, want the listen line", marked)
	}
	if !strings.Contains(screenText(m), "from HTTP port") {
		t.Fatalf("the preview does not say which field is marked:\n%s", screenText(m))
	}
	// A repository key of the subdomain method produces only the summary
	// comment at the top (the server_name regex covers every key).
	press(t, m, "pgdown", "tab")
	if marked := m.proxy.Preview().Marked; len(marked) != 1 || !strings.HasPrefix(strings.TrimSpace(marked[0]), "# Docker repositories:") {
		t.Fatalf("subdomain key marks %q\n%s", marked, screenText(m))
	}
}

// A Docker port's lines are marked: its variant is a free port (n+1,
// n+2 and n-1 were the neighbours' ports, a clash each time, so no port
// cell ever had marks).
func TestPreviewMarksADockerPort(t *testing.T) {
	// 5001 to 5004: every neighbour of 5002 (5003, 5004, 5001) is taken.
	yaml := strings.Replace(portsYAML, "      - {key: docker, port: 5003}\n", "      - {key: docker, port: 5003}\n      - {key: docker-four, port: 5004}\n", 1)
	m := newModel(t, yaml, 160, 48)
	if n := len(settings(m).Docker.Repositories); n != 4 {
		t.Fatalf("%d repositories, want 4", n)
	}
	press(t, m, "enter", "pgdown", "pgdown", "pgdown", "tab", "down", "tab") // repositories[1].port: 5002
	if c, ok := focused(m).Table.Current(m.doc); !ok || c.Field != "port" {
		t.Fatalf("focus not on a port:\n%s", screenText(m))
	}
	marked := m.proxy.Preview().Marked
	if len(marked) == 0 {
		t.Fatalf("no marks for the port 5002:\n%s", screenText(m))
	}
	for _, l := range marked {
		if !strings.Contains(l, "5002") {
			t.Errorf("a marked line does not hold the port: %q", l)
		}
	}
	if settings(m).Docker.Repositories[1].Port != 5002 {
		t.Error("marking changed the settings")
	}
}

func containsLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

func TestPreviewShowsChangesAgainstTheTarget(t *testing.T) {
	files := fakeFiles{"/etc/nginx/sites-available/artifactory.conf": []byte(oldSnippet(t))}
	m := newModel(t, exampleYAML, 160, 48, func(o *Options) { o.ReadFile = files.read })
	if m.proxy.Preview().Have {
		t.Fatal("the preview rendered before the HTTP screen was shown")
	}
	press(t, m, "enter")
	p := m.proxy.Preview()
	// The port's two lines, and the revision line, which hashes the file.
	if !p.Changed || p.Added != 3 || p.Removed != 3 {
		t.Fatalf("%+v, want changed +3 -3", p)
	}
	// Set HTTP back to 8080: the snippet is now what is there.
	press(t, m, "pgdown", "pgdown", "tab", "tab", "backspace", "backspace")
	typeText(t, m, "8080")
	if !m.proxy.Preview().Same || !strings.Contains(screenText(m), "saving changes nothing") {
		t.Fatalf("%+v, want same\n%s", m.proxy.Preview(), screenText(m))
	}
}

func TestPreviewKeepsTheLastSnippetWhileInvalid(t *testing.T) {
	m := newModel(t, exampleYAML, 160, 48)
	press(t, m, "enter", "pgdown", "pgdown")
	before := m.proxy.Preview().Lines
	typeText(t, m, "{")
	if !m.proxy.Preview().Stale || !strings.Contains(screenText(m), "no current snippet: fix the 1 error first") {
		t.Fatalf("invalid settings:\n%s", screenText(m))
	}
	if len(m.proxy.Preview().Lines) != len(before) {
		t.Fatal("the last valid snippet was dropped")
	}
}

func TestNarrowPreviewToggles(t *testing.T) {
	m := newModel(t, exampleYAML, 80, 24)
	press(t, m, "enter", "pgdown", "pgdown", "ctrl+p")
	if !strings.Contains(screenText(m), "Preview · nginx snippet") || strings.Contains(screenText(m), "Server name ") {
		t.Fatalf("ctrl+p at 80 columns should show the preview instead of the form:\n%s", screenText(m))
	}
	first := m.proxy.Preview().Top
	press(t, m, "pgdown")
	if m.proxy.Preview().Top <= first {
		t.Fatal("pgdown does not scroll the preview")
	}
	press(t, m, "esc")
	if !strings.Contains(screenText(m), "Server name") || m.proxy.Step() != proxy.StepPublic {
		t.Fatalf("esc should go back to the form:\n%s", screenText(m))
	}
}

func TestResizeChangesTheLayout(t *testing.T) {
	m := newModel(t, exampleYAML, 80, 24)
	press(t, m, "enter", "pgdown", "pgdown")
	if strings.Contains(screenText(m), "│ Preview") {
		t.Fatal("preview beside the form at 80 columns")
	}
	send(t, m, tea.WindowSizeMsg{Width: 130, Height: 40})
	if !strings.Contains(screenText(m), "│ Preview") {
		t.Fatalf("no preview beside the form at 130 columns:\n%s", screenText(m))
	}
	for _, l := range strings.Split(screenText(m), "\n") {
		if w := len([]rune(l)); w > 130 {
			t.Fatalf("line wider than the terminal (%d): %q", w, l)
		}
	}
	if n := strings.Count(screenText(m), "\n") + 1; n != 40 {
		t.Fatalf("%d lines, want 40", n)
	}
	send(t, m, tea.WindowSizeMsg{Width: 40, Height: 10})
	if !strings.Contains(screenText(m), "too small") {
		t.Fatalf("no message at 40x10:\n%s", screenText(m))
	}
}

var colorSeq = regexp.MustCompile(`\x1b\[[0-9;]*(3[0-9]|4[0-9]|9[0-7]|10[0-7])[;m]`)

func TestNoColor(t *testing.T) {
	m := newModel(t, exampleYAML, 160, 48, func(o *Options) { o.NoColor = true })
	press(t, m, "enter", "pgdown", "pgdown", "space")
	if v := m.View().Content; colorSeq.MatchString(v) {
		t.Fatalf("colour in NO_COLOR mode: %q", colorSeq.FindString(v))
	}
	// A terminal without colours gets the same through its profile.
	m = newModel(t, exampleYAML, 160, 48)
	press(t, m, "enter", "pgdown", "pgdown")
	if !colorSeq.MatchString(m.View().Content) {
		t.Fatal("no colour at all by default")
	}
	send(t, m, tea.ColorProfileMsg{Profile: colorprofile.ASCII})
	if v := m.View().Content; colorSeq.MatchString(v) {
		t.Fatalf("colour with an ASCII profile: %q", colorSeq.FindString(v))
	}
}

func TestCertificatesAreReadWhenThePathsChange(t *testing.T) {
	var asked [][2]string
	certs := newTestCerts(t, []string{"artifactory.example.com", "*.artifactory.example.com"}, fixedNow.AddDate(1, 0, 0))
	m := newModel(t, exampleYAML, 80, 48, func(o *Options) {
		o.LoadCertificates = func(c, k string) *render.CertInfo {
			asked = append(asked, [2]string{c, k})
			return certs.load(c, k)
		}
	})
	if len(asked) != 1 {
		t.Fatalf("certificate loads at start: %v", asked)
	}
	press(t, m, "enter", "pgdown", "pgdown")
	if !strings.Contains(screenText(m), "Subject   CN=artifactory.example.com") || !strings.Contains(screenText(m), "matches the certificate") {
		t.Fatalf("certificate panel:\n%s", screenText(m))
	}
	// Typing in another field reads nothing; editing the key path reads again.
	typeText(t, m, "z")
	press(t, m, "backspace")
	if len(asked) != 1 {
		t.Fatalf("loads after editing the server name: %v", asked)
	}
	for range 7 {
		press(t, m, "tab")
	}
	requireFocus(t, m, "Private key")
	typeText(t, m, "2")
	if len(asked) != 2 || asked[1][1] != "/etc/ssl/private/artifactory.key2" {
		t.Fatalf("loads after editing the key path: %v", asked)
	}
}

func TestProviderChangeFollowsTheDetectedTarget(t *testing.T) {
	m := newModel(t, exampleYAML, 80, 24)
	press(t, m, "enter", "right")
	if m.doc.Target.Path.Value != "/etc/apache2/sites-available/artifactory.conf" || m.doc.Target.Check.Value != "apache2ctl -t" {
		t.Fatalf("target for apache: %+v", m.doc.Target)
	}
	// An edited target is kept, and says so; the detected check follows.
	press(t, m, "ctrl+s", "up", "up", "up", "up", "up", "up")
	requireFocus(t, m, "Target")
	typeText(t, m, ".new")
	press(t, m, "pgup", "pgup", "pgup", "pgup", "pgup", "left")
	tg := m.doc.Target
	if settings(m).Provider != render.Nginx || tg.Path.Value != "/etc/apache2/sites-available/artifactory.conf.new" || tg.Check.Value != "nginx -t" {
		t.Fatalf("edited target replaced: %+v", m.doc.Target)
	}
	if tg.From("Target") != "edited" || tg.From("Check") != "detected" {
		t.Fatalf("origins: target %q, check %q", tg.From("Target"), tg.From("Check"))
	}
}

func TestHomeMenu(t *testing.T) {
	m := newModel(t, exampleYAML, 80, 24)
	press(t, m, "down", "down", "enter")
	if m.screen != screenHTTP || m.proxy.Step() != proxy.StepReview {
		t.Fatalf("Save from home: screen %d step %d", m.screen, m.proxy.Step())
	}
	press(t, m, "esc", "esc", "esc", "esc", "esc", "esc")
	if m.screen != screenHome {
		t.Fatal("not home")
	}
	_, cmd := m.Update(keyPress("q"))
	if cmd == nil {
		t.Fatal("q on home does not quit")
	}
}

func TestHomeOpensLDAP(t *testing.T) {
	m := newModel(t, exampleYAML, 80, 24)
	press(t, m, "down", "enter")
	if m.screen != screenLDAP || !strings.Contains(screenText(m), "frontdoor · LDAP settings") {
		t.Fatalf("LDAP from home:\n%s", screenText(m))
	}
	press(t, m, "esc")
	if m.screen != screenHome {
		t.Fatalf("esc from LDAP: screen %d", m.screen)
	}
}

// The quit question lists what is unsaved, by section and field, in the
// screens' words, not just "unsaved changes".
func TestQuitListsWhatIsUnsaved(t *testing.T) {
	m := newModel(t, exampleYAML, 80, 24)
	press(t, m, "enter", "pgdown", "pgdown")
	requireFocus(t, m, "Server name")
	typeText(t, m, "x")
	press(t, m, "pgdown")
	requireFocus(t, m, "Method")
	press(t, m, "right") // the ports method
	m.doc.Checkpoint(document.SectionLDAP, "", "")
	m.doc.EditLDAP(func(c *ldapcheck.Config) {
		c.Settings[0].URL = "ldap://dir.corp.test:389/dc=corp,dc=test"
		c.Settings = append(c.Settings, ldapcheck.Setting{Key: "dir2"})
	})
	press(t, m, "ctrl+c")
	if m.confirm == nil {
		t.Fatalf("no quit question:\n%s", screenText(m))
	}
	got := m.confirm.Detail + " " + strings.Join(strings.Fields(screenText(m)), " ")
	for _, want := range []string{
		"Not saved yet: HTTP settings: Server name, Method; LDAP settings: corp (changed), dir2 (added).",
		"save settings and quit",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the quit question lacks %q", want)
		}
	}
	if t.Failed() {
		t.Fatal(screenText(m))
	}
}
