package install

import (
	"fmt"
	"frontdoor/internal/textwrap"
	"path/filepath"
	"strings"
)

// StepKind classifies a line of the report.
type StepKind string

const (
	StepResume    StepKind = "resume"    // an interrupted earlier save was found
	StepCleanup   StepKind = "cleanup"   // leftovers of an interrupted save removed
	StepRestore   StepKind = "restore"   // the content comes from a backup (Plan.RestoreFrom)
	StepUnchanged StepKind = "unchanged" // content already in place, nothing written
	StepWrite     StepKind = "write"     // temp file written and fsynced
	StepSnapshot  StepKind = "snapshot"  // the previous file set aside for a rollback
	StepReplace   StepKind = "replace"   // atomic rename over the target
	StepLink      StepKind = "link"      // enable link created or found
	StepCheck     StepKind = "check"
	StepScope     StepKind = "scope" // what the check read: not the configuration under the root, or not the file
	StepRollback  StepKind = "rollback"
	StepBackup    StepKind = "backup" // the previous version kept as a backup
	StepRotate    StepKind = "rotate" // old backups beyond Plan.Keep removed
	StepReload    StepKind = "reload"
	StepWarning   StepKind = "warning"
)

// Mark is how a step went, drawn as ✓ ✗ ! or ·.
type Mark string

const (
	MarkOK      Mark = "ok"      // done as intended
	MarkFailed  Mark = "failed"  // this step failed (the check, the reload, a rollback)
	MarkWarning Mark = "warning" // done, but something needs the user's attention
	MarkInfo    Mark = "info"    // for the record
	// MarkRunning: a command (the check, the reload) has started and not
	// ended yet. Such a step is progress only (Plan.Progress): the step
	// that ends the command follows it, and it is never in Report.Steps.
	MarkRunning Mark = "running"
)

// Symbol is the mark as one character: ✓ ✗ ! ·
func (m Mark) Symbol() string {
	switch m {
	case MarkOK:
		return "✓"
	case MarkFailed:
		return "✗"
	case MarkWarning:
		return "!"
	case MarkRunning:
		return "…"
	}
	return "·"
}

// Running reports whether s only says a command has started (MarkRunning):
// progress to show while it runs, not a step of the report.
func (s Step) Running() bool { return s.Mark == MarkRunning }

// Step is one thing the save did, in order.
type Step struct {
	Kind   StepKind
	Mark   Mark
	Detail string
	Output string // the command's output, for check and reload steps
}

// Result is the outcome of a save, in one word; Report.Headline says it in words.
type Result string

const (
	// ResultChecked: the content is in place and a check ran, passed, and read
	// the configuration that loads it. The only result that says "checked".
	ResultChecked Result = "checked"
	// ResultNotChecked: in place, but nothing checked it (no check, the
	// default check's program is missing, or the check does not load the file).
	ResultNotChecked Result = "not-checked"
	// ResultNotRooted: in place, and the check passed, but it read another
	// configuration than the one under Plan.Root.
	ResultNotRooted Result = "not-rooted"
	// ResultCheckFailed: the check failed; the save was rolled back (when it changed anything).
	ResultCheckFailed Result = "check-failed"
	// ResultCheckRequired: Plan.RequireCheck, and nothing checked the file
	// (Reason says why); rolled back as a failed check is.
	ResultCheckRequired Result = "check-required"
	// ResultCancelled: the context was cancelled (Ctrl+C, SIGINT, SIGTERM);
	// whatever the save had changed was rolled back. Not a check failure.
	ResultCancelled Result = "cancelled"
	// ResultReloadFailed: saved and checked, the reload failed (or was cancelled).
	ResultReloadFailed Result = "reload-failed"
	// ResultError: stopped by an error, before changing anything or rolled back.
	ResultError Result = "error"
)

