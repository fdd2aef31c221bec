package importing

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frontdoor/config"
	"frontdoor/importer"
	"frontdoor/render"
	"frontdoor/tui/common"
	"frontdoor/tui/document"
)

// twoSites is an nginx file with Artifactory's server and another site's.
const twoSites = `server {
    listen 80;
    server_name artifactory.example.com;
    location / { proxy_pass http://10.0.0.11:8082; }
}
server {
    listen 80;
    server_name status.example.com;
    root /var/www/status;
}
`

// newPanel is the panel over the defaults, saving to target.
func newPanel(t *testing.T, target string) *Panel {
	t.Helper()
	st := common.NewStyles(true, true)
	keys := common.NewKeys()
	var status common.Status
	doc := document.New(&config.File{Proxy: render.Defaults(), HasProxy: true}, time.Now)
	doc.Target.Path.Value = target
	return New(&st, &keys, &status, doc, Options{})
}

// When the wizard imports its own save target, another site in that file
// goes with it when the save replaces the file: the report lists it as
// dropped (importer.Options.SaveTarget), never as left as it is, whether
// the import comes from the offer's dialog or from accessible mode.
func TestImportOfTheSaveTargetDropsAnotherSite(t *testing.T) {
	target := filepath.Join(t.TempDir(), "artifactory.conf")
	if err := os.WriteFile(target, []byte(twoSites), 0o644); err != nil {
		t.Fatal(err)
	}
	imports := map[string]func(t *testing.T, p *Panel) *importer.Result{
		"the offer's dialog": func(t *testing.T, p *Panel) *importer.Result {
			p.Message(p.Probe(target, false)().(Msg))
			d := p.Ask()
			if d == nil {
				t.Fatal("the save target is not offered")
			}
			act, _ := p.Message(d.Choices[0].Do()().(Msg))
			if act != Review {
				t.Fatalf("not imported: %s", p.status.String())
			}
			return p.Result()
		},
		"accessible mode": func(t *testing.T, p *Panel) *importer.Result {
			offers := p.Offers("")
			if len(offers) != 1 {
				t.Fatalf("offers %+v", offers)
			}
			if _, err := p.ImportNow(offers[0], 100); err != nil {
				t.Fatal(err)
			}
			return p.Result()
		},
	}
	for name, do := range imports {
		t.Run(name, func(t *testing.T) {
			p := newPanel(t, target)
			res := do(t, p)
			if res.Settings.ServerName != "artifactory.example.com" {
				t.Fatalf("imported %q", res.Settings.ServerName)
			}
			var dropped bool
			for _, it := range res.Unmapped {
				dropped = dropped || strings.Contains(it.Directive, "status.example.com") && strings.Contains(it.Why, "dropped with it")
			}
			for _, it := range res.Outside {
				if strings.Contains(it.Directive, "status.example.com") {
					t.Errorf("the other site is listed as %q", it.Why)
				}
			}
			if !dropped {
				t.Errorf("the other site is not listed as dropped: unmapped %+v", res.Unmapped)
			}
		})
	}
}

// After a save over the imported file, a change of save target (another
// provider) wins: the panel says the file stays enabled, not that it was
// saved, and another site in it is left as it is, no longer dropped with
// a save that now goes elsewhere; back on that target, the words return.
func TestImportFollowsTheSaveTarget(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "artifactory.conf")
	if err := os.WriteFile(target, []byte(twoSites), 0o644); err != nil {
		t.Fatal(err)
	}
	p := newPanel(t, target)
	p.Message(p.Probe(target, false)().(Msg))
	if act, _ := p.Message(p.Ask().Choices[0].Do()().(Msg)); act != Review {
		t.Fatalf("not imported: %s", p.status.String())
	}
	p.saved = true // as SavedBy after a save that installed over it
	// The save replaced the file: what it held is a backup now.
	if err := os.WriteFile(target, []byte("# frontdoor's snippet\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if title := strings.Join(p.title(200), " "); !strings.Contains(title, "saved: the old file is a backup") {
		t.Fatalf("after the save: title %q", title)
	}
	other := func() (dropped, left bool) {
		for _, it := range p.Result().Unmapped {
			dropped = dropped || strings.Contains(it.Directive, "status.example.com") && strings.Contains(it.Why, "dropped with it")
		}
		for _, it := range p.Result().Outside {
			left = left || strings.Contains(it.Directive, "status.example.com") && strings.Contains(it.Why, "left as it is")
		}
		return dropped, left
	}
	reclassify := func() {
		t.Helper()
		cmd := p.Reclassify()
		if cmd == nil {
			t.Fatal("a new target runs no reclassification")
		}
		p.Message(cmd().(Msg))
		if p.Reclassify() != nil {
			t.Fatal("the same target is classified again")
		}
	}

	p.doc.Target.Path.Value = filepath.Join(dir, "apache2", "artifactory.conf") // the provider switched to Apache
	reclassify()
	if title := strings.Join(p.title(200), " "); strings.Contains(title, "saved:") || !strings.Contains(title, "file stays enabled") {
		t.Errorf("target changed after the save: title %q", title)
	}
	if dropped, left := other(); dropped || !left {
		t.Errorf("target changed: the other site dropped %v, left as it is %v; unmapped %+v", dropped, left, p.Result().Unmapped)
	}
	if lines := strings.Join(p.Lines(200), "\n"); strings.Contains(lines, "now holds frontdoor's snippet") || !strings.Contains(lines, "stays enabled") {
		t.Errorf("target changed: the report says\n%s", lines)
	}

	p.doc.Target.Path.Value = target // back to nginx
	reclassify()
	if dropped, left := other(); !dropped || left {
		t.Errorf("back on the imported file: the other site dropped %v, left as it is %v", dropped, left)
	}
	if title := strings.Join(p.title(200), " "); !strings.Contains(title, "saved: the old file is a backup") {
		t.Errorf("back on the imported file: title %q", title)
	}
}

// The panel's title goes on to a second line rather than being cut.
func TestImportTitleWraps(t *testing.T) {
	target := filepath.Join(t.TempDir(), "artifactory.conf")
	if err := os.WriteFile(target, []byte(twoSites), 0o644); err != nil {
		t.Fatal(err)
	}
	p := newPanel(t, target)
	p.Message(p.Probe(target, false)().(Msg))
	p.Message(p.Ask().Choices[0].Do()().(Msg))
	p.saved = true
	lines := p.title(40)
	text := strings.Join(lines, " ")
	if len(lines) < 2 || strings.Contains(text, "…") || !strings.Contains(text, "saved: the old file is a backup") || !strings.Contains(text, "1 not mapped") {
		t.Fatalf("title at 40 columns: %q", lines)
	}
	for _, l := range lines {
		if common.Width(l) > 40 {
			t.Errorf("%q is wider than 40", l)
		}
	}
}
