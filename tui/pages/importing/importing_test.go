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
