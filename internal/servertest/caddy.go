package servertest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"frontdoor/internal/testenv"
)

// Caddy is a Caddyfile layout in a temp dir: the snippet in conf.d/,
// imported by a main Caddyfile. Check validates it imported into a copy of
// the stock Debian /etc/caddy/Caddyfile, as an admin wires it up; Start
// runs it under a main Caddyfile of its own whose global options keep
// Caddy inside the temp dir (no admin endpoint on :2019, automatic HTTP
// redirects on a free port instead of 80, storage under Dir).
type Caddy struct {
	t        testing.TB
	Bin      string
	Dir      string // temp root, also Caddy's HOME and XDG directories
	ConfFile string // the copy of the stock Caddyfile, importing Snippet
	Snippet  string // Dir/conf.d/frontdoor.caddyfile, where Install writes
	PidFile  string
}

// NewCaddy makes the layout. It skips the test when Caddy is not installed
// (fails under CI=true).
func NewCaddy(t testing.TB) *Caddy {
	t.Helper()
	bin := testenv.Binary(t, "caddy")
	testenv.Dir(t, "/etc/caddy", "caddy")
	dir := TempDir(t)
	c := &Caddy{t: t, Bin: bin, Dir: dir, ConfFile: filepath.Join(dir, "Caddyfile"),
		Snippet: filepath.Join(dir, "conf.d", "frontdoor.caddyfile"), PidFile: filepath.Join(dir, "caddy.pid")}
	stock, err := os.ReadFile("/etc/caddy/Caddyfile")
	if err != nil {
		t.Fatalf("reading the stock Caddyfile: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(c.Snippet), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(c.ConfFile, append(stock, []byte("\nimport "+c.Snippet+"\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	return c
}

// env keeps Caddy's storage and config autosave inside the temp dir.
func (c *Caddy) env() []string {
	return append(os.Environ(), "HOME="+c.Dir, "XDG_DATA_HOME="+filepath.Join(c.Dir, "data"), "XDG_CONFIG_HOME="+filepath.Join(c.Dir, "config"))
}

// Install writes the snippet to conf.d/.
func (c *Caddy) Install(snippet []byte) {
	c.t.Helper()
	if err := os.WriteFile(c.Snippet, snippet, 0o644); err != nil {
		c.t.Fatal(err)
	}
}

// Check runs `caddy validate --adapter caddyfile` on the stock Caddyfile
// importing the installed snippet.
func (c *Caddy) Check() (output string, err error) {
	return c.CheckSnippet(c.Snippet)
}

// CheckSnippet validates the stock Caddyfile importing the snippet at
// path, so several goroutines can check snippets at once.
func (c *Caddy) CheckSnippet(path string) (output string, err error) {
	conf := c.ConfFile
	if path != c.Snippet {
		conf = path + ".Caddyfile"
		stock, err := os.ReadFile("/etc/caddy/Caddyfile")
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(conf, append(stock, []byte("\nimport "+path+"\n")...), 0o644); err != nil {
			return "", err
		}
	}
	cmd := exec.Command(c.Bin, "validate", "--adapter", "caddyfile", "--config", conf)
	cmd.Env = c.env()
	return run(cmd)
}

// Start runs Caddy with the installed snippet and returns once it accepts
// connections on every one of ports (127.0.0.1). It is stopped at test
// cleanup.
func (c *Caddy) Start(ports ...int) (*Running, error) {
	c.t.Helper()
	runConf := filepath.Join(c.Dir, "Caddyfile.run")
	global := "{\n\tadmin off\n\thttp_port " + strconv.Itoa(FreePort(c.t)) + "\n\thttps_port " + strconv.Itoa(FreePort(c.t)) +
		"\n\tgrace_period 1s\n\tstorage file_system " + filepath.Join(c.Dir, "storage") + "\n}\n\nimport " + c.Snippet + "\n"
	if err := os.WriteFile(runConf, []byte(global), 0o644); err != nil {
		return nil, err
	}
	out := filepath.Join(c.Dir, "caddy.out")
	f, err := os.Create(out)
	if err != nil {
		return nil, err
	}
	defer f.Close() // the child holds its own descriptor
	cmd := exec.Command(c.Bin, "run", "--adapter", "caddyfile", "--config", runConf, "--pidfile", c.PidFile)
	cmd.Env = c.env()
	cmd.Stdout, cmd.Stderr = f, f
	return startServer(c.t, runSpec{name: "caddy", cmd: cmd, pidFile: c.PidFile, logs: []string{out}, ports: ports})
}
