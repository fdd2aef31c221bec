package tui

import (
	"strings"
	"testing"
)

// Settings read from the vendor's JSON are saved to frontdoor.yaml beside
// it: the home screen names the file that was read, and where a save goes,
// rather than a frontdoor.yaml that does not exist yet.
func TestVendorJSONSourceIsSaidOnScreen(t *testing.T) {
	m := newModel(t, exampleYAML, 100, 24, func(o *Options) {
		o.LoadedFrom = "/srv/webServer.json"
		o.ConfigPath = "/srv/frontdoor.yaml"
	})
	if want := "/srv/webServer.json (saving writes /srv/frontdoor.yaml)"; !strings.Contains(screenText(m), want) {
		t.Fatalf("home lacks %q:\n%s", want, screenText(m))
	}
}
