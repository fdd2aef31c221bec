package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/internal/testenv"
)

// scripts/package.sh in a clone of this checkout with an untracked file:
// the .deb's version says dirty exactly when the binary's --version does
// (one rule, Go's: untracked files count), with and without a v* tag; the
// package recommends bash-completion and names every provider.
func TestPackageVersionIsTheBinarys(t *testing.T) {
	// It builds the binary and the .deb twice (about 15 s): scripts/test.sh
	// runs it in its packaging step, beside the dpkg -i of the .deb, so a
	// plain `go test ./...` stays quick.
	if os.Getenv("FRONTDOOR_PACKAGE_TEST") != "1" {
		t.Skip("run by scripts/test.sh's packaging step (FRONTDOOR_PACKAGE_TEST=1)")
	}
	git := testenv.Binary(t, "git")
	dpkgDeb := testenv.Binary(t, "dpkg-deb")
	if _, err := exec.LookPath("go"); err != nil {
		testenv.Unavailable(t, "go is not on PATH")
	}
	self, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(self, ".git")); err != nil {
		t.Skip("not a git checkout")
	}
	clone := filepath.Join(t.TempDir(), "src")
	run := func(dir string, name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@localhost", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@localhost")
		out, err := cmd.Output()
		if err != nil {
			stderr := ""
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = string(ee.Stderr)
			}
			t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out, stderr)
		}
		return strings.TrimSpace(string(out))
	}
	run(self, git, "clone", "-q", "--no-hardlinks", self, clone)
	// The script under test is this checkout's, committed or not.
	script, err := os.ReadFile(filepath.Join(self, "scripts/package.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(clone, "scripts/package.sh"), script, 0o755); err != nil {
		t.Fatal(err)
	}
	run(clone, git, "commit", "-q", "--allow-empty", "-am", "package.sh as tested")
	if err := os.WriteFile(filepath.Join(clone, "notes.txt"), []byte("an untracked file\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	for _, tag := range []string{"", "v1.2.0"} {
		t.Run("tag "+tag, func(t *testing.T) {
			if tag != "" {
				run(clone, git, "tag", tag)
			}
			out := t.TempDir()
			deb := run(clone, "env", "OUT="+out, "bash", "scripts/package.sh")
			deb = deb[strings.LastIndex(deb, "\n")+1:]
			version := run(clone, dpkgDeb, "-f", deb, "Version")
			binary := run(clone, filepath.Join(out, "frontdoor"), "--version")
			if !strings.Contains(binary, "dirty") || !strings.HasSuffix(version, "dirty") {
				t.Errorf("untracked file: .deb version %q, binary %q: both must say dirty", version, binary)
			}
			if tag != "" && (!strings.HasPrefix(version, "1.2.0") || !strings.Contains(binary, "v1.2.0-dirty")) {
				t.Errorf("tagged %s: .deb version %q, binary %q", tag, version, binary)
			}
			if got := run(clone, dpkgDeb, "-f", deb, "Recommends"); got != "bash-completion" {
				t.Errorf("Recommends: %q", got)
			}
			desc := run(clone, dpkgDeb, "-f", deb, "Description")
			for _, p := range []string{"nginx", "Apache", "HAProxy", "Caddy", "Kubernetes Ingress", "Gateway"} {
				if !strings.Contains(desc, p) {
					t.Errorf("the description does not name %s:\n%s", p, desc)
				}
			}
		})
	}
}
