package install

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
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
	ReloadCmd     []string // run after a passing check; nil: no reload
	// BackupDir holds the previous version; "" keeps it beside the target as
	// .<name>.frontdoor-bak. Prefer the same file system as the target:
	// the backup is then a hard link and the rollback a single rename.
	BackupDir string
	// Mode of a new file (nothing there before); 0 means 0644. A replaced file keeps its mode and owner.
	Mode fs.FileMode

	hook func(stage) // tests: called at each stage, e.g. to be killed there
}

// stage names a point of a save, for the crash tests.
type stage string

const (
	stageTempWritten  stage = "temp-written"  // new content written to the temp file, not yet fsynced
	stageTempSynced   stage = "temp-synced"   // temp file fsynced
	stageBackedUp     stage = "backed-up"     // previous file kept as the backup
	stageJournaled    stage = "journaled"     // journal written, target untouched
	stageRenamed      stage = "renamed"       // new content at the target, not yet checked
	stageLinked       stage = "linked"        // enable link created
	stageCheckStarted stage = "check-started" // the check command is running
	stageRolledBack   stage = "rolled-back"   // previous file restored, journal still there
)

func (p *Plan) at(s stage) func() {
	if p.hook == nil {
		return nil
	}
	return func() { p.hook(s) }
}

// Errors a caller can tell apart with errors.Is.
var (
	// ErrCheckFailed: the check rejected the configuration; the save was rolled back
	// (Report.RolledBack) unless the content was unchanged.
	ErrCheckFailed = errors.New("check failed")
	// ErrReloadFailed: saved and checked, but the reload command failed.
	ErrReloadFailed = errors.New("reload failed")
	// ErrBusy: another save holds the target's directory.
	ErrBusy = errors.New("save in progress")
)

// StepKind classifies a line of the report.
type StepKind string

const (
	StepResume    StepKind = "resume"    // an interrupted earlier save was found
	StepCleanup   StepKind = "cleanup"   // leftovers of an interrupted save removed
	StepUnchanged StepKind = "unchanged" // content already in place, nothing written
	StepWrite     StepKind = "write"     // temp file written and fsynced
	StepBackup    StepKind = "backup"    // previous file kept
	StepReplace   StepKind = "replace"   // atomic rename over the target
	StepLink      StepKind = "link"      // enable link created or found
	StepCheck     StepKind = "check"
	StepRollback  StepKind = "rollback"
	StepReload    StepKind = "reload"
	StepWarning   StepKind = "warning"
)

// Step is one thing the save did, in order.
type Step struct {
	Kind   StepKind
	Detail string
	Output string // the command's output, for check and reload steps
}

// Report tells what a save did. It is filled as far as the save got, also
// when Save returns an error.
type Report struct {
	Target      string // the path asked for
	File        string // the file holding the content: Target through its symlinks
	Created     bool   // there was no file before
	Unchanged   bool   // the content was already there: nothing written
	Backup      string // copy of the previous file, kept after the save; "" when none
	EnableLink  string // the link enabling File, when the plan has one
	LinkCreated bool   // this save created EnableLink
	Check       CommandResult
	Saved       bool // the content is in place (written or unchanged) and not rolled back
	RolledBack  bool // the check (or a later step) failed and the previous state was put back
	Reload      CommandResult
	Resumed     bool // an interrupted save's unchecked change was found and taken over
	Steps       []Step
}

func (r *Report) add(kind StepKind, format string, args ...any) {
	r.Steps = append(r.Steps, Step{Kind: kind, Detail: fmt.Sprintf(format, args...)})
}

// previous is what a rollback puts back.
type previous struct {
	had    bool   // a file existed before
	backup string // where its bytes are
	sha    string
}

