package importer

import (
	"slices"
	"strings"

	"frontdoor/importer/apacheconf"
	"frontdoor/importer/conftree"
	"frontdoor/importer/semantic"
	"frontdoor/internal/lazyregexp"
)

// apacheTransparent are sections Apache reads as if their content stood
// there (on a server with the modules loaded), and includes.
func apacheTransparent(n *conftree.Node) bool {
	return n.IsBlock && (n.Is("IfModule") || n.Is("IfDefine") || n.Is("IfVersion") || n.Is("IfFile") || n.Is("IfDirective")) ||
		n.Is("Include") || n.Is("IncludeOptional")
}

// apacheFlatten returns block with conditional sections and includes
// replaced by their content; the sections themselves are understood. A
// section Apache skips (apacheSkipped) gives nothing; a directive naming
// a variable set outside the files read is left out, not mapped: its
// value is not known here.
func (x *apacheExtraction) apacheFlatten(block []*conftree.Node) []*conftree.Node {
	var out []*conftree.Node
	for _, n := range block {
		if vars := undefinedVars(n); len(vars) > 0 && !isInclude(n) { // an include is a missing file (classify)
			why := setOutside(vars) + ": its value is not known here"
			if other := unmappedWhy(n); other != unmappedWhy(&conftree.Node{}) {
				why += "; " + other
			}
			x.lose(n, why)
			continue
		}
		if apacheTransparent(n) {
			x.use(n)
			if x.skipped[n] {
				continue
			}
			out = append(out, x.apacheFlatten(n.Block)...)
			continue
		}
		out = append(out, n)
	}
	return out
}

// undefinedVars are the ${NAME} variables a directive still holds after
// the loader expanded those Define sets.
// setOutside says that Apache variables the directive names are defined
// where frontdoor does not read.
func setOutside(vars []string) string {
	return strings.Join(vars, ", ") + " is set outside the files read (Apache's envvars or the environment)"
}

func undefinedVars(n *conftree.Node) []string {
	var out []string
	for _, a := range n.Args {
		out = append(out, apacheconf.Undefined(a)...)
	}
	return out
}

// conditions decides the <IfDefine> and <IfModule> sections once, in file
// order: a Define of the files read decides an <IfDefine>; a name they do
// not define is read as given with -D, the body read (noted); modules are
// taken as loaded (frontdoor's snippet needs them), so <IfModule !m> is
// skipped (noted) and <IfModule m> read.
func (x *apacheExtraction) conditions(nodes []*conftree.Node, defined map[string]bool) {
	var assumedD, skipped, modules []string
	var walk func(nodes []*conftree.Node)
	walk = func(nodes []*conftree.Node) {
		for _, n := range nodes {
			switch {
			case n.Is("Define") && !n.IsBlock && len(n.Args) >= 1:
				defined[n.Args[0]] = true
				x.use(n) // the loader wrote its value into the directives using it
			case n.Is("UnDefine") && !n.IsBlock && len(n.Args) == 1:
				defined[n.Args[0]] = false
				x.use(n)
			case n.Is("IfDefine") && n.IsBlock && len(n.Args) == 1:
				name, negated := strings.CutPrefix(n.Args[0], "!")
				is, known := defined[name]
				switch {
				case known && is == negated:
					x.skip(n)
					skipped = append(skipped, "<IfDefine "+n.Args[0]+"> at "+n.Pos().String()+" ("+name+" is "+map[bool]string{true: "defined", false: "undefined"}[is]+" in the files read)")
					continue
				case !known && !negated:
					assumedD = append(assumedD, "<IfDefine "+name+"> at "+n.Pos().String())
				}
			case n.Is("IfModule") && n.IsBlock && len(n.Args) == 1 && strings.HasPrefix(n.Args[0], "!"):
				x.skip(n)
				skipped = append(skipped, "<IfModule "+n.Args[0]+"> at "+n.Pos().String()+" (the module is taken as loaded)")
				continue
			case n.Is("IfModule") && n.IsBlock && len(n.Args) == 1 && !slices.Contains(modules, n.Args[0]):
				modules = append(modules, n.Args[0])
			}
			walk(n.Block)
		}
	}
	walk(nodes)
	if len(modules) > 0 {
		x.notes = append(x.notes, "<IfModule> sections read as if their modules were loaded ("+strings.Join(modules, ", ")+")")
	}
	if len(assumedD) > 0 {
		x.notes = append(x.notes, "read as if apache2 were started with -D for each name the files read do not define: "+strings.Join(assumedD, ", ")+" (Apache reads the body only then)")
	}
	if len(skipped) > 0 {
		x.notes = append(x.notes, "not read, as Apache skips them: "+strings.Join(skipped, ", "))
	}
}

