package install

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Plan says what to save where, and what to run afterwards.
type Plan struct {
	Target  string // the snippet file; when it is a symlink, the file it points to is written and the link kept
	Content []byte
	// EnableLink, when set, is a symlink to Target created if missing (Debian's
	// sites-enabled/). An existing link must already resolve to Target.
	EnableLink string
	CheckCmd   []string // run after the write; nil: no check. Failure rolls the save back.
	// CheckRequired: the user chose the check, so a check program that is not
	// installed fails the save (rolled back) instead of leaving it unchecked,
	// as it does for the default check on a machine without the web server.
	CheckRequired bool
	// RequireCheck: a save that nothing checked (no check, the check's
	// program not installed, a check that does not read the configuration
	// that loads the file, or reads another root's) is rolled back like a
	// failed check (ErrNotChecked, ResultCheckRequired): only
	// ResultChecked keeps the file. --require-check, for scripts that must
	// never leave an unchecked file behind.
	RequireCheck bool
	ReloadCmd    []string // run after a passing check; nil: no reload
	// BackupDir holds the kept backups; "" keeps them beside the target as
	// .<name>.frontdoor-bak.<time>. The rollback copy a save makes for itself
	// always sits beside the target, so a rollback is one rename.
	BackupDir string
	// Keep is how many backups of the target a save keeps once the new file
	// is in place: 0 means DefaultKeep; a negative number keeps none. A
	// failed, cancelled or interrupted save never removes or replaces one.
	Keep int
	// Mode of a new file (nothing there before); 0 means 0644. A replaced file keeps its mode and owner.
	Mode fs.FileMode
	// Root is the file system root the target was detected under ("" or "/":
	// this machine). A passing check that does not read the configuration
	// under Root is reported as "not checked against Root", never "checked".
	Root string
	// Manifest: the file is a Kubernetes manifest, applied elsewhere with
	// kubectl: without a check, the report says so ("not checked: apply it
	// with `kubectl apply -f FILE`") rather than "no check command".
	Manifest bool
	// RestoreFrom, when set, is one of the target's backups (see Backups):
	// its bytes are saved instead of Content, through the same steps.
	RestoreFrom string
	// Progress, when set, gets each step as it happens (on Save's goroutine),
	// for a live view of a save.
	Progress func(Step)

	hook func(stage)      // tests: called at each stage, e.g. to be killed there
	now  func() time.Time // tests: the clock that names backups
}

// stage names a point of a save, for the crash tests.
type stage string

const (
	stageTempWritten      stage = "temp-written"       // stage: new content written to the temp file, not yet fsynced
	stageTempSynced       stage = "temp-synced"        // stage: temp file fsynced
	stageSnapshot         stage = "rollback-copy"      // stage: previous file linked aside for a rollback
	stageJournaled        stage = "journaled"          // stage: journal written, target untouched
	stageRenamed          stage = "renamed"            // commit: new content at the target, not yet checked
	stageLinked           stage = "linked"             // commit: enable link created
	stageCheckStarted     stage = "check-started"      // verify: the check command is running
	stageRollbackFileBack stage = "rollback-file-back" // verify: previous file back, the new link not yet removed
	stageRolledBack       stage = "rolled-back"        // verify: previous state restored, journal still there
	stagePromoted         stage = "backup-kept"        // finish: previous version kept as a backup, journal still there
	stageSettled          stage = "settled"            // finish: journal removed, rollback copy still there
	stageRotated          stage = "rotated"            // finish: the first of the old backups beyond Keep removed
)

func (p *Plan) at(s stage) func() {
	if p.hook == nil {
		return nil
	}
	return func() { p.hook(s) }
}

// Errors a caller can tell apart with errors.Is.
var (
	// ErrCheckFailed: the check rejected the configuration (or the check the
	// user chose is not installed); the save was rolled back
	// (Report.RolledBack) unless the content was unchanged.
	ErrCheckFailed = errors.New("check failed")
	// ErrNotChecked: Plan.RequireCheck, and nothing checked the file; the
	// save was rolled back unless the content was unchanged.
	ErrNotChecked = errors.New("not checked")
	// ErrReloadFailed: saved and checked, but the reload command failed.
	ErrReloadFailed = errors.New("reload failed")
	// ErrBusy: another save holds the target's directory.
	ErrBusy = errors.New("save in progress")
	// ErrCancelled: the context was cancelled (Ctrl+C, SIGINT, SIGTERM).
	// Whatever the save had changed is rolled back; context.Cause(ctx)
	// (for signal.NotifyContext, the signal) is wrapped too.
	ErrCancelled = errors.New("cancelled")
)

