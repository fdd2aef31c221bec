package render

import (
	"fmt"
	"slices"
	"strings"
)

// An admin's template can drop the route to the nodes (an override of
// nginx-proxy without its proxy_pass, a backend without its servers) and
// still render a snippet the server accepts: it would serve errors instead
// of Artifactory. routeProblem reads the rendered output the way the web
// server would route it and says which nodes no request can reach.
// Anything it cannot resolve (a variable in a target, a dynamic backend)
// is taken as reaching every node: a finding must never be a false alarm.

// routeReach is the addresses an output proxies to; all is set when a
// target cannot be resolved (a variable), which then counts as every node.
type routeReach struct {
	addrs map[string]bool // lower case: host names are not case-sensitive
	all   bool
}

func (r *routeReach) add(target string) {
	if strings.ContainsAny(target, "${%") {
		r.all = true // a variable or a placeholder: chosen at request time
		return
	}
	r.addrs[strings.ToLower(hostPort(target))] = true
}

// hostPort is the host:port of a proxy target: "http://h:8082/x" → "h:8082".
func hostPort(target string) string {
	if _, rest, ok := strings.Cut(target, "://"); ok {
		target = rest
	}
	if i := strings.IndexByte(target, '/'); i >= 0 {
		target = target[:i]
	}
	return target
}

// directives splits output into the fields of its directive lines: comment
// and blank lines dropped, quotes and nginx's ';' taken off each field.
func directives(out []byte) [][]string {
	var lines [][]string
	for line := range strings.SplitSeq(string(out), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		fields := strings.Fields(line)
		for i, f := range fields {
			fields[i] = strings.Trim(f, `"';`)
		}
		lines = append(lines, fields)
	}
	return lines
}

// nginxStatements splits nginx output into statements: a directive ends
// at ';', a block's head at '{' (kept as its last field), and '}' is a
// statement of its own, so `location / { proxy_pass http://n; }` on one
// line is three. Comments are dropped; quoted text is not split.
func nginxStatements(out []byte) [][]string {
	var stmts [][]string
	var cur strings.Builder
	emit := func(extra ...string) {
		fields := strings.Fields(cur.String())
		for i, f := range fields {
			fields[i] = strings.Trim(f, `"'`)
		}
		if fields = append(fields, extra...); len(fields) > 0 {
			stmts = append(stmts, fields)
		}
		cur.Reset()
	}
	var quote byte
	comment := false
	for _, c := range out {
		switch {
		case comment:
			comment = c != '\n'
		case quote != 0:
			cur.WriteByte(c)
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
			cur.WriteByte(c)
		case c == '#':
			comment = true
		case c == ';':
			emit()
		case c == '{':
			emit("{")
		case c == '}':
			emit()
			emit("}")
		default:
			cur.WriteByte(c)
		}
	}
	emit()
	return stmts
}

// noRoute says, in each provider's words, that nothing proxies to a node.
var noRoute = map[Provider]string{
	Nginx:   "no proxy_pass reaches",
	Apache:  "no ProxyPass reaches",
	HAProxy: "no backend that use_backend or default_backend picks has a server line for",
	Caddy:   "no reverse_proxy reaches",
}

// reached is where out, in p's syntax, proxies requests to; ok is false
// for a provider this does not read (the Kubernetes outputs name Services).
func reached(p Provider, out []byte) (routeReach, bool) {
	r := routeReach{addrs: map[string]bool{}}
	lines := directives(out)
	switch p {
	case Nginx:
		lines = nginxStatements(out)
		upstreams := groups(lines, func(f []string) (string, bool) {
			if f[0] == "upstream" && len(f) > 1 {
				return f[1], true
			}
			return "", f[0] == "}"
		}, func(f []string) string {
			if f[0] == "server" && len(f) > 1 {
				return f[1]
			}
			return ""
		})
		for _, f := range lines {
			if f[0] == "proxy_pass" && len(f) > 1 {
				r.addVia(hostPort(f[1]), upstreams)
			}
		}
	case Apache:
		balancers := groups(lines, func(f []string) (string, bool) {
			if strings.EqualFold(f[0], "<Proxy") && len(f) > 1 {
				return strings.TrimRight(f[1], `>"`), true
			}
			return "", strings.EqualFold(f[0], "</Proxy>")
		}, func(f []string) string {
			if strings.EqualFold(f[0], "BalancerMember") && len(f) > 1 {
				return f[1]
			}
			return ""
		})
		for _, f := range lines {
			switch {
			case strings.EqualFold(f[0], "ProxyPass"), strings.EqualFold(f[0], "ProxyPassMatch"),
				strings.EqualFold(f[0], "RewriteRule") && apacheProxyFlag(f):
				for _, a := range f[1:] {
					if strings.Contains(a, "://") { // the target; "!" excludes a path
						key := hostPort(a)
						if strings.HasPrefix(a, "balancer://") {
							key = "balancer://" + key
						}
						r.addVia(key, balancers)
						break
					}
				}
			}
		}
	case HAProxy:
		backends := groups(lines, func(f []string) (string, bool) {
			switch f[0] {
			case "backend", "listen":
				if len(f) > 1 {
					return f[1], true
				}
			case "frontend", "defaults", "global", "resolvers", "peers", "userlist", "cache", "program", "http-errors", "ring", "mailers":
				return "", true
			}
			return "", false
		}, func(f []string) string {
			if f[0] == "server" && len(f) > 2 {
				return f[2]
			}
			return ""
		})
		for _, f := range lines {
			switch {
			case (f[0] == "use_backend" || f[0] == "default_backend") && len(f) > 1:
				r.addVia(f[1], backends)
			case f[0] == "listen" && len(f) > 1: // a listen section serves its own servers
				r.addVia(f[1], backends)
			}
		}
	case Caddy:
		for _, f := range lines {
			if f[0] != "reverse_proxy" && f[0] != "to" {
				continue
			}
			for _, a := range f[1:] {
				if a == "{" {
					break
				}
				if strings.HasPrefix(a, "/") || strings.HasPrefix(a, "@") || a == "*" {
					continue // a matcher
				}
				r.add(a)
			}
		}
	default:
		return r, false
	}
	return r, true
}

