package servertest

import (
	"os"
	"os/exec"
	"path/filepath"
)

// Start runs nginx in the foreground on this layout, with whatever Install
// put in sites-enabled/, and returns once it accepts connections on every
// one of ports (127.0.0.1). The server is stopped at test cleanup.
//
// Only the snippet may listen: the stock default site (port 80) is removed
// first, so a test never takes a real port or races another test for it.
func (n *Nginx) Start(ports ...int) (*Running, error) {
	n.t.Helper()
	if err := removeOtherSites(n.SitesEnabled, SnippetName); err != nil {
		return nil, err
	}
	// Workers run as www-data and spill request bodies and large responses
	// into n.Dir/tmp; a private (0700) temp dir turns that into a 500.
	if err := os.Chmod(n.Dir, 0o711); err != nil {
		return nil, err
	}
	out := filepath.Join(n.Dir, "nginx.out")
	f, err := os.Create(out)
	if err != nil {
		return nil, err
	}
	defer f.Close() // the child holds its own descriptor
	// The copied nginx.conf already sets pid and error_log; only the
	// foreground mode comes from the command line.
	cmd := exec.Command(n.Bin, append(n.Args(), "-g", "daemon off;")...)
	cmd.Stdout, cmd.Stderr = f, f
	return startServer(n.t, runSpec{
		name:    "nginx",
		cmd:     cmd,
		pidFile: n.PidFile,
		logs:    []string{out, n.ErrorLog},
		ports:   ports,
	})
}

// removeOtherSites deletes everything in dir except keep.
func removeOtherSites(dir, keep string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() != keep {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}