// Save writes the plan's content to its target so that the target always
// holds either the old file or the new one, checks it, rolls back when the
// check fails or is cancelled, and keeps the previous version as a backup.
// It runs in named phases: prepare, stage, commit, verify, finish. See
// docs/save.md for each step and the crash guarantees.
//
// ctx cancels the check and reload commands, and stops a save between its
// phases; file operations, once started, are finished.
func Save(ctx context.Context, p Plan) (Report, error) {
	s := &saveRun{p: p}
	s.r = Report{
		Target:    p.Target,
		Check:     CommandResult{Cmd: p.CheckCmd, Status: StatusSkipped},
		Reload:    CommandResult{Cmd: p.ReloadCmd, Status: StatusSkipped},
		BackupDir: p.BackupDir,
		Keep:      p.keep(),
		Restored:  p.RestoreFrom,
		Result:    ResultError,
		progress:  p.Progress,
	}
	defer s.release()
	err := s.run(ctx)
	if err != nil && s.r.Reason == "" && s.r.Result == ResultError {
		s.r.Reason = err.Error()
	}
	return s.r, err
}

func (s *saveRun) now() time.Time {
	if s.p.now != nil {
		return s.p.now()
	}
	return time.Now()
}

func (p Plan) keep() int {
	switch {
	case p.Keep == 0:
		return DefaultKeep
	case p.Keep < 0:
		return 0
	}
	return p.Keep
}

// saveRun is one save in progress: what prepare found, and what the later
// phases changed (for the rollback).
type saveRun struct {
	p Plan
	r Report

	file, dir, base string
	backups         backupSet
	snapshotPath    string // beside file: this save's own copy of the previous file
	unlock          func()

	content  []byte
	cur      fileState // what is at file now
	link     string    // the enable link, absolute
	needLink bool
	prev     previous // what a rollback puts back
	// resumedWrite: file holds an interrupted save's unchecked content, which
	// this save takes over (its rollback copy is prev).
	resumedWrite  bool
	inheritedLink string // a link an interrupted save created, taken over
	unchanged     bool
	mode          fs.FileMode
	uid, gid      int

	tmp         string // the staged new content
	ownSnapshot bool   // this save made snapshotPath
	journaled   bool
	wrote       bool   // file holds the new (or taken-over unchecked) content
	createdLink string // the link a rollback removes
}

// previous is what a rollback puts back.
type previous struct {
	had    bool   // a file existed before
	backup string // where its bytes are
	sha    string
}

func (s *saveRun) run(ctx context.Context) error {
	if err := s.prepare(ctx); err != nil {
		return err
	}
	if err := s.stage(ctx); err != nil {
		return s.undo(err)
	}
	if err := s.commit(); err != nil {
		return s.undo(err)
	}
	if err := s.verify(ctx); err != nil {
		return err
	}
	if err := s.requireCheck(); err != nil {
		return err
	}
	return s.finish(ctx)
}

func (s *saveRun) release() {
	if s.tmp != "" {
		os.Remove(s.tmp) // fails harmlessly once renamed
	}
	if s.unlock != nil {
		s.unlock()
	}
}

// prepare resolves the target, takes the lock, tidies what an interrupted
// save left, reads the current state and decides what the save will change.
// Nothing is changed yet, except removing leftovers.
func (s *saveRun) prepare(ctx context.Context) error {
	p := &s.p
	if p.Target == "" {
		return errors.New("no target path")
	}
	if ctx.Err() != nil {
		s.r.Result = ResultCancelled
		return cancelled(ctx, "before anything changed")
	}
	file, err := resolveFile(p.Target)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: the directory does not exist (is the web server installed? choose another target): %w", p.Target, err)
		}
		return err
	}
	s.file, s.dir, s.base = file, filepath.Dir(file), filepath.Base(file)
	s.r.File = file
	s.backups = backupSetFor(file, p.BackupDir)
	s.snapshotPath = filepath.Join(s.dir, rollbackName(s.base))

	if s.unlock, err = lockDir(s.dir); err != nil {
		return err
	}
	for _, d := range []struct{ dir, key string }{{s.dir, s.base}, {s.backups.dir, s.backups.key}} {
		for _, m := range removeLeftovers(d.dir, d.key) {
			s.r.add(StepCleanup, MarkInfo, "removed %s, left by an interrupted save", m)
		}
	}

	if s.cur, err = readState(file); err != nil {
		return err
	}
	if s.link, s.needLink, err = planLink(p.EnableLink, file); err != nil {
		return err
	}
	s.r.EnableLink = s.link
	s.prev = previous{had: s.cur.exists, sha: sum(s.cur.data)}
	if err := s.takeOverJournal(); err != nil {
		return err
	}
	if err := s.dropStaleSnapshot(); err != nil {
		return err
	}

	s.content = p.Content
	if p.RestoreFrom != "" {
		if s.content, err = s.readRestore(); err != nil {
			return err
		}
	}
	s.unchanged = s.cur.exists && bytes.Equal(s.cur.data, s.content)
	// Taking over an interrupted save whose content is this one: nothing is
	// written now, but the change is real (from the file before that save),
	// and this save checks and settles it: not "unchanged".
	s.r.Unchanged = s.unchanged && !s.resumedWrite
	s.r.Created = !s.prev.had
	switch {
	case s.unchanged && s.resumedWrite:
		s.r.add(StepUnchanged, MarkInfo, "%s already holds this content, written by the interrupted save: not rewritten, checked now", file)
	case s.unchanged:
		s.r.add(StepUnchanged, MarkInfo, "%s already holds this content: not rewritten", file)
	}
	s.mode, s.uid, s.gid = p.Mode, -1, -1
	if s.mode == 0 {
		s.mode = 0o644
	}
	if s.cur.exists {
		s.mode, s.uid, s.gid = s.cur.mode, s.cur.uid, s.cur.gid
	}
	s.wrote, s.createdLink = s.resumedWrite, s.inheritedLink
	return nil
}

