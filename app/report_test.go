package app

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"frontdoor/install"
	"frontdoor/render"
)

// A path that does not fit after its label (target:, restore one:) is on a
// line of its own, whole; the label keeps the line above.
func TestRenderLongPathAfterLabel(t *testing.T) {
	long := "/srv/web/etc/nginx/sites-available/artifactory-behind-the-corporate-load-balancer.conf"
	backup := "/srv/web/etc/nginx/sites-available/.artifactory.conf.frontdoor-bak.20261127T031500Z"
	rep := Report{
		Op: OpSave,
		Target: Target{
			Provider: render.Nginx,
			Path:     Setting[string]{long, OriginDetected},
			Check:    Setting[string]{"nginx -t", OriginDetected},
		},
		Steps: []install.Step{{Kind: install.StepWrite, Mark: install.MarkOK, Detail: "wrote " + long}},
		Install: &install.Report{
			Target: long, File: long, Saved: true, Keep: 5,
			Backups: []install.Backup{{Path: backup, Time: time.Date(2026, 11, 27, 3, 15, 0, 0, time.UTC), Size: 812}},
		},
	}
	lines := strings.Split(strings.TrimSuffix(rep.Render(60), "\n"), "\n")
	i := slices.Index(lines, "target:")
	if i < 0 || lines[i+1] != "  "+long || lines[i+2] != "  (detected)" {
		t.Errorf("the target's path is not alone on its line under target::\n%s", strings.Join(lines, "\n"))
	}
	if j := slices.Index(lines, "  "+backup); j < 0 {
		t.Errorf("the restore command's backup path is not whole on its line:\n%s", strings.Join(lines, "\n"))
	}
	for _, l := range lines {
		if len([]rune(l)) > 60 && len(strings.Fields(l)) > 1 {
			t.Errorf("line runs past 60 columns with more than a path on it: %q", l)
		}
	}
	// A path that fits stays beside its label.
	rep.Target.Path.Value, rep.Install.Target, rep.Install.File = "/etc/nginx/a.conf", "/etc/nginx/a.conf", "/etc/nginx/a.conf"
	if out := rep.Render(60); !strings.Contains(out, "target:       /etc/nginx/a.conf (detected)\n") {
		t.Errorf("a short target left its label:\n%s", out)
	}
}

// RenderSteps is the steps as Render draws them, and nothing else.
func TestRenderSteps(t *testing.T) {
	rep := Report{
		Op:     OpSave,
		Target: Target{Provider: render.Nginx, Path: Setting[string]{"/etc/nginx/a.conf", OriginDetected}},
		Steps: []install.Step{
			{Kind: install.StepWrite, Mark: install.MarkOK, Detail: "wrote /etc/nginx/a.conf"},
			{Kind: install.StepCheck, Mark: install.MarkFailed, Detail: "check failed: nginx -t (exit status 1)", Output: "nginx: [emerg] unknown directive"},
		},
	}
	want := "✓ wrote /etc/nginx/a.conf\n✗ check failed: nginx -t (exit status 1)\n    | nginx: [emerg] unknown directive\n"
	if got := rep.RenderSteps(80); got != want {
		t.Errorf("RenderSteps = %q, want %q", got, want)
	}
	if full := rep.Render(80); !strings.Contains(full, want) || !strings.Contains(full, "result: ") || !strings.HasPrefix(full, "target:") {
		t.Errorf("Render does not hold the steps as RenderSteps draws them:\n%s", full)
	}
	if got := (Report{}).RenderSteps(80); got != "" {
		t.Errorf("no steps: %q, want nothing", got)
	}
}

// Render is RenderTarget, then RenderSteps, then the backups and the result.
func TestRenderIsTargetThenSteps(t *testing.T) {
	rep := Report{
		Op:     OpSave,
		Target: Target{Provider: render.Nginx, Path: Setting[string]{"/etc/nginx/a.conf", OriginDetected}},
		Steps:  []install.Step{{Kind: install.StepWrite, Mark: install.MarkOK, Detail: "wrote /etc/nginx/a.conf"}},
	}
	head := rep.RenderTarget(80) + rep.RenderSteps(80)
	if full := rep.Render(80); !strings.HasPrefix(full, head) || !strings.HasPrefix(full[len(head):], "result: ") {
		t.Errorf("Render is not RenderTarget + RenderSteps + result:\n%s\nvs\n%s", full, head)
	}
	settingsOnly := Report{Op: OpSettings, SettingsFile: "frontdoor.yaml"}
	if got := settingsOnly.RenderTarget(80); got != "settings: frontdoor.yaml\n" {
		t.Errorf("settings-only RenderTarget = %q", got)
	}
}

