package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frontdoor/config"
	"frontdoor/internal/servertest"
	"frontdoor/render"
)

// plainHTTP is a small valid settings file; its comments must survive every
// write of the wizard.
const plainHTTP = "# the admin's own words\nproxy:\n  serverName: artifactory.example.com  # the public name\n  docker: {method: repositoryPath}\n"

// layoutRoot makes <root>/etc/<server>/{sites-available,sites-enabled}: a
// detected layout for frontdoor, without a server to check it.
func layoutRoot(t *testing.T, server string) (root, file, link string) {
	t.Helper()
	root = t.TempDir()
	for _, d := range []string{"sites-available", "sites-enabled"} {
		mkdir(t, filepath.Join(root, "etc", server, d))
	}
	return root, filepath.Join(root, "etc", server, "sites-available/artifactory.conf"), filepath.Join(root, "etc", server, "sites-enabled/artifactory.conf")
}

func mkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, body string) string {
	t.Helper()
	return servertest.WriteFile(t, path, body)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func assertMissing(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Lstat(path); err == nil {
		t.Errorf("%s exists", path)
	}
}

// settingsFile writes a settings file in a directory of its own and opens it.
func settingsFile(t *testing.T, body string) (string, *config.Document) {
	t.Helper()
	path := writeFile(t, filepath.Join(t.TempDir(), "frontdoor.yaml"), body)
	return path, open(t, path)
}

func open(t *testing.T, path string) *config.Document {
	t.Helper()
	doc, err := config.Open(path, true)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// rendered is the snippet of the settings, as a save installs it.
func rendered(t *testing.T, body string, provider render.Provider) string {
	t.Helper()
	f, err := config.Parse([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if provider != "" {
		f.Proxy.Provider = provider
	}
	out, err := render.Render(&f.Proxy)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// request is the command line's request for doc and flags.
func request(t *testing.T, doc *config.Document, flags Flags) Request {
	t.Helper()
	req, err := CommandLine(doc, flags)
	if err != nil {
		t.Fatalf("CommandLine: %v", err)
	}
	return req
}

// stepWith is the first step whose detail contains s (nil when none).
func (r Report) stepWith(s string) *stepView {
	for _, st := range r.Steps {
		if strings.Contains(st.Detail, s) {
			return &stepView{Mark: st.Mark.Symbol(), Detail: st.Detail}
		}
	}
	return nil
}

type stepView struct{ Mark, Detail string }

// waitFor waits until path exists (a check script's "I started" marker).
// The minute is a guard against hanging, not a timing assertion.
func waitFor(t *testing.T, path string) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); {
		if _, err := os.Stat(path); err == nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s never appeared: the check did not start", path)
}
