// Step 3: TLS per name a client sends (SNI): the chain verifies, the
// certificate covers the name (a wildcard covers one label), it has not
// expired; and per listener, which protocol versions it accepts.

package doorcheck

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// expiresSoon is when a valid certificate gets a warning.
const expiresSoon = 14 * 24 * time.Hour

// tlsOutcome is what later steps need from the TLS step of a door.
type tlsOutcome struct {
	ok       bool // the handshake worked: HTTP steps may run
	verified bool // chain, name and dates verified: credentials may be sent
}

func tlsKey(d Door) string { return d.Authority() + " " + d.Host }

// tlsFor returns the outcome of door d's TLS step; plain HTTP is always ok
// and never verified.
func (r *runner) tlsFor(d Door) tlsOutcome {
	if d.Scheme != "https" {
		return tlsOutcome{ok: true}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tlsState[tlsKey(d)]
}

func (r *runner) setTLS(d Door, o tlsOutcome) {
	r.mu.Lock()
	r.tlsState[tlsKey(d)] = o
	r.mu.Unlock()
}

func (r *runner) tlsTasks() []func() []Step {
	var tasks []func() []Step
	seen := map[string]bool{}
	var docker []Door
	var versions []*listenerInfo
	versionSeen := map[*listenerInfo]bool{}
	for _, d := range r.plan.Doors {
		if d.Scheme != "https" || !r.alive(d) || seen[tlsKey(d)] {
			continue
		}
		seen[tlsKey(d)] = true
		if l := r.listenerOf(d); !versionSeen[l] {
			versionSeen[l] = true
			versions = append(versions, l)
		}
		if d.Role == RoleDocker {
			docker = append(docker, d)
			continue
		}
		tasks = append(tasks, func() []Step { return []Step{timed(func() Step { return r.tlsStep(d) })} })
	}
	switch {
	case len(docker) == 1:
		tasks = append(tasks, func() []Step { return []Step{timed(func() Step { return r.tlsStep(docker[0]) })} })
	case len(docker) > 1:
		tasks = append(tasks, func() []Step { return []Step{timed(func() Step { return r.tlsGroup(docker) })} })
	}
	var mainL, dockerL []*listenerInfo
	for _, l := range versions {
		if l.docker {
			dockerL = append(dockerL, l)
		} else {
			mainL = append(mainL, l)
		}
	}
	for _, l := range mainL {
		tasks = append(tasks, func() []Step { return []Step{timed(func() Step { return r.versionsStep([]*listenerInfo{l}) })} })
	}
	if len(dockerL) > 0 {
		tasks = append(tasks, func() []Step { return []Step{timed(func() Step { return r.versionsStep(dockerL) })} })
	}
	return tasks
}

// tlsStep checks the certificate one door's name gets.
func (r *runner) tlsStep(d Door) Step {
	st := Step{Kind: KindTLS, Name: "TLS " + d.Authority(), Target: d.URL()}
	if c, ok := r.canceledStep(st.Kind, st.Name, st.Target); ok {
		return c
	}
	st.Status, st.Reason, st.Detail = r.checkTLS(d)
	return st
}

// tlsGroup checks the names (or ports) of the Docker repositories as one step.
func (r *runner) tlsGroup(doors []Door) Step {
	name := fmt.Sprintf("TLS for the %d repository names", len(doors))
	if doors[0].Host == doors[1].Host {
		name = fmt.Sprintf("TLS on the %d Docker ports", len(doors))
	}
	st := Step{Kind: KindTLS, Name: name, Target: doors[0].URL()}
	if c, ok := r.canceledStep(st.Kind, st.Name, st.Target); ok {
		return c
	}
	outs := r.probeEach(len(doors), func(i int) (Status, Reason, string) { return r.checkTLS(doors[i]) })
	st.Status = StatusOK
	var bad, warn []string
	for i, o := range outs {
		switch o.status {
		case StatusFail:
			if st.Status != StatusFail {
				st.Status, st.Reason, st.Target = StatusFail, o.reason, doors[i].URL()
			}
			bad = append(bad, doors[i].Authority()+": "+o.detail)
		case StatusWarn:
			if st.Status == StatusOK {
				st.Status, st.Reason, st.Target = StatusWarn, o.reason, doors[i].URL()
			}
			warn = append(warn, doors[i].Authority()+": "+o.detail)
		}
	}
	switch {
	case len(bad) > 0:
		st.Detail = fmt.Sprintf("%d of %d fail: %s", len(bad), len(doors), listSome(bad, 3))
	case len(warn) > 0:
		st.Detail = fmt.Sprintf("%d of %d warn: %s", len(warn), len(doors), listSome(warn, 3))
	default:
		st.Detail = fmt.Sprintf("all %d verify; %s", len(doors), outs[0].detail)
	}
	return st
}

// checkTLS shakes hands as a client would (TLS 1.2 or later, the door's
// name as SNI) and judges the certificate it gets.
func (r *runner) checkTLS(d Door) (Status, Reason, string) {
	ctx, cancel := context.WithTimeout(r.ctx, r.opt.Timeout)
	defer cancel()
	conn, err := r.net.dial(ctx, d.Host, d.Port)
	if err != nil {
		reason, words := netReason(err)
		return StatusFail, reason, words
	}
	defer conn.Close()
	tc := tls.Client(conn, &tls.Config{ServerName: sniName(d.Host), InsecureSkipVerify: true, MinVersion: tls.VersionTLS12})
	if err := tc.HandshakeContext(ctx); err != nil {
		reason, words := netReason(err)
		r.setTLS(d, tlsOutcome{})
		return StatusFail, reason, words
	}
	cs := tc.ConnectionState()
	status, reason, detail := r.judgeCertificate(d, cs.PeerCertificates)
	r.setTLS(d, tlsOutcome{ok: true, verified: status != StatusFail})
	return status, reason, tlsVersionName(cs.Version) + ", " + detail
}

// judgeCertificate verifies the chain a door sent for its name.
func (r *runner) judgeCertificate(d Door, chain []*x509.Certificate) (Status, Reason, string) {
	if len(chain) == 0 {
		return StatusFail, ReasonUntrusted, "no certificate"
	}
	leaf, now := chain[0], r.opt.Now()
	about := describeCertificate(leaf)
	var problems []string
	reason := ReasonNone
	add := func(rs Reason, words string) {
		if reason == ReasonNone {
			reason = rs
		}
		problems = append(problems, words)
	}
	other := false
	if want := r.plan.ExpectCertificate; want != nil && !leaf.Equal(want) {
		other = true
		add(ReasonOtherCertificate, fmt.Sprintf("not the configured certificate (%s)", fingerprint(want)))
	}
	switch {
	case now.After(leaf.NotAfter):
		add(ReasonExpired, "expired "+leaf.NotAfter.UTC().Format(time.DateOnly)+fmt.Sprintf(" (%d days ago)", int(now.Sub(leaf.NotAfter).Hours()/24)))
	case now.Before(leaf.NotBefore):
		add(ReasonNotYetValid, "not valid before "+leaf.NotBefore.UTC().Format(time.DateTime)+" UTC")
	}
	if err := leaf.VerifyHostname(d.Host); err != nil {
		parent := strings.TrimPrefix(d.Host, d.Repo+".")
		if d.Repo != "" && parent != d.Host && leaf.VerifyHostname(parent) == nil {
			add(ReasonNoWildcardCert, fmt.Sprintf("covers %s but not %s (no *.%s)", parent, d.Host, parent))
		} else {
			add(ReasonNameMismatch, "does not cover "+d.Host)
		}
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	// Dates are judged above: verify the chain as of a moment the leaf is
	// valid, so an expired certificate is not also called untrusted.
	at := now
	if now.After(leaf.NotAfter) || now.Before(leaf.NotBefore) {
		at = leaf.NotBefore.Add(leaf.NotAfter.Sub(leaf.NotBefore) / 2)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: r.opt.Roots, Intermediates: inter, CurrentTime: at}); err != nil && !other && !r.plan.noChain {
		var ua x509.UnknownAuthorityError
		words := "not trusted: " + shortErr(err)
		if errors.As(err, &ua) {
			words = "issued by " + issuerName(leaf) + ", which this machine does not trust"
			if len(chain) == 1 && leaf.Issuer.String() != leaf.Subject.String() {
				words += " (no intermediate sent)"
			}
		}
		add(ReasonUntrusted, words)
	}
	if other {
		about += " " + fingerprint(leaf)
	}
	if len(problems) > 0 {
		return StatusFail, reason, about + ": " + strings.Join(problems, "; ")
	}
	left := leaf.NotAfter.Sub(now)
	if left < expiresSoon {
		return StatusWarn, ReasonExpiresSoon, fmt.Sprintf("%s, expires in %d days (%s)", about, int(left.Hours()/24), leaf.NotAfter.UTC().Format(time.DateOnly))
	}
	return StatusOK, ReasonNone, fmt.Sprintf("%s, valid until %s", about, leaf.NotAfter.UTC().Format(time.DateOnly))
}

// describeCertificate names a certificate by its names and issuer.
func describeCertificate(c *x509.Certificate) string {
	names := append([]string(nil), c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 && c.Subject.CommonName != "" {
		names = []string{"CN=" + c.Subject.CommonName}
	}
	return fmt.Sprintf("certificate for %s (issuer %s)", listSome(names, 4), issuerName(c))
}

// fingerprint tells two certificates for the same names apart.
func fingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	return fmt.Sprintf("SHA-256 %X…, valid until %s", sum[:6], c.NotAfter.UTC().Format(time.DateOnly))
}

func issuerName(c *x509.Certificate) string {
	if c.Issuer.CommonName != "" {
		return c.Issuer.CommonName
	}
	return c.Issuer.String()
}

func tlsVersionName(v uint16) string {
	switch v {
	case tls.VersionTLS10:
		return "TLS 1.0"
	case tls.VersionTLS11:
		return "TLS 1.1"
	case tls.VersionTLS12:
		return "TLS 1.2"
	case tls.VersionTLS13:
		return "TLS 1.3"
	}
	return fmt.Sprintf("TLS 0x%04x", v)
}

// allSuites offers every cipher suite Go has, so that an old version is
// judged by the server's choice, not by what Go would pick. (Listed on
// first use, not at every start.)
var allSuites = sync.OnceValue(func() []uint16 {
	var ids []uint16
	for _, s := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		ids = append(ids, s.ID)
	}
	return ids
})

