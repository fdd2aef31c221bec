package importer

// nginx: rewrites (Docker methods, redirects), returns, locations (routes),
// and the headers and tuning a request for /artifactory/ gets.

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"frontdoor/importer/conftree"
	"frontdoor/importer/semantic"
	"frontdoor/render"
)

// rewrites reads the rewrite directives of a block: the Docker methods and
// redirects of single paths. guarded says the block runs only when a
// Docker repository variable is set.
func (ns *nginxServer) rewrites(block []*conftree.Node, guarded bool) {
	for _, n := range flattenIncludes(block) {
		if n.Name != "rewrite" || len(n.Args) < 2 {
			continue
		}
		pattern, target, flag := n.Args[0], n.Args[1], n.Arg(2)
		if ns.docker(n, pattern, target, guarded) {
			continue
		}
		if flag == "redirect" || flag == "permanent" {
			status := 302
			if flag == "permanent" {
				status = 301
			}
			if strings.Contains(target, "://") && (pattern == "^" || pattern == "^(.*)$" || pattern == "^/(.*)$" || pattern == "^(.*)" || pattern == ".*" || pattern == "^/?(.*)$") {
				ns.s.Redirect = &semantic.Redirect{Status: status, Target: ns.redirectTarget(target, true), Pos: n.Pos()}
				ns.x.use(n)
				continue
			}
			ns.s.PathRedirects = append(ns.s.PathRedirects, semantic.PathRedirect{From: regexPath(pattern), To: ns.value(target), Status: status, Pos: n.Pos()})
			ns.x.use(n)
		}
	}
}

// redirectTarget normalises a redirect's Location: a capture of the whole
// path ($1 of ^(.*)$) is the request's path.
func (ns *nginxServer) redirectTarget(t string, capture bool) string {
	if capture {
		t = strings.ReplaceAll(t, "$1", "$uri")
	}
	t = strings.TrimSuffix(t, "?")
	v := ns.value(t)
	return strings.ReplaceAll(v, tokPath, tokURI)
}

// docker reads a rewrite as a Docker method, if it is one.
func (ns *nginxServer) docker(n *conftree.Node, pattern, target string, guarded bool) bool {
	part := dockerRepoPart(target)
	rule := semantic.DockerRule{Guarded: guarded, Pos: n.Pos()}
	isRepoVar := func(ref string) bool {
		name := strings.TrimPrefix(ref, "$")
		return ns.repoVs[name] || ns.ports[name]
	}
	switch {
	case part == "":
		if (pattern == "^/(v2)/(.*)" || pattern == "^/(v2)/(.*)$") && target == "/artifactory/$1/$2" {
			rule.Method = semantic.DockerPath
			rule.From, rule.To = dockerShape(pattern, target, nil)
			break
		}
		return false
	case isLiteralKey(part):
		rule.Method, rule.Key = semantic.DockerPort, part
		rule.From, rule.To = dockerShape(pattern, strings.Replace(target, "/"+part+"/", "/{repository}/", 1), nil)
	case strings.HasPrefix(part, "$") && ns.repoVs[strings.TrimPrefix(part, "$")]:
		rule.Method = semantic.DockerSubdomain
		rule.From, rule.To = dockerShape(pattern, target, isRepoVar)
	case strings.HasPrefix(part, "$") && ns.ports[strings.TrimPrefix(part, "$")]:
		m := ns.x.maps[strings.TrimPrefix(part, "$")]
		from, to := dockerShape(pattern, target, isRepoVar)
		for _, e := range m.Block {
			p, err := strconv.Atoi(e.Name)
			if err != nil || len(e.Args) != 1 {
				continue
			}
			ns.s.Docker = append(ns.s.Docker, semantic.DockerRule{Method: semantic.DockerPort, Key: e.Args[0], Port: p, From: from, To: to, Guarded: guarded, Pos: e.Pos()})
		}
		ns.x.use(n)
		return true
	case strings.HasPrefix(part, "$") && regexGroups(pattern) != nil:
		rule.Method = semantic.DockerPath
		rule.From, rule.To = dockerShape(pattern, target, nil)
	default:
		return false
	}
	ns.s.Docker = append(ns.s.Docker, rule)
	ns.x.use(n)
	return true
}

// serverReturn reads `return 301 URL` in the server (or in location /, with
// nothing proxied) as a redirect of everything.
func (ns *nginxServer) serverReturn(body []*conftree.Node) {
	for _, n := range body {
		if n.Name == "return" && isRedirectReturn(n) {
			ns.s.Redirect = &semantic.Redirect{Status: atoi(n.Arg(0)), Target: ns.redirectTarget(n.Arg(1), false), Pos: n.Pos()}
			ns.x.use(n)
			return
		}
	}
	if len(ns.s.Routes) > 0 {
		return
	}
	for _, loc := range body {
		if loc.Name == "location" && len(loc.Args) == 1 && loc.Args[0] == "/" {
			for _, n := range loc.Block {
				if n.Name == "return" && isRedirectReturn(n) {
					ns.s.Redirect = &semantic.Redirect{Status: atoi(n.Arg(0)), Target: ns.redirectTarget(n.Arg(1), false), Pos: n.Pos()}
					ns.x.use(loc, n)
				}
			}
		}
	}
}

