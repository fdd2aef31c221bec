package proxy

import (
	"context"
	"errors"
	"io/fs"
	"time"

	tea "charm.land/bubbletea/v2"

	"frontdoor/app"
	"frontdoor/config"
	"frontdoor/internal/safefile"
	"frontdoor/render"
	"frontdoor/tui/document"
)

// Every piece of IO of the HTTP screen runs in one of these commands;
// Update only reads the messages they return. Results carry what they were
// computed for, so a late answer about an old path or an old keystroke is
// dropped.

// Msg marks the messages of the HTTP screen's commands: the root routes
// them all to the page, whatever screen is on show.
type Msg interface{ proxyMsg() }

type (
	previewMsg      struct{ res previewResult }
	certTickMsg     struct{ gen int }
	certsLoadedMsg  struct{ info *render.CertInfo }
	targetTickMsg   struct{ gen int }
	targetLoadedMsg struct{ content targetContent }
	// targetsMsg carries the targets resolved for every provider, at
	// start (and after the settings file was read again): a provider
	// change then needs no IO.
	targetsMsg struct {
		targets map[render.Provider]document.Target
	}
	// saveTargetsMsg carries the targets resolved again for a save the
	// user asked for (op): detection runs at each save, so the save's notes
	// are about the machine as it is now, not as it was at start.
	saveTargetsMsg struct {
		targets map[render.Provider]document.Target
		op      app.Op
	}
	nodesTickMsg struct{ gen int }
	// nodesMsg carries the lookups of the node names (render.CheckNodesResolve).
	nodesMsg struct {
		provider render.Provider
		nodes    []string
		findings render.Findings
	}
)

func (previewMsg) proxyMsg()      {}
func (certTickMsg) proxyMsg()     {}
func (certsLoadedMsg) proxyMsg()  {}
func (targetTickMsg) proxyMsg()   {}
func (targetLoadedMsg) proxyMsg() {}
func (targetsMsg) proxyMsg()      {}
func (nodesTickMsg) proxyMsg()    {}
func (saveTargetsMsg) proxyMsg()  {}
func (nodesMsg) proxyMsg()        {}

func previewCmd(req previewRequest) tea.Cmd {
	return func() tea.Msg { return previewMsg{buildPreview(req)} }
}

// loadCertsCmd reads the certificate and key when w.readPair, and the mTLS
// client CA when w.clientCA is not "" (render.CheckCertificates checks all
// three; a CA read alone is checked by render.CheckClientCA). The answer
// names the pair's paths either way: it is for these settings.
func loadCertsCmd(opts *Options, w certRequest) tea.Cmd {
	load, loadCA := opts.LoadCertificates, opts.LoadClientCA
	return func() tea.Msg {
		var ci *render.CertInfo
		if w.readPair {
			ci = load(w.cert, w.key)
		}
		if ci == nil {
			ci = &render.CertInfo{CertPath: w.cert, KeyPath: w.key}
		}
		if w.clientCA != "" {
			ci.ClientCA = loadCA(w.clientCA)
		}
		return certsLoadedMsg{ci}
	}
}

// nodesCmd looks the node names up (network IO, up to
// render.NodeLookupTimeout), as `frontdoor validate` does.
func nodesCmd(provider render.Provider, nodes []string) tea.Cmd {
	s := render.Settings{Provider: provider, Nodes: nodes}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 2*render.NodeLookupTimeout)
		defer cancel()
		return nodesMsg{provider: provider, nodes: nodes, findings: render.CheckNodesResolve(ctx, &s)}
	}
}

// Providers are the providers a target is resolved for: every one render
// knows (kept for callers; render.Providers is the list).
var Providers = render.Providers

// DetectTargets asks where each provider's snippet goes (app.Resolve with
// the command's flags and the save: section of loaded, through resolve).
// It stats the file system: it runs in detectCmd's goroutine (or before
// accessible mode starts).
func DetectTargets(resolve func(render.Provider, *config.File) (app.Target, error), loaded *config.File) map[render.Provider]document.Target {
	out := make(map[render.Provider]document.Target, len(Providers)+1)
	for _, p := range Providers {
		out[p] = document.NewTarget(resolve(p, loaded))
	}
	// A provider the settings name that render does not know gets what
	// app says of it (the settings' finding says what is wrong).
	if loaded != nil && loaded.Proxy.Provider != "" {
		if _, ok := out[loaded.Proxy.Provider]; !ok {
			out[loaded.Proxy.Provider] = document.NewTarget(resolve(loaded.Proxy.Provider, loaded))
		}
	}
	return out
}

func detectCmd(resolve func(render.Provider, *config.File) (app.Target, error), loaded *config.File) tea.Cmd {
	return func() tea.Msg { return targetsMsg{DetectTargets(resolve, loaded)} }
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

// ReadFileCapped reads a regular file of at most maxTargetSize bytes. A
// directory, FIFO or device is refused before it is opened: opening a FIFO
// would block until someone writes to it.
func ReadFileCapped(path string) ([]byte, error) {
	data, _, err := safefile.Read(path, maxTargetSize) // the one bounded read of a file someone named
	var big *safefile.TooLargeError
	if errors.As(err, &big) {
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
