// The network under every step: names resolved once (DNS or --resolve),
// connections dialed to those addresses, and HTTP/1.1 clients with bounded
// headers, bounded bodies and a timeout on everything.

package doorcheck

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Bounds on what is read from the door.
const (
	maxHeaderBytes = 64 << 10  // all response headers together
	maxBodyBytes   = 64 << 10  // what a step reads of a response body
	maxDrainBytes  = 256 << 10 // what is read past that, to reuse the connection
)

// userAgent names the check in the door's logs.
const userAgent = "frontdoor-check"

// netClient resolves, dials and speaks HTTP for one run.
type netClient struct {
	opt      Options
	mu       sync.Mutex
	resolved map[string]resolution // host -> its addresses, looked up once
	verified *http.Transport       // TLS verified against opt.Roots
	insecure *http.Transport       // for doors whose certificate failed: never carries credentials
}

// resolution is what looking a name up gave.
type resolution struct {
	addrs []netip.Addr
	via   string // "--resolve" or "DNS"; "" for an address
	err   error
}

func newNetClient(opt Options) *netClient {
	c := &netClient{opt: opt, resolved: map[string]resolution{}}
	c.verified = c.transport(false)
	c.insecure = c.transport(true)
	return c
}

func (c *netClient) transport(insecure bool) *http.Transport {
	return &http.Transport{
		Proxy:                  nil, // the door itself, never an HTTP proxy from the environment
		DialContext:            c.dialContext,
		TLSClientConfig:        &tls.Config{RootCAs: c.opt.Roots, InsecureSkipVerify: insecure, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    c.opt.Timeout,
		ResponseHeaderTimeout:  c.opt.Timeout,
		MaxResponseHeaderBytes: maxHeaderBytes,
		DisableCompression:     true,
		MaxIdleConnsPerHost:    4,
		IdleConnTimeout:        30 * time.Second,
		// HTTP/1.1 only: what Docker clients speak to a registry, and what
		// the streaming probe's reading depends on.
		TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{},
	}
}

func (c *netClient) close() {
	c.verified.CloseIdleConnections()
	c.insecure.CloseIdleConnections()
}

// lookup resolves host for a connection to port: an address as itself,
// --resolve first, then DNS (once per name and run).
func (c *netClient) lookup(ctx context.Context, host string, port int) resolution {
	if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return resolution{addrs: []netip.Addr{a.Unmap()}}
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, r := range c.opt.Resolve {
		if r.matches(host, port) {
			return resolution{addrs: []netip.Addr{r.Addr}, via: "--resolve"}
		}
	}
	c.mu.Lock()
	res, ok := c.resolved[host]
	c.mu.Unlock()
	if ok {
		return res
	}
	ctx, cancel := context.WithTimeout(ctx, c.opt.Timeout)
	defer cancel()
	var addrs []netip.Addr
	var err error
	if c.opt.Lookup != nil {
		addrs, err = c.opt.Lookup(ctx, host)
	} else {
		addrs, err = net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	}
	for i := range addrs {
		addrs[i] = addrs[i].Unmap()
	}
	if err == nil && len(addrs) == 0 {
		err = fmt.Errorf("no address for %s", host)
	}
	res = resolution{addrs: addrs, via: "DNS", err: err}
	if ctx.Err() == nil || err == nil {
		c.mu.Lock()
		c.resolved[host] = res
		c.mu.Unlock()
	}
	return res
}

// dial connects to host:port through lookup, trying each address in turn.
func (c *netClient) dial(ctx context.Context, host string, port int) (net.Conn, error) {
	res := c.lookup(ctx, host, port)
	if res.err != nil {
		return nil, res.err
	}
	d := net.Dialer{Timeout: c.opt.Timeout}
	var last error
	for _, a := range res.addrs {
		conn, err := d.DialContext(ctx, "tcp", netip.AddrPortFrom(a, uint16(port)).String())
		if err == nil {
			return conn, nil
		}
		last = err
		if ctx.Err() != nil {
			break
		}
	}
	return nil, last
}

func (c *netClient) dialContext(ctx context.Context, _, addr string) (net.Conn, error) {
	host, ps, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	port, err := strconv.Atoi(ps)
	if err != nil {
		return nil, err
	}
	return c.dial(ctx, host, port)
}

// answer is a response read within bounds.
type answer struct {
	status int
	header http.Header
	body   []byte // at most maxBodyBytes
	url    string // what was asked
}

// fromArtifactory reports whether Artifactory (not the web server in front)
// wrote the answer: it names itself in headers, or answers JSON errors.
func (a answer) fromArtifactory() bool {
	h := a.header
	if h.Get("X-Artifactory-Id") != "" || h.Get("X-Artifactory-Node-Id") != "" || h.Get("X-JFrog-Version") != "" {
		return true
	}
	if strings.HasPrefix(strings.ToLower(h.Get("Server")), "artifactory") {
		return true
	}
	return strings.Contains(h.Get("Content-Type"), "json") && strings.Contains(string(a.body), `"errors"`)
}

// server is the Server header, or "the web server".
func (a answer) server() string {
	if s := strings.TrimSpace(a.header.Get("Server")); s != "" && len(s) < 80 {
		return s
	}
	return "the web server"
}

// statusText is "502 Bad Gateway".
func (a answer) statusText() string {
	return strconv.Itoa(a.status) + " " + http.StatusText(a.status)
}

// request is one HTTP exchange with the door, bounded by the timeout: the
// answer's headers and at most maxBodyBytes of its body. Redirects are not
// followed: steps judge them.
func (c *netClient) request(ctx context.Context, insecure bool, method, rawURL string, hdr http.Header, body io.Reader) (answer, error) {
	ctx, cancel := context.WithTimeout(ctx, c.opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, rawURL, body)
	if err != nil {
		return answer{}, err
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", userAgent)
	rt := http.RoundTripper(c.verified)
	if insecure {
		rt = c.insecure
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return answer{url: rawURL}, err
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, header: resp.Header, url: rawURL}
	a.body, err = io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes))
	if err != nil {
		return a, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrainBytes))
	return a, nil
}

