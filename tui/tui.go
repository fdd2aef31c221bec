// Package tui is frontdoor's terminal wizard (Bubble Tea v2): a home menu,
// the HTTP settings as steps with inline validation and a live preview of
// the snippet, the LDAP settings with a live test against the directory, and
// a safe save through package app, the pipeline `frontdoor save` uses. Rules
// and output come from package render (and ldapcheck), saving and its
// report from package app, the settings file from package config: the UI
// holds no copy of any of them.
//
// The root model (model.go) routes messages, owns the focus (which screen,
// which dialog) and the layout, and decides when the parts draw. The parts
// live in sub-packages with one job each:
//
//	common      styles, keys, sizes, text and finding helpers
//	document    the settings being edited, in one place, with undo
//	components  form (the one form engine), table, confirm, steplist,
//	            highlight, scroller
//	pages       home, proxy (the HTTP steps and preview), save, ldap,
//	            check (the door from a client's side), importing (the
//	            import of an existing configuration and its report)
//	accessible  the same questions, one per line, for screen readers
package tui

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"

	"frontdoor/app"
	"frontdoor/config"
	"frontdoor/importer"
	"frontdoor/install"
	"frontdoor/render"
	"frontdoor/tui/document"
	"frontdoor/tui/pages/proxy"
	"frontdoor/tui/pages/save"
)

// Options is what the wizard starts from.
type Options struct {
	// Doc is the settings file as opened (config.Open): the baseline of
	// every save (a file changed on disk since is never overwritten), what
	// the header names ("example", "new file", the path), and the settings
	// the wizard starts from. nil: the file at ConfigPath, opened now when
	// it exists, else when a save needs it (tests).
	Doc *config.Document
	// Flags are the save options of the command line (--to, --link,
	// --check, --no-check, --reload, --root, --backup-dir, --keep), judged
	// by the caller with app.Flags.Validate: the targets are resolved from
	// them, the save: section of Doc and detection (app.Resolve).
	Flags app.Flags

	// File is the settings to start editing when they are not Doc's
	// (tests); nil: Doc's.
	File *config.File
	// ConfigPath is the settings file when Doc is nil (default
	// ./frontdoor.yaml).
	ConfigPath string
	// Resolve says where a provider's snippet goes and how it is checked
	// and reloaded, each choice with its origin; default: app.Resolve with
	// Flags. Asked for every provider in a command at start.
	Resolve func(p render.Provider, loaded *config.File) (app.Target, error)
	// Target replaces the detection of the layout (tests with fixed
	// paths): every choice is then "detected". Resolve wins when both are
	// set.
	Target func(provider string) install.Target

	Now func() time.Time // certificate expiry; fixed in tests
	// NoColor draws without colour (NO_COLOR); a terminal without colours
	// gets the same through its colour profile.
	NoColor bool
	// Debounce is the pause in typing before files are read again
	// (certificates, the file at the target); 0 reads at once.
	Debounce time.Duration

	// The reads of the wizard, replaceable so tests show fixed paths
	// while reading real files elsewhere. Defaults: the file system and
	// render.LoadCertificates. Both run inside commands, never in Update.
	ReadFile         func(path string) ([]byte, error)
	LoadCertificates func(certPath, keyPath string) *render.CertInfo
	// LoadClientCA reads the mTLS client-CA file (render.LoadClientCA).
	LoadClientCA func(path string) *render.ClientCAInfo

	// CheckRoots are the CAs the Check screen trusts; nil means the
	// system's, as clients do (tests trust their own CA).
	CheckRoots *x509.CertPool

	// Import is a web server configuration to offer to import at start
	// (--config naming an nginx or Apache configuration); "" for none.
	Import string
	// ImportCandidate says whether the file at the save target is a
	// configuration to offer to import; default importer.Candidate (an
	// nginx or Apache configuration frontdoor did not write).
	ImportCandidate func(path string) (render.Provider, bool)
}