// skip marks a conditional section Apache does not read: what it holds is
// inactive before and after the import, so it counts as understood.
func (x *apacheExtraction) skip(n *conftree.Node) {
	x.skipped[n] = true
	conftree.Walk([]*conftree.Node{n}, func(c *conftree.Node) bool { x.use(c); return true })
}

// apacheTuning are the directives that change how requests are proxied
// but not where: compared by value.
var apacheTuning = []string{
	"ProxyRequests", "ProxyPreserveHost", "ProxyTimeout", "Timeout", "AllowEncodedSlashes", "ProxyAddHeaders",
	"UseCanonicalName", "UseCanonicalPhysicalPort", "SSLHonorCipherOrder", "SSLSessionTickets", "SSLCompression",
	"SSLProxyEngine", "SSLUseStapling", "ProxyPassReverseCookiePath", "ProxyPassReverseCookieDomain",
	"LimitRequestBody", "ProxyIOBufferSize", "ProxyReceiveBufferSize", "KeepAlive", "KeepAliveTimeout",
	"ProxyErrorOverride", "ProxyBadHeader", "SSLSessionCacheTimeout", "SSLProxyVerify", "SSLProxyCheckPeerName",
	"LimitRequestFieldSize", "LimitRequestLine",
}

// apacheInherited are the directives a VirtualHost inherits from the main
// server's configuration when it does not set them.
var apacheInherited = []string{"SSLProtocol", "SSLCipherSuite", "ProxyPreserveHost", "ProxyAddHeaders", "ProxyTimeout", "SSLHonorCipherOrder", "SSLSessionTickets", "Protocols"}

type apacheExtraction struct {
	*extraction
	skipped   map[*conftree.Node]bool // conditional sections Apache does not read
	balancers map[string]*conftree.Node
	// vhostBalancers is, per balancer name, the VirtualHost that defines it
	// first: Apache gives a VirtualHost's <Proxy balancer://> to that
	// VirtualHost only, so another one naming it is told where it is.
	vhostBalancers map[string]*conftree.Node
	global         map[string]*conftree.Node // main-server directives vhosts inherit
}

func extractApache(roots []*conftree.Node) *extraction {
	x := &apacheExtraction{extraction: newExtraction(roots), skipped: map[*conftree.Node]bool{}, balancers: map[string]*conftree.Node{},
		vhostBalancers: map[string]*conftree.Node{}, global: map[string]*conftree.Node{}}
	x.conditions(roots, map[string]bool{})
	// A main configuration says so by the main server's own directives,
	// whatever their values (Debian's name variables from envvars).
	conftree.Walk(roots, func(n *conftree.Node) bool {
		if n.Is("ServerRoot") || n.Is("LoadModule") || n.Is("PidFile") || n.Is("Mutex") || n.Is("User") || n.Is("DefaultRuntimeDir") {
			x.main = true
		}
		return apacheTransparent(n)
	})
	top := x.apacheFlatten(roots)
	for _, n := range top {
		if name, ok := balancerName(n); ok {
			x.balancers[name] = n
			x.shared["balancer "+name] = n
		}
		if n.Is("Listen") {
			x.use(n) // frontdoor writes the Listen lines its ports need
		}
		for _, g := range apacheInherited {
			if n.Is(g) && !n.IsBlock {
				x.global[g] = n
			}
		}
	}
	var vhosts []*conftree.Node
	bodies := map[*conftree.Node][]*conftree.Node{}
	for _, n := range top {
		if !n.Is("VirtualHost") || !n.IsBlock {
			continue
		}
		vhosts = append(vhosts, n)
		bodies[n] = x.apacheFlatten(n.Block)
		for _, c := range bodies[n] {
			if name, ok := balancerName(c); ok && x.vhostBalancers[name] == nil {
				x.vhostBalancers[name] = n
			}
		}
	}
	for _, n := range vhosts {
		x.vhost(n, bodies[n])
	}
	return x.extraction
}

