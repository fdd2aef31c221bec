package importer

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"

	"frontdoor/importer/conftree"
	"frontdoor/importer/semantic"
	"frontdoor/render"
)

// recognition is the settings read from a model, where each came from, and
// what of the model the settings cannot express.
type recognition struct {
	settings render.Settings
	sources  map[string]conftree.Pos // settings path → the directive it came from
	assumed  map[string]string       // settings path → why its default was kept
	unmapped []Item                  // model parts with no setting, with why
	notes    []string                // what the mapping decided, for the report
	migrated bool                    // an Artifactory 6 layout, migrated to 7
	// servers are the Artifactory servers of the model; others are other
	// sites' (left alone).
	servers, others []*semantic.Server
	main            []*semantic.Server // the servers that proxy (not redirect, not Docker ports)
	mainTLS         *semantic.Server
	// dockerKeysUnknown says the method is known but the repository keys
	// are not in the configuration (subdomain and repository path).
	dockerKeysUnknown bool
}

func (r *recognition) source(path string, pos conftree.Pos) {
	if _, ok := r.sources[path]; !ok && !pos.IsZero() {
		r.sources[path] = pos
	}
}

func (r *recognition) unmap(pos conftree.Pos, what, why string) {
	r.unmapped = append(r.unmapped, Item{Source: pos, Directive: what, Why: why})
}

// recognise reads settings from the extraction of an old configuration.
// hintsOf reads the header of a file frontdoor wrote: the one that holds
// the Artifactory server is asked (an included site, when a main
// configuration is imported).
func recognise(x *extraction, provider render.Provider, hintsOf func(file string) headerHints) *recognition {
	r := &recognition{settings: render.Defaults(), sources: map[string]conftree.Pos{}, assumed: map[string]string{}}
	s := &r.settings
	s.Provider = provider
	s.MTLS.ClientCA = render.DefaultClientCA(provider)
	r.pickServers(x)
	var dockerServers, redirects []*semantic.Server
	for _, srv := range r.servers {
		switch {
		case srv.Redirect != nil:
			redirects = append(redirects, srv)
		case hasPortRules(srv):
			if main, docker := splitPortServer(srv); main != nil {
				r.main = append(r.main, main)
				dockerServers = append(dockerServers, docker)
				continue
			}
			dockerServers = append(dockerServers, srv)
		default:
			r.main = append(r.main, srv)
		}
	}
	if len(r.main) == 0 && len(dockerServers) > 0 {
		r.main, dockerServers = dockerServers[:1], dockerServers[1:]
	}
	hints := hintsOf(r.artifactoryFile())
	r.serverName(redirects, dockerServers)
	r.listeners(redirects)
	r.nodes(hints)
	r.tls()
	r.mtls()
	r.override()
	r.public(hints)
	r.docker(dockerServers, hints)
	r.notes = append(r.notes, x.notes...)
	return r
}

// artifactoryFile is the file that holds the Artifactory server: the first
// main server's, else the first Artifactory server's.
func (r *recognition) artifactoryFile() string {
	switch {
	case len(r.main) > 0:
		return r.main[0].Pos.File
	case len(r.servers) > 0:
		return r.servers[0].Pos.File
	}
	return ""
}

// listeners reads the HTTP and HTTPS ports: plain and TLS listeners of the
// main servers, a redirecting server's plain port.
func (r *recognition) listeners(redirects []*semantic.Server) {
	s := &r.settings
	var http, https *semantic.Listener
	for _, srv := range r.main {
		for i := range srv.Listen {
			l := &srv.Listen[i]
			switch {
			case l.TLS && https == nil:
				https, r.mainTLS = l, srv
			case !l.TLS && http == nil:
				http = l
			case https != nil && l.Port == https.Port && l.TLS || http != nil && l.Port == http.Port && !l.TLS:
				// the same port on another address: the facts say so
			default:
				r.unmap(l.Pos, "listener on port "+strconv.Itoa(l.Port), "frontdoor listens on one HTTP and one HTTPS port (and Docker's ports)")
			}
		}
	}
	s.HTTP.Enabled = http != nil
	if http != nil {
		s.HTTP.Port = http.Port
		r.source("proxy.http.enabled", http.Pos)
		r.source("proxy.http.port", http.Pos)
	}
	for _, srv := range redirects {
		for _, l := range srv.Listen {
			switch {
			case !l.TLS && !s.HTTP.Enabled && strings.HasPrefix(srv.Redirect.Target, "https://"):
				s.HTTP = render.HTTP{Enabled: true, Port: l.Port, RedirectToHTTPS: true}
				r.source("proxy.http.enabled", l.Pos)
				r.source("proxy.http.port", l.Pos)
				r.source("proxy.http.redirectToHttps", srv.Redirect.Pos)
			case !l.TLS && s.HTTP.RedirectToHTTPS && l.Port == s.HTTP.Port:
			default:
				r.unmap(srv.Redirect.Pos, fmt.Sprintf("redirect on port %d to %s", l.Port, srv.Redirect.Target), "frontdoor redirects only its HTTP port to HTTPS")
			}
		}
	}
	s.HTTPS.Enabled = https != nil
	if https != nil {
		s.HTTPS.Port = https.Port
		r.source("proxy.https.enabled", https.Pos)
		r.source("proxy.https.port", https.Pos)
	}
	if !s.HTTP.Enabled && !s.HTTPS.Enabled {
		r.notes = append(r.notes, "no listener of the Artifactory server found: HTTP on port 80 assumed")
		s.HTTP.Enabled = true
	}
}

