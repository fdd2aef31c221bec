package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"frontdoor/config"
	"frontdoor/finding"
	"frontdoor/install"
	"frontdoor/internal/textwrap"
	"frontdoor/render"
)

// Steps of its own the application layer adds to install's (same type, so
// one Progress func and one list carry them all).
const (
	StepValidate install.StepKind = "validate" // the settings validated (findings in Output)
	StepModules  install.StepKind = "modules"  // Apache's modules probed before the write
	StepSettings install.StepKind = "settings" // the settings file: written, unchanged, changed on disk, not rewritten
	StepTarget   install.StepKind = "target"   // something about the target to know first (nothing detected, a remembered choice not used)
)

// Op is what a report is about.
type Op string

const (
	OpSave     Op = "save"     // install a snippet (and, from the wizard, write the settings)
	OpSettings Op = "settings" // write the settings file only
	OpRestore  Op = "restore"  // put a backup back
)

// SettingsOutcome is what happened to the settings file.
type SettingsOutcome string

const (
	SettingsUntouched SettingsOutcome = ""          // not written: the command line never rewrites it
	SettingsWritten   SettingsOutcome = "written"   // written (only changed values; comments kept)
	SettingsUnchanged SettingsOutcome = "unchanged" // it already said this: left as it is
	SettingsConflict  SettingsOutcome = "conflict"  // changed on disk since it was loaded: not written (Report.Conflict)
	SettingsFailed    SettingsOutcome = "failed"    // invalid or an I/O error: not written
)

// Report is what a save, restore or settings-only save did: one value for
// both front-ends, with the headline, every step (app's and install's, in
// order, marked ✓ ✗ ! ·), the backups and how to restore one, and the exit
// code.
type Report struct {
	Op     Op
	Target Target
	Steps  []install.Step
	// Findings are the validation's (warnings when the save went on).
	Findings finding.Findings
	// Install is install.Save's report; nil when nothing reached the server
	// (invalid settings, a conflict, a settings-only save).
	Install *install.Report
	// SettingsFile is the file the settings are (or would be) written to.
	SettingsFile string
	Settings     SettingsOutcome
	// Conflict is set when the settings file changed on disk since it was
	// loaded: the wizard offers reload (config.Open again), overwrite
	// (Request.Overwrite) or cancel.
	Conflict *config.Conflict
	// Document is the settings file after a write (or as loaded when it was
	// not written): the baseline of the next save.
	Document *config.Document
	// Verify is what the verify after the reload found (Request.Verify):
	// the new configuration serving, or not and the rollback with the
	// previous configuration's check; nil when no verify ran.
	Verify *Verification
	// Err is why the operation did not succeed; nil when it did.
	Err error

	progress func(install.Step)
}

func (r *Report) add(kind install.StepKind, mark install.Mark, output, format string, args ...any) {
	r.step(install.Step{Kind: kind, Mark: mark, Detail: fmt.Sprintf(format, args...), Output: output})
}

// step records a step and streams it to the caller; a command's running
// step (install.Step.Running) is only streamed.
func (r *Report) step(s install.Step) {
	if !s.Running() {
		r.Steps = append(r.Steps, s)
	}
	if r.progress != nil {
		r.progress(s)
	}
}

// Installed is the file that holds the snippet after a successful save or
// restore ("" otherwise): what `frontdoor save` prints on stdout.
func (r Report) Installed() string {
	if !r.Saved() {
		return ""
	}
	return r.Install.File
}

// Saved reports whether the snippet is in place (saved, restored or
// unchanged; checked or not, a failed reload included), and was not rolled
// back because it did not serve.
func (r Report) Saved() bool { return r.Install != nil && r.Install.Saved && !r.rolledBack() }

// rolledBack reports whether the verify after the reload took the save back.
func (r Report) rolledBack() bool { return r.Verify.rolledBack() }

