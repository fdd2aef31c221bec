package importer

import (
	"strconv"
	"strings"

	"frontdoor/importer/conftree"
	"frontdoor/importer/semantic"
	"frontdoor/internal/lazyregexp"
)

// nginxScope is what a level of nginx's configuration (http, server,
// location) sets that the levels inside inherit. Array directives
// (proxy_set_header, add_header) are inherited only by a level that sets
// none of its own; others one by one.
type nginxScope struct {
	parent  *nginxScope
	set     map[string]*conftree.Node // last directive of each name
	headers []*conftree.Node          // proxy_set_header at this level
	adds    []*conftree.Node          // add_header at this level
}

func newScope(parent *nginxScope, block []*conftree.Node) *nginxScope {
	s := &nginxScope{parent: parent, set: map[string]*conftree.Node{}}
	for _, n := range flattenIncludes(block) {
		switch n.Name {
		case "proxy_set_header":
			s.headers = append(s.headers, n)
		case "add_header":
			s.adds = append(s.adds, n)
		default:
			if !n.IsBlock {
				s.set[n.Name] = n
			}
		}
	}
	return s
}

// get returns the directive name in effect at this level.
func (s *nginxScope) get(name string) *conftree.Node {
	for ; s != nil; s = s.parent {
		if n := s.set[name]; n != nil {
			return n
		}
	}
	return nil
}

func (s *nginxScope) proxyHeaders() []*conftree.Node {
	for ; s != nil; s = s.parent {
		if len(s.headers) > 0 {
			return s.headers
		}
	}
	return nil
}

func (s *nginxScope) addHeaders() []*conftree.Node {
	for ; s != nil; s = s.parent {
		if len(s.adds) > 0 {
			return s.adds
		}
	}
	return nil
}

// flattenIncludes returns block with every include replaced by what it
// included (recursively): nginx reads an include as if its text stood there.
func flattenIncludes(block []*conftree.Node) []*conftree.Node {
	has := false
	for _, n := range block {
		if n.Name == "include" {
			has = true
			break
		}
	}
	if !has {
		return block
	}
	out := make([]*conftree.Node, 0, len(block))
	for _, n := range block {
		if n.Name == "include" {
			out = append(out, flattenIncludes(n.Block)...)
			continue
		}
		out = append(out, n)
	}
	return out
}

// nginxTuning are the directives that change how requests are proxied but
// not where: compared by value.
var nginxTuning = []string{
	"client_max_body_size", "chunked_transfer_encoding", "proxy_request_buffering", "proxy_buffering",
	"proxy_http_version", "proxy_buffer_size", "proxy_buffers", "proxy_busy_buffers_size", "proxy_read_timeout",
	"proxy_send_timeout", "proxy_connect_timeout", "proxy_pass_header", "proxy_cookie_path", "proxy_redirect",
	"proxy_next_upstream", "proxy_next_upstream_tries", "proxy_next_upstream_timeout", "proxy_max_temp_file_size",
	"proxy_headers_hash_bucket_size", "proxy_headers_hash_max_size", "ssl_prefer_server_ciphers",
	"ssl_session_timeout", "ssl_session_cache", "ssl_session_tickets", "ssl_stapling", "ssl_stapling_verify",
	"ssl_dhparam", "ssl_ecdh_curve", "ssl_buffer_size", "large_client_header_buffers", "client_body_buffer_size",
	"client_header_buffer_size", "keepalive_timeout", "send_timeout", "client_body_timeout", "proxy_ssl_verify",
	"proxy_ssl_server_name", "proxy_intercept_errors", "proxy_ignore_client_abort", "underscores_in_headers",
	"ignore_invalid_headers", "merge_slashes", "absolute_redirect", "port_in_redirect", "server_name_in_redirect",
}

// nginxExtraction reduces an nginx configuration to the model.
type nginxExtraction struct {
	*extraction
	upstreams map[string]*conftree.Node
	maps      map[string]*conftree.Node // by the variable they set, without $
}

