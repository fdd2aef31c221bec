// Package sambatest starts a real Active Directory domain controller for
// tests: Samba provisioned into a temp directory, serving LDAP (389, with
// StartTLS), LDAPS (636) and the global catalog (3268, 3269) on a loopback
// address of its own (127.x.y.z, since the ports are fixed), and populated
// with the domain in fixture.go. Each DC is a copy of a domain provisioned
// once per machine (template.go: provisioning takes seconds), populated
// afresh; nothing a test did is kept. Only tests and benchmarks import it.
//
// The DC serves a certificate from a test CA with a negative serial number,
// as Samba's self-made certificate has about half the time: Java (and so the
// vendor's server) accepts it, Go refuses it unless GODEBUG
// x509negativeserial=1. Setup talks to the DC over its privileged ldapi
// socket, so it needs no TLS and leaves that setting alone.
package sambatest

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/go-ldap/ldap/v3"

	"frontdoor/internal/testenv"
	"frontdoor/ldapcheck/testcert"
)

// The programs and files the Debian packages samba, samba-ad-dc,
// samba-ad-provision and faketime install.
var (
	programs  = []string{"samba", "samba-tool", "faketime"}
	setupFile = "/usr/share/samba/setup/provision.ldif" // samba-ad-provision
)

// Available says what is missing to run a DC, or nil.
func Available() error {
	for _, p := range programs {
		if testenv.LookPath(p) == "" {
			return fmt.Errorf("%s is not installed (Debian packages samba samba-ad-dc samba-ad-provision winbind faketime)", p)
		}
	}
	if _, err := os.Stat(setupFile); err != nil {
		return fmt.Errorf("%s is missing (Debian package samba-ad-provision)", setupFile)
	}
	return nil
}

// Server is a running domain controller.
type Server struct {
	Dir      string // temp dir: smb.conf, databases, certificates, log
	IP       string // its loopback address, e.g. 127.83.14.201
	URL      string // ldap://IP (389): plain LDAP, StartTLS
	LDAPSURL string // ldaps://IP (636)
	GCURL    string // ldap://IP:3268, the global catalog
	GCSURL   string // ldaps://IP:3269, the global catalog over TLS
	CAFile   string // PEM of the CA that signed the DC's certificate

	cmd    *exec.Cmd
	out    *lockedBuffer
	waited chan error
}

// The domain every test DC serves.
const (
	Realm     = "CORP.TEST"
	DNSDomain = "corp.test"
	NetBIOS   = "CORP"
	BaseDN    = "DC=corp,DC=test"
	Hostname  = "dc1" // dc1.corp.test
	// AdminPassword belongs to a throw-away test domain, not a real secret.
	AdminPassword = "Adm1n-Test-Passw0rd!"
	AdminUPN      = "Administrator@corp.test"
)

// maxRuntime ends a DC that its test process left behind (killed before
// Stop): samba exits by itself after this long.
const maxRuntime = 2 * time.Hour

