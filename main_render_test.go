package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs the command in-process and returns its exit code and streams.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}, args)
	return code, out.String(), errb.String()
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "frontdoor.yaml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const plainHTTP = "proxy:\n  serverName: artifactory.example.com\n  docker: {method: repositoryPath}\n"

func TestRenderAndValidateCommands(t *testing.T) {
	good := writeConfig(t, plainHTTP)
	clash := writeConfig(t, "proxy:\n  serverName: a.example.com\n  docker:\n    method: ports\n    repositories: [{key: a, port: 5001}, {key: b, port: 5001}]\n")
	inject := writeConfig(t, "proxy:\n  serverName: \"a.example.com;\\n  proxy_pass http://evil\"\n")
	badLDAP := writeConfig(t, plainHTTP+"ldap:\n  settings:\n    - {key: corp, url: \"http://ldap.example.com\", search: {filter: \"(uid={0})\"}}\n")
	ldapOnly := writeConfig(t, "ldap:\n  settings:\n    - {key: corp, url: \"ldaps://ldap.example.com/dc=example,dc=com\", search: {filter: \"(uid={0})\"}}\n")
	tomcat := writeConfig(t, "proxy:\n  provider: tomcat\n  serverName: a.example.com\n")
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"render nginx to stdout", []string{"render", "--config", good}, 0, "proxy_pass http://artifactory;", ""},
		{"render apache via flag", []string{"render", "--config", good, "--provider", "apache"}, 0, "<VirtualHost *:80>", ""},
		{"render vendor JSON", []string{"render", "--config", good, "--format", "artifactory-json"}, 0, `"dockerReverseProxyMethod": "REPOPATHPREFIX"`, ""},
		{"clashing docker ports: exit 2, finding on stderr", []string{"render", "--config", clash}, 2, "", "proxy.docker.repositories[1].port: error: port 5001 is also used by"},
		{"injection attempt is rejected", []string{"render", "--config", inject}, 2, "", "proxy.serverName: error:"},
		{"tomcat has no snippet", []string{"render", "--config", tomcat}, 2, "", "embedded Tomcat needs no reverse-proxy snippet"},
		{"unknown format", []string{"render", "--config", good, "--format", "xml"}, 2, "", "unknown --format"},
		{"unknown provider", []string{"render", "--config", good, "--provider", "iis"}, 2, "", "unknown --provider"},
		{"missing explicit config", []string{"render", "--config", "/nonexistent/frontdoor.yaml"}, 2, "", "/nonexistent/frontdoor.yaml"},
		{"stray argument", []string{"render", "--config", good, "extra"}, 2, "", "unexpected argument"},
		{"validate ok", []string{"validate", "--config", good}, 0, "ok: no findings", ""},
		{"validate errors on stdout, exit 2", []string{"validate", "--config", clash}, 2, "proxy.docker.repositories[1].port: error:", ""},
		{"validate covers the LDAP section", []string{"validate", "--config", badLDAP}, 2, "ldap.settings[0].url: error:", ""},
		{"an LDAP-only file is validated as such", []string{"validate", "--config", ldapOnly}, 0, "ok: no findings", "checking the LDAP settings only"},
		{"help", []string{"render", "--help"}, 0, "Usage: frontdoor render", ""},
		{"unknown command", []string{"frobnicate"}, 2, "", "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d\nstdout: %s\nstderr: %s", code, tt.wantCode, stdout, stderr)
			}
			if !strings.Contains(stdout, tt.wantStdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.wantStdout, stdout)
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantStderr, stderr)
			}
			if tt.wantCode != 0 && tt.args[0] == "render" && stdout != "" {
				t.Errorf("a failed render must leave stdout empty, got:\n%s", stdout)
			}
		})
	}
}

func TestValidateJSON(t *testing.T) {
	cfg := writeConfig(t, "proxy:\n  serverName: a.example.com\n  docker:\n    method: ports\n    repositories: [{key: a, port: 80}, {key: b, port: 443}]\n")
	code, stdout, _ := runCLI(t, "", "validate", "--config", cfg, "--json")
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	var got []struct{ Path, Severity, Message string }
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if len(got) == 0 || got[0].Path != "proxy.docker.repositories[0].port" || got[0].Severity != "error" {
		t.Errorf("unexpected findings: %+v", got)
	}
}

