package ldapcheck

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"frontdoor/ldapcheck/slapdtest"
	"frontdoor/ldapcheck/testcert"
)

// Active Directory puts a sub-code in the text of bind error 49; the exact
// text below is what AD sends (with its trailing NUL).
func TestBindFailureExplainsActiveDirectoryCodes(t *testing.T) {
	adError := func(code string) error {
		return &ldap.Error{ResultCode: ldap.LDAPResultInvalidCredentials,
			Err: errors.New("80090308: LdapErr: DSID-0C09042A, comment: AcceptSecurityContext error, data " + code + ", v3839\x00")}
	}
	tests := []struct {
		code, meaning string
		reason        Reason
		hint          string // part of the hint: the fix
	}{
		{"525", "user not found", ReasonNotFound, "check the username"},
		{"52e", "invalid credentials", ReasonInvalidCredentials, ""},
		{"530", "not permitted at this time", ReasonAccountProblem, "password was right, but the account cannot log in: the account's logon hours"},
		{"531", "not permitted from this workstation", ReasonAccountProblem, "password was right, but the account cannot log in: the account may log on only from"},
		{"532", "password expired", ReasonAccountProblem, "password was right, but the account cannot log in: the password has expired"},
		{"533", "account disabled", ReasonAccountProblem, "password was right, but the account cannot log in: the account is disabled"},
		{"701", "account expired", ReasonAccountProblem, "password was right, but the account cannot log in: the account's expiry date"},
		{"773", "must change the password", ReasonAccountProblem, "password was right, but the account cannot log in: the account must set a new password"},
		// Locked out is answered whatever the password: never "right".
		{"775", "locked out", ReasonAccountProblem, "says nothing about whether it was right"},
	}
	r := &runner{ctx: context.Background()}
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) {
			st := r.bindFailure(StepUserBind, "bind", adError(tc.code))
			if !strings.Contains(st.Detail, "data "+tc.code+": ") || !strings.Contains(st.Detail, tc.meaning) {
				t.Errorf("detail %q does not explain %s", st.Detail, tc.code)
			}
			if st.Reason != tc.reason {
				t.Errorf("reason %s, want %s", st.Reason, tc.reason)
			}
			if !strings.Contains(st.Hint, tc.hint) {
				t.Errorf("hint %q lacks %q", st.Hint, tc.hint)
			}
			if tc.code == "775" && (strings.Contains(st.Hint, "password was right") || strings.Contains(st.Detail, "wrong password")) {
				t.Errorf("a locked-out account claims something about the password: %q / %q", st.Detail, st.Hint)
			}
			if strings.Contains(st.Detail, "\x00") {
				t.Error("NUL left in the detail")
			}
		})
	}
}

func TestBindFailureHints(t *testing.T) {
	r := &runner{ctx: context.Background()}
	for code, want := range map[uint16]string{
		ldap.LDAPResultStrongAuthRequired:          "ldaps://",
		ldap.LDAPResultConfidentialityRequired:     "TLS",
		ldap.LDAPResultInappropriateAuthentication: "managerDn",
		ldap.LDAPResultUnwillingToPerform:          "refuses",
	} {
		st := r.bindFailure(StepManagerBind, "bind", &ldap.Error{ResultCode: code, Err: errors.New("x")})
		if !strings.Contains(st.Hint, want) {
			t.Errorf("code %d: hint %q lacks %q", code, st.Hint, want)
		}
	}
}

// tlsServer is a loopback TLS listener presenting a certificate for names,
// valid until notAfter; it only completes handshakes. It returns the URL and
// the file of the CA that signed the certificate.
func tlsServer(t *testing.T, names []string, ips []net.IP, notAfter time.Time) (url, caFile string) {
	t.Helper()
	return tlsServerWith(t, testcert.Options{DNSNames: names, IPs: ips, NotAfter: notAfter})
}

// tlsServerWith is tlsServer for any certificate testcert makes.
func tlsServerWith(t *testing.T, o testcert.Options) (url, caFile string) {
	t.Helper()
	p, err := testcert.New(o)
	if err != nil {
		t.Fatal(err)
	}
	caPEM := p.CA
	cert, err := slapdtest.TLSCertificate(p.Cert, p.Key)
	if err != nil {
		t.Fatal(err)
	}
	caFile = filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, caPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(5 * time.Second))
				c.(*tls.Conn).Handshake()
			}()
		}
	}()
	return "ldaps://" + l.Addr().String(), caFile
}

