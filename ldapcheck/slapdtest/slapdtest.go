// Package slapdtest starts a real OpenLDAP slapd for tests: a temp
// directory, loopback high ports, plain LDAP (with StartTLS) and LDAPS, with
// a CA and server certificate generated in Go at start (nothing secret is
// ever committed). Only tests and benchmarks import it.
package slapdtest

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"frontdoor/ldapcheck/testcert"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// Where Debian's slapd package installs its programs.
const (
	SlapdPath   = "/usr/sbin/slapd"
	SlapaddPath = "/usr/sbin/slapadd"
)

// Fixed identities of the test directory.
const (
	BaseDN       = "dc=example,dc=com"
	RootDN       = "cn=admin,dc=example,dc=com"
	RootPassword = "secret" // test-only directory, not a real secret
)

// Available reports whether slapd and slapadd are installed.
func Available() error {
	for _, p := range []string{SlapdPath, SlapaddPath} {
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("%s not found (Debian package slapd): %w", p, err)
		}
	}
	return nil
}

// Config says what to load.
type Config struct {
	// LDIF files loaded with slapadd before the server starts.
	LDIF []string
	// RuntimeLDIF files added over LDAP as the root DN once the server runs,
	// so that overlays such as memberof see them (slapadd bypasses overlays).
	RuntimeLDIF []string
	// Conf lines added to the database section, e.g. limits for a
	// benchmark's manager.
	Conf []string
}

// Server is a running slapd.
type Server struct {
	Dir      string // temp dir with slapd.conf, data, certificates
	Port     int    // plain LDAP, StartTLS available
	TLSPort  int    // LDAPS
	URL      string // ldap://127.0.0.1:Port
	LDAPSURL string // ldaps://127.0.0.1:TLSPort
	CAFile   string // PEM of the CA that signed the server certificate
	CAPEM    []byte

	cmd    *exec.Cmd
	stderr *lockedBuffer
	waited chan error
}

const confTemplate = `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
moduleload ppolicy
pidfile {{DIR}}/slapd.pid
argsfile {{DIR}}/slapd.args
TLSCertificateFile {{DIR}}/server.crt
TLSCertificateKeyFile {{DIR}}/server.key
database mdb
maxsize 268435456
directory {{DIR}}/data
suffix "dc=example,dc=com"
rootdn "cn=admin,dc=example,dc=com"
rootpw secret
# cn=limited's searches are cut at one entry. ou=hidden is invisible to
# bound users but its own (no such object) and refused to anonymous searches
# (insufficient access, as "auth" lets anonymous see that it exists).
limits dn.exact="cn=limited,dc=example,dc=com" size=1
# Under ou=nopassword (its own LDIF) the manager may read passwords, as an
# administrator would: the test tells an entry without one from a wrong one.
access to dn.subtree="ou=nopassword,dc=example,dc=com" attrs=userPassword by dn.exact="cn=reader,dc=example,dc=com" read by anonymous auth by self write by * none
access to attrs=userPassword by anonymous auth by self write by * none
access to dn.subtree="ou=hidden,dc=example,dc=com" by self read by anonymous auth by * none
access to * by * read
{{CONF}}
overlay memberof
memberof-group-oc groupOfNames
memberof-member-ad member
memberof-memberof-ad memberOf
# Password policies (lockout after wrong passwords) apply to the entries
# that name one in pwdPolicySubentry: there is no default policy.
overlay ppolicy
`

// Start creates the directory, loads the fixtures and starts slapd. Stop it
// with Stop. Ports are picked free on 127.0.0.1; a start that loses the race
// for a port is retried.
func Start(cfg Config) (*Server, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		s, err := start(cfg)
		if err == nil {
			return s, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

func start(cfg Config) (s *Server, err error) {
	dir, err := os.MkdirTemp("", "frontdoor-slapd-")
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	s = &Server{Dir: dir, stderr: &lockedBuffer{}}
	if err := os.Mkdir(filepath.Join(dir, "data"), 0o700); err != nil {
		return nil, err
	}
	if err := s.writeCertificates(); err != nil {
		return nil, err
	}
	conf := filepath.Join(dir, "slapd.conf")
	text := strings.ReplaceAll(confTemplate, "{{DIR}}", dir)
	text = strings.ReplaceAll(text, "{{CONF}}", strings.Join(cfg.Conf, "\n"))
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		return nil, err
	}
	for _, l := range cfg.LDIF {
		if out, err := exec.Command(SlapaddPath, "-f", conf, "-l", l).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("slapadd %s: %v\n%s", l, err, out)
		}
	}
	if s.Port, err = freePort(); err != nil {
		return nil, err
	}
	if s.TLSPort, err = freePort(); err != nil {
		return nil, err
	}
	s.URL = fmt.Sprintf("ldap://127.0.0.1:%d", s.Port)
	s.LDAPSURL = fmt.Sprintf("ldaps://127.0.0.1:%d", s.TLSPort)
	// -d 0 keeps slapd in the foreground, so it dies with its process handle.
	s.cmd = exec.Command(SlapdPath, "-f", conf, "-h", s.URL+"/ "+s.LDAPSURL+"/", "-d", "0")
	s.cmd.Stderr = s.stderr
	// A test binary that dies without Stop (a panic) takes slapd with it.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	s.waited = make(chan error, 1)
	go func() { s.waited <- s.cmd.Wait() }()
	if err := s.waitReady(10 * time.Second); err != nil {
		s.Stop()
		return nil, err
	}
	for _, l := range cfg.RuntimeLDIF {
		if err := s.AddLDIF(l); err != nil {
			s.Stop()
			return nil, err
		}
	}
	return s, nil
}