// takeOverJournal reads an interrupted save's journal: either this save
// takes over its rollback, or the journal is discarded.
func (s *saveRun) takeOverJournal() error {
	j, err := readJournal(s.file)
	if err != nil || j == nil {
		return err
	}
	resumed, unchecked, jprev, jlink := resumeFrom(&s.r, j, s.file, s.cur)
	if !resumed {
		return removeJournal(s.file)
	}
	s.r.Resumed = true
	s.resumedWrite = unchecked
	if unchecked {
		s.prev = jprev
	}
	s.inheritedLink = jlink
	return nil
}

// dropStaleSnapshot clears a rollback copy no journal refers to any more.
// Usually its save settled (the copy is a kept backup already) or never
// replaced the target (the copy is the file itself); otherwise (the journal
// was discarded because the file was edited since) it is the only copy of a
// version, and is kept as a backup rather than lost.
func (s *saveRun) dropStaleSnapshot() error {
	if s.resumedWrite && s.prev.backup == s.snapshotPath {
		return nil
	}
	st, err := readState(s.snapshotPath)
	if err != nil || !st.exists {
		return nil
	}
	kept := sameFile(s.snapshotPath, s.file) || s.cur.exists && bytes.Equal(st.data, s.cur.data)
	if list, err := s.backups.list(); err == nil && !kept {
		kept = slices.ContainsFunc(list, func(b Backup) bool { return sameFile(b.Path, s.snapshotPath) || fileHolds(b.Path, st.data) })
	}
	if !kept && s.r.Keep > 0 {
		path, _, err := s.backups.add(s.snapshotPath, st, s.now())
		if err != nil {
			return fmt.Errorf("keeping %s, the rollback copy of an interrupted save: %w", s.snapshotPath, err)
		}
		s.r.add(StepBackup, MarkInfo, "kept %s, the rollback copy of an interrupted save, as the backup %s", s.snapshotPath, path)
	}
	if err := os.Remove(s.snapshotPath); err != nil {
		return err
	}
	s.r.add(StepCleanup, MarkInfo, "removed %s, the rollback copy of an interrupted save", s.snapshotPath)
	return syncDir(s.dir)
}

// readRestore reads the backup to restore, which must be one of the target's.
func (s *saveRun) readRestore() ([]byte, error) {
	list, err := s.backups.list()
	if err != nil {
		return nil, err
	}
	b, err := SelectBackup(list, s.p.RestoreFrom)
	if err != nil {
		return nil, fmt.Errorf("restoring %s: %w", s.file, err)
	}
	st, err := readState(b.Path)
	if err != nil {
		return nil, err
	}
	s.r.Restored = b.Path
	s.r.add(StepRestore, MarkInfo, "restoring %s, the version replaced at %s", b.Path, b.Time.Format("2006-01-02 15:04:05 UTC"))
	return st.data, nil
}

// changes reports whether the save changes the target or its link, and so
// needs a journal.
func (s *saveRun) changes() bool { return !s.unchanged || s.needLink || s.r.Resumed }

