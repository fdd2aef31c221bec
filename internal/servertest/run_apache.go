package servertest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"

	"frontdoor/internal/testenv"
)

// stockListen matches ports.conf's Listen lines (80, and 443 inside
// <IfModule ssl_module>).
var stockListen = regexp.MustCompile(`(?m)^(\s*)(Listen\s)`)

// Start runs Apache in the foreground on this layout, with whatever Install
// put in sites-enabled/ and the modules EnableModules linked, and returns once
// it accepts connections on every one of ports (127.0.0.1). The server is
// stopped at test cleanup.
//
// Only the snippet may listen: the stock default site is removed and
// ports.conf's Listen 80/443 are commented out (tests use high ports, for
// which the snippet writes its own Listen lines), so a test never takes a
// real port or races another test for it.
func (a *Apache) Start(ports ...int) (*Running, error) {
	a.t.Helper()
	bin := testenv.Binary(a.t, "apache2")
	if err := removeOtherSites(a.SitesEnabled, SnippetName); err != nil {
		return nil, err
	}
	portsConf := filepath.Join(a.ConfDir, "ports.conf")
	data, err := os.ReadFile(portsConf)
	if err != nil {
		return nil, err
	}
	data = stockListen.ReplaceAll(data, []byte("${1}# ${2}"))
	if err := os.WriteFile(portsConf, data, 0o644); err != nil {
		return nil, err
	}
	out := filepath.Join(a.Dir, "apache2.out")
	f, err := os.Create(out)
	if err != nil {
		return nil, err
	}
	defer f.Close() // the child holds its own descriptor
	// What apache2ctl does (source envvars, pass -d for APACHE_CONFDIR),
	// but exec'ing the binary: apache2ctl stays the parent shell, so the
	// pid file would name a process Stop does not own.
	cmd := exec.Command("/bin/sh", "-c", `. "$APACHE_ENVVARS" && exec "$0" -d "$APACHE_CONFDIR" -DFOREGROUND`, bin)
	cmd.Env = a.Env()
	cmd.Stdout, cmd.Stderr = f, f
	return startServer(a.t, runSpec{
		name:    "apache2",
		cmd:     cmd,
		pidFile: a.PidFile,
		logs:    []string{out, filepath.Join(a.LogDir, "error.log")},
		ports:   ports,
	})
}
