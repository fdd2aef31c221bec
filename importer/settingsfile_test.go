package importer

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/config"
)

func TestWriteSettingsFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "frontdoor.yaml")
	if err := WriteSettingsFile(path, []byte("a: 1\n"), false); err != nil {
		t.Fatal(err)
	}
	if err := WriteSettingsFile(path, []byte("b: 2\n"), false); !errors.Is(err, ErrExists) {
		t.Errorf("second write without force: %v, want ErrExists", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "a: 1\n" {
		t.Errorf("the file was replaced: %q", data)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteSettingsFile(path, []byte("b: 2\n"), true); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(path)
	if data, _ := os.ReadFile(path); string(data) != "b: 2\n" || info.Mode().Perm() != 0o600 {
		t.Errorf("forced write: %q, mode %v (want the new content, the mode kept)", data, info.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	err := WriteSettingsFile(filepath.Join(dir, "missing", "x.yaml"), nil, false)
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing directory: %v", err)
	}
}

// TestSettingsFileComments: every comment stays a comment (a path with a
// newline in it cannot end one), and the file reads back as the settings.
func TestSettingsFileComments(t *testing.T) {
	res := importFixture(t, "nginx-ports")
	for k, pos := range res.Sources {
		pos.File = "odd\nname #1.conf"
		res.Sources[k] = pos
	}
	data, err := res.SettingsFile()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "# from odd?name #1.conf:") {
		t.Errorf("comments:\n%s", data)
	}
}

func importFixture(t *testing.T, name string) *Result {
	t.Helper()
	for _, f := range fixtures {
		if f.name == name {
			res, err := Import([]string{writeFixture(t, t.TempDir(), f.name, f.standardValues())}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
	}
	t.Fatalf("no fixture %s", name)
	return nil
}

// A new settings file gets config's one rule for its mode: 0600 when it says
// where a password lives, else 0644; what does not parse, 0600.
func TestWriteSettingsFileMode(t *testing.T) {
	tests := []struct {
		name string
		data string
		want os.FileMode
	}{
		{"proxy settings", "proxy:\n  serverName: a.example.com\n", 0o644},
		{"a manager password's place", "ldap:\n  settings:\n    - key: corp\n      url: ldap://ldap.example.com\n      search: {managerDn: cn=m, managerPasswordEnv: LDAP_PW}\n", 0o600},
		{"not settings", "a: [\n", 0o600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := config.Parse([]byte(tt.data)); (err == nil) != (tt.name != "not settings") {
				t.Fatalf("parse: %v", err)
			}
			path := filepath.Join(t.TempDir(), "frontdoor.yaml")
			if err := WriteSettingsFile(path, []byte(tt.data), false); err != nil {
				t.Fatal(err)
			}
			if info, err := os.Stat(path); err != nil || info.Mode().Perm() != tt.want {
				t.Errorf("mode %v (%v), want %v", info.Mode().Perm(), err, tt.want)
			}
		})
	}
}
