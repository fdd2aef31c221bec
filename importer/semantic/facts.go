package semantic

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Aspect is a part of the behaviour, the sections of a diff.
type Aspect string

const (
	Listeners Aspect = "listeners"
	Names     Aspect = "server names"
	TLSAspect Aspect = "TLS"
	Routes    Aspect = "routes"
	// AccessControl is who may reach a path: a rule gone opens the path.
	AccessControl Aspect = "access control"
	Redirects     Aspect = "redirects"
	Upstreams     Aspect = "upstreams"
	Headers       Aspect = "headers"
	Docker        Aspect = "Docker"
	Tuning        Aspect = "tuning"
)

// Aspects lists the aspects in the order a diff shows them.
var Aspects = []Aspect{Listeners, Names, TLSAspect, Routes, AccessControl, Redirects, Upstreams, Headers, Docker, Tuning}

// Fact is one statement about the behaviour on one port: "on 443, /
// goes to localhost:8082". Two models are compared fact by fact.
type Fact struct {
	Aspect Aspect `json:"aspect"`
	// Port is the listener the fact holds on; 0 for facts about the whole
	// configuration (upstreams).
	Port  int    `json:"port,omitempty"`
	Key   string `json:"key"`
	Value string `json:"value"`
	Pos   Pos    `json:"source"`
}

// The roles of an upstream server, its facts' values: Active shares the
// load, BackupRole takes requests only when the active ones are down.
const (
	Active     = "active"
	BackupRole = "backup"
)