// lastInstall is the latest of install's reports: the rollback's when the
// verify took the save back, for the backups as they are now.
func (r Report) lastInstall() *install.Report {
	if v := r.Verify; v != nil && v.Undo != nil && len(v.Undo.Backups) > 0 {
		return v.Undo
	}
	return r.Install
}

// Cancelled reports whether a signal or the wizard stopped the operation.
func (r Report) Cancelled() bool {
	return errors.Is(r.Err, install.ErrCancelled) || errors.Is(r.Err, context.Canceled)
}

// ExitCode is the command's exit code: 0 ok; 1 failed (the check failed
// and was rolled back, the reload failed, the settings file changed on
// disk, an I/O error); 2 invalid input (flags, settings, no snippet); 130
// and 143 cancelled by SIGINT and SIGTERM (after the rollback).
func (r Report) ExitCode() int { return ExitCode(r.Err) }

// ExitCode maps an error of this package to an exit code (see Report.ExitCode).
func ExitCode(err error) int {
	var usage *UsageError
	var bad *config.Error
	var invalid *finding.InvalidError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, install.ErrCancelled) || errors.Is(err, context.Canceled):
		return SignalExitCode(err)
	case errors.As(err, &usage), errors.As(err, &bad), errors.As(err, &invalid), errors.Is(err, render.ErrNoSnippet):
		return 2
	}
	return 1
}

// Headline is the outcome in a few words, the report's last line:
// install's headline ("saved and checked", "check failed, rolled back",
// "cancelled, rolled back", …) or, when nothing reached the server, why.
func (r Report) Headline() string {
	var invalid *finding.InvalidError
	settingsNote := ""
	switch r.Settings {
	case SettingsConflict, SettingsFailed:
		settingsNote = "; settings file NOT written"
	}
	switch {
	case r.Verify != nil:
		return r.Verify.headline(r.Install.Headline()) + settingsNote
	case r.Install != nil:
		return r.Install.Headline() + settingsNote
	case r.Op == OpSettings && r.Settings == SettingsWritten:
		return "settings saved to " + r.SettingsFile
	case r.Op == OpSettings && r.Settings == SettingsUnchanged:
		return "settings unchanged: " + r.SettingsFile + " already says this"
	case r.Err == nil:
		return "nothing to do"
	case r.Cancelled():
		return "cancelled before anything changed"
	case errors.Is(r.Err, config.ErrChangedOnDisk):
		return "not saved: " + r.SettingsFile + " " + changedWhat(r.Conflict)
	case errors.As(r.Err, &invalid) && r.Settings == SettingsFailed:
		// The write refuses only errors the file does not have yet: say
		// so, or the count contradicts the wizard's count of all of them.
		return fmt.Sprintf("not saved: the edits add %s (nothing written)", countNoun(len(invalid.Findings.Errors()), "error"))
	case errors.As(r.Err, &invalid):
		return fmt.Sprintf("not saved: the settings have %s (nothing written)", countNoun(len(invalid.Findings.Errors()), "error"))
	case errors.Is(r.Err, render.ErrNoSnippet):
		return "not saved: embedded Tomcat has no snippet to install"
	}
	return r.notDone() + ": " + firstLine(r.Err.Error())
}

// notDone is how a headline says the operation did not happen: "not saved",
// or "not restored" for a restore.
func (r Report) notDone() string {
	if r.Op == OpRestore {
		return "not restored"
	}
	return "not saved"
}

// Mark is the mark of the whole operation: ✓ only when everything went as
// asked and the snippet was checked.
func (r Report) Mark() install.Mark {
	switch {
	case r.Err != nil && r.Cancelled():
		return install.MarkWarning
	case r.Err != nil || r.Settings == SettingsConflict || r.Settings == SettingsFailed:
		return install.MarkFailed
	case r.Verify != nil && (!r.Verify.New.OK() || !r.Verify.Proven()):
		// Serving, but not every step passed (Artifactory down); not
		// verified; or the new configuration not told from the old.
		return install.MarkWarning
	case r.Install != nil:
		return r.Install.Mark()
	}
	return install.MarkOK
}