// Report tells what a save did. It is filled as far as the save got, also
// when Save returns an error.
type Report struct {
	Target      string // the path asked for
	File        string // the file holding the content: Target through its symlinks
	Created     bool   // there was no file before
	Unchanged   bool   // the content was already there: nothing written
	Backup      string // the backup holding the previous version after the save; "" when none
	EnableLink  string // the link enabling File, when the plan has one
	LinkCreated bool   // this save created EnableLink
	Check       CommandResult
	Scope       CheckScope // what the check read (set when a check ran)
	Saved       bool       // the content is in place (written or unchanged) and not rolled back
	RolledBack  bool       // the check (or a later step) failed or was cancelled, and the previous state was put back
	// RollbackFailed: the previous state could not be put back; a step says
	// what to do by hand. The new content may still be at the target.
	RollbackFailed bool
	Reload         CommandResult
	Resumed        bool // an interrupted save's unchecked change was found and taken over
	Steps          []Step

	Result Result
	Reason string // why, for a result that needs one: the missing program, the error, what the check did not read
	// Backups are the target's kept backups after the save, newest first.
	Backups   []Backup
	BackupDir string // Plan.BackupDir, for the restore command
	Keep      int    // how many backups the save keeps
	Restored  string // the backup this save put back (Plan.RestoreFrom)
	// Removed: Undo removed the file a save had created (there was none before).
	Removed bool

	progress func(Step)
}

func (r *Report) add(kind StepKind, mark Mark, format string, args ...any) {
	r.addStep(Step{Kind: kind, Mark: mark, Detail: fmt.Sprintf(format, args...)})
}

func (r *Report) addStep(s Step) {
	r.Steps = append(r.Steps, s)
	if r.progress != nil {
		r.progress(s)
	}
}

// running tells the caller's Progress that cmd has started (once its
// process runs), so a slow check or reload does not look hung; the step
// that says how it ended follows. Not a step of the report.
func (r *Report) running(kind StepKind, cmd []string, then func()) func() {
	return func() {
		if r.progress != nil {
			r.progress(Step{Kind: kind, Mark: MarkRunning, Detail: "running: " + FormatCommand(cmd)})
		}
		call(then)
	}
}

// result is r.Result, or for a report made by hand (tests, older callers)
// what its fields say.
func (r Report) result() Result {
	if r.Result != "" {
		return r.Result
	}
	switch {
	case r.Check.Status == StatusInterrupted:
		return ResultCancelled
	case r.Check.Status == StatusFailed:
		return ResultCheckFailed
	case r.RolledBack || !r.Saved:
		return ResultError
	case r.Reload.Status == StatusFailed || r.Reload.Status == StatusNotFound || r.Reload.Status == StatusInterrupted:
		return ResultReloadFailed
	case r.Check.Status == StatusPassed:
		return ResultChecked
	}
	return ResultNotChecked
}

// Headline is the outcome in a few words: "saved and checked", "saved, NOT
// checked: nginx not found", "check failed, rolled back", "cancelled, rolled
// back", "saved, not checked against /srv/root: …". "checked" appears only
// when a check ran and passed against the configuration that loads the file.
func (r Report) Headline() string {
	saved := "saved"
	if r.Unchanged {
		saved = "unchanged"
	}
	switch {
	case r.Restored != "":
		saved = "restored " + filepath.Base(r.Restored)
	case r.Removed:
		saved = "removed " + filepath.Base(r.File)
	case r.RolledBack: // Undo of a save that only created the enable link
		saved = "link removed"
	}
	withReason := func(s string) string {
		if r.Reason != "" {
			return s + ": " + r.Reason
		}
		return s
	}
	undone := func(what string) string {
		switch {
		case r.RollbackFailed:
			return what + ", ROLLBACK FAILED (see the steps to restore by hand)"
		case r.RolledBack:
			return what + ", rolled back"
		case r.Unchanged:
			return what + ", nothing of this save to roll back"
		}
		return what + " before anything changed"
	}
	switch r.result() {
	case ResultChecked:
		s := saved + " and checked"
		if r.Reload.Status == StatusPassed {
			s += ", reloaded"
		}
		return s
	case ResultNotChecked:
		if r.Reason == "" && len(r.Check.Cmd) > 0 && r.Check.Status == StatusNotFound {
			return saved + ", NOT checked: " + filepath.Base(program(r.Check.Cmd)) + " not found"
		}
		if r.Reason == "" {
			return saved + ", NOT checked"
		}
		return saved + ", NOT checked: " + r.Reason
	case ResultNotRooted:
		return withReason(saved + ", not checked against " + r.Scope.Root)
	case ResultCheckFailed:
		return withReason(undone("check failed"))
	case ResultCheckRequired:
		switch {
		case r.RollbackFailed:
			return withReason("NOT checked, --require-check, ROLLBACK FAILED (see the steps to restore by hand)")
		case r.Unchanged || !r.RolledBack:
			return withReason(saved + ", NOT checked, so --require-check fails it (nothing of this save to roll back)")
		}
		not := "not saved"
		if r.Restored != "" {
			not = "not restored"
		}
		return withReason(not + ": --require-check and NOT checked (rolled back)")
	case ResultCancelled:
		if r.Saved && r.Check.Status == StatusPassed {
			return withReason(saved + " and checked, reload cancelled")
		}
		return withReason(undone("cancelled"))
	case ResultReloadFailed:
		return withReason(saved + " and checked, but the reload failed")
	}
	if r.RolledBack || r.RollbackFailed {
		return withReason(undone("stopped by an error"))
	}
	return withReason("not saved")
}

