package servertest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"frontdoor/internal/testenv"
)

// HAProxy is a copy of the stock Debian /etc/haproxy in a temp dir, with
// the snippet in conf.d/ loaded after haproxy.cfg (haproxy -f haproxy.cfg
// -f conf.d/frontdoor.cfg), as an admin wires it up. The copy's
// haproxy.cfg keeps Debian's global and defaults sections, minus what would
// reach outside the temp dir or need root: chroot, user and group, daemon
// mode, the syslog socket and the stats socket's path; and its internal
// HTTP client does not load the system CAs.
type HAProxy struct {
	t        testing.TB
	Bin      string
	Dir      string // temp root
	ConfDir  string // Dir/haproxy, the copy of /etc/haproxy
	ConfFile string // ConfDir/haproxy.cfg
	Snippet  string // ConfDir/conf.d/frontdoor.cfg, where Install writes
	PidFile  string
}

// NewHAProxy copies the stock layout. It skips the test when HAProxy is
// not installed (fails under CI=true).
func NewHAProxy(t testing.TB) *HAProxy {
	t.Helper()
	bin := testenv.Binary(t, "haproxy")
	testenv.Dir(t, "/etc/haproxy", "haproxy")
	dir := TempDir(t)
	h := &HAProxy{t: t, Bin: bin, Dir: dir, ConfDir: filepath.Join(dir, "haproxy"), PidFile: filepath.Join(dir, "haproxy.pid")}
	h.ConfFile = filepath.Join(h.ConfDir, "haproxy.cfg")
	h.Snippet = filepath.Join(h.ConfDir, "conf.d", "frontdoor.cfg")
	if err := copyTree("/etc/haproxy", h.ConfDir); err != nil {
		t.Fatalf("copying /etc/haproxy: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(h.Snippet), 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(h.ConfFile)
	if err != nil {
		t.Fatal(err)
	}
	conf, err := pointHAProxyConf(string(data), h)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(h.ConfFile, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	return h
}

var (
	haproxyChroot  = regexp.MustCompile(`(?m)^\s*chroot\s.*$`)
	haproxyUser    = regexp.MustCompile(`(?m)^\s*(user|group)\s.*$`)
	haproxyDaemon  = regexp.MustCompile(`(?m)^\s*daemon\s*$`)
	haproxySyslog  = regexp.MustCompile(`(?m)^\s*log\s+/dev/log\s.*$`)
	haproxyStats   = regexp.MustCompile(`(?m)^(\s*)stats socket\s+\S+`)
	haproxyGlobal  = regexp.MustCompile(`(?m)^global\s*$`)
	haproxyDefault = regexp.MustCompile(`(?m)^defaults\s*$`)
)

// pointHAProxyConf rewrites the stock haproxy.cfg for the temp dir. Each
// rewrite must apply: a stock file that changed shape fails loudly instead
// of silently writing outside the temp dir.
func pointHAProxyConf(conf string, h *HAProxy) (string, error) {
	for _, want := range []struct {
		what string
		re   *regexp.Regexp
	}{{"global section", haproxyGlobal}, {"defaults section", haproxyDefault}, {"stats socket", haproxyStats}} {
		if !want.re.MatchString(conf) {
			return "", &layoutError{"haproxy.cfg has no " + want.what}
		}
	}
	conf = haproxyChroot.ReplaceAllString(conf, "")
	conf = haproxyUser.ReplaceAllString(conf, "")
	conf = haproxyDaemon.ReplaceAllString(conf, "")
	conf = haproxySyslog.ReplaceAllString(conf, "")
	conf = haproxyStats.ReplaceAllString(conf, "${1}stats socket "+filepath.Join(h.Dir, "admin.sock"))
	// HAProxy's internal HTTP client (Lua, ACME; no snippet uses it) loads
	// the whole system CA store at every start: two thirds of the CPU of a
	// `haproxy -c`, which the tests run a hundred times.
	conf = haproxyGlobal.ReplaceAllString(conf, "global\n\tlog stdout format raw local0 notice\n\thttpclient.ssl.verify none")
	return strings.ReplaceAll(conf, "/etc/haproxy/", h.ConfDir+"/"), nil
}

// Install writes the snippet to conf.d/.
func (h *HAProxy) Install(snippet []byte) {
	h.t.Helper()
	if err := os.WriteFile(h.Snippet, snippet, 0o644); err != nil {
		h.t.Fatal(err)
	}
}

// Check runs `haproxy -c` on haproxy.cfg and the installed snippet.
func (h *HAProxy) Check() (output string, err error) {
	return h.CheckSnippet(h.Snippet)
}

// CheckSnippet runs `haproxy -c` on haproxy.cfg and the snippet at path, so
// several goroutines can check snippets against one layout at once.
func (h *HAProxy) CheckSnippet(path string) (output string, err error) {
	return run(exec.Command(h.Bin, "-c", "-f", h.ConfFile, "-f", path))
}

// Start runs HAProxy in the foreground (master-worker, -db) with the
// installed snippet and returns once it accepts connections on every one
// of ports (127.0.0.1). It is stopped at test cleanup.
func (h *HAProxy) Start(ports ...int) (*Running, error) {
	h.t.Helper()
	out := filepath.Join(h.Dir, "haproxy.out")
	f, err := os.Create(out)
	if err != nil {
		return nil, err
	}
	defer f.Close() // the child holds its own descriptor
	cmd := exec.Command(h.Bin, "-W", "-db", "-f", h.ConfFile, "-f", h.Snippet, "-p", h.PidFile)
	cmd.Stdout, cmd.Stderr = f, f
	return startServer(h.t, runSpec{name: "haproxy", cmd: cmd, pidFile: h.PidFile, logs: []string{out}, ports: ports})
}