// RestoreCommand is the command that puts backup b back through the same
// pipeline (check, rollback on failure), with what this save used: the
// file, a check a person chose (or the settings file, for the provider
// whose check is detected), the reload, the backup directory, the number
// of backups kept (unless the default, not chosen) and the root,
// so pasting it does what the save did. Values are quoted for a shell
// where they need it.
func (r Report) RestoreCommand(b install.Backup) string {
	t := r.Target
	target := t.Path.Value
	if r.Install != nil && r.Install.Target != "" {
		target = r.Install.Target
	}
	args := []string{"frontdoor", "restore"}
	switch {
	case t.Check.Value == "":
		args = append(args, "--no-check")
	case t.Check.Origin.Chosen():
		args = append(args, "--check", shellQuote(t.Check.Value))
	case r.SettingsFile != "" && r.Document != nil && r.Document.Source() == config.FromFile:
		args = append(args, "--config", shellQuote(abs(r.SettingsFile))) // pasted in another directory too
	}
	args = append(args, "--to", shellQuote(target))
	if t.RequireCheck {
		args = append(args, "--require-check")
	}
	if reload := t.Reload.Value; reload != "" {
		// A reload is only ever chosen (flag, save:, the wizard): a pasted
		// restore must load what it puts back, as the save did.
		args = append(args, "--reload", shellQuote(reload))
	}
	if d := t.BackupDir.Value; d != "" {
		args = append(args, "--backup-dir", shellQuote(d))
	}
	if k := t.Keep; k.Value > 0 && (k.Value != config.DefaultKeep || k.Origin == OriginFlag || k.Origin == OriginEdited) {
		// A restore rotates the backups like a save: with the save's count,
		// not the default, whether or not it finds the settings file.
		args = append(args, "--keep", strconv.Itoa(k.Value))
	}
	if root := t.Root.Value; root != "" && root != "/" {
		args = append(args, "--root", shellQuote(root))
	}
	return strings.Join(append(args, shellQuote(b.Path)), " ")
}

