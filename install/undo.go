package install

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// ErrNotUndone: Undo changed nothing, because there is nothing of the save
// to take back or the file changed since (someone else's edit is never
// overwritten). Report.Reason says which.
var ErrNotUndone = errors.New("not rolled back")

// Undo takes back a save that settled, when what it installed turned out
// not to work after the reload (the save pipeline's verify): p is the plan
// Save ran, last its report. The file goes back to what it was before the
// save, through the same steps as a save: the previous version from the
// backup the save kept (p with RestoreFrom: lock, temp file, rename, check,
// rollback of the undo itself when the check fails); or, when the save
// created the file, no file (kept as the newest backup first) and no link.
// A link the save created is removed in both cases. Then the check runs,
// and the reload, as p says. The version taken back stays as the newest
// backup, so it can be looked at or restored.
//
// Nothing is changed (ErrNotUndone) when the file no longer holds p's
// content, when the save changed nothing, or when the previous version was
// not kept.
func Undo(ctx context.Context, p Plan, last Report) (Report, error) {
	r := Report{
		Target: p.Target, File: last.File, Check: CommandResult{Cmd: p.CheckCmd, Status: StatusSkipped},
		Reload: CommandResult{Cmd: p.ReloadCmd, Status: StatusSkipped}, BackupDir: p.BackupDir, Keep: p.keep(),
		Result: ResultError, progress: p.Progress,
	}
	refuse := func(format string, args ...any) (Report, error) {
		r.Reason = fmt.Sprintf(format, args...)
		r.add(StepRollback, MarkFailed, "not rolled back: %s", r.Reason)
		return r, fmt.Errorf("%w: %s", ErrNotUndone, r.Reason)
	}
	file, err := resolveFile(p.Target)
	if err != nil {
		return refuse("%v", err)
	}
	r.File = file
	cur, err := readState(file)
	switch {
	case err != nil:
		return refuse("%v", err)
	case !last.Saved || last.Unchanged && !last.LinkCreated:
		return refuse("this save changed nothing to take back (%s already held its content)", file)
	case !last.Unchanged && (!cur.exists || !bytes.Equal(cur.data, p.Content)):
		return refuse("%s changed since the save: it is left as it is", file)
	case !last.Created && !last.Unchanged && last.Backup == "":
		return refuse("the version %s replaced was not kept as a backup", file)
	}
	if last.LinkCreated {
		if err := removeLink(&r, last.EnableLink, file); err != nil {
			return r, err
		}
		p.EnableLink = "" // the undo must not create it again
	}
	if last.Unchanged {
		return r.checkAndReload(ctx, p, "the link is removed")
	}
	if !last.Created {
		p.RestoreFrom, p.Content = last.Backup, nil
		steps := r.Steps
		rep, err := Save(ctx, p)
		rep.Steps = append(steps, rep.Steps...)
		return rep, err
	}
	return r.removeCreated(ctx, p, file, cur)
}

// removeCreated takes back a save that created file: the file is kept as
// the newest backup, removed, and the configuration checked and reloaded.
func (r *Report) removeCreated(ctx context.Context, p Plan, file string, cur fileState) (Report, error) {
	unlock, err := lockDir(filepath.Dir(file))
	if err != nil {
		return *r, err
	}
	defer unlock()
	backups := backupSetFor(file, p.BackupDir)
	now := time.Now()
	if p.now != nil {
		now = p.now()
	}
	if r.Keep > 0 {
		kept, dup, err := backups.add(file, cur, now)
		switch {
		case err != nil:
			r.add(StepBackup, MarkWarning, "could not keep %s as a backup before removing it: %v", file, err)
		case dup:
			r.add(StepBackup, MarkOK, "the version taken back is already kept as %s", kept)
		default:
			r.Backup = kept
			r.add(StepBackup, MarkOK, "kept the version taken back as %s", kept)
		}
	}
	if err := rollback(r, file, previous{}, true, "", nil); err != nil {
		return *r, err
	}
	r.Removed = true
	removed, err := backups.rotate(r.Keep, "", nil)
	for _, b := range removed {
		r.add(StepRotate, MarkInfo, "removed the old backup %s (keeping the newest %d)", b, r.Keep)
	}
	if err != nil {
		r.add(StepRotate, MarkWarning, "could not remove an old backup: %v", err)
	}
	if r.Backups, err = backups.list(); err != nil {
		r.add(StepWarning, MarkWarning, "could not list the backups: %v", err)
	}
	return r.checkAndReload(ctx, p, "the file is removed")
}

// removeLink removes the enable link a save created, when it still points
// to file.
func removeLink(r *Report, link, file string) error {
	fi, err := os.Lstat(link)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 || !pointsTo(link, file) {
		return nil // gone, or replaced by someone: not ours any more
	}
	if err := os.Remove(link); err != nil {
		r.add(StepRollback, MarkFailed, "could not remove the link %s (%v)", link, err)
		return fmt.Errorf("%w: removing the link %s: %w", ErrNotUndone, link, err)
	}
	syncDir(filepath.Dir(link))
	r.RolledBack = true
	r.add(StepRollback, MarkOK, "removed the link %s", link)
	return nil
}

// checkAndReload runs p's check on the configuration an undo left, and its
// reload when the check passed. done says what stays when either fails.
func (r *Report) checkAndReload(ctx context.Context, p Plan, done string) (Report, error) {
	r.Check = runCommand(ctx, p.CheckCmd, r.running(StepCheck, p.CheckCmd, nil))
	step := Step{Kind: StepCheck, Mark: MarkOK, Detail: r.Check.Summary("check"), Output: r.Check.Output}
	switch r.Check.Status {
	case StatusSkipped, StatusPassed:
	case StatusInterrupted:
		step.Mark = MarkWarning
		step.Detail = fmt.Sprintf("check cancelled %s: %s", CancelledBy(ctx), FormatCommand(p.CheckCmd))
		r.addStep(step)
		r.Result = ResultCancelled
		return *r, cancelled(ctx, "during the check ("+done+")")
	case StatusNotFound:
		step.Mark, step.Detail = MarkFailed, "check failed: "+NotFoundMessage(p.CheckCmd)
		r.addStep(step)
		r.Result = ResultCheckFailed
		return *r, fmt.Errorf("%w: %s (%s, not reloaded)", ErrCheckFailed, NotFoundMessage(p.CheckCmd), done)
	default:
		step.Mark = MarkFailed
		r.addStep(step)
		r.Result = ResultCheckFailed
		return *r, fmt.Errorf("%w: %s (%s, not reloaded)", ErrCheckFailed, FormatCommand(p.CheckCmd), done)
	}
	if r.Check.Status == StatusPassed {
		r.addStep(step)
		r.Result = ResultChecked
	} else {
		r.Result = ResultNotChecked
	}
	if len(p.ReloadCmd) == 0 {
		return *r, nil
	}
	if r.Result != ResultChecked {
		r.add(StepReload, MarkWarning, "reload skipped: the configuration was not checked")
		return *r, nil
	}
	return *r, r.reload(ctx, p.ReloadCmd, done)
}