// balancerName is the name of a <Proxy balancer://NAME> block, lower case
// (Apache compares balancer names so).
func balancerName(n *conftree.Node) (string, bool) {
	rest, ok := strings.CutPrefix(strings.ToLower(n.Arg(0)), "balancer://")
	if !n.Is("Proxy") || !n.IsBlock || !ok {
		return "", false
	}
	return strings.TrimSuffix(rest, "/"), true
}

// apacheServer is one VirtualHost being read.
type apacheServer struct {
	x    *apacheExtraction
	s    *semantic.Server
	body []*conftree.Node
	env  map[string]string // variables set by RewriteRule [E=name:%1], as tokens
	last map[string]*conftree.Node
	// balancers are the <Proxy balancer://NAME> blocks of this VirtualHost:
	// its ProxyPass looks there first, then at the main server's.
	balancers map[string]*conftree.Node
}

// balancer returns the balancer a ProxyPass of this VirtualHost names.
func (as *apacheServer) balancer(name string) *conftree.Node {
	if b := as.balancers[name]; b != nil {
		return b
	}
	return as.x.balancers[name]
}

// vhost reads one VirtualHost, whose body is flattened already.
func (x *apacheExtraction) vhost(node *conftree.Node, body []*conftree.Node) {
	as := &apacheServer{x: x, s: &semantic.Server{Pos: node.Pos()}, env: map[string]string{}, last: map[string]*conftree.Node{}, balancers: map[string]*conftree.Node{}}
	x.serverNode[as.s] = node
	x.use(node)
	as.body = body
	for _, n := range as.body {
		if !n.IsBlock {
			as.last[strings.ToLower(n.Name)] = n
		}
		if name, ok := balancerName(n); ok {
			as.balancers[name] = n
		}
	}
	tls := strings.EqualFold(as.get("SSLEngine").Arg(0), "on")
	as.x.use(as.get("SSLEngine"))
	for _, a := range node.Args {
		host, port, ok := splitHostPort(a, 80)
		if !ok {
			continue
		}
		l := semantic.Listener{Port: port, TLS: tls, Pos: node.Pos()}
		if host != "*" && host != "_default_" && host != "0.0.0.0" {
			l.Addr = host
			if strings.Contains(host, ":") {
				l.Addr = "[" + host + "]"
			}
		}
		as.s.Listen = append(as.s.Listen, l)
	}
	as.names()
	as.tls()
	as.rewrites()
	as.routes()
	as.redirects()
	as.headers()
	as.tuning()
	as.protocols()
	x.model.Servers = append(x.model.Servers, as.s)
}

// get returns the directive in effect: the VirtualHost's last, else the
// main server's; a zero node when neither sets it.
func (as *apacheServer) get(name string) *conftree.Node {
	if n := as.last[strings.ToLower(name)]; n != nil {
		return n
	}
	for _, g := range apacheInherited {
		if strings.EqualFold(g, name) && as.x.global[g] != nil {
			return as.x.global[g]
		}
	}
	return &conftree.Node{}
}

func (as *apacheServer) names() {
	add := func(n *conftree.Node, name string) {
		name = strings.ToLower(name)
		if i := strings.Index(name, "://"); i >= 0 {
			name = name[i+3:]
		}
		if h, _, ok := splitHostPort(name, 0); ok && strings.Count(name, ":") == 1 {
			name = h
		}
		if name != "" {
			as.s.Names = append(as.s.Names, semantic.Name{Name: name, Pos: n.Pos()})
		}
	}
	for _, n := range as.body {
		switch {
		case n.Is("ServerName"):
			as.x.use(n)
			add(n, n.Arg(0))
		case n.Is("ServerAlias"):
			as.x.use(n)
			for _, a := range n.Args {
				add(n, a)
			}
		}
	}
}

