package install

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// This file reads how systemd starts haproxy, to tell whether the running
// server loads a file: `haproxy -c -f haproxy.cfg -f conf.d` can pass while
// the service, started with `-f haproxy.cfg` only (Debian's unit), never
// reads conf.d. HAProxy has no include directive: its -f options are the
// whole story.

// haproxyService is the haproxy service under a root: the -f arguments its
// ExecStart gets once the unit's and the environment files' variables are
// expanded, and where an admin changes them.
type haproxyService struct {
	root    string
	configs []string // -f arguments (and those after --), as the service sees them
	// usesExtra: ExecStart passes $EXTRAOPTS (Debian's unit), so the fix is
	// an EXTRAOPTS line; extra is its value as the service gets it.
	usesExtra bool
	extra     string
	// envFile is the environment file to put EXTRAOPTS in (as the service
	// sees it): the last that sets it, else Debian's /etc/default/haproxy.
	envFile string
	extraIn bool // envFile sets EXTRAOPTS already (change it rather than add it)
}

// debianHAProxyUnit is the [Service] part of Debian's haproxy.service,
// assumed when no unit is found under the root (a copy of /etc only, an
// init script that reads the same /etc/default/haproxy).
const debianHAProxyUnit = `[Service]
EnvironmentFile=-/etc/default/haproxy
EnvironmentFile=-/etc/sysconfig/haproxy
Environment="CONFIG=/etc/haproxy/haproxy.cfg" "PIDFILE=/run/haproxy.pid" "EXTRAOPTS=-S /run/haproxy-master.sock"
ExecStart=/usr/sbin/haproxy -Ws -f $CONFIG -p $PIDFILE $EXTRAOPTS
`

// unitDirs are systemd's unit directories, most important first.
var unitDirs = []string{"etc/systemd/system", "run/systemd/system", "usr/local/lib/systemd/system", "usr/lib/systemd/system", "lib/systemd/system"}

// readHAProxyService reads haproxy.service (and its drop-ins) under root.
func readHAProxyService(root string) haproxyService {
	var unit unitService
	found := false
	for _, d := range unitDirs {
		if data, err := os.ReadFile(filepath.Join(root, d, "haproxy.service")); err == nil {
			unit.parse(string(data))
			found = true
			break
		}
	}
	if !found {
		unit.parse(debianHAProxyUnit)
	}
	// Drop-ins: every haproxy.service.d/*.conf, by file name; a name in a
	// more important directory hides the same name in a later one.
	dropIns := map[string]string{}
	for _, d := range slices.Backward(unitDirs) {
		matches, _ := filepath.Glob(filepath.Join(root, d, "haproxy.service.d", "*.conf"))
		for _, m := range matches {
			dropIns[filepath.Base(m)] = m
		}
	}
	for _, name := range sortedKeys(dropIns) {
		if data, err := os.ReadFile(dropIns[name]); err == nil {
			unit.parse(string(data))
		}
	}

	h := haproxyService{root: root}
	env := map[string]string{}
	for _, kv := range unit.environment {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	for _, f := range unit.envFiles {
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			continue // optional (-) or missing: systemd would refuse to start on a required one
		}
		for k, v := range parseEnvFile(string(data)) {
			env[k] = v
			if k == "EXTRAOPTS" {
				h.envFile, h.extraIn = f, true
			}
		}
	}
	if h.envFile == "" {
		h.envFile = "/etc/default/haproxy"
		if !slices.Contains(unit.envFiles, h.envFile) && len(unit.envFiles) > 0 {
			h.envFile = unit.envFiles[0]
		}
	}
	h.extra = env["EXTRAOPTS"]
	words := expandExec(unit.execStart, env)
	h.usesExtra = strings.Contains(unit.execStart, "$EXTRAOPTS") || strings.Contains(unit.execStart, "${EXTRAOPTS}")
	for i := 0; i < len(words); i++ {
		switch {
		case words[i] == "--":
			h.configs = append(h.configs, words[i+1:]...)
			i = len(words)
		case words[i] == "-f" && i+1 < len(words):
			h.configs = append(h.configs, words[i+1])
			i++
		}
	}
	return h
}