func extractNginx(roots []*conftree.Node) *extraction {
	x := &nginxExtraction{extraction: newExtraction(roots), upstreams: map[string]*conftree.Node{}, maps: map[string]*conftree.Node{}}
	top := flattenIncludes(roots)
	var http []*conftree.Node
	var bare []*conftree.Node // a file written for a server block: one server
	for _, n := range top {
		switch {
		case n.Name == "http" && n.IsBlock:
			x.main = true
			http = append(http, flattenIncludes(n.Block)...)
		case n.Name == "events" || n.Name == "stream" || n.Name == "mail" || !n.IsBlock && nginxMainOnly[n.Name]:
			x.main = true
		case serverLevel[n.Name]:
			bare = append(bare, n)
		default:
			http = append(http, n)
		}
	}
	for _, n := range http {
		switch n.Name {
		case "upstream":
			if n.IsBlock && len(n.Args) == 1 {
				x.upstreams[n.Args[0]] = n
				x.shared["upstream "+n.Args[0]] = n
			}
		case "map":
			if n.IsBlock && len(n.Args) == 2 {
				name := strings.TrimPrefix(n.Args[1], "$")
				x.maps[name] = n
				x.shared["map "+name] = n
			}
		}
	}
	httpScope := newScope(nil, http)
	for _, n := range http {
		if n.Name == "server" && n.IsBlock {
			x.server(n, n.Block, httpScope)
		}
	}
	if len(bare) > 0 {
		// A file of server-level directives: the server around it is not
		// in the file, so it stands for one server.
		pseudo := &conftree.Node{Name: "server", File: bare[0].File, Line: bare[0].Line, IsBlock: true, Block: bare}
		x.server(pseudo, bare, httpScope)
	}
	return x.extraction
}

// nginxMainOnly are directives only the main context has.
var nginxMainOnly = map[string]bool{
	"user": true, "worker_processes": true, "pid": true, "load_module": true, "worker_rlimit_nofile": true,
	"daemon": true, "master_process": true, "worker_cpu_affinity": true, "pcre_jit": true, "env": true,
}

// serverLevel are directives a file written for a server block starts with.
var serverLevel = map[string]bool{
	"listen": true, "server_name": true, "location": true, "return": true, "rewrite": true, "proxy_pass": true,
	"ssl_certificate": false, "root": true,
}

// nginxVars are nginx's variables the model knows, as tokens.
var nginxVars = map[string]string{
	"scheme": tokScheme, "host": tokHost, "http_host": tokHostHeader, "server_port": tokPort,
	"request_uri": tokURI, "proxy_add_x_forwarded_for": tokClients, "remote_addr": tokClientAddr,
	"ssl_client_escaped_cert": tokCert, "ssl_client_cert": tokCert, "ssl_client_raw_cert": tokCert,
	"server_name": tokServerName, "http_x_forwarded_proto": tokFwdProto, "proxy_host": tokBackend, "uri": tokPath,
}

// nginxServer is one server block being read.
type nginxServer struct {
	x      *nginxExtraction
	node   *conftree.Node
	s      *semantic.Server
	scope  *nginxScope
	vars   map[string]string // variables with a meaning in this server
	repoVs map[string]bool   // variables holding a Docker repository key
	ports  map[string]bool   // variables holding a repository named by the port (a map on $server_port)
	locs   []*nginxLocation  // the server's top-level locations
	// plainRedirect is the redirect of an if ($scheme = http) block.
	plainRedirect *semantic.Redirect
}

func (x *nginxExtraction) server(node *conftree.Node, block []*conftree.Node, http *nginxScope) {
	ns := &nginxServer{x: x, node: node, s: &semantic.Server{Pos: node.Pos()}, vars: map[string]string{}, repoVs: map[string]bool{}, ports: map[string]bool{}}
	x.serverNode[ns.s] = node
	x.use(node)
	ns.scope = newScope(http, block)
	for k, v := range nginxVars {
		ns.vars[k] = v
	}
	body := flattenIncludes(block)
	ssl := false
	for _, n := range body {
		switch n.Name {
		case "listen":
			ns.listen(n)
		case "server_name":
			ns.names(n)
		case "ssl":
			ssl = n.Arg(0) == "on"
			x.use(n)
		case "http2":
			// nginx 1.25.1's form: HTTP/2 on every listener of the server.
			x.use(n)
			if n.Arg(0) == "on" {
				ns.s.Tuning = append(ns.s.Tuning, semantic.Setting{Name: semantic.HTTP2, Value: "on", Pos: n.Pos()})
			}
		case "include":
			x.use(n)
		}
	}
	if ssl {
		for i := range ns.s.Listen {
			ns.s.Listen[i].TLS = true
		}
	}
	if len(ns.s.Listen) == 0 {
		ns.s.Listen = []semantic.Listener{{Port: 80, Pos: node.Pos()}} // nginx's default
	}
	ns.mapsInUse()
	// The vendor's fallback: if ($http_x_forwarded_proto = '') { set $http_x_forwarded_proto $scheme; }
	for _, n := range body {
		if n.Name == "if" && n.IsBlock {
			ns.ifBlock(n)
		}
	}
	ns.tls()
	ns.rewrites(body, false)
	ns.locations(body, ns.scope)
	if ns.s.Redirect == nil {
		ns.serverReturn(body)
	}
	ns.headers()
	ns.tuning()
	x.model.Servers = append(x.model.Servers, ns.s)
	if r := ns.plainRedirect; r != nil {
		// if ($scheme = http) { return 301 https://...; }: the plain
		// listeners redirect, the TLS ones serve: two servers in effect.
		var plain, tls []semantic.Listener
		for _, l := range ns.s.Listen {
			if l.TLS {
				tls = append(tls, l)
			} else {
				plain = append(plain, l)
			}
		}
		if len(tls) == 0 {
			ns.s.Redirect = r
			return
		}
		redirect := &semantic.Server{Pos: ns.s.Pos, Listen: plain, Names: ns.s.Names, Redirect: r}
		ns.s.Listen = tls
		x.serverNode[redirect] = node
		x.model.Servers = append(x.model.Servers, redirect)
	}
}

