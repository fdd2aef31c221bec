package servertest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// CertSpec describes a certificate to issue. Zero values give a server
// certificate valid from an hour ago for 90 days, with an ECDSA P-256 key.
type CertSpec struct {
	CommonName  string
	DNSNames    []string // may hold wildcards, e.g. "*.artifactory.example.com"
	IPAddresses []net.IP
	NotBefore   time.Time // zero: an hour ago (tolerates clock skew)
	NotAfter    time.Time // zero: NotBefore + 90 days
	RSA         bool      // RSA 2048 instead of ECDSA P-256
	Client      bool      // a client certificate (mTLS) instead of a server one
}

// KeyPair is an issued certificate, its key, and the PEM files they were
// written to (certificate and key in separate files, as web servers want).
type KeyPair struct {
	Cert     *x509.Certificate
	Key      crypto.Signer
	CertPath string // the leaf alone; the CA is the trust anchor, not part of the chain
	KeyPath  string // PKCS#8, mode 0600
}

// CombinedPath writes the certificate followed by its key into one PEM file
// beside CertPath (what HAProxy's `bind ... ssl crt FILE` reads), mode
// 0600, and returns its path. Calling it again rewrites the same file.
func (kp *KeyPair) CombinedPath(t testing.TB) string {
	t.Helper()
	cert, err := os.ReadFile(kp.CertPath)
	if err != nil {
		t.Fatal(err)
	}
	key, err := os.ReadFile(kp.KeyPath)
	if err != nil {
		t.Fatal(err)
	}
	path := strings.TrimSuffix(kp.CertPath, ".pem") + ".combined.pem"
	if err := os.WriteFile(path, append(cert, key...), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TLSCertificate is the pair for crypto/tls, e.g. a client certificate for mTLS.
func (kp *KeyPair) TLSCertificate() tls.Certificate {
	return tls.Certificate{Certificate: [][]byte{kp.Cert.Raw}, PrivateKey: kp.Key, Leaf: kp.Cert}
}

// CA is a certificate authority made for one test.
type CA struct {
	Cert *x509.Certificate
	Key  crypto.Signer
	Path string // PEM file of the CA certificate: what proxy.mtls.clientCA points at
}

// Pool returns a pool trusting only this CA, for test clients.
func (ca *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.Cert)
	return p
}

// NewCA creates a self-signed CA and writes its certificate to dir/name.pem
// (dir "" means a fresh TempDir).
func NewCA(t testing.TB, dir, name string) *CA {
	t.Helper()
	return NewCAWithSpec(t, dir, name, CertSpec{})
}

// NewCAWithSpec is NewCA with a chosen validity period (spec.NotBefore and
// NotAfter; zero: from an hour ago for 5 years) and key type; the other
// fields of spec are ignored.
func NewCAWithSpec(t testing.TB, dir, name string, spec CertSpec) *CA {
	t.Helper()
	if dir == "" {
		dir = TempDir(t)
	}
	key := newKey(t, spec.RSA)
	notBefore, notAfter := spec.NotBefore, spec.NotAfter
	if notBefore.IsZero() {
		notBefore = time.Now().Add(-time.Hour)
	}
	if notAfter.IsZero() {
		notAfter = notBefore.Add(5 * 365 * 24 * time.Hour)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(t),
		Subject:               pkix.Name{CommonName: name + " test CA", Organization: []string{"frontdoor tests"}},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatalf("creating CA certificate: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name+".pem")
	writePEM(t, path, 0o644, "CERTIFICATE", der)
	return &CA{Cert: cert, Key: key, Path: path}
}

// Issue signs a certificate for spec and writes dir/name.pem and dir/name.key.
func (ca *CA) Issue(t testing.TB, dir, name string, spec CertSpec) *KeyPair {
	t.Helper()
	if dir == "" {
		dir = TempDir(t)
	}
	key := newKey(t, spec.RSA)
	notBefore := spec.NotBefore
	if notBefore.IsZero() {
		notBefore = time.Now().Add(-time.Hour)
	}
	notAfter := spec.NotAfter
	if notAfter.IsZero() {
		notAfter = notBefore.Add(90 * 24 * time.Hour)
	}
	usage := x509.ExtKeyUsageServerAuth
	if spec.Client {
		usage = x509.ExtKeyUsageClientAuth
	}
	keyUsage := x509.KeyUsageDigitalSignature
	if spec.RSA {
		keyUsage |= x509.KeyUsageKeyEncipherment // RSA key exchange in TLS 1.2
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(t),
		Subject:      pkix.Name{CommonName: spec.CommonName},
		DNSNames:     spec.DNSNames,
		IPAddresses:  spec.IPAddresses,
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     keyUsage,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, key.Public(), ca.Key)
	if err != nil {
		t.Fatalf("issuing %s: %v", name, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	kp := &KeyPair{Cert: cert, Key: key, CertPath: filepath.Join(dir, name+".pem"), KeyPath: filepath.Join(dir, name+".key")}
	writePEM(t, kp.CertPath, 0o644, "CERTIFICATE", der)
	WriteKey(t, kp.KeyPath, key)
	return kp
}

// NewKeyFile writes a fresh private key that belongs to no certificate to
// path and returns it: the "key does not match the certificate" case.
func NewKeyFile(t testing.TB, path string, useRSA bool) crypto.Signer {
	t.Helper()
	key := newKey(t, useRSA)
	WriteKey(t, path, key)
	return key
}

// WriteKey writes key to path as an unencrypted PKCS#8 PEM file, mode 0600.
func WriteKey(t testing.TB, path string, key crypto.Signer) {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatalf("encoding key: %v", err)
	}
	writePEM(t, path, 0o600, "PRIVATE KEY", der)
}

// TLSFiles is what HTTPS and mTLS settings point at, in one temp dir: a CA
// (its file doubles as the mTLS client CA) and a server certificate it signed.
type TLSFiles struct {
	Dir    string
	CA     *CA
	Server *KeyPair
}

// NewTLSFiles issues a server certificate for serverName, *.serverName (the
// Docker subdomain method), localhost, 127.0.0.1 and ::1, so the same files
// serve render's checks and loopback end-to-end tests.
func NewTLSFiles(t testing.TB, serverName string) *TLSFiles {
	t.Helper()
	dir := TempDir(t)
	ca := NewCA(t, dir, "ca")
	server := ca.Issue(t, dir, "server", CertSpec{
		CommonName:  serverName,
		DNSNames:    []string{serverName, "*." + serverName, "localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	})
	return &TLSFiles{Dir: dir, CA: ca, Server: server}
}

// ClientCert issues a client certificate for mTLS, signed by the CA.
func (f *TLSFiles) ClientCert(t testing.TB, commonName string) *KeyPair {
	t.Helper()
	return f.CA.Issue(t, f.Dir, "client-"+commonName, CertSpec{CommonName: commonName, Client: true})
}

func newKey(t testing.TB, useRSA bool) crypto.Signer {
	t.Helper()
	var (
		key crypto.Signer
		err error
	)
	if useRSA {
		key, err = rsa.GenerateKey(rand.Reader, 2048)
	} else {
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		t.Fatalf("generating key: %v", err)
	}
	return key
}

func serial(t testing.TB) *big.Int {
	t.Helper()
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func writePEM(t testing.TB, path string, mode os.FileMode, blockType string, der []byte) {
	t.Helper()
	data := pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der})
	if err := os.WriteFile(path, data, mode); err != nil {
		t.Fatalf("writing %s: %v", path, err)
	}
}