// Save writes p.Content to p.Target so that the target always holds either
// the old file or the new one, checks it, and rolls back when the check
// fails. See docs/save.md for each step and the crash guarantees.
//
// ctx cancels the check and reload commands; a check cut short counts as
// failed and is rolled back. File operations, once started, are finished.
func Save(ctx context.Context, p Plan) (Report, error) {
	r := Report{
		Target: p.Target,
		Check:  CommandResult{Cmd: p.CheckCmd, Status: StatusSkipped},
		Reload: CommandResult{Cmd: p.ReloadCmd, Status: StatusSkipped},
	}
	if p.Target == "" {
		return r, errors.New("no target path")
	}
	if err := ctx.Err(); err != nil {
		return r, err
	}
	file, err := resolveFile(p.Target)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return r, fmt.Errorf("%s: the directory does not exist (is the web server installed? choose another target): %w", p.Target, err)
		}
		return r, err
	}
	r.File = file
	dir, base := filepath.Dir(file), filepath.Base(file)
	backupPath, backupKey := backupLocation(file, p.BackupDir)

	unlock, err := lockDir(dir)
	if err != nil {
		return r, err
	}
	defer unlock()

	for _, d := range []struct{ dir, base string }{{dir, base}, {filepath.Dir(backupPath), backupKey}} {
		for _, m := range removeLeftovers(d.dir, d.base) {
			r.add(StepCleanup, "removed %s, left by an interrupted save", m)
		}
	}

	cur, err := readState(file)
	if err != nil {
		return r, err
	}
	link, needLink, err := planLink(p.EnableLink, file)
	if err != nil {
		return r, err
	}
	r.EnableLink = link

	prev := previous{had: cur.exists, sha: sum(cur.data)}
	wroteUnchecked := false // the target holds an interrupted save's unchecked content
	inheritedLink := ""
	if j, err := readJournal(file); err != nil {
		return r, err
	} else if j != nil {
		resumed, jprev, jlink := resumeFrom(&r, j, file, cur)
		if resumed {
			r.Resumed = true
			wroteUnchecked = j.Wrote
			if j.Wrote {
				prev = jprev
			}
			inheritedLink = jlink
		} else if err := removeJournal(file); err != nil {
			return r, err
		}
	}

	unchanged := cur.exists && bytes.Equal(cur.data, p.Content)
	r.Unchanged = unchanged
	r.Created = !prev.had
	if unchanged {
		r.add(StepUnchanged, "%s already holds this content: not rewritten", file)
	}
	mode, uid, gid := p.Mode, -1, -1
	if mode == 0 {
		mode = 0o644
	}
	if cur.exists {
		mode, uid, gid = cur.mode, cur.uid, cur.gid
	}

	changes := !unchanged || needLink || r.Resumed
	var tmp string
	if !unchanged {
		tmp, err = writeTemp(dir, tempPrefix(base), p.Content, mode, uid, gid, p.at(stageTempWritten), p.at(stageTempSynced))
		if err != nil {
			return r, fmt.Errorf("writing the new content beside %s: %w", file, err)
		}
		defer os.Remove(tmp) // fails harmlessly once renamed
		r.add(StepWrite, "wrote %d bytes to the temp file %s beside it and flushed them to disk (mode %04o)", len(p.Content), filepath.Base(tmp), mode)

		// Back up what is there, unless it is the unchecked content of an
		// interrupted save: then the backup that save took is kept, as the
		// file to go back to.
		if cur.exists && !wroteUnchecked {
			if err := makeBackup(file, backupPath, backupKey, cur); err != nil {
				return r, fmt.Errorf("backing up %s: %w", file, err)
			}
			prev = previous{had: true, backup: backupPath, sha: sum(cur.data)}
			r.add(StepBackup, "kept the previous file as %s (byte-identical, mode %04o)", backupPath, cur.mode)
		}
		call(p.at(stageBackedUp))
	}
	if prev.had {
		r.Backup = prev.backup
	}

	var journaled bool
	if changes {
		linkToRemove := inheritedLink
		if needLink {
			linkToRemove = link
		}
		j := &journal{
			PID: os.Getpid(), Started: time.Now().UTC(), File: file,
			Wrote: !unchanged || wroteUnchecked, HadPrevious: prev.had, Backup: prev.backup,
			OldSHA256: prev.sha, NewSHA256: sum(p.Content), Link: linkToRemove,
		}
		if !prev.had {
			j.OldSHA256 = ""
		}
		if err := writeJournal(j); err != nil {
			return r, fmt.Errorf("writing the save journal: %w", err)
		}
		journaled = true
		call(p.at(stageJournaled))
	}
	wrote := wroteUnchecked
	createdLink := inheritedLink
	// From here on the target may change: any error rolls back.
	undo := func(cause error) (Report, error) {
		if !wrote && createdLink == "" {
			if journaled {
				removeJournal(file)
			}
			return r, cause
		}
		if rbErr := rollback(&r, file, prev, wrote, createdLink); rbErr != nil {
			return r, errors.Join(cause, rbErr)
		}
		call(p.at(stageRolledBack))
		if err := removeJournal(file); err != nil {
			return r, errors.Join(cause, err)
		}
		return r, cause
	}

	if !unchanged {
		if err := os.Rename(tmp, file); err != nil {
			return undo(fmt.Errorf("replacing %s: %w", file, err))
		}
		wrote = true
		if err := syncDir(dir); err != nil {
			return undo(fmt.Errorf("flushing %s: %w", dir, err))
		}
		if prev.had {
			r.add(StepReplace, "replaced %s atomically", file)
		} else {
			r.add(StepReplace, "created %s", file)
		}
		call(p.at(stageRenamed))
	}
	if needLink {
		if err := createLink(link, file); err != nil {
			return undo(fmt.Errorf("enabling %s: %w", file, err))
		}
		createdLink = link
		r.LinkCreated = true
		r.add(StepLink, "created %s -> %s", link, file)
		call(p.at(stageLinked))
	} else if link != "" {
		r.add(StepLink, "%s already enables %s", link, file)
	}

	r.Check = runCommand(ctx, p.CheckCmd, p.at(stageCheckStarted))
	r.Steps = append(r.Steps, Step{Kind: StepCheck, Detail: r.Check.Summary("check"), Output: r.Check.Output})
	status := r.Check.Status
	if status == StatusNotFound && p.CheckRequired {
		status = StatusFailed
	}
	switch status {
	case StatusFailed, StatusInterrupted:
		if !wrote && createdLink == "" {
			// Nothing of ours to take back: the configuration was already failing.
			r.add(StepWarning, "the check fails with the content unchanged: the problem is elsewhere in the configuration (or in this file as it was)")
			if journaled {
				removeJournal(file)
			}
			return r, fmt.Errorf("%w: %s", ErrCheckFailed, FormatCommand(p.CheckCmd))
		}
		return undo(fmt.Errorf("%w: %s; rolled back", ErrCheckFailed, FormatCommand(p.CheckCmd)))
	case StatusSkipped:
		if changes {
			r.add(StepWarning, "%s was saved without a check", file)
		}
	}
	r.Saved = true
	if journaled {
		if err := removeJournal(file); err != nil {
			return r, fmt.Errorf("removing the save journal: %w", err)
		}
	}

	if len(p.ReloadCmd) > 0 {
		if r.Check.Status != StatusPassed {
			r.add(StepReload, "reload skipped: the configuration was not checked")
			return r, nil
		}
		r.Reload = runCommand(ctx, p.ReloadCmd, nil)
		r.Steps = append(r.Steps, Step{Kind: StepReload, Detail: r.Reload.Summary("reload"), Output: r.Reload.Output})
		if r.Reload.Status != StatusPassed {
			return r, fmt.Errorf("%w: %s (the file is saved and checked)", ErrReloadFailed, FormatCommand(p.ReloadCmd))
		}
	}
	return r, nil
}

