package install

import (
	"os"
	"path/filepath"
	"strings"
)

// CheckScope is what a check command reads, as far as frontdoor can tell
// from its command line and the configuration files it loads. It decides
// whether a passing check may be reported as "checked": a check that reads
// another configuration than the one under Root, or that never loads the
// saved file, vouches for nothing.
type CheckScope struct {
	Root string // the root the target was detected under; "/" for this machine
	// Main is the main configuration file the check reads; "" when the
	// program is not one whose command line frontdoor knows (nginx, Apache,
	// HAProxy, Caddy).
	Main string
	// Rooted: everything the check reads as configuration is under Root
	// (always true for "/"). For a program frontdoor does not know, it means
	// the command points into Root.
	Rooted bool
	Why    string // why the check is not Rooted
	// Files are the configuration files the check loads (symbolic links
	// resolved), complete when Complete.
	Files    []string
	Complete bool // every include could be followed

	prog     string   // the check's program, by base name
	patterns []string // the include globs met (absolute), for files not written yet
	// service is how the haproxy service is started under Root: HAProxy's
	// check names its files, and the service may not load the same ones.
	service *haproxyService
}

// Loads reports whether the check loads file (a resolved path, as
// Report.File). It is true when that cannot be told (Complete is false).
func (s CheckScope) Loads(file string) bool {
	if !s.Complete {
		return true
	}
	file = evalOr(file)
	for _, f := range s.Files {
		if f == file {
			return true
		}
	}
	return false
}

// ServiceSkips says, when the server as its service starts it does not
// load file although the check did, why and what to change ("haproxy does
// not load /etc/haproxy/conf.d: add EXTRAOPTS=... to /etc/default/haproxy,
// then systemctl restart haproxy"); "" when it loads it or that cannot be
// told. Only HAProxy's check is told apart from its service.
func (s CheckScope) ServiceSkips(file string) string {
	if s.service == nil {
		return ""
	}
	return s.service.skips(file)
}

// ScopeOfCheck works out what check reads when the target was detected under
// root ("" or "/" for this machine).
func ScopeOfCheck(root string, check []string) CheckScope {
	root = cleanRoot(root)
	s := CheckScope{Root: root, Rooted: true}
	cl := parseCommandLine(check)
	if cl.prog == "" {
		return s
	}
	sc := scanner{root: root, resolvedRoot: evalOr(root)}
	s.prog = filepath.Base(cl.prog)
	switch s.prog {
	case "nginx":
		s.Main = cl.nginxMain()
		sc.scanNginx(s.Main, filepath.Dir(s.Main), 0)
	case "apache2ctl":
		sc.debianApache(cl)
		s.Main = sc.main
	case "apachectl":
		if real, err := filepath.EvalSymlinks(lookProgram(cl.prog)); err == nil && filepath.Base(real) == "apache2ctl" {
			sc.debianApache(cl) // Debian: apachectl is apache2ctl
		} else {
			sc.apache(cl, "/etc/httpd", "conf/httpd.conf")
		}
		s.Main = sc.main
	case "apache2":
		sc.apache(cl, "/etc/apache2", "apache2.conf")
		s.Main = sc.main
	case "httpd":
		sc.apache(cl, "/etc/httpd", "conf/httpd.conf")
		s.Main = sc.main
	case "haproxy":
		sc.haproxyCheck(cl)
		s.Main = sc.main
		svc := readHAProxyService(root)
		s.service = &svc
	case "caddy":
		sc.caddyCheck(cl)
		s.Main = sc.main
	default:
		if root != "/" && !cl.pointsInto(root) {
			s.Rooted = false
			s.Why = "`" + FormatCommand(check) + "` does not point into " + root + ", so it cannot be checking the configuration there"
		}
		return s
	}
	s.Files, s.Complete, s.patterns = sc.files, !sc.incomplete, sc.patterns
	if root != "/" && sc.outside != "" {
		s.Rooted, s.Why = false, sc.outside
	}
	return s
}

func cleanRoot(root string) string {
	if root == "" {
		return "/"
	}
	if abs, err := filepath.Abs(root); err == nil {
		return abs
	}
	return filepath.Clean(root)
}

func evalOr(path string) string {
	if r, err := filepath.EvalSymlinks(path); err == nil {
		return r
	}
	return path
}

// commandLine is a check command taken apart: `env A=B prog args...`.
type commandLine struct {
	prog string
	args []string
	env  map[string]string // assignments given with env
}

func parseCommandLine(argv []string) commandLine {
	cl := commandLine{env: map[string]string{}}
	if len(argv) == 0 {
		return cl
	}
	if filepath.Base(argv[0]) == "env" {
		rest := argv[1:]
		for len(rest) > 0 && strings.Contains(rest[0], "=") && !strings.HasPrefix(rest[0], "-") {
			k, v, _ := strings.Cut(rest[0], "=")
			cl.env[k] = v
			rest = rest[1:]
		}
		if len(rest) == 0 || strings.HasPrefix(rest[0], "-") {
			return commandLine{prog: argv[0], args: argv[1:], env: map[string]string{}} // env's own options: not understood
		}
		argv = rest
	}
	cl.prog, cl.args = argv[0], argv[1:]
	return cl
}

// program is the program a command line runs, looking through `env A=B`.
func program(argv []string) string { return parseCommandLine(argv).prog }

func (cl commandLine) getenv(name string) string {
	if v, ok := cl.env[name]; ok {
		return v
	}
	return os.Getenv(name)
}

// flag returns the value of a one-letter option given as "-c value" or "-cvalue".
func (cl commandLine) flag(name string) (string, bool) {
	val, found := "", false
	for i := 0; i < len(cl.args); i++ {
		a := cl.args[i]
		switch {
		case a == name && i+1 < len(cl.args):
			val, found = cl.args[i+1], true
			i++
		case strings.HasPrefix(a, name) && len(a) > len(name):
			val, found = a[len(name):], true
		}
	}
	return val, found
}

func (cl commandLine) pointsInto(root string) bool {
	in := func(s string) bool { return filepath.IsAbs(s) && under(root, filepath.Clean(s)) }
	for _, a := range cl.args {
		if in(a) {
			return true
		}
		if _, v, ok := strings.Cut(a, "="); ok && in(v) {
			return true
		}
	}
	for _, v := range cl.env {
		if in(v) {
			return true
		}
	}
	return in(cl.prog)
}

// nginxMain is the main configuration file of an nginx command line: -c,
// relative to the prefix (-p) when relative; Debian's and RHEL's default otherwise.
func (cl commandLine) nginxMain() string {
	conf, ok := cl.flag("-c")
	if !ok {
		return "/etc/nginx/nginx.conf"
	}
	if filepath.IsAbs(conf) {
		return filepath.Clean(conf)
	}
	prefix, ok := cl.flag("-p")
	if !ok {
		prefix = "/usr/share/nginx"
	}
	return filepath.Join(prefix, conf)
}

func under(root, path string) bool {
	if root == "/" {
		return true
	}
	return path == root || strings.HasPrefix(path, root+string(filepath.Separator))
}
