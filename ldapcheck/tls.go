// Step 4: LDAPS or StartTLS, and what the certificate says.

package ldapcheck

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"frontdoor/internal/caroots"
	"net"
	"strings"
	"time"
)

func (r *runner) tlsConfig() (*tls.Config, error) {
	AcceptNegativeSerials() // as Java does; the TLS step warns about such a certificate
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	if r.s.CAFile != "" {
		// The one reading of a CA file (check --ca reads it so too): a
		// FIFO or a device named by mistake is refused, not waited on.
		if roots, err = caroots.FromFile(r.s.CAFile); err != nil {
			return nil, fmt.Errorf("caFile %s: %w", r.s.CAFile, err)
		}
	}
	return &tls.Config{
		ServerName: r.ep.Host,
		// Verification happens in VerifyConnection instead, so that the
		// certificate can be described even when it is not trusted.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			r.peerCerts = cs.PeerCertificates
			if len(cs.PeerCertificates) == 0 {
				r.verifyErr = errors.New("the server sent no certificate")
			} else {
				inter := x509.NewCertPool()
				for _, c := range cs.PeerCertificates[1:] {
					inter.AddCert(c)
				}
				r.cnOnly, r.verifyErr = verifyLikeJava(cs.PeerCertificates[0], inter, roots, r.ep.Host,
					x509.VerifyOptions{CurrentTime: r.opt.Now()})
			}
			if r.verifyErr != nil && !r.s.InsecureSkipVerify {
				return r.verifyErr
			}
			return nil
		},
	}, nil
}

// secure runs the TLS step (LDAPS or StartTLS) and starts the LDAP connection.
func (r *runner) secure() bool {
	r.begin()
	switch {
	case r.ep.TLS():
		return r.handshake("TLS (LDAPS)", func(cfg *tls.Config) (error, bool) {
			tc := tls.Client(r.raw, cfg)
			r.arm()
			err := tc.HandshakeContext(r.ctx)
			r.disarm()
			if err == nil {
				r.startLDAP(tc, true)
			}
			return err, false
		})
	case r.s.StartTLS:
		r.startLDAP(r.raw, false)
		return r.handshake("TLS (StartTLS)", func(cfg *tls.Config) (error, bool) {
			err := r.do(func() error { return r.conn.StartTLS(cfg) })
			// A result code means the server answered no to StartTLS
			// itself; anything else happened during the handshake.
			return err, ldapCode(err) > 0
		})
	}
	r.startLDAP(r.raw, false)
	st := Step{Kind: StepTLS, Name: "TLS", Status: StatusWarn, Reason: ReasonPlainText,
		Detail: "none: ldap:// without startTls, passwords cross the network in clear text",
		Hint:   "use ldaps:// (port 636) or startTls: true"}
	if isLoopback(r.ep.Host) {
		st.Status, st.Reason, st.Detail, st.Hint = StatusInfo, ReasonNone, "none: plain ldap:// (loopback, nothing crosses the network)", ""
	}
	r.emit(st)
	return true
}

func (r *runner) handshake(name string, shake func(*tls.Config) (err error, refused bool)) bool {
	cfg, err := r.tlsConfig()
	if err != nil {
		r.emit(Step{Kind: StepTLS, Name: name, Status: StatusFail, Detail: err.Error(), Reason: ReasonCAFile,
			Hint: "caFile must be a readable PEM file with the CA certificate(s) that signed the server's certificate"})
		return false
	}
	err, refused := shake(cfg)
	if err == nil {
		return r.reportCertificate(name)
	}
	if r.canceled(StepTLS, name) {
		return false
	}
	r.dead = true
	st := Step{Kind: StepTLS, Name: name, Status: StatusFail, Detail: err.Error(), Reason: ReasonNetwork}
	switch {
	case refused:
		st.Detail = "the server refused StartTLS: " + describeLDAPError(err)
		st.Hint, st.Reason = "the directory has no TLS configured for StartTLS: configure it, or use ldaps://", ReasonStartTLSRefused
	case r.verifyErr != nil:
		st.Detail = "certificate not trusted: " + r.verifyErr.Error()
		if len(r.peerCerts) > 0 {
			st.Detail = describeCert(r.peerCerts[0], r.opt.Now()) + "; " + st.Detail
		}
		st.Hint, st.Reason = certHint(r.verifyErr, r.ep, r.peerCerts)
	case isCertificateParseError(err):
		st.Detail, st.Hint, _ = parseFailure(err)
		st.Reason = ReasonBadCertificate
	case isTimeout(err):
		st.Detail = fmt.Sprintf("no TLS handshake within %s", r.opt.ReadTimeout)
		if strings.Contains(name, "StartTLS") {
			st.Detail = fmt.Sprintf("no answer to StartTLS or its handshake within %s", r.opt.ReadTimeout)
		}
		st.Hint, st.Reason = "the server accepted the connection but stalls: is this the right port, and does the server support "+strings.TrimSuffix(strings.TrimPrefix(name, "TLS ("), ")")+"?", ReasonTimeout
	case strings.Contains(name, "StartTLS"):
		// A TLS-only (LDAPS) port closes the connection on the plain
		// StartTLS request.
		st.Detail = "handshake failed: " + err.Error()
		st.Hint, st.Reason = "the server closed the connection on the StartTLS request: if "+r.ep.Port+" is an LDAPS port (usually 636), use ldaps://"+r.ep.Address()+" without startTls; StartTLS goes to the plain LDAP port (usually 389)", ReasonNotTLS
	case strings.Contains(err.Error(), "remote error: tls:"):
		// The server answered in TLS and then ended the handshake.
		st.Detail = "the server ended the TLS handshake: " + err.Error()
		st.Hint, st.Reason = "the server speaks TLS but refused this handshake: no TLS version or cipher suite in common, or it wants a client certificate; check its TLS settings and log", ReasonTLSHandshake
	default:
		st.Detail = "handshake failed: " + err.Error()
		st.Hint, st.Reason = "the server did not speak TLS here: ldaps:// needs the TLS port (usually 636); for port 389 use ldap:// with startTls: true", ReasonNotTLS
	}
	r.emit(st)
	return false
}

