// Package app is frontdoor's one save pipeline: it resolves where and how a
// snippet is saved (flags, the save: section of the settings file,
// detection, each with its origin), validates the flags once, plans the save
// (the whole settings validated, the snippet rendered, Apache's modules
// probed, the settings file checked for outside changes, all before the
// server is touched), executes it through package install with progress
// streamed to the caller, writes the settings file when the wizard saves,
// and reports the outcome with one headline, marked steps and an exit code.
// Restores go through the same pipeline.
//
// The command line (frontdoor save, frontdoor restore) and the wizard only
// collect input and show the Report: the same inputs give the same outcome
// and the same words from both.
//
// The command line:
//
//	doc, err := app.OpenSettings("frontdoor save", path, explicit)
//	req, err := app.CommandLine(doc, flags)      // *app.UsageError: exit 2
//	rep := app.Save(ctx, req)                    // ctx from app.WithSignals
//	fmt.Fprint(os.Stderr, rep.Render(0)); os.Exit(rep.ExitCode())
//
// The wizard (in a tea.Cmd; see Request and Report):
//
//	t, err := app.Resolve(provider, doc.Settings(), flags)   // at start; t.Path.Edit(v) on the review step
//	rep := app.Save(ctx, app.Request{Doc: doc, Settings: edited, Target: t,
//		Remember: true, Progress: func(s install.Step) { p.Send(stepMsg(s)) }})
//	if rep.Conflict != nil { /* reload: config.Open; overwrite: again with Overwrite; cancel */ }
//	doc = rep.Document                                        // the next save's baseline
//
// With a reload, a save can verify (Request.Verify, `save --verify`): after
// the reload, doorcheck.Verify checks on this machine's listeners that the
// new configuration is the one serving; when it is not, install.Undo takes
// the save back (the previous version, or no file when the save created
// it), the server is reloaded and the configuration put back is verified in
// turn. Its steps stream through the same Progress (kind StepVerify);
// Report.Verify holds both results, Report.Headline names both outcomes, and
// the exit code is 1 (ErrNotServing):
//
//	rep := app.Save(ctx, app.Request{Doc: doc, Settings: edited, Target: t, Remember: true,
//		Verify: t.Reload.Value != "", Progress: send})
//	if v := rep.Verify; v != nil && !v.Serving() { /* v.Undo, v.Previous: show both */ }
package app
