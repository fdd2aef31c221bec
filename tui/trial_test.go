package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/install"
	"frontdoor/render"
	"frontdoor/tui/pages/save"
)

// The trial's quit: "s save settings and quit" with a certificate that no
// longer covers the server name (an error on screen, which frontdoor
// validate rejects) wrote the settings and exited. The quit dialog and the
// review step's Save settings only share one rule (save.SettingsRefusal):
// refused with the reason, the wizard stays on the error's field.
func TestQuitSaveRefusesWhatTheScreenCallsAnError(t *testing.T) {
	certs := newTestCerts(t, []string{"artifactory.example.com", "*.artifactory.example.com"}, fixedNow.AddDate(1, 0, 0))
	cfgPath, open := settingsFile(t, exampleYAML)
	m := newModel(t, "", 80, 24, open, func(o *Options) { o.LoadCertificates = certs.load })
	press(t, m, "enter", "pgdown", "pgdown")
	requireFocus(t, m, "Server name")
	typeText(t, m, "x") // artifactory.example.comx: not on the certificate
	if m.doc.Proxy.Issues.Errors == 0 {
		t.Fatalf("no error for a name the certificate does not cover:\n%s", screenText(m))
	}
	before := readText(t, cfgPath)
	press(t, m, "pgdown") // away from the field
	press(t, m, "ctrl+c", "s")
	if m.quitting {
		t.Fatal("quit after writing settings with an error")
	}
	if readText(t, cfgPath) != before {
		t.Fatal("the settings were written")
	}
	screen := screenText(m)
	if !strings.Contains(screen, "not quitting") || m.confirm != nil {
		t.Fatalf("the refusal is not said, or the dialog stays:\n%s", screen)
	}
	requireFocus(t, m, "Certificate") // the first error: it does not cover the name

	// The review step's Save settings only: the same rule.
	press(t, m, "ctrl+s", "tab") // the review step's Save, then Save settings only
	requireButton(t, m, save.ActionSettingsOnly)
	if !strings.Contains(screenText(m), "[ Save settings only ] fix 4 errors first") {
		t.Errorf("the button does not say it is refused:\n%s", screenText(m))
	}
	press(t, m, "enter")
	if m.save.Last() != nil || readText(t, cfgPath) != before {
		t.Fatal("Save settings only wrote settings with an error")
	}
	requireFocus(t, m, "Certificate")
}

