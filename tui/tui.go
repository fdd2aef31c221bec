// Package tui is frontdoor's terminal wizard (Bubble Tea v2): a home menu,
// the HTTP settings as steps with inline validation and a live preview of
// the snippet, the LDAP settings with a live test against the directory, and
// a safe save through package install. Rules and output come from package
// render (and ldapcheck), saving from package install, the settings file
// from package config: the UI holds no copy of any of them.
//
// The root model (model.go) routes messages, owns the focus (which screen,
// which dialog) and the layout, and decides when the parts draw. The parts
// live in sub-packages with one job each:
//
//	common      styles, keys, sizes, text and finding helpers
//	document    the settings being edited, in one place, with undo
//	components  form (the one form engine), table, confirm, steplist,
//	            highlight, scroller
//	pages       home, proxy (the HTTP steps and preview), save, ldap
//	accessible  the same questions, one per line, for screen readers
package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	tea "charm.land/bubbletea/v2"

	"frontdoor/config"
	"frontdoor/install"
	"frontdoor/render"
	"frontdoor/tui/pages/proxy"
)

// Options is what the wizard starts from.
type Options struct {
	File       *config.File  // loaded settings (nil: defaults)
	Source     config.Source // said on screen: a file, or the built-in example
	ConfigPath string        // where the settings are written after a save
	// LoadedFrom is the file the settings were read from when that is not
	// ConfigPath (the vendor's JSON, which is never overwritten); "" otherwise.
	LoadedFrom string
	// Target says where a provider's snippet goes and how to check and
	// reload (install.DetectTarget plus the command's flags). It is asked
	// once per provider, in a command when the wizard starts.
	Target func(provider string) install.Target
	Now    func() time.Time // certificate expiry; fixed in tests
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
}

func (o Options) withDefaults() Options {
	if o.File == nil {
		o.File = &config.File{Proxy: render.Defaults()}
	}
	if o.ConfigPath == "" {
		o.ConfigPath = config.DefaultPath
	}
	if o.Target == nil {
		o.Target = func(p string) install.Target { return install.DetectTarget(p, "/") }
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
	return o
}

// Result is what a wizard session did, for the command's last words.
type Result struct {
	Saved      bool   // a save succeeded during the session
	Target     string // the snippet file of the last successful save ("" for tomcat)
	ConfigPath string
}

// ErrInterrupted is returned when the wizard was stopped by a signal (or
// end of input in accessible mode) rather than by the user quitting.
var ErrInterrupted = errors.New("interrupted")

// Run runs the full-screen wizard on in/out until the user quits.
func Run(ctx context.Context, opts Options, in io.Reader, out io.Writer) (Result, error) {
	m := New(opts)
	// Where each provider's snippet goes, detected once before the first
	// frame (a few stat calls), so a save typed at once has its target.
	m.doc.SetDetected(proxy.DetectTargets(m.opts.Target))
	// Bubble Tea draws on a ticker: at its default 60 frames a second the
	// first frame waited up to 17 ms for the first tick (half the start-up
	// time), and every keystroke as long. 120 halves both; an idle tick
	// with nothing new costs a comparison.
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out), tea.WithFPS(120))
	_, err := p.Run() // m is the final model: Update works on the pointer
	if errors.Is(err, tea.ErrInterrupted) || errors.Is(err, tea.ErrProgramKilled) {
		err = fmt.Errorf("%w: %w", ErrInterrupted, err)
	}
	if err == nil && !m.quitting {
		// Bubble Tea ends on SIGTERM as if asked to quit; the user did not.
		err = fmt.Errorf("%w: terminated", ErrInterrupted)
	}
	// Stopped in the middle of a save (the user cannot quit then): cancel
	// it, so the check stops and the previous file is put back, and wait for
	// that rather than leave an unchecked file behind.
	m.save.Wait()
	return m.result(), err
}

// result is the session's outcome from the last good save.
func (m *Model) result() Result {
	res := Result{ConfigPath: m.opts.ConfigPath}
	if g := m.save.LastGood(); g != nil {
		res.Saved = true
		if g.Snippet {
			res.Target = g.Report.Target
		}
	}
	return res
}
