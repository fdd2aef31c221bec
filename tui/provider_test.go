package tui

import (
	"strings"
	"testing"

	"frontdoor/app"
	"frontdoor/config"
	"frontdoor/render"
	"frontdoor/tui/common"
)

// provider: haproxy in the file, under a root without HAProxy: the first
// step says once that nothing was found there, the check command is whole
// (on two lines at 80 columns), and → then ← come back to HAProxy.
func TestProviderStepOfAFileSayingHAProxy(t *testing.T) {
	root := t.TempDir()
	yaml := strings.Replace(exampleYAML, "provider: nginx", "provider: haproxy", 1)
	m := newModel(t, yaml, 80, 40, func(o *Options) {
		o.Target = nil
		o.Resolve = func(p render.Provider, loaded *config.File) (app.Target, error) {
			return app.Resolve(p, loaded, app.Flags{Command: "frontdoor wizard", Root: app.Given(root)})
		}
	})
	press(t, m, "enter")
	screen := screenText(m)
	bare := func(s string) string { return strings.Join(strings.Fields(s), "") } // wrapped anywhere
	note := "no haproxy configuration found under " + root
	if n := strings.Count(bare(screen), bare(note)); n != 1 {
		t.Errorf("the note shows %d times, want once:\n%s", n, screen)
	}
	if check := m.doc.Target.Check.Value; check == "" || !strings.Contains(bare(screen), bare(check)) {
		t.Errorf("the check %q is not shown whole:\n%s", check, screen)
	}
	if strings.Contains(screen, "…") {
		t.Errorf("something is cut:\n%s", screen)
	}
	for _, keys := range [][]string{{"right", "left"}, {"left", "right"}, {"right", "right", "left", "left"}} {
		press(t, m, keys...)
		if p := settings(m).Provider; p != render.HAProxy || !strings.Contains(screenText(m), common.GlyphRadioOn+" HAProxy") {
			t.Fatalf("after %v the provider is %s:\n%s", keys, p, screenText(m))
		}
	}
}
