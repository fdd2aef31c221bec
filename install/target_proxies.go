package install

import (
	"os"
	"path/filepath"
	"strings"
)

// Layouts of the providers that keep the file in a directory their stock
// configuration does not load (HAProxy, Caddy), and of those whose file no
// server on this machine loads (Kubernetes manifests).

// detectHAProxy: /etc/haproxy/conf.d/artifactory.cfg, checked with
// `haproxy -c -f haproxy.cfg -f conf.d` (the service's reload runs the
// same check on what it loads). conf.d keeps frontdoor out of the admin's
// haproxy.cfg, which a save would otherwise have to edit in the middle;
// the price is one line that makes the service load it, which the Note
// (and a save's report) gives when it is missing. RHEL's unit loads
// conf.d already ($CFGDIR).
func detectHAProxy(root string) Target {
	confDir := filepath.Join(root, "etc/haproxy")
	dir := filepath.Join(confDir, "conf.d")
	t := Target{
		Provider:  "haproxy",
		Layout:    LayoutConfD,
		Path:      filepath.Join(dir, FileNameFor("haproxy")),
		CheckCmd:  []string{"haproxy", "-c", "-f", filepath.Join(confDir, "haproxy.cfg"), "-f", dir},
		ReloadCmd: []string{"systemctl", "reload", "haproxy"},
		Root:      root,
		Detected:  isDir(confDir),
	}
	if !t.Detected {
		t.Note = notFound("haproxy", confDir)
		return t
	}
	service := readHAProxyService(root)
	if !isDir(dir) {
		// One message: what to create, and (when the service does not
		// load it yet) the line that makes it.
		t.MissingDir = dir
		t.Note = missingDirNote(dir)
		if !service.loads(t.Path) {
			t.Note += ", and have haproxy load it: " + service.loadFix(service.seen(dir))
		}
		return t
	}
	t.Note = service.skips(t.Path)
	return t
}

// missingDirNote is the one message of a target directory that does not
// exist: what to create.
func missingDirNote(dir string) string {
	return dir + " does not exist: create it (install -d " + dir + ")"
}

// detectCaddy: /etc/caddy/conf.d/artifactory.caddyfile, imported by the
// Caddyfile (`import conf.d/*.caddyfile`, which the Note asks for when it
// is missing), checked with `caddy validate --adapter caddyfile --config
// /etc/caddy/Caddyfile` (without --config, caddy would read ./Caddyfile).
// Debian's unit reloads with `caddy reload --config /etc/caddy/Caddyfile`.
func detectCaddy(root string) Target {
	confDir := filepath.Join(root, "etc/caddy")
	dir := filepath.Join(confDir, "conf.d")
	main := filepath.Join(confDir, "Caddyfile")
	t := Target{
		Provider:  "caddy",
		Layout:    LayoutConfD,
		Path:      filepath.Join(dir, FileNameFor("caddy")),
		CheckCmd:  []string{"caddy", "validate", "--adapter", "caddyfile", "--config", main},
		ReloadCmd: []string{"systemctl", "reload", "caddy"},
		Root:      root,
		Detected:  isDir(confDir),
	}
	if !t.Detected {
		t.Note = notFound("caddy", confDir)
		return t
	}
	var notes []string
	if !isDir(dir) {
		t.MissingDir = dir
		notes = append(notes, missingDirNote(dir))
	}
	if scope := ScopeOfCheck(root, t.CheckCmd); !isFile(main) {
		notes = append(notes, main+" does not exist: caddy reads it")
	} else if !scope.Loads(t.Path) && !scope.matchesPattern(t.Path) {
		notes = append(notes, main+" does not import "+filepath.Base(dir)+"/: "+scope.loadHint(t.Path))
	}
	t.Note = strings.Join(notes, "; ")
	return t
}

// detectManifest: a Kubernetes manifest is only written, to
// ./artifactory-ingress.yaml or ./artifactory-gateway.yaml (under root with
// a root, so a dry run stays in it): nothing here checks, reloads or
// enables it.
func detectManifest(provider, root string) Target {
	path := FileNameFor(provider)
	if root != "/" {
		path = filepath.Join(root, path)
	} else if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return Target{Provider: provider, Layout: LayoutFile, Path: path, Root: root, Detected: true, Manifest: true}
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

func notFound(provider, dir string) string {
	return "no " + provider + " configuration found under " + dir + ": is " + provider + " installed? Edit the target path."
}