func TestRunCertificateProblems(t *testing.T) {
	tests := []struct {
		name     string
		names    []string
		ips      []net.IP
		notAfter time.Time
		reason   Reason
		hint     string
	}{
		{"certificate for another host", []string{"other.example"}, nil, time.Now().Add(time.Hour), ReasonHostnameMismatch, "not for 127.0.0.1"},
		{"expired certificate", []string{"localhost"}, []net.IP{net.IPv4(127, 0, 0, 1)}, time.Now().Add(-time.Minute), ReasonExpired, "renew"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			url, ca := tlsServer(t, tc.names, tc.ips, tc.notAfter)
			s := searchSetting(url)
			s.CAFile = ca
			res := run(t, context.Background(), s, nil, testOptions("alice", "alice-pw"))
			st, _ := res.Last(StepTLS)
			if st.Status != StatusFail || st.Reason != tc.reason || !strings.Contains(st.Hint, tc.hint) {
				t.Errorf("TLS step %+v, want reason %s and hint ~ %q", st, tc.reason, tc.hint)
			}
			if !strings.Contains(st.Detail, "issued by CN=frontdoor test CA") {
				t.Errorf("the certificate is not described: %q", st.Detail)
			}
		})
	}
}

// Certificates Java accepts and Go refuses are accepted as Java does, with
// a warning that names the flaw; a certificate problem is never "the server
// did not speak TLS".
func TestRunJavaCompatibleCertificates(t *testing.T) {
	soon := time.Now().Add(90 * 24 * time.Hour)
	tests := []struct {
		name   string
		cert   testcert.Options
		host   string // connect by this name instead of 127.0.0.1
		status Status
		reason Reason
		detail string
		hint   string
	}{
		{"negative serial", testcert.Options{DNSNames: []string{"localhost"}, IPs: []net.IP{net.IPv4(127, 0, 0, 1)}, NotAfter: soon, NegativeSerial: true},
			"", StatusWarn, ReasonNegativeSerial, "verified", "negative serial number"},
		{"host matched by the CN only", testcert.Options{CommonName: "localhost", NotAfter: soon},
			"localhost", StatusWarn, ReasonCNOnly, "verified as Java does (host name matched by the CN)", "subjectAltName DNS:localhost"},
		// Java matches an IP address against IP SANs only, never the CN.
		{"an IP address against a CN", testcert.Options{CommonName: "127.0.0.1", NotAfter: soon},
			"", StatusFail, ReasonHostnameMismatch, "certificate not trusted", "only the CN 127.0.0.1 (no SANs)"},
		{"a CN for another host", testcert.Options{CommonName: "ldap.other.example", NotAfter: soon},
			"localhost", StatusFail, ReasonHostnameMismatch, "certificate not trusted", "it names only the CN ldap.other.example (no SANs)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			url, ca := tlsServerWith(t, tc.cert)
			if tc.host != "" {
				url = strings.Replace(url, "127.0.0.1", tc.host, 1)
			}
			s := searchSetting(url)
			s.CAFile = ca
			res := run(t, context.Background(), s, nil, testOptions("alice", "alice-pw"))
			st, _ := res.Last(StepTLS)
			if st.Status != tc.status || st.Reason != tc.reason || !strings.Contains(st.Detail, tc.detail) || !strings.Contains(st.Hint, tc.hint) {
				t.Errorf("TLS step %s/%s %q hint %q; want %s/%s ~ %q, hint ~ %q", st.Status, st.Reason, st.Detail, st.Hint, tc.status, tc.reason, tc.detail, tc.hint)
			}
		})
	}
}

// With x509negativeserial=0 in GODEBUG (the user's choice, which frontdoor
// keeps), the handshake fails: the step names the certificate, not TLS.
func TestRunNegativeSerialRefusedByGODEBUG(t *testing.T) {
	url, ca := tlsServerWith(t, testcert.Options{DNSNames: []string{"localhost"}, IPs: []net.IP{net.IPv4(127, 0, 0, 1)},
		NotAfter: time.Now().Add(time.Hour), NegativeSerial: true})
	t.Setenv("GODEBUG", "x509negativeserial=0")
	s := searchSetting(url)
	s.CAFile = ca
	res := run(t, context.Background(), s, nil, testOptions("alice", "alice-pw"))
	st, _ := res.Last(StepTLS)
	if st.Status != StatusFail || st.Reason != ReasonBadCertificate || !strings.Contains(st.Detail, "negative serial number") ||
		!strings.Contains(st.Hint, "Java") || strings.Contains(st.Hint, "did not speak TLS") {
		t.Errorf("TLS step %+v", st)
	}
}

func TestAcceptNegativeSerialsKeepsTheUsersChoice(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "x509negativeserial=1"},
		{"http2client=0", "http2client=0,x509negativeserial=1"},
		{"x509negativeserial=0", "x509negativeserial=0"},
		{"a=1, x509negativeserial=0", "a=1, x509negativeserial=0"},
	} {
		if got := withNegativeSerials(tc.in); got != tc.want {
			t.Errorf("withNegativeSerials(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
