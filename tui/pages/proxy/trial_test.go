package proxy_test

import (
	"strings"
	"testing"
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