// shellQuote quotes s for a POSIX shell when it holds anything but plain
// path and word characters.
func shellQuote(s string) string {
	plain := s != ""
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("_./=:@%+,-", c)) {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// String is Render without a width limit.
func (r Report) String() string { return r.Render(0) }

// Render draws the report for people, wrapped to width columns (0: no
// limit): where the save went and where each choice came from, every step
// with its mark and a command's output under it, the backups kept with the
// command that restores one, and the result last. Lines break at spaces
// only: a path longer than the width stands alone on its line, whole (after
// a label, the label then has the line above to itself).
func (r Report) Render(width int) string {
	lines := r.targetLines(width)
	lines = append(lines, r.stepLines(width)...)
	return joinLines(append(lines, r.endLines(width)...))
}

// RenderEnd draws what Render draws after the steps: the backups kept, the
// command that restores one, and the result. A front-end that printed
// RenderTarget first and each step as it happened (RenderStep) prints this
// last, and has printed Render's text, each line once.
func (r Report) RenderEnd(width int) string { return joinLines(r.endLines(width)) }

// endLines are the lines of RenderEnd.
func (r Report) endLines(width int) []string {
	var lines []string
	labeled := func(text, label, rest string) {
		lines = append(lines, textwrap.Labeled(text, width, label, rest)...)
	}
	if last := r.lastInstall(); last != nil && len(last.Backups) > 0 {
		header := fmt.Sprintf("backups kept (newest first, up to %d):", last.Keep)
		if r.Op == OpRestore && len(last.Backups) > last.Keep {
			// The rotation never removes the backup a restore put back.
			header = fmt.Sprintf("backups kept (newest first, up to %d; the one restored from is kept too):", last.Keep)
		}
		lines = append(lines, textwrap.Wrap(header, width, "", "  ")...)
		for _, b := range last.Backups {
			lines = append(lines, textwrap.Wrap(BackupLine(b), width, "  ", "    ")...)
		}
		labeled(r.RestoreCommand(last.Backups[0]), "restore one: ", "  ")
	}
	labeled(r.Headline(), "result: ", "  ")
	return lines
}

// RenderTarget draws where the save goes, as Render's first lines: each
// save option with where it came from, or the settings file a
// settings-only save writes ("" when the report names neither).
func (r Report) RenderTarget(width int) string {
	return joinLines(r.targetLines(width))
}

// targetLines are the lines of RenderTarget.
func (r Report) targetLines(width int) []string {
	var lines []string
	labeled := func(text, label, rest string) {
		lines = append(lines, textwrap.Labeled(text, width, label, rest)...)
	}
	if r.Op == OpSettings || r.Target.Provider == "" {
		if r.SettingsFile != "" {
			labeled(r.SettingsFile, "settings: ", "  ")
		}
		return lines
	}
	rows := r.Target.Rows()
	labelWidth := 0
	for _, row := range rows {
		labelWidth = max(labelWidth, len(row.Label)+2) // "backups kept: "
	}
	for _, row := range rows {
		value := row.Value
		if row.Label == "Target" {
			if file := r.targetFile(); file != "" {
				value += " -> " + file
			}
		}
		labeled(value+" ("+row.From+")", fmt.Sprintf("%-*s", labelWidth, strings.ToLower(row.Label)+":"), "  ")
	}
	return lines
}

// targetFile is the file the target's symbolic links lead to, which is
// what a save writes ("" when the target is no link): install's word after
// a save, the link read before one (so a report streamed from its start
// says it too).
func (r Report) targetFile() string {
	if r.Install != nil {
		if r.Install.File != "" && r.Install.File != r.Install.Target {
			return r.Install.File
		}
		return ""
	}
	path := r.Target.Path.Value
	if fi, err := os.Lstat(path); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		return ""
	}
	file, err := filepath.EvalSymlinks(path)
	if err != nil {
		return ""
	}
	return file
}

// joinLines is lines as text, each ending in a newline ("" for none).
func joinLines(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}

// RenderSteps draws the steps alone, as Render draws them (each with its
// mark and a command's output under it), without where the save went, the
// backups or the result: what a running save has to show so far.
func (r Report) RenderSteps(width int) string { return joinLines(r.stepLines(width)) }

// stepLines are the steps as Render and RenderSteps draw them.
func (r Report) stepLines(width int) []string {
	var lines []string
	for _, s := range r.Steps {
		lines = append(lines, stepLines(s, width)...)
	}
	return lines
}

// RenderStep draws one step as Render draws it: its mark and words, a
// command's output under it. The command line prints each step so as it
// happens (Request.Progress).
func RenderStep(s install.Step, width int) string { return joinLines(stepLines(s, width)) }

// stepLines are the lines of one step.
func stepLines(s install.Step, width int) []string {
	lines := textwrap.Wrap(s.Detail, width, s.Mark.Symbol()+" ", "  ")
	prefix := "    "
	if s.Kind == install.StepCheck || s.Kind == install.StepReload || s.Kind == StepModules {
		prefix = "    | " // a command's own words
	}
	if s.Output != "" {
		for _, l := range strings.Split(s.Output, "\n") {
			lines = append(lines, textwrap.Wrap(l, width, prefix, prefix+"  ")...)
		}
	}
	return lines
}

// BackupLine is one backup as reports and `frontdoor restore --list` show
// it: time, size, path.
func BackupLine(b install.Backup) string {
	return fmt.Sprintf("%s  %d bytes  %s", b.Time.UTC().Format("2006-01-02 15:04:05 UTC"), b.Size, b.Path)
}

func countNoun(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%s %ss", finding.Count(n), noun)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