// Start starts a domain controller of the test domain: a copy of the
// machine's provisioned template (see template.go; provisioned first if there
// is none), or, should that fail, a domain provisioned in place. It
// populates the domain. Stop it with Stop.
func Start() (*Server, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		s, err := start(attempt == 0)
		if err == nil {
			if attempt > 0 {
				// A provisioned-in-place DC ran where the template's copy did
				// not: the next Start provisions a new template.
				removeTemplate()
			}
			return s, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

func start(fromTemplate bool) (s *Server, err error) {
	dir, err := os.MkdirTemp("", "frontdoor-samba-")
	if err != nil {
		return nil, err
	}
	s = &Server{Dir: dir, out: &lockedBuffer{}}
	defer func() {
		if err != nil {
			s.Stop()
		}
	}()
	if s.IP, err = freeAddress(); err != nil {
		return nil, err
	}
	s.URL = "ldap://" + s.IP
	s.LDAPSURL = "ldaps://" + s.IP
	s.GCURL = "ldap://" + s.IP + ":3268"
	s.GCSURL = "ldaps://" + s.IP + ":3269"
	if err := s.writeCertificates(); err != nil {
		return nil, err
	}
	copied := false
	if fromTemplate {
		tmpl, err := template()
		copied = err == nil && copyTemplate(tmpl, s.Dir, s.IP) == nil
	}
	if !copied {
		if err := s.provisionInPlace(); err != nil {
			return nil, err
		}
	}
	if err := s.run(); err != nil {
		return nil, err
	}
	if err := s.populate(); err != nil {
		return nil, fmt.Errorf("populating the domain: %w\n%s", err, s.Log())
	}
	return s, nil
}

// freeAddress picks a loopback address where the DC's fixed ports are free.
func freeAddress() (string, error) {
	for range 20 {
		ip := fmt.Sprintf("127.%d.%d.%d", 1+rand.IntN(254), rand.IntN(256), 1+rand.IntN(254))
		free := true
		for _, port := range []string{"389", "636", "3268", "3269"} {
			l, err := net.Listen("tcp", net.JoinHostPort(ip, port))
			if err != nil {
				free = false
				break
			}
			l.Close()
		}
		if free {
			return ip, nil
		}
	}
	return "", errors.New("no loopback address with ports 389, 636, 3268 and 3269 free")
}

func (s *Server) writeCertificates() error {
	tlsDir := filepath.Join(s.Dir, "tls")
	if err := os.Mkdir(tlsDir, 0o700); err != nil {
		return err
	}
	p, err := testcert.New(testcert.Options{
		DNSNames: []string{Hostname + "." + DNSDomain, DNSDomain}, IPs: []net.IP{net.ParseIP(s.IP)},
		NotAfter: time.Now().Add(90 * 24 * time.Hour), NegativeSerial: true,
	})
	if err != nil {
		return err
	}
	s.CAFile = filepath.Join(tlsDir, "ca.pem")
	for name, data := range map[string][]byte{"ca.pem": p.CA, "cert.pem": p.Cert, "key.pem": p.Key} {
		// Samba refuses a key file others may read.
		if err := os.WriteFile(filepath.Join(tlsDir, name), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) conf() string { return filepath.Join(s.Dir, "etc", "smb.conf") }

// provisionInPlace provisions the domain in s.Dir, without the template:
// what a copy that failed falls back to. A half-done copy is cleared first
// (the certificates stay).
func (s *Server) provisionInPlace() error {
	entries, err := os.ReadDir(s.Dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() != "tls" {
			if err := os.RemoveAll(filepath.Join(s.Dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return provisionInto(s.Dir, s.IP)
}

// addExpiredPasswordUser creates the user whose password has expired, with
// the clock five days back (faketime): over LDAP the DC stamps pwdLastSet
// with its own clock, and Samba ignores a maximum password age under a
// day. It is created in CN=Users offline, in the provisioned domain in dir,
// and moved into place by populate.
func addExpiredPasswordUser(dir string) error {
	u := UserByLogin(ExpiredPasswordLogin)
	out, err := exec.Command(testenv.LookPath("faketime"), "-f", "-5d", testenv.LookPath("samba-tool"), "user", "create", u.Login, u.Password,
		"-s", filepath.Join(dir, "etc", "smb.conf"), "-H", filepath.Join(dir, "private", "sam.ldb")).CombinedOutput()
	if err != nil {
		return fmt.Errorf("samba-tool user create under faketime: %v\n%s", err, tail(out))
	}
	return nil
}

// run starts samba in the foreground (-i) in a process group of its own,
// so that Stop ends it and every child, and waits until it answers.
func (s *Server) run() error {
	s.cmd = exec.Command(testenv.LookPath("samba"), "-s", s.conf(), "-i", "-M", "single",
		fmt.Sprintf("--maximum-runtime=%d", int(maxRuntime.Seconds())))
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	// Pdeathsig: a test binary that dies without Stop (a panic) takes the
	// DC with it instead of leaving it on its address until maxRuntime.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := s.cmd.Start(); err != nil {
		return err
	}
	s.waited = make(chan error, 1)
	go func() { s.waited <- s.cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case err := <-s.waited:
			s.waited <- err
			return fmt.Errorf("samba exited: %v\n%s", err, s.Log())
		default:
		}
		c, err := s.Conn()
		if err == nil {
			c.Close()
			// The TLS ports open with the rest; check one to be sure.
			if tc, err := net.DialTimeout("tcp", net.JoinHostPort(s.IP, "636"), time.Second); err == nil {
				tc.Close()
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("samba did not answer within a minute: %v\n%s", err, s.Log())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop ends samba and its children (SIGTERM to the process group, SIGKILL
// after 10 s) and removes the directory.
func (s *Server) Stop() error {
	if s == nil {
		return nil
	}
	if s.cmd != nil && s.cmd.Process != nil {
		pgid := s.cmd.Process.Pid
		syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-s.waited:
		case <-time.After(10 * time.Second):
			syscall.Kill(-pgid, syscall.SIGKILL)
			<-s.waited
		}
		syscall.Kill(-pgid, syscall.SIGKILL) // children that outlived the parent
	}
	return os.RemoveAll(s.Dir)
}

// Log returns what samba printed, for failing tests.
func (s *Server) Log() string { return s.out.String() }

// Conn opens a connection bound as the domain's Administrator over the
// privileged ldapi socket: Samba allows simple binds and password changes
// there without TLS.
func (s *Server) Conn() (*ldap.Conn, error) {
	c, err := s.dial()
	if err != nil {
		return nil, err
	}
	if err := c.Bind(AdminUPN, AdminPassword); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func (s *Server) dial() (*ldap.Conn, error) {
	sock := filepath.Join(s.Dir, "private", "ldap_priv", "ldapi")
	c, err := ldap.DialURL("ldapi://"+url.PathEscape(sock), ldap.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}))
	if err != nil {
		return nil, err
	}
	c.SetTimeout(10 * time.Second)
	return c, nil
}

func tail(b []byte) string {
	const keep = 4000
	b = bytes.TrimSpace(b)
	if len(b) > keep {
		b = b[len(b)-keep:]
	}
	return string(b)
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
	return strings.TrimSpace(b.buf.String())
}