func (ns *nginxServer) listen(n *conftree.Node) {
	ns.x.use(n)
	addr := n.Arg(0)
	l := semantic.Listener{Pos: n.Pos()}
	if p, err := strconv.Atoi(addr); err == nil {
		l.Port = p
	} else if host, port, ok := splitHostPort(addr, 80); ok {
		l.Port = port
		if host != "*" && host != "0.0.0.0" {
			l.Addr = host
			if strings.Contains(host, ":") {
				l.Addr = "[" + host + "]"
			}
		}
	} else {
		return // unix: sockets and the like: not understood
	}
	for _, a := range n.Args[1:] {
		switch {
		case a == "ssl":
			l.TLS = true
		case a == "http2":
			// nginx turns HTTP/2 on for the address:port of this listen
			// (whichever server writes it), not the server's other ports.
			ns.s.Tuning = append(ns.s.Tuning, semantic.Setting{Name: semantic.HTTP2, Value: "on", Pos: n.Pos(), Ports: []int{l.Port}})
		case a == "default_server" || a == "default":
			// Which server answers unknown names: frontdoor's snippet
			// leaves that to the web server's default site.
		default:
			ns.x.lose(n, "the listen parameter "+a+": frontdoor's listeners have none")
		}
	}
	ns.s.Listen = append(ns.s.Listen, l)
}

var captureName = lazyregexp.New(`\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>`)

func (ns *nginxServer) names(n *conftree.Node) {
	ns.x.use(n)
	for _, a := range n.Args {
		if a == "" || a == "_" {
			continue
		}
		name := semantic.Name{Name: strings.ToLower(a), Pos: n.Pos()}
		if re, ok := strings.CutPrefix(a, "~"); ok {
			name = semantic.Name{Name: re, Regex: true, Pos: n.Pos()}
			if m := captureName().FindStringSubmatch(re); m != nil {
				name.DockerRepo = m[1]
			} else if exact, ok := literalPrefix(strings.TrimSuffix(re, "$")); ok && strings.HasSuffix(re, "$") {
				// An anchored literal is the exact name (frontdoor writes a
				// long name so, to fit nginx's hash buckets).
				name = semantic.Name{Name: strings.ToLower(exact), Pos: n.Pos()}
			}
		}
		name.Name = strings.TrimSuffix(strings.TrimPrefix(name.Name, "["), "]")
		ns.s.Names = append(ns.s.Names, name)
	}
	for _, nm := range ns.s.Names {
		if nm.DockerRepo != "" {
			ns.repoVs[nm.DockerRepo] = true
		}
	}
}

// mapsInUse gives meaning to the variables of map blocks the configuration
// defines: the forwarded scheme with a fallback, the verified client
// certificate, the Docker repository by port.
func (ns *nginxServer) mapsInUse() {
	for name, m := range ns.x.maps {
		src := strings.TrimPrefix(m.Args[0], "$")
		entries := map[string]string{}
		for _, e := range m.Block {
			if len(e.Args) == 1 {
				entries[e.Name] = e.Args[0]
			}
		}
		switch {
		case src == "http_x_forwarded_proto" && entries["default"] == "$http_x_forwarded_proto" && entries[""] == "$scheme" && len(entries) == 2:
			ns.vars[name] = tokFwdOrScheme
		case src == "ssl_client_verify" && entries["default"] == "" && entries["SUCCESS"] == "$ssl_client_escaped_cert" && len(entries) == 2:
			ns.vars[name] = tokVerified
		case src == "server_port":
			ns.ports[name] = true
		default:
			continue
		}
		ns.x.use(m)
		ns.x.use(m.Block...)
	}
}

