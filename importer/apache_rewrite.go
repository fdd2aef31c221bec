package importer

// Apache: RewriteRules (Docker methods, redirects, variables captured into
// the environment), ProxyPass routes, Redirect, request headers and tuning.

import (
	"slices"
	"strings"

	"frontdoor/importer/conftree"
	"frontdoor/importer/semantic"
	"frontdoor/render"
)

// rewriteRule is a RewriteRule with the RewriteConds before it.
type rewriteRule struct {
	conds   []*conftree.Node
	rule    *conftree.Node
	flags   map[string]string // upper-case flag name → value
	pattern string
	target  string
}

func (as *apacheServer) rules() []rewriteRule {
	var out []rewriteRule
	var conds []*conftree.Node
	for _, n := range as.body {
		switch {
		case n.Is("RewriteCond"):
			conds = append(conds, n)
		case n.Is("RewriteRule"):
			r := rewriteRule{conds: conds, rule: n, flags: map[string]string{}, pattern: n.Arg(0), target: n.Arg(1)}
			for _, f := range strings.Split(strings.Trim(n.Arg(2), "[]"), ",") {
				k, v, _ := strings.Cut(strings.TrimSpace(f), "=")
				r.flags[strings.ToUpper(k)] = v
			}
			out = append(out, r)
			conds = nil
		}
	}
	return out
}

// rewrites reads the RewriteRules the model knows: variables captured into
// the environment, Docker methods, redirects.
func (as *apacheServer) rewrites() {
	var redirect []rewriteRule
	for _, r := range as.rules() {
		if r.target == "-" && len(r.conds) == 1 && r.flags["E"] != "" {
			name, ref, _ := strings.Cut(r.flags["E"], ":")
			if ref == "%1" && r.conds[0].Arg(1) == "(.*)" {
				as.env[name] = as.value(r.conds[0].Arg(0))
				as.x.use(r.rule, r.conds[0])
				continue
			}
		}
		if as.docker(r) {
			continue
		}
		if _, ok := r.flags["R"]; ok {
			status := 302
			if v := r.flags["R"]; v != "" {
				status = atoi(v)
			}
			// A redirect of one path (/ to /ui/) may name the scheme and
			// port too (behind a load balancer); a URL for any other
			// pattern is the redirect of everything.
			if strings.Contains(r.target, "://") && !strings.HasPrefix(regexPath(r.pattern), "/") {
				redirect = append(redirect, r)
				continue
			}
			as.s.PathRedirects = append(as.s.PathRedirects, semantic.PathRedirect{From: regexPath(r.pattern), To: as.value(r.target), Status: status, Pos: r.rule.Pos()})
			as.x.use(r.rule)
			as.x.use(r.conds...)
		}
	}
	// Redirects of everything to a URL (HTTP to HTTPS): frontdoor writes
	// a rule from the request line with a fallback; others write one rule.
	if len(redirect) > 0 {
		r := redirect[0]
		target := r.target
		for _, c := range r.conds {
			if c.Arg(0) == "%{THE_REQUEST}" {
				target = strings.ReplaceAll(target, "%1", "%{REQUEST_URI}")
			}
		}
		if r.pattern != "^" && strings.Contains(r.pattern, "(") {
			target = strings.ReplaceAll(target, "/$1", "%{REQUEST_URI}")
			target = strings.ReplaceAll(target, "$1", "%{REQUEST_URI}")
		}
		status := 302
		if v := r.flags["R"]; v != "" {
			status = atoi(v)
		}
		as.s.Redirect = &semantic.Redirect{Status: status, Target: strings.ReplaceAll(as.value(target), tokPath, tokURI), Pos: r.rule.Pos()}
		for _, r := range redirect {
			as.x.use(r.rule)
			as.x.use(r.conds...)
		}
	}
}

