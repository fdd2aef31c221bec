package app

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"frontdoor/config"
	"frontdoor/doorcheck"
	"frontdoor/finding"
	"frontdoor/install"
	"frontdoor/render"
)

// Request is one save as a front-end collected it. The CLI builds it with
// CommandLine; the wizard fills it from its document.
type Request struct {
	// Doc is the settings file as opened (config.Open): what a write must
	// respect, and the file whose outside changes stop the save.
	Doc *config.Document
	// Settings are the settings to install: the wizard's edited copy, or
	// nil for Doc's (the CLI, with a --provider applied by CommandLine).
	Settings *config.File
	// Target is where and how (Resolve, edited by the wizard).
	Target Target
	// Remember writes Settings, and the save: section the save used
	// (Target.Remember), to Doc.Target() once the snippet is in place: the
	// wizard's save. The command line never rewrites the settings file.
	Remember bool
	// Overwrite writes even when the settings file changed on disk since it
	// was loaded (the user chose "overwrite" in the conflict dialog).
	Overwrite bool
	// Progress gets each step as it happens (app's and install's), on the
	// goroutine that runs Save: a tea.Cmd sends them to the program.
	Progress func(install.Step)
	// Now dates certificate expiry; nil: time.Now.
	Now func() time.Time
	// Verify checks, after the reload, that the new configuration is the
	// one serving (doorcheck.Verify on this machine's listeners); when it
	// is not, the save is undone (install.Undo), the server reloaded and
	// the configuration put back verified in turn (Report.Verify). It needs
	// a reload (Target.Reload).
	Verify bool
	// VerifyOptions tune the verify: Addr (127.0.0.1), Timeout per network
	// step (10 s), Settle. Zero values are doorcheck's defaults; a nil Now
	// is Request.Now.
	VerifyOptions doorcheck.VerifyOptions
}

func (req Request) settings() *config.File {
	if req.Settings != nil {
		return req.Settings
	}
	if req.Doc != nil {
		return req.Doc.Settings()
	}
	return config.NewFile()
}

func (req Request) now() time.Time {
	if req.Now != nil {
		return req.Now()
	}
	return time.Now()
}

func newReport(op Op, req Request) Report {
	r := Report{Op: op, Target: req.Target, Document: req.Doc, progress: req.Progress}
	if req.Doc != nil {
		r.SettingsFile = req.Doc.Target()
		if !req.Remember && op != OpSettings {
			r.SettingsFile = req.Doc.Path()
		}
	}
	return r
}

// Save runs the one save pipeline: validate the whole settings (proxy with
// its files, LDAP, save:), render, probe Apache's modules, make sure the
// settings file did not change on disk, install the snippet (backup, atomic
// write, check, rollback, reload) and, for the wizard (Remember), write the
// settings file. Nothing is written when the settings are invalid or the
// file changed on disk. Cancelling ctx rolls the save back; its cause (a
// *SignalError) decides the exit code.
//
// A provider without a snippet (tomcat) is a settings-only save for the
// wizard, and invalid input (exit 2) for the command line.
func Save(ctx context.Context, req Request) Report {
	r := newReport(OpSave, req)
	if req.Doc == nil && req.Remember {
		r.Err = errNoDocument
		return r
	}
	f := req.settings()
	t := req.Target
	if !t.Snippet() {
		if req.Remember {
			return SaveSettings(req)
		}
		r.Err = render.ErrNoSnippet
		r.add(StepValidate, install.MarkFailed, "", "%v", render.ErrNoSnippet)
		return r
	}
	if err := t.Validate(); err != nil {
		r.Err = err
		r.add(StepTarget, install.MarkFailed, "", "%s", err.Error())
		return r
	}
	if req.Verify {
		if err := verifyNeedsReload(t, ""); err != nil {
			r.Err = err
			r.add(StepTarget, install.MarkFailed, "", "%s", err.Error())
			return r
		}
	}
	missing, why := t.missingDir()
	for _, n := range t.Notes {
		if missing != "" && n == why {
			continue // the failure below says it, once
		}
		r.add(StepTarget, install.MarkWarning, "", "%s", n)
	}

	// Plan: nothing below touches the server until the settings are known
	// to be valid and current. The settings come first: invalid settings
	// are invalid input (exit 2) wherever they would go, as `frontdoor
	// validate` says; a missing directory is then one more thing to fix.
	if !r.validate(ctx, f, req.now(), t.Root.Value) {
		if missing != "" {
			r.add(StepTarget, install.MarkFailed, "", "%s", why)
		}
		return r
	}
	if missing != "" {
		r.Err = fmt.Errorf("%s does not exist", missing)
		r.add(StepTarget, install.MarkFailed, "", "%s", why)
		return r
	}
	content, err := render.Render(&f.Proxy)
	if err != nil {
		r.Err = err
		r.add(StepValidate, install.MarkFailed, "", "%v", err)
		return r
	}
	if step, ok := ProbeModules(ctx, t, &f.Proxy); ok {
		r.step(step)
	}
	if !r.settingsCurrent(req) {
		return r
	}

	// Execute.
	plan := t.plan(r.step)
	plan.Content = content
	rep, err := install.Save(ctx, plan)
	r.Install, r.Err = &rep, err
	if req.Verify {
		r.verify(ctx, req, f, plan)
	}

	// The settings file.
	switch {
	case !req.Remember:
		r.notRewritten(req, f)
	case r.rolledBack():
		r.add(StepSettings, install.MarkInfo, "", "%s not written: the save was rolled back", r.SettingsFile)
	case !rep.Saved:
		r.add(StepSettings, install.MarkInfo, "", "%s not written: the snippet was not saved", r.SettingsFile)
	default:
		r.writeSettings(req, f)
	}
	return r
}

