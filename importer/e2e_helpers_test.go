package importer

// Helpers for TestBehaviourKept: certificates, recording upstreams standing
// in for Artifactory's ports, and real nginx and Apache processes on
// loopback high ports with a configuration of the test's own (so nothing of
// /etc is read or written). render's servertest does the same for render's
// tests; it lives under render/internal, so this package cannot use it.

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"frontdoor/internal/testenv"
)

// tempDir is a directory the server's workers (another user) can read,
// removed when the test ends; its path holds no character a configuration
// would have to quote.
func tempDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "frontdoor-import-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// testPKI is a CA, a server certificate for name and *.name, and a client
// certificate, as files.
type testPKI struct {
	caPool              *x509.CertPool
	cert, key, clientCA string
	client              tls.Certificate
}

func newPKI(t testing.TB, dir, name string) *testPKI {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "frontdoor import test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	issue := func(serial int64, cn string, client bool) (certPEM, keyPEM []byte) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		}
		if client {
			tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
		} else {
			tmpl.DNSNames = []string{name, "*." + name}
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		kder, _ := x509.MarshalECPrivateKey(key)
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
	}
	p := &testPKI{caPool: x509.NewCertPool(), cert: filepath.Join(dir, "server.pem"), key: filepath.Join(dir, "server.key"), clientCA: filepath.Join(dir, "client-ca.pem")}
	p.caPool.AddCert(ca)
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	serverCert, serverKey := issue(2, name, false)
	clientCert, clientKey := issue(3, "alice", true)
	for path, data := range map[string][]byte{p.cert: serverCert, p.key: serverKey, p.clientCA: caPEM} {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if p.client, err = tls.X509KeyPair(clientCert, clientKey); err != nil {
		t.Fatal(err)
	}
	return p
}

// idHeader tags each request so the upstream's record of it can be found.
const idHeader = "X-Frontdoor-Test-Id"

// recorded is what an upstream got.
type recorded struct {
	Upstream string // "node0 router"
	URI      string
	Host     string
	Header   http.Header
}

// recorder runs the upstreams and remembers what each request brought.
type recorder struct {
	mu  sync.Mutex
	got map[string]recorded
}

func newRecorder() *recorder { return &recorder{got: map[string]recorded{}} }

// listenSame listens on the same free port on every address; the upstream
// on addrs[i] is named "node<i> role".
func (r *recorder) listenSame(t testing.TB, role string, addrs []string) int {
	t.Helper()
	for attempt := 0; attempt < 20; attempt++ {
		first, err := net.Listen("tcp", net.JoinHostPort(addrs[0], "0"))
		if err != nil {
			t.Fatal(err)
		}
		port := first.Addr().(*net.TCPAddr).Port
		ls := []net.Listener{first}
		ok := true
		for _, a := range addrs[1:] {
			l, err := net.Listen("tcp", net.JoinHostPort(a, strconv.Itoa(port)))
			if err != nil {
				ok = false
				break
			}
			ls = append(ls, l)
		}
		if !ok {
			for _, l := range ls {
				l.Close()
			}
			continue
		}
		for i, l := range ls {
			name := fmt.Sprintf("node%d %s", i, role)
			srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
				_, _ = io.Copy(io.Discard, req.Body)
				r.mu.Lock()
				r.got[req.Header.Get(idHeader)] = recorded{Upstream: name, URI: req.RequestURI, Host: req.Host, Header: req.Header.Clone()}
				r.mu.Unlock()
				io.WriteString(w, "ok")
			})}
			go srv.Serve(l)
			t.Cleanup(func() { srv.Close() })
		}
		return port
	}
	t.Fatal("no port free on every node address")
	return 0
}

func (r *recorder) lookup(id string) (recorded, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v, ok := r.got[id]
	return v, ok
}

// freePorts returns n ports nothing listens on a moment ago.
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	var ls []net.Listener
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

// proc is a web server the test started; stopped at cleanup.
type proc struct {
	cmd  *exec.Cmd
	done chan struct{}
	logs []string
	stop func()
}

func (p *proc) Logs() string {
	var b strings.Builder
	for _, f := range p.logs {
		data, _ := os.ReadFile(f)
		fmt.Fprintf(&b, "--- %s\n%s", f, data)
	}
	return b.String()
}

