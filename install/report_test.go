package install

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/exp/golden"
)

func TestHeadline(t *testing.T) {
	nginx := []string{"nginx", "-t"}
	tests := []struct {
		name string
		rep  Report
		want string
		mark Mark
	}{
		{"checked", Report{Result: ResultChecked, Saved: true}, "saved and checked", MarkOK},
		{"checked, reloaded", Report{Result: ResultChecked, Saved: true, Reload: CommandResult{Status: StatusPassed}}, "saved and checked, reloaded", MarkOK},
		{"unchanged", Report{Result: ResultChecked, Saved: true, Unchanged: true}, "unchanged and checked", MarkOK},
		{"no check", Report{Result: ResultNotChecked, Saved: true, Reason: "no check command"}, "saved, NOT checked: no check command", MarkWarning},
		{"default check missing", Report{Result: ResultNotChecked, Saved: true, Reason: "nginx not found"}, "saved, NOT checked: nginx not found", MarkWarning},
		{"not rooted", Report{Result: ResultNotRooted, Saved: true, Scope: CheckScope{Root: "/srv/copy"}, Reason: "the check reads /etc/nginx/nginx.conf, outside /srv/copy"},
			"saved, not checked against /srv/copy: the check reads /etc/nginx/nginx.conf, outside /srv/copy", MarkWarning},
		{"check failed", Report{Result: ResultCheckFailed, RolledBack: true}, "check failed, rolled back", MarkFailed},
		{"chosen check missing", Report{Result: ResultCheckFailed, RolledBack: true, Reason: "`ngnix`: command not found"}, "check failed, rolled back: `ngnix`: command not found", MarkFailed},
		{"check failed, unchanged", Report{Result: ResultCheckFailed, Unchanged: true}, "check failed, nothing of this save to roll back", MarkFailed},
		{"cancelled", Report{Result: ResultCancelled, RolledBack: true}, "cancelled, rolled back", MarkWarning},
		{"cancelled early", Report{Result: ResultCancelled}, "cancelled before anything changed", MarkWarning},
		{"reload failed", Report{Result: ResultReloadFailed, Saved: true}, "saved and checked, but the reload failed", MarkFailed},
		{"error", Report{Result: ResultError, Reason: "another frontdoor save is running"}, "not saved: another frontdoor save is running", MarkFailed},
		{"error after the rename", Report{Result: ResultError, RolledBack: true, Reason: "enabling it: permission denied"}, "stopped by an error, rolled back: enabling it: permission denied", MarkFailed},
		// Reports made by hand (older callers, tests) are read from their fields.
		{"by hand: checked", Report{Saved: true, Check: CommandResult{Cmd: nginx, Status: StatusPassed}}, "saved and checked", MarkOK},
		{"by hand: failed", Report{RolledBack: true, Check: CommandResult{Cmd: nginx, Status: StatusFailed}}, "check failed, rolled back", MarkFailed},
		{"by hand: not found", Report{Saved: true, Check: CommandResult{Cmd: nginx, Status: StatusNotFound}}, "saved, NOT checked: nginx not found", MarkWarning},
		{"by hand: interrupted", Report{RolledBack: true, Check: CommandResult{Cmd: nginx, Status: StatusInterrupted}}, "cancelled, rolled back", MarkWarning},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.rep.Headline(); got != tt.want {
				t.Errorf("Headline() = %q, want %q", got, tt.want)
			}
			if got := tt.rep.Mark(); got != tt.mark {
				t.Errorf("Mark() = %s, want %s", got, tt.mark)
			}
			if !strings.Contains(tt.rep.String(), "result: "+tt.want+"\n") {
				t.Errorf("String() lacks the result:\n%s", tt.rep)
			}
		})
	}
}