// SaveSettings writes the settings (and the save: section of req.Target,
// when it has one) without installing a snippet: the wizard's "save
// settings only" and "save settings and quit". Comments and layout stay;
// a file changed on disk is a conflict, unless req.Overwrite; a value that
// validation rejects is never written.
func SaveSettings(req Request) Report {
	r := newReport(OpSettings, req)
	if req.Doc == nil {
		r.Err = errNoDocument
		return r
	}
	r.SettingsFile = req.Doc.Target()
	r.writeSettings(req, req.settings())
	return r
}

// validate checks the whole settings as the commands do (render.ValidateHere
// for the proxy: files and node names too; config.Validate for LDAP and
// save:). Errors stop the save before anything is written.
func (r *Report) validate(ctx context.Context, f *config.File, now time.Time, root string) bool {
	r.Findings = ValidateHere(ctx, f, now, root)
	errs, warns := r.Findings.Errors(), r.Findings.Warnings()
	lines := strings.Join(r.Findings.Lines(0), "\n")
	switch {
	case len(errs) > 0:
		r.Err = &finding.InvalidError{What: "settings (nothing written)", Findings: r.Findings}
		r.add(StepValidate, install.MarkFailed, lines, "settings invalid: %s; nothing written", countNoun(len(errs), "error"))
		return false
	case len(warns) > 0:
		r.add(StepValidate, install.MarkWarning, lines, "settings valid, with %s", countNoun(len(warns), "warning"))
	default:
		r.add(StepValidate, install.MarkOK, "", "settings valid")
	}
	return true
}

// ValidateHere is the whole validation of settings to be installed on this
// machine: the proxy with its certificate files and node names
// (render.ValidateHere), and the other sections as config.Validate checks
// them (LDAP, save:). root is where the web server's configuration is
// read (--root; "" or "/" for this machine), e.g. for Apache's Listen lines.
func ValidateHere(ctx context.Context, f *config.File, now time.Time, root string) finding.Findings {
	if root == "" {
		root = "/"
	}
	out, _ := render.ValidateHereUnder(ctx, &f.Proxy, now, root)
	out = append(finding.Findings(nil), out...)
	for _, x := range config.Validate(f) {
		if x.Path != "proxy" && !strings.HasPrefix(x.Path, "proxy.") {
			out = append(out, x)
		}
	}
	return out
}

// ValidateFile is what `frontdoor validate` reports: the checks a save
// runs (ValidateHere, one rule for both), on the sections the file has. A
// file with LDAP settings and no proxy: section is an LDAP file: the proxy
// defaults it would be given are not judged, and proxy is false.
func ValidateFile(ctx context.Context, f *config.File, now time.Time) (out finding.Findings, proxy bool) {
	if f.HasProxy || len(f.LDAP.Settings) == 0 {
		return ValidateHere(ctx, f, now, "/"), true
	}
	for _, x := range config.Validate(f) {
		if x.Path != "proxy" && !strings.HasPrefix(x.Path, "proxy.") {
			out = append(out, x)
		}
	}
	return out, false
}

