package install

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --require-check: only a check that ran, passed and read the
// configuration loading the file keeps it; every other way of "not
// checked" rolls the save back (exit 1 in the CLI), and a reload never runs.
func TestRequireCheckRollsBackWhatNothingChecked(t *testing.T) {
	tests := []struct {
		name     string
		check    func(root string) []string
		previous []byte // nil: no file before
		wantErr  error
		headline string
	}{
		{"the default check is not installed", func(string) []string { return []string{"frontdoor-no-such-nginx", "-t"} },
			oldContent, ErrNotChecked, "not saved: --require-check and NOT checked (rolled back): frontdoor-no-such-nginx not found"},
		{"a new file, the check not installed", func(string) []string { return []string{"frontdoor-no-such-nginx", "-t"} },
			nil, ErrNotChecked, "not saved: --require-check and NOT checked (rolled back): frontdoor-no-such-nginx not found"},
		{"the check passes but reads the real /etc, not the root", func(string) []string { return []string{"true"} },
			oldContent, ErrNotChecked, "not saved: --require-check and NOT checked (rolled back): not checked against "},
		{"unchanged content, not checked", func(string) []string { return []string{"frontdoor-no-such-nginx", "-t"} },
			newContent, ErrNotChecked, "unchanged, NOT checked, so --require-check fails it (nothing of this save to roll back): frontdoor-no-such-nginx not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, file, _ := debianTree(t)
			if tt.previous != nil {
				writeFile(t, file, tt.previous, 0o644)
			}
			reloaded := filepath.Join(root, "reloaded")
			rep, err := Save(context.Background(), Plan{Root: root, Target: file, Content: newContent,
				CheckCmd: tt.check(root), RequireCheck: true, ReloadCmd: []string{"touch", reloaded}})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v\n%s", err, tt.wantErr, rep)
			}
			if rep.Result != ResultCheckRequired || !strings.HasPrefix(rep.Headline(), tt.headline) {
				t.Fatalf("result %s, headline %q, want %q\n%s", rep.Result, rep.Headline(), tt.headline, rep)
			}
			if _, err := os.Stat(reloaded); err == nil {
				t.Error("reloaded a configuration nothing checked")
			}
			switch {
			case tt.previous == nil:
				if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("the new file stays: %v", err)
				}
			default:
				assertFile(t, file, tt.previous, 0o644)
			}
		})
	}
}

// A check that ran, passed and loads the file: --require-check changes nothing.
func TestRequireCheckKeepsACheckedSave(t *testing.T) {
	_, file, _ := debianTree(t)
	writeFile(t, file, oldContent, 0o644)
	rep, err := Save(context.Background(), Plan{Target: file, Content: newContent, CheckCmd: []string{"true"}, RequireCheck: true})
	if err != nil || rep.Result != ResultChecked {
		t.Fatalf("err %v, result %s\n%s", err, rep.Result, rep)
	}
	assertFile(t, file, newContent, 0o644)
}