func (as *apacheServer) tls() {
	tlsOn := false
	for _, l := range as.s.Listen {
		tlsOn = tlsOn || l.TLS
	}
	if !tlsOn {
		return
	}
	val := func(name string) semantic.Value {
		n := as.get(name)
		if n.Name == "" {
			return semantic.Value{}
		}
		as.x.use(n)
		return semantic.Value{Text: strings.Join(n.Args, " "), Pos: n.Pos()}
	}
	t := &semantic.TLS{
		Certificate: val("SSLCertificateFile"),
		Key:         val("SSLCertificateKeyFile"),
		Protocols:   val("SSLProtocol"),
		Ciphers:     val("SSLCipherSuite"),
		ClientCA:    val("SSLCACertificateFile"),
		Depth:       val("SSLVerifyDepth"),
	}
	if t.Key.Text == "" {
		t.Key = t.Certificate // the key in the certificate's file
	}
	if t.Protocols.Text != "" {
		t.Protocols.Text = apacheProtocols(strings.Fields(t.Protocols.Text))
	}
	switch v := val("SSLVerifyClient"); v.Text {
	case "require":
		t.Verify = semantic.Value{Text: "required", Pos: v.Pos}
	case "optional":
		t.Verify = v
	case "optional_no_ca":
		t.Verify = semantic.Value{Text: "optional, unverified,", Pos: v.Pos}
	default:
		t.ClientCA, t.Depth = semantic.Value{}, semantic.Value{}
	}
	for _, n := range as.body {
		if n.Is("Header") && len(n.Args) >= 3 {
			args := n.Args
			if strings.EqualFold(args[0], "always") || strings.EqualFold(args[0], "onsuccess") {
				args = args[1:]
			}
			if len(args) >= 3 && strings.EqualFold(args[0], "set") && strings.EqualFold(args[1], "Strict-Transport-Security") {
				as.x.use(n)
				t.HSTS = semantic.Value{Text: args[2], Pos: n.Pos()}
			}
		}
	}
	as.s.TLS = t
}

// apacheProtocols turns SSLProtocol's +/- list into the protocols enabled.
func apacheProtocols(args []string) string {
	all := []string{"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}
	on := map[string]bool{}
	for _, a := range args {
		add := !strings.HasPrefix(a, "-")
		name := strings.TrimLeft(a, "+-")
		names := []string{name}
		if strings.EqualFold(name, "all") {
			names = all
		}
		for _, n := range names {
			for _, known := range append(all, "SSLv3") {
				if strings.EqualFold(n, known) {
					on[known] = add
				}
			}
		}
	}
	var ps []string
	for p, ok := range on {
		if ok {
			ps = append(ps, p)
		}
	}
	return canonicalProtocols(ps)
}

// apacheValue reduces a RequestHeader value or rewrite target to tokens.
var apacheVar = lazyregexp.New(`%\{([A-Za-z_:][A-Za-z0-9_:\-]*(?::%\{[A-Za-z_]+\})?)\}([es])?|%\{escape:%\{SSL_CLIENT_CERT\}\}`)

func (as *apacheServer) value(s string) string {
	s = strings.TrimPrefix(s, "expr=")
	return apacheVar().ReplaceAllStringFunc(s, func(m string) string {
		if m == "%{escape:%{SSL_CLIENT_CERT}}" {
			return tokCert
		}
		sub := apacheVar().FindStringSubmatch(m)
		name, kind := sub[1], sub[2]
		if kind == "e" {
			if v, ok := as.env[name]; ok {
				return v
			}
			return "{env " + name + "}"
		}
		switch strings.ToUpper(name) {
		case "REQUEST_SCHEME":
			return tokScheme
		case "SERVER_NAME":
			return tokHost
		case "SERVER_PORT":
			return tokPort
		case "HTTP_HOST":
			return tokHostHeader
		case "HTTP:X-FORWARDED-PROTO":
			return tokFwdProto
		case "REMOTE_ADDR":
			return tokClientAddr
		case "REQUEST_URI":
			return tokPath
		case "SSL_CLIENT_CERT":
			return tokCert
		}
		return "{" + name + "}"
	})
}
