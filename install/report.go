package install

import (
	"fmt"
	"strings"
)

// String renders the report for people: the target, each step in order (a
// command's output indented under it) and the outcome.
func (r Report) String() string {
	var b strings.Builder
	if r.File != "" && r.File != r.Target {
		fmt.Fprintf(&b, "target: %s (-> %s)\n", r.Target, r.File)
	} else {
		fmt.Fprintf(&b, "target: %s\n", r.Target)
	}
	for _, s := range r.Steps {
		fmt.Fprintf(&b, "- %s\n", s.Detail)
		if s.Output != "" {
			for _, line := range strings.Split(s.Output, "\n") {
				fmt.Fprintf(&b, "    | %s\n", line)
			}
		}
	}
	fmt.Fprintf(&b, "result: %s\n", r.Outcome())
	return b.String()
}

// Outcome is a one-line summary of the save.
func (r Report) Outcome() string {
	checkFailed := r.Check.Status == StatusFailed || r.Check.Status == StatusInterrupted
	switch {
	case r.RolledBack && checkFailed:
		return "check failed: rolled back, the previous state is in place"
	case r.RolledBack:
		return "stopped by an error: rolled back, the previous state is in place"
	case checkFailed:
		return "check failed: nothing of this save to roll back"
	case !r.Saved:
		return "not saved: stopped before changing anything"
	case r.Reload.Status == StatusFailed || r.Reload.Status == StatusNotFound || r.Reload.Status == StatusInterrupted:
		return "saved and checked, but the reload failed"
	}
	saved := "saved"
	if r.Unchanged {
		saved = "unchanged"
	}
	switch r.Check.Status {
	case StatusPassed:
		saved += " and checked"
	case StatusNotFound:
		saved += ", not checked (" + r.Check.Cmd[0] + " not found)"
	case StatusSkipped:
		saved += ", not checked"
	}
	if r.Reload.Status == StatusPassed {
		saved += ", reloaded"
	}
	if r.Backup != "" {
		saved += "; backup: " + r.Backup
	}
	return saved
}
