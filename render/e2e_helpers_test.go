package render_test

// Helpers for the end-to-end tests in e2e_test.go.

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"frontdoor/doorcheck/standin"
	"frontdoor/internal/servertest"
	"frontdoor/render"
)

const e2eServerName = "artifactory.test"

// e2ePorts are the ports of one scenario, picked free before rendering.
type e2ePorts struct {
	HTTP, HTTPS, Artifactory, Router int
	Docker                           []int
}

// e2eScenario describes settings; start fills in ports, nodes and files.
type e2eScenario struct {
	nodes    []string // loopback addresses, one per Artifactory node
	settings func(p e2ePorts, tlsFiles *servertest.TLSFiles) render.Settings
	docker   int // how many Docker ports to pick
	// serverName is the public name (and the certificate's); "" means
	// e2eServerName.
	serverName string
	// artifactory, when set, stands in for Artifactory on the first node
	// instead of the recording upstreams: a real registry behind it.
	artifactory *standin.Server
}

func (sc *e2eScenario) name() string {
	if sc.serverName != "" {
		return sc.serverName
	}
	return e2eServerName
}

// e2e is one running proxy in front of recording upstreams.
type e2e struct {
	provider render.Provider
	settings render.Settings
	ports    e2ePorts
	tls      *servertest.TLSFiles
	rec      *servertest.Recorder
	server   *servertest.Running
	plain    *http.Client // no client certificate
	ids      atomic.Int64
}

// e2eServers are the providers whose real server the end-to-end tests run.
var e2eServers = []render.Provider{render.Nginx, render.Apache, render.HAProxy, render.Caddy}

// e2eProviders runs fn once per proxy server, in parallel: each scenario
// starts its own server, so the servers do not wait for each other. The
// test itself runs beside the package's other parallel tests (the servers'
// checks): its servers, ports and files are its own.
func e2eProviders(t *testing.T, fn func(t *testing.T, p render.Provider)) {
	t.Parallel()
	for _, p := range e2eServers {
		t.Run(string(p), func(t *testing.T) {
			t.Parallel()
			fn(t, p)
		})
	}
}

// startE2E renders the scenario for provider, installs it and starts the
// server. Ports are picked free, then bound by the server a moment later; if
// another process took one in between, the whole set-up is tried again.
func startE2E(t *testing.T, provider render.Provider, sc e2eScenario) *e2e {
	t.Helper()
	tlsFiles := servertest.NewTLSFiles(t, sc.name())
	// The stand-in binds ports of its own choosing, at once: a port picked
	// free and bound a moment later may be another test's by then.
	var standinPorts e2ePorts
	if sc.artifactory != nil {
		if len(sc.nodes) != 1 {
			t.Fatal("the Artifactory stand-in runs on one node")
		}
		art, router := sc.artifactory.Start(t, net.JoinHostPort(sc.nodes[0], "0"), net.JoinHostPort(sc.nodes[0], "0"))
		standinPorts = e2ePorts{Artifactory: portOfAddr(t, art), Router: portOfAddr(t, router)}
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		e := &e2e{provider: provider, tls: tlsFiles, rec: servertest.NewRecorder(t)}
		e.ports = standinPorts
		if sc.artifactory == nil {
			// Bound at once, each picked apart from the other: a port picked
			// free is closed again, so the next pick may return it too.
			e.ports.Artifactory = servertest.FreePortOn(t, sc.nodes...)
			e.ports.Router = e.ports.Artifactory
			for e.ports.Router == e.ports.Artifactory {
				e.ports.Router = servertest.FreePortOn(t, sc.nodes...)
			}
			// The same port on every node: picked free, then bound, so
			// another process may take it in between.
			var listenErr error
			for i, node := range sc.nodes {
				for _, up := range []struct {
					role string
					port int
				}{{"artifactory", e.ports.Artifactory}, {"router", e.ports.Router}} {
					if err := e.rec.TryListen(upstreamName(i, up.role), net.JoinHostPort(node, strconv.Itoa(up.port))); err != nil && listenErr == nil {
						listenErr = err
					}
				}
			}
			if lastErr = listenErr; lastErr != nil {
				if !strings.Contains(lastErr.Error(), "in use") {
					break
				}
				t.Logf("attempt %d: an upstream's port was taken meanwhile, picking new ones: %v", attempt+1, lastErr)
				continue
			}
		}
		proxyPorts := freePortsBut(t, 2+sc.docker, e.ports.Artifactory, e.ports.Router)
		e.ports.HTTP, e.ports.HTTPS, e.ports.Docker = proxyPorts[0], proxyPorts[1], proxyPorts[2:]
		e.settings = sc.settings(e.ports, tlsFiles)
		e.settings.Provider = provider
		if provider == render.HAProxy && e.settings.HTTPS.Enabled {
			// HAProxy reads the certificate and key from one file.
			combined := tlsFiles.Server.CombinedPath(t)
			e.settings.HTTPS.Certificate, e.settings.HTTPS.Key = combined, combined
		}
		e.settings.ServerName = sc.name()
		e.settings.Nodes = sc.nodes
		e.settings.ArtifactoryPort, e.settings.RouterPort = e.ports.Artifactory, e.ports.Router
		snippet, err := render.Render(&e.settings)
		if err != nil {
			t.Fatalf("render: %v", err)
		}
		e.server, lastErr = startProxy(t, &e.settings, snippet, e.listenPorts())
		if lastErr == nil {
			e.plain = e.client(t, nil)
			return e
		}
		if !strings.Contains(lastErr.Error(), "in use") {
			break
		}
		t.Logf("attempt %d: a port was taken meanwhile, picking new ones: %v", attempt+1, lastErr)
	}
	t.Fatal(lastErr)
	return nil
}

