package install

import (
	"context"
	"slices"
	"testing"
)

// A check or reload says it is running when its process starts, so a slow
// one does not look hung; the step that ends it follows, and the running
// step is progress only, never in the report's steps.
func TestSaveStreamsRunningCommands(t *testing.T) {
	tests := []struct {
		name   string
		check  []string
		reload []string
		want   []string // the check and reload steps streamed, as "MARK DETAIL"
	}{
		{"check and reload", []string{"true"}, []string{"true"}, []string{
			"running running: true", "ok check passed: true", "running running: true", "ok reload passed: true"}},
		{"a failing check", []string{"false"}, []string{"true"}, []string{
			"running running: false", "failed check failed: false (exit status 1)"}},
		{"a check not installed never runs", []string{"frontdoor-no-such-nginx", "-t"}, nil, []string{
			"warning not checked: frontdoor-no-such-nginx not found"}},
		{"no check, no reload", nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, file, _ := debianTree(t)
			var streamed []string
			progress := func(s Step) {
				if s.Kind == StepCheck || s.Kind == StepReload {
					streamed = append(streamed, string(s.Mark)+" "+s.Detail)
				}
			}
			rep, _ := Save(context.Background(), Plan{Target: file, Content: newContent, CheckCmd: tt.check, ReloadCmd: tt.reload, Progress: progress})
			if !slices.Equal(streamed, tt.want) {
				t.Errorf("streamed\n%q\nwant\n%q", streamed, tt.want)
			}
			for _, s := range rep.Steps {
				if s.Running() {
					t.Errorf("the report keeps a running step: %+v", s)
				}
			}
		})
	}
}
