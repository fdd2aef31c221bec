// Package testcert makes the certificates frontdoor's LDAP tests serve: a
// fresh CA and a server certificate it signed, generated at run time so that
// nothing secret is ever committed. Besides well-formed certificates it makes
// the two kinds domain controllers often serve and Java accepts while Go
// refuses: a negative serial number (Samba's self-made certificate has one
// about half the time) and a subject CN without SANs. Only tests import it.
package testcert

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Options describe the server certificate.
type Options struct {
	CommonName string   // subject CN; the first DNS name when empty
	DNSNames   []string // SANs
	IPs        []net.IP // SANs
	NotAfter   time.Time
	// NegativeSerial gives the server certificate a negative serial number,
	// which RFC 5280 forbids, Go refuses since 1.23 and Java accepts.
	NegativeSerial bool
}

// PEM blocks of a CA, the server certificate it signed, and the server key.
type PEM struct {
	CA, Cert, Key []byte
}

// New returns a fresh CA and a server certificate for o.
func New(o Options) (PEM, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return PEM{}, err
	}
	now := time.Now().Add(-time.Hour)
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "frontdoor test CA"},
		NotBefore:             now,
		NotAfter:              o.NotAfter,
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return PEM{}, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return PEM{}, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return PEM{}, err
	}
	cn := o.CommonName
	if cn == "" && len(o.DNSNames) > 0 {
		cn = o.DNSNames[0]
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(0x1f00af795),
		Subject:      pkix.Name{CommonName: cn},
		DNSNames:     o.DNSNames,
		IPAddresses:  o.IPs,
		NotBefore:    now,
		NotAfter:     o.NotAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return PEM{}, err
	}
	if o.NegativeSerial {
		if der, err = negateSerial(der, caKey); err != nil {
			return PEM{}, err
		}
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return PEM{}, err
	}
	return PEM{
		CA:   pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		Cert: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		Key:  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
	}, nil
}

// negateSerial re-signs the certificate der with its serial number negated:
// x509.CreateCertificate refuses to make such a certificate, so the
// to-be-signed part is rebuilt by hand and signed again by the CA.
func negateSerial(der []byte, caKey *ecdsa.PrivateKey) ([]byte, error) {
	input := cryptobyte.String(der)
	var cert, tbs, sigAlg cryptobyte.String
	if !input.ReadASN1(&cert, cbasn1.SEQUENCE) ||
		!cert.ReadASN1(&tbs, cbasn1.SEQUENCE) ||
		!cert.ReadASN1Element(&sigAlg, cbasn1.SEQUENCE) {
		return nil, errors.New("testcert: malformed certificate")
	}
	var version cryptobyte.String
	versionTag := cbasn1.Tag(0).Constructed().ContextSpecific()
	hasVersion := tbs.PeekASN1Tag(versionTag)
	if hasVersion && !tbs.ReadASN1Element(&version, versionTag) {
		return nil, errors.New("testcert: malformed version")
	}
	serial := new(big.Int)
	if !tbs.ReadASN1Integer(serial) {
		return nil, errors.New("testcert: malformed serial")
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		if hasVersion {
			b.AddBytes(version)
		}
		b.AddASN1BigInt(new(big.Int).Neg(serial))
		b.AddBytes(tbs) // the rest of the to-be-signed part, unchanged
	})
	newTBS, err := b.Bytes()
	if err != nil {
		return nil, err
	}
	digest := sha256.Sum256(newTBS)
	sig, err := caKey.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		return nil, err
	}
	var out cryptobyte.Builder
	out.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(newTBS)
		b.AddBytes(sigAlg) // ecdsa-with-SHA256, as CreateCertificate chose
		b.AddASN1BitString(sig)
	})
	return out.Bytes()
}
