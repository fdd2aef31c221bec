package render

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"frontdoor/internal/servertest"
)

// exportTo exports the embedded templates into a fresh directory.
func exportTo(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(servertest.TempDir(t), "templates")
	written, err := ExportTemplates(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != len(templateFileNames()) {
		t.Fatalf("wrote %v, want one file per provider template", written)
	}
	return dir
}

func writeTemplate(t *testing.T, dir, name, text string) {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	// A later mtime than any earlier version, whatever the clock's
	// resolution: the cache compares size and mtime.
	later := time.Now().Add(time.Duration(len(text)) * time.Second)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
}

// The exported templates are the embedded ones: rendering with them gives
// the same bytes, for every provider of the matrix.
func TestExportedTemplatesRenderTheSame(t *testing.T) {
	dir := exportTo(t)
	for _, c := range matrixCases() {
		embedded := mustRender(t, &c.s)
		s := c.s.Clone()
		s.Templates = dir
		got, err := Render(&s)
		if err != nil || !bytes.Equal(got, embedded) {
			t.Fatalf("%s: with the exported templates: %v\n%s", c.name, err, lineDiff(string(embedded), string(got)))
		}
	}
}

// Export never overwrites an admin's edits.
func TestExportRefusesExistingFiles(t *testing.T) {
	dir := exportTo(t)
	writeTemplate(t, dir, "nginx.conf.tmpl", "mine")
	_, err := ExportTemplates(dir)
	if err == nil || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("export into a directory holding templates: %v", err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "nginx.conf.tmpl")); string(data) != "mine" {
		t.Errorf("the admin's file was changed: %q", data)
	}
	if _, err := ExportTemplates("relative/dir"); err == nil {
		t.Error("a relative directory was accepted")
	}
}