// resumeFrom decides what an earlier save's journal means now. It resumes
// (takes over the interrupted save's rollback) only when the target still
// holds exactly that save's unchecked change.
func resumeFrom(r *Report, j *journal, file string, cur fileState) (resumed bool, prev previous, link string) {
	who := fmt.Sprintf("an earlier save (pid %d, %s)", j.PID, j.Started.Local().Format(time.DateTime))
	if j.File != file {
		r.add(StepWarning, "%s left a journal for %s; ignored", who, j.File)
		return false, previous{}, ""
	}
	if j.Link != "" && pointsTo(j.Link, file) {
		link = j.Link
	}
	curSHA := ""
	if cur.exists {
		curSHA = sum(cur.data)
	}
	switch {
	case j.Wrote && cur.exists && curSHA == j.NewSHA256:
		if j.HadPrevious {
			b, err := readState(j.Backup)
			if err != nil || !b.exists || sum(b.data) != j.OldSHA256 {
				r.add(StepWarning, "%s was interrupted before its check, and its backup %s is gone or changed: %s holds that save's unchecked content and is treated as the previous file", who, j.Backup, file)
				return false, previous{}, ""
			}
			r.add(StepResume, "%s was interrupted before its check finished: %s holds its new, unchecked content; %s holds the file from before it and is what a failed check goes back to", who, file, j.Backup)
			return true, previous{had: true, backup: j.Backup, sha: j.OldSHA256}, link
		}
		r.add(StepResume, "%s was interrupted before its check finished: it created %s, which was never checked; a failed check removes it", who, file)
		return true, previous{}, link
	case !j.Wrote && link != "":
		r.add(StepResume, "%s was interrupted before its check finished: it created the link %s, which a failed check removes", who, link)
		return true, previous{}, link
	case cur.exists && j.HadPrevious && curSHA == j.OldSHA256, !cur.exists && !j.HadPrevious:
		r.add(StepResume, "%s was interrupted before it changed %s (or after putting it back): nothing to take over", who, file)
	default:
		r.add(StepResume, "%s was interrupted, but %s has been changed since: its journal is discarded", who, file)
	}
	return false, previous{}, ""
}

