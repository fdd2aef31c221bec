package app

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/config"
	"frontdoor/render"
)

// Where each save option comes from: flags win for the run, then the save:
// section of the settings file, then detection, then the defaults.
func TestResolveOriginsAndPrecedence(t *testing.T) {
	root, file, link := layoutRoot(t, "nginx")
	other := filepath.Join(root, "copy")
	copyFile := filepath.Join(other, "artifactory.conf")
	inRoot := filepath.Join(root, "etc/nginx/conf.d/artifactory.conf")
	detectedCheck := "nginx -t -c " + filepath.Join(root, "etc/nginx/nginx.conf") + " -e stderr"
	type want struct {
		path, link, check, reload string
		keep                      int
		origins                   string // path link check reload keep
		required                  bool   // CheckRequired
		note                      string
	}
	tests := []struct {
		name     string
		provider render.Provider // "": the file's (nginx)
		save     config.SaveSettings
		flags    Flags
		want     want
	}{
		{name: "nothing chosen: detected, no reload, 5 backups",
			want: want{file, link, detectedCheck, "", 5, "detected detected detected default default", false, ""}},
		{name: "remembered: every key",
			save: config.SaveSettings{Target: copyFile, Check: "test -d  " + other, Reload: "touch x", Keep: 3},
			want: want{copyFile, "", "test -d " + other, "touch x", 3, "remembered remembered remembered remembered remembered", true, ""}},
		{name: "remembered file with its link",
			save: config.SaveSettings{Target: file, Link: link},
			want: want{file, link, detectedCheck, "", 5, "remembered remembered detected default default", false, ""}},
		{name: "remembered link alone: for the detected file",
			save: config.SaveSettings{Link: filepath.Join(root, "etc/nginx/sites-enabled/zz-artifactory.conf")},
			want: want{file, filepath.Join(root, "etc/nginx/sites-enabled/zz-artifactory.conf"), detectedCheck, "", 5, "detected remembered detected default default", false, ""}},
		{name: "remembered noCheck",
			save: config.SaveSettings{NoCheck: true},
			want: want{file, link, "", "", 5, "detected detected remembered default default", false, ""}},
		{name: "flags win over remembered: --to has no link, --check over noCheck, --keep",
			save:  config.SaveSettings{Target: file, Link: link, NoCheck: true, Keep: 3},
			flags: Flags{To: Given(copyFile), Check: Given("true"), Keep: Given(7)},
			want:  want{copyFile, "", "true", "", 7, "flag default flag default flag", true, ""}},
		{name: "--no-check over a remembered check",
			save:  config.SaveSettings{Check: "nginx -t"},
			flags: Flags{NoCheck: true},
			want:  want{file, link, "", "", 5, "detected detected flag default default", false, ""}},
		{name: "--link= over the detected link",
			flags: Flags{Link: Given("")},
			want:  want{file, "", detectedCheck, "", 5, "detected flag detected default default", false, ""}},
		{name: "--reload over a remembered one",
			save:  config.SaveSettings{Reload: "systemctl reload nginx"},
			flags: Flags{Reload: Given("touch y")},
			want:  want{file, link, detectedCheck, "touch y", 5, "detected detected detected flag default", false, ""}},
		{name: "save: written for nginx, saving for apache: detected apache, keep kept",
			provider: render.Apache,
			save:     config.SaveSettings{Target: file, Check: "nginx -t", Keep: 2},
			want: want{filepath.Join(root, "etc/apache2/sites-available/artifactory.conf"), filepath.Join(root, "etc/apache2/sites-enabled/artifactory.conf"),
				"env APACHE_CONFDIR=" + filepath.Join(root, "etc/apache2") + " apache2ctl -t", "", 2, "detected detected detected default remembered", false, "is for nginx"}},
		{name: "remembered target outside --root: the layout under the root",
			save:  config.SaveSettings{Target: "/etc/nginx/sites-available/artifactory.conf", Check: "nginx -t"},
			flags: Flags{Root: Given(root)},
			want:  want{file, link, detectedCheck, "", 5, "detected detected detected default default", false, "is not under --root"}},
		{name: "remembered target under --root: used",
			save:  config.SaveSettings{Target: inRoot},
			flags: Flags{Root: Given(root)},
			want:  want{inRoot, "", detectedCheck, "", 5, "remembered remembered detected default default", false, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loaded := config.NewFile()
			loaded.Proxy.Provider = render.Nginx
			loaded.Save = tt.save
			provider := tt.provider
			if provider == "" {
				provider = render.Nginx
			}
			flags := tt.flags
			if !flags.Root.Given {
				flags.Root = Given(root)
			}
			got, err := Resolve(provider, loaded, flags)
			if err != nil {
				t.Fatal(err)
			}
			w := tt.want
			origins := strings.Join([]string{string(got.Path.Origin), string(got.Link.Origin), string(got.Check.Origin), string(got.Reload.Origin), string(got.Keep.Origin)}, " ")
			if got.Path.Value != w.path || got.Link.Value != w.link || got.Check.Value != w.check || got.Reload.Value != w.reload || got.Keep.Value != w.keep {
				t.Errorf("values:\n got %q %q %q %q %d\nwant %q %q %q %q %d", got.Path.Value, got.Link.Value, got.Check.Value, got.Reload.Value, got.Keep.Value, w.path, w.link, w.check, w.reload, w.keep)
			}
			if origins != w.origins {
				t.Errorf("origins %q, want %q", origins, w.origins)
			}
			if got.CheckRequired() != w.required {
				t.Errorf("CheckRequired = %v, want %v", got.CheckRequired(), w.required)
			}
			if notes := strings.Join(got.Notes, "\n"); w.note == "" && notes != "" || !strings.Contains(notes, w.note) {
				t.Errorf("notes %q, want %q", notes, w.note)
			}
		})
	}
}

