package proxy

import (
	"slices"

	tea "charm.land/bubbletea/v2"

	"frontdoor/render"
)

// The page's reads, each started when what it depends on changed and
// carried out by a command (io.go): the certificate files, the node names,
// the file at the target, and the preview job.

// certRequest is what certCmd asked to read: the certificate and key
// (readPair: when their paths are usable) and, on its own, the mTLS client
// CA ("" when not asked). The pair's paths are always set: they name the
// settings the answer is for.
type certRequest struct {
	cert, key, clientCA string
	readPair            bool
}

// certCmd asks for the certificate files and the mTLS client CA when their
// paths changed: after a pause in typing (debounced), or at once on start.
// The client CA is read whatever the certificate's path says: an error at
// the certificate does not leave the CA unchecked.
func (p *Page) certCmd(now bool) tea.Cmd {
	s := &p.doc.File.Proxy
	if !s.HTTPS.Enabled || !render.UsesCertificateFiles(s) {
		return nil
	}
	idx := p.doc.Proxy.Index
	want := certRequest{cert: s.HTTPS.Certificate, key: s.HTTPS.Key}
	want.readPair = (want.cert != "" || want.key != "") &&
		!idx.Exact("proxy.https.certificate").HasErrors() && !idx.Exact("proxy.https.key").HasErrors()
	if s.MTLS.Enabled && s.MTLS.ClientCA != "" && !idx.Exact("proxy.mtls.clientCA").HasErrors() {
		want.clientCA = s.MTLS.ClientCA
	}
	if (!want.readPair && want.clientCA == "") || want == p.certWant {
		return nil // nothing usable to read, or read already
	}
	p.certWant = want
	p.certGen++
	if now {
		return loadCertsCmd(&p.opts, want)
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
