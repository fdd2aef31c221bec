package save

import (
	"bytes"
	"errors"
	"io/fs"
	"path/filepath"

	"frontdoor/app"
	"frontdoor/install"
	"frontdoor/internal/safefile"
	"frontdoor/render"
	"frontdoor/tui/common"
	"frontdoor/tui/document"
)

// What a save of the wizard adds to app's report, as steps of their own
// (streamed like app's, so accessible mode reads them out too): what the
// settings file written leaves out on purpose, and after a settings-only
// save whether the snippet installed is still what these settings render.

// NewJob is the save of the document as the review step (or the quit
// dialog) shows it: Request, with what the written settings leave out.
func NewJob(op app.Op, doc *document.Document) Job {
	job := Job{Op: op, Req: Request(doc)}
	if doc.LDAPPlaceholder() {
		job.LeftOut = "the built-in example's LDAP directory (ldap.example.com) was left out of " +
			filepath.Base(doc.SettingsPath()) + ": it is a placeholder until you edit it (LDAP settings)"
	}
	return job
}

// SettingsRefusal says why the wizard does not write the settings file
// now, "" when it does: the HTTP settings were edited and have an error as
// the screen shows it. app.SaveSettings refuses only what config.Validate
// sees; the screen also reads the certificate files and looks the node
// names up, as frontdoor validate does, so a name the certificate does not
// cover would be written, and rejected by every command after. One rule for
// the review step's Save settings only and the quit dialog's save settings
// and quit (a file's own errors, unedited, do not stop a write, as in app).
func SettingsRefusal(doc *document.Document) string {
	if !doc.ProxyDirty() {
		return ""
	}
	errs := doc.Proxy.Findings.Errors()
	if len(errs) == 0 {
		return ""
	}
	return "settings not saved: fix " + common.CountNoun(len(errs), "error") + " first: " + errs[0].Message
}

// QuitJob is "save settings and quit": the settings file only, and the
// wizard quits once it is written.
func QuitJob(doc *document.Document) Job {
	job := NewJob(app.OpSettings, doc)
	job.Quit = true
	return job
}

// maxSnippet bounds the read of the file at the target for the comparison
// after a settings-only save (1,000 Docker repositories render ~300 KB).
const maxSnippet = 16 << 20

// notes are the steps the job adds once app's report is done.
func (job Job) notes(rep app.Report) []install.Step {
	written := rep.Settings == app.SettingsWritten || rep.Settings == app.SettingsUnchanged
	if !written || rep.Err != nil {
		return nil
	}
	var steps []install.Step
	if job.LeftOut != "" {
		steps = append(steps, install.Step{Kind: app.StepSettings, Mark: install.MarkInfo, Detail: job.LeftOut})
	}
	if job.Op == app.OpSettings && !job.LDAP {
		if s, ok := SnippetAge(job.Req); ok {
			steps = append(steps, s)
		}
	}
	return steps
}

// AfterWords are what the wizard's last words add about its last save:
// after a settings-only save (the quit dialog's too), what SnippetAge says
// of the snippet at the target, read again as the wizard ends.
func AfterWords(d *Done) []string {
	if d == nil || d.Job.Op != app.OpSettings || d.Job.LDAP || d.Report.Err != nil {
		return nil
	}
	if s, ok := SnippetAge(d.Job.Req); ok {
		return []string{s.Detail}
	}
	return nil
}

// SnippetAge compares the file at the target with what the request's
// settings render, after a settings-only save: the settings file now says
// something the web server does not serve yet. ok is false when there is
// nothing to say (no snippet for the provider, the same bytes, settings
// that do not render).
func SnippetAge(req app.Request) (install.Step, bool) {
	t := req.Target
	if !t.Snippet() || req.Settings == nil || t.Path.Value == "" {
		return install.Step{}, false
	}
	want, err := render.Render(&req.Settings.Proxy)
	if err != nil {
		return install.Step{}, false
	}
	what, verb := "snippet", "installs"
	if info, _ := render.Info(t.Provider); info.Manifests {
		what, verb = "manifests", "writes"
	}
	path := t.Path.Value
	have, _, err := safefile.Read(path, maxSnippet)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return install.Step{Kind: app.StepTarget, Mark: install.MarkInfo,
			Detail: "nothing is installed at " + path + " yet: Save " + verb + " the " + what}, true
	case err != nil:
		return install.Step{Kind: app.StepTarget, Mark: install.MarkWarning,
			Detail: "could not compare the " + what + " at " + path + " with these settings: " + err.Error()}, true
	case bytes.Equal(have, want):
		return install.Step{}, false
	}
	return install.Step{Kind: app.StepTarget, Mark: install.MarkWarning,
		Detail: "the installed " + what + " at " + path + " is older than these settings: Save " + verb + " them"}, true
}
