package install

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// verify runs the check and settles the outcome: a failed or cancelled
// check rolls the save back; a passing one is "checked" only when it read
// the configuration under the plan's root and that configuration loads the file.
func (s *saveRun) verify(ctx context.Context) error {
	p := &s.p
	check := p.CheckCmd
	if len(check) > 0 {
		s.r.Scope = ScopeOfCheck(p.Root, check)
	}
	s.r.Check = runCommand(ctx, check, s.r.running(StepCheck, check, p.at(stageCheckStarted)))
	res := s.r.Check
	step := Step{Kind: StepCheck, Detail: res.Summary("check"), Output: res.Output}
	switch {
	case len(check) == 0 && p.Manifest:
		apply := "apply it with `kubectl apply -f " + s.file + "`"
		s.r.add(StepCheck, MarkInfo, "not checked: %s (a Kubernetes manifest: nothing on this machine loads it)", apply)
		s.r.Result, s.r.Reason = ResultNotChecked, apply
		return nil

	case len(check) == 0:
		if s.changes() {
			s.r.add(StepWarning, MarkWarning, "%s was saved without a check", s.file)
		}
		s.r.Result, s.r.Reason = ResultNotChecked, "no check command"
		return nil

	case res.Status == StatusInterrupted:
		step.Mark = MarkWarning
		step.Detail = fmt.Sprintf("check cancelled %s: %s", CancelledBy(ctx), FormatCommand(check))
		s.r.addStep(step)
		s.r.Result = ResultCancelled
		return s.undo(cancelled(ctx, "during the check"))

	case res.Status == StatusNotFound && !p.CheckRequired:
		// The default check on a machine without the server: visible, not a failure.
		step.Mark = MarkWarning
		s.r.addStep(step)
		s.r.Result, s.r.Reason = ResultNotChecked, filepath.Base(program(check))+" not found"
		return nil

	case res.Status == StatusNotFound:
		step.Mark = MarkFailed
		step.Detail = "check failed: " + NotFoundMessage(check)
		s.r.addStep(step)
		s.r.Result, s.r.Reason = ResultCheckFailed, NotFoundMessage(check)
		return s.checkFailed(fmt.Errorf("%w: %s", ErrCheckFailed, NotFoundMessage(check)))

	case res.Status != StatusPassed:
		step.Mark = MarkFailed
		s.r.addStep(step)
		s.r.Result = ResultCheckFailed
		ours := []string{p.Target, s.file, s.link, p.EnableLink}
		if clash := listenClash(res.Output, s.r.Scope.Files, ours...); clash != "" {
			// Apache names the snippet's Listen; the line to remove is elsewhere.
			s.r.Reason = clash
			s.r.add(StepCheck, MarkInfo, "%s (the snippet saved with it was rolled back)", clash)
		} else if where := errorsOutside(res.Output, ours...); where != "" {
			// Not the snippet's fault as far as the server can tell: say
			// where to look before the rollback makes it look like ours.
			s.r.Reason = where
			s.r.add(StepCheck, MarkInfo, "%s: fix it there (the snippet saved with it was rolled back)", where)
		}
		if !s.wrote && s.createdLink == "" {
			// Nothing of ours to take back: the configuration was already failing.
			s.r.add(StepWarning, MarkWarning, "the check fails with the content unchanged: the problem is elsewhere in the configuration (or in this file as it was)")
		}
		return s.checkFailed(fmt.Errorf("%w: %s", ErrCheckFailed, FormatCommand(check)))
	}

	step.Mark = MarkOK
	s.r.addStep(step)
	scope := s.r.Scope
	switch {
	case !scope.Rooted:
		s.r.add(StepScope, MarkWarning, "not checked against %s: %s", scope.Root, scope.Why)
		s.r.Result, s.r.Reason = ResultNotRooted, scope.Why
	case !scope.Loads(s.file):
		why := scope.notLoaded(s.file, check, s.link != "" || s.p.EnableLink != "")
		s.r.add(StepScope, MarkWarning, "%s", why)
		s.r.Result, s.r.Reason = ResultNotChecked, why
	case scope.ServiceSkips(s.file) != "":
		// The check read the file, the server as started will not: what it
		// vouches for is not what serves.
		skips := scope.ServiceSkips(s.file)
		s.r.add(StepScope, MarkWarning, "checked, but %s", skips)
		s.r.Result, s.r.Reason = ResultNotChecked, skips
	default:
		s.r.Result = ResultChecked
	}
	return nil
}