func (o Options) withDefaults() Options {
	if o.ConfigPath == "" {
		o.ConfigPath = config.DefaultPath
	}
	if o.Doc == nil {
		if _, err := os.Stat(o.ConfigPath); err == nil {
			// A file that cannot be opened leaves no baseline: saves then
			// say so (app needs the document to write the settings).
			o.Doc, _ = config.Open(o.ConfigPath, true)
		}
	}
	if o.File == nil {
		o.File = &config.File{Proxy: render.Defaults()}
		if o.Doc != nil {
			o.File = o.Doc.Settings()
		}
	}
	switch {
	case o.Resolve != nil:
	case o.Target != nil:
		detect := o.Target
		o.Resolve = func(p render.Provider, _ *config.File) (app.Target, error) {
			t := document.DetectedTarget(p, detect(string(p)))
			return t, t.Validate()
		}
	default:
		flags := o.Flags
		if flags.Command == "" {
			flags.Command = "frontdoor wizard"
		}
		o.Resolve = func(p render.Provider, loaded *config.File) (app.Target, error) {
			return app.Resolve(p, loaded, flags)
		}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ReadFile == nil {
		o.ReadFile = proxy.ReadFileCapped
	}
	if o.LoadCertificates == nil {
		o.LoadCertificates = render.LoadCertificates
	}
	if o.LoadClientCA == nil {
		o.LoadClientCA = render.LoadClientCA
	}
	if o.ImportCandidate == nil {
		o.ImportCandidate = importer.Candidate
	}
	return o
}

// Result is what a wizard session did, for the command's last words.
type Result struct {
	Saved      bool   // a save put the snippet or the settings on disk during the session
	Target     string // the snippet file of the last successful save ("" when none was installed)
	ConfigPath string // the settings file
	// Stopped is the report of a save the end of the session cancelled (a
	// signal in the middle of it): rolled back; its ExitCode is 130 or 143.
	Stopped *app.Report
	// Last is the session's last save, whatever came of it (nil: none): the
	// last words tell how it went, in app's words.
	Last *app.Report
	// After are more last words about Last (save.AfterWords): after a
	// settings-only save, that the installed snippet is older than the
	// settings, or that nothing is installed yet.
	After []string
	// Dropped says the user quit with unsaved changes ("quit without
	// saving").
	Dropped bool
}

// ErrInterrupted is returned when the wizard was stopped by a signal (or
// end of input in accessible mode) rather than by the user quitting.
var ErrInterrupted = errors.New("interrupted")

// Run runs the full-screen wizard on in/out until the user quits or ctx
// ends. Run does not catch signals: the caller cancels ctx on SIGINT,
// SIGTERM and SIGHUP (app.WithSignals), and a save running then is
// cancelled with the signal as its cause, rolled back, and waited for.
func Run(ctx context.Context, opts Options, in io.Reader, out io.Writer) (Result, error) {
	// Where each provider's snippet goes, resolved once before the first
	// frame (a few stat calls), so a save typed at once has its target. The
	// stat calls run beside New, not after it (start-up time).
	opts = opts.withDefaults()
	detected := detectAside(opts)
	m := New(opts)
	m.save.SetContext(ctx)
	m.doc.SetDetected(detected())
	// Bubble Tea draws on a ticker: at its default 60 frames a second the
	// first frame waited up to 17 ms for the first tick (half the start-up
	// time), and every keystroke as long. 120 halves both; an idle tick
	// with nothing new costs a comparison.
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out), tea.WithFPS(120),
		tea.WithoutSignalHandler())
	_, err := p.Run() // m is the final model: Update works on the pointer
	if errors.Is(err, tea.ErrInterrupted) || errors.Is(err, tea.ErrProgramKilled) {
		err = fmt.Errorf("%w: %w", ErrInterrupted, err)
	}
	if err == nil && !m.quitting {
		err = fmt.Errorf("%w: terminated", ErrInterrupted)
	}
	// Stopped in the middle of a save (the user cannot quit then): cancel
	// it with the signal as its cause, so the check stops and what the save
	// changed is put back, and wait for that rather than leave an unchecked
	// file behind.
	m.save.Wait(context.Cause(ctx))
	return m.result(), err
}

// detectAside starts proxy.DetectTargets for opts (with defaults) in a
// goroutine; the function it returns waits for the targets. A panic there
// is raised again in the caller, where the command's guard reports it.
func detectAside(opts Options) func() map[render.Provider]document.Target {
	done := make(chan func() map[render.Provider]document.Target, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- func() map[render.Provider]document.Target { panic(r) }
			}
		}()
		var loaded *config.File // as Model.loaded: the settings file as opened
		if opts.Doc != nil {
			loaded = opts.Doc.Settings()
		}
		targets := proxy.DetectTargets(opts.Resolve, loaded)
		done <- func() map[render.Provider]document.Target { return targets }
	}()
	return func() map[render.Provider]document.Target { return (<-done)() }
}

// loaded is the settings file as opened, whose save: section the targets
// are resolved from (nil when there is none).
func (m *Model) loaded() *config.File {
	if b := m.doc.Base(); b != nil {
		return b.Settings()
	}
	return nil
}

// result is the session's outcome from the last good save.
func (m *Model) result() Result {
	res := Result{ConfigPath: m.settingsPath(), Stopped: m.save.Stopped(), Last: m.save.Last(), Dropped: m.dropped,
		After: save.AfterWords(m.save.LastDone())}
	if g := m.save.LastGood(); g != nil {
		res.Saved = true
		res.Target = m.save.Installed()
	}
	return res
}
