package importer

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frontdoor/internal/servertest"
	"frontdoor/render"
)

// TestImportFindingsAreRenders: import reports what render and save will
// refuse, with the certificate and key files read (one rule:
// render.ValidateWithFiles inside render.ValidateHere): a certificate for
// another name, an expired one. The report says the settings need fixing
// (exit 1); the diff is still worked out (the settings render).
func TestImportFindingsAreRenders(t *testing.T) {
	const name = "artifactory.example.com"
	ca := servertest.NewCA(t, "", "ca")
	cases := []struct {
		name string
		spec servertest.CertSpec
		want string // in the certificate's error
	}{
		{"another name", servertest.CertSpec{CommonName: "other.example.com", DNSNames: []string{"other.example.com"}}, "does not cover " + name},
		{"expired", servertest.CertSpec{CommonName: name, DNSNames: []string{name},
			NotBefore: time.Now().Add(-100 * 24 * time.Hour), NotAfter: time.Now().Add(-10 * 24 * time.Hour)}, "expired"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			kp := ca.Issue(t, dir, "server", c.spec)
			site := fmt.Sprintf(`server {
    listen 443 ssl;
    server_name %s;
    ssl_certificate %s;
    ssl_certificate_key %s;
    location / {
        proxy_pass http://localhost:8082;
    }
    location /artifactory/ {
        proxy_pass http://localhost:8081;
    }
}
`, name, kp.CertPath, kp.KeyPath)
			path := servertest.WriteFile(t, filepath.Join(dir, "artifactory.conf"), site)
			res, err := Import([]string{path}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Findings.HasErrors() {
				t.Fatalf("no error in the findings: %v", res.Findings)
			}
			got := res.Findings.Errors()[0]
			if got.Path != "proxy.https.certificate" || !strings.Contains(got.Message, c.want) {
				t.Errorf("first error %s, want proxy.https.certificate ... %q", got, c.want)
			}
			// The same findings render gives for the imported settings.
			want, _ := render.ValidateWithFiles(&res.Settings, time.Now())
			if fmt.Sprint(want.Errors()) != fmt.Sprint(res.Findings.Errors()) {
				t.Errorf("import's errors %v, render's %v", res.Findings.Errors(), want.Errors())
			}
			var report bytes.Buffer
			res.WriteReport(&report, "frontdoor.yaml")
			out := report.String()
			if strings.Contains(out, "Everything mapped") || !strings.Contains(out, "the settings need fixing") || !strings.Contains(out, c.want) {
				t.Errorf("report:\n%s", out)
			}
			if strings.Contains(out, "not known until the settings validate") {
				t.Errorf("no diff for settings that render:\n%s", out)
			}
		})
	}
}