// requireCheck is Plan.RequireCheck's rule, the one place it is decided: a
// save that nothing checked is rolled back as a failed check is. What was
// not checked is already a step of its own (why is in the Reason).
func (s *saveRun) requireCheck() error {
	if !s.p.RequireCheck || s.r.Result == ResultChecked {
		return nil
	}
	why := s.r.Reason
	if s.r.Result == ResultNotRooted {
		why = "not checked against " + s.r.Scope.Root + ": " + why
	}
	s.r.Result, s.r.Reason = ResultCheckRequired, why
	what := "rolling back"
	if !s.wrote && s.createdLink == "" {
		what = "the file was already in place, nothing of this save to roll back"
	}
	s.r.add(StepCheck, MarkFailed, "a check is required (--require-check), and nothing checked the file: %s", what)
	return s.checkFailed(fmt.Errorf("%w (a check is required): %s", ErrNotChecked, why))
}

// checkFailed rolls back after a failed check, when the save changed anything.
func (s *saveRun) checkFailed(cause error) error {
	if !s.wrote && s.createdLink == "" {
		if s.journaled {
			removeJournal(s.file)
		}
		return cause
	}
	return s.undo(fmt.Errorf("%w; rolled back", cause))
}

// finish settles a save whose new file stays: the previous version becomes
// the newest kept backup, the journal goes, old backups beyond Keep are
// removed, and the server is reloaded when asked.
func (s *saveRun) finish(ctx context.Context) error {
	p := &s.p
	s.r.Saved = true
	if s.prev.had && s.prev.backup == s.snapshotPath && s.r.Keep > 0 {
		st, err := readState(s.snapshotPath)
		if err == nil {
			var kept string
			var dup bool
			if kept, dup, err = s.backups.add(s.snapshotPath, st, s.now()); err == nil {
				s.r.Backup = kept
				if dup {
					s.r.add(StepBackup, MarkOK, "the previous version is already kept as %s", kept)
				} else {
					s.r.add(StepBackup, MarkOK, "kept the previous version as %s (byte-identical, mode %04o)", kept, st.mode)
				}
			}
		}
		if err != nil {
			// The new file passed and stays; only the history is short of one.
			s.r.add(StepBackup, MarkWarning, "could not keep the previous version as a backup (%v); it is still in %s", err, s.snapshotPath)
			s.ownSnapshot = false
		}
		call(p.at(stagePromoted))
	}
	if s.journaled {
		if err := removeJournal(s.file); err != nil {
			return fmt.Errorf("removing the save journal: %w", err)
		}
	}
	call(p.at(stageSettled))
	if s.prev.backup == s.snapshotPath {
		s.ownSnapshot = true // a taken-over copy goes too: it is kept as a backup now
	}
	s.dropOwnSnapshot()

	removed, err := s.backups.rotate(s.r.Keep, s.r.Restored, p.at(stageRotated))
	for _, b := range removed {
		s.r.add(StepRotate, MarkInfo, "removed the old backup %s (keeping the newest %d)", b, s.r.Keep)
	}
	if err != nil {
		s.r.add(StepRotate, MarkWarning, "could not remove an old backup: %v", err)
	}
	if s.r.Backups, err = s.backups.list(); err != nil {
		s.r.add(StepWarning, MarkWarning, "could not list the backups: %v", err)
	}

	if len(p.ReloadCmd) == 0 {
		return nil
	}
	if s.r.Result != ResultChecked {
		s.r.add(StepReload, MarkWarning, "reload skipped: the configuration was not checked")
		return nil
	}
	return s.r.reload(ctx, p.ReloadCmd, "the file is saved and checked")
}

// reload runs the reload command of a save (or an Undo) whose configuration
// passed its check, and says how it went; done says what stays in place
// when the reload fails.
func (r *Report) reload(ctx context.Context, cmd []string, done string) error {
	r.Reload = runCommand(ctx, cmd, r.running(StepReload, cmd, nil))
	step := Step{Kind: StepReload, Mark: MarkOK, Detail: r.Reload.Summary("reload"), Output: r.Reload.Output}
	switch r.Reload.Status {
	case StatusPassed:
		r.addStep(step)
		return nil
	case StatusInterrupted:
		step.Mark = MarkWarning
		step.Detail = fmt.Sprintf("reload cancelled %s: %s", CancelledBy(ctx), FormatCommand(cmd))
		r.addStep(step)
		r.Result = ResultCancelled
		return fmt.Errorf("%w: %s (%s): %w", ErrReloadFailed, FormatCommand(cmd), done, cancelled(ctx, "during the reload"))
	}
	step.Mark = MarkFailed
	if r.Reload.Status == StatusNotFound {
		step.Detail = "reload failed: " + NotFoundMessage(cmd)
		r.Reason = NotFoundMessage(cmd)
	}
	r.addStep(step)
	r.Result = ResultReloadFailed
	return fmt.Errorf("%w: %s (%s)", ErrReloadFailed, FormatCommand(cmd), done)
}