// After a settings-only save, the last words say that the snippet the web
// server has is older than the settings just written (save.AfterWords).
func TestSettingsOnlyLastWordsSayTheSnippetIsOlder(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "artifactory.conf")
	if err := os.WriteFile(target, []byte("# an older snippet\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, open := settingsFile(t, exampleYAML)
	m := newModel(t, "", 80, 24, open, func(o *Options) {
		o.Target = func(string) install.Target {
			return install.Target{Path: target, CheckCmd: []string{"true"}}
		}
		o.ReadFile = os.ReadFile
	})
	press(t, m, "enter", "pgdown", "pgdown")
	typeText(t, m, "x")
	press(t, m, "ctrl+c", "s")
	if !m.quitting {
		t.Fatalf("not quitting:\n%s", screenText(m))
	}
	res := m.result()
	if len(res.After) != 1 || !strings.Contains(res.After[0], "the installed snippet at "+target+" is older than these settings") {
		t.Fatalf("last words after a settings-only save: %q", res.After)
	}
}

// The import report is for the file it was made from: after choosing
// another web server (whose save goes elsewhere), it no longer counts
// changes "when saved" to the nginx file, which a save leaves enabled.
func TestImportReportFollowsTheTarget(t *testing.T) {
	dir, target, opt := importTarget(t)
	apacheTarget := filepath.Join(dir, "apache", "artifactory.conf")
	m := newModel(t, exampleYAML, 120, 40, opt, func(o *Options) {
		o.Target = func(p string) install.Target {
			if p == string(render.Apache) {
				return install.Target{Path: apacheTarget, CheckCmd: []string{"true"}}
			}
			return install.Target{Path: target, CheckCmd: []string{"true"}}
		}
	})
	press(t, m, "i")
	if screen := screenText(m); !strings.Contains(screen, "changes when saved") {
		t.Fatalf("no count of the changes after the import:\n%s", screen)
	}
	press(t, m, "pgup", "pgup", "pgup", "pgup", "pgup")
	requireFocus(t, m, "Web server")
	press(t, m, "right") // Apache
	if settings(m).Provider != render.Apache || m.doc.Target.Path.Value != apacheTarget {
		t.Fatalf("provider %s, target %s", settings(m).Provider, m.doc.Target.Path.Value)
	}
	press(t, m, "ctrl+s")
	screen := strings.Join(strings.Fields(screenText(m)), " ")
	if strings.Contains(screen, "changes when saved") || strings.Contains(screen, "What changes") {
		t.Errorf("the report still counts the changes to %s:\n%s", target, screenText(m))
	}
	for _, want := range []string{"Import nginx file stays enabled", "The imported nginx file " + target + " stays enabled: the save goes to " + apacheTarget} {
		if !strings.Contains(screen, want) {
			t.Errorf("the report lacks %q:\n%s", want, screenText(m))
		}
	}
}

// At 80x24 the status line's news wraps onto a second line rather than
// being cut (a path after a '/'), and the review step's Save names the
// error it waits for.
func TestStatusWrapsAndSaveNamesTheError(t *testing.T) {
	m := newModel(t, exampleYAML, 80, 24)
	press(t, m, "enter")
	news := "imported /tmp/frontdoor-demo/etc/nginx/sites-available/artifactory.conf: 14 settings mapped, 2 directives not mapped (ctrl+z undoes)"
	m.status.Set(news)
	lines := strings.Split(screenText(m), "\n")
	if len(lines) != 24 {
		t.Fatalf("%d lines", len(lines))
	}
	footer := lines[len(lines)-3] + lines[len(lines)-2]
	if !strings.Contains(footer, "imported /tmp/frontdoor-demo/etc/nginx/sites-available/") || !strings.Contains(footer, "  artifactory.conf: 14 settings mapped, 2 directives not mapped (ctrl+z undoes)") {
		t.Fatalf("the status is cut:\n%s", screenText(m))
	}

	press(t, m, "pgdown", "pgdown")
	typeText(t, m, ";")
	press(t, m, "ctrl+s")
	if !strings.Contains(screenText(m), "[ Save ] fix 1 error first: serverName (enter goes there)") {
		t.Fatalf("the Save line does not name the error:\n%s", screenText(m))
	}
}

// Check's button, disabled by an error in the HTTP settings, names it and
// goes there on enter (or ctrl+r), as Save's button does.
func TestCheckGoesToTheHTTPError(t *testing.T) {
	for _, k := range []string{"enter", "ctrl+r"} {
		m := newModel(t, strings.Replace(exampleYAML, "serverName: artifactory.example.com", "serverName: artifactory.example.com;", 1), 80, 24)
		press(t, m, "4")
		if screen := screenText(m); !strings.Contains(screen, "[ Check ] fix 1 error in the HTTP settings first: serverName") || !strings.Contains(screen, "(enter goes there)") {
			t.Fatalf("the Check button does not name the error:\n%s", screen)
		}
		press(t, m, k)
		if m.screen != screenHTTP {
			t.Fatalf("%s on Check with an HTTP error stays on screen %v:\n%s", k, m.screen, screenText(m))
		}
		requireFocus(t, m, "Server name")
		if got := m.status.String(); got != "fix the errors first, then check" {
			t.Fatalf("%s: status %q", k, got)
		}
	}
}

// A long settings path goes on under Save settings only, broken at a '/',
// rather than cut with "…", at 80 and 160 columns.
func TestSaveSettingsOnlyWrapsALongPath(t *testing.T) {
	path := "/tmp/frontdoor-trial-2f1c9a7e/home/admin/configurations/artifactory-frontdoor/frontdoor.yaml"
	for _, width := range []int{80, 160} {
		m := newModel(t, exampleYAML, width, 48, func(o *Options) { o.ConfigPath = path })
		press(t, m, "3") // home: Save
		lines := strings.Split(screenText(m), "\n")
		for i, l := range lines {
			lines[i], _, _ = strings.Cut(l, "│") // the form's side, not the preview's
		}
		var button []string
		for i, l := range lines {
			if strings.Contains(l, "[ Save settings only ]") {
				button = []string{l}
				for _, more := range lines[i+1:] {
					if !strings.HasPrefix(more, strings.Repeat(" ", 20)) || strings.TrimSpace(more) == "" {
						break
					}
					button = append(button, more)
				}
			}
		}
		text := strings.Join(button, "\n")
		if button == nil || strings.Contains(text, "…") {
			t.Fatalf("%d columns: the button is cut or missing:\n%s", width, screenText(m))
		}
		flat := strings.Join(strings.Fields(strings.ReplaceAll(text, "[ Save settings only ]", "")), "")
		if !strings.Contains(flat, "writes"+path+"only") {
			t.Fatalf("%d columns: the button does not say the whole path:\n%s", width, text)
		}
	}
}