// ifBlock reads the if blocks of a server that the model knows.
func (ns *nginxServer) ifBlock(n *conftree.Node) {
	switch {
	case isEmptyTest(n.Args, "$http_x_forwarded_proto"):
		if len(n.Block) == 1 && n.Block[0].Name == "set" && strings.Join(n.Block[0].Args, " ") == "$http_x_forwarded_proto $scheme" {
			ns.vars["http_x_forwarded_proto"] = tokFwdOrScheme
			ns.x.use(n, n.Block[0])
		}
	case isPlainSchemeTest(n.Args) && len(n.Block) == 1 && n.Block[0].Name == "return" && isRedirectReturn(n.Block[0]):
		ret := n.Block[0]
		ns.plainRedirect = &semantic.Redirect{Status: atoi(ret.Arg(0)), Target: ns.redirectTarget(ret.Arg(1), false), Pos: ret.Pos()}
		ns.x.use(n, ret)
	case isRepoGuard(n.Args, ns.repoVs) || isRepoGuard(n.Args, ns.ports): // a subdomain's capture, or a map on the port
		ns.x.use(n)
		ns.rewrites(n.Block, true)
	}
}

// isEmptyTest reports whether an if's condition holds when variable is
// empty: ($v = ”), ($v = ""), (!$v).
func isEmptyTest(args []string, variable string) bool {
	switch len(args) {
	case 1:
		return args[0] == "!"+variable
	case 3:
		return args[0] == variable && args[1] == "=" && (args[2] == "" || args[2] == "''" || args[2] == `""`)
	}
	return false
}

// isPlainSchemeTest reports whether an if's condition holds for plain
// HTTP: ($scheme = http), ($scheme != https).
func isPlainSchemeTest(args []string) bool {
	return len(args) == 3 && args[0] == "$scheme" && (args[1] == "=" && args[2] == "http" || args[1] == "!=" && args[2] == "https")
}

// isRepoGuard reports whether an if's condition holds when a Docker
// repository variable is set: ($repo != ""), ($repo).
func isRepoGuard(args []string, repoVs map[string]bool) bool {
	if len(args) == 0 || !strings.HasPrefix(args[0], "$") || !repoVs[strings.TrimPrefix(args[0], "$")] {
		return false
	}
	switch len(args) {
	case 1:
		return true
	case 3:
		return args[1] == "!=" && (args[2] == "" || args[2] == `""` || args[2] == "''")
	}
	return false
}

func (ns *nginxServer) tls() {
	get := func(name string) semantic.Value {
		if n := ns.scope.get(name); n != nil {
			ns.x.use(n)
			return semantic.Value{Text: strings.Join(n.Args, " "), Pos: n.Pos()}
		}
		return semantic.Value{}
	}
	t := &semantic.TLS{
		Certificate: get("ssl_certificate"),
		Key:         get("ssl_certificate_key"),
		Protocols:   get("ssl_protocols"),
		Ciphers:     get("ssl_ciphers"),
		ClientCA:    get("ssl_client_certificate"),
		Depth:       get("ssl_verify_depth"),
	}
	t.Protocols.Text = canonicalProtocols(strings.Fields(t.Protocols.Text))
	if v := get("ssl_verify_client"); v.Text != "" && v.Text != "off" {
		t.Verify = v
		switch v.Text {
		case "on":
			t.Verify.Text = "required"
		case "optional_no_ca":
			t.Verify.Text = "optional, unverified,"
		}
	} else {
		t.ClientCA, t.Depth = semantic.Value{}, semantic.Value{}
	}
	for _, a := range ns.scope.addHeaders() {
		if strings.EqualFold(a.Arg(0), "Strict-Transport-Security") {
			ns.x.use(a)
			t.HSTS = semantic.Value{Text: a.Arg(1), Pos: a.Pos()}
		}
	}
	tlsOn := false
	for _, l := range ns.s.Listen {
		tlsOn = tlsOn || l.TLS
	}
	if tlsOn {
		ns.s.TLS = t
	}
}

// value reduces a directive argument to the model's tokens.
func (ns *nginxServer) value(s string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' {
			b.WriteByte(s[i])
			continue
		}
		j := i + 1
		braced := j < len(s) && s[j] == '{'
		if braced {
			j++
		}
		k := j
		for k < len(s) && (s[k] == '_' || s[k] >= 'a' && s[k] <= 'z' || s[k] >= 'A' && s[k] <= 'Z' || s[k] >= '0' && s[k] <= '9') {
			k++
		}
		name := s[j:k]
		if braced && k < len(s) && s[k] == '}' {
			k++
		}
		if tok, ok := ns.vars[name]; ok {
			b.WriteString(tok)
		} else {
			b.WriteString("{$" + name + "}")
		}
		i = k - 1
	}
	return b.String()
}
