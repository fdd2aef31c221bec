package doorcheck

import (
	"context"
	"crypto/x509"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// DefaultTimeout bounds every network step when Options.Timeout is zero.
const DefaultTimeout = 10 * time.Second

// DefaultConcurrency is how many probes run at once when
// Options.Concurrency is zero: enough to check a hundred repositories in
// well under a second, few enough not to look like an attack.
const DefaultConcurrency = 8

// Options are the inputs of one run that are not the plan.
type Options struct {
	// Timeout bounds every network step: a lookup, a connect, a TLS
	// handshake, each request until its answer (uploads: without progress).
	// Zero means DefaultTimeout.
	Timeout time.Duration
	// Resolve overrides DNS, as curl's --resolve does.
	Resolve []Resolve
	// Roots are the trusted CAs; nil means the system's.
	Roots *x509.CertPool
	// User and Password log in to the Docker token endpoint (step 6) and
	// upload (step 7). They are sent only over verified HTTPS to the door's
	// own names; never reported.
	User, Password string
	// UploadSize is the size of the chunked blob upload of step 7; zero
	// means no upload. It needs User.
	UploadSize int64
	// UploadRepo is the Docker repository the upload goes to; "" means the
	// only one planned.
	UploadRepo string
	// Concurrency bounds the probes running at once; zero means
	// DefaultConcurrency.
	Concurrency int
	// Now is the clock for certificate expiry; nil means time.Now.
	Now func() time.Time
	// Lookup resolves a name; nil means the system resolver.
	Lookup func(ctx context.Context, host string) ([]netip.Addr, error)
	// StreamingWait is how long the buffering probe holds its body back
	// waiting for an early answer; zero means min(Timeout/2, 3 s).
	StreamingWait time.Duration
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.StreamingWait <= 0 {
		o.StreamingWait = min(o.Timeout/2, 3*time.Second)
	}
	return o
}

// Resolve sends a host name (and, with a port, only connections to that
// port) to an address instead of asking DNS. Host may be a wildcard
// "*.example.com", which covers every name below example.com.
type Resolve struct {
	Host string // lower case
	Port int    // 0: every port
	Addr netip.Addr
}

func (r Resolve) String() string {
	if r.Port != 0 {
		return r.Host + ":" + strconv.Itoa(r.Port) + ":" + r.Addr.String()
	}
	return r.Host + ":" + r.Addr.String()
}

// matches reports whether the override covers host on port.
func (r Resolve) matches(host string, port int) bool {
	if r.Port != 0 && r.Port != port {
		return false
	}
	if wild, ok := strings.CutPrefix(r.Host, "*."); ok {
		return strings.HasSuffix(host, "."+wild)
	}
	return host == r.Host
}

// ParseResolve reads HOST:ADDR or curl's HOST:PORT:ADDR; ADDR is an IPv4
// or IPv6 address (brackets optional), HOST may start with "*.".
func ParseResolve(s string) (Resolve, error) {
	host, rest, ok := strings.Cut(s, ":")
	if !ok || host == "" || rest == "" {
		return Resolve{}, fmt.Errorf("--resolve %q: give HOST:ADDRESS (or HOST:PORT:ADDRESS, as curl)", s)
	}
	host = strings.ToLower(host)
	if bad := strings.TrimLeft(strings.TrimPrefix(host, "*."), "abcdefghijklmnopqrstuvwxyz0123456789-."); bad != "" {
		return Resolve{}, fmt.Errorf("--resolve %q: %q is not a host name", s, host)
	}
	r := Resolve{Host: host}
	// HOST:PORT:ADDR when what precedes the next colon is a port and the
	// rest an address; otherwise the rest is the address (IPv6 has colons).
	if p, addr, ok := strings.Cut(rest, ":"); ok && p != "" && strings.Trim(p, "0123456789") == "" {
		if a, err := parseAddr(addr); err == nil {
			port, err := strconv.Atoi(p)
			if err != nil || port < 1 || port > 65535 {
				return Resolve{}, fmt.Errorf("--resolve %q: port %q is not 1-65535", s, p)
			}
			r.Port, r.Addr = port, a
			return r, nil
		}
	}
	a, err := parseAddr(rest)
	if err != nil {
		return Resolve{}, fmt.Errorf("--resolve %q: %q is not an IP address", s, rest)
	}
	r.Addr = a
	return r, nil
}

func parseAddr(s string) (netip.Addr, error) {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, err
	}
	return a.Unmap(), nil
}
