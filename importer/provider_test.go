package importer

import (
	"strings"
	"testing"

	"frontdoor/render"
)

// TestWrongProvider: a file imported as the other web server's
// (--provider apache on an nginx file) is refused with what it looks like
// and the --provider to give, not "no server in it proxies Artifactory".
func TestWrongProvider(t *testing.T) {
	tests := []struct {
		fixture string
		given   render.Provider
		want    string
	}{
		{"nginx-vendor7", render.Apache, "this looks like an nginx configuration, not an Apache one: give --provider nginx, or leave --provider out (the web server is detected from the file)"},
		{"nginx-ports-map", render.Apache, "this looks like an nginx configuration, not an Apache one: give --provider nginx"},
		{"apache-vendor7-balancer", render.Nginx, "this looks like an Apache configuration, not an nginx one: give --provider apache, or leave --provider out (the web server is detected from the file)"},
		{"apache-define", render.Nginx, "this looks like an Apache configuration, not an nginx one: give --provider apache"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			var f fixture
			for _, x := range fixtures {
				if x.name == tt.fixture {
					f = x
				}
			}
			path := writeFixture(t, t.TempDir(), f.name, f.standardValues())
			_, err := Import([]string{path}, Options{Provider: tt.given})
			if err == nil || !IsInputError(err) || !strings.HasPrefix(err.Error(), path+": "+tt.want) {
				t.Errorf("err = %v\nwant %s: %s...", err, path, tt.want)
			}
			if _, err := Import([]string{path}, Options{Provider: f.provider}); err != nil {
				t.Errorf("with the right provider: %v", err)
			}
		})
	}
}
