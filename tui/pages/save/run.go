// Package save is the wizard's save: the component that shows the save
// target, the Save button and the report of the last save, and the one place
// where the wizard writes (run.go: install.Save for the snippet, config.Save
// for frontdoor.yaml, apache2ctl -M for the modules). Everything here runs
// inside tea.Cmds; the component only takes their results.
package save

import (
	"bytes"
	"context"
	"errors"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"

	"frontdoor/config"
	"frontdoor/install"
	"frontdoor/ldapcheck"
)

// Request is a save as planned when the user pressed Save: copies only, so
// it runs on another goroutine while editing goes on.
type Request struct {
	Plan       install.Plan
	Snippet    bool // false for tomcat: only the settings file is written
	RenderErr  error
	ConfigPath string
	File       config.File
	ApacheCtl  string
	Modules    []string
}

// Result is what the save did, step by step.
type Result struct {
	File            config.File // what was saved
	Report          install.Report
	Err             error
	Snippet         bool
	ConfigPath      string
	ConfigSaved     bool
	ConfigUnchanged bool // the file already said this: left as it is (its comments too)
	ConfigErr       error
	Modules         *Modules
}

// Saved reports whether the snippet (if any) is in place.
func (r Result) Saved() bool {
	return r.Err == nil || (r.Report.Saved && errors.Is(r.Err, install.ErrReloadFailed))
}

// DoneMsg carries a finished save.
type DoneMsg struct{ Result Result }

// timeout bounds a save, its check and reload included.
const timeout = 5 * time.Minute

// saveCmd saves under ctx (cancelling it interrupts the check, which rolls
// the save back) and hands the result to outcome as well as to the program,
// which may have ended by then.
func saveCmd(ctx context.Context, req Request, outcome chan<- Result) tea.Cmd {
	return func() tea.Msg {
		res := execute(ctx, req)
		outcome <- res // buffered: never blocks
		return DoneMsg{res}
	}
}

// execute writes the snippet (install.Save), then the settings file, then
// asks which Apache modules are missing.
func execute(ctx context.Context, req Request) Result {
	res := Result{File: req.File, Snippet: req.Snippet, ConfigPath: req.ConfigPath}
	if req.RenderErr != nil {
		res.Err = req.RenderErr
		return res
	}
	if req.Snippet {
		res.Report, res.Err = install.Save(ctx, req.Plan)
	}
	if res.Saved() {
		// The settings beside the snippet, so the wizard reopens where it was.
		res.ConfigUnchanged = settingsUnchanged(req.ConfigPath, &req.File)
		if !res.ConfigUnchanged {
			res.ConfigErr = config.Save(req.ConfigPath, &req.File)
		}
		res.ConfigSaved = res.ConfigErr == nil
	}
	if req.Snippet && res.Saved() && req.ApacheCtl != "" {
		mr := checkModules(ctx, req.ApacheCtl, req.Modules)
		res.Modules = &mr
	}
	return res
}

// settingsUnchanged reports whether the file at path already holds these
// settings, so saving them again would only drop its comments.
func settingsUnchanged(path string, f *config.File) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	orig, err := config.Parse(data)
	if err != nil {
		return false
	}
	before, err1 := config.Marshal(orig)
	after, err2 := config.Marshal(f)
	return err1 == nil && err2 == nil && bytes.Equal(before, after)
}

// SettingsDoneMsg carries a finished save of the LDAP settings.
type SettingsDoneMsg struct {
	LDAP ldapcheck.Config
	Path string
	Err  error
}

// SettingsCmd writes frontdoor.yaml alone (the LDAP screen's save).
func SettingsCmd(path string, f config.File) tea.Cmd {
	return func() tea.Msg {
		return SettingsDoneMsg{LDAP: f.LDAP, Path: path, Err: config.Save(path, &f)}
	}
}

// Modules is the Apache module check (`apache2ctl -M`).
type Modules struct {
	Ctl      string
	Required []string
	Missing  []string
	Err      error
	FixLine  string // a2enmod ... ; "" when nothing is missing
}

// ModulesMsg carries a module check.
type ModulesMsg struct{ Modules Modules }

// ModulesCmd checks which of the modules the snippet needs are enabled.
func ModulesCmd(ctl string, required []string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		return ModulesMsg{checkModules(ctx, ctl, required)}
	}
}

func checkModules(ctx context.Context, ctl string, required []string) Modules {
	res := Modules{Ctl: ctl, Required: required}
	res.Missing, res.Err = install.MissingApacheModules(ctx, ctl, required)
	if res.Err == nil {
		res.FixLine = install.EnableModulesLine(ctl, res.Missing)
	}
	return res
}
