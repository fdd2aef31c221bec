package servertest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"frontdoor/internal/testenv"
)

// NginxPrefix is the prefix Debian's nginx resolves relative paths against;
// modules-enabled/*.conf load modules by relative path, so it must be given.
const NginxPrefix = "/usr/share/nginx/"

// Nginx is a copy of the stock /etc/nginx in a temp dir, rewritten so that
// nothing outside the temp dir is written: pid, logs and temp files.
type Nginx struct {
	t            testing.TB
	Bin          string // the nginx binary
	Dir          string // temp root: pid, logs, temp files, the copied layout
	ConfDir      string // Dir/nginx, the copy of /etc/nginx
	ConfFile     string // ConfDir/nginx.conf
	SitesEnabled string // where Install puts the snippet
	ErrorLog     string
	PidFile      string
}

// NewNginx copies the stock layout. It skips the test when nginx is not
// installed (fails under CI=true).
func NewNginx(t testing.TB) *Nginx {
	t.Helper()
	n := newNginx(t)
	testenv.Dir(t, "/etc/nginx", "nginx-light")
	dir := n.Dir
	if err := copyTree("/etc/nginx", n.ConfDir); err != nil {
		t.Fatalf("copying /etc/nginx: %v", err)
	}
	data, err := os.ReadFile(n.ConfFile)
	if err != nil {
		t.Fatal(err)
	}
	conf, err := pointNginxConf(string(data), n)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(n.ConfFile, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	// nginx creates the temp dirs themselves, not their parent.
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	return n
}

// newNginx is the layout's paths in a new temp dir, nothing written yet.
func newNginx(t testing.TB) *Nginx {
	t.Helper()
	bin := testenv.Binary(t, "nginx")
	dir := TempDir(t)
	n := &Nginx{
		t:        t,
		Bin:      bin,
		Dir:      dir,
		ConfDir:  filepath.Join(dir, "nginx"),
		ErrorLog: filepath.Join(dir, "error.log"),
		PidFile:  filepath.Join(dir, "nginx.pid"),
	}
	n.ConfFile = filepath.Join(n.ConfDir, "nginx.conf")
	n.SitesEnabled = filepath.Join(n.ConfDir, "sites-enabled")
	return n
}

// NewBareNginx is an Nginx whose nginx.conf is the test's own, not Debian's:
// pid, logs and temp files in the temp dir, one worker, and an http block
// that only includes sites-enabled/*. For whole configurations written for
// their own main file, which set http-level directives the stock nginx.conf
// sets too (ssl_protocols, ssl_prefer_server_ciphers: nginx refuses a
// duplicate). It skips the test when nginx is not installed (fails under
// CI=true).
func NewBareNginx(t testing.TB) *Nginx {
	t.Helper()
	n := newNginx(t)
	dir := n.Dir
	for _, d := range []string{n.SitesEnabled, filepath.Join(dir, "tmp")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	conf := "pid " + n.PidFile + ";\nerror_log " + n.ErrorLog + " warn;\nworker_processes 1;\nevents { worker_connections 256; }\n" +
		"http {\n\taccess_log off;\n" + nginxTempPaths(dir) + "\tinclude " + n.SitesEnabled + "/*;\n}\n"
	if err := os.WriteFile(n.ConfFile, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	return n
}

var (
	nginxPid       = regexp.MustCompile(`(?m)^(\s*)pid\s+[^;]*;`)
	nginxErrorLog  = regexp.MustCompile(`(?m)^(\s*)error_log\s+[^;]*;`)
	nginxAccessLog = regexp.MustCompile(`(?m)^(\s*)access_log\s+[^;]*;`)
	nginxHTTPOpen  = regexp.MustCompile(`(?m)^http\s*\{`)
)

// pointNginxConf rewrites the stock nginx.conf's absolute paths into the temp
// dir. Each rewrite must apply: a stock file that changed shape fails loudly
// instead of silently checking (or writing to) /etc/nginx.
func pointNginxConf(conf string, n *Nginx) (string, error) {
	steps := []struct {
		what string
		re   *regexp.Regexp
		repl string
	}{
		{"pid", nginxPid, "${1}pid " + n.PidFile + ";"},
		{"error_log", nginxErrorLog, "${1}error_log " + n.ErrorLog + ";"},
		{"access_log", nginxAccessLog, "${1}access_log " + filepath.Join(n.Dir, "access.log") + ";"},
		// Request bodies and proxied responses spill into temp dirs that
		// default to /var/lib/nginx, which only root may create files in.
		{"http block", nginxHTTPOpen, "http {\n" + nginxTempPaths(n.Dir)},
	}
	for _, s := range steps {
		if !s.re.MatchString(conf) {
			return "", &layoutError{"nginx.conf has no " + s.what + " line to point into the temp dir"}
		}
		conf = s.re.ReplaceAllString(conf, s.repl) // paths from TempDir hold no '$'
	}
	if !strings.Contains(conf, "/etc/nginx/") {
		return "", &layoutError{"nginx.conf includes nothing from /etc/nginx/"}
	}
	return strings.ReplaceAll(conf, "/etc/nginx/", n.ConfDir+"/"), nil
}

func nginxTempPaths(dir string) string {
	var b strings.Builder
	for _, kind := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		b.WriteString("\t" + kind + "_temp_path " + filepath.Join(dir, "tmp", kind) + ";\n")
	}
	return b.String()
}

type layoutError struct{ msg string }

func (e *layoutError) Error() string { return e.msg }

// Install writes the snippet to sites-enabled/, as a user would.
func (n *Nginx) Install(snippet []byte) {
	n.t.Helper()
	if err := os.WriteFile(filepath.Join(n.SitesEnabled, SnippetName), snippet, 0o644); err != nil {
		n.t.Fatal(err)
	}
}

// Args are the flags that make nginx use this layout; Start/Stop helpers
// pass them too.
func (n *Nginx) Args() []string {
	return []string{"-c", n.ConfFile, "-p", NginxPrefix}
}

// Check runs `nginx -t` on the layout. err is non-nil when nginx rejects the
// configuration; output says why.
func (n *Nginx) Check() (output string, err error) {
	return run(exec.Command(n.Bin, append([]string{"-t"}, n.Args()...)...))
}

var nginxWorkerConnections = regexp.MustCompile(`(?m)^(\s*)worker_connections\s+\d+;`)

// SetWorkerConnections changes the stock events { worker_connections 768; },
// which limits how many ports one configuration may listen on.
func (n *Nginx) SetWorkerConnections(count int) {
	n.t.Helper()
	data, err := os.ReadFile(n.ConfFile)
	if err != nil {
		n.t.Fatal(err)
	}
	if !nginxWorkerConnections.Match(data) {
		n.t.Fatal("nginx.conf has no worker_connections line")
	}
	data = nginxWorkerConnections.ReplaceAll(data, []byte("${1}worker_connections "+strconv.Itoa(count)+";"))
	if err := os.WriteFile(n.ConfFile, data, 0o644); err != nil {
		n.t.Fatal(err)
	}
}