// routeFor returns the main servers' route for path (exact key).
func (r *recognition) routeFor(paths ...string) *semantic.Route {
	for _, srv := range r.main {
		for i, rt := range srv.Routes {
			if slices.Contains(paths, rt.Path) {
				return &srv.Routes[i]
			}
		}
	}
	return nil
}

// nodes reads the nodes and the two ports from the routes: / to the router
// and /artifactory/ to Artifactory (7), or /artifactory/ alone, or / to
// Artifactory's /artifactory/ (6, migrated).
func (r *recognition) nodes(hints headerHints) {
	s := &r.settings
	router := r.routeFor("/")
	direct := r.routeFor("/artifactory/", "/artifactory")
	if router != nil && strings.HasPrefix(router.URI, "/artifactory") && direct == nil {
		direct, router = router, nil
	}
	r.migrated = router == nil && direct != nil
	read := func(rt *semantic.Route, portKey string) ([]string, int) {
		var hosts []string
		port := 0
		for _, b := range rt.Backends {
			h, p, err := net.SplitHostPort(b.Addr)
			if err != nil {
				continue
			}
			if port != 0 && p != strconv.Itoa(port) {
				r.unmap(b.Pos, "backend "+b.Addr, fmt.Sprintf("the other backends of %s use port %d: frontdoor uses one port per role on every node", rt.Path, port))
				continue
			}
			port, _ = strconv.Atoi(p)
			hosts = append(hosts, h)
		}
		if len(rt.Backends) > 0 {
			r.source(portKey, rt.Backends[0].Pos)
		}
		return hosts, port
	}
	var nodes []string
	var nodesFrom *semantic.Route // the route whose nodes are kept
	if direct != nil {
		nodesFrom = direct
		var port int
		nodes, port = read(direct, "proxy.artifactoryPort")
		if port != 0 {
			s.ArtifactoryPort = port
		}
		if direct.URI != "" && direct.URI != "/artifactory/" && direct.URI != "/artifactory" {
			r.unmap(direct.Pos, "route "+direct.Path+" to "+direct.URI, "frontdoor proxies /artifactory/ to Artifactory's own /artifactory/")
		}
	}
	if router != nil {
		rnodes, port := read(router, "proxy.routerPort")
		if port != 0 {
			s.RouterPort = port
		}
		if router.URI != "" {
			r.unmap(router.Pos, "route / to "+router.URI, "frontdoor proxies / to the router's own /")
		}
		if len(nodes) > 0 && !slices.Equal(nodes, rnodes) {
			r.unmap(router.Pos, "routes / and /artifactory/ to different nodes", "frontdoor sends both to the same nodes; the nodes of / are kept")
		}
		nodes, nodesFrom = rnodes, router
	}
	if nodesFrom != nil {
		r.source("proxy.nodes", backendLines(nodesFrom.Backends))
	}
	switch {
	case router == nil && direct == nil:
		r.notes = append(r.notes, "no route to Artifactory found (a location or ProxyPass for / or /artifactory/): the nodes are the default, localhost")
	case r.migrated:
		r.assumed["proxy.routerPort"] = "assumed: Artifactory 7's router (the old configuration is Artifactory 6's)"
		r.notes = append(r.notes, fmt.Sprintf("Artifactory 6 layout (everything under /artifactory/ on port %d) migrated to the Artifactory 7 layout: / goes to the router (port %d, assumed on the same nodes), /artifactory/ to Artifactory", s.ArtifactoryPort, s.RouterPort))
	case direct == nil:
		r.notes = append(r.notes, fmt.Sprintf("only / is proxied (to the router): frontdoor also sends /artifactory/ straight to Artifactory on port %d of the same nodes", s.ArtifactoryPort))
	}
	if len(nodes) > 0 {
		s.Nodes = hints.spell(nodes)
	}
}