// resumeFrom decides what an earlier save's journal means now. It resumes
// (takes over the interrupted save's rollback) when the target still holds
// exactly that save's unchecked change, or when it is back as it was but a
// link that save created is still there.
//
// unchecked tells that file holds the unchecked content (prev is then what a
// rollback puts back); otherwise only link is taken over.
func resumeFrom(r *Report, j *journal, file string, cur fileState) (resumed, unchecked bool, prev previous, link string) {
	who := fmt.Sprintf("an earlier save (pid %d, %s)", j.PID, j.Started.Local().Format(time.DateTime))
	if j.File != file {
		r.add(StepWarning, MarkWarning, "%s left a journal for %s; ignored", who, j.File)
		return false, false, previous{}, ""
	}
	if j.Link != "" && pointsTo(j.Link, file) {
		link = j.Link
	}
	curSHA := ""
	if cur.exists {
		curSHA = sum(cur.data)
	}
	asBefore := cur.exists && j.HadPrevious && curSHA == j.OldSHA256 || !cur.exists && !j.HadPrevious
	switch {
	case j.Wrote && cur.exists && curSHA == j.NewSHA256:
		if j.HadPrevious {
			b, err := readState(j.Backup)
			if err != nil || !b.exists || sum(b.data) != j.OldSHA256 {
				r.add(StepWarning, MarkWarning, "%s was interrupted before its check, and its copy of the previous file %s is gone or changed: %s holds that save's unchecked content and is treated as the previous file", who, j.Backup, file)
				return false, false, previous{}, ""
			}
			r.add(StepResume, MarkWarning, "%s was interrupted before its check finished: %s holds its new, unchecked content; %s holds the file from before it and is what a failed check goes back to", who, file, j.Backup)
			return true, true, previous{had: true, backup: j.Backup, sha: j.OldSHA256}, link
		}
		r.add(StepResume, MarkWarning, "%s was interrupted before its check finished: it created %s, which was never checked; a failed check removes it", who, file)
		return true, true, previous{}, link
	case (!j.Wrote || asBefore) && link != "":
		r.add(StepResume, MarkWarning, "%s was interrupted before its check finished: it created the link %s, which a failed check removes", who, link)
		return true, false, previous{}, link
	case asBefore:
		r.add(StepResume, MarkInfo, "%s was interrupted before it changed %s (or after putting it back): nothing to take over", who, file)
	default:
		r.add(StepResume, MarkWarning, "%s was interrupted, but %s has been changed since: its journal is discarded", who, file)
	}
	return false, false, previous{}, ""
}

// rollback puts back the state before the save: the previous file (one
// rename from the save's own copy of it) or no file, and no link this save
// created. The kept backups are not touched. fileBack is called between the
// two (crash tests).
func rollback(r *Report, file string, prev previous, wrote bool, link string, fileBack func()) error {
	if wrote {
		if prev.had {
			if err := restore(prev.backup, file); err != nil {
				r.add(StepRollback, MarkFailed, "ROLLBACK FAILED: could not put %s back from %s (%v); restore it by hand: mv %s %s", file, prev.backup, err, prev.backup, file)
				r.RollbackFailed = true
				return fmt.Errorf("rollback failed: %w", err)
			}
			r.add(StepRollback, MarkOK, "put the previous %s back from %s, byte for byte", file, filepath.Base(prev.backup))
		} else {
			if err := os.Remove(file); err != nil && !errors.Is(err, os.ErrNotExist) {
				r.add(StepRollback, MarkFailed, "ROLLBACK FAILED: could not remove the new %s (%v)", file, err)
				r.RollbackFailed = true
				return fmt.Errorf("rollback failed: %w", err)
			}
			if err := syncDir(filepath.Dir(file)); err != nil {
				return err
			}
			r.add(StepRollback, MarkOK, "removed the new %s (there was none before)", file)
		}
		call(fileBack)
	}
	if link != "" {
		if fi, err := os.Lstat(link); err == nil && fi.Mode()&os.ModeSymlink != 0 && pointsTo(link, file) {
			if err := os.Remove(link); err != nil {
				r.add(StepRollback, MarkFailed, "ROLLBACK FAILED: could not remove the link %s (%v)", link, err)
				r.RollbackFailed = true
				return fmt.Errorf("rollback failed: %w", err)
			}
			syncDir(filepath.Dir(link))
			r.add(StepRollback, MarkOK, "removed the link %s", link)
		}
	}
	r.RolledBack = true
	r.Saved = false
	return nil
}
