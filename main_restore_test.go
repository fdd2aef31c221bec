package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The restore command's wiring and words: --list on stdout, newest first;
// a restore through the check prints the file on stdout; mistakes exit 2.
func TestRestoreCommand(t *testing.T) {
	root, file, _ := saveRoot(t, "nginx")
	check := "test -d " + root
	var versions []string
	for _, name := range []string{"v1.example.com", "v2.example.com", "v3.example.com"} {
		cfg := writeConfig(t, strings.Replace(plainHTTP, "artifactory.example.com", name, 1))
		if code, _, stderr := runCLI(t, "", "save", "--config", cfg, "--root", root, "--check", check); code != 0 {
			t.Fatalf("save %s: exit %d\n%s", name, code, stderr)
		}
		data, _ := os.ReadFile(file)
		versions = append(versions, string(data))
	}
	t.Chdir(t.TempDir()) // no frontdoor.yaml: the layout under --root says nginx

	code, stdout, stderr := runCLI(t, "", "restore", "--root", root, "--list")
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	line := regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC  \d+ bytes  ` + regexp.QuoteMeta(filepath.Dir(file)) + `/\.artifactory\.conf\.frontdoor-bak\.\S+$`)
	if code != 0 || stderr != "backups kept: the newest 5 (default); with 2 backups now, the next save or restore removes none\n" ||
		len(lines) != 2 || !line.MatchString(lines[0]) || !line.MatchString(lines[1]) {
		t.Fatalf("--list: exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}
	newest := strings.Fields(lines[0])[5]
	if data, _ := os.ReadFile(newest); string(data) != versions[1] {
		t.Errorf("--list is not newest first: %s holds %q", newest, data)
	}
	oldest := strings.Fields(lines[1])[5]
	// The list and the rotation agree: --keep (as a save or restore would
	// keep) names what the next one removes.
	for _, keep := range []struct{ n, want string }{
		{"2", "backups kept: the newest 2 (from --keep); the next save or restore removes the oldest: " + oldest + " (a restore never removes the backup it puts back)\n"},
		{"3", "backups kept: the newest 3 (from --keep); with 2 backups now, the next save or restore removes none\n"},
	} {
		if code, out, stderr := runCLI(t, "", "restore", "--root", root, "--list", "--keep", keep.n); code != 0 || out != stdout || stderr != keep.want {
			t.Errorf("--list --keep %s: exit %d, stdout %q, stderr %q; want %q", keep.n, code, out, stderr, keep.want)
		}
	}

	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr []string
		holds  int // the version at the target afterwards
	}{
		{"--list with a BACKUP", []string{"--list", "x"}, 2, "", []string{"frontdoor restore: --list restores nothing"}, 2},
		{"--list with --check", []string{"--list", "--check", "true"}, 2, "", []string{"--list restores nothing"}, 2},
		{"two backups named", []string{"a", "b"}, 2, "", []string{`unexpected argument "b"`}, 2},
		{"not one of the backups", []string{"--check", check, "20200101T000000Z"}, 2, "", []string{"20200101T000000Z is not one of the backups", "result: not restored: "}, 2},
		{"--check and --no-check", []string{"--check", check, "--no-check"}, 2, "", []string{"frontdoor restore: --check and --no-check contradict each other"}, 2},
		{"a failing check rolls back", []string{"--check", "false"}, 1, "", []string{"check failed, rolled back"}, 2},
		{"the newest, checked", []string{"--check", check}, 0, file + "\n", []string{"restoring " + newest, "result: restored " + filepath.Base(newest) + " and checked"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", append([]string{"restore", "--root", root}, tt.args...)...)
			if code != tt.code || stdout != tt.stdout {
				t.Errorf("exit %d, stdout %q; want %d, %q", code, stdout, tt.code, tt.stdout)
			}
			checkStream(t, "stderr", stderr, tt.stderr)
			if data, _ := os.ReadFile(file); string(data) != versions[tt.holds] {
				t.Errorf("the target does not hold v%d", tt.holds+1)
			}
			if t.Failed() {
				t.Logf("stderr:\n%s", stderr)
			}
		})
	}
}

// The restore command a save's report prints works as printed, from a
// shell in another directory: it puts that backup back, checked and
// reloaded the same way.
func TestPrintedRestoreCommandWorks(t *testing.T) {
	bin := frontdoorBinary(t)
	root, file, _ := saveRoot(t, "nginx")
	reloaded := filepath.Join(root, "reloaded")
	var stderr string
	var first []byte
	for i, name := range []string{"v1.example.com", "v2.example.com"} {
		cfg := writeConfig(t, strings.Replace(plainHTTP, "artifactory.example.com", name, 1))
		var code int
		code, _, stderr = runCLI(t, "", "save", "--config", cfg, "--root", root, "--check", "test -d "+root, "--reload", "touch "+reloaded)
		if code != 0 {
			t.Fatalf("save %s: exit %d\n%s", name, code, stderr)
		}
		if i == 0 {
			first, _ = os.ReadFile(file)
		}
	}
	_, line, ok := strings.Cut(stderr, "\nrestore one: ")
	if !ok {
		t.Fatalf("no restore command in the report:\n%s", stderr)
	}
	line, _, _ = strings.Cut(line, "\n")
	if err := os.Remove(reloaded); err != nil {
		t.Fatal(err)
	}
	sh := exec.Command("sh", "-c", line)
	sh.Dir = t.TempDir()
	sh.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := sh.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", line, err, out)
	}
	if got, _ := os.ReadFile(file); string(got) != string(first) || !strings.Contains(string(out), "and checked") {
		t.Errorf("%s did not put v1 back, checked:\n%s", line, out)
	}
	if _, err := os.Stat(reloaded); err != nil {
		t.Errorf("%s did not reload as the save did:\n%s", line, out)
	}
}

// --list reads only: it needs the file (--to here) and no check, and lists
// the backups of a file a restore would refuse to write (nginx's main
// configuration); the restore itself is still refused.
func TestRestoreListNeedsOnlyTheFile(t *testing.T) {
	root, _, _ := saveRoot(t, "nginx")
	mainConf := filepath.Join(root, "etc/nginx/nginx.conf")
	writeTreeFile(t, mainConf, "events {}\n")
	backup := filepath.Join(root, "etc/nginx/.nginx.conf.frontdoor-bak.20261127T031500Z")
	writeTreeFile(t, backup, "# an old version\n")
	elsewhere := filepath.Join(t.TempDir(), "artifactory.conf")
	t.Chdir(t.TempDir()) // no frontdoor.yaml
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"a file no layout holds, no check", []string{"--list", "--to", elsewhere}, 0, "", "no backups of " + elsewhere},
		{"the main configuration", []string{"--root", root, "--list", "--to", mainConf}, 0, backup, "with 1 backup now"},
		{"a restore of the main configuration", []string{"--root", root, "--to", mainConf, "--no-check"}, 2, "",
			"is nginx's main configuration, not a file frontdoor wrote: frontdoor writes a snippet that the main configuration includes, and restoring it there would replace the whole configuration"},
		{"--require-check with --list", []string{"--root", root, "--list", "--to", mainConf, "--require-check"}, 2, "",
			"frontdoor restore: --list restores nothing: --check, --no-check, --require-check and --reload do not apply"},
		{"--check with --list", []string{"--root", root, "--list", "--to", mainConf, "--check", "true"}, 2, "", "--list restores nothing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := treeOf(t, root)
			code, stdout, stderr := runCLI(t, "", append([]string{"restore"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) || (tt.stdout == "" && stdout != "") {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d, %q, %q", code, stdout, stderr, tt.code, tt.stdout, tt.stderr)
			}
			if treeOf(t, root) != before {
				t.Errorf("the tree changed")
			}
		})
	}
}

// BACKUP may be the start of one backup's stamp (the stamp without its Z);
// one that names none lists the backups closest in time, exit 2.
func TestRestoreByPartOfTheStamp(t *testing.T) {
	root, file, _ := saveRoot(t, "nginx")
	dir := filepath.Dir(file)
	writeTreeFile(t, file, "server { listen 80; }\n")
	writeTreeFile(t, filepath.Join(dir, ".artifactory.conf.frontdoor-bak.20261127T074332Z"), "server { listen 81; }\n")
	writeTreeFile(t, filepath.Join(dir, ".artifactory.conf.frontdoor-bak.20261120T080000Z"), "server { listen 82; }\n")
	t.Chdir(t.TempDir()) // no frontdoor.yaml: the layout under --root says nginx

	code, _, stderr := runCLI(t, "", "restore", "--root", root, "--no-check", "20261125T0000")
	if code != 2 || !strings.Contains(stderr, "20261125T0000 is not one of the backups; the closest: .artifactory.conf.frontdoor-bak.20261127T074332Z, .artifactory.conf.frontdoor-bak.20261120T080000Z") {
		t.Errorf("no match: exit %d, stderr:\n%s", code, stderr)
	}
	code, stdout, stderr := runCLI(t, "", "restore", "--root", root, "--no-check", "20261127T074332")
	if got, _ := os.ReadFile(file); code != 0 || stdout != file+"\n" || string(got) != "server { listen 81; }\n" {
		t.Errorf("the stamp without Z: exit %d, file %q, stderr:\n%s", code, got, stderr)
	}
}