func isRedirectReturn(n *conftree.Node) bool {
	switch n.Arg(0) {
	case "301", "302", "303", "307", "308":
		return strings.Contains(n.Arg(1), "://")
	}
	return false
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// nginxLocation is one location block: its match, what it inherits, and
// the locations inside it.
type nginxLocation struct {
	node     *conftree.Node
	path     string // as the model compares it
	modifier string // "", "=", "^~", "~", "~*"
	match    string // the prefix or regex as written
	re       *regexp.Regexp
	scope    *nginxScope
	children []*nginxLocation
}

// locations reads the location blocks of a block (nested ones too) into
// routes and path redirects.
func (ns *nginxServer) locations(block []*conftree.Node, parent *nginxScope) []*nginxLocation {
	var out []*nginxLocation
	if parent == ns.scope {
		ns.access("", block)
	}
	for _, n := range flattenIncludes(block) {
		if n.Name != "location" || !n.IsBlock || len(n.Args) == 0 {
			continue
		}
		if len(n.Args) == 2 && n.Args[0] == "=" && render.IsRevisionMarker(n.Args[1]) {
			// frontdoor's own revision marker (save --verify): no route.
			ns.x.use(n)
			ns.x.use(flattenIncludes(n.Block)...)
			continue
		}
		loc := &nginxLocation{node: n, path: locationPath(n.Args), match: n.Args[len(n.Args)-1], scope: newScope(parent, n.Block)}
		if len(n.Args) == 2 {
			loc.modifier = n.Args[0]
		}
		switch loc.modifier {
		case "~":
			loc.re, _ = regexp.Compile(loc.match)
		case "~*":
			loc.re, _ = regexp.Compile("(?i)" + loc.match)
		}
		if ns.location(loc) {
			ns.x.use(n)
		}
		ns.access(loc.path, n.Block)
		loc.children = ns.locations(n.Block, loc.scope)
		for _, c := range loc.children {
			if ns.x.understood[c.node] {
				ns.x.use(n) // a block that only holds routes
			}
		}
		out = append(out, loc)
	}
	if parent == ns.scope {
		ns.locs = out
	}
	return out
}

// access reads the client rules of a block (allow, deny, auth_basic) into
// the model. They stay unmapped: frontdoor writes none, and the diff says
// the path is open.
func (ns *nginxServer) access(path string, block []*conftree.Node) {
	a := semantic.Access{Path: path}
	for _, n := range flattenIncludes(block) {
		switch {
		case (n.Name == "allow" || n.Name == "deny") && len(n.Args) == 1:
			a.Rules = append(a.Rules, n.Name+" "+n.Args[0])
		case n.Name == "auth_basic" && n.Arg(0) != "off":
			a.Rules = append(a.Rules, "password required")
		case n.Name == "auth_request" && n.Arg(0) != "off":
			a.Rules = append(a.Rules, "allowed by "+n.Arg(0))
		default:
			continue
		}
		if a.Pos.IsZero() {
			a.Pos = n.Pos()
		}
	}
	if len(a.Rules) > 0 {
		ns.s.Access = append(ns.s.Access, a)
	}
}

// find is nginx's choice of location for a path: an exact match, else the
// longest prefix (searched again inside it), else the first regex that
// matches, unless the prefix said ^~.
func findLocation(locs []*nginxLocation, path string) *nginxLocation {
	var best *nginxLocation
	for _, l := range locs {
		switch l.modifier {
		case "=":
			if l.match == path {
				return l
			}
		case "", "^~":
			if strings.HasPrefix(path, l.match) && (best == nil || len(l.match) > len(best.match)) {
				best = l
			}
		}
	}
	if best != nil {
		if inner := findLocation(best.children, path); inner != nil && inner != best {
			return inner
		}
		if best.modifier == "^~" {
			return best
		}
	}
	for _, l := range locs {
		if l.re != nil && l.re.MatchString(path) {
			return l
		}
	}
	return best
}

// locationPath is a location's match as the model compares it: a prefix
// as written, "= /x" for an exact match, a regex that matches a fixed
// prefix as that prefix, other regexes as "~ regex".
func locationPath(args []string) string {
	switch len(args) {
	case 1:
		return args[0]
	case 2:
		switch args[0] {
		case "^~":
			return args[1]
		case "=":
			return "= " + args[1]
		case "~", "~*":
			if p, ok := literalPrefix(args[1]); ok {
				return p
			}
			return "~ " + args[1]
		}
	}
	return strings.Join(args, " ")
}

// location reads one location; it reports whether the location is a route
// or a redirect.
func (ns *nginxServer) location(loc *nginxLocation) bool {
	routes, redirects := len(ns.s.Routes), len(ns.s.PathRedirects)
	body := flattenIncludes(loc.node.Block)
	var pass *conftree.Node
	for _, n := range body {
		switch n.Name {
		case "proxy_pass":
			pass = n
		case "return":
			if to := n.Arg(1); (n.Arg(0) == "301" || n.Arg(0) == "302") && to != "" {
				ns.s.PathRedirects = append(ns.s.PathRedirects, semantic.PathRedirect{From: strings.TrimPrefix(loc.path, "= "), To: ns.value(to), Status: atoi(n.Arg(0)), Pos: n.Pos()})
				ns.x.use(n)
			}
		case "if":
			// The vendor's 6.x form: the request as sent, undecoded:
			// if ($request_uri ~ ^/artifactory/(.*)$) { proxy_pass http://H/artifactory/$1; }
			if len(n.Args) == 3 && n.Args[0] == "$request_uri" && n.Args[1] == "~" && len(n.Block) == 1 && n.Block[0].Name == "proxy_pass" {
				ns.x.use(n, n.Block[0])
			}
		}
	}
	ns.rewrites(body, false)
	if pass == nil {
		return len(ns.s.PathRedirects) > redirects || len(ns.s.Docker) > 0 && ns.x.understood[loc.node]
	}
	_, host, port, uri, ok := parseURL(pass.Arg(0))
	if !ok {
		return false
	}
	ns.x.use(pass)
	r := semantic.Route{Path: loc.path, Pos: loc.node.Pos()}
	if up := ns.x.upstreams[host]; up != nil && !strings.Contains(pass.Arg(0), ":"+strconv.Itoa(port)) {
		ns.x.use(up)
		ns.x.uses[ns.s] = append(ns.x.uses[ns.s], "upstream "+host)
		for _, m := range up.Block {
			switch m.Name {
			case "server":
				if h, p, ok := splitHostPort(m.Arg(0), 80); ok {
					r.Backends = append(r.Backends, semantic.Backend{Addr: normalAddr(h, p), Backup: slices.Contains(m.Args[1:], "backup"), Pos: m.Pos()})
					ns.x.use(m)
					for _, param := range m.Args[1:] {
						if !strings.HasPrefix(param, "max_fails=") && !strings.HasPrefix(param, "fail_timeout=") {
							ns.x.lose(m, "the upstream server parameter "+param+": frontdoor shares the load equally over the nodes")
						}
					}
				}
			case "keepalive":
				ns.x.use(m)
			}
		}
	} else {
		r.Backends = []semantic.Backend{{Addr: normalAddr(host, port), Pos: pass.Pos()}}
	}
	if uri != "" && uri != loc.path {
		r.URI = uri
	}
	ns.s.Routes = append(ns.s.Routes, r)
	return len(ns.s.Routes) > routes
}

// artifactoryProbe is the path whose headers and tuning the model takes:
// every client of Artifactory sends requests like it.
const artifactoryProbe = "/artifactory/api/system/ping"

// probeScope is what applies to a request for artifactoryProbe.
func (ns *nginxServer) probeScope() *nginxScope {
	if l := findLocation(ns.locs, artifactoryProbe); l != nil {
		return l.scope
	}
	return ns.scope
}

// headers are the request headers sent upstream for artifactoryProbe.
func (ns *nginxServer) headers() {
	set := map[string]bool{}
	for _, h := range ns.probeScope().proxyHeaders() {
		ns.x.use(h)
		if len(h.Args) < 2 || hopByHop(h.Args[0]) {
			continue
		}
		key := headerKey(h.Args[0])
		set[key] = true
		ns.s.Headers = append(ns.s.Headers, semantic.Header{Name: key, Value: ns.value(h.Args[1]), Pos: h.Pos()})
	}
	if !set["Host"] {
		ns.s.Headers = append(ns.s.Headers, semantic.Header{Name: "Host", Value: tokBackend, Pos: ns.s.Pos})
	}
}

// tuning lists the tuning directives in effect for artifactoryProbe.
func (ns *nginxServer) tuning() {
	scope := ns.probeScope()
	for _, name := range nginxTuning {
		if n := scope.get(name); n != nil {
			ns.x.use(n)
			ns.s.Tuning = append(ns.s.Tuning, semantic.Setting{Name: name, Value: strings.Join(n.Args, " "), Pos: n.Pos()})
		}
	}
	// Tuning elsewhere in the server (another location) is replaced by
	// frontdoor's, which applies to every path; the probe's values are the
	// ones compared.
	conftree.Walk(ns.node.Block, func(n *conftree.Node) bool {
		if slices.Contains(nginxTuning, n.Name) {
			ns.x.use(n)
		}
		return true
	})
}
