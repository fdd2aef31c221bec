package render

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"frontdoor/finding"
	"time"
)

// ClientCAInfo is what was read from the mTLS client-CA file
// (proxy.mtls.clientCA): the CA certificates the web server verifies client
// certificates against. LoadClientCA does the IO, CheckClientCA is pure.
type ClientCAInfo struct {
	Path  string
	Certs []*x509.Certificate // every certificate in the file, in order
	Err   error               // why the file could not be used (Certs is then nil)
}

// LoadClientCA reads and parses the client-CA file. Problems are recorded in
// the result, never returned: a missing file is normal when the wizard runs
// away from the proxy host. Run it outside the UI loop (a tea.Cmd): it reads
// the disk.
func LoadClientCA(path string) *ClientCAInfo {
	ca := &ClientCAInfo{Path: path}
	if path == "" {
		return ca
	}
	leaf, chain, err := readCertificates(path)
	if err != nil {
		ca.Err = err
		return ca
	}
	ca.Certs = append([]*x509.Certificate{leaf}, chain...)
	return ca
}

// CheckClientCA checks a loaded client-CA file the way CheckCertificates
// checks the server's: missing or unreadable here is a warning; not PEM, a
// certificate that is not a CA, or one expired or not yet valid is an error,
// since the web server would refuse to start or every client certificate.
// It says nothing when mTLS is off or ca was loaded for another path (the
// settings changed since).
func CheckClientCA(s *Settings, ca *ClientCAInfo, now time.Time) Findings {
	if ca == nil || !s.MTLS.Enabled || ca.Path == "" || ca.Path != s.MTLS.ClientCA {
		return nil
	}
	var l finding.List
	const path = "proxy.mtls.clientCA"
	if ca.Err != nil {
		if NotChecked(ca.Err) {
			fileFinding(&l, path, ca.Path, ca.Err, ": fine if it lives on the proxy host, otherwise the server will not start")
		} else {
			l.Errorf(path, "%s: %v: give the PEM file of the CA(s) that sign client certificates (a DER file converts with openssl x509 -inform der -in CA.cer -out CA.pem)", ca.Path, ca.Err)
		}
		return l.Out
	}
	for i, c := range ca.Certs {
		which := describeCert(c)
		if len(ca.Certs) > 1 {
			which = fmt.Sprintf("certificate %d (%s)", i+1, which)
		}
		switch {
		case !isCACert(c):
			l.Errorf(path, "%s holds %s, which is not a CA certificate (no CA:TRUE in its basic constraints): client certificates are verified against the CA that signed them; give that CA's certificate, not a client's or the server's own", ca.Path, which)
			continue
		case c.KeyUsage != 0 && c.KeyUsage&x509.KeyUsageCertSign == 0:
			l.Errorf(path, "%s holds %s, a CA whose key usage does not allow signing certificates (no keyCertSign): TLS libraries refuse it as an issuer; give the CA that signs client certificates", ca.Path, which)
			continue
		}
		switch left := c.NotAfter.Sub(now); {
		case left <= 0:
			l.Errorf(path, "the client CA %s in %s expired on %s: every client certificate it signed is refused; renew the CA (and reissue client certificates) or remove it from the file", which, ca.Path, c.NotAfter.UTC().Format("2006-01-02"))
		case left < 30*24*time.Hour:
			l.Warnf(path, "the client CA %s in %s expires on %s, in %d days: renew it soon, or every client certificate it signed will be refused", which, ca.Path, c.NotAfter.UTC().Format("2006-01-02"), int(left.Hours()/24))
		}
		if now.Before(c.NotBefore) {
			l.Errorf(path, "the client CA %s in %s is not valid before %s: check the clock or the certificate", which, ca.Path, c.NotBefore.UTC().Format("2006-01-02 15:04"))
		}
	}
	return l.Out
}

// isCACert reports whether c may issue certificates: CA:TRUE, or an old
// version 1 self-signed root, which has no extensions at all and which
// OpenSSL still accepts as a trust anchor.
func isCACert(c *x509.Certificate) bool {
	if c.BasicConstraintsValid {
		return c.IsCA
	}
	return c.Version < 3 && bytes.Equal(c.RawIssuer, c.RawSubject)
}