// backendLines is where a route's nodes are written: the upstream's
// server lines or the balancer's members ("site.conf:2-3"), the proxy_pass
// or ProxyPass line for a single node. Nodes in several files are cited by
// the first.
func backendLines(bs []semantic.Backend) conftree.Pos {
	if len(bs) == 0 {
		return conftree.Pos{}
	}
	pos := bs[0].Pos
	for _, b := range bs[1:] {
		if b.Pos.File != pos.File {
			return bs[0].Pos
		}
		pos.Line = min(pos.Line, b.Pos.Line)
		pos.EndLine = max(pos.EndLine, b.Pos.Line)
	}
	if pos.EndLine <= pos.Line {
		pos.EndLine = 0
	}
	return pos
}

// tls reads the certificate and key, and the nearest Mozilla profile.
func (r *recognition) tls() {
	s := &r.settings
	if r.mainTLS == nil || r.mainTLS.TLS == nil {
		return
	}
	t := r.mainTLS.TLS
	s.HTTPS.Certificate, s.HTTPS.Key = t.Certificate.Text, t.Key.Text
	r.source("proxy.https.certificate", t.Certificate.Pos)
	r.source("proxy.https.key", t.Key.Pos)
	s.HTTPS.TLSProfile = render.TLSIntermediate
	if t.Protocols.Text == "TLSv1.3" {
		s.HTTPS.TLSProfile = render.TLSModern
	}
	r.source("proxy.https.tlsProfile", t.Protocols.Pos)
	want := "TLSv1.2 TLSv1.3"
	if s.HTTPS.TLSProfile == render.TLSModern {
		want = "TLSv1.3"
	}
	switch {
	case t.Protocols.Text == "":
		r.notes = append(r.notes, fmt.Sprintf("no TLS protocols set (the server's default applied): the %s profile sets %s", s.HTTPS.TLSProfile, want))
	case t.Protocols.Text != want:
		r.notes = append(r.notes, fmt.Sprintf("TLS protocols %s mapped to the nearest Mozilla profile, %s: %s", t.Protocols.Text, s.HTTPS.TLSProfile, protocolDifference(t.Protocols.Text, want)))
	}
}

// protocolDifference names what the profile changes: "TLSv1 and TLSv1.1
// are no longer accepted; TLSv1.3 is added".
func protocolDifference(old, want string) string {
	o, w := strings.Fields(old), strings.Fields(want)
	var gone, added []string
	for _, p := range o {
		if !slices.Contains(w, p) {
			gone = append(gone, p)
		}
	}
	for _, p := range w {
		if !slices.Contains(o, p) {
			added = append(added, p)
		}
	}
	var parts []string
	if len(gone) > 0 {
		parts = append(parts, strings.Join(gone, " and ")+" no longer accepted")
	}
	if len(added) > 0 {
		parts = append(parts, strings.Join(added, " and ")+" added")
	}
	return strings.Join(parts, "; ")
}

// mtls reads client-certificate verification and the header that carries
// the certificate upstream.
func (r *recognition) mtls() {
	s := &r.settings
	if r.mainTLS == nil || r.mainTLS.TLS == nil || r.mainTLS.TLS.Verify.Text == "" {
		return
	}
	t := r.mainTLS.TLS
	s.MTLS.Enabled = true
	r.source("proxy.mtls.enabled", t.Verify.Pos)
	s.MTLS.Required = t.Verify.Text == "required"
	r.source("proxy.mtls.required", t.Verify.Pos)
	if t.ClientCA.Text != "" {
		s.MTLS.ClientCA = t.ClientCA.Text
		r.source("proxy.mtls.clientCA", t.ClientCA.Pos)
	}
	if d, err := strconv.Atoi(t.Depth.Text); err == nil {
		s.MTLS.VerifyDepth = d
		r.source("proxy.mtls.verifyDepth", t.Depth.Pos)
	}
	if strings.Contains(t.Verify.Text, "unverified") {
		r.notes = append(r.notes, "client certificates were accepted without verification (optional_no_ca): frontdoor verifies them against the client CA and forwards only verified ones")
	}
	for _, h := range r.mainTLS.Headers {
		if h.Value == tokCert || h.Value == tokVerified {
			s.MTLS.Header = h.Name
			r.source("proxy.mtls.header", h.Pos)
		}
	}
}

// overrideHeaders are the base-URL headers of Artifactory 7 and 6.
var overrideHeaders = []string{"X-JFrog-Override-Base-Url", "X-Artifactory-Override-Base-Url"}

func (r *recognition) override() {
	r.settings.OverrideBaseURLHeader = false
	for _, srv := range r.main {
		for _, h := range srv.Headers {
			if slices.Contains(overrideHeaders, h.Name) && h.Value != "" {
				r.settings.OverrideBaseURLHeader = true
				r.source("proxy.overrideBaseUrlHeader", h.Pos)
				if h.Name == "X-Artifactory-Override-Base-Url" {
					r.notes = append(r.notes, "the Artifactory 6 base-URL header X-Artifactory-Override-Base-Url becomes Artifactory 7's X-JFrog-Override-Base-Url")
				}
				return
			}
		}
	}
}