// Every save result but a passing check that read the file's configuration
// must not say "checked" on its own.
func TestHeadlineSaysCheckedOnlyWhenChecked(t *testing.T) {
	for _, res := range []Result{ResultNotChecked, ResultNotRooted, ResultCheckFailed, ResultCancelled, ResultError} {
		h := Report{Result: res, Saved: true, Scope: CheckScope{Root: "/srv"}}.Headline()
		rest := strings.NewReplacer("NOT checked", "", "not checked against", "").Replace(h)
		if strings.Contains(rest, "checked") {
			t.Errorf("%s: %q", res, h)
		}
	}
}

// sampleReport is a failed save and a checked one, as Save fills them.
func sampleReports() map[string]Report {
	file := "/etc/nginx/sites-available/artifactory.conf"
	bak := "/etc/nginx/sites-available/.artifactory.conf.frontdoor-bak.20261127T031500Z"
	out := "nginx: [emerg] unknown directive \"proxy_pass_everything\" in /etc/nginx/sites-enabled/artifactory.conf:3\nnginx: configuration file /etc/nginx/nginx.conf test failed"
	return map[string]Report{
		"failed": {
			Target: file, File: file, Result: ResultCheckFailed, RolledBack: true,
			Check: CommandResult{Cmd: []string{"nginx", "-t"}, Status: StatusFailed, Output: out},
			Steps: []Step{
				{Kind: StepWrite, Mark: MarkOK, Detail: "wrote 3120 bytes to the temp file .artifactory.conf.frontdoor-new-1 beside it and flushed them to disk (mode 0644)"},
				{Kind: StepSnapshot, Mark: MarkOK, Detail: "set the previous file aside as .artifactory.conf.frontdoor-rollback for a rollback (byte-identical, mode 0644)"},
				{Kind: StepReplace, Mark: MarkOK, Detail: "replaced " + file + " atomically"},
				{Kind: StepCheck, Mark: MarkFailed, Detail: "check failed: nginx -t (exit status 1)", Output: out},
				{Kind: StepRollback, Mark: MarkOK, Detail: "put the previous " + file + " back from .artifactory.conf.frontdoor-rollback, byte for byte"},
			},
		},
		"checked": {
			Target: "/etc/nginx/sites-enabled/artifactory.conf", File: file, Result: ResultChecked, Saved: true, Backup: bak, Keep: 5,
			Check: CommandResult{Cmd: []string{"nginx", "-t"}, Status: StatusPassed},
			Steps: []Step{
				{Kind: StepCleanup, Mark: MarkInfo, Detail: "removed /etc/nginx/sites-available/.artifactory.conf.frontdoor-new-77, left by an interrupted save"},
				{Kind: StepWrite, Mark: MarkOK, Detail: "wrote 3120 bytes to the temp file .artifactory.conf.frontdoor-new-2 beside it and flushed them to disk (mode 0644)"},
				{Kind: StepReplace, Mark: MarkOK, Detail: "replaced " + file + " atomically"},
				{Kind: StepCheck, Mark: MarkOK, Detail: "check passed: nginx -t"},
				{Kind: StepBackup, Mark: MarkOK, Detail: "kept the previous version as " + bak + " (byte-identical, mode 0644)"},
				{Kind: StepReload, Mark: MarkWarning, Detail: "reload skipped: the configuration was not checked"},
			},
			Backups: []Backup{
				{Path: bak, Time: time.Date(2026, 11, 27, 3, 15, 0, 0, time.UTC), Size: 3090},
				{Path: "/etc/nginx/sites-available/.artifactory.conf.frontdoor-bak.20261120T101010Z", Time: time.Date(2026, 11, 20, 10, 10, 10, 0, time.UTC), Size: 2980},
			},
		},
	}
}

func TestRenderGolden(t *testing.T) {
	for name, rep := range sampleReports() {
		for _, width := range []int{80, 40} {
			t.Run(name+"/"+string(rune('0'+width/10))+"0", func(t *testing.T) {
				golden.RequireEqual(t, rep.Render(width))
			})
		}
	}
}