func (as *apacheServer) docker(r rewriteRule) bool {
	part := dockerRepoPart(r.target)
	rule := semantic.DockerRule{Pos: r.rule.Pos()}
	var used []*conftree.Node
	hostCapture := false
	for _, c := range r.conds {
		switch {
		case strings.EqualFold(c.Arg(0), "%{HTTP_HOST}") && strings.Contains(c.Arg(1), "("):
			hostCapture = true
			used = append(used, c)
		case strings.EqualFold(c.Arg(0), "%{SERVER_PORT}") && strings.HasPrefix(c.Arg(1), "="):
			rule.Port = atoi(strings.TrimPrefix(c.Arg(1), "="))
			used = append(used, c)
		case strings.EqualFold(c.Arg(0), "%{REQUEST_URI}"):
			used = append(used, c) // the vendor's ^/(v1|v2)/ guard: the rule's own pattern says as much
		}
	}
	switch {
	case part == "":
		if (r.pattern == "^/(v2)/(.*)$" || r.pattern == "^/(v2)/(.*)") && r.target == "/artifactory/$1/$2" {
			rule.Method = semantic.DockerPath
			rule.From, rule.To = dockerShape(r.pattern, r.target, nil)
			break
		}
		return false
	case isLiteralKey(part):
		rule.Method, rule.Key = semantic.DockerPort, part
		rule.From, rule.To = dockerShape(r.pattern, strings.Replace(r.target, "/"+part+"/", "/{repository}/", 1), nil)
	case part == "%1" && hostCapture:
		rule.Method, rule.Guarded = semantic.DockerSubdomain, true
		rule.From, rule.To = dockerShape(r.pattern, r.target, func(ref string) bool { return ref == "%1" })
		for _, c := range r.conds {
			if strings.EqualFold(c.Arg(0), "%{HTTP_HOST}") {
				as.s.Names = append(as.s.Names, semantic.Name{Name: c.Arg(1), Regex: true, DockerRepo: "%1", HostHeader: true, Pos: c.Pos()})
			}
		}
	case strings.HasPrefix(part, "$") && regexGroups(r.pattern) != nil:
		rule.Method = semantic.DockerPath
		rule.From, rule.To = dockerShape(r.pattern, r.target, nil)
	default:
		return false
	}
	as.s.Docker = append(as.s.Docker, rule)
	as.x.use(r.rule)
	as.x.use(used...)
	return true
}

// routes reads ProxyPass (and <Location> with ProxyPass) in order: Apache
// uses the first that matches.
func (as *apacheServer) routes() {
	for _, n := range as.body {
		switch {
		case (n.Is("ProxyPass") || n.Is("Location") && n.IsBlock) && len(n.Args) >= 1 && render.IsRevisionMarker(n.Args[0]):
			// frontdoor's own revision marker (save --verify): no route.
			as.x.use(n)
			as.x.use(as.x.apacheFlatten(n.Block)...)
		case n.Is("ProxyPass") && len(n.Args) >= 2 && n.Args[1] != "!":
			as.route(n, n.Args[0], n.Args[1])
		case n.Is("ProxyPassMatch") && len(n.Args) >= 2 && n.Args[1] != "!":
			as.route(n, "~ "+n.Args[0], n.Args[1])
		case n.Is("ProxyPassReverse"):
			as.x.use(n)
		case n.Is("LocationMatch") && n.IsBlock && len(n.Args) == 1:
			as.access(regexPath(n.Args[0]), n.Block)
		case n.Is("Location") && n.IsBlock && len(n.Args) == 1:
			as.access(n.Args[0], n.Block)
			for _, c := range as.x.apacheFlatten(n.Block) {
				switch {
				case c.Is("ProxyPass") && len(c.Args) >= 1 && c.Args[0] != "!":
					as.x.use(n)
					as.route(c, n.Args[0], c.Args[0])
				case c.Is("ProxyPassReverse"):
					as.x.use(c)
				}
			}
		}
	}
}

// route reads one ProxyPass. A target it cannot read (a balancer not
// defined in the files read, a URL that is not one) makes the directive
// unmapped, with why: never dropped silently.
func (as *apacheServer) route(n *conftree.Node, path, url string) {
	r := semantic.Route{Path: path, Pos: n.Pos()}
	if p, ok := strings.CutPrefix(path, "~ "); ok {
		r.Path = regexPath(p)
		if !strings.HasPrefix(r.Path, "~ ") {
			r.Path = strings.TrimSuffix(r.Path, "(.*)")
		}
	}
	lower := strings.ToLower(url)
	if rest, ok := strings.CutPrefix(lower, "balancer://"); ok {
		name, uri, _ := strings.Cut(rest, "/")
		b := as.balancer(name)
		if b == nil {
			as.x.lose(n, as.undefinedBalancer(name))
			return
		}
		as.x.use(n, b)
		if as.balancers[name] == nil {
			as.x.uses[as.s] = append(as.x.uses[as.s], "balancer "+name)
		}
		for _, m := range as.x.apacheFlatten(b.Block) {
			switch {
			case m.Is("BalancerMember"):
				if h, p, _, ok := httpURL(m.Arg(0)); ok {
					r.Backends = append(r.Backends, semantic.Backend{Addr: normalAddr(h, p), Backup: hotStandby(m.Args[1:]), Pos: m.Pos()})
					as.x.use(m)
					for _, param := range m.Args[1:] {
						if !strings.HasPrefix(strings.ToLower(param), "route=") {
							as.x.lose(m, "the balancer member parameter "+param+": frontdoor shares the load equally over the nodes")
						}
					}
				} else {
					as.x.lose(m, "the member "+m.Arg(0)+" is not an http:// or https:// URL frontdoor can read")
				}
			case m.Is("ProxySet"):
				as.x.use(m)
			}
		}
		if uri = "/" + uri; uri != r.Path {
			r.URI = url[len(url)-len(uri):]
		}
	} else {
		h, p, uri, ok := httpURL(url)
		if !ok {
			as.x.lose(n, "the target "+url+" is not an http:// or https:// URL frontdoor can read")
			return
		}
		as.x.use(n)
		r.Backends = []semantic.Backend{{Addr: normalAddr(h, p), Pos: n.Pos()}}
		if uri != "" && uri != r.Path {
			r.URI = uri
		}
	}
	as.s.Routes = append(as.s.Routes, r)
}

