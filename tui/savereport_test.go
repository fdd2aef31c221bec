package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"frontdoor/install"
	"frontdoor/internal/servertest"
	"frontdoor/tui/common"
	"frontdoor/tui/pages/save"
)

// A failed check's output is why the save was undone: it must be readable
// at 80x24 in a real Debian layout (link step included), whole rather than
// cut at the right edge or pushed below the screen by the step list.
func TestFailedCheckOutputIsVisibleAt80x24(t *testing.T) {
	root := servertest.TempDir(t) // a short path, whatever the test's name and TMPDIR
	avail := filepath.Join(root, "etc/nginx/sites-available")
	enabled := filepath.Join(root, "etc/nginx/sites-enabled")
	for _, d := range []string{avail, enabled} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	target := filepath.Join(avail, "artifactory.conf")
	if err := os.WriteFile(target, []byte("# the previous snippet\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// What nginx -t prints for an upstream it cannot resolve: a long line
	// whose end (the host, the file and line) is the part that matters.
	const emerg = `2026/11/22 06:01:28 [emerg] 31802#31802: host not found in upstream "node3.internal:8082" in /etc/nginx/sites-enabled/artifactory.conf:9`
	// The wizard's check is one line split on spaces (no shell): a script.
	script := filepath.Join(root, "check.sh")
	body := "#!/bin/sh\necho '" + emerg + "' >&2\necho 'nginx: configuration file /etc/nginx/nginx.conf test failed' >&2\nexit 1\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	check := []string{script}
	m := newModel(t, exampleYAML, 80, 24, func(o *Options) {
		o.ConfigPath = filepath.Join(root, "frontdoor.yaml")
		o.Target = func(string) install.Target {
			return install.Target{Path: target, EnableLink: filepath.Join(enabled, "artifactory.conf"), CheckCmd: check}
		}
	})
	press(t, m, "3", "ctrl+s")
	if m.save.Last() == nil || !m.save.Last().Install.RolledBack {
		t.Fatalf("want a rolled-back save:\n%s", screenText(m))
	}
	// Joined without line breaks and spaces, so wrapping anywhere is fine.
	flat := strings.Join(strings.Fields(strings.NewReplacer("│", "", "|", "").Replace(screenText(m))), "")
	for _, want := range []string{
		`hostnotfoundinupstream"node3.internal:8082"in/etc/nginx/sites-enabled/artifactory.conf:9`,
		"nginx:configurationfile/etc/nginx/nginx.conftestfailed",
		"checkfailed,rolledback",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the screen does not show %q:\n%s", want, screenText(m))
		}
	}
}

// `apache2ctl -M` fails when the configuration already in place is broken
// (a snippet using Header after mod_headers was disabled): what it said is
// the useful part, not only its exit status.
func TestApacheModulesFailureShowsWhy(t *testing.T) {
	dir := t.TempDir()
	ctl := filepath.Join(dir, "apache2ctl")
	body := "#!/bin/sh\necho 'AH00526: Syntax error on line 34 of /etc/apache2/sites-enabled/artifactory.conf:' >&2\n" +
		"echo \"Invalid command 'Header', perhaps misspelled or defined by a module not included in the server configuration\" >&2\n" +
		"echo \"Action '-M' failed.\"\nexit 1\n"
	if err := os.WriteFile(ctl, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, exampleYAML, 80, 24, func(o *Options) {
		o.Target = func(p string) install.Target {
			tg := fixedTarget(p)
			if p == "apache" {
				tg.ApacheCtl = ctl
			}
			return tg
		}
	})
	press(t, m, "enter", "right", "ctrl+s")
	flat := strings.Join(strings.Fields(strings.NewReplacer("│", "", "|", "").Replace(screenText(m))), "")
	if want := "Invalidcommand'Header',perhapsmisspelled"; !strings.Contains(flat, want) {
		t.Fatalf("the modules line does not say why -M failed:\n%s", screenText(m))
	}
}

// Backup paths under a long --root are longer than the report pane at 80
// columns: they wrap onto the rows under them, whole, never cut with a ›
// at the edge; scrolled through, the report shows every one.
func TestLongBackupPathsAreWholeAt80x24(t *testing.T) {
	root := filepath.Join(t.TempDir(), "some/long/root/for/the/frontdoor/wizard/trial")
	avail := filepath.Join(root, "etc/nginx/sites-available")
	if err := os.MkdirAll(avail, 0o755); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(avail, "artifactory.conf")
	if err := os.WriteFile(target, []byte("# the previous snippet\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, exampleYAML, 80, 24, func(o *Options) {
		o.ConfigPath = filepath.Join(root, "frontdoor.yaml")
		o.Target = func(string) install.Target { return install.Target{Path: target, CheckCmd: []string{"true"}} }
	})
	press(t, m, "3", "ctrl+s")
	rep := m.save.Last()
	if rep == nil || !rep.Saved() || len(rep.Install.Backups) == 0 {
		t.Fatalf("not saved with a backup:\n%s", screenText(m))
	}
	backup := rep.Install.Backups[0].Path
	if len(backup) < 90 {
		t.Fatalf("the backup path %s fits in 80 columns: the test proves nothing", backup)
	}
	press(t, m, "tab", "tab", "g") // the report, from its top
	var seen strings.Builder
	for range 60 {
		screen := screenText(m)
		in := false
		for _, l := range strings.Split(screen, "\n") {
			if strings.HasPrefix(l, common.GlyphPointer+" Last save") {
				in = true
				continue
			}
			if in && strings.HasPrefix(l, "L") && strings.Contains(l, " · wrap") {
				break
			}
			if in {
				if strings.HasSuffix(strings.TrimRight(l, " "), "›") {
					t.Fatalf("a report line is cut at the edge:\n%s", screen)
				}
				seen.WriteString(strings.TrimRight(l, " "))
			}
		}
		press(t, m, "down")
	}
	if !strings.Contains(strings.ReplaceAll(seen.String(), " ", ""), backup) {
		t.Errorf("the report never shows %s whole:\n%s", backup, seen.String())
	}
}

// A check's output without spaces (a base64 line, a path longer than the
// pane) wraps in the report pane under the "    | " gutter: no line runs
// past the pane, and joined again it is the output whole.
func TestReportWrapsLongTokensInTheGutter(t *testing.T) {
	root := servertest.TempDir(t)
	target := filepath.Join(root, "artifactory.conf")
	b64 := strings.Repeat("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=", 6)                    // 216 characters, no space
	path := "/" + strings.Repeat("very-long-directory-name/", 5) + "artifactory.conf:9" // one token
	script := filepath.Join(root, "check.sh")
	body := "#!/bin/sh\necho '" + b64 + "' >&2\necho 'in " + path + "' >&2\nexit 1\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, exampleYAML, 80, 24, func(o *Options) {
		o.ConfigPath = filepath.Join(root, "frontdoor.yaml")
		o.Target = func(string) install.Target { return install.Target{Path: target, CheckCmd: []string{script}} }
	})
	press(t, m, "3", "ctrl+s")
	rep := m.save.Last()
	if rep == nil || rep.Install == nil || rep.Install.Check.Status != install.StatusFailed {
		t.Fatalf("want a failed check:\n%s", screenText(m))
	}
	for _, width := range []int{80, 60, 41} {
		var gutter []string
		for _, l := range save.ReportLines(&m.styles, rep, width) {
			plain := ansi.Strip(l)
			if w := common.Width(plain); w > width {
				t.Errorf("width %d: a line of %d cells: %q", width, w, plain)
			}
			if strings.HasPrefix(plain, "    | ") {
				gutter = append(gutter, strings.TrimPrefix(plain, "    | "))
			}
		}
		flat := strings.Join(strings.Fields(strings.Join(gutter, " ")), "")
		for _, want := range []string{b64, "in" + path} {
			if !strings.Contains(flat, want) {
				t.Errorf("width %d: the gutter lines do not hold %q whole:\n%s", width, want, strings.Join(gutter, "\n"))
			}
		}
	}
	press(t, m, "tab", "tab", "G") // the pane itself: nothing past its edge
	for _, l := range strings.Split(screenText(m), "\n") {
		if common.Width(l) > 80 || strings.HasSuffix(strings.TrimRight(l, " "), "›") {
			t.Fatalf("a line runs past the pane:\n%s", screenText(m))
		}
	}
}
