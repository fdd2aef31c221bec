// Package install puts a rendered snippet into a web server's configuration
// without ever leaving a broken or half-written file behind: temp file in the
// same directory, fsync, byte-identical backup, atomic rename, check, and a
// rollback when the check fails. See docs/save.md for the guarantees.
//
// Everything here is plain functions over explicit arguments (no global
// state), so the wizard can call them from a tea.Cmd and tests can point them
// at a temporary root.
package install

import (
	"os"
	"path/filepath"
	"strings"
)

// FileName is the snippet's file name in nginx's and Apache's layouts;
// FileNameFor names it for every provider.
const FileName = "artifactory.conf"

// FileNameFor is the name of the provider's file: HAProxy loads only *.cfg
// from a directory, the Caddyfile line imports *.caddyfile, and a Kubernetes
// manifest says which kind it is.
func FileNameFor(provider string) string {
	switch provider {
	case "haproxy":
		return "artifactory.cfg"
	case "caddy":
		return "artifactory.caddyfile"
	case "kubernetes-ingress":
		return "artifactory-ingress.yaml"
	case "gateway-api":
		return "artifactory-gateway.yaml"
	}
	return FileName
}

// Layout is how a web server's configuration directory is organised.
type Layout string

const (
	// LayoutSitesAvailable: the file lives in sites-available/ and a symlink
	// in sites-enabled/ turns it on (Debian, Ubuntu).
	LayoutSitesAvailable Layout = "sites-available"
	// LayoutSitesEnabled: only sites-enabled/ exists; the file goes there.
	LayoutSitesEnabled Layout = "sites-enabled"
	// LayoutConfD: conf.d/*.conf is included (RHEL, Fedora, nginx.org
	// packages); for HAProxy and Caddy, the conf.d/ the main configuration
	// (or the service) has to be told to load.
	LayoutConfD Layout = "conf.d"
	// LayoutFile: a file of its own, loaded by no server on this machine
	// (Kubernetes manifests, applied with kubectl).
	LayoutFile Layout = "file"
)

// Target is where a provider's snippet goes and how to check and reload the
// server afterwards. Every field is a suggestion the caller may edit.
type Target struct {
	Provider   string
	Layout     Layout
	Path       string   // the snippet file
	EnableLink string   // symlink that enables Path ("" when the layout has none)
	CheckCmd   []string // e.g. nginx -t
	ReloadCmd  []string // e.g. systemctl reload nginx; run only when asked
	// CheckChosen: CheckCmd was given by the user rather than detected; see Plan.CheckRequired.
	CheckChosen bool
	ApacheCtl   string // apache2ctl or httpd, for MissingApacheModules; "" for nginx
	// ModulesCmd lists Apache's loaded modules (`apache2ctl -M`) for the
	// configuration under Root; nil for nginx. See Target.MissingModules.
	ModulesCmd []string
	// Root is the file system root the layout was detected under ("/" for
	// this machine). Under another root the check and module commands read
	// the configuration there (nginx -c, APACHE_CONFDIR, httpd -d/-f).
	Root string
	// Detected is false when no configuration directory of the server was
	// found under root: the fields are then the usual Debian defaults.
	Detected bool
	// Note explains anything unusual (no snippet for this provider, nothing
	// detected, a conf.d/ the server does not load yet and the line to add).
	Note string
	// MissingDir is Path's directory when it does not exist, and Note then
	// says how to create it (and what the server needs to load it): a save
	// fails with Note alone (app), not with it and an I/O error.
	MissingDir string
	// Manifest: the file is a Kubernetes manifest, only saved here: nothing
	// on this machine checks, reloads or enables it (apply it with kubectl).
	Manifest bool
}

// Plan turns the target into a save plan for content. It checks with the
// target's check command but never reloads: a reload is only done when the
// user asks for it (set Plan.ReloadCmd, e.g. to t.ReloadCmd).
func (t Target) Plan(content []byte) Plan {
	return Plan{
		Target:     t.Path,
		Content:    content,
		EnableLink: t.EnableLink,
		CheckCmd:   append([]string(nil), t.CheckCmd...),
		Root:       t.Root,
		Manifest:   t.Manifest,

		CheckRequired: t.CheckChosen,
	}
}

// Rooted reports whether the target was detected under another root than "/".
func (t Target) Rooted() bool { return cleanRoot(t.Root) != "/" }

