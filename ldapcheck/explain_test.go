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
	}{
		{"525", "user not found", ReasonInvalidCredentials},
		{"52e", "invalid credentials", ReasonInvalidCredentials},
		{"530", "not permitted at this time", ReasonAccountProblem},
		{"531", "not permitted from this workstation", ReasonAccountProblem},
		{"532", "password expired", ReasonAccountProblem},
		{"533", "account disabled", ReasonAccountProblem},
		{"701", "account expired", ReasonAccountProblem},
		{"773", "must change the password", ReasonAccountProblem},
		{"775", "locked out", ReasonAccountProblem},
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
	caPEM, certPEM, keyPEM, err := slapdtest.NewCertificates(names, ips, notAfter)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := slapdtest.TLSCertificate(certPEM, keyPEM)
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
