package render

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"frontdoor/finding"
	"frontdoor/internal/safefile"
	"net"
	"os"
	"strings"
	"time"
)

// CertInfo is what was read from the HTTPS certificate and key files. It is
// loaded once (LoadCertificates does the IO) and then checked against the
// settings as often as needed (CheckCertificates is pure).
type CertInfo struct {
	CertPath, KeyPath string
	Leaf              *x509.Certificate   // nil when the file could not be used
	Chain             []*x509.Certificate // certificates after the leaf
	CertErr           error               // why Leaf is nil
	KeyErr            error               // why the key could not be read
	KeyLoaded         bool
	KeyMatches        bool // the private key belongs to Leaf

	// ClientCA is the mTLS client-CA file, when LoadFiles read it (nil
	// from LoadCertificates); CheckCertificates checks it too.
	ClientCA *ClientCAInfo

	// dnsNames is Leaf's DNS names, lower-cased, so Covers answers in a map
	// lookup: the wizard asks for every Docker subdomain on every keystroke.
	dnsNames map[string]bool
}

// LoadCertificates reads and parses the certificate and key files. Problems
// are recorded in the result, never returned: a missing file is normal when
// the wizard runs away from the proxy host.
func LoadCertificates(certPath, keyPath string) *CertInfo {
	ci := &CertInfo{CertPath: certPath, KeyPath: keyPath}
	if certPath != "" {
		ci.Leaf, ci.Chain, ci.CertErr = readCertificates(certPath)
		if ci.Leaf != nil {
			ci.dnsNames = make(map[string]bool, len(ci.Leaf.DNSNames))
			for _, n := range ci.Leaf.DNSNames {
				ci.dnsNames[strings.ToLower(n)] = true
			}
		}
	}
	if keyPath != "" {
		key, err := readPrivateKey(keyPath)
		ci.KeyErr = err
		ci.KeyLoaded = err == nil
		if err == nil && ci.Leaf != nil {
			ci.KeyMatches = publicKeysEqual(key.Public(), ci.Leaf.PublicKey)
		}
	}
	return ci
}

// maxPEMFile bounds what is read of a certificate, key or CA file: a bundle
// of every public root is about 200 KiB.
const maxPEMFile = 4 << 20

// readPEMFile reads a regular file of at most maxPEMFile bytes
// (safefile.Read). A device, a FIFO or a directory is refused without
// blocking on it (/dev/zero would never end, a FIFO would wait for a writer).
func readPEMFile(path string) ([]byte, error) {
	data, _, err := safefile.Read(path, maxPEMFile)
	var notRegular *safefile.NotRegularError
	var large *safefile.TooLargeError
	switch {
	case errors.As(err, &notRegular):
		return nil, fmt.Errorf("not a regular file (%s): give the PEM file itself", fileKind(notRegular.Mode))
	case errors.As(err, &large) && large.Grew:
		return nil, fmt.Errorf("too large for a PEM file (at most %d MiB)", maxPEMFile>>20)
	case errors.As(err, &large):
		return nil, fmt.Errorf("%d bytes is too large for a PEM file (at most %d MiB)", large.Size, maxPEMFile>>20)
	}
	return data, err
}

func fileKind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a FIFO"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	}
	return "not a plain file"
}

func readCertificates(path string) (*x509.Certificate, []*x509.Certificate, error) {
	data, err := readPEMFile(path)
	if err != nil {
		return nil, nil, err
	}
	var certs []*x509.Certificate
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, nil, fmt.Errorf("certificate %d in the file does not parse: %w", len(certs)+1, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, nil, errors.New("no PEM certificate in the file (expected -----BEGIN CERTIFICATE-----)")
	}
	return certs[0], certs[1:], nil
}

func readPrivateKey(path string) (crypto.Signer, error) {
	data, err := readPEMFile(path)
	if err != nil {
		return nil, err
	}
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil, errors.New("no PEM private key in the file (expected -----BEGIN ... PRIVATE KEY-----)")
		}
		if !strings.HasSuffix(block.Type, "PRIVATE KEY") {
			continue
		}
		if strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED") || block.Type == "ENCRYPTED PRIVATE KEY" {
			return nil, errors.New("the private key is encrypted: the web server would ask for a passphrase at every start; decrypt it (openssl pkey -in KEY -out KEY.plain)")
		}
		var key any
		var err error
		switch block.Type {
		case "RSA PRIVATE KEY":
			key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
		case "EC PRIVATE KEY":
			key, err = x509.ParseECPrivateKey(block.Bytes)
		default:
			key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
		}
		if err != nil {
			return nil, fmt.Errorf("the private key does not parse: %w", err)
		}
		signer, ok := key.(crypto.Signer)
		if !ok {
			return nil, errors.New("unsupported private key type")
		}
		return signer, nil
	}
}

