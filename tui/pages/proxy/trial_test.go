package proxy_test

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"frontdoor/render"
)

// The client CA is checked on its own: with mTLS on, a certificate path
// that is not usable yet (an error at its field) no longer leaves the CA
// file unread and unjudged.
func TestClientCAIsCheckedWhileTheCertificateHasAnError(t *testing.T) {
	yaml := strings.NewReplacer(
		"mtls: {enabled: false", "mtls: {enabled: true",
		"certificate: /etc/ssl/certs/artifactory.pem", "certificate: certs/artifactory.pem", // relative: an error
	).Replace(exampleYAML)
	h := newHarness(t, yaml, 80, 24)
	idx := h.doc.Proxy.Index
	if !idx.Exact("proxy.https.certificate").HasErrors() {
		t.Fatalf("no error for a relative certificate path: %v", h.doc.Proxy.Findings)
	}
	ca := idx.Exact("proxy.mtls.clientCA")
	if len(ca) == 0 || !strings.Contains(ca[0].Message, "does not exist here") {
		t.Fatalf("the client CA was not read: %v", ca)
	}
}

// The preview's sideways scroll does not survive: esc and ctrl+p again
// show the lines from their first column, and so does a snippet of another
// provider (scrolled by the wheel beside the form).
func TestPreviewSidewaysScrollStartsAtColumnZero(t *testing.T) {
	h := newHarness(t, exampleYAML, 80, 24)
	h.press("ctrl+p", "right", "right", "right")
	if h.p.Preview().X == 0 {
		t.Fatalf("→ did not scroll sideways:\n%s", h.frame())
	}
	h.press("esc", "ctrl+p")
	if x := h.p.Preview().X; x != 0 {
		t.Fatalf("reopened at column %d", x)
	}
	h.press("esc")

	h = newHarness(t, exampleYAML, 160, 48)
	for range 3 {
		h.run(h.p.Wheel(tea.MouseWheelMsg{Button: tea.MouseWheelRight}, 150, 10))
	}
	if h.p.Preview().X == 0 {
		t.Fatalf("the wheel did not scroll sideways:\n%s", h.frame())
	}
	h.chooseProvider(render.Apache)
	if x := h.p.Preview().X; x != 0 {
		t.Fatalf("Apache's snippet shown at column %d", x)
	}
}

// y on the last valid snippet (the settings do not render) copies nothing
// and says so.
func TestPreviewCopyOfAStaleSnippetSaysNothingCopied(t *testing.T) {
	h := newHarness(t, exampleYAML, 80, 24)
	h.press("pgdown", "pgdown")
	h.typeText(";") // the server name: an error, no snippet
	h.press("ctrl+p")
	if !h.p.Preview().Stale {
		t.Fatalf("the preview is not stale:\n%s", h.frame())
	}
	h.press("y")
	if got := h.status.String(); got != "nothing copied: the preview is not these settings' snippet (fix the error first)" {
		t.Fatalf("y said %q", got)
	}
	// Why there is no current snippet is said in full, on two lines.
	if frame := strings.Join(strings.Fields(h.frame()), " "); !strings.Contains(frame, "Below: the last valid one, not these settings' (y copies nothing).") {
		t.Fatalf("the preview's status is cut:\n%s", h.frame())
	}
}

// "undone" is news about the step of the edit: it goes when another step
// is shown.
func TestUndoneGoesWithTheStep(t *testing.T) {
	h := newHarness(t, exampleYAML, 80, 24)
	h.press("pgdown", "ctrl+n", "ctrl+z")
	if got := h.status.String(); got != "undone" {
		t.Fatalf("after ctrl+z the status says %q", got)
	}
	h.press("pgdown")
	if got := h.status.String(); got != "" {
		t.Fatalf("on the next step the status still says %q", got)
	}
}