// versionsStep asks each listener which protocol versions it accepts.
func (r *runner) versionsStep(ls []*listenerInfo) Step {
	name := "TLS versions on " + ls[0].host + ":" + fmt.Sprint(ls[0].port)
	if len(ls) > 1 {
		name = fmt.Sprintf("TLS versions on the %d Docker ports", len(ls))
	}
	st := Step{Kind: KindTLSVersions, Name: name, Target: ls[0].host + ":" + fmt.Sprint(ls[0].port)}
	if c, ok := r.canceledStep(st.Kind, st.Name, st.Target); ok {
		return c
	}
	type out struct {
		accepted []uint16
		err      error
	}
	outs := make([]out, len(ls))
	r.each(len(ls), func(i int) {
		outs[i].accepted, outs[i].err = r.acceptedVersions(ls[i])
	})
	st.Status = StatusOK
	var details []string
	for i, o := range outs {
		status, reason, detail := r.judgeVersions(o.accepted, o.err)
		if status > st.Status || (st.Status == StatusOK && status != StatusOK) {
			st.Status, st.Reason = status, reason
			st.Target = ls[i].host + ":" + fmt.Sprint(ls[i].port)
		}
		if len(ls) > 1 {
			detail = fmt.Sprintf("port %d: %s", ls[i].port, detail)
		}
		details = append(details, detail)
	}
	slices.Sort(details)
	details = slices.Compact(details)
	if len(ls) > 1 && len(details) == 1 {
		details[0] = strings.SplitN(details[0], ": ", 2)[1]
	}
	st.Detail = listSome(details, 3)
	return st
}