func publicKeysEqual(a, b crypto.PublicKey) bool {
	ka, err1 := x509.MarshalPKIXPublicKey(a)
	kb, err2 := x509.MarshalPKIXPublicKey(b)
	return err1 == nil && err2 == nil && bytes.Equal(ka, kb)
}

// Covers reports whether the certificate is valid for host, with the usual
// wildcard rule: *.example.com covers a.example.com, not a.b.example.com.
func (ci *CertInfo) Covers(host string) bool {
	if ci == nil || ci.Leaf == nil {
		return false
	}
	ascii, upper := asciiCase(host)
	if ci.dnsNames == nil || !ascii || mayBeIP(host) && net.ParseIP(strings.Trim(host, "[]")) != nil {
		return ci.Leaf.VerifyHostname(host) == nil
	}
	// The same answer as x509's VerifyHostname for DNS names, without its
	// per-call parsing: an exact name, or a wildcard for the first label.
	h := strings.TrimSuffix(host, ".")
	if upper {
		h = strings.ToLower(h)
	}
	if ci.dnsNames[h] {
		return true
	}
	i := strings.IndexByte(h, '.')
	return i > 0 && ci.dnsNames["*"+h[i:]]
}

// mayBeIP reports whether host could parse as an IP address (brackets
// trimmed): hex digits, dots and colons only. A host name nearly always has
// another letter, which spares the parse: the wizard asks Covers for every
// Docker subdomain after every keystroke.
func mayBeIP(host string) bool {
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.' || c == ':' || c == '[' || c == ']') {
			return false
		}
	}
	return true
}

// asciiCase reports whether s is ASCII, and whether it has upper case.
func asciiCase(s string) (ascii, upper bool) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x80:
			return false, upper
		case c >= 'A' && c <= 'Z':
			upper = true
		}
	}
	return true, upper
}

// Names lists the DNS names and IP addresses the certificate is valid for.
func (ci *CertInfo) Names() []string {
	if ci == nil || ci.Leaf == nil {
		return nil
	}
	names := append([]string(nil), ci.Leaf.DNSNames...)
	for _, ip := range ci.Leaf.IPAddresses {
		names = append(names, ip.String())
	}
	return names
}

// DockerHosts lists the host names Docker clients use for the subdomain method.
func DockerHosts(s *Settings) []string {
	if s.Docker.Method != DockerSubdomain {
		return nil
	}
	hosts := make([]string, 0, len(s.Docker.Repositories))
	for _, r := range s.Docker.Repositories {
		hosts = append(hosts, r.Key+"."+s.ServerName)
	}
	return hosts
}

// NotChecked reports whether a certificate or key file problem only means the
// file could not be read here (missing, or not readable by this user): a
// warning, since it may live on the proxy host. Any other problem (not PEM,
// an encrypted key) makes the file unusable for the web server: an error.
func NotChecked(err error) bool {
	return errors.Is(err, os.ErrNotExist) || errors.Is(err, os.ErrPermission)
}

// fileFinding reports why a certificate or key file could not be used
// (nothing when err is nil), rated by NotChecked.
func fileFinding(l *finding.List, path, file string, err error, missingNote string) {
	switch {
	case err == nil:
	case errors.Is(err, os.ErrNotExist):
		l.Warnf(path, "%s does not exist here, so it was not checked%s", file, missingNote)
	case NotChecked(err):
		l.Warnf(path, "%s is not readable by this user, so it was not checked (run as root to check it)", file)
	default:
		l.Errorf(path, "%s: %v", file, err)
	}
}

// CheckCertificates checks loaded certificate files against the settings:
// parse errors, key match, expiry, and that the server name and every Docker
// subdomain are covered. now is passed in so results are reproducible.
func CheckCertificates(s *Settings, ci *CertInfo, now time.Time) Findings {
	if ci == nil || !s.HTTPS.Enabled {
		return nil
	}
	var l finding.List
	checkServerCert(&l, s, ci, now)
	return append(l.Out, CheckClientCA(s, ci.ClientCA, now)...)
}

