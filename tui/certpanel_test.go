package tui

import (
	"encoding/pem"
	"frontdoor/tui/common"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The certificate panel marks a file problem the way validation rates it:
// a file that is not here (or not readable) was not checked, a warning; a
// file that is here but unusable (not PEM, an encrypted key) is an error,
// and the panel must not call it a warning.
func TestCertPanelRatesFileProblemsLikeValidation(t *testing.T) {
	cases := []struct {
		name    string
		damage  func(t *testing.T, dir string) // spoils the generated files
		missing bool                           // the files do not exist here
		want    string                         // the panel row
	}{
		{name: "key encrypted", want: "Key       " + common.GlyphError + " the private key is encrypted",
			damage: func(t *testing.T, dir string) {
				block := pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte("not really")})
				writeTestFile(t, filepath.Join(dir, "key.pem"), block)
			}},
		{name: "certificate not PEM", want: "File      " + common.GlyphError + " no PEM certificate in the file",
			damage: func(t *testing.T, dir string) {
				writeTestFile(t, filepath.Join(dir, "cert.pem"), []byte("this is not a certificate\n"))
			}},
		{name: "not on this machine", missing: true, want: "File      " + common.GlyphWarning + " not on this machine: not checked"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			certs := newTestCerts(t, []string{"artifactory.example.com", "*.artifactory.example.com"}, fixedNow.AddDate(1, 0, 0))
			load := certs.load
			if tc.missing {
				load = noCerts
			} else {
				tc.damage(t, certs.dir)
			}
			m := newModel(t, exampleYAML, 160, 48, func(o *Options) { o.LoadCertificates = load })
			press(t, m, "enter", "pgdown", "pgdown")
			if screen := screenText(m); !strings.Contains(screen, tc.want) {
				t.Fatalf("want the row %q:\n%s", tc.want, screen)
			}
		})
	}
}

func writeTestFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// One Docker repository is not "all 1 repository subdomains".
func TestCertPanelCoversOneSubdomain(t *testing.T) {
	certs := newTestCerts(t, []string{"artifactory.example.com", "*.artifactory.example.com"}, fixedNow.AddDate(1, 0, 0))
	yaml := strings.Replace(exampleYAML, "      - {key: docker-remote}\n      - {key: docker}\n", "", 1)
	m := newModel(t, yaml, 160, 48, func(o *Options) { o.LoadCertificates = certs.load })
	press(t, m, "enter", "pgdown", "pgdown")
	screen := screenText(m)
	if want := "Docker    " + common.GlyphOK + " covers docker-local.artifactory.example.com"; !strings.Contains(screen, want) {
		t.Fatalf("want %q:\n%s", want, screen)
	}
}
