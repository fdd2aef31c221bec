package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"frontdoor/app"

	"frontdoor/tui/accessible"
	"frontdoor/tui/pages/proxy"
)

// RunAccessible is the wizard for screen readers (package accessible): the
// same document, fields, validators, save and LDAP test as the full-screen
// wizard, asked one question per line.
func RunAccessible(ctx context.Context, opts Options, in io.Reader, out io.Writer) (Result, error) {
	opts.NoColor = true
	opts.Debounce = 0
	m := New(opts)
	m.save.SetContext(ctx)
	// No Bubble Tea here: the targets are resolved before the questions.
	m.doc.SetDetected(proxy.DetectTargets(m.opts.Resolve, m.loaded()))
	err := accessible.Run(ctx, accessible.Config{
		Doc: m.doc, Proxy: m.proxy, LDAP: m.ldap, Save: &m.save, Check: m.check, Styles: &m.styles, Status: &m.status,
		Source: m.sourceText(), ConfigPath: m.settingsPath(), LoadCertificates: m.opts.LoadCertificates,
		LoadClientCA: m.opts.LoadClientCA, Offers: m.importOffers(),
	}, in, out)
	switch {
	case err != nil && ctx.Err() != nil && interruptedAtAPrompt(ctx, m):
		// Ctrl+C at a question (SIGINT here: the terminal is not in raw
		// mode) quits as ctrl+c does on the full screen, with the same last
		// words; only a save it stopped is an interruption.
		err = nil
	case errors.Is(err, accessible.ErrAborted) || (err != nil && ctx.Err() != nil):
		err = fmt.Errorf("%w: %w", ErrInterrupted, err)
	}
	if err == nil {
		m.dropped = m.doc.Dirty() // quit without saving, or ctrl+c, left them
	}
	return m.result(), err
}

// interruptedAtAPrompt reports whether ctx ended by SIGINT (Ctrl+C) while
// the session asked a question, rather than during a save.
func interruptedAtAPrompt(ctx context.Context, m *Model) bool {
	var sig *app.SignalError
	return errors.As(context.Cause(ctx), &sig) && sig.Signal == os.Interrupt && m.save.Stopped() == nil
}