// loads reports whether the service loads file (a path under the root):
// named by a -f, or in a -f directory, where HAProxy reads the *.cfg files
// whose names do not start with a dot.
func (h haproxyService) loads(file string) bool {
	file = evalOr(file)
	for _, c := range h.configs {
		if !filepath.IsAbs(c) {
			continue // relative to the service's directory: not known here
		}
		p := evalOr(filepath.Join(h.root, c))
		if p == file {
			return true
		}
		name := filepath.Base(file)
		if isDir(p) && evalOr(filepath.Dir(file)) == p && strings.HasSuffix(name, ".cfg") && !strings.HasPrefix(name, ".") {
			return true
		}
	}
	return false
}

// skips says that the service does not load file and what makes it load
// file's directory; "" when it loads it.
func (h haproxyService) skips(file string) string {
	if h.loads(file) {
		return ""
	}
	seen := h.seen(filepath.Dir(file))
	what := "haproxy does not load " + seen
	if !strings.HasSuffix(file, ".cfg") || strings.HasPrefix(filepath.Base(file), ".") {
		return what + "'s " + filepath.Base(file) + ": HAProxy reads only the *.cfg files of a directory, not starting with a dot"
	}
	return what + ": " + h.loadFix(seen)
}

// seen is dir (under the root) as the service sees it.
func (h haproxyService) seen(dir string) string {
	if h.root == "/" {
		return filepath.Clean(dir)
	}
	return filepath.Clean("/" + strings.TrimPrefix(dir, h.root))
}

// loadFix says how to make the service load dir (as the service sees it):
// the EXTRAOPTS line of its environment file, or its ExecStart.
func (h haproxyService) loadFix(seen string) string {
	envFile := filepath.Join(h.root, h.envFile)
	if !h.usesExtra {
		return "add -f " + seen + " to the ExecStart of haproxy.service (systemctl edit haproxy), then systemctl restart haproxy"
	}
	line := `EXTRAOPTS="` + strings.TrimSpace(h.extra+" -f "+seen) + `"`
	if h.extraIn {
		return "change EXTRAOPTS in " + envFile + " to " + line + ", then systemctl restart haproxy"
	}
	return "add " + line + " to " + envFile + ", then systemctl restart haproxy"
}

// unitService is the [Service] settings of a unit and its drop-ins that
// decide a command line.
type unitService struct {
	environment []string // KEY=value, in order
	envFiles    []string // without the optional marker "-"
	execStart   string
}

func (u *unitService) parse(text string) {
	section := ""
	text = strings.ReplaceAll(text, "\\\n", " ")
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[]")
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok || section != "Service" {
			continue
		}
		value = strings.TrimSpace(value)
		switch strings.TrimSpace(key) {
		case "Environment":
			if value == "" {
				u.environment = nil
			}
			u.environment = append(u.environment, splitWords(value)...)
		case "EnvironmentFile":
			if value == "" {
				u.envFiles = nil
				continue
			}
			u.envFiles = append(u.envFiles, strings.TrimPrefix(value, "-"))
		case "ExecStart":
			u.execStart = strings.TrimLeft(value, "-@:+!")
		}
	}
}

// parseEnvFile reads KEY=value lines as systemd's EnvironmentFile= does:
// comments, blank lines, and values in single or double quotes.
func parseEnvFile(text string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		}
		out[strings.TrimSpace(k)] = v
	}
	return out
}

// expandExec splits a unit's command line into words and expands its
// variables as systemd does: a lone $VAR becomes the value's words, ${VAR}
// the value as one word.
func expandExec(line string, env map[string]string) []string {
	var out []string
	for _, w := range splitWords(line) {
		if name, ok := strings.CutPrefix(w, "$"); ok && !strings.HasPrefix(name, "{") {
			out = append(out, strings.Fields(env[name])...)
			continue
		}
		for {
			i := strings.Index(w, "${")
			j := strings.IndexByte(w[max(i, 0):], '}')
			if i < 0 || j < 0 {
				break
			}
			w = w[:i] + env[w[i+2:i+j]] + w[i+j+1:]
		}
		out = append(out, w)
	}
	return out
}

// splitWords splits on white space, keeping "double" and 'single' quoted
// parts together (without the quotes).
func splitWords(s string) []string {
	var words []string
	var w strings.Builder
	in, quote := false, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			w.WriteByte(c)
		case c == '"' || c == '\'':
			quote, in = c, true
		case c == ' ' || c == '\t':
			if in {
				words = append(words, w.String())
				w.Reset()
				in = false
			}
		default:
			w.WriteByte(c)
			in = true
		}
	}
	if in {
		words = append(words, w.String())
	}
	return words
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