// roundTrip sends req (its context bounds it) and returns the response
// for the caller to read with readBounded.
func (c *netClient) roundTrip(req *http.Request, insecure bool) (*http.Response, error) {
	if insecure {
		return c.insecure.RoundTrip(req)
	}
	return c.verified.RoundTrip(req)
}

// readBounded reads a response's headers and at most maxBodyBytes of its
// body, and closes it.
func readBounded(resp *http.Response, rawURL string) answer {
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, header: resp.Header, url: rawURL}
	a.body, _ = io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrainBytes))
	return a
}

// netReason sorts a network error into a Reason and says it in words.
func netReason(err error) (Reason, string) {
	var recErr tls.RecordHeaderError
	var alert tls.AlertError
	var opErr *net.OpError
	switch {
	case errors.Is(err, context.Canceled):
		return ReasonCanceled, "canceled"
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded), isTimeout(err):
		return ReasonTimeout, "no answer in time"
	case errors.Is(err, syscall.ECONNREFUSED):
		return ReasonRefused, "connection refused"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return ReasonUnreachable, "no route to the address"
	case errors.As(err, &recErr):
		return ReasonNotTLS, "the answer is not TLS (plain HTTP on a TLS port?)"
	case errors.As(err, &opErr) && opErr.Op == "remote error":
		// A TLS alert from the server (crypto/tls keeps the type unexported).
		words := strings.TrimPrefix(opErr.Err.Error(), "tls: ")
		if strings.Contains(words, "certificate required") || strings.Contains(words, "bad certificate") {
			return ReasonClientCertRequired, "the server ended the handshake: " + words
		}
		return ReasonTLSHandshake, "the server ended the handshake: " + words
	case errors.As(err, &alert):
		return ReasonTLSHandshake, "TLS alert: " + alert.Error()
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET):
		return ReasonClosed, "the connection was closed without an answer"
	case errors.As(err, &opErr):
		return ReasonNetwork, opErr.Err.Error()
	}
	return ReasonNetwork, shortErr(err)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// shortErr is an error's text without Go's URL and operation prefixes.
func shortErr(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 && i+2 < len(s) {
		return s[i+2:]
	}
	return s
}