// undefinedBalancer says why a ProxyPass's balancer://NAME cannot be
// read: it is defined in another VirtualHost only (Apache does not share
// it), or nowhere in the files read.
func (as *apacheServer) undefinedBalancer(name string) string {
	if vh := as.x.vhostBalancers[name]; vh != nil {
		return "balancer://" + name + " is defined only in the VirtualHost at " + vh.Pos().String() +
			", which Apache does not share with this one (define it at the top level)"
	}
	return "balancer://" + name + " is not defined in the files read"
}

// hotStandby reports whether balancer member parameters make it a hot
// standby (status=+H): it takes requests only when the others are down.
func hotStandby(params []string) bool {
	for _, p := range params {
		if v, ok := strings.CutPrefix(strings.ToLower(p), "status="); ok && strings.Contains(v, "+h") {
			return true
		}
	}
	return false
}

// access reads the client rules of a <Location> (Require, Apache 2.2's
// Allow/Deny from) into the model, in nginx's words: Require ip A is
// "allow A, deny all" (whoever no Require names is refused). They stay
// unmapped: frontdoor writes none, and the diff says the path is open.
func (as *apacheServer) access(path string, block []*conftree.Node) {
	a := semantic.Access{Path: path}
	implicitDeny := false
	for _, n := range as.x.apacheFlatten(block) {
		switch {
		case n.Is("Require") && strings.EqualFold(n.Arg(0), "all"):
			a.Rules = append(a.Rules, map[bool]string{true: "allow all", false: "deny all"}[strings.EqualFold(n.Arg(1), "granted")])
		case n.Is("Require") && (strings.EqualFold(n.Arg(0), "ip") || strings.EqualFold(n.Arg(0), "host")):
			for _, v := range n.Args[1:] {
				a.Rules = append(a.Rules, "allow "+v)
			}
			implicitDeny = true
		case n.Is("Require") && strings.EqualFold(n.Arg(0), "not"):
			a.Rules = append(a.Rules, "deny "+strings.Join(n.Args[min(2, len(n.Args)):], " "))
		case n.Is("Require") && strings.EqualFold(n.Arg(0), "local"):
			a.Rules = append(a.Rules, "allow 127.0.0.1", "allow ::1")
			implicitDeny = true
		case n.Is("Require"):
			a.Rules = append(a.Rules, "password required")
		case (n.Is("Allow") || n.Is("Deny")) && strings.EqualFold(n.Arg(0), "from"):
			for _, v := range n.Args[1:] {
				a.Rules = append(a.Rules, strings.ToLower(n.Name)+" "+v)
			}
		default:
			continue
		}
		if a.Pos.IsZero() {
			a.Pos = n.Pos()
		}
	}
	if implicitDeny && !slices.Contains(a.Rules, "deny all") && !slices.Contains(a.Rules, "allow all") {
		a.Rules = append(a.Rules, "deny all")
	}
	if len(a.Rules) > 0 {
		as.s.Access = append(as.s.Access, a)
	}
}

// httpURL splits an http:// or https:// proxy target; a Unix socket
// (unix:/path|http://host/), FastCGI, AJP and the like are not one.
func httpURL(u string) (host string, port int, uri string, ok bool) {
	scheme, host, port, uri, ok := parseURL(u)
	return host, port, uri, ok && (scheme == "http" || scheme == "https")
}

// redirects reads Redirect directives: of everything (/ to a URL), or of
// one path.
func (as *apacheServer) redirects() {
	for _, n := range as.body {
		if !n.Is("Redirect") && !n.Is("RedirectPermanent") && !n.Is("RedirectTemp") {
			continue
		}
		args := n.Args
		status := 302
		switch {
		case n.Is("RedirectPermanent"):
			status = 301
		case len(args) == 3:
			switch strings.ToLower(args[0]) {
			case "permanent":
				status = 301
			case "temp":
			case "seeother":
				status = 303
			default:
				status = atoi(args[0])
			}
			args = args[1:]
		}
		if len(args) != 2 {
			continue
		}
		as.x.use(n)
		if args[0] == "/" && strings.Contains(args[1], "://") {
			as.s.Redirect = &semantic.Redirect{Status: status, Target: strings.TrimSuffix(as.value(args[1]), "/") + tokURI, Pos: n.Pos()}
			continue
		}
		as.s.PathRedirects = append(as.s.PathRedirects, semantic.PathRedirect{From: args[0], To: args[1], Status: status, Pos: n.Pos()})
	}
}

