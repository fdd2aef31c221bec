package testcert

import (
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
	"time"
)

func parse(t *testing.T, b []byte) (*x509.Certificate, error) {
	t.Helper()
	block, _ := pem.Decode(b)
	if block == nil {
		t.Fatal("no PEM block")
	}
	return x509.ParseCertificate(block.Bytes)
}

// A negative serial is what Go refuses by default and accepts with GODEBUG
// x509negativeserial=1; the re-signed certificate still verifies.
func TestNegativeSerial(t *testing.T) {
	p, err := New(Options{DNSNames: []string{"dc1.corp.test"}, NotAfter: time.Now().Add(time.Hour), NegativeSerial: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parse(t, p.Cert); err == nil || !strings.Contains(err.Error(), "negative serial") {
		t.Fatalf("parsed without GODEBUG: %v", err)
	}
	t.Setenv("GODEBUG", "x509negativeserial=1")
	c, err := parse(t, p.Cert)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := parse(t, p.CA)
	if err != nil {
		t.Fatal(err)
	}
	if c.SerialNumber.Sign() >= 0 {
		t.Errorf("serial %v is not negative", c.SerialNumber)
	}
	if err := c.CheckSignatureFrom(ca); err != nil {
		t.Errorf("the CA's signature does not verify: %v", err)
	}
	if c.Subject.CommonName != "dc1.corp.test" || len(c.DNSNames) != 1 {
		t.Errorf("subject %v, SANs %v", c.Subject, c.DNSNames)
	}
}

func TestCNOnly(t *testing.T) {
	p, err := New(Options{CommonName: "ldap.corp.test", NotAfter: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	c, err := parse(t, p.Cert)
	if err != nil {
		t.Fatal(err)
	}
	if c.Subject.CommonName != "ldap.corp.test" || len(c.DNSNames)+len(c.IPAddresses) != 0 || c.SerialNumber.Sign() <= 0 {
		t.Errorf("subject %v, SANs %v %v, serial %v", c.Subject, c.DNSNames, c.IPAddresses, c.SerialNumber)
	}
}