// planLink checks the enable link before anything changes: it must be
// missing (needLink) or already resolve to file.
func planLink(link, file string) (abs string, needLink bool, err error) {
	if link == "" {
		return "", false, nil
	}
	abs, err = filepath.Abs(link)
	if err != nil {
		return "", false, err
	}
	fi, err := os.Lstat(abs)
	if errors.Is(err, fs.ErrNotExist) {
		if !isDir(filepath.Dir(abs)) {
			return abs, false, fmt.Errorf("enable link %s: directory %s does not exist", abs, filepath.Dir(abs))
		}
		return abs, true, nil
	}
	if err != nil {
		return abs, false, err
	}
	if pointsTo(abs, file) {
		return abs, false, nil
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		dest, _ := os.Readlink(abs)
		return abs, false, fmt.Errorf("enable link %s points to %s, not to %s: remove it or choose another link", abs, dest, file)
	}
	return abs, false, fmt.Errorf("enable link %s is a file of its own, not a link to %s: the server would load both; move it away or choose another link", abs, file)
}

// createLink makes link point to file with a relative path (as a2ensite does),
// so the tree stays valid when mounted elsewhere.
func createLink(link, file string) error {
	linkDir, err := filepath.EvalSymlinks(filepath.Dir(link))
	if err != nil {
		return err
	}
	dest, err := filepath.Rel(linkDir, file)
	if err != nil {
		dest = file
	}
	if err := os.Symlink(dest, link); err != nil {
		return err
	}
	return syncDir(filepath.Dir(link))
}

// makeBackup keeps cur (the bytes at file) at backupPath, atomically. A hard
// link is byte-identical and keeps mode and owner by construction (same
// inode); a copy is the fallback across file systems.
func makeBackup(file, backupPath, key string, cur fileState) error {
	bdir := filepath.Dir(backupPath)
	scratch := filepath.Join(bdir, scratchPrefix(key)+"link-"+strconv.Itoa(os.Getpid()))
	os.Remove(scratch)
	if err := os.Link(file, scratch); err == nil {
		// Someone may have edited the file since we read it: the backup must be what we report as previous.
		if got, err := os.ReadFile(scratch); err != nil || !bytes.Equal(got, cur.data) {
			os.Remove(scratch)
			return fmt.Errorf("%s changed while saving; try again", file)
		}
	} else {
		tmp, err := writeTemp(bdir, scratchPrefix(key), cur.data, cur.mode, cur.uid, cur.gid, nil, nil)
		if err != nil {
			return err
		}
		scratch = tmp
	}
	if err := os.Rename(scratch, backupPath); err != nil {
		os.Remove(scratch)
		return err
	}
	// rename(2) does nothing when both names are links to the same inode
	// (the backup of an interrupted save is a link to this very file): the
	// backup is then already right, and the scratch name must go.
	if err := os.Remove(scratch); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return syncDir(bdir)
}

// rollback puts back the state before the save: the previous file (one
// rename from its backup) or no file, and no link this save created.
func rollback(r *Report, file string, prev previous, wrote bool, link string) error {
	if wrote {
		if prev.had {
			if err := restore(prev.backup, file); err != nil {
				r.add(StepRollback, "ROLLBACK FAILED: could not put %s back from %s (%v); restore it by hand: mv %s %s", file, prev.backup, err, prev.backup, file)
				return fmt.Errorf("rollback failed: %w", err)
			}
			r.add(StepRollback, "put the previous %s back from %s, byte for byte", file, prev.backup)
			r.Backup = ""
		} else {
			if err := os.Remove(file); err != nil && !errors.Is(err, fs.ErrNotExist) {
				r.add(StepRollback, "ROLLBACK FAILED: could not remove the new %s (%v)", file, err)
				return fmt.Errorf("rollback failed: %w", err)
			}
			if err := syncDir(filepath.Dir(file)); err != nil {
				return err
			}
			r.add(StepRollback, "removed the new %s (there was none before)", file)
		}
	}
	if link != "" {
		if fi, err := os.Lstat(link); err == nil && fi.Mode()&fs.ModeSymlink != 0 && pointsTo(link, file) {
			if err := os.Remove(link); err != nil {
				r.add(StepRollback, "ROLLBACK FAILED: could not remove the link %s (%v)", link, err)
				return fmt.Errorf("rollback failed: %w", err)
			}
			syncDir(filepath.Dir(link))
			r.add(StepRollback, "removed the link %s", link)
		}
	}
	r.RolledBack = true
	return nil
}

// restore moves the backup over file in one rename. Across file systems it
// copies the backup beside file first, so the replacement is still atomic.
func restore(backup, file string) error {
	err := os.Rename(backup, file)
	if errors.Is(err, syscall.EXDEV) {
		b, rerr := readState(backup)
		if rerr != nil {
			return rerr
		}
		return writeAtomic(file, scratchPrefix(filepath.Base(file)), b.data, b.mode, b.uid, b.gid)
	}
	if err != nil {
		return err
	}
	if filepath.Dir(backup) != filepath.Dir(file) {
		syncDir(filepath.Dir(backup))
	}
	return syncDir(filepath.Dir(file))
}