// freePortsBut picks n distinct free ports on 127.0.0.1, none of them one
// of taken: the upstreams listen on other loopback addresses, where their
// ports are no obstacle to a pick here, yet the settings refuse a proxy port
// that is also an upstream's (and the proxy listens on every address).
func freePortsBut(t *testing.T, n int, taken ...int) []int {
	t.Helper()
	for {
		ports := servertest.FreePorts(t, n)
		if !slices.ContainsFunc(ports, func(p int) bool { return slices.Contains(taken, p) }) {
			return ports
		}
	}
}

// portOfAddr is the port of a host:port.
func portOfAddr(t *testing.T, addr string) int {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	n, _ := strconv.Atoi(p)
	if err != nil || n == 0 {
		t.Fatalf("address %q: %v", addr, err)
	}
	return n
}

func startProxy(t *testing.T, s *render.Settings, snippet []byte, ports []int) (*servertest.Running, error) {
	t.Helper()
	switch s.Provider {
	case render.Nginx:
		n := servertest.NewNginx(t)
		n.Install(snippet)
		return n.Start(ports...)
	case render.Apache:
		a := servertest.NewApache(t)
		a.EnableModules(render.ApacheModules(s)...)
		a.Install(snippet)
		return a.Start(ports...)
	case render.HAProxy:
		h := servertest.NewHAProxy(t)
		h.Install(snippet)
		return h.Start(ports...)
	case render.Caddy:
		c := servertest.NewCaddy(t)
		c.Install(snippet)
		return c.Start(ports...)
	}
	t.Fatalf("no server for provider %s", s.Provider)
	return nil, nil
}

// listenPorts are the proxy ports the snippet must open.
func (e *e2e) listenPorts() []int {
	var ports []int
	if e.settings.HTTP.Enabled {
		ports = append(ports, e.ports.HTTP)
	}
	if e.settings.HTTPS.Enabled {
		ports = append(ports, e.ports.HTTPS)
	}
	if e.settings.Docker.Method == render.DockerPorts {
		ports = append(ports, e.ports.Docker...)
	}
	return ports
}

func upstreamName(node int, role string) string { return fmt.Sprintf("node%d %s", node, role) }