// Mark is the mark of the whole save: ✓ only for ResultChecked.
func (r Report) Mark() Mark {
	switch r.result() {
	case ResultChecked:
		return MarkOK
	case ResultNotChecked, ResultNotRooted, ResultCancelled:
		return MarkWarning
	}
	return MarkFailed
}

// Outcome is the older one-line summary, kept word for word for callers
// that match it.
//
// Deprecated: use Headline (and Render for the whole report).
func (r Report) Outcome() string {
	switch r.result() {
	case ResultCancelled, ResultNotRooted:
		return r.Headline()
	case ResultNotChecked:
		if r.Reason != "" {
			return r.Headline()
		}
	}
	checkFailed := r.Check.Status == StatusFailed || r.Check.Status == StatusNotFound && r.Result == ResultCheckFailed
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
		saved += ", not checked (" + filepath.Base(program(r.Check.Cmd)) + " not found)"
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

// RestoreCommand is the command line that puts backup b back through the
// same save (check, rollback on failure).
func (r Report) RestoreCommand(b Backup) string {
	cmd := "frontdoor restore --to " + r.Target
	if r.BackupDir != "" {
		cmd += " --backup-dir " + r.BackupDir
	}
	return cmd + " " + b.Path
}

// String renders the report without a width limit; see Render.
func (r Report) String() string { return r.Render(0) }

// Render draws the report for people, wrapped to width columns (0: no
// limit): the target, each step with its mark (✓ ✗ ! ·) and a command's
// output under it, the backups kept with the command that restores
// one, and the result last. Lines break at spaces only; a path longer than
// the width stands alone on its line, whole.
func (r Report) Render(width int) string {
	var lines []string
	target := r.Target
	if r.File != "" && r.File != r.Target {
		target += " -> " + r.File
	}
	lines = append(lines, textwrap.Wrap("target: "+target, width, "", "  ")...)
	for _, s := range r.Steps {
		lines = append(lines, textwrap.Wrap(s.Detail, width, s.Mark.Symbol()+" ", "  ")...)
		if s.Output != "" {
			for _, l := range strings.Split(s.Output, "\n") {
				lines = append(lines, textwrap.Wrap(l, width, "    | ", "    | ")...)
			}
		}
	}
	if len(r.Backups) > 0 {
		lines = append(lines, textwrap.Wrap(fmt.Sprintf("backups kept (newest first, up to %d):", r.Keep), width, "", "  ")...)
		for _, b := range r.Backups {
			lines = append(lines, textwrap.Wrap(fmt.Sprintf("%s  %d bytes  %s", b.Time.Format("2006-01-02 15:04:05 UTC"), b.Size, b.Path), width, "  ", "    ")...)
		}
		lines = append(lines, textwrap.Wrap("restore one: "+r.RestoreCommand(r.Backups[0]), width, "", "  ")...)
	}
	lines = append(lines, textwrap.Wrap(r.Headline(), width, "result: ", "  ")...)
	return strings.Join(lines, "\n") + "\n"
}