// Every contradiction or empty value of the save flags is a usage error
// (exit 2) naming the command, from Validate and from Resolve alike.
func TestFlagContradictions(t *testing.T) {
	dir := t.TempDir()
	notDir := writeFile(t, filepath.Join(dir, "file"), "x")
	tests := []struct {
		name  string
		flags Flags
		want  string // "": valid
	}{
		{"nothing", Flags{}, ""},
		{"--check and --no-check", Flags{Check: Given("nginx -t"), NoCheck: true}, "--check and --no-check contradict each other"},
		{"empty --check", Flags{Check: Given("  ")}, "empty --check; use --no-check"},
		{"empty --reload", Flags{Reload: Given("")}, "empty --reload"},
		{"--reload with --no-check", Flags{Reload: Given("true"), NoCheck: true}, "--reload needs a check"},
		{"empty --to", Flags{To: Given("")}, "empty --to"},
		{"--to a directory", Flags{To: Given(dir)}, "is a directory: give the snippet file, e.g. " + filepath.Join(dir, "artifactory.conf")},
		{"--to ending in /", Flags{To: Given("/nowhere/")}, "is a directory"},
		{"--link is --to", Flags{To: Given(filepath.Join(dir, "a.conf")), Link: Given(filepath.Join(dir, "a.conf"))}, "--link and --to name the same file"},
		{"--link= with --to", Flags{To: Given(filepath.Join(dir, "a.conf")), Link: Given("")}, ""},
		{"empty --root", Flags{Root: Given("")}, "empty --root"},
		{"--root not a directory", Flags{Root: Given(notDir)}, "--root " + notDir + ": not a directory"},
		{"--root missing", Flags{Root: Given(filepath.Join(dir, "missing"))}, "not a directory"},
		{"empty --backup-dir", Flags{BackupDir: Given(" ")}, "empty --backup-dir"},
		{"--keep 0", Flags{Keep: Given(0)}, "--keep 0: keep 1 or more backups"},
		{"--keep -1", Flags{Keep: Given(-1)}, "keep 1 or more"},
		{"--keep 1", Flags{Keep: Given(1)}, ""},
		{"unknown --provider", Flags{Provider: Given("frobnicate")}, `unknown --provider "frobnicate" (use nginx, apache`},
	}
	for _, tt := range tests {
		for _, command := range []string{"frontdoor save", "frontdoor wizard", "frontdoor restore"} {
			flags := tt.flags
			flags.Command = command
			err := flags.Validate()
			_, rerr := Resolve(render.Nginx, nil, flags)
			if tt.want == "" {
				if err != nil || rerr != nil {
					t.Errorf("%s, %s: %v / %v", tt.name, command, err, rerr)
				}
				continue
			}
			var u *UsageError
			if !errors.As(err, &u) || ExitCode(err) != 2 || !strings.HasPrefix(err.Error(), command+": ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s, %s: %v (exit %d), want a usage error with %q", tt.name, command, err, ExitCode(err), tt.want)
			}
			if rerr == nil || rerr.Error() != err.Error() {
				t.Errorf("%s, %s: Resolve says %v, Validate %v", tt.name, command, rerr, err)
			}
		}
	}
}

