package importer

import (
	"strconv"

	"frontdoor/importer/conftree"
	"frontdoor/importer/semantic"
	"frontdoor/internal/lazyregexp"
	"frontdoor/render"
)

// public reads proxy.public: the scheme and port a proxy behind a load
// balancer reports as the clients', fixed values where a proxy on its own
// reports its listener's ($scheme, $server_port): X-Forwarded-Proto
// https, X-Forwarded-Port 443, or a base-URL header https://{host}:443.
// A fixed value that is the server's own anyway (https on a TLS-only
// server, the port it listens on) is not a load balancer's, unless
// frontdoor's header says it is.
func (r *recognition) public(hints headerHints) {
	s := &r.settings
	var fixed render.Public // every fixed value, the server's own or not
	var pos struct{ scheme, port conftree.Pos }
	for _, srv := range r.main {
		for _, h := range srv.Headers {
			scheme, port := publicFromHeader(h)
			if scheme != "" && fixed.Scheme == "" {
				fixed.Scheme, pos.scheme = scheme, h.Pos
				if !ownScheme(srv, scheme) {
					s.Public.Scheme = scheme
				}
			}
			if port != 0 && fixed.Port == 0 {
				fixed.Port, pos.port = port, h.Pos
				if !ownPort(srv, port) {
					s.Public.Port = port
				}
			}
		}
	}
	if hp := hints.Public; hp.IsSet() && (hp.Scheme == "" || hp.Scheme == fixed.Scheme) && hp.Port == fixed.Port {
		s.Public = hp
	}
	if s.Public.Scheme != "" {
		r.source("proxy.public.scheme", pos.scheme)
	}
	if s.Public.Port != 0 {
		r.source("proxy.public.port", pos.port)
	}
}

// publicBase is a base URL with a fixed scheme or port.
var publicBase = lazyregexp.New(`^(https?|\{[^}]+\})://\{host\}:([0-9]+|\{[^}]+\})$`)

// publicFromHeader is the fixed scheme and port one header states ("" and
// 0 for what it takes from the request).
func publicFromHeader(h semantic.Header) (scheme string, port int) {
	fixedPort := func(v string) int {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 || p > 65535 {
			return 0
		}
		return p
	}
	switch h.Name {
	case "X-Forwarded-Proto":
		if h.Value == "http" || h.Value == "https" {
			return h.Value, 0
		}
	case "X-Forwarded-Port":
		return "", fixedPort(h.Value)
	case "X-JFrog-Override-Base-Url", "X-Artifactory-Override-Base-Url":
		if m := publicBase().FindStringSubmatch(h.Value); m != nil {
			if m[1] == "http" || m[1] == "https" {
				scheme = m[1]
			}
			return scheme, fixedPort(m[2])
		}
	}
	return "", 0
}

// ownScheme reports whether every listener of srv has scheme anyway.
func ownScheme(srv *semantic.Server, scheme string) bool {
	if scheme == "" || len(srv.Listen) == 0 {
		return false
	}
	for _, l := range srv.Listen {
		if l.TLS != (scheme == "https") {
			return false
		}
	}
	return true
}

// ownPort reports whether srv listens on port alone.
func ownPort(srv *semantic.Server, port int) bool {
	if port == 0 || len(srv.Listen) == 0 {
		return false
	}
	for _, l := range srv.Listen {
		if l.Port != port {
			return false
		}
	}
	return true
}
