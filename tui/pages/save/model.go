package save

import (
	"context"
	"strings"

	tea "charm.land/bubbletea/v2"

	"frontdoor/install"
	"frontdoor/render"
	"frontdoor/tui/document"
)

// Model is the save component: whether a save runs, the report of the last
// one, and the module check. The root owns it; the review step draws it.
type Model struct {
	saving bool
	// A running save can be cancelled (ctrl+c, or the program stopped by a
	// signal): install.Save then stops the check and puts the previous file
	// back. outcome gets the result even when the program has ended.
	cancel   context.CancelFunc
	outcome  chan Result
	last     *Result
	lastGood *Result // the last save that succeeded
	modules  *Modules
}

// Saving reports whether a save runs.
func (m *Model) Saving() bool { return m.saving }

// Last is the last save's result (nil before any).
func (m *Model) Last() *Result { return m.last }

// LastGood is the last save that succeeded (nil when none did).
func (m *Model) LastGood() *Result { return m.lastGood }

// Modules is the last Apache module check (nil: not checked for this target).
func (m *Model) Modules() *Modules { return m.modules }

// SetModules takes a module check (nil forgets it: the provider changed).
func (m *Model) SetModules(mr *Modules) { m.modules = mr }

// Plan is the save of the document to its target (and the settings to
// configPath) as a request; status says why it cannot start ("" when it can).
func Plan(doc *document.Document, configPath string) (req Request, status string) {
	t := &doc.Target
	snippet := doc.File.Proxy.Provider != render.Tomcat
	if snippet && strings.TrimSpace(t.Path) == "" {
		return req, "give a target path"
	}
	req = Request{Snippet: snippet, ConfigPath: configPath, File: doc.ForSave()}
	if snippet {
		content, err := render.Render(&req.File.Proxy)
		req.RenderErr = err
		req.Plan = install.Plan{
			Target:     strings.TrimSpace(t.Path),
			Content:    content,
			EnableLink: strings.TrimSpace(t.Link),
			CheckCmd:   install.ParseCommand(t.Check),
			// A check the user typed must run; the detected one may be absent here.
			CheckRequired: t.CheckChosen || strings.TrimSpace(t.Check) != t.DefaultCheck,
		}
		if t.ReloadOn {
			req.Plan.ReloadCmd = install.ParseCommand(t.Reload)
		}
		if req.File.Proxy.Provider == render.Apache && t.ApacheCtl != "" {
			req.ApacheCtl = t.ApacheCtl
			req.Modules = render.ApacheModules(&req.File.Proxy)
		}
	}
	return req, ""
}

// Begin starts a save in a tea.Cmd: the snippet through install.Save (temp
// file, backup, atomic rename, check, rollback, reload), then frontdoor.yaml.
func (m *Model) Begin(req Request) tea.Cmd {
	if m.saving {
		return nil
	}
	m.saving, m.last = true, nil
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	m.cancel, m.outcome = cancel, make(chan Result, 1)
	return saveCmd(ctx, req, m.outcome)
}

// Cancel stops a running save: the check is interrupted and the previous
// file put back.
func (m *Model) Cancel() {
	if m.saving && m.cancel != nil {
		m.cancel()
	}
}

// Wait cancels a running save and waits for it to finish (the program was
// stopped): a save that finished before the cancel counts.
func (m *Model) Wait() {
	if !m.saving {
		return
	}
	m.cancel()
	if res := <-m.outcome; res.Saved() {
		m.lastGood = &res
	}
	m.saving = false
}

// Done takes the save's result: what it wrote is now the file on disk.
// status is the news for the status line.
func (m *Model) Done(res Result, doc *document.Document) (status string) {
	m.saving = false
	if m.cancel != nil {
		m.cancel() // releases the save's context
	}
	m.last = &res
	if res.Modules != nil {
		m.modules = res.Modules
	}
	if res.Saved() {
		m.lastGood = &res
	}
	switch {
	case res.ConfigSaved:
		doc.Saved(res.File) // the HTTP save writes the LDAP section too
		return "saved"
	case res.Err != nil:
		return "not saved"
	}
	return "snippet saved, settings file not written"
}