// Facts reduces the model to facts, each about one port (a server on two
// ports states each of its facts twice), sorted.
func (m *Model) Facts() []Fact {
	n := 0
	for _, s := range m.Servers {
		n += len(s.Listen) * (8 + len(s.Names) + len(s.Routes) + len(s.Access) + len(s.PathRedirects) + len(s.Headers) + len(s.Docker) + len(s.Tuning))
	}
	out := make([]Fact, 0, n)
	backends := map[string]Backend{}
	for _, s := range m.Servers {
		for _, l := range s.Listen {
			out = s.facts(out, l)
		}
		for _, r := range s.Routes {
			for _, b := range r.Backends {
				if _, ok := backends[b.Addr]; !ok {
					backends[b.Addr] = b
				}
			}
		}
	}
	for addr, b := range backends {
		role := Active
		if b.Backup {
			role = BackupRole
		}
		out = append(out, Fact{Aspect: Upstreams, Key: addr, Value: role, Pos: b.Pos})
	}
	// Sort indices, not the facts (thousands for a configuration with many
	// Docker ports); the index breaks ties, so the sort is stable.
	idx := make([]int32, len(out))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(a, b int32) int {
		if c := factCompare(out[a], out[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	sorted := make([]Fact, len(out))
	for i, j := range idx {
		sorted[i] = out[j]
	}
	return dedupe(sorted)
}

func factCompare(a, b Fact) int {
	if a.Aspect != b.Aspect {
		return cmp.Compare(aspectIndex(a.Aspect), aspectIndex(b.Aspect))
	}
	if a.Port != b.Port {
		return cmp.Compare(a.Port, b.Port)
	}
	return strings.Compare(a.Key, b.Key)
}

func aspectIndex(a Aspect) int {
	for i, x := range Aspects {
		if x == a {
			return i
		}
	}
	return len(Aspects)
}

// dedupe keeps the first fact of each id: two servers claiming one port is
// a conflict the server resolves (the first, in nginx, for the same name).
func dedupe(fs []Fact) []Fact {
	out := fs[:0]
	for i, f := range fs {
		if i > 0 && factCompare(f, fs[i-1]) == 0 {
			continue
		}
		out = append(out, f)
	}
	return out
}

// facts appends the facts of the server on listener l to out.
func (s *Server) facts(out []Fact, l Listener) []Fact {
	port := l.Port
	add := func(out []Fact, a Aspect, key, value string, pos Pos) []Fact {
		return append(out, Fact{Aspect: a, Port: port, Key: key, Value: value, Pos: pos})
	}
	what := "http"
	if l.TLS {
		what = "https"
	}
	switch {
	case s.Redirect != nil:
		what += fmt.Sprintf(", redirects everything (%d) to %s", s.Redirect.Status, s.Redirect.Target)
	case len(s.Routes) > 0:
		what += ", proxies"
	default:
		what += ", proxies nothing"
	}
	out = add(out, Listeners, l.Addr, what, l.Pos)
	for _, n := range s.Names {
		out = add(out, Names, n.Display(), "answers", n.Pos)
	}
	if t := s.TLS; t != nil && l.TLS {
		out = add(out, TLSAspect, "certificate", t.Certificate.Text, t.Certificate.Pos)
		out = add(out, TLSAspect, "key", t.Key.Text, t.Key.Pos)
		out = add(out, TLSAspect, "protocols", orDefault(t.Protocols.Text), t.Protocols.Pos)
		out = add(out, TLSAspect, "ciphers", orDefault(t.Ciphers.Text), t.Ciphers.Pos)
		if t.HSTS.Text != "" {
			out = add(out, TLSAspect, "HSTS", t.HSTS.Text, t.HSTS.Pos)
		}
		if t.Verify.Text != "" {
			v := t.Verify.Text + " client certificates"
			if t.ClientCA.Text != "" {
				v += " signed by " + t.ClientCA.Text
			}
			if t.Depth.Text != "" {
				v += ", depth " + t.Depth.Text
			}
			out = add(out, TLSAspect, "mTLS", v, t.Verify.Pos)
		}
	}
	if s.Redirect != nil {
		return out
	}
	for _, r := range s.Routes {
		out = add(out, Routes, r.Path, r.describe(), r.Pos)
	}
	for _, a := range s.Access {
		key := a.Path
		if key == "" {
			key = "every path"
		}
		out = add(out, AccessControl, key, strings.Join(a.Rules, ", "), a.Pos)
	}
	for _, r := range s.PathRedirects {
		out = add(out, Redirects, r.From, fmt.Sprintf("to %s (%d)", r.To, r.Status), r.Pos)
	}
	for _, h := range s.Headers {
		v := h.Value
		if v == "" {
			v = "(removed)"
		}
		out = add(out, Headers, h.Name, v, h.Pos)
	}
	for _, d := range s.Docker {
		if d.Method == DockerPort && d.Port != 0 && d.Port != port {
			continue // a rule for another port of the same server
		}
		key := string(d.Method)
		v := d.From + " to " + d.To
		if d.Key != "" {
			v = "via " + d.From + " to repository " + d.Key + " (as " + d.To + ")"
		}
		if d.Guarded {
			v += ", only when a repository is named"
		}
		out = add(out, Docker, key, v, d.Pos)
	}
	for _, t := range s.Tuning {
		if !l.TLS && strings.HasPrefix(strings.ToLower(t.Name), "ssl") {
			continue // TLS settings say nothing about a plain port
		}
		if len(t.Ports) > 0 && !slices.Contains(t.Ports, port) {
			continue // written for another of the server's listeners
		}
		out = add(out, Tuning, t.Name, t.Value, t.Pos)
	}
	return out
}

func orDefault(s string) string {
	if s == "" {
		return "(the server's default)"
	}
	return s
}

func (r Route) describe() string {
	var addrs []string
	for _, b := range r.Backends {
		addrs = append(addrs, b.Addr)
	}
	s := "to " + strings.Join(addrs, ", ")
	if len(addrs) > 1 {
		s += " (load shared)"
	}
	if r.URI != "" {
		s += ", " + strings.TrimPrefix(r.Path, "~ ") + " sent as " + r.URI
	}
	return s
}

// Display is the name as a report shows it: a Docker subdomain regex as
// {repo}.name.
func (n Name) Display() string {
	if n.DockerRepo != "" {
		if suffix, ok := literalSuffix(n.Name); ok {
			if n.HostHeader && strings.HasSuffix(n.Name, "$") && !strings.HasSuffix(n.Name, ")?$") {
				return "{repository}." + suffix + " (no port in the Host header)"
			}
			return "{repository}." + suffix
		}
	}
	if n.Regex {
		return "~" + n.Name
	}
	return n.Name
}

// literalSuffix reads the name after the capture of a subdomain regex
// (^(?<repo>...)\.artifactory\.example\.com$), unescaped.
func literalSuffix(re string) (string, bool) {
	i := strings.LastIndex(re, `)\.`)
	if i < 0 {
		return "", false
	}
	rest := strings.TrimSuffix(re[i+3:], "$")
	rest = strings.TrimSuffix(rest, "(:[0-9]+)?") // a port in the Host header
	var b strings.Builder
	for j := 0; j < len(rest); j++ {
		c := rest[j]
		switch {
		case c == '\\' && j+1 < len(rest):
			j++
			b.WriteByte(rest[j])
		case strings.IndexByte("()[]{}*+?|^$", c) >= 0:
			return "", false
		default:
			b.WriteByte(c) // an unescaped dot: matches a dot among others
		}
	}
	return b.String(), b.Len() > 0
}