// judgeVersions rates what a listener accepts against the profile.
func (r *runner) judgeVersions(accepted []uint16, err error) (Status, Reason, string) {
	if err != nil {
		reason, words := netReason(err)
		return StatusFail, reason, words
	}
	var yes, no []string
	for _, v := range []uint16{tls.VersionTLS10, tls.VersionTLS11, tls.VersionTLS12, tls.VersionTLS13} {
		if slices.Contains(accepted, v) {
			yes = append(yes, tlsVersionName(v)[4:])
		} else {
			no = append(no, tlsVersionName(v)[4:])
		}
	}
	detail := "accepts TLS " + orNone(yes) + "; refuses " + orNone(no)
	if len(no) > 0 {
		detail = "accepts TLS " + orNone(yes) + "; refuses TLS " + orNone(no)
	}
	switch {
	case slices.Contains(accepted, tls.VersionTLS10) || slices.Contains(accepted, tls.VersionTLS11):
		return StatusFail, ReasonOldTLS, detail
	case r.plan.TLSProfile == "modern" && slices.Contains(accepted, tls.VersionTLS12):
		return StatusWarn, ReasonTLSProfile, detail + " (the modern profile is TLS 1.3 only)"
	case r.plan.TLSProfile == "intermediate" && !slices.Contains(accepted, tls.VersionTLS12):
		return StatusWarn, ReasonTLSProfile, detail + " (the intermediate profile offers TLS 1.2 too, for older clients)"
	}
	if r.plan.TLSProfile != "" {
		detail += " (" + r.plan.TLSProfile + " profile)"
	}
	return StatusOK, ReasonNone, detail
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// acceptedVersions tries one handshake per protocol version. A version the
// server refuses ends in an alert; any other error (a timeout) is returned.
func (r *runner) acceptedVersions(l *listenerInfo) ([]uint16, error) {
	var mu sync.Mutex
	var accepted []uint16
	var firstErr error
	versions := []uint16{tls.VersionTLS10, tls.VersionTLS11, tls.VersionTLS12, tls.VersionTLS13}
	r.each(len(versions), func(i int) {
		ok, err := r.tryVersion(l, versions[i])
		mu.Lock()
		defer mu.Unlock()
		if err != nil && firstErr == nil {
			firstErr = err
		}
		if ok {
			accepted = append(accepted, versions[i])
		}
	})
	if len(accepted) == 0 && firstErr != nil {
		return nil, firstErr
	}
	return accepted, nil
}

func (r *runner) tryVersion(l *listenerInfo, v uint16) (bool, error) {
	ctx, cancel := context.WithTimeout(r.ctx, r.opt.Timeout)
	defer cancel()
	conn, err := r.net.dial(ctx, l.host, l.port)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	cfg := &tls.Config{ServerName: sniName(l.host), InsecureSkipVerify: true, MinVersion: v, MaxVersion: v}
	if v < tls.VersionTLS13 {
		cfg.CipherSuites = allSuites()
	}
	err = tls.Client(conn, cfg).HandshakeContext(ctx)
	if err == nil {
		return true, nil
	}
	if reason, _ := netReason(err); reason == ReasonTimeout || reason == ReasonCanceled || reason == ReasonRefused {
		return false, err
	}
	return false, nil // refused: an alert, or the connection closed
}