// At any width, lines break at spaces only: every word of the report (a path
// above all) is on one line, whole, and only a word longer than the width
// makes a line longer than the width.
func TestRenderNeverBreaksAWord(t *testing.T) {
	for name, rep := range sampleReports() {
		whole := rep.Render(0)
		for _, width := range []int{20, 40, 60, 80, 120} {
			got := rep.Render(width)
			words := map[string]bool{}
			for _, line := range strings.Split(got, "\n") {
				for _, w := range strings.Fields(line) {
					words[w] = true
				}
				if n := utf8.RuneCountInString(line); n > width {
					f := strings.Fields(line)
					if len(f) > 2 || (len(f) == 2 && f[0] != "|") {
						t.Errorf("%s at %d: line of %d runes with several words: %q", name, width, n, line)
					}
				}
			}
			for _, w := range strings.Fields(whole) {
				if !words[w] {
					t.Errorf("%s at %d: %q was broken", name, width, w)
				}
			}
		}
	}
}

func TestSaveProgressStreamsEachStep(t *testing.T) {
	_, file, link := debianTree(t)
	writeFile(t, file, oldContent, 0o644)
	var streamed []Step
	rep, err := Save(context.Background(), Plan{Target: file, Content: newContent, EnableLink: link, CheckCmd: []string{"true"},
		Progress: func(s Step) {
			if !s.Running() { // a command started: progress only (TestSaveStreamsRunningCommands)
				streamed = append(streamed, s)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(streamed) != len(rep.Steps) || len(streamed) < 5 {
		t.Fatalf("streamed %d steps, report has %d", len(streamed), len(rep.Steps))
	}
	for i := range streamed {
		if streamed[i] != rep.Steps[i] {
			t.Errorf("step %d streamed as %+v, reported as %+v", i, streamed[i], rep.Steps[i])
		}
		if streamed[i].Mark == "" {
			t.Errorf("step %d has no mark: %+v", i, streamed[i])
		}
	}
}

func TestCheckProgramNotFound(t *testing.T) {
	tests := []struct {
		name       string
		check      []string
		chosen     bool
		previous   []byte // what is at the target before
		wantErr    error
		wantStep   string
		wantResult string
		wantFile   []byte
	}{
		{"chosen, typo: fails and rolls back", []string{"ngnix", "-t"}, true, oldContent, ErrCheckFailed,
			"check failed: `ngnix`: command not found", "check failed, rolled back: `ngnix`: command not found", oldContent},
		{"chosen, unchanged: says not found, not 'elsewhere'", []string{"ngnix", "-t"}, true, newContent, ErrCheckFailed,
			"check failed: `ngnix`: command not found", "check failed, nothing of this save to roll back: `ngnix`: command not found", newContent},
		{"chosen, behind env", []string{"env", "APACHE_CONFDIR=/srv/etc/apache2", "frontdoor-no-such-apache2ctl", "-t"}, true, oldContent, ErrCheckFailed,
			"check failed: `frontdoor-no-such-apache2ctl`: command not found", "check failed, rolled back: `frontdoor-no-such-apache2ctl`: command not found", oldContent},
		{"default: saved, not checked", []string{"frontdoor-no-such-nginx", "-t"}, false, oldContent, nil,
			"not checked: frontdoor-no-such-nginx not found", "saved, NOT checked: frontdoor-no-such-nginx not found", newContent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, file, _ := debianTree(t)
			writeFile(t, file, tt.previous, 0o644)
			rep, err := Save(context.Background(), Plan{Target: file, Content: newContent, CheckCmd: tt.check, CheckRequired: tt.chosen})
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v\n%s", err, tt.wantErr, rep)
			}
			if err != nil && !strings.Contains(err.Error(), "command not found") {
				t.Errorf("error %q does not say the command was not found", err)
			}
			s := rep.String()
			if !strings.Contains(s, tt.wantStep) || rep.Headline() != tt.wantResult {
				t.Errorf("want step %q and result %q:\n%s", tt.wantStep, tt.wantResult, s)
			}
			if strings.Contains(s, "elsewhere") {
				t.Errorf("a missing program reported as a problem elsewhere:\n%s", s)
			}
			assertFile(t, file, tt.wantFile, 0o644)
		})
	}
}
