// Certificates as the vendor's server judges them. It runs on a JVM, whose
// TLS accepts two kinds of certificate Go refuses and domain controllers
// often serve: a negative serial number (Samba's self-made certificate has
// one about half the time) and a host name found only in the subject CN (no
// SANs). The test accepts what Java accepts, so that it neither fails a
// setting that works nor passes one that does not, and warns about both.

package ldapcheck

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
)

// AcceptNegativeSerials lets this process parse certificates with a negative
// serial number, as Java does, by adding x509negativeserial=1 to GODEBUG
// (the Go runtime rereads GODEBUG when it changes; crypto/tls parses the
// server's certificates before any callback could). An x509negativeserial
// setting the user already put in GODEBUG is left as it is. Run calls it
// before every TLS handshake; it is cheap and idempotent.
func AcceptNegativeSerials() {
	cur := os.Getenv("GODEBUG")
	if next := withNegativeSerials(cur); next != cur {
		os.Setenv("GODEBUG", next)
	}
}

// withNegativeSerials adds x509negativeserial=1 to a GODEBUG value that
// does not already say something about it (the user's choice wins).
func withNegativeSerials(godebug string) string {
	for kv := range strings.SplitSeq(godebug, ",") {
		if strings.HasPrefix(strings.TrimSpace(kv), "x509negativeserial=") {
			return godebug
		}
	}
	if godebug != "" {
		godebug += ","
	}
	return godebug + "x509negativeserial=1"
}

// verifyLikeJava verifies leaf for host as the JVM's LDAP client does: the
// chain against roots, and the host name against the SANs, or, when the
// certificate has no DNS SANs, against its subject CN (cnOnly is then true).
func verifyLikeJava(leaf *x509.Certificate, inter, roots *x509.CertPool, host string, opts x509.VerifyOptions) (cnOnly bool, err error) {
	opts.DNSName, opts.Roots, opts.Intermediates = host, roots, inter
	_, err = leaf.Verify(opts)
	var hn x509.HostnameError
	if err == nil || !errors.As(err, &hn) || !cnMatches(leaf, host) {
		return false, err
	}
	opts.DNSName = ""
	if _, err := leaf.Verify(opts); err != nil {
		return false, err
	}
	return true, nil
}

// cnMatches is Java's host name check for LDAP (HostnameChecker, TYPE_LDAP):
// without DNS SANs the subject CN counts, with a wildcard allowed as the
// whole leftmost label; an IP address must be an IP SAN, never a CN.
func cnMatches(c *x509.Certificate, host string) bool {
	if net.ParseIP(host) != nil || len(c.DNSNames) > 0 {
		return false
	}
	cn := strings.ToLower(strings.TrimSuffix(c.Subject.CommonName, "."))
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if cn == "" {
		return false
	}
	if rest, ok := strings.CutPrefix(cn, "*."); ok {
		_, hostRest, found := strings.Cut(host, ".")
		return found && hostRest == rest && strings.Contains(rest, ".")
	}
	return cn == host
}

// certificateNames lists what a certificate can be matched by, for hints:
// "SANs a, b" or "CN x (no SANs)".
func certificateNames(c *x509.Certificate) string {
	var sans []string
	sans = append(sans, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		sans = append(sans, ip.String())
	}
	if len(sans) == 0 {
		return fmt.Sprintf("only the CN %s (no SANs)", c.Subject.CommonName)
	}
	return "SANs " + strings.Join(sans, ", ")
}

// certificateWarnings are the flaws of a certificate that the vendor's
// server accepts but other clients refuse, as hints.
func certificateWarnings(c *x509.Certificate, cnOnly bool) (notes []string, reason Reason) {
	if c.SerialNumber != nil && c.SerialNumber.Sign() < 0 {
		notes = append(notes, "the certificate has a negative serial number (RFC 5280 forbids it; Samba's self-made certificates often have one): Java, and so the server, accepts it, Go-based and other strict clients refuse it: reissue it when you can")
		reason = ReasonNegativeSerial
	}
	if cnOnly {
		notes = append(notes, "the host name matched only the certificate's CN: Java, and so the server, accepts that, but browsers, Go and other modern clients want the name in a SAN: reissue it with subjectAltName DNS:"+c.Subject.CommonName)
		if reason == ReasonNone {
			reason = ReasonCNOnly
		}
	}
	return notes, reason
}

// parseFailure explains a certificate crypto/tls could not parse, which
// fails the handshake before any verification: a certificate problem, not
// a server that does not speak TLS.
func parseFailure(err error) (detail, hint string, ok bool) {
	msg := err.Error()
	if !strings.Contains(msg, "failed to parse certificate") {
		return "", "", false
	}
	if strings.Contains(msg, "negative serial number") {
		return "the server's certificate has a negative serial number, which this process refuses because GODEBUG sets x509negativeserial=0 (" + msg + ")",
			"Java, and so the server, accepts such a certificate: remove x509negativeserial=0 from GODEBUG to test as it would; better, reissue the certificate with a positive serial", true
	}
	return "the server's certificate cannot be parsed: " + msg,
		"the certificate is malformed: inspect it (openssl s_client -connect HOST:PORT | openssl x509 -text) and reissue it", true
}
