package importer

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/importer/conftree"
	"frontdoor/render"
)

// TestRoundTripGoldens: for every snippet frontdoor renders
// (render/testdata/golden), importing it gives back the same settings:
// render → import → render is byte-identical, everything is mapped and the
// semantic diff is empty. The subdomain and repository-path snippets do not
// name their repositories in directives (the request does): the keys come
// back from the header comment.
func TestRoundTripGoldens(t *testing.T) {
	nginx, err := filepath.Glob(filepath.Join("..", "render", "testdata", "golden", "nginx-*.conf"))
	apache, err2 := filepath.Glob(filepath.Join("..", "render", "testdata", "golden", "apache-*.conf"))
	files := append(nginx, apache...)
	if err != nil || err2 != nil || len(nginx) == 0 || len(apache) == 0 {
		t.Fatalf("no golden files in render/testdata/golden: %v", err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".conf"), func(t *testing.T) {
			res, err := Import([]string{f}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Complete() {
				t.Errorf("unmapped directives in frontdoor's own snippet:\n%s", itemsText(res.Unmapped))
			}
			if len(res.Changes) > 0 {
				t.Errorf("semantic diff of frontdoor's own snippet is not empty:\n%s", changesText(res.Changes))
			}
			s := res.Settings
			if res.DockerKeysUnknown {
				t.Errorf("the Docker keys are unknown, though the header lists them")
			}
			got, err := render.Render(&s)
			if err != nil {
				t.Fatalf("render of the imported settings: %v\n%+v", err, s)
			}
			want := readFile(t, f)
			if !bytes.Equal(got, want) {
				t.Errorf("render → import → render differs:\n%s", firstDiff(string(want), string(got)))
			}
		})
	}
}

// TestDockerKeysFromHeader: the keys of the subdomain method come from the
// header of frontdoor's own snippet, with the header line as their source;
// a list that does not match the header's count (an edited header) is not
// used.
func TestDockerKeysFromHeader(t *testing.T) {
	golden := filepath.Join("..", "render", "testdata", "golden", "nginx-subdomain-https-1node.conf")
	data := readFile(t, golden)
	res, err := ImportFiles([]conftree.File{{Path: golden, Data: data}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range res.Settings.Docker.Repositories {
		keys = append(keys, r.Key)
	}
	if res.DockerKeysUnknown || strings.Join(keys, " ") != "docker-local docker-remote docker" {
		t.Errorf("keys %q, unknown %v", keys, res.DockerKeysUnknown)
	}
	if src := res.Sources["proxy.docker.repositories[2]"]; src.File != golden || src.Line != 4 {
		t.Errorf("source of the third key: %v, want %s:4", src, golden)
	}
	edited := bytes.Replace(data, []byte("docker-remote, "), nil, 1)
	res, err = ImportFiles([]conftree.File{{Path: golden, Data: edited}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.DockerKeysUnknown || len(res.Settings.Docker.Repositories) != 0 {
		t.Errorf("an edited header's keys were used: %+v", res.Settings.Docker.Repositories)
	}
}
