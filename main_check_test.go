package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"frontdoor/doorcheck"
	"frontdoor/doorcheck/standin"
)

func runCheckCLI(t *testing.T, stdin string, environ map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, getenv: func(k string) string { return environ[k] }}
	code = run(e, append([]string{"check"}, args...))
	return code, out.String(), errOut.String()
}

// standinDoor is the stand-in's router port used as a door itself (no web
// server): it serves the ping, the UI, /v2/ and /artifactory/, so the
// command's plumbing can be tested without nginx.
func standinDoor(t *testing.T) string {
	t.Helper()
	art := standin.New(standin.Config{Keys: []string{"docker-local"}, User: "alice", Password: "pw-from-stdin"})
	_, router := art.Start(t, "", "")
	_, port, _ := net.SplitHostPort(router)
	return "http://door.test:" + port
}

func TestCheckCLIInvalidInput(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "frontdoor.yaml")
	if err := os.WriteFile(cfg, []byte("proxy:\n  provider: nginx\n  serverName: artifactory.example.com\n  docker: {method: subdomain, repositories: [{key: a}, {key: b}]}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	noProxy := filepath.Join(dir, "ldap-only.yaml")
	if err := os.WriteFile(noProxy, []byte("ldap:\n  settings: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	notPEM := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"two URLs", []string{"https://a.test", "https://b.test"}, "one door at a time"},
		{"not a URL", []string{"ftp://a.test"}, "http:// or https://"},
		{"password in the URL", []string{"https://alice:hunter2@a.test"}, "holds credentials"},
		{"a path", []string{"https://a.test/ui/"}, "the door's address only"},
		{"bad --resolve", []string{"https://a.test", "--resolve", "a.test"}, "HOST:ADDRESS"},
		{"--resolve to a name", []string{"https://a.test", "--resolve", "a.test:b.test"}, "not an IP address"},
		{"--ca not PEM", []string{"https://a.test", "--ca", notPEM}, "no PEM certificate"},
		{"--ca missing", []string{"https://a.test", "--ca", filepath.Join(dir, "nope.pem")}, "no such file"},
		{"--timeout 0", []string{"https://a.test", "--timeout", "0s"}, "--timeout must be positive"},
		{"--password-stdin alone", []string{"https://a.test", "--password-stdin"}, "needs --user"},
		{"--upload-size without --user", []string{"https://a.test", "--upload-size", "64MiB"}, "needs --user"},
		{"--upload-size nonsense", []string{"https://a.test", "--upload-size", "lots", "--user", "a"}, "give a size"},
		{"--upload-repo alone", []string{"https://a.test", "--upload-repo", "a"}, "needs --upload-size"},
		{"which repository", []string{"--config", cfg, "--upload-size", "1MiB", "--user", "a"}, "which repository? --upload-repo KEY"},
		{"unknown repository", []string{"--config", cfg, "--upload-size", "1MiB", "--user", "a", "--upload-repo", "c"}, `"c" is not among`},
		{"no settings here", []string{"--config", filepath.Join(dir, "missing.yaml")}, "file does not exist"},
		{"no proxy section", []string{"--config", noProxy}, "no proxy section"},
		{"no password", []string{"--config", cfg, "--user", "alice"}, "no password"},
		{"empty password on stdin", []string{"--config", cfg, "--user", "alice", "--password-stdin"}, "empty password"},
		{"a password flag", []string{"https://a.test", "--password", "x"}, "unknown flag: --password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCheckCLI(t, "", nil, tt.args...)
			if code != exitInvalid {
				t.Errorf("exit %d, want 2\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr does not say %q:\n%s", tt.want, stderr)
			}
			if strings.Contains(stderr+stdout, "hunter2") {
				t.Error("the password is echoed")
			}
		})
	}
}

// TestCheckCLINoSettingsHere: without URL and without frontdoor.yaml the
// command says what to give, not the built-in example's doors.
func TestCheckCLINoSettingsHere(t *testing.T) {
	t.Chdir(t.TempDir())
	code, _, stderr := runCheckCLI(t, "", nil)
	if code != exitInvalid || !strings.Contains(stderr, "give --config PATH, or the door's URL") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// TestCheckCLIJSON: one JSON object per step as it ends, then the result;
// the password (from stdin) and the tokens appear nowhere.
func TestCheckCLIJSON(t *testing.T) {
	door := standinDoor(t)
	code, stdout, stderr := runCheckCLI(t, "pw-from-stdin\n", nil, door, "--resolve", "door.test:127.0.0.1", "--user", "alice", "--password-stdin", "--json", "--timeout", "10s")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if strings.Contains(stdout+stderr, "pw-from-stdin") {
		t.Fatal("the password is in the output")
	}
	sc := bufio.NewScanner(strings.NewReader(stdout))
	var steps []doorcheck.Step
	var result map[string]any
	for sc.Scan() {
		var head struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(sc.Bytes(), &head); err != nil {
			t.Fatalf("not JSON: %s", sc.Text())
		}
		switch head.Type {
		case "step":
			if result != nil {
				t.Fatal("a step after the result")
			}
			var st doorcheck.Step
			if err := json.Unmarshal(sc.Bytes(), &st); err != nil {
				t.Fatal(err)
			}
			steps = append(steps, st)
			if strings.Contains(sc.Text(), `"token"`) || strings.Contains(strings.ToLower(sc.Text()), "bearer ey") {
				t.Errorf("a token in the output: %s", sc.Text())
			}
		case "result":
			if err := json.Unmarshal(sc.Bytes(), &result); err != nil {
				t.Fatal(err)
			}
		default:
			t.Fatalf("unknown type %q", head.Type)
		}
	}
	if result == nil || result["ok"] != true || result["steps"] != nil {
		t.Fatalf("result line: %v", result)
	}
	kinds := map[doorcheck.Kind]doorcheck.Step{}
	for _, st := range steps {
		kinds[st.Kind] = st
	}
	for _, k := range []doorcheck.Kind{doorcheck.KindDNS, doorcheck.KindConnect, doorcheck.KindPing, doorcheck.KindUI,
		doorcheck.KindDocker, doorcheck.KindDockerLogin, doorcheck.KindEncodedSlash, doorcheck.KindSummary} {
		if _, ok := kinds[k]; !ok {
			t.Errorf("no %s step in %v", k, steps)
		}
	}
	if login := kinds[doorcheck.KindDockerLogin]; login.Status != doorcheck.StatusSkip || !strings.Contains(login.Detail, "plain HTTP") {
		t.Errorf("credentials over plain HTTP: %+v", login)
	}
	if steps[len(steps)-1].Kind != doorcheck.KindSummary {
		t.Error("the summary is not the last step")
	}
}

// TestCheckCLIText: the text lines, a failure with its cause and fix, exit 1.
func TestCheckCLIText(t *testing.T) {
	door := standinDoor(t)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(door, "http://"))
	p, _ := strconv.Atoi(port)
	// https:// on a plain-HTTP port: the connect step says so, with the fix.
	code, stdout, stderr := runCheckCLI(t, "", nil, fmt.Sprintf("https://door.test:%d", p), "--resolve", "door.test:127.0.0.1")
	if code != exitFailed {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	for _, want := range []string{
		fmt.Sprintf("Checking https://door.test:%d: 1 door", p),
		"✓ DNS door.test: 127.0.0.1 (--resolve, DNS not asked) (",
		"✗ Connect door.test:" + port + ": 127.0.0.1:" + port + " answers plain HTTP",
		"    cause: the port speaks plain HTTP where clients expect HTTPS",
		"    nginx: listen " + port + " ssl;",
		"    Apache: SSLEngine on",
		"✗ Summary: the door does not work",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("no %q in:\n%s", want, stdout)
		}
	}
}