// client returns an HTTP client that trusts the test CA, presents cert (if
// any), never follows redirects (tests check them) and connects to
// 127.0.0.1 whatever host name the URL holds, so Host and SNI are the
// public names while no DNS is involved.
func (e *e2e) client(t *testing.T, cert *servertest.KeyPair) *http.Client {
	cfg := &tls.Config{RootCAs: e.tls.CA.Pool()}
	if cert != nil {
		c := cert.TLSCertificate()
		// Present it whatever CAs the server asks for: crypto/tls would
		// otherwise keep quiet about a certificate from a foreign CA.
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

// url builds scheme://host:port/path for the proxy.
func proxyURL(scheme, host string, port int, path string) string {
	return scheme + "://" + net.JoinHostPort(host, strconv.Itoa(port)) + path
}

// e2eResult is what the client got and what (if anything) reached an upstream.
type e2eResult struct {
	err      error
	status   int
	header   http.Header
	body     string
	upstream servertest.Recorded
	reached  bool
}

// newID is a request id unique within the test binary.
func (e *e2e) newID() string { return fmt.Sprintf("%s-%d", e.provider, e.ids.Add(1)) }

// send sends one request through the proxy, tagged so the upstream's
// record of it can be found. size < 0 sends the body chunked.
func (e *e2e) send(t *testing.T, c *http.Client, method, rawURL string, header http.Header, body io.Reader, size int64) e2eResult {
	t.Helper()
	return e.sendID(t, e.newID(), c, method, rawURL, header, body, size)
}

func (e *e2e) sendID(t *testing.T, id string, c *http.Client, method, rawURL string, header http.Header, body io.Reader, size int64) e2eResult {
	t.Helper()
	req, err := http.NewRequest(method, rawURL, body)
	if err != nil {
		t.Fatal(err)
	}
	if size >= 0 && body != nil {
		req.ContentLength = size
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	req.Header.Set(servertest.RequestIDHeader, id)
	var res e2eResult
	resp, err := c.Do(req)
	if err != nil {
		res.err = err
	} else {
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		res.status, res.header, res.body, res.err = resp.StatusCode, resp.Header, string(b), err
	}
	res.upstream, res.reached = e.rec.Lookup(id)
	return res
}

func (e *e2e) get(t *testing.T, c *http.Client, rawURL string, header http.Header) e2eResult {
	t.Helper()
	return e.send(t, c, http.MethodGet, rawURL, header, nil, -1)
}

// wantProxied checks that a request reached the wanted upstream with the
// wanted URI, and carries the forwarding headers Artifactory builds its URLs
// from: the client's scheme, host and port.
func (e *e2e) wantProxied(t *testing.T, res e2eResult, rawURL, upstream, uri string) {
	t.Helper()
	if res.err != nil {
		t.Fatalf("GET %s: %v\n%s", rawURL, res.err, e.server.Logs())
	}
	if res.status != http.StatusOK || !res.reached {
		t.Fatalf("GET %s: status %d, reached upstream %v; body %q\n%s", rawURL, res.status, res.reached, res.body, e.server.Logs())
	}
	got := res.upstream
	if got.Upstream != upstream || got.RequestURI != uri {
		t.Errorf("GET %s reached %q as %q, want %q as %q", rawURL, got.Upstream, got.RequestURI, upstream, uri)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	wantHeaders := map[string]string{
		"X-Forwarded-Proto": u.Scheme,
		"X-Forwarded-Port":  u.Port(),
	}
	if e.settings.OverrideBaseURLHeader {
		wantHeaders["X-Jfrog-Override-Base-Url"] = u.Scheme + "://" + u.Host
	}
	for k, want := range wantHeaders {
		if v := got.Header.Values(k); len(v) != 1 || v[0] != want {
			t.Errorf("GET %s: upstream got %s %q, want %q", rawURL, k, v, want)
		}
	}
	if !e.settings.OverrideBaseURLHeader {
		if v := got.Header.Values("X-Jfrog-Override-Base-Url"); len(v) != 0 {
			t.Errorf("GET %s: override header off, upstream got X-JFrog-Override-Base-Url %q", rawURL, v)
		}
	}
	// The public name exactly as the client sent it, port included.
	if got.Host != u.Host {
		t.Errorf("GET %s: upstream got Host %q, want %q", rawURL, got.Host, u.Host)
	}
}

// wantRedirect checks a redirect answered by the proxy itself.
func (e *e2e) wantRedirect(t *testing.T, res e2eResult, rawURL string, status int, location string) {
	t.Helper()
	if res.err != nil {
		t.Fatalf("GET %s: %v\n%s", rawURL, res.err, e.server.Logs())
	}
	if res.reached {
		t.Errorf("GET %s: the proxy should answer the redirect itself, but %s got %q", rawURL, res.upstream.Upstream, res.upstream.RequestURI)
	}
	base, _ := url.Parse(rawURL)
	loc, err := base.Parse(res.header.Get("Location"))
	if res.status != status || err != nil || loc.String() != location {
		t.Errorf("GET %s: status %d Location %q, want %d to %q", rawURL, res.status, res.header.Get("Location"), status, location)
	}
}

// nginxEscapedCert is nginx's $ssl_client_escaped_cert, the form Artifactory
// documents for X-JFrog-Client-Cert: the PEM with every byte other than
// A-Z a-z 0-9 - . _ ~ percent-encoded (upper-case hex).
func nginxEscapedCert(pemText string) string {
	var b strings.Builder
	for i := 0; i < len(pemText); i++ {
		c := pemText[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.IndexByte("-._~", c) >= 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// pemCert is the certificate as OpenSSL writes it: PEM, 64-column lines.
func pemCert(kp *servertest.KeyPair) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: kp.Cert.Raw}))
}

// streamWait bounds how long an upload waits for the upstream to see its
// first bytes: a deadlock breaker for a buffering proxy, not a timing test.
const streamWait = 20 * time.Second

// uploadStreamed PUTs size bytes of patternReader, sending the first MiB and
// holding back the rest until the upstream has started reading the body. A
// proxy that buffers whole uploads (nginx's default) never forwards that
// first MiB, so the upload fails instead of completing.
func (e *e2e) uploadStreamed(t *testing.T, c *http.Client, rawURL string, size int64, chunked bool) e2eResult {
	t.Helper()
	const head = 1 << 20
	id := e.newID()
	started := e.rec.BodyStarted(id)
	pr, pw := io.Pipe()
	var buffered atomic.Bool
	go func() {
		src := &patternReader{}
		if _, err := io.CopyN(pw, src, head); err != nil {
			pw.CloseWithError(err)
			return
		}
		select {
		case <-started:
		case <-time.After(streamWait):
			buffered.Store(true)
			pw.CloseWithError(errors.New("upstream saw none of the body while the client held back the rest"))
			return
		}
		_, err := io.CopyN(pw, src, size-head)
		pw.CloseWithError(err) // nil: EOF
	}()
	length := size
	if chunked {
		length = -1
	}
	res := e.sendID(t, id, c, http.MethodPut, rawURL, nil, pr, length)
	if buffered.Load() {
		t.Errorf("PUT %s: the proxy buffered the upload: the upstream got no byte of the first MiB within %v", rawURL, streamWait)
	}
	return res
}

// bodyDigest is the SHA-256 of the first n bytes of patternReader's
// stream, worked out once per size: every provider's uploads compare
// against it.
func bodyDigest(n int64) [sha256.Size]byte {
	if d, ok := digests.Load(n); ok {
		return d.([sha256.Size]byte)
	}
	h := sha256.New()
	_, _ = io.Copy(h, io.LimitReader(&patternReader{}, n))
	var d [sha256.Size]byte
	copy(d[:], h.Sum(nil))
	digests.Store(n, d)
	return d
}

var digests sync.Map // int64 → [sha256.Size]byte

// patternReader yields a repeating, non-zero byte pattern: an upload whose
// bytes the upstream can check, without holding 20 MiB in memory. Byte i
// of the stream is i % 251.
type patternReader struct{ off int64 }

// patternPeriods is many periods of the pattern, copied into each read
// (working out each byte took a tenth of the end-to-end tests' CPU).
var patternPeriods = func() []byte {
	b := make([]byte, 251*256)
	for i := range b {
		b[i] = byte(i % 251)
	}
	return b
}()

func (r *patternReader) Read(p []byte) (int, error) {
	for n := 0; n < len(p); {
		c := copy(p[n:], patternPeriods[r.off%251:])
		n += c
		r.off += int64(c)
	}
	return len(p), nil
}
