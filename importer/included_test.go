package importer

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/internal/servertest"
	"frontdoor/render"
)

// TestDockerKeysFromIncludedSnippet: importing the main nginx.conf whose
// sites-enabled/ holds frontdoor's own subdomain snippet reads the keys
// from that snippet's header (the file that holds the Artifactory server),
// as importing the snippet itself does.
func TestDockerKeysFromIncludedSnippet(t *testing.T) {
	dir := t.TempDir()
	snippet := readFile(t, filepath.Join("..", "render", "testdata", "golden", "nginx-subdomain-https-1node.conf"))
	site := servertest.WriteFile(t, filepath.Join(dir, "sites-enabled/artifactory"), string(snippet))
	main := servertest.WriteFile(t, filepath.Join(dir, "nginx.conf"), "user www-data;\nevents {}\nhttp {\n    include sites-enabled/*;\n}\n")
	for _, given := range []string{main, site} {
		t.Run(filepath.Base(given), func(t *testing.T) {
			res, err := Import([]string{given}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, r := range res.Settings.Docker.Repositories {
				keys = append(keys, r.Key)
			}
			if res.DockerKeysUnknown || strings.Join(keys, " ") != "docker-local docker-remote docker" {
				t.Errorf("keys %q, unknown %v; notes %q", keys, res.DockerKeysUnknown, res.Notes)
			}
			if src := res.Sources["proxy.docker.repositories[0]"]; src.File != site || src.Line != 4 {
				t.Errorf("source of the first key: %v, want %s:4", src, site)
			}
			var report bytes.Buffer
			res.WriteReport(&report, "frontdoor.yaml")
			if !strings.Contains(report.String(), "Everything mapped") {
				t.Errorf("report:\n%s", report.String())
			}
		})
	}
}

// TestNeverEverythingMappedWithoutKeys: a subdomain snippet whose keys are
// nowhere (its header edited away) is not "everything mapped": Complete is
// false (exit 1) and the report says what is missing.
func TestNeverEverythingMappedWithoutKeys(t *testing.T) {
	data := readFile(t, filepath.Join("..", "render", "testdata", "golden", "nginx-subdomain-https-1node.conf"))
	data = bytes.Replace(data, []byte("# Docker repositories:"), []byte("# (edited)"), 1)
	path := servertest.WriteFile(t, filepath.Join(t.TempDir(), "artifactory.conf"), string(data))
	res, err := Import([]string{path}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.DockerKeysUnknown || res.Complete() {
		t.Fatalf("DockerKeysUnknown %v, Complete %v", res.DockerKeysUnknown, res.Complete())
	}
	var report bytes.Buffer
	res.WriteReport(&report, "frontdoor.yaml")
	out := report.String()
	if strings.Contains(out, "Everything mapped") || !strings.Contains(out, "Settings written to frontdoor.yaml, with the Docker repository keys not recovered") {
		t.Errorf("report:\n%s", out)
	}
	if res.Settings.Docker.Method != render.DockerSubdomain {
		t.Errorf("method %q", res.Settings.Docker.Method)
	}
}
