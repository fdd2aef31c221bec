package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/render"
)

// frontdoor templates export DIR: the embedded templates as files, never
// over an admin's.
func TestTemplatesExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "templates")
	code, stdout, stderr := runCLI(t, "", "templates", "export", dir)
	if code != 0 || !strings.Contains(stderr, "wrote") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	paths := strings.Fields(stdout)
	for _, p := range render.Providers {
		name := render.TemplateFile(p)
		if name == "" {
			continue
		}
		want := filepath.Join(dir, name)
		if !strings.Contains(stdout, want+"\n") {
			t.Errorf("%s not listed:\n%s", want, stdout)
		}
		if _, err := os.Stat(want); err != nil {
			t.Error(err)
		}
	}

	// Again: refused, naming the files; the admin's edit stays.
	edited := paths[0]
	if err := os.WriteFile(edited, []byte("{{/* mine */}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runCLI(t, "", "templates", "export", dir)
	if code != 1 || stdout != "" || !strings.Contains(stderr, filepath.Base(edited)) || !strings.Contains(stderr, "nothing was written") {
		t.Errorf("second export: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if data, _ := os.ReadFile(edited); string(data) != "{{/* mine */}}\n" {
		t.Errorf("%s was overwritten", edited)
	}

	// A relative DIR is taken from the current directory.
	t.Chdir(t.TempDir())
	if code, stdout, _ := runCLI(t, "", "templates", "export", "rel"); code != 0 || !strings.Contains(stdout, filepath.Join(mustGetwd(t), "rel")+"/") {
		t.Errorf("relative DIR: exit %d\n%s", code, stdout)
	}
}

func TestTemplatesUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"templates"}, "templates export DIR"},
		{[]string{"templates", "export"}, "give the directory"},
		{[]string{"templates", "export", "a", "b"}, `unexpected argument "b"`},
		{[]string{"templates", "export", " "}, "empty DIR"},
		{[]string{"templates", "exprot", "x"}, "export"},
	} {
		code, stdout, stderr := runCLI(t, "", tt.args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tt.want) {
			t.Errorf("%q: exit %d, stderr %q, want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
	if code, stdout, _ := runCLI(t, "", "templates", "export", "--help"); code != 0 || !strings.Contains(stdout, "Usage: frontdoor templates export DIR") {
		t.Errorf("help: exit %d\n%s", code, stdout)
	}
}

// render --template DIR renders with the admin's templates for this run;
// the settings file is not changed.
func TestRenderWithTemplate(t *testing.T) {
	cfg := writeConfig(t, plainHTTP)
	before, _ := os.ReadFile(cfg)
	dir := filepath.Join(t.TempDir(), "templates")
	if code, _, stderr := runCLI(t, "", "templates", "export", dir); code != 0 {
		t.Fatal(stderr)
	}
	mine := filepath.Join(dir, render.TemplateFile(render.Nginx))
	data, err := os.ReadFile(mine)
	if err != nil {
		t.Fatal(err)
	}
	// The admin's line inside the template's own {{define}} (text outside it would replace the whole template).
	data = bytes.Replace(data, []byte("-}}\n"), []byte("-}}\n# frontdoor-admin-template-marker\n"), 1)
	if err := os.WriteFile(mine, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, embedded, _ := runCLI(t, "", "render", "--config", cfg)
	code, stdout, stderr := runCLI(t, "", "render", "--config", cfg, "--template", dir)
	if code != 0 || !strings.Contains(stdout, "# frontdoor-admin-template-marker") || strings.Contains(embedded, "frontdoor-admin-template-marker") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if after, _ := os.ReadFile(cfg); string(after) != string(before) {
		t.Error("render --template changed the settings file")
	}
	// Relative: from the current directory.
	t.Chdir(filepath.Dir(dir))
	if code, stdout, _ := runCLI(t, "", "render", "--config", cfg, "--template", "templates"); code != 0 || !strings.Contains(stdout, "frontdoor-admin-template-marker") {
		t.Errorf("relative --template: exit %d", code)
	}

	// Another provider's file in the directory is left to it: HAProxy renders from its embedded template.
	if code, stdout, _ := runCLI(t, "", "render", "--config", cfg, "--template", dir, "--provider", "haproxy"); code != 0 || strings.Contains(stdout, "marker") {
		t.Errorf("haproxy with an nginx template: exit %d", code)
	}

	// A template that does not parse: exit 2, the admin's file named, nothing printed.
	if err := os.WriteFile(mine, []byte("{{ if }}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runCLI(t, "", "render", "--config", cfg, "--template", dir)
	if code != 2 || stdout != "" || !strings.Contains(stderr, "proxy.templates: error") || !strings.Contains(stderr, mine) {
		t.Errorf("broken template: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--template", ""}, "empty --template"},
		{[]string{"--template", dir, "--format", "artifactory-json"}, "--template applies to --format conf"},
		{[]string{"--template", filepath.Join(dir, "missing")}, "proxy.templates"},
	} {
		code, stdout, stderr := runCLI(t, "", append([]string{"render", "--config", cfg}, tt.args...)...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tt.want) {
			t.Errorf("%q: exit %d, stderr %q, want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
}

// Every provider renders by --provider, and the one list is what an
// unknown one is told.
func TestRenderEveryProvider(t *testing.T) {
	cfg := writeConfig(t, plainHTTP)
	for _, p := range render.Providers {
		code, stdout, stderr := runCLI(t, "", "render", "--config", cfg, "--provider", string(p))
		if want := 0; p == render.Tomcat {
			if code != 2 {
				t.Errorf("tomcat: exit %d", code)
			}
		} else if code != want || stdout == "" {
			t.Errorf("%s: exit %d\n%s", p, code, stderr)
		}
	}
	for _, cmd := range []string{"render", "save"} {
		code, _, stderr := runCLI(t, "", cmd, "--config", cfg, "--provider", "iis")
		if code != 2 || !strings.Contains(stderr, render.ProviderNames()) {
			t.Errorf("%s --provider iis: exit %d, %q", cmd, code, stderr)
		}
	}
}

// save of a Kubernetes output: the file only, "not checked: apply it";
// --check and --reload with it are usage errors.
func TestSaveKubernetesOutput(t *testing.T) {
	cfg := writeConfig(t, plainHTTP)
	out := filepath.Join(t.TempDir(), "gateway.yaml")
	code, stdout, stderr := runCLI(t, "", "save", "--config", cfg, "--provider", "gateway-api", "--to", out)
	if code != 0 || strings.TrimSpace(stdout) != out || !strings.Contains(stderr, "result: saved, NOT checked: apply it with `kubectl apply -f "+out+"`") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	for _, flag := range [][]string{{"--check", "kubectl apply --dry-run=server -f x"}, {"--reload", "kubectl apply -f x"}} {
		code, stdout, stderr := runCLI(t, "", append([]string{"save", "--config", cfg, "--provider", "kubernetes-ingress", "--to", out}, flag...)...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, "kubernetes-ingress writes Kubernetes manifests") {
			t.Errorf("%s: exit %d, %q", flag[0], code, stderr)
		}
	}
}

func mustGetwd(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}
