package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/config"
)

// vendorJSON is the vendor's REST JSON of a web server configuration.
const vendorJSON = `{"key":"direct","webServerType":"NGINX","artifactoryAppContext":"artifactory","publicAppContext":"artifactory","serverName":"a.example.com","artifactoryServerName":"localhost","artifactoryPort":8081,"routerPort":8082,"httpPort":80,"useHttp":true,"useHttps":false,"httpsPort":443,"sslCertificate":"","sslKey":"","dockerReverseProxyMethod":"NOVALUE","upStreamName":"artifactory"}`

// openDoc opens a settings file as the command does.
func openDoc(t testing.TB, path string, explicit bool) *config.Document {
	t.Helper()
	doc, err := config.Open(path, explicit)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// Settings read from the vendor's JSON are saved to frontdoor.yaml beside
// it: the home screen names the file that was read, and where a save goes,
// rather than a frontdoor.yaml that does not exist yet.
func TestVendorJSONSourceIsSaidOnScreen(t *testing.T) {
	dir := t.TempDir()
	jsonPath := filepath.Join(dir, "webServer.json")
	if err := os.WriteFile(jsonPath, []byte(vendorJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, exampleYAML, 160, 24, func(o *Options) { o.Doc, o.File = openDoc(t, jsonPath, true), nil })
	flat := strings.Join(strings.Fields(screenText(m)), " ") // a long value wraps under itself
	if want := jsonPath + " (saving writes " + filepath.Join(dir, "frontdoor.yaml") + ")"; !strings.Contains(flat, want) {
		t.Fatalf("home lacks %q:\n%s", want, screenText(m))
	}
}

// The header names where the settings came from: the built-in example, a
// new file, or the file; it changes once the settings are written.
func TestHeaderNamesTheSource(t *testing.T) {
	dir := t.TempDir()
	newFile := filepath.Join(dir, "new.yaml")
	cases := []struct {
		name, header, home string
		doc                *config.Document
	}{
		{"example", "example", "built-in example (saving writes ", openDoc(t, filepath.Join(dir, "absent.yaml"), false)},
		{"new file", "new file " + newFile, "new file " + newFile + " (the first save creates it)", openDoc(t, newFile, true)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newModel(t, exampleYAML, 160, 24, func(o *Options) { o.Doc, o.File = tc.doc, nil })
			lines := strings.Split(screenText(m), "\n")
			if !strings.HasSuffix(strings.TrimSpace(lines[0]), tc.header) || !strings.Contains(screenText(m), tc.home) {
				t.Fatalf("want header %q and %q:\n%s", tc.header, tc.home, screenText(m))
			}
		})
	}
}