// A reload needs a check wherever each came from: --reload with a
// remembered noCheck, or the wizard clearing the check.
func TestReloadNeedsACheckWhateverItsOrigin(t *testing.T) {
	root, _, _ := layoutRoot(t, "nginx")
	loaded := config.NewFile()
	loaded.Save.NoCheck = true
	_, err := Resolve(render.Nginx, loaded, Flags{Command: "frontdoor save", Root: Given(root), Reload: Given("systemctl reload nginx")})
	if ExitCode(err) != 2 || !strings.Contains(err.Error(), "frontdoor save: a reload (from --reload) needs a check (the check is off: remembered in save.noCheck)") {
		t.Errorf("err = %v", err)
	}
	tgt, err := Resolve(render.Nginx, nil, Flags{Root: Given(root)})
	if err != nil {
		t.Fatal(err)
	}
	tgt.Reload.Edit("systemctl reload nginx")
	tgt.Check.Edit("")
	if err := tgt.Validate(); ExitCode(err) != 2 || !strings.Contains(err.Error(), "a reload (edited) needs a check (the check is off: edited to none)") {
		t.Errorf("edited: %v", err)
	}
}

// The wizard's edits: marked as edited (so the check must run), kept over a
// change of provider, and remembered in the save: section with what a
// person chose; detected values are left out so they follow the server.
func TestEditsAndRemember(t *testing.T) {
	root, file, link := layoutRoot(t, "nginx")
	mkdir(t, filepath.Join(root, "etc/apache2/sites-available"))
	t0, err := Resolve(render.Nginx, nil, Flags{})
	if err != nil {
		t.Fatal(err)
	}
	if got := t0.Remember(config.SaveSettings{Keep: 4}); got != (config.SaveSettings{Keep: 4}) {
		t.Errorf("all detected on this machine: remembered %+v", got)
	}

	tgt, err := Resolve(render.Nginx, nil, Flags{Root: Given(root)})
	if err != nil {
		t.Fatal(err)
	}
	if got := tgt.Remember(config.SaveSettings{}); got.Target != file || got.Link != link || got.Check != tgt.Check.Value {
		t.Errorf("under another root everything is remembered (detection there needs --root): %+v", got)
	}
	tgt.Check.Edit("nginx -t")
	tgt.Check.Edit("nginx -t") // the same value again: still edited, once
	if tgt.Check.Origin != OriginEdited || !tgt.CheckRequired() {
		t.Errorf("edited check: %+v, required %v", tgt.Check, tgt.CheckRequired())
	}
	same := tgt.Path
	same.Edit(file)
	if same.Origin != OriginDetected {
		t.Error("editing a value to what it is marked it edited")
	}
	apache, err := Resolve(render.Apache, nil, Flags{Root: Given(root)})
	if err != nil {
		t.Fatal(err)
	}
	moved := apache.WithEdits(tgt)
	if moved.Check.Value != "nginx -t" || moved.Path.Value != apache.Path.Value || !strings.Contains(moved.Path.Value, "apache2") {
		t.Errorf("after a provider change: check %q (edited, kept), path %q (detected, follows)", moved.Check.Value, moved.Path.Value)
	}

	flagged, err := Resolve(render.Nginx, nil, Flags{To: Given(filepath.Join(root, "copy.conf")), NoCheck: true, Keep: Given(2)})
	if err != nil {
		t.Fatal(err)
	}
	want := config.SaveSettings{Target: filepath.Join(root, "copy.conf"), NoCheck: true, Keep: 2}
	if got := flagged.Remember(config.SaveSettings{Reload: "kept as it was"}); got != (config.SaveSettings{Target: want.Target, NoCheck: true, Keep: 2, Reload: "kept as it was"}) {
		t.Errorf("remembered %+v", got)
	}
}

// Rows show each option with where it came from, the words both
// front-ends use.
func TestRows(t *testing.T) {
	root, file, _ := layoutRoot(t, "nginx")
	loaded := config.NewFile()
	loaded.Save = config.SaveSettings{Target: file, NoCheck: true, Keep: 3}
	tgt, err := Resolve(render.Nginx, loaded, Flags{Root: Given(root), BackupDir: Given(root)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range tgt.Rows() {
		got = append(got, r.Label+"="+r.Value+" ("+r.From+")")
	}
	want := []string{
		"Target=" + file + " (remembered in save.target)",
		"Enable link=none (save.target has no save.link)", // the file has no save.link: not "remembered"
		"Check=none: no rollback possible (remembered in save.noCheck)",
		"Reload=none (default)",
		"Backups kept=3 (remembered in save.keep)",
		"Backup dir=" + root + " (from --backup-dir)",
		"Root=" + root + " (from --root)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
