package importer

import (
	"net"
	"net/netip"
	"strconv"
	"strings"

	"frontdoor/importer/conftree"
	"frontdoor/importer/semantic"
	"frontdoor/internal/lazyregexp"
)

// extraction is a configuration reduced to a semantic.Model, with what the
// importer needs beyond the model: which directive each part came from, so
// it can say which directives it understood and which not.
type extraction struct {
	model semantic.Model
	// understood holds the directives the model accounts for.
	understood map[*conftree.Node]bool
	// serverNode is the block each model server was read from.
	serverNode map[*semantic.Server]*conftree.Node
	// shared are blocks outside servers that servers use (nginx upstream
	// and map blocks, Apache balancers), by the name servers refer to.
	shared map[string]*conftree.Node
	// uses lists the shared blocks each server refers to.
	uses map[*semantic.Server][]string
	// main says the configuration is a whole server configuration
	// (nginx.conf, apache2.conf), not a site's file: its directives outside
	// the servers belong to the server, not to the site.
	main bool
	// roots are the top-level directives of the files given.
	roots []*conftree.Node
	// lost are parts of directives the model reads but cannot hold (an
	// upstream server's weight, a listener's proxy_protocol), with why.
	lost map[*conftree.Node][]string
	// notes say how the reading decided what the server does (an Apache
	// <IfModule> read as if the module were loaded), for the report.
	notes []string
}

// lose records that part of a directive the model otherwise reads is lost.
func (x *extraction) lose(n *conftree.Node, why string) {
	x.lost[n] = append(x.lost[n], why)
}

func newExtraction(roots []*conftree.Node) *extraction {
	return &extraction{
		understood: map[*conftree.Node]bool{},
		serverNode: map[*semantic.Server]*conftree.Node{},
		shared:     map[string]*conftree.Node{},
		uses:       map[*semantic.Server][]string{},
		roots:      roots,
		lost:       map[*conftree.Node][]string{},
	}
}

func (x *extraction) use(ns ...*conftree.Node) {
	for _, n := range ns {
		if n != nil {
			x.understood[n] = true
		}
	}
}

// Tokens both servers' values are reduced to, so a header nginx sets from
// $host and one Apache sets from %{SERVER_NAME} compare equal.
const (
	tokScheme      = "{scheme}"
	tokFwdProto    = "{forwarded proto}"
	tokFwdOrScheme = "{forwarded proto or scheme}"
	tokHost        = "{host}"
	tokHostHeader  = "{Host header}"
	tokPort        = "{port}"
	tokURI         = "{uri}"
	tokClients     = "{client addresses}"
	tokClientAddr  = "{client address}"
	tokCert        = "{client certificate, unverified}"
	tokVerified    = "{verified client certificate}"
	tokServerName  = "{server name}"
	tokBackend     = "{backend address}"
	tokPath        = "{path}"
)

// knownHeaders are the spellings a report uses for the headers that matter
// to Artifactory (header names are compared case-insensitively).
var knownHeaders = []string{
	"Host", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Host", "X-Forwarded-Server",
	"X-JFrog-Override-Base-Url", "X-Artifactory-Override-Base-Url", "X-JFrog-Client-Cert", "X-Real-IP",
}

// headerKey is the name a header is compared and shown by.
func headerKey(name string) string {
	for _, k := range knownHeaders {
		if strings.EqualFold(k, name) {
			return k
		}
	}
	return name
}

// hopByHop headers are about the connection to the backend, not the
// request: not part of the comparison.
func hopByHop(name string) bool {
	switch strings.ToLower(name) {
	case "connection", "upgrade", "keep-alive", "te", "transfer-encoding":
		return true
	}
	return false
}

// normalAddr writes a backend address as the model compares them: host
// lower case, IPv6 in brackets, the port always given.
func normalAddr(host string, port int) string {
	host = strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	if a, err := netip.ParseAddr(host); err == nil {
		host = a.String()
	}
	return net.JoinHostPort(host, strconv.Itoa(port))
}

// splitHostPort splits "host:port", "[v6]:port" or "host" (port def).
func splitHostPort(s string, def int) (string, int, bool) {
	if h, p, err := net.SplitHostPort(s); err == nil {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return "", 0, false
		}
		return h, n, true
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		return s[1 : len(s)-1], def, true
	}
	if strings.Contains(s, ":") {
		if _, err := netip.ParseAddr(s); err == nil {
			return s, def, true // a bare IPv6 address
		}
		return "", 0, false
	}
	return s, def, s != ""
}

// parseURL splits a proxy target "http://host:port/uri" into its parts.
func parseURL(u string) (scheme, host string, port int, uri string, ok bool) {
	scheme, rest, found := strings.Cut(u, "://")
	if !found {
		return "", "", 0, "", false
	}
	scheme = strings.ToLower(scheme)
	hostport := rest
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		hostport, uri = rest[:i], rest[i:]
	}
	def := 80
	if scheme == "https" {
		def = 443
	}
	host, port, ok = splitHostPort(hostport, def)
	return scheme, host, port, uri, ok
}

