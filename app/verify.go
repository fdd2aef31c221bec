package app

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"

	"frontdoor/config"
	"frontdoor/doorcheck"
	"frontdoor/importer"
	"frontdoor/install"
	"frontdoor/render"
)

// StepVerify is a step of the verify after a reload (Request.Verify): what
// it checks, each of doorcheck's steps, and its verdict. Same type as the
// other steps, so one Progress func carries them all.
const StepVerify install.StepKind = "verify"

// ErrNotServing: after the reload, the new configuration was not the one
// serving (a port already taken, a listener missing, the old certificate,
// the realm wrong...): the save was rolled back, unless Verification.UndoErr
// says why not. Exit 1.
var ErrNotServing = errors.New("the new configuration is not serving")

// Verification is what a save with Request.Verify found after the reload.
type Verification struct {
	// New is the check of the new configuration, on this machine's
	// listeners, after the reload.
	New doorcheck.Result
	// Undo is the rollback when New was not serving (nil: none ran), and
	// UndoErr why it failed or changed nothing.
	Undo    *install.Report
	UndoErr error
	// Previous is the check of the configuration the rollback put back,
	// after its reload; nil when it did not run (PreviousNote says why).
	Previous     *doorcheck.Result
	PreviousNote string
}

// Serving reports whether the new configuration was found serving.
func (v *Verification) Serving() bool { return verified(v.New) && v.New.Serving() }

// Proven reports whether the server answered the revision of the file
// saved: the new configuration, not the old one, is what serves. A verify
// that passed without it (no marker in the file, an address other than
// loopback) could not tell them apart.
func (v *Verification) Proven() bool { return v != nil && v.New.Revision != "" }

// rolledBack reports whether the rollback changed the server's files.
func (v *Verification) rolledBack() bool {
	return v != nil && v.Undo != nil && (v.Undo.Saved || v.Undo.Removed || v.Undo.RolledBack)
}

// verified reports whether a verify checked anything (its settings planned
// doors): a failed Input step means it did not.
func verified(res doorcheck.Result) bool {
	st, ok := res.Last(doorcheck.KindInput)
	return !ok || st.Status != doorcheck.StatusFail
}

// verifyNeedsReload is the one rule of a verify: it checks what the server
// serves after the reload, so a save without a reload cannot verify.
func verifyNeedsReload(t Target, command string) error {
	if t.Reload.Value != "" {
		return nil
	}
	return &UsageError{Command: command, Message: "--verify needs a reload (--reload CMD, or save.reload in the settings file): it checks what the server serves after the reload"}
}

// verify runs after install.Save, for Request.Verify: when the new file is
// in place and the server reloaded, check from a client's side that the new
// configuration is the one serving; when it is not, undo the save, reload,
// and check the configuration put back. Every step streams through the
// report.
func (r *Report) verify(ctx context.Context, req Request, f *config.File, plan install.Plan) {
	rep := r.Install
	switch {
	case !rep.Saved:
		return // nothing new in place: the report says why already
	case rep.Reload.Status != install.StatusPassed:
		why := "the reload failed"
		if rep.Reload.Status == install.StatusSkipped {
			why = "the server was not reloaded (the configuration was not checked)"
		}
		r.add(StepVerify, install.MarkWarning, "", "not verified: %s", why)
		return
	}
	opt := req.VerifyOptions
	if opt.Now == nil {
		opt.Now = req.Now
	}
	opt.Revision = render.Revision(plan.Content)
	v := &Verification{}
	r.Verify = v
	v.New = r.runVerify(ctx, &f.Proxy, opt, "the new configuration")
	switch {
	case ctx.Err() != nil:
		r.add(StepVerify, install.MarkWarning, "", "verify cancelled %s: the new configuration stays, not verified", install.CancelledBy(ctx))
		r.Err = fmt.Errorf("%w: verify: %w", install.ErrCancelled, context.Cause(ctx))
		return
	case !verified(v.New):
		r.add(StepVerify, install.MarkWarning, "", "not verified: %s", firstDetail(v.New))
		return
	case v.New.OK() && v.Proven():
		r.add(StepVerify, install.MarkOK, "", "the new configuration is serving (revision %s): %s", v.New.Revision, doorCount(v.New))
		return
	case v.New.OK():
		r.add(StepVerify, install.MarkWarning, "", "%s; could not tell the new configuration from the old: %s", doorCount(v.New), v.New.RevisionUnknown)
		return
	case v.New.Serving() && v.Proven():
		r.add(StepVerify, install.MarkWarning, "", "the new configuration is serving (revision %s), but %s failed (%s): not the web server's configuration, nothing rolled back", v.New.Revision, countNoun(v.New.Failed, "step"), stepName(v.New.FirstFailure))
		return
	case v.New.Serving():
		r.add(StepVerify, install.MarkWarning, "", "the web server answers as the settings say, but %s failed (%s): not the web server's configuration, nothing rolled back; could not tell the new configuration from the old: %s", countNoun(v.New.Failed, "step"), stepName(v.New.FirstFailure), v.New.RevisionUnknown)
		return
	}
	first := v.New.ConfigFailures()[0]
	why := notServing(v.New, first)
	r.add(StepVerify, install.MarkFailed, "", "the new configuration is NOT serving (%s): rolling the save back", why)
	r.Err = fmt.Errorf("%w (%s: %s)", ErrNotServing, first.Name, first.Detail)
	r.undo(ctx, plan, opt)
}