func (s *Server) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		select {
		case err := <-s.waited:
			s.waited <- err
			return fmt.Errorf("slapd exited: %v\n%s", err, s.stderr.String())
		default:
		}
		c, err := ldap.DialURL(s.URL, ldap.DialWithDialer(&net.Dialer{Timeout: time.Second}))
		if err == nil {
			c.SetTimeout(time.Second)
			_, err = c.Search(ldap.NewSearchRequest("", ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, false, "(objectClass=*)", []string{"1.1"}, nil))
			c.Close()
			if err == nil {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("slapd did not answer within %s: %v\n%s", limit, err, s.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop ends slapd and removes its directory.
func (s *Server) Stop() error {
	if s == nil {
		return nil
	}
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(os.Interrupt)
		select {
		case <-s.waited:
		case <-time.After(5 * time.Second):
			s.cmd.Process.Kill()
			<-s.waited
		}
	}
	return os.RemoveAll(s.Dir)
}

// Log returns what slapd wrote to stderr, for failing tests.
func (s *Server) Log() string { return s.stderr.String() }

// Conn opens an LDAP connection bound as the root DN, for test setup.
func (s *Server) Conn() (*ldap.Conn, error) {
	c, err := ldap.DialURL(s.URL, ldap.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}))
	if err != nil {
		return nil, err
	}
	c.SetTimeout(5 * time.Second)
	if err := c.Bind(RootDN, RootPassword); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// AddLDIF adds every entry of an LDIF file (dn + attributes; no changetype)
// as the root DN.
func (s *Server) AddLDIF(path string) error {
	entries, err := ReadLDIF(path)
	if err != nil {
		return err
	}
	c, err := s.Conn()
	if err != nil {
		return err
	}
	defer c.Close()
	for _, e := range entries {
		req := ldap.NewAddRequest(e.DN, nil)
		for _, a := range e.Attributes {
			req.Attribute(a.Name, a.Values)
		}
		if err := c.Add(req); err != nil {
			return fmt.Errorf("adding %s: %w", e.DN, err)
		}
	}
	return nil
}

// ReadLDIF parses the subset of LDIF the fixtures use: comments, folded
// lines, "attr: value" and base64 "attr:: value".
func ReadLDIF(path string) ([]*ldap.Entry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		switch {
		case strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, " ") && len(lines) > 0 && lines[len(lines)-1] != "":
			lines[len(lines)-1] += line[1:]
		default:
			lines = append(lines, line)
		}
	}
	var entries []*ldap.Entry
	var cur *ldap.Entry
	for _, line := range append(lines, "") {
		if line == "" {
			if cur != nil {
				entries = append(entries, cur)
				cur = nil
			}
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("%s: bad line %q", path, line)
		}
		if strings.HasPrefix(value, ":") {
			raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(value[1:]))
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", path, name, err)
			}
			value = string(raw)
		} else {
			value = strings.TrimPrefix(value, " ")
		}
		if cur == nil {
			if !strings.EqualFold(name, "dn") {
				return nil, fmt.Errorf("%s: entry starts with %q, not dn", path, name)
			}
			cur = &ldap.Entry{DN: value}
			continue
		}
		added := false
		for _, a := range cur.Attributes {
			if strings.EqualFold(a.Name, name) {
				a.Values = append(a.Values, value)
				added = true
			}
		}
		if !added {
			cur.Attributes = append(cur.Attributes, ldap.NewEntryAttribute(name, []string{value}))
		}
	}
	return entries, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// writeCertificates makes a CA and a server certificate for localhost,
// 127.0.0.1 and ::1, valid for 90 days. The key stays in the temp dir (0600).
func (s *Server) writeCertificates() error {
	caPEM, certPEM, keyPEM, err := NewCertificates([]string{"localhost"}, []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}, time.Now().Add(90*24*time.Hour))
	if err != nil {
		return err
	}
	s.CAPEM = caPEM
	s.CAFile = filepath.Join(s.Dir, "ca.crt")
	for name, data := range map[string][]byte{"ca.crt": caPEM, "server.crt": certPEM, "server.key": keyPEM} {
		if err := os.WriteFile(filepath.Join(s.Dir, name), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// NewCertificates returns PEM blocks of a fresh CA, a server certificate it
// signed for the given names, and the server's private key (see testcert
// for certificates with flaws).
func NewCertificates(dnsNames []string, ips []net.IP, notAfter time.Time) (caPEM, certPEM, keyPEM []byte, err error) {
	p, err := testcert.New(testcert.Options{DNSNames: dnsNames, IPs: ips, NotAfter: notAfter})
	return p.CA, p.Cert, p.Key, err
}

// TLSCertificate builds a tls.Certificate from NewCertificates' output, for
// Go test servers.
func TLSCertificate(certPEM, keyPEM []byte) (tls.Certificate, error) {
	return tls.X509KeyPair(certPEM, keyPEM)
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