// validate runs the checks save runs: a node name that does not resolve
// is the warning save gives (nginx -t would then fail), never "ok: no
// findings". A .invalid name resolves nowhere (RFC 6761).
func TestValidateWarnsAsSaveDoes(t *testing.T) {
	cfg := writeConfig(t, "proxy:\n  serverName: artifactory.example.com\n  nodes: [frontdoor-no-such-node.invalid]\n")
	code, stdout, _ := runCLI(t, "", "validate", "--config", cfg)
	if code != 0 || strings.Contains(stdout, "ok: no findings") || !strings.Contains(stdout, "proxy.nodes[0]: warning:") || !strings.Contains(stdout, "does not resolve") {
		t.Fatalf("validate: exit %d\n%s", code, stdout)
	}
	root, _, _ := saveRoot(t, "nginx")
	_, _, stderr := runCLI(t, "", "save", "--config", cfg, "--root", root, "--no-check")
	_, warning, _ := strings.Cut(stdout, "warning: ")
	if warning == "" || !strings.Contains(stderr, strings.TrimSpace(warning)) {
		t.Errorf("save does not give validate's warning %q:\n%s", warning, stderr)
	}
}

// A settings file that does not parse: --json prints its problems as
// findings (path, file, line, severity, message), exit 2; nothing as text.
func TestValidateJSONParseErrors(t *testing.T) {
	cfg := writeConfig(t, "proxy:\n  serverName: a.example.com\n  routerPort: 8082.9\n  colour: blue\n")
	code, stdout, stderr := runCLI(t, "", "validate", "--config", cfg, "--json")
	if code != 2 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var got []struct {
		Path, File, Severity, Message string
		Line                          int
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if len(got) == 0 {
		t.Fatalf("no findings:\n%s", stdout)
	}
	for _, f := range got {
		if f.File != cfg || f.Line < 2 || f.Severity != "error" || f.Message == "" || !strings.HasPrefix(f.Path, "proxy.") {
			t.Errorf("finding %+v: want the file, its line, a settings path, error, a message", f)
		}
	}
	// Without --json: the same problems as text, on stderr.
	code, stdout, stderr = runCLI(t, "", "validate", "--config", cfg)
	if code != 2 || stdout != "" || !strings.Contains(stderr, cfg+":3: proxy.routerPort:") {
		t.Errorf("exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	cfg := writeConfig(t, plainHTTP)
	_, a, _ := runCLI(t, "", "render", "--config", cfg)
	_, b, _ := runCLI(t, "", "render", "--config", cfg)
	if a != b || a == "" {
		t.Fatal("same settings must give the same bytes")
	}
}

func TestHelpGoesToStdoutOnce(t *testing.T) {
	for _, cmd := range [][]string{{"render", "--help"}, {"validate", "-h"}, {"save", "--help"}, {"ldap", "test", "--help"}, {"wizard", "--help"}, {"--help"}} {
		code, stdout, stderr := runCLI(t, "", cmd...)
		if code != 0 || stderr != "" || strings.Count(stdout, "Usage") != 1 {
			t.Errorf("%v: exit %d, stderr %q, %d usages on stdout", cmd, code, stderr, strings.Count(stdout, "Usage"))
		}
	}
}

// dockerSettings is a frontdoor.yaml with n Docker repositories by method.
func dockerSettings(method string, n int) string {
	var b strings.Builder
	b.WriteString("proxy:\n  serverName: artifactory.example.com\n  docker:\n    method: " + method + "\n    repositories:\n")
	for i := range n {
		if method == "ports" {
			fmt.Fprintf(&b, "      - {key: docker-%d, port: %d}\n", i, 10000+i)
		} else {
			fmt.Fprintf(&b, "      - {key: docker-%d}\n", i)
		}
	}
	return b.String()
}

// BenchmarkRenderCommand is `frontdoor render` in-process (without the
// process start that scripts/perf.sh measures): what each repository costs.
func BenchmarkRenderCommand(b *testing.B) {
	for _, bc := range []struct {
		method string
		n      int
	}{{"subdomain", 1}, {"subdomain", 1000}, {"ports", 1}, {"ports", 1000}} {
		b.Run(fmt.Sprintf("%s-%d", bc.method, bc.n), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "frontdoor.yaml")
			if err := os.WriteFile(path, []byte(dockerSettings(bc.method, bc.n)), 0o644); err != nil {
				b.Fatal(err)
			}
			e := env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
			b.ReportAllocs()
			for b.Loop() {
				if code := run(e, []string{"render", "--config", path}); code != 0 {
					b.Fatalf("exit %d", code)
				}
			}
		})
	}
}