// ProbeModules compares the modules the snippet of s needs with those
// Apache loads under the target's root (apache2ctl -M; under --root the
// copy's), and says so as a step: ✓ all enabled, ! some missing (with the
// line that enables them) or the probe failed, · not probed. ok is false
// when there is nothing to probe (not Apache) or ctx was cancelled. Save runs
// it before the write; the wizard's review step can show the same step.
func ProbeModules(ctx context.Context, t Target, s *render.Settings) (step install.Step, ok bool) {
	det := t.Detected
	if s.Provider != render.Apache || det.ApacheCtl == "" && len(det.ModulesCmd) == 0 {
		return step, false
	}
	required := render.ApacheModules(s)
	step.Kind = StepModules
	if !det.Detected {
		step.Mark, step.Detail = install.MarkInfo, fmt.Sprintf("Apache modules not probed: no Apache configuration under %s; on the server, enable %s", det.Root, strings.Join(required, " "))
		return step, true
	}
	missing, err := det.MissingModules(ctx, required)
	probe := install.FormatCommand(det.ModulesCmd)
	if probe == "" {
		probe = det.ApacheCtl + " -M"
	}
	switch {
	case errors.Is(err, exec.ErrNotFound):
		step.Mark, step.Detail = install.MarkInfo, fmt.Sprintf("Apache modules not probed: %s not found; on the server, enable %s", det.ApacheCtl, strings.Join(required, " "))
	case ctx.Err() != nil:
		return step, false // cancelled: install.Save says so, before anything changes
	case err != nil:
		head, output, _ := strings.Cut(err.Error(), "\n")
		step.Mark, step.Detail, step.Output = install.MarkWarning, "could not list Apache's modules: "+head, output
	case len(missing) > 0:
		step.Mark, step.Detail = install.MarkWarning, fmt.Sprintf("Apache modules not enabled: %s; enable them: %s", strings.Join(missing, " "), det.EnableModulesLine(missing))
	default:
		step.Mark, step.Detail = install.MarkOK, fmt.Sprintf("Apache modules enabled (%s): %s", probe, strings.Join(required, " "))
	}
	return step, true
}

// settingsCurrent makes sure the settings file is what was loaded before
// the server is touched: a save must not install settings someone has
// changed since (the command line), nor lose their change when it writes
// the file afterwards (the wizard; Overwrite takes mine).
func (r *Report) settingsCurrent(req Request) bool {
	doc := req.Doc
	if doc == nil || req.Overwrite {
		return true
	}
	if req.Remember || doc.Source() == config.FromFile {
		c, err := doc.ChangedFor(req.toWrite(req.settings()))
		switch {
		case err != nil:
			r.Err = fmt.Errorf("reading %s again: %w", doc.Target(), err)
			r.add(StepSettings, install.MarkFailed, "", "%v; nothing installed", r.Err)
			return false
		case c != nil:
			r.conflict(req, c)
			return false
		}
		return true
	}
	if doc.Source() == config.FromVendorJSON { // the command line, from the vendor's JSON
		now, err := config.Open(doc.Path(), true)
		if err == nil && now.Hash() == doc.Hash() {
			return true
		}
		r.Settings = SettingsConflict
		r.Err = fmt.Errorf("%s %w: nothing installed; run the command again to install what it says now", doc.Path(), config.ErrChangedOnDisk)
		r.add(StepSettings, install.MarkFailed, "", "%v", r.Err)
		return false
	}
	return true
}

// conflict records that the settings file changed on disk: nothing is
// installed or written.
func (r *Report) conflict(req Request, c *config.Conflict) {
	r.Settings, r.Conflict = SettingsConflict, c
	r.SettingsFile = c.Path
	if req.Remember {
		r.Err = c
		r.add(StepSettings, install.MarkFailed, c.Details(), "%s %s: nothing installed, nothing written (%s, or cancel)", c.Path, changedWhat(c), answers(c))
		return
	}
	r.Err = fmt.Errorf("%s %w: nothing installed; run the command again to install what it says now", c.Path, config.ErrChangedOnDisk)
	r.add(StepSettings, install.MarkFailed, c.Details(), "%v", r.Err)
}