// DetectTarget looks at the configuration layout under root ("/" normally, a
// temporary directory in tests) and returns where the provider's snippet goes.
// It never fails: when nothing is found it returns the Debian defaults with
// Detected false, and for providers without a snippet an empty Path and a Note.
//
// Under a root other than "/", the check (and Apache's module probe) read the
// configuration under root: `nginx -t -c ROOT/etc/nginx/nginx.conf -e
// stderr`, `env APACHE_CONFDIR=ROOT/etc/apache2 apache2ctl -t` (Debian's
// apache2ctl then reads that envvars and runs apache2 -d on it), `httpd -t -d
// ROOT/etc/httpd -f ROOT/etc/httpd/conf/httpd.conf`; HAProxy's and Caddy's
// name their files (`haproxy -c -f ROOT/etc/haproxy/haproxy.cfg -f
// ROOT/etc/haproxy/conf.d`, `caddy validate --config ROOT/etc/caddy/Caddyfile`).
// Whether that configuration stays under root (includes, ServerRoot) is
// judged at save time: see ScopeOfCheck.
//
// HAProxy and Caddy get a file in conf.d/, which neither loads as
// installed: Debian's haproxy service reads haproxy.cfg only, and the stock
// Caddyfile imports nothing. The Note says what to add when it is missing
// (and a save says so instead of "checked"). Kubernetes outputs are a file
// in the current directory (under root with a root), with no check, reload
// or enable link: Manifest.
func DetectTarget(provider string, root string) Target {
	root = cleanRoot(root)
	rooted := root != "/"
	at := func(rel string) string { return filepath.Join(root, rel) }
	switch provider {
	case "nginx":
		check := []string{"nginx", "-t"}
		if rooted {
			// -e: nginx opens its compiled-in error log before reading -c; keep it off the real /var/log.
			check = append(check, "-c", at("etc/nginx/nginx.conf"), "-e", "stderr")
		}
		return detect(provider, root, "etc/nginx", layoutCommands{
			check:  check,
			reload: []string{"systemctl", "reload", "nginx"},
		})
	case "apache":
		debian := layoutCommands{
			check:   []string{"apache2ctl", "-t"},
			modules: []string{"apache2ctl", "-M"},
			reload:  []string{"apache2ctl", "graceful"},
			ctl:     "apache2ctl",
		}
		// RHEL's httpd: conf.d/*.conf, no apache2ctl (apachectl is its wrapper).
		rhel := layoutCommands{
			check:   []string{"httpd", "-t"},
			modules: []string{"httpd", "-M"},
			reload:  []string{"apachectl", "graceful"},
			ctl:     "httpd",
		}
		if rooted {
			env := "APACHE_CONFDIR=" + at("etc/apache2")
			debian.check = []string{"env", env, "apache2ctl", "-t"}
			debian.modules = []string{"env", env, "apache2ctl", "-M"}
			rootArgs := []string{"-d", at("etc/httpd"), "-f", at("etc/httpd/conf/httpd.conf")}
			rhel.check = append(rhel.check, rootArgs...)
			rhel.modules = append(rhel.modules, rootArgs...)
		}
		if isDir(filepath.Join(root, "etc/apache2")) {
			return detect(provider, root, "etc/apache2", debian)
		}
		if isDir(filepath.Join(root, "etc/httpd/conf.d")) {
			return detect(provider, root, "etc/httpd", rhel)
		}
		return detect(provider, root, "etc/apache2", debian)
	case "haproxy":
		return detectHAProxy(root)
	case "caddy":
		return detectCaddy(root)
	case "kubernetes-ingress", "gateway-api":
		return detectManifest(provider, root)
	case "tomcat":
		return Target{Provider: provider, Root: root, Note: "embedded Tomcat: clients talk to Artifactory directly, there is no snippet to install"}
	default:
		return Target{Provider: provider, Root: root, Note: "unknown provider " + quote(provider) + ": frontdoor does not know where its file goes"}
	}
}

type layoutCommands struct {
	check, modules, reload []string
	ctl                    string
}

func detect(provider, root, confDir string, cmds layoutCommands) Target {
	dir := filepath.Join(root, confDir)
	t := Target{
		Provider:   provider,
		CheckCmd:   cmds.check,
		ReloadCmd:  cmds.reload,
		ApacheCtl:  cmds.ctl,
		ModulesCmd: cmds.modules,
		Root:       root,
		Detected:   true,
	}
	available, enabled, confd := filepath.Join(dir, "sites-available"), filepath.Join(dir, "sites-enabled"), filepath.Join(dir, "conf.d")
	switch {
	case isDir(available):
		t.Layout = LayoutSitesAvailable
		t.Path = filepath.Join(available, FileName)
		t.EnableLink = filepath.Join(enabled, FileName)
		if !isDir(enabled) {
			t.Note = enabled + " does not exist: create it, or clear the enable link"
		}
	case isDir(enabled):
		t.Layout = LayoutSitesEnabled
		t.Path = filepath.Join(enabled, FileName)
	case isDir(confd):
		t.Layout = LayoutConfD
		t.Path = filepath.Join(confd, FileName)
	default:
		t.Detected = false
		t.Layout = LayoutSitesAvailable
		t.Path = filepath.Join(available, FileName)
		t.EnableLink = filepath.Join(enabled, FileName)
		t.Note = notFound(provider, dir)
	}
	return t
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// ParseCommand splits a command line on white space. There is no shell and no
// quoting: "nginx -t -c /etc/nginx/nginx.conf" becomes three words. An empty
// or blank line gives nil (no command).
func ParseCommand(line string) []string {
	f := strings.Fields(line)
	if len(f) == 0 {
		return nil
	}
	return f
}

// FormatCommand is the inverse of ParseCommand, for display and editing.
func FormatCommand(argv []string) string { return strings.Join(argv, " ") }

func quote(s string) string { return "\"" + s + "\"" }