// headers are the request headers sent upstream: mod_proxy's own
// (X-Forwarded-For, -Host, -Server unless ProxyAddHeaders Off; Host as the
// client sent it with ProxyPreserveHost On), then RequestHeader's.
func (as *apacheServer) headers() {
	type hdr struct {
		value string
		pos   semantic.Pos
	}
	h := map[string]hdr{}
	var order []string
	set := func(name, value string, pos semantic.Pos) {
		k := headerKey(name)
		if _, ok := h[k]; !ok {
			order = append(order, k)
		}
		h[k] = hdr{value, pos}
	}
	if n := as.get("ProxyAddHeaders"); !strings.EqualFold(n.Arg(0), "off") {
		set("X-Forwarded-For", tokClients, as.s.Pos)
		set("X-Forwarded-Host", tokHostHeader, as.s.Pos)
		set("X-Forwarded-Server", tokServerName, as.s.Pos)
	}
	preserve := as.get("ProxyPreserveHost")
	host := hdr{tokBackend, as.s.Pos}
	for _, n := range as.body {
		if !n.Is("RequestHeader") || len(n.Args) < 2 {
			continue
		}
		action, name := strings.ToLower(n.Arg(0)), n.Arg(1)
		args := n.Args[2:]
		if len(args) > 0 && strings.EqualFold(args[len(args)-1], "early") {
			args = args[:len(args)-1]
		}
		as.x.use(n)
		switch action {
		case "set", "add", "append", "setifempty":
			if len(args) == 0 {
				continue
			}
			v := as.value(args[0])
			if len(args) > 1 && strings.Contains(args[1], "SSL_CLIENT_VERIFY") && strings.Contains(args[1], "SUCCESS") && v == tokCert {
				v = tokVerified
			}
			if strings.EqualFold(name, "Host") {
				host = hdr{v, n.Pos()}
				continue
			}
			set(name, v, n.Pos())
		case "unset":
			if strings.EqualFold(name, "Host") {
				continue
			}
			set(name, "", n.Pos())
		case "edit", "edit*":
			// Reformats the value (frontdoor's percent-encoding of the
			// certificate): the header's meaning stays.
		}
	}
	if strings.EqualFold(preserve.Arg(0), "on") {
		as.x.use(preserve)
		if host.value == tokBackend {
			host = hdr{tokHostHeader, preserve.Pos()}
		}
	} else {
		host = hdr{tokBackend, as.s.Pos}
	}
	as.s.Headers = append(as.s.Headers, semantic.Header{Name: "Host", Value: host.value, Pos: host.pos})
	for _, k := range order {
		if hopByHop(k) {
			continue
		}
		as.s.Headers = append(as.s.Headers, semantic.Header{Name: k, Value: h[k].value, Pos: h[k].pos})
	}
}

// protocols reads Protocols in effect (the VirtualHost's, else the main
// server's) as the HTTP/2 fact nginx's listen ... http2 gives: h2 is
// HTTP/2 on the TLS listeners (ALPN), h2c on the plain ones.
func (as *apacheServer) protocols() {
	n := as.get("Protocols")
	if n.Name == "" {
		return
	}
	as.x.use(n)
	var h2, h2c bool
	for _, p := range n.Args {
		switch strings.ToLower(p) {
		case "h2":
			h2 = true
		case "h2c":
			h2c = true
		case "http/1.1":
		default:
			as.x.lose(n, "the protocol "+p+": frontdoor's snippet speaks HTTP/1.1 to clients")
		}
	}
	var ports []int
	for _, l := range as.s.Listen {
		if l.TLS && h2 || !l.TLS && h2c {
			ports = append(ports, l.Port)
		}
	}
	if len(ports) > 0 {
		as.s.Tuning = append(as.s.Tuning, semantic.Setting{Name: semantic.HTTP2, Value: "on", Pos: n.Pos(), Ports: ports})
	}
}

func (as *apacheServer) tuning() {
	for _, name := range append(apacheTuning, "RewriteEngine") {
		n := as.get(name)
		if n.Name == "" {
			continue
		}
		as.x.use(n)
		if name == "RewriteEngine" {
			continue // only says the rules apply: they are compared themselves
		}
		as.s.Tuning = append(as.s.Tuning, semantic.Setting{Name: name, Value: strings.Join(n.Args, " "), Pos: n.Pos()})
	}
	// Every occurrence, not only the one in effect: frontdoor writes each
	// once, with its own value.
	for _, n := range as.body {
		if n.Is("Listen") || n.Is("RewriteEngine") || containsFold(apacheTuning, n.Name) {
			as.x.use(n)
		}
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
