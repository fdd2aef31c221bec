package proxy

import (
	"slices"

	tea "charm.land/bubbletea/v2"

	"frontdoor/render"
)

// The page's reads, each started when what it depends on changed and
// carried out by a command (io.go): the certificate files, the node names,
// the file at the target, and the preview job.

// certCmd asks for the certificate files (and the mTLS client CA) when
// their paths changed: after a pause in typing (debounced), or at once on
// start.
func (p *Page) certCmd(now bool) tea.Cmd {
	s := &p.doc.File.Proxy
	idx := p.doc.Proxy.Index
	want := [3]string{s.HTTPS.Certificate, s.HTTPS.Key}
	if s.MTLS.Enabled && !idx.Exact("proxy.mtls.clientCA").HasErrors() {
		want[2] = s.MTLS.ClientCA
	}
	if !s.HTTPS.Enabled || !render.UsesCertificateFiles(s) || (want[0] == "" && want[1] == "") || want == p.certWant {
		return nil
	}
	if idx.Exact("proxy.https.certificate").HasErrors() || idx.Exact("proxy.https.key").HasErrors() {
		return nil // not a usable path yet: nothing to read
	}
	p.certWant = want
	p.certGen++
	if now {
		return loadCertsCmd(&p.opts, want[0], want[1], want[2])
	}
	return debounce(p.opts.Debounce, certTickMsg{p.certGen})
}

// nodesCmd looks the node names up when they (or the provider) changed:
// after a pause in typing, or at once on start.
func (p *Page) nodesCmd(now bool) tea.Cmd {
	s := &p.doc.File.Proxy
	if s.Provider == p.nodesOf && slices.Equal(s.Nodes, p.nodesWant) && p.nodesWant != nil {
		return nil
	}
	p.nodesOf, p.nodesWant = s.Provider, slices.Clone(s.Nodes)
	p.nodesGen++
	if now {
		return nodesCmd(p.nodesOf, p.nodesWant)
	}
	return debounce(p.opts.Debounce, nodesTickMsg{p.nodesGen})
}

// reloadTarget reads the file at the target again (debounced while typing).
func (p *Page) reloadTarget(now bool) tea.Cmd {
	p.targetGen++
	path := p.doc.Target.Path.Value
	if path == "" {
		p.targetFile = targetContent{loaded: true}
		return nil
	}
	if now {
		return loadTargetCmd(p.opts.ReadFile, path)
	}
	return debounce(p.opts.Debounce, targetTickMsg{p.targetGen})
}

// previewCmd starts rendering the preview for the current settings and focus.
// Nothing is rendered until the page is first shown: the home screen has
// no preview, and at start the job would take a core from the first frame.
func (p *Page) previewCmd() tea.Cmd {
	p.gen++
	if !p.shown {
		return nil
	}
	return previewCmd(previewRequest{
		gen:      p.gen,
		doc:      p.doc.Snapshot(),
		findings: p.doc.Proxy.Findings,
		vary:     p.form().FocusedVary(),
		target:   p.targetFile,
	})
}