// stage writes the new content beside the target, sets the previous file
// aside for a rollback and writes the journal. The target is untouched.
func (s *saveRun) stage(ctx context.Context) error {
	p := &s.p
	if !s.unchanged {
		tmp, err := writeTemp(s.dir, tempPrefix(s.base), s.content, s.mode, s.uid, s.gid, p.at(stageTempWritten), p.at(stageTempSynced))
		if err != nil {
			return fmt.Errorf("writing the new content beside %s: %w", s.file, err)
		}
		s.tmp = tmp
		s.r.add(StepWrite, MarkOK, "wrote %d bytes to the temp file %s beside it and flushed them to disk (mode %04o)", len(s.content), filepath.Base(tmp), s.mode)

		// Set aside what is there, unless it is the unchecked content of an
		// interrupted save: that save's copy is kept, as the file to go back to.
		if s.cur.exists && !s.resumedWrite {
			if err := snapshot(s.file, s.snapshotPath, s.base, s.cur); err != nil {
				return fmt.Errorf("setting %s aside for a rollback: %w", s.file, err)
			}
			s.ownSnapshot = true
			s.prev = previous{had: true, backup: s.snapshotPath, sha: sum(s.cur.data)}
			s.r.add(StepSnapshot, MarkOK, "set the previous file aside as %s for a rollback (byte-identical, mode %04o)", filepath.Base(s.snapshotPath), s.cur.mode)
		}
		call(p.at(stageSnapshot))
	}
	if s.changes() {
		linkToRemove := s.inheritedLink
		if s.needLink {
			linkToRemove = s.link
		}
		j := &journal{
			PID: os.Getpid(), Started: time.Now().UTC(), File: s.file,
			Wrote: !s.unchanged || s.resumedWrite, HadPrevious: s.prev.had, Backup: s.prev.backup,
			OldSHA256: s.prev.sha, NewSHA256: sum(s.content), Link: linkToRemove,
		}
		if !s.prev.had {
			j.OldSHA256 = ""
		}
		if err := writeJournal(j); err != nil {
			return fmt.Errorf("writing the save journal: %w", err)
		}
		s.journaled = true
		call(p.at(stageJournaled))
	}
	if ctx.Err() != nil {
		s.r.Result = ResultCancelled
		if s.wrote || s.createdLink != "" {
			return cancelled(ctx, "before the check")
		}
		return cancelled(ctx, "before anything changed")
	}
	return nil
}

// commit puts the new content in place (one atomic rename) and creates the
// enable link. From here on the target may have changed: errors roll back.
func (s *saveRun) commit() error {
	p := &s.p
	if !s.unchanged {
		if err := os.Rename(s.tmp, s.file); err != nil {
			return fmt.Errorf("replacing %s: %w", s.file, err)
		}
		s.tmp = ""
		s.wrote = true
		if err := syncDir(s.dir); err != nil {
			return fmt.Errorf("flushing %s: %w", s.dir, err)
		}
		if s.prev.had {
			s.r.add(StepReplace, MarkOK, "replaced %s atomically", s.file)
		} else {
			s.r.add(StepReplace, MarkOK, "created %s", s.file)
		}
		call(p.at(stageRenamed))
	}
	if s.needLink {
		dest, err := createLink(s.link, s.file)
		if err != nil {
			return fmt.Errorf("enabling %s: %w", s.file, err)
		}
		s.createdLink = s.link
		s.r.LinkCreated = true
		s.r.add(StepLink, MarkOK, "created %s -> %s", s.link, dest) // as the link says it (relative)
		call(p.at(stageLinked))
	} else if s.link != "" {
		s.r.add(StepLink, MarkOK, "%s already enables %s", s.link, s.file)
	}
	return nil
}

// undo takes back what the save changed, after an error, a failed check or a
// cancellation (cause), and returns cause.
func (s *saveRun) undo(cause error) error {
	if !s.wrote && s.createdLink == "" {
		s.dropOwnSnapshot()
		if s.journaled {
			removeJournal(s.file)
		}
		return cause
	}
	if err := rollback(&s.r, s.file, s.prev, s.wrote, s.createdLink, s.p.at(stageRollbackFileBack)); err != nil {
		return errors.Join(cause, err)
	}
	s.wrote, s.createdLink = false, ""
	s.dropOwnSnapshot() // still there when only a link was taken back
	call(s.p.at(stageRolledBack))
	if err := removeJournal(s.file); err != nil {
		return errors.Join(cause, err)
	}
	return cause
}

// dropOwnSnapshot removes the rollback copy this save made, once no rollback
// can need it. It was a second name of the previous file: nothing is lost.
func (s *saveRun) dropOwnSnapshot() {
	if s.ownSnapshot {
		if os.Remove(s.snapshotPath) == nil {
			syncDir(s.dir)
		}
		s.ownSnapshot = false
	}
}