// writeSettings writes f, with the save: section of the target used, to
// the settings file.
func (r *Report) writeSettings(req Request, f *config.File) {
	doc := req.Doc
	written, err := doc.Write(req.toWrite(f), config.WriteOptions{Overwrite: req.Overwrite})
	var c *config.Conflict
	var invalid *finding.InvalidError
	switch {
	case errors.As(err, &c):
		r.conflictAfter(req, c)
	case errors.As(err, &invalid):
		r.Settings, r.Findings = SettingsFailed, invalid.Findings
		r.add(StepSettings, install.MarkFailed, strings.Join(invalid.Findings.Lines(0), "\n"), "%s not written: the edits add %s (one already in it does not stop a write)", doc.Target(), countNoun(len(invalid.Findings.Errors()), "error"))
		r.Err = firstErr(r.Err, err)
	case err != nil:
		r.Settings = SettingsFailed
		r.add(StepSettings, install.MarkFailed, "", "%s not written: %v", doc.Target(), err)
		r.Err = firstErr(r.Err, err)
	case written == doc && doc.Exists():
		r.Settings, r.Document = SettingsUnchanged, written
		r.add(StepSettings, install.MarkInfo, "", "%s already says this: left as it is", doc.Target())
	default:
		r.Settings, r.Document = SettingsWritten, written
		what := "wrote the settings to %s"
		if written.Reformatted() {
			what += " (rewritten cleanly: its layout could not be kept)"
		} else if doc.Exists() {
			what += " (changed values only; comments and layout kept)"
		}
		r.add(StepSettings, install.MarkOK, "", what, doc.Target())
	}
}

// changedWhat says what stopped a write of the settings file: it changed
// on disk, or (settings from the vendor's JSON) it holds settings that
// were never loaded.
func changedWhat(c *config.Conflict) string {
	if c != nil && c.From != "" {
		return "already holds settings that were not loaded (these came from " + c.From + ")"
	}
	return "changed on disk since it was loaded"
}

// answers are the wizard's answers to the conflict, in words (its
// dialog's choices, save.ConflictOptions).
func answers(c *config.Conflict) string {
	switch {
	case c.From != "":
		return "open it, or write into it keeping the rest"
	case !c.Exists:
		return "write it again"
	}
	return "reload to take that version, overwrite it with yours, merge both"
}

// toWrite is what writing the settings f writes: f, with the save: section
// of the target used (when there is one).
func (req Request) toWrite(f *config.File) *config.File {
	out := f.Clone()
	if req.Target.Provider != "" {
		out.Save = req.Target.Remember(f.Save)
	}
	return out
}

// conflictAfter is a change on disk found when writing the settings after
// the snippet was installed (between the check before and the write).
func (r *Report) conflictAfter(req Request, c *config.Conflict) {
	if r.Install == nil {
		r.conflict(req, c)
		return
	}
	r.Settings, r.Conflict = SettingsConflict, c
	what := "changed on disk while saving"
	if c.From != "" {
		what = changedWhat(c)
	}
	r.add(StepSettings, install.MarkFailed, c.Details(), "%s %s: the snippet is in place, the settings were NOT written (%s, or cancel)", c.Path, what, answers(c))
	r.Err = firstErr(r.Err, c)
}

// notRewritten says, for a command line whose flags differ from the
// settings file, that they applied to this run only.
func (r *Report) notRewritten(req Request, f *config.File) {
	var oneOff []string
	if req.Doc != nil && req.Doc.Settings().Proxy.Provider != f.Proxy.Provider {
		oneOff = append(oneOff, "--provider "+string(f.Proxy.Provider))
	}
	for _, row := range req.Target.Rows() {
		if row.Origin == OriginFlag {
			oneOff = append(oneOff, strings.TrimPrefix(row.From, "from "))
		}
	}
	if len(oneOff) == 0 || req.Doc == nil {
		return
	}
	r.add(StepSettings, install.MarkInfo, "", "%s for this run only: %s is not rewritten", strings.Join(oneOff, ", "), r.SettingsFile)
}

// errNoDocument is a caller's mistake: writing settings needs the file they
// were opened from.
var errNoDocument = errors.New("app: Request.Doc is required to write the settings (config.Open)")

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
