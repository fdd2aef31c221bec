package servertest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"testing"
	"time"
)

// Client returns an HTTP client for a proxy a test started: it trusts roots,
// presents cert (when not nil) whatever CAs the server asks for (crypto/tls
// would otherwise keep quiet about a certificate from a foreign CA), never
// follows redirects (tests check them) and connects to 127.0.0.1 whatever
// host name a URL holds, so Host and SNI are the public names while no DNS is
// involved. Its idle connections are closed when the test ends.
func Client(t testing.TB, roots *x509.CertPool, cert *tls.Certificate) *http.Client {
	cfg := &tls.Config{RootCAs: roots}
	if cert != nil {
		c := *cert
		cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &c, nil }
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			_, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			return dialer.DialContext(ctx, network, net.JoinHostPort("127.0.0.1", port))
		},
		TLSClientConfig: cfg,
	}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       60 * time.Second, // a bound for a hung proxy, not an assertion
	}
}