// addVia adds a target that may name a group (an nginx upstream, an Apache
// balancer://NAME, an HAProxy backend): its members, else the target itself.
func (r *routeReach) addVia(target string, groups map[string][]string) {
	if strings.ContainsAny(target, "${%") {
		r.all = true
		return
	}
	if members, ok := groups[target]; ok {
		for _, m := range members {
			r.add(m)
		}
		return
	}
	if strings.HasPrefix(target, "balancer://") {
		return // a balancer the output does not define reaches nothing
	}
	r.add(target)
}

// groups collects the members of named blocks: open says whether a line
// starts a block (its name) or ends the current one; member picks a
// member's address from a line ("" when the line is none).
func groups(lines [][]string, open func([]string) (string, bool), member func([]string) string) map[string][]string {
	out := map[string][]string{}
	current := ""
	for _, f := range lines {
		if name, edge := open(f); edge {
			current = name
			continue
		}
		if current == "" {
			continue
		}
		if m := member(f); m != "" {
			out[current] = append(out[current], m)
		}
	}
	return out
}

// apacheProxyFlag reports whether a RewriteRule proxies ([P] or [proxy]).
func apacheProxyFlag(f []string) bool {
	last := f[len(f)-1]
	if !strings.HasPrefix(last, "[") {
		return false
	}
	for flag := range strings.SplitSeq(strings.Trim(last, "[]"), ",") {
		if strings.EqualFold(flag, "P") || strings.EqualFold(flag, "proxy") {
			return true
		}
	}
	return false
}

// routeProblem says what keeps out, rendered for s, from proxying to the
// nodes ("" when nothing does, or the output is not one this reads). The
// router is what matters: it serves the UI and the platform's APIs, and
// /artifactory/ too, so a template may send everything to it; the direct
// route to Artifactory's port is the embedded templates' shortcut. An
// error when no router node is reached; a warning when some router or
// Artifactory node of several gets no requests (the others still serve).
func routeProblem(s *Settings, out []byte) (string, Severity) {
	r, ok := reached(s.Provider, out)
	if !ok || r.all {
		return "", Warning
	}
	v := newView(s)
	missing := func(addrs []string) []string {
		var out []string
		for _, a := range addrs {
			if !r.addrs[strings.ToLower(a)] {
				out = append(out, a)
			}
		}
		return out
	}
	router, direct := missing(v.RouterNodes), missing(v.DirectNodes)
	if len(router) == len(v.RouterNodes) {
		return fmt.Sprintf("the snippet would not proxy to Artifactory: %s the router at %s (the UI, the platform's APIs and /artifactory/)",
			noRoute[s.Provider], strings.Join(router, ", ")), Error
	}
	var unused []string
	if len(router) > 0 {
		unused = append(unused, "the router at "+strings.Join(router, ", "))
	}
	if len(direct) > 0 && len(direct) < len(v.DirectNodes) {
		unused = append(unused, "Artifactory at "+strings.Join(direct, ", ")+" (/artifactory/)")
	}
	if len(unused) == 0 {
		return "", Warning
	}
	return fmt.Sprintf("%s %s: those nodes would get no requests", noRoute[s.Provider], strings.Join(unused, ", nor ")), Warning
}

// checkRoutes is the finding for output rendered for s with t: the
// admin's file (and the blocks it replaces) named, when the output would
// not proxy to the nodes (routeProblem). Outputs of the embedded templates
// alone are not read: their goldens are tested.
func (t *Templates) checkRoutes(s *Settings, out []byte) (*TemplateError, Severity) {
	files, replaced := t.adminParts(s.Provider)
	if len(files) == 0 {
		return nil, Warning
	}
	problem, severity := routeProblem(s, out)
	if problem == "" {
		return nil, Warning
	}
	var blocks []string
	for _, f := range files {
		for _, n := range replaced[f] {
			if n != "" {
				blocks = append(blocks, n)
			}
		}
	}
	msg := problem
	if len(blocks) > 0 && !slices.Contains(replaced[files[0]], "") {
		msg = "its " + strings.Join(blocks, ", ") + ": " + problem
	}
	if len(files) > 1 {
		msg += " (with " + strings.Join(files[1:], ", ") + ")"
	}
	return &TemplateError{File: files[0], Admin: true, Msg: msg}, severity
}
