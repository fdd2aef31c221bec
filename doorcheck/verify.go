package doorcheck

import (
	"context"
	"crypto/x509"
	"net/netip"
	"time"

	"frontdoor/render"
)

// VerifyOptions are the inputs of Verify.
type VerifyOptions struct {
	// Addr is where the listeners of this machine answer; the zero value
	// means 127.0.0.1. Every name the settings use (and *.serverName) is
	// sent there, as `--resolve NAME:ADDR` would.
	Addr netip.Addr
	// Timeout bounds each network step; zero means DefaultTimeout.
	Timeout time.Duration
	// Roots are the trusted CAs (nil: the system's); the configured
	// certificate file's own chain is trusted on top of them.
	Roots *x509.CertPool
	// Now is the clock for certificate expiry; nil means time.Now.
	Now func() time.Time
	// Revision is the revision of the configuration saved
	// (render.Revision of the file): every door that serves Artifactory
	// must answer it at render.RevisionPath, which proves the reload took
	// the new configuration. "" when the file has none (an admin's template
	// without the marker): the verify then cannot tell the new
	// configuration from the old (Result.RevisionUnknown says so), nor can
	// it when Addr is not a loopback address (the marker answers this
	// machine only).
	Revision string
	// Settle is how long a reload may take to show: a reload returns before
	// the web server's new workers serve, so a check that fails right away
	// is repeated (quietly, every 250 ms) until it passes or Settle is over;
	// only the last run's steps are reported. Zero means DefaultSettle;
	// negative, one run.
	Settle time.Duration
}

// DefaultSettle is VerifyOptions.Settle when zero.
const DefaultSettle = 2 * time.Second

// Verify answers the save pipeline's question after a reload: is the
// configuration of s the one serving? It checks every door the settings
// describe on this machine's listeners (DNS is not asked: every name goes
// to opt.Addr), anonymously (no login, no upload), trusting the configured
// certificate file's own chain, and requiring each HTTPS listener to serve
// exactly the configured certificate: a reload that kept the old
// configuration (a port already taken, a listener missing, the old
// certificate or base-URL header) fails here.
//
// Decide with Result.Serving(): false means a failure the web server's
// configuration causes (Result.ConfigFailures lists them), which rolling
// back can change. Artifactory being down, or a name missing from DNS, is
// reported but does not make Serving false: the proxy serves, the backend
// does not. With opt.Revision, each door must answer that revision: a
// server that still runs the old configuration fails here even when
// everything else it answers is what the new one would. report receives
// each step as Run's does (nil for none).
func Verify(ctx context.Context, s *render.Settings, opt VerifyOptions, report func(Step)) Result {
	addr := opt.Addr
	if !addr.IsValid() {
		addr = netip.AddrFrom4([4]byte{127, 0, 0, 1})
	}
	// The proxy's own listeners, here: a load balancer in front is not
	// part of what the reload changed.
	plan, err := listenerPlan(s, "after reload")
	if err != nil {
		r := newRunner(ctx, Plan{Title: s.ServerName}, Options{}, report)
		r.emit(Step{Kind: KindInput, Name: "Input", Status: StatusFail, Reason: ReasonInvalidInput, Detail: err.Error()})
		r.summary()
		return r.res
	}
	plan.expectPublic(s)
	roots := opt.Roots
	if s.HTTPS.Enabled {
		if ci := render.LoadCertificates(s.HTTPS.Certificate, ""); ci.Leaf != nil {
			plan.ExpectCertificate = ci.Leaf
			roots = trustChain(roots, ci.Leaf, ci.Chain)
		} else {
			// The file is not readable here: whether this machine trusts
			// its issuer says nothing about the reload.
			plan.noChain = true
		}
	}
	switch {
	case opt.Revision == "":
		plan.revisionUnknown = "the file saved has no revision marker (a template without it)"
	case !addr.IsLoopback():
		plan.revisionUnknown = "the revision answers on loopback only, and the verify went to " + addr.String()
	default:
		plan.expectRevision = opt.Revision
	}
	run := Options{
		Timeout: opt.Timeout,
		Now:     opt.Now,
		Roots:   roots,
		Resolve: ResolveAll(plan, addr),
	}
	settle := opt.Settle
	if settle == 0 {
		settle = DefaultSettle
	}
	const pause = 250 * time.Millisecond
	deadline := time.Now().Add(settle)
	for {
		last := settle < 0 || !time.Now().Add(pause).Before(deadline)
		var live func(Step)
		if last {
			live = report
		}
		res := Run(ctx, plan, run, live)
		if last || ctx.Err() != nil || res.Serving() {
			if !last && report != nil {
				for _, st := range res.Steps {
					report(st)
				}
			}
			return res
		}
		select {
		case <-ctx.Done():
		case <-time.After(pause):
		}
	}
}

// trustChain returns roots (nil: the system's) plus the configured
// certificate and its chain as trust anchors: the certificate a door serves
// is judged on being the configured one, not on this machine trusting its
// issuer (a private CA the proxy host does not trust itself).
func trustChain(roots *x509.CertPool, leaf *x509.Certificate, chain []*x509.Certificate) *x509.CertPool {
	var pool *x509.CertPool
	if roots != nil {
		pool = roots.Clone()
	} else if sys, err := x509.SystemCertPool(); err == nil && sys != nil {
		pool = sys
	} else {
		pool = x509.NewCertPool()
	}
	pool.AddCert(leaf)
	for _, c := range chain {
		pool.AddCert(c)
	}
	return pool
}
