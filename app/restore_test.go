package app

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"frontdoor/config"
	"frontdoor/install"
)

// TestHelperSave is not a test: it is the process a test kills in the
// middle of a save (FRONTDOOR_APP_HELPER=save), running the command line's
// pipeline on the settings file and flags it is given.
func TestHelperSave(t *testing.T) {
	if os.Getenv("FRONTDOOR_APP_HELPER") != "save" {
		t.Skip("helper process")
	}
	doc, err := config.Open(os.Getenv("FD_SETTINGS"), true)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	req, err := CommandLine(doc, Flags{Root: Given(os.Getenv("FD_ROOT")), Check: Given(os.Getenv("FD_CHECK"))})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	ctx, stop := WithSignals(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep := Save(ctx, req)
	fmt.Fprint(os.Stderr, rep)
	os.Exit(rep.ExitCode())
}

// startedCheck writes a check script under root that says it started
// (creates marker), then waits until the save that runs it ends (killed, or
// cancelling the check's process group).
func startedCheck(t *testing.T, root string) (check, marker string) {
	t.Helper()
	script := writeFile(t, filepath.Join(root, "slow-check.sh"), "#!/bin/sh\ntouch \"$1\"\ni=0; while [ $i -lt 1200 ] && kill -0 $PPID 2>/dev/null; do sleep 0.05; i=$((i+1)); done\n")
	marker = filepath.Join(root, "check-started")
	return "sh " + script + " " + marker, marker
}

// killMidCheck runs a real save of settings in a child process and kills it
// (SIGKILL, its check too) once the check runs: the new file is in place
// and unchecked, as after a power cut.
func killMidCheck(t *testing.T, settings, root string) {
	t.Helper()
	check, marker := startedCheck(t, root)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSave$", "-test.count=1")
	cmd.Env = append(os.Environ(), "FRONTDOOR_APP_HELPER=save", "FD_SETTINGS="+settings, "FD_ROOT="+root, "FD_CHECK="+check)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for {
		if _, err := os.Stat(marker); err == nil {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("the save ended before its check ran: %v\n%s", err, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	<-exited
	os.Remove(marker)
}

// v1 and v2 saved, then a save whose check fails and a save killed in the
// middle of its check: byte-identical v1 and v2 are still restorable
// through the pipeline, and the target ends at v2.
func TestBackupsSurviveFailedAndKilledSaves(t *testing.T) {
	root, file, _ := layoutRoot(t, "nginx")
	body := func(name string) string { return strings.Replace(plainHTTP, "artifactory.example.com", name, 1) }
	save := func(name, check string) Report {
		t.Helper()
		_, doc := settingsFile(t, body(name))
		return Save(context.Background(), request(t, doc, Flags{Root: Given(root), Check: Given(check)}))
	}
	checked := "test -d " + root
	v1, v2 := rendered(t, body("v1.example.com"), ""), rendered(t, body("v2.example.com"), "")
	if rep := save("v1.example.com", checked); rep.ExitCode() != 0 {
		t.Fatalf("v1:\n%s", rep)
	}
	if rep := save("v2.example.com", checked); rep.ExitCode() != 0 {
		t.Fatalf("v2:\n%s", rep)
	}
	if rep := save("v3.example.com", "false"); rep.ExitCode() != 1 || !strings.Contains(rep.Headline(), "check failed, rolled back") {
		t.Fatalf("failing v3: exit %d:\n%s", rep.ExitCode(), rep)
	}
	if got := readFile(t, file); got != v2 {
		t.Fatal("the failed save did not put v2 back")
	}
	killedSettings, _ := settingsFile(t, body("v4.example.com"))
	killMidCheck(t, killedSettings, root)
	if got := readFile(t, file); got != rendered(t, body("v4.example.com"), "") {
		t.Fatal("the killed save had not replaced the file: the test did not kill it mid-check")
	}

	tgt, err := ResolveRestore(nil, Flags{Root: Given(root), Check: Given(checked)})
	if err != nil {
		t.Fatal(err)
	}
	list, err := ListBackups(tgt)
	if err != nil || len(list) != 1 || readFile(t, list[0].Path) != v1 {
		t.Fatalf("after the killed save: backups %v (%v), want v1 alone (v2 is the killed save's rollback copy)", list, err)
	}
	// Restoring v1 finishes the killed save: v2, its rollback copy, becomes a backup.
	rep := Restore(context.Background(), tgt, list[0].Stamp, nil)
	if rep.ExitCode() != 0 || readFile(t, file) != v1 || !strings.HasPrefix(rep.Headline(), "restored ") {
		t.Fatalf("restore v1: exit %d:\n%s", rep.ExitCode(), rep)
	}
	if !strings.Contains(rep.String(), "interrupted") {
		t.Errorf("the restore does not say it took the killed save over:\n%s", rep)
	}
	list, _ = ListBackups(tgt)
	var v2Backup install.Backup
	for _, b := range list {
		if readFile(t, b.Path) == v2 {
			v2Backup = b
		}
	}
	if v2Backup.Path == "" {
		t.Fatalf("v2 is not among the backups: %v", list)
	}
	rep = Restore(context.Background(), tgt, filepath.Base(v2Backup.Path), nil)
	if rep.ExitCode() != 0 || readFile(t, file) != v2 {
		t.Fatalf("restore v2: exit %d:\n%s", rep.ExitCode(), rep)
	}
	list, _ = ListBackups(tgt)
	found := false
	for _, b := range list {
		found = found || readFile(t, b.Path) == v1
	}
	if !found {
		t.Errorf("v1 is no longer restorable: %v", list)
	}
}

// A restore goes through the check: a failing one rolls it back. A backup
// that is not one of the target's is a usage error; no backups is a failure.
func TestRestore(t *testing.T) {
	root, file, _ := layoutRoot(t, "nginx")
	checked := "test -d " + root
	for _, name := range []string{"v1.example.com", "v2.example.com"} {
		_, doc := settingsFile(t, strings.Replace(plainHTTP, "artifactory.example.com", name, 1))
		if rep := Save(context.Background(), request(t, doc, Flags{Root: Given(root), Check: Given(checked)})); rep.ExitCode() != 0 {
			t.Fatalf("%s:\n%s", name, rep)
		}
	}
	v2 := readFile(t, file)
	tests := []struct {
		name     string
		flags    Flags
		backup   string
		code     int
		want     string
		wantFile string // "v2": unchanged
	}{
		{"a failing check rolls the restore back", Flags{Check: Given("false")}, "", 1, "check failed, rolled back", "v2"},
		{"not one of the backups", Flags{Check: Given(checked)}, "20200101T000000Z", 2, "is not one of the backups", "v2"},
		{"--no-check", Flags{NoCheck: true}, "", 0, "restored .artifactory.conf.frontdoor-bak.", "v1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.flags.Root = Given(root)
			tgt, err := ResolveRestore(nil, tt.flags)
			if err != nil {
				t.Fatal(err)
			}
			rep := Restore(context.Background(), tgt, tt.backup, nil)
			if rep.ExitCode() != tt.code || !strings.Contains(rep.String(), tt.want) {
				t.Fatalf("exit %d, want %d and %q:\n%s", rep.ExitCode(), tt.code, tt.want, rep)
			}
			if got := readFile(t, file); (got == v2) != (tt.wantFile == "v2") {
				t.Errorf("target holds the wrong version:\n%s", got)
			}
		})
	}
	empty, _, _ := layoutRoot(t, "nginx")
	tgt, _ := ResolveRestore(nil, Flags{Root: Given(empty), NoCheck: true})
	if rep := Restore(context.Background(), tgt, "", nil); rep.ExitCode() != 1 || !strings.Contains(rep.Headline(), "no backups") {
		t.Errorf("no backups: exit %d %q", rep.ExitCode(), rep.Headline())
	}
}

// Which web server a restore checks with: the settings file's provider, or
// the layout that holds --to; a usage error when nothing tells.
func TestResolveRestoreProvider(t *testing.T) {
	root, file, _ := layoutRoot(t, "nginx")
	mkdir(t, filepath.Join(root, "etc/apache2/sites-available"))
	apacheFile := filepath.Join(root, "etc/apache2/sites-available/artifactory.conf")
	_, doc := settingsFile(t, "proxy:\n  provider: apache\n  serverName: a.example.com\n")
	tests := []struct {
		name  string
		doc   *config.Document
		flags Flags
		want  string // the check's program, or the error
	}{
		{"the settings' provider", doc, Flags{}, "apache2ctl"},
		{"--to in nginx's layout", nil, Flags{To: Given(file)}, "nginx"},
		{"--to in Apache's layout", nil, Flags{To: Given(apacheFile)}, "apache2ctl"},
		{"two layouts, no --to", nil, Flags{}, "cannot tell which web server"},
		{"--to elsewhere, no check", nil, Flags{To: Given(filepath.Join(root, "x.conf"))}, "cannot tell which web server"},
		{"--to elsewhere with --check", nil, Flags{To: Given(filepath.Join(root, "x.conf")), Check: Given("true")}, "true"},
	}
	for _, tt := range tests {
		tt.flags.Root = Given(root)
		tgt, err := ResolveRestore(tt.doc, tt.flags)
		got := tgt.Check.Value
		if err != nil {
			got = err.Error()
		}
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// After a restore, the settings file is said to describe the version that
// was replaced, unless it renders exactly the version restored.
func TestRestoreSaysWhenSettingsDescribeTheReplacedVersion(t *testing.T) {
	v := func(name string) string { return strings.Replace(plainHTTP, "artifactory.example.com", name, 1) }
	tests := []struct {
		name     string
		settings string // "" for no settings file
		want     bool
	}{
		{"settings of the replaced version", v("v2.example.com"), true},
		{"settings of the restored version", v("v1.example.com"), false},
		{"no settings file", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, _, _ := layoutRoot(t, "nginx")
			checked := "test -d " + root
			for _, name := range []string{"v1.example.com", "v2.example.com"} {
				_, doc := settingsFile(t, v(name))
				if rep := Save(context.Background(), request(t, doc, Flags{Root: Given(root), Check: Given(checked)})); rep.ExitCode() != 0 {
					t.Fatalf("%s:\n%s", name, rep)
				}
			}
			var doc *config.Document
			if tt.settings != "" {
				_, doc = settingsFile(t, tt.settings)
			}
			tgt, err := ResolveRestore(doc, Flags{Root: Given(root), Check: Given(checked)})
			if err != nil {
				t.Fatal(err)
			}
			rep := RestoreSettings(context.Background(), tgt, doc, "", nil)
			if rep.ExitCode() != 0 {
				t.Fatalf("exit %d:\n%s", rep.ExitCode(), rep)
			}
			s := rep.stepWith("still describes the version that was replaced")
			if (s != nil) != tt.want {
				t.Fatalf("warned %v, want %v:\n%s", s != nil, tt.want, rep)
			}
			if s != nil && (s.Mark != "!" || !strings.Contains(s.Detail, "`frontdoor import "+rep.Install.File+" --out frontdoor-restored.yaml`") || !strings.Contains(s.Detail, "`frontdoor save`")) {
				t.Errorf("the warning does not say how to adopt the restored version or go back: %+v", s)
			}
		})
	}
}

// restore --list says how many backups are kept and which the next save or
// restore removes: the rotation's own rule (install.NextRemoved).
func TestKeepNote(t *testing.T) {
	list := []install.Backup{{Path: "/b/3"}, {Path: "/b/2"}, {Path: "/b/1"}}
	tests := []struct {
		name string
		keep Setting[int]
		want string
	}{
		{"room for one more", Setting[int]{5, OriginDefault}, "backups kept: the newest 5 (default); with 3 backups now, the next save or restore removes none"},
		{"full", Setting[int]{3, OriginRemembered}, "backups kept: the newest 3 (remembered in save.keep); the next save or restore removes the oldest: /b/1 (a restore never removes the backup it puts back)"},
		{"more than kept", Setting[int]{2, OriginFlag}, "backups kept: the newest 2 (from --keep); the next save or restore removes the 2 oldest: /b/2, /b/1 (a restore never removes the backup it puts back)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (Target{Keep: tt.keep}).KeepNote(list); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// Listing backups needs only the file and where its backups are: no check
// command, and not the guards of a write (the main configuration, outside
// --root), which a restore with the same flags still meets.
func TestResolveListing(t *testing.T) {
	root, file, _ := layoutRoot(t, "nginx")
	mkdir(t, filepath.Join(root, "etc/apache2/sites-available"))
	mainConf := writeFile(t, filepath.Join(root, "etc/nginx/nginx.conf"), "events {}\n")
	elsewhere := filepath.Join(t.TempDir(), "x.conf")
	_, remembered := settingsFile(t, "proxy:\n  provider: nginx\n  serverName: a.example.com\nsave:\n  target: "+elsewhere+"\n")
	tests := []struct {
		name    string
		doc     *config.Document
		flags   Flags
		want    string // the file listed, or the error
		restore string // what a restore with the same flags says ("" not asked)
	}{
		{"--to elsewhere, no check", nil, Flags{Root: Given(root), To: Given(filepath.Join(root, "x.conf"))}, filepath.Join(root, "x.conf"), "cannot tell which web server to check"},
		{"--to the main configuration", nil, Flags{Root: Given(root), To: Given(mainConf)}, mainConf, "is nginx's main configuration"},
		{"--to outside --root", nil, Flags{Root: Given(root), To: Given(elsewhere), NoCheck: true}, elsewhere, "is outside --root"},
		{"the settings' save.target", remembered, Flags{}, elsewhere, ""},
		{"the settings' provider, detected under --root", remembered, Flags{Root: Given(root)}, file, ""},
		{"two layouts, no --to", nil, Flags{Root: Given(root)}, "cannot tell whose backups to list: give --to FILE", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tgt, err := ResolveListing(tt.doc, tt.flags)
			got := tgt.Path.Value
			if err != nil {
				got = err.Error()
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("%q, want %q", got, tt.want)
			}
			if tt.restore != "" {
				if _, err := ResolveRestore(tt.doc, tt.flags); err == nil || !strings.Contains(err.Error(), tt.restore) {
					t.Errorf("a restore of it: %v, want %q", err, tt.restore)
				}
			}
		})
	}
}

// A restore of a file the settings do not save to (`--to` another site)
// says nothing about the settings.
func TestRestoreOfAnotherFileSaysNothingOfTheSettings(t *testing.T) {
	v := func(name string) string { return strings.Replace(plainHTTP, "artifactory.example.com", name, 1) }
	root, file, _ := layoutRoot(t, "nginx")
	other := filepath.Join(filepath.Dir(file), "other.conf")
	checked := "test -d " + root
	for _, name := range []string{"v1.example.com", "v2.example.com"} {
		_, doc := settingsFile(t, v(name))
		if rep := Save(context.Background(), request(t, doc, Flags{Root: Given(root), Check: Given(checked), To: Given(other)})); rep.ExitCode() != 0 {
			t.Fatalf("%s:\n%s", name, rep)
		}
	}
	_, doc := settingsFile(t, v("v2.example.com"))
	tgt, err := ResolveRestore(doc, Flags{Root: Given(root), Check: Given(checked), To: Given(other)})
	if err != nil {
		t.Fatal(err)
	}
	rep := RestoreSettings(context.Background(), tgt, doc, "", nil)
	if rep.ExitCode() != 0 {
		t.Fatalf("exit %d:\n%s", rep.ExitCode(), rep)
	}
	if s := rep.stepWith("still describes the version that was replaced"); s != nil {
		t.Fatalf("warned about the settings for a file they do not save to:\n%s", rep)
	}
}
