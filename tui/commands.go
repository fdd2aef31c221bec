package tui

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"

	"frontdoor/config"
	"frontdoor/install"
	"frontdoor/render"
)

// Every piece of IO runs in one of these commands; Update only reads the
// messages they return. Results carry what they were computed for, so a
// late answer about an old path or an old keystroke is dropped.

type (
	previewMsg      struct{ res previewResult }
	certTickMsg     struct{ gen int }
	certsLoadedMsg  struct{ info *render.CertInfo }
	targetTickMsg   struct{ gen int }
	targetLoadedMsg struct{ content targetContent }
	modulesMsg      struct{ res modulesResult }
	saveDoneMsg     struct{ res saveResult }
)

func previewCmd(req previewRequest) tea.Cmd {
	return func() tea.Msg { return previewMsg{buildPreview(req)} }
}

func loadCertsCmd(load func(string, string) *render.CertInfo, certPath, keyPath string) tea.Cmd {
	return func() tea.Msg { return certsLoadedMsg{load(certPath, keyPath)} }
}

// maxTargetSize caps what the preview diffs against: a snippet is a few
// kilobytes; anything huge at the target is reported, not read.
const maxTargetSize = 8 << 20

// errTooBig marks a file at the target too big to compare.
var errTooBig = errors.New("too big to compare")

func loadTargetCmd(read func(string) ([]byte, error), path string) tea.Cmd {
	return func() tea.Msg { return targetLoadedMsg{readTarget(read, path)} }
}

func readTarget(read func(string) ([]byte, error), path string) targetContent {
	t := targetContent{path: path, loaded: true}
	if path == "" {
		return t
	}
	data, err := read(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case errors.Is(err, errTooBig):
		t.exists, t.tooBig = true, true
	case err != nil:
		t.err = err
	default:
		t.exists, t.content, t.lines = true, data, splitLines(data)
	}
	return t
}

// readFileCapped reads a regular file of at most maxTargetSize bytes.
func readFileCapped(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, errors.New("is a directory")
	}
	data, err := io.ReadAll(io.LimitReader(f, maxTargetSize+1))
	if err == nil && len(data) > maxTargetSize {
		return nil, errTooBig
	}
	return data, err
}

// debounce delivers msg after d (at once when d is 0, as in tests).
func debounce(d time.Duration, msg tea.Msg) tea.Cmd {
	if d <= 0 {
		return func() tea.Msg { return msg }
	}
	return tea.Tick(d, func(time.Time) tea.Msg { return msg })
}

// modulesResult is the Apache module check (`apache2ctl -M`).
type modulesResult struct {
	ctl      string
	required []string
	missing  []string
	err      error
	fixLine  string // a2enmod ... ; "" when nothing is missing
}

func modulesCmd(ctl string, required []string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		return modulesMsg{checkModules(ctx, ctl, required)}
	}
}

func checkModules(ctx context.Context, ctl string, required []string) modulesResult {
	res := modulesResult{ctl: ctl, required: required}
	res.missing, res.err = install.MissingApacheModules(ctx, ctl, required)
	if res.err == nil {
		res.fixLine = install.EnableModulesLine(ctl, res.missing)
	}
	return res
}

// saveRequest is a save as planned when the user pressed Save: copies only.
type saveRequest struct {
	plan       install.Plan
	snippet    bool // false for tomcat: only the settings file is written
	renderErr  error
	configPath string
	file       config.File
	apacheCtl  string
	modules    []string
}

// saveResult is what the save did, step by step.
type saveResult struct {
	settings        render.Settings // what was saved
	report          install.Report
	err             error
	snippet         bool
	configPath      string
	configSaved     bool
	configUnchanged bool // the file already said this: left as it is (its comments too)
	configErr       error
	modules         *modulesResult
}

// Saved reports whether the snippet (if any) is in place.
func (r saveResult) Saved() bool {
	return r.err == nil || (r.report.Saved && errors.Is(r.err, install.ErrReloadFailed))
}

// saveTimeout bounds a save, its check and reload included.
const saveTimeout = 5 * time.Minute

// saveCmd saves under ctx (cancelling it interrupts the check, which rolls
// the save back) and hands the result to outcome as well as to the program,
// which may have ended by then.
func saveCmd(ctx context.Context, req saveRequest, outcome chan<- saveResult) tea.Cmd {
	return func() tea.Msg {
		res := runSave(ctx, req)
		outcome <- res // buffered: never blocks
		return saveDoneMsg{res}
	}
}

// runSave writes the snippet (install.Save), then the settings file.
func runSave(ctx context.Context, req saveRequest) saveResult {
	res := saveResult{settings: req.file.Proxy, snippet: req.snippet, configPath: req.configPath}
	if req.renderErr != nil {
		res.err = req.renderErr
		return res
	}
	if req.snippet {
		res.report, res.err = install.Save(ctx, req.plan)
	}
	if res.Saved() {
		// The settings beside the snippet, so the wizard reopens where it was.
		res.configUnchanged = settingsUnchanged(req.configPath, &req.file)
		if !res.configUnchanged {
			res.configErr = config.Save(req.configPath, &req.file)
		}
		res.configSaved = res.configErr == nil
	}
	if req.snippet && res.Saved() && req.apacheCtl != "" {
		mr := checkModules(ctx, req.apacheCtl, req.modules)
		res.modules = &mr
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