// An admin's file may replace one block of the embedded template; the
// output changes there only, stays deterministic, and still passes the
// real server's check.
func TestAdminTemplateOverridesABlock(t *testing.T) {
	dir := filepath.Join(servertest.TempDir(t), "mine")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	embedded, err := os.ReadFile(filepath.Join(exportTo(t), "haproxy.cfg.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	// Only the backend block, with a longer connect timeout.
	start := bytes.Index(embedded, []byte(`{{- define "haproxy-backend"}}`))
	block := string(embedded[start:])
	block = strings.Replace(block, "timeout connect 5s", "timeout connect 9s", 1)
	writeTemplate(t, dir, "haproxy.cfg.tmpl", "{{/* the site's own connect timeout */}}\n"+block)

	files := servertest.NewTLSFiles(t, "artifactory.example.com")
	s := withTLSFiles(t, goldenSettings(HAProxy, DockerSubdomain, redirectTo, 2, true), files)
	embeddedOut := mustRender(t, &s)
	want := strings.ReplaceAll(string(embeddedOut), "timeout connect 5s", "timeout connect 9s")
	s.Templates = dir
	for range 2 {
		got, err := Render(&s)
		if err != nil {
			t.Fatal(err)
		}
		// The revision is the output's own hash: it differs with the block.
		want := strings.ReplaceAll(want, Revision(embeddedOut), Revision(got))
		if string(got) != want {
			t.Fatalf("output with the admin's block:\n%s", lineDiff(want, string(got)))
		}
	}
	if fs, _ := ValidateWithFiles(&s, time.Now()); fs.HasErrors() {
		t.Errorf("findings: %s", fs)
	}
	h := servertest.NewHAProxy(t) // the real check: skipped without haproxy, failed under CI

	out, _ := Render(&s)
	h.Install(out)
	if msg, err := h.Check(); err != nil {
		t.Fatalf("haproxy -c: %v\n%s", err, msg)
	}
}

// A whole template of the admin's own replaces the provider's, and an edit
// to the file is picked up by the next render.
func TestAdminTemplateReplacesTheWholeTemplate(t *testing.T) {
	dir := filepath.Join(servertest.TempDir(t), "mine")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeTemplate(t, dir, "gateway-api.yaml.tmpl", "# {{.ServerName}} only\n")
	s := goldenSettings(GatewayAPI, DockerNone, httpsOnly, 1, false)
	s.Templates = dir
	if got, err := Render(&s); err != nil || string(got) != "# artifactory.example.com only\n" {
		t.Fatalf("got %q, %v", got, err)
	}
	writeTemplate(t, dir, "gateway-api.yaml.tmpl", "# {{.ServerName}} edited\n")
	if got, err := Render(&s); err != nil || string(got) != "# artifactory.example.com edited\n" {
		t.Fatalf("after an edit: got %q, %v", got, err)
	}
	// Another provider keeps its embedded template.
	s.Provider = Nginx
	s.HTTPS.Key = goldenKey
	if got, err := Render(&s); err != nil || !bytes.Contains(got, []byte("server_name artifactory.example.com")) {
		t.Fatalf("nginx with a gateway-api template in the directory: %v\n%s", err, got)
	}
}

// A template's failure is the admin's: the error names the file and line.
func TestAdminTemplateErrors(t *testing.T) {
	s := goldenSettings(Nginx, DockerNone, httpOnly, 1, false)
	cases := []struct {
		name, file, text string
		want             []string
	}{
		{"does not parse", "nginx.conf.tmpl", "line one\n{{if .HA}}\nno end\n", []string{"nginx.conf.tmpl:", "unexpected EOF", "an admin template"}},
		{"unknown field", "nginx.conf.tmpl", "a\nb\n{{.NoSuchField}}\n", []string{"nginx.conf.tmpl:3:", "can't evaluate field NoSuchField in type the template's values"}},
		{"unknown function", "nginx.conf.tmpl", "{{exec \"rm\"}}\n", []string{"nginx.conf.tmpl:1:", `function "exec" not defined`}},
		{"unknown file name", "ngnix.conf.tmpl", "x", []string{"ngnix.conf.tmpl: no provider has a template of this name: did you mean nginx.conf.tmpl?", "name it nginx.conf.tmpl, apache.conf.tmpl"}},
		{"unknown file name, none near", "squid.conf.tmpl", "x", []string{"squid.conf.tmpl: no provider has a template of this name (name it nginx.conf.tmpl, apache.conf.tmpl"}},
		{"misspelt block", "nginx.conf.tmpl", "{{/* mine */}}\n\n{{define \"nginx-proxi\"}}\n    proxy_pass http://artifactory;\n{{end}}\n",
			[]string{`nginx.conf.tmpl:3: {{define "nginx-proxi"}} replaces no block of frontdoor's and no template calls it, so it changes nothing: did you mean "nginx-proxy"?`, "nginx.conf.tmpl's blocks: nginx-proxy, nginx-server-names, nginx-tls"}},
		{"text around the whole template's define", "nginx.conf.tmpl", "{{define \"nginx.conf.tmpl\"}}server {}\n{{end}}\n\n# my note\n",
			[]string{`nginx.conf.tmpl:4: text outside {{define "nginx.conf.tmpl"}} would replace the whole template`, "move it inside the block"}},
		{"block of another case", "apache.conf.tmpl", "{{define \"Apache-Proxy\"}}x{{end}}", []string{`did you mean "apache-proxy"?`}},
		{"unknown block, none near", "haproxy.cfg.tmpl", "{{define \"timeouts\"}}x{{end}}", []string{`{{define "timeouts"}} replaces no block`, "haproxy.cfg.tmpl's blocks: haproxy-backend, haproxy-request, haproxy-route, haproxy-tls"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(servertest.TempDir(t), "mine")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			writeTemplate(t, dir, c.file, c.text)
			s := s.Clone()
			s.Templates = dir
			_, err := Render(&s)
			var te *TemplateError
			if !errors.As(err, &te) || !te.Admin {
				t.Fatalf("Render: %v, want an admin's *TemplateError", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if !strings.HasPrefix(err.Error(), filepath.Join(dir, c.file)) {
				t.Errorf("error %q does not start with the file's path", err)
			}
			fs, _ := ValidateWithFiles(&s, time.Now())
			if i := slices.IndexFunc(fs, func(f Finding) bool { return f.Path == "proxy.templates" && f.Severity == Error }); i < 0 {
				t.Errorf("ValidateWithFiles: no error at proxy.templates:\n%s", fs)
			}
		})
	}
}

func TestTemplatesSettingValidated(t *testing.T) {
	s := validBase()
	for _, bad := range []string{"templates", "./t", "/etc/frontdoor/t\n"} {
		s.Templates = bad
		checkFindings(t, Validate(&s), []want{{"proxy.templates", Error, "give"}})
	}
	s.Templates = "/no/such/dir"
	_, err := Render(&s)
	if err == nil || !strings.Contains(err.Error(), "/no/such/dir") {
		t.Errorf("a missing directory: %v", err)
	}
}

// A block of the admin's own is fine when a template calls it: a helper is
// not a typo.
func TestAdminTemplateHelperBlock(t *testing.T) {
	dir := filepath.Join(servertest.TempDir(t), "mine")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	block := strings.Replace(embeddedBlock(t, "nginx.conf.tmpl", "nginx-proxy"), "    proxy_read_timeout 2400s;\n", `{{template "site-timeouts" .}}`+"\n", 1)
	writeTemplate(t, dir, "nginx.conf.tmpl", block+`{{define "site-timeouts"}}    proxy_read_timeout 3600s;{{end}}`)
	s := goldenSettings(Nginx, DockerNone, httpOnly, 1, false)
	s.Templates = dir
	out, err := Render(&s)
	if err != nil || !bytes.Contains(out, []byte("proxy_read_timeout 3600s;")) {
		t.Fatalf("Render: %v\n%s", err, out)
	}
	if fs := CheckTemplates(&s, Validate(&s)); len(fs) > 0 {
		t.Errorf("findings: %s", fs)
	}
}
