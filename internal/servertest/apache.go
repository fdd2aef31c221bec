package servertest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/internal/testenv"
)

// Apache is a copy of the stock /etc/apache2 in a temp dir. apache2ctl finds
// it through APACHE_CONFDIR and keeps its run, lock and log files in the temp
// dir too (see Env).
type Apache struct {
	t            testing.TB
	Bin          string // apache2ctl
	Dir          string // temp root
	ConfDir      string // Dir/apache2, the copy of /etc/apache2
	SitesEnabled string // where Install puts the snippet
	RunDir       string
	LockDir      string
	LogDir       string
	PidFile      string
}

// NewApache copies the stock layout with its stock modules. It skips the test
// when Apache is not installed (fails under CI=true).
func NewApache(t testing.TB) *Apache {
	t.Helper()
	bin := testenv.Binary(t, "apache2ctl")
	testenv.Dir(t, "/etc/apache2", "apache2")
	dir := TempDir(t)
	a := &Apache{
		t:       t,
		Bin:     bin,
		Dir:     dir,
		ConfDir: filepath.Join(dir, "apache2"),
		RunDir:  filepath.Join(dir, "run"),
		LockDir: filepath.Join(dir, "lock"),
		LogDir:  filepath.Join(dir, "log"),
		PidFile: filepath.Join(dir, "run", "apache2.pid"),
	}
	a.SitesEnabled = filepath.Join(a.ConfDir, "sites-enabled")
	if err := copyTree("/etc/apache2", a.ConfDir); err != nil {
		t.Fatalf("copying /etc/apache2: %v", err)
	}
	for _, d := range []string{a.RunDir, a.LockDir, a.LogDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// apache2ctl sources $APACHE_CONFDIR/envvars, which would reset the
	// directories to /var/run/apache2 and friends: point the copy's at ours.
	if err := os.WriteFile(filepath.Join(a.ConfDir, "envvars"), []byte(a.envvars()), 0o644); err != nil {
		t.Fatal(err)
	}
	return a
}

func (a *Apache) envvars() string {
	runUser, runGroup := "www-data", "www-data"
	if os.Geteuid() != 0 {
		// Without root the server cannot switch users; name ourselves so
		// apache2ctl's chown of the socket dir succeeds.
		if u, err := user.Current(); err == nil {
			runUser = u.Username
			if g, err := user.LookupGroupId(u.Gid); err == nil {
				runGroup = g.Name
			}
		}
	}
	var b strings.Builder
	b.WriteString("# Written by frontdoor's servertest: everything stays in the test's temp dir.\nunset HOME\n")
	for _, kv := range [][2]string{
		{"APACHE_RUN_USER", runUser}, {"APACHE_RUN_GROUP", runGroup},
		{"APACHE_PID_FILE", a.PidFile}, {"APACHE_RUN_DIR", a.RunDir},
		{"APACHE_LOCK_DIR", a.LockDir}, {"APACHE_LOG_DIR", a.LogDir}, {"LANG", "C"},
	} {
		fmt.Fprintf(&b, "export %s='%s'\n", kv[0], kv[1])
	}
	return b.String()
}

// Env is the environment apache2ctl needs to use this layout.
func (a *Apache) Env() []string {
	return append(os.Environ(),
		"APACHE_CONFDIR="+a.ConfDir,
		"APACHE_ENVVARS="+filepath.Join(a.ConfDir, "envvars"),
		"APACHE_RUN_DIR="+a.RunDir,
		"APACHE_LOCK_DIR="+a.LockDir,
		"APACHE_LOG_DIR="+a.LogDir,
		"APACHE_PID_FILE="+a.PidFile,
	)
}

// EnableModules does what a2enmod does in the copy: links
// mods-available/X.load (and X.conf when there is one) into mods-enabled,
// following the "# Depends:" lines of the .load files (ssl needs
// socache_shmcb, proxy_balancer needs slotmem_shm...).
func (a *Apache) EnableModules(mods ...string) {
	a.t.Helper()
	EnableApacheModules(a.t, a.ConfDir, mods...)
}

// enableModule links mod and, first, what it depends on, into
// confDir/mods-enabled; seen stops a cycle.
func enableModule(confDir, mod string, seen map[string]bool) error {
	if seen[mod] {
		return nil
	}
	seen[mod] = true
	avail := filepath.Join(confDir, "mods-available")
	load, err := os.ReadFile(filepath.Join(avail, mod+".load"))
	if err != nil {
		return fmt.Errorf("Apache module %s: %w", mod, err)
	}
	for _, dep := range dependsOn(load) {
		if err := enableModule(confDir, dep, seen); err != nil {
			return fmt.Errorf("%w (needed by %s)", err, mod)
		}
	}
	for _, ext := range []string{".load", ".conf"} {
		if _, err := os.Stat(filepath.Join(avail, mod+ext)); err != nil {
			continue
		}
		link := filepath.Join(confDir, "mods-enabled", mod+ext)
		if _, err := os.Lstat(link); err == nil {
			continue // already enabled
		}
		if err := os.Symlink(filepath.Join("..", "mods-available", mod+ext), link); err != nil {
			return err
		}
	}
	return nil
}

// dependsOn reads the "# Depends: a b" lines Debian puts in .load files.
func dependsOn(load []byte) []string {
	var deps []string
	sc := bufio.NewScanner(bytes.NewReader(load))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "# Depends:"); ok {
			deps = append(deps, strings.Fields(rest)...)
		}
	}
	return deps
}

// Install writes the snippet to sites-enabled/, as a user would.
func (a *Apache) Install(snippet []byte) {
	a.t.Helper()
	if err := os.WriteFile(filepath.Join(a.SitesEnabled, SnippetName), snippet, 0o644); err != nil {
		a.t.Fatal(err)
	}
}

// Check runs `apache2ctl -t` on the layout. err is non-nil when Apache
// rejects the configuration; output says why.
func (a *Apache) Check() (output string, err error) {
	cmd := exec.Command(a.Bin, "-t")
	cmd.Env = a.Env()
	return run(cmd)
}

// CheckSnippet runs `apache2ctl -t` with the snippet at path included where
// sites-enabled/ is (Debian's apache2.conf includes it last, as -c does), so
// several goroutines can check different snippets against one layout at
// once. Install nothing into sites-enabled/ when using it.
func (a *Apache) CheckSnippet(path string) (output string, err error) {
	cmd := exec.Command(a.Bin, "-t", "-c", "Include "+path)
	cmd.Env = a.Env()
	return run(cmd)
}