// start runs cmd in its own process group and waits until every port
// accepts connections; the error holds the server's logs when it does not.
func start(t testing.TB, cmd *exec.Cmd, ports []int, logs []string) (*proc, error) {
	t.Helper()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &proc{cmd: cmd, done: make(chan struct{}), logs: logs}
	go func() { cmd.Wait(); close(p.done) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
			select {
			case <-p.done:
			case <-time.After(10 * time.Second):
				syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
				<-p.done
			}
		})
	}
	p.stop = stop
	t.Cleanup(stop)
	deadline := time.Now().Add(20 * time.Second) // a bound for a hung server, not an assertion
	for _, port := range ports {
		for {
			c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
			if err == nil {
				c.Close()
				break
			}
			select {
			case <-p.done:
				return nil, fmt.Errorf("%s exited: %v\n%s", cmd.Path, cmd.ProcessState, p.Logs())
			case <-time.After(20 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				stop()
				return nil, fmt.Errorf("%s does not accept connections on port %d\n%s", cmd.Path, port, p.Logs())
			}
		}
	}
	return p, nil
}

// startNginx runs nginx with the site's configuration inside a minimal
// nginx.conf of the test's own.
func startNginx(t testing.TB, site []byte, ports []int) (*proc, error) {
	t.Helper()
	bin := testenv.Binary(t, "nginx")
	dir := tempDir(t)
	for _, d := range []string{"tmp", "log"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var temp strings.Builder
	for _, kind := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		fmt.Fprintf(&temp, "    %s_temp_path %s;\n", kind, filepath.Join(dir, "tmp", kind))
	}
	conf := fmt.Sprintf("pid %[1]s/nginx.pid;\nerror_log %[1]s/error.log warn;\nworker_processes 1;\nevents { worker_connections 256; }\n"+
		"http {\n    access_log off;\n%[2]s    include %[1]s/site.conf;\n}\n", dir, temp.String())
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "site.conf"), site, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "nginx.out")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command(bin, "-c", filepath.Join(dir, "nginx.conf"), "-p", dir+"/", "-g", "daemon off;")
	cmd.Stdout, cmd.Stderr = f, f
	return start(t, cmd, ports, []string{out, filepath.Join(dir, "error.log")})
}

// apacheModules are loaded for every configuration: what frontdoor's
// snippets and the fixtures use.
var apacheModules = []string{
	"mpm_event", "authz_core", "authz_host", "alias", "headers", "rewrite", "proxy", "proxy_http",
	"proxy_balancer", "lbmethod_byrequests", "slotmem_shm", "ssl", "socache_shmcb",
}

// startApache runs Apache with the site's configuration inside a minimal
// main configuration of the test's own.
func startApache(t testing.TB, site []byte, ports []int) (*proc, error) {
	t.Helper()
	bin := testenv.Binary(t, "apache2")
	moduleDir := "/usr/lib/apache2/modules"
	testenv.Dir(t, moduleDir, "apache2")
	dir := tempDir(t)
	for _, d := range []string{"run", "log"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "ServerRoot %[1]s\nDefaultRuntimeDir %[1]s/run\nPidFile %[1]s/run/apache2.pid\nErrorLog %[1]s/error.log\nLogLevel warn\nMutex file:%[1]s/run default\nServerName localhost\n", dir)
	if os.Geteuid() == 0 {
		b.WriteString("User www-data\nGroup www-data\n")
	}
	for _, m := range apacheModules {
		fmt.Fprintf(&b, "LoadModule %s_module %s/mod_%s.so\n", m, moduleDir, m)
	}
	fmt.Fprintf(&b, "Include %s/site.conf\n", dir)
	if err := os.WriteFile(filepath.Join(dir, "apache2.conf"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "site.conf"), site, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "apache2.out")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command(bin, "-f", filepath.Join(dir, "apache2.conf"), "-DFOREGROUND")
	cmd.Env = append(os.Environ(), "LANG=C")
	cmd.Stdout, cmd.Stderr = f, f
	return start(t, cmd, ports, []string{out, filepath.Join(dir, "error.log")})
}

// client connects to 127.0.0.1 whatever host a URL names (so Host and SNI
// are the public names), trusts the test CA, presents cert when given and
// never follows redirects.
func client(t testing.TB, pki *testPKI, cert *tls.Certificate) *http.Client {
	cfg := &tls.Config{RootCAs: pki.caPool}
	if cert != nil {
		c := *cert
		cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &c, nil }
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			_, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			return dialer.DialContext(ctx, network, net.JoinHostPort("127.0.0.1", port))
		},
		TLSClientConfig: cfg,
	}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second, // a bound for a hung proxy, not an assertion
	}
}