// literalPrefix reads a regex that matches a fixed path prefix
// ("^/artifactory/", escapes allowed) as the prefix.
func literalPrefix(re string) (string, bool) {
	rest, ok := strings.CutPrefix(re, "^")
	if !ok {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case c == '\\' && i+1 < len(rest) && strings.IndexByte(`./-`, rest[i+1]) >= 0:
			i++
			b.WriteByte(rest[i])
		case strings.IndexByte(`.^$*+?()[]{}|\`, c) >= 0:
			return "", false
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), b.Len() > 0
}

// regexPath is how a path pattern is shown and compared: what it matches,
// with literal text unescaped ("^/ui$" is "/ui"; "^(/)?$" is "/").
func regexPath(re string) string {
	switch re {
	case "^/$", "^/?$", "^(/)?$", "^/*$", "^$":
		return "/"
	}
	s := strings.TrimSuffix(strings.TrimPrefix(re, "^"), "$")
	if p, ok := literalPrefix("^" + s); ok && strings.HasPrefix(re, "^") && strings.HasSuffix(re, "$") {
		return p
	}
	return "~ " + re
}

var dockerTarget = lazyregexp.New(`^/artifactory/api/docker/([^/]+)/(.*)$`)

// dockerShape normalises a Docker rewrite: the pattern's groups and the
// target's references become names, so nginx's `^/(v1|v2)/(.*)` to
// `/artifactory/api/docker/$repo/$1/$2` and Apache's `^/(v1|v2)/(.*)$` to
// `.../%1/$1/$2` read the same. repo is how the target names the
// repository ("" for a literal key).
func dockerShape(pattern, target string, repoRef func(ref string) bool) (from, to string) {
	groups := regexGroups(pattern)
	from = strings.TrimSuffix(strings.TrimPrefix(pattern, "^"), "$")
	for _, g := range groups {
		from = strings.Replace(from, g.text, g.label, 1)
	}
	to = target
	// References: $1..$9 to the pattern's groups, others to the repository.
	var b strings.Builder
	for i := 0; i < len(to); i++ {
		c := to[i]
		if (c == '$' || c == '%') && i+1 < len(to) {
			j := i + 1
			if to[j] == '{' {
				if k := strings.IndexByte(to[j:], '}'); k > 0 {
					ref := to[j+1 : j+k]
					i = j + k
					b.WriteString(refLabel(c, ref, groups, repoRef))
					continue
				}
			}
			for j < len(to) && (to[j] == '_' || to[j] >= 'a' && to[j] <= 'z' || to[j] >= 'A' && to[j] <= 'Z' || to[j] >= '0' && to[j] <= '9') {
				j++
			}
			if j > i+1 {
				b.WriteString(refLabel(c, to[i+1:j], groups, repoRef))
				i = j - 1
				continue
			}
		}
		b.WriteByte(c)
	}
	return from, b.String()
}

func refLabel(sigil byte, ref string, groups []regexGroup, repoRef func(string) bool) string {
	if n, err := strconv.Atoi(ref); err == nil && sigil == '$' {
		if n >= 1 && n <= len(groups) {
			return groups[n-1].label
		}
		return "{" + ref + "}"
	}
	if repoRef != nil && repoRef(string(sigil)+ref) {
		return "{repository}"
	}
	return "{" + ref + "}"
}

type regexGroup struct{ text, label string }

// regexGroups lists the capturing groups of a simple regex with a label for
// each: (v1|v2) → v1|v2, (.*) → {rest}, ([^/]+) → {repository}.
func regexGroups(re string) []regexGroup {
	var out []regexGroup
	for i := 0; i < len(re); i++ {
		if re[i] == '\\' {
			i++
			continue
		}
		if re[i] != '(' || strings.HasPrefix(re[i:], "(?:") {
			continue
		}
		depth, j := 0, i
		for ; j < len(re); j++ {
			if re[j] == '\\' {
				j++
				continue
			}
			if re[j] == '(' {
				depth++
			}
			if re[j] == ')' {
				depth--
				if depth == 0 {
					break
				}
			}
		}
		if j >= len(re) {
			break
		}
		text := re[i : j+1]
		label := "{" + strconv.Itoa(len(out)+1) + "}"
		switch inner := text[1 : len(text)-1]; {
		case inner == ".*" || inner == ".+":
			label = "{rest}"
		case inner == "[^/]+" || inner == "[^/]*":
			label = "{repository}"
		case !strings.ContainsAny(inner, `.*+?()[]{}\^$`):
			label = inner // alternatives of literal text: v1|v2
		}
		out = append(out, regexGroup{text: text, label: label})
	}
	return out
}

// dockerRepoPart returns what stands for the repository key in a Docker
// target (/artifactory/api/docker/KEY/...), or "" when the target is not
// one.
func dockerRepoPart(target string) string {
	m := dockerTarget().FindStringSubmatch(target)
	if m == nil {
		return ""
	}
	return m[1]
}

// isLiteralKey reports whether a Docker target's repository part is a key
// written out (the ports method's servers) rather than a reference.
func isLiteralKey(part string) bool {
	return part != "" && !strings.ContainsAny(part, "$%{}()")
}

// canonicalProtocols writes a protocol list as nginx does, in order.
func canonicalProtocols(ps []string) string {
	order := []string{"SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}
	has := map[string]bool{}
	for _, p := range ps {
		for _, o := range order {
			if strings.EqualFold(p, o) {
				has[o] = true
			}
		}
	}
	var out []string
	for _, o := range order {
		if has[o] {
			out = append(out, o)
		}
	}
	return strings.Join(out, " ")
}