// notServing says in a few words why a verify found the configuration not
// serving: what the server answers instead of the revision saved, or the
// first failed step.
func notServing(res doorcheck.Result, first doorcheck.Step) string {
	switch {
	case first.Reason == doorcheck.ReasonOldRevision && res.StaleRevision != "":
		return "the server still answers revision " + res.StaleRevision
	case first.Reason == doorcheck.ReasonNoRevision:
		return "the server answers no revision: its configuration has no marker"
	}
	return first.Name
}

// undo takes the save back (install.Undo, streamed), and verifies the
// configuration put back once the server is reloaded.
func (r *Report) undo(ctx context.Context, plan install.Plan, opt doorcheck.VerifyOptions) {
	v := r.Verify
	plan.Progress = r.step
	rep, err := install.Undo(ctx, plan, *r.Install)
	v.Undo, v.UndoErr = &rep, err
	if err != nil {
		r.Err = errors.Join(r.Err, err)
	}
	switch {
	case err != nil && !v.rolledBack():
		v.PreviousNote = "nothing was rolled back"
		return
	case err != nil:
		v.PreviousNote = "the rollback did not finish"
		return
	case rep.Removed:
		v.PreviousNote = "there was no snippet before this save"
		r.add(StepVerify, install.MarkInfo, "", "nothing of frontdoor's to verify after the rollback: %s", v.PreviousNote)
		return
	case rep.Restored == "":
		v.PreviousNote = "the snippet was not enabled before this save"
		r.add(StepVerify, install.MarkInfo, "", "nothing of frontdoor's to verify after the rollback: %s", v.PreviousNote)
		return
	}
	if len(rep.Backups) > 0 {
		r.add(StepVerify, install.MarkInfo, "", "the version that did not serve is kept as the newest backup, %s", rep.Backups[0].Path)
	}
	prev, note := previousSettings(rep.File, r.Target.Provider)
	if prev == nil {
		v.PreviousNote = note
		r.add(StepVerify, install.MarkInfo, "", "the previous configuration is not verified: %s", note)
		return
	}
	opt.Revision = ""
	if content, err := os.ReadFile(rep.File); err == nil {
		opt.Revision = render.Revision(content)
	}
	res := r.runVerify(ctx, prev, opt, "the previous configuration"+note)
	v.Previous = &res
	switch {
	case ctx.Err() != nil:
		r.add(StepVerify, install.MarkWarning, "", "verify of the previous configuration cancelled %s", install.CancelledBy(ctx))
	case !verified(res):
		v.PreviousNote = firstDetail(res)
		r.add(StepVerify, install.MarkWarning, "", "the previous configuration is not verified: %s", v.PreviousNote)
	case res.Serving() && res.Revision != "":
		r.add(StepVerify, install.MarkOK, "", "the previous configuration is serving again (revision %s): %s", res.Revision, doorCount(res))
	case res.Serving():
		r.add(StepVerify, install.MarkOK, "", "the previous configuration answers as its settings say: %s; could not tell which configuration serves: %s", doorCount(res), res.RevisionUnknown)
	default:
		st := res.ConfigFailures()[0]
		r.add(StepVerify, install.MarkFailed, "", "the previous configuration is NOT serving either (%s): look at the web server's error log", notServing(res, st))
	}
}

// runVerify announces a verify and streams doorcheck's steps (its own
// verdict, the summary, is the caller's).
func (r *Report) runVerify(ctx context.Context, s *render.Settings, opt doorcheck.VerifyOptions, what string) doorcheck.Result {
	addr := opt.Addr
	if !addr.IsValid() {
		addr = netip.AddrFrom4([4]byte{127, 0, 0, 1})
	}
	r.add(StepVerify, install.MarkInfo, "", "verifying that %s serves, as clients reach it, on this machine's listeners (every name sent to %s)", what, addr)
	return doorcheck.Verify(ctx, s, opt, func(st doorcheck.Step) {
		if st.Kind != doorcheck.KindSummary {
			r.step(verifyStep(st))
		}
	})
}

// verifyStep is one of doorcheck's steps as a save step: the line `frontdoor
// check` prints, its cause and fix under it.
func verifyStep(st doorcheck.Step) install.Step {
	lines := st.Lines()
	out := make([]string, 0, len(lines)-1)
	for _, l := range lines[1:] {
		out = append(out, strings.TrimSpace(l))
	}
	mark := install.MarkInfo
	switch st.Status {
	case doorcheck.StatusOK:
		mark = install.MarkOK
	case doorcheck.StatusWarn:
		mark = install.MarkWarning
	case doorcheck.StatusFail:
		mark = install.MarkFailed
	}
	return install.Step{Kind: StepVerify, Mark: mark, Detail: strings.TrimPrefix(lines[0], st.Status.Symbol()+" "), Output: strings.Join(out, "\n")}
}