func isCertificateParseError(err error) bool { _, _, ok := parseFailure(err); return ok }

func certHint(err error, ep Endpoint, certs []*x509.Certificate) (string, Reason) {
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	switch {
	case errors.As(err, &ua):
		return "set caFile to the PEM file of the CA that signed the server's certificate (see it with: openssl s_client -connect " + ep.Address() + " -showcerts)", ReasonUntrusted
	case errors.As(err, &hn):
		names := "the names it lists (SANs)"
		if len(certs) > 0 {
			names = certificateNames(certs[0])
		}
		hint := "the certificate is not for " + ep.Host + ", it names " + names + ": put one of those names in url, or reissue the certificate with " + ep.Host + " as a SAN"
		if net.ParseIP(ep.Host) != nil {
			hint += " (an IP address must be an IP SAN: Java does not match it against the CN either)"
		}
		return hint, ReasonHostnameMismatch
	case errors.As(err, &ci) && ci.Reason == x509.Expired:
		return "the certificate is expired or not yet valid: renew it on the server (or check this machine's clock)", ReasonExpired
	}
	return "the certificate chain does not verify: check the server's certificate and caFile", ReasonUntrusted
}

func (r *runner) reportCertificate(name string) bool {
	st := Step{Kind: StepTLS, Name: name, Status: StatusOK}
	var parts []string
	if cs, ok := r.conn.TLSConnectionState(); ok {
		parts = append(parts, tls.VersionName(cs.Version))
	}
	var hints []string
	if len(r.peerCerts) > 0 {
		leaf := r.peerCerts[0]
		parts = append(parts, describeCert(leaf, r.opt.Now()))
		if left := leaf.NotAfter.Sub(r.opt.Now()); left < 30*24*time.Hour {
			st.Status = StatusWarn
			hints = append(hints, "the certificate expires soon: renew it before logins start failing")
		}
		if notes, reason := certificateWarnings(leaf, r.cnOnly && r.verifyErr == nil); len(notes) > 0 {
			st.Status, st.Reason = StatusWarn, reason
			hints = append(hints, notes...)
		}
	}
	switch {
	case r.verifyErr == nil && r.cnOnly:
		parts = append(parts, "verified as Java does (host name matched by the CN)")
	case r.verifyErr == nil:
		parts = append(parts, "verified")
	}
	st.Hint = strings.Join(hints, "; ")
	st.Detail = strings.Join(parts, "; ")
	if r.s.InsecureSkipVerify {
		st.Status, st.Reason = StatusWarn, ReasonNotVerified
		st.Detail = "CERTIFICATE NOT VERIFIED (insecureSkipVerify: true); " + st.Detail
		if r.verifyErr != nil {
			st.Detail += "; verification would have failed: " + r.verifyErr.Error()
		} else {
			st.Detail += "; it would have verified: turn insecureSkipVerify off"
		}
		st.Hint = "anyone on the network path can impersonate the directory and read passwords: set caFile instead"
	}
	r.emit(st)
	return true
}

func describeCert(c *x509.Certificate, now time.Time) string {
	var sans []string
	sans = append(sans, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		sans = append(sans, ip.String())
	}
	if len(sans) == 0 {
		sans = []string{"none"}
	}
	days := int(c.NotAfter.Sub(now).Hours() / 24)
	when := fmt.Sprintf("in %d days", days)
	if c.NotAfter.Before(now) {
		when = "EXPIRED"
	}
	return fmt.Sprintf("certificate %s, issued by %s, SANs %s, expires %s (%s)",
		c.Subject, c.Issuer, strings.Join(sans, ", "), c.NotAfter.UTC().Format("2006-01-02"), when)
}