// checkServerCert checks the server's certificate and key files.
func checkServerCert(l *finding.List, s *Settings, ci *CertInfo, now time.Time) {
	if ci.CertPath == "" && ci.KeyPath == "" {
		return // LoadFiles read only the client CA
	}
	const certPath, keyPath = "proxy.https.certificate", "proxy.https.key"
	fileFinding(l, certPath, ci.CertPath, ci.CertErr, ": fine if it lives on the proxy host, otherwise the server will not start")
	// A chain file that starts with a CA certificate is in the wrong order:
	// nginx and Apache take the first certificate as the server's, so the
	// key and the names would be checked against the CA. Say that alone.
	if server := ci.serverCertAfterCA(); server != nil {
		l.Errorf(certPath, "%s starts with a CA certificate (%s), but the web server takes the first certificate in the file as its own: put the server's certificate (%s) first, then the chain",
			ci.CertPath, describeCert(ci.Leaf), describeCert(server))
		if ci.KeyErr != nil && !NotChecked(ci.KeyErr) {
			l.Errorf(keyPath, "%s: %v", ci.KeyPath, ci.KeyErr)
		}
		return
	}
	fileFinding(l, keyPath, ci.KeyPath, ci.KeyErr, "")
	if ci.KeyErr == nil && ci.KeyLoaded && ci.Leaf != nil && !ci.KeyMatches {
		l.Errorf(keyPath, "this key does not belong to the certificate %s: pick the key the certificate was issued for", ci.CertPath)
	}
	if ci.Leaf == nil {
		return
	}
	leaf := ci.Leaf
	switch left := leaf.NotAfter.Sub(now); {
	case left <= 0:
		l.Errorf(certPath, "the certificate expired on %s: renew it", leaf.NotAfter.UTC().Format("2006-01-02"))
	case left < 30*24*time.Hour:
		l.Warnf(certPath, "the certificate expires on %s, in %d days: renew it soon", leaf.NotAfter.UTC().Format("2006-01-02"), int(left.Hours()/24))
	}
	if now.Before(leaf.NotBefore) {
		l.Errorf(certPath, "the certificate is not valid before %s: check the clock or the certificate", leaf.NotBefore.UTC().Format("2006-01-02 15:04"))
	}
	if s.ServerName != "" && !ci.Covers(s.ServerName) {
		l.Errorf(certPath, "the certificate does not cover %s (it covers %s): get one that names the server", s.ServerName, namesOrNone(ci))
	}
	for i, r := range s.Docker.Repositories {
		if s.Docker.Method != DockerSubdomain || s.ServerName == "" {
			break
		}
		if !subdomainKeyOK(r.Key) {
			continue // Validate says what is wrong with the key, once
		}
		host := r.Key + "." + s.ServerName
		if !ci.Covers(host) {
			l.Errorf(fmt.Sprintf("proxy.docker.repositories[%d].key", i),
				"the certificate does not cover %s (it covers %s): the subdomain method needs a wildcard *.%s", host, namesOrNone(ci), s.ServerName)
		}
	}
}

// serverCertAfterCA returns the first non-CA certificate of a file that
// starts with a CA certificate, or nil when the order is right. A lone
// self-signed server certificate marked CA:TRUE (openssl req -x509 makes
// those) is not a wrong order.
func (ci *CertInfo) serverCertAfterCA() *x509.Certificate {
	if ci == nil || ci.Leaf == nil || !ci.Leaf.IsCA {
		return nil
	}
	for _, c := range ci.Chain {
		if !c.IsCA {
			return c
		}
	}
	return nil
}

// describeCert names a certificate the way people recognise it: its common
// name, else its first DNS name, else its whole subject.
func describeCert(c *x509.Certificate) string {
	switch {
	case c.Subject.CommonName != "":
		return "CN=" + c.Subject.CommonName
	case len(c.DNSNames) > 0:
		return c.DNSNames[0]
	}
	return c.Subject.String()
}

func namesOrNone(ci *CertInfo) string {
	names := ci.Names()
	if len(names) == 0 {
		return "no DNS names"
	}
	if len(names) > 4 {
		return strings.Join(names[:4], ", ") + fmt.Sprintf(" and %d more", len(names)-4)
	}
	return strings.Join(names, ", ")
}

// LoadFiles reads every file the settings name that Validate does not
// reject: the HTTPS certificate and key when HTTPS is on, and the client CA
// when mTLS is on too. A file whose path is wrong, or not needed, is left
// unread (its path empty in the result); nil when nothing is to be read.
// It does IO: the wizard runs it in a tea.Cmd, then CheckCertificates.
func LoadFiles(s *Settings) *CertInfo {
	if !s.HTTPS.Enabled || !certificateFiles(s) {
		return nil
	}
	usable := func(p string) string {
		if p == "" || pathProblem(p) != "" {
			return ""
		}
		return p
	}
	cert, key := usable(s.HTTPS.Certificate), usable(s.HTTPS.Key)
	var ci *CertInfo
	if cert != "" && key != "" {
		ci = LoadCertificates(cert, key)
	}
	if ca := usable(s.MTLS.ClientCA); s.MTLS.Enabled && ca != "" {
		if ci == nil {
			ci = &CertInfo{}
		}
		ci.ClientCA = LoadClientCA(ca)
	}
	return ci
}

// ValidateWithFiles runs Validate and then reads and checks the files the
// settings name (CheckTemplates, LoadFiles, CheckCertificates). It is what the commands use;
// the wizard loads the files in the background and calls CheckCertificates
// itself.
func ValidateWithFiles(s *Settings, now time.Time) (Findings, *CertInfo) {
	fs := Validate(s)
	fs = append(fs, CheckTemplates(s, fs)...)
	ci := LoadFiles(s)
	if ci == nil {
		return fs, nil
	}
	return append(fs, CheckCertificates(s, ci, now)...), ci
}