// previousSettings reads the settings of the configuration a rollback put
// back, to verify it: frontdoor's snippets map back exactly (importer). note
// qualifies the verify ("" for a complete import), or says why there is
// none (nil settings).
func previousSettings(file string, provider render.Provider) (*render.Settings, string) {
	res, err := importer.Import([]string{file}, importer.Options{Provider: provider})
	switch {
	case err != nil:
		return nil, fmt.Sprintf("%s cannot be read as settings (%v)", file, err)
	case res.Findings.HasErrors():
		return nil, fmt.Sprintf("the settings read from %s do not validate", file)
	}
	note := ""
	if len(res.Unmapped) > 0 {
		note = fmt.Sprintf(" (as far as frontdoor's settings describe it: %s not mapped)", countNoun(len(res.Unmapped), "directive"))
	}
	return &res.Settings, note
}

// doorCount says what a verify that passed covered: "2 doors and 1 Docker
// repository answer as the settings say".
func doorCount(res doorcheck.Result) string {
	s := countNoun(res.Doors, "door")
	if n := res.Repositories; n == 1 {
		s += " and 1 Docker repository"
	} else if n > 1 {
		s += fmt.Sprintf(" and %d Docker repositories", n)
	}
	if res.Doors == 1 && res.Repositories == 0 {
		s += " answers as the settings say"
	} else {
		s += " answer as the settings say"
	}
	if res.Warnings > 0 {
		s += fmt.Sprintf(" (%s)", countNoun(res.Warnings, "warning"))
	}
	return s
}

func stepName(st *doorcheck.Step) string {
	if st == nil {
		return "?"
	}
	return st.Name
}

func firstDetail(res doorcheck.Result) string {
	if st := res.FirstFailure; st != nil {
		return st.Detail
	}
	return "nothing was checked"
}

// headline is the report's last line for a save that verified: install's
// (saved, checked, reloaded) and what the verify found, with both outcomes
// when the save was rolled back.
func (v *Verification) headline(saved string) string {
	unknown := "could not tell the new configuration from the old: " + v.New.RevisionUnknown
	switch {
	case v.Undo == nil && v.New.Canceled:
		return saved + "; verify cancelled (not verified)"
	case v.Undo == nil && !verified(v.New):
		return saved + "; NOT verified: " + firstDetail(v.New)
	case v.Undo == nil && v.New.OK() && v.Proven():
		return saved + ", verified: serving the new configuration (revision " + v.New.Revision + ")"
	case v.Undo == nil && v.New.OK():
		return saved + ", verified: answers as the settings say; " + unknown
	case v.Undo == nil && v.Proven():
		return saved + ", serving the new configuration (revision " + v.New.Revision + "); but " + stepName(v.New.FirstFailure) + " failed (not the web server's configuration)"
	case v.Undo == nil:
		return saved + ", answers as the settings say; but " + stepName(v.New.FirstFailure) + " failed (not the web server's configuration); " + unknown
	}
	fails := v.New.ConfigFailures()
	s := "saved and reloaded, but NOT serving"
	if len(fails) > 0 {
		s += " (" + notServing(v.New, fails[0]) + ")"
	}
	u := v.Undo
	switch {
	case errors.Is(v.UndoErr, install.ErrNotUndone):
		return s + "; NOT rolled back: " + u.Reason
	case v.UndoErr != nil && !v.rolledBack():
		return s + "; NOT rolled back: " + firstLine(v.UndoErr.Error())
	case v.UndoErr != nil:
		return s + "; rolled back, but: " + u.Headline()
	}
	switch {
	case u.Removed:
		s += "; rolled back (removed " + filepath.Base(u.File) + ": there was none before)"
	case u.Restored != "":
		s += "; rolled back to the previous version (" + filepath.Base(u.Restored) + ")"
	default:
		s += "; rolled back (the enable link removed)"
	}
	if u.Reload.Status == install.StatusPassed {
		s += ", reloaded"
	}
	switch {
	case v.Previous == nil && (u.Removed || u.Restored == ""):
		return s // nothing of frontdoor's was serving before
	case v.Previous == nil:
		return s + "; previous configuration not verified: " + v.PreviousNote
	case v.Previous.Canceled:
		return s + "; verify of the previous configuration cancelled"
	case !verified(*v.Previous):
		return s + "; previous configuration not verified: " + v.PreviousNote
	case v.Previous.Serving() && v.Previous.Revision != "":
		return s + "; the previous configuration is serving again (revision " + v.Previous.Revision + ")"
	case v.Previous.Serving():
		return s + "; the previous configuration answers as its settings say"
	}
	return s + "; the previous configuration is NOT serving either (" + notServing(*v.Previous, v.Previous.ConfigFailures()[0]) + ")"
}
