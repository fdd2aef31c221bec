package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/doorcheck/standin"
)

// `frontdoor save --reload CMD --verify` on the command line: the flags'
// rules (exit 2 before anything is read), a door that serves (exit 0, the
// file on stdout), and one that does not (rolled back, exit 1, nothing on
// stdout, the report names both outcomes). The web server here is the
// Artifactory stand-in's router port answering as the door itself, so it
// cannot answer the revision the file saved holds: the serving case uses a
// template of the admin's without the marker, and the verify says it could
// not tell the new configuration from the old. The real nginx (a reload
// that keeps the old configuration, one that does nothing) is app's test
// (TestSaveVerifyWithRealNginx).
func TestSaveVerifyCommand(t *testing.T) {
	t.Parallel() // the door that never serves waits out the verify's settle time (2 s)
	art := standin.New(standin.Config{})
	_, routerAddr := art.Start(t, "", "")
	templates := t.TempDir()
	noMarker := `{{define "nginx.conf.tmpl"}}server {
    listen {{.HTTPPort}};
    server_name {{.ServerName}};
    location / { proxy_pass http://{{index .RouterNodes 0}}; }
}
{{end}}`
	if err := os.WriteFile(filepath.Join(templates, "nginx.conf.tmpl"), []byte(noMarker), 0o644); err != nil {
		t.Fatal(err)
	}
	// The node is another machine's (TEST-NET-1), so the door's port may be
	// the stand-in's own on this one.
	settings := func(port string) string {
		return fmt.Sprintf("proxy:\n  serverName: door.test\n  nodes: [192.0.2.10]\n  http: {port: %s}\n  docker: {method: repositoryPath}\n  templates: %s\n", port, templates)
	}
	_, routerPort, _ := net.SplitHostPort(routerAddr)
	nothing, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, closedPort, _ := net.SplitHostPort(nothing.Addr().String())
	nothing.Close()

	tests := []struct {
		name     string
		port     string
		args     func(root string) []string
		code     int
		saved    bool
		stderr   []string
		noStderr string
	}{
		{name: "--verify without a reload", port: routerPort, args: func(root string) []string { return []string{"--check", "test -d " + root, "--verify"} },
			code: 2, stderr: []string{"frontdoor save: --verify needs a reload (--reload CMD, or save.reload in the settings file)"}},
		{name: "--verify with --no-check", port: routerPort, args: func(string) []string { return []string{"--no-check", "--verify"} },
			code: 2, stderr: []string{"frontdoor save: --verify needs a reload, and a reload needs a check"}},
		{name: "--verify-timeout without --verify", port: routerPort, args: func(string) []string { return []string{"--verify-timeout", "3s"} },
			code: 2, stderr: []string{"frontdoor save: --verify-timeout needs --verify"}},
		{name: "--verify-addr not an address", port: routerPort, args: func(root string) []string {
			return []string{"--check", "test -d " + root, "--reload", "true", "--verify", "--verify-addr", "localhost"}
		}, code: 2, stderr: []string{`frontdoor save: --verify-addr "localhost": give the IP address`}},
		{name: "answers as the settings say, not told apart", port: routerPort, args: func(root string) []string {
			return []string{"--check", "test -d " + root, "--reload", "true", "--verify", "--verify-timeout", "5s"}
		}, code: 0, saved: true, stderr: []string{
			"· verifying that the new configuration serves, as clients reach it, on this machine's listeners (every name sent to 127.0.0.1)",
			"✓ Connect door.test:" + routerPort,
			"! 1 door answers as the settings say; could not tell the new configuration from the old: the file saved has no revision marker (a template without it)",
			"result: saved and checked, reloaded, verified: answers as the settings say; could not tell the new configuration from the old: the file saved has no revision marker (a template without it)"},
			noStderr: "is serving"},
		{name: "not serving: rolled back, exit 1", port: closedPort, args: func(root string) []string {
			return []string{"--check", "test -d " + root, "--reload", "true", "--verify"}
		}, code: 1, stderr: []string{
			"✗ Connect door.test:" + closedPort + ": connection refused",
			"cause: nothing listens on that port",
			"✗ the new configuration is NOT serving (Connect door.test:" + closedPort + "): rolling the save back",
			"✓ removed the new ",
			"✓ reload passed: true",
			"result: saved and reloaded, but NOT serving (Connect door.test:" + closedPort + "); rolled back (removed artifactory.conf: there was none before), reloaded"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, file, _ := saveRoot(t, "nginx")
			cfg := writeConfig(t, settings(tt.port))
			code, stdout, stderr := runCLI(t, "", append([]string{"save", "--config", cfg, "--root", root}, tt.args(root)...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			checkStream(t, "stderr", stderr, tt.stderr)
			if tt.noStderr != "" && strings.Contains(stderr, tt.noStderr) {
				t.Errorf("stderr says %q", tt.noStderr)
			}
			wantStdout := ""
			if tt.saved {
				wantStdout = file + "\n"
			}
			if stdout != wantStdout {
				t.Errorf("stdout %q, want %q", stdout, wantStdout)
			}
			if _, err := os.Stat(file); (err == nil) != tt.saved {
				t.Errorf("%s there = %v, want %v", file, err == nil, tt.saved)
			}
			if t.Failed() {
				t.Logf("stderr:\n%s", stderr)
			}
		})
	}
}

// The manual page names every variable a password may come from.
func TestManPageEnvironment(t *testing.T) {
	code, page, _ := runCLI(t, "", "man")
	env := page[strings.Index(page, ".SH ENVIRONMENT"):]
	env = env[:strings.Index(env, ".SH FILES")]
	for _, v := range []string{"FRONTDOOR_LDAP_PASSWORD", "FRONTDOOR_CHECK_PASSWORD"} {
		if code != 0 || !strings.Contains(env, ".B "+v+"\n") {
			t.Errorf("ENVIRONMENT lacks %s:\n%s", v, env)
		}
	}
}