// What the command line streams (RenderTarget first, RenderStep for each
// step as it happens, RenderEnd last) is Render's text, each line once.
func TestStreamedIsRender(t *testing.T) {
	backup := "/etc/nginx/sites-available/.artifactory.conf.frontdoor-bak.20261127T031500Z"
	rep := Report{
		Op: OpSave,
		Target: Target{
			Provider: render.Nginx,
			Path:     Setting[string]{"/etc/nginx/sites-available/artifactory.conf", OriginDetected},
			Check:    Setting[string]{"nginx -t", OriginDetected},
			Reload:   Setting[string]{"systemctl reload nginx", OriginFlag},
		},
		Steps: []install.Step{
			{Kind: install.StepWrite, Mark: install.MarkOK, Detail: "wrote 812 bytes to the temp file beside it"},
			{Kind: install.StepCheck, Mark: install.MarkOK, Detail: "check passed: nginx -t", Output: "nginx: the configuration file syntax is ok\nnginx: test is successful"},
		},
		Install: &install.Report{
			Target: "/etc/nginx/sites-available/artifactory.conf", File: "/etc/nginx/sites-available/artifactory.conf", Saved: true, Keep: 5,
			Result:  install.ResultChecked,
			Backups: []install.Backup{{Path: backup, Time: time.Date(2026, 11, 27, 3, 15, 0, 0, time.UTC), Size: 812}},
		},
	}
	for _, width := range []int{0, 60} {
		head := Report{Op: rep.Op, Target: rep.Target}
		streamed := head.RenderTarget(width)
		for _, s := range rep.Steps {
			streamed += RenderStep(s, width)
		}
		streamed += rep.RenderEnd(width)
		if full := rep.Render(width); streamed != full {
			t.Errorf("width %d: streamed\n%s\nRender\n%s", width, streamed, full)
		}
	}
	if end := rep.RenderEnd(0); !strings.Contains(end, "restore one: frontdoor restore --to /etc/nginx/sites-available/artifactory.conf --reload 'systemctl reload nginx' "+backup+"\n") {
		t.Errorf("the restore command does not repeat the save's reload:\n%s", end)
	}
}

// A restore that did not happen says "not restored", never "not saved".
func TestRestoreHeadline(t *testing.T) {
	rep := Report{Op: OpRestore, Err: &UsageError{Message: "20200101T000000Z is not one of the backups"}}
	if h := rep.Headline(); h != "not restored: 20200101T000000Z is not one of the backups" {
		t.Errorf("headline %q", h)
	}
}

// The restore command names the settings file by its absolute path, so it
// works pasted in another directory.
func TestRestoreCommandSettingsFileIsAbsolute(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFile(t, "frontdoor.yaml", "proxy:\n  serverName: a.example.com\n")
	doc2 := open(t, "frontdoor.yaml")
	abs := filepath.Join(dir, "frontdoor.yaml")
	rep := Report{Op: OpSave, SettingsFile: doc2.Path(), Document: doc2,
		Target: Target{Provider: render.Nginx, Path: Setting[string]{"/etc/nginx/a.conf", OriginDetected}, Check: Setting[string]{"nginx -t", OriginDetected}}}
	if got := rep.RestoreCommand(install.Backup{Path: "/etc/nginx/.a.conf.frontdoor-bak.1"}); !strings.Contains(got, "--config "+abs+" ") {
		t.Errorf("%q does not name %s", got, abs)
	}
}

// The printed restore command rotates the backups as the save did: it
// carries the number kept when a flag or an edit chose it, or when it is not
// the default (save.keep, which a restore pasted elsewhere may not read).
func TestRestoreCommandKeepsTheKeepCount(t *testing.T) {
	tests := []struct {
		name string
		keep Setting[int]
		want string // "" for no --keep
	}{
		{"the default", Setting[int]{5, OriginDefault}, ""},
		{"--keep 2", Setting[int]{2, OriginFlag}, "--keep 2"},
		{"--keep 5, the default's number but chosen", Setting[int]{5, OriginFlag}, "--keep 5"},
		{"an edit on the review step", Setting[int]{3, OriginEdited}, "--keep 3"},
		{"save.keep: 2", Setting[int]{2, OriginRemembered}, "--keep 2"},
		{"save.keep: 5", Setting[int]{5, OriginRemembered}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := Report{Op: OpSave, Target: Target{Provider: render.Nginx, Path: Setting[string]{"/etc/nginx/a.conf", OriginDetected},
				Check: Setting[string]{"nginx -t", OriginFlag}, Keep: tt.keep}}
			got := rep.RestoreCommand(install.Backup{Path: "/etc/nginx/.a.conf.frontdoor-bak.1"})
			if tt.want == "" && strings.Contains(got, "--keep") || tt.want != "" && !strings.Contains(got, " "+tt.want+" ") {
				t.Errorf("%q, want %q in it", got, tt.want)
			}
		})
	}
	// Through the pipeline's own resolution: the flag and save.keep.
	for _, tt := range []struct {
		body  string
		flags Flags
	}{
		{plainHTTP, Flags{Keep: Given(2)}},
		{plainHTTP + "save:\n  keep: 2\n", Flags{}},
	} {
		_, doc := settingsFile(t, tt.body)
		tgt, err := Resolve(render.Nginx, doc.Settings(), tt.flags)
		if err != nil {
			t.Fatal(err)
		}
		rep := Report{Op: OpSave, Target: tgt}
		if got := rep.RestoreCommand(install.Backup{Path: "/b"}); !strings.Contains(got, " --keep 2 ") {
			t.Errorf("keep %v: %q lacks --keep 2", tgt.Keep, got)
		}
	}
}
