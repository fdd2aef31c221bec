package render

import (
	"fmt"
	"frontdoor/finding"
	"net/netip"
	"strings"
)

// Validate checks the settings without touching the disk or the network, so
// the wizard can run it on every keystroke. The certificate, key and
// client-CA files are checked by CheckCertificates (after LoadFiles), node
// names by CheckNodesResolve; ValidateHere runs them all. Values are checked against the grammar of their field
// and rejected when they step outside it: nothing is ever escaped into a
// config language, so nothing can smuggle a directive in.
func Validate(s *Settings) Findings {
	var l finding.List
	validateProvider(&l, s)
	validateServerName(&l, s)
	if !s.Provider.IsKubernetes() { // the Services stand in for the nodes
		validateNodes(&l, s.Provider, s.Nodes)
	}
	validatePort(&l, "proxy.artifactoryPort", s.ArtifactoryPort)
	validatePort(&l, "proxy.routerPort", s.RouterPort)
	validateListeners(&l, s)
	validateDocker(&l, s)
	validateMTLS(&l, s)
	validatePublic(&l, s)
	validateProviderSettings(&l, s)
	if s.Templates != "" {
		if msg := templatesDirProblem(s.Templates); msg != "" {
			l.Errorf("proxy.templates", "%s", msg)
		}
	}
	return l.Out
}

func validateProvider(l *finding.List, s *Settings) {
	if _, ok := Info(s.Provider); !ok {
		l.Errorf("proxy.provider", "unknown provider %q: use %s", s.Provider, ProviderNames())
	}
}

func validateServerName(l *finding.List, s *Settings) {
	const path = "proxy.serverName"
	name := s.ServerName
	if name == "" {
		l.Errorf(path, "set the public server name clients use, e.g. artifactory.example.com")
		return
	}
	if addr, ok := serverNameAddr(name); ok {
		if addr.Zone() != "" {
			// A zone (fe80::1%eth0) is local to one host and would reach
			// the config verbatim: netip accepts any characters in it.
			l.Errorf(path, "%q has an IPv6 zone: clients cannot use a link-local address as a server name; give a global address or a hostname", name)
		} else if addr.Is6() && s.Provider == Apache {
			// Apache reads "[...]" as a wildcard and a bare address as host:port.
			l.Errorf(path, "Apache cannot take an IPv6 address (%s) as ServerName: give a hostname that resolves to it, or use nginx", name)
		} else if s.Provider.IsKubernetes() {
			l.Errorf(path, "%q is an IP address, but Kubernetes routes by host name (an Ingress or HTTPRoute host cannot be an IP): give the DNS name clients use", name)
		}
		return
	}
	if msg := hostnameProblem(name); msg != "" {
		l.Errorf(path, "%s", msg)
	}
}

// serverNameAddr parses a server name that is an IP address, IPv6 with or
// without brackets.
func serverNameAddr(name string) (netip.Addr, bool) {
	bare := name
	if len(name) > 2 && name[0] == '[' && name[len(name)-1] == ']' {
		bare = name[1 : len(name)-1]
	}
	addr, err := netip.ParseAddr(bare)
	if err != nil || bare != name && !addr.Is6() {
		return netip.Addr{}, false
	}
	return addr, true
}

// ServerNameForConfig is the server name as nginx and Apache match it
// against the Host header: IPv6 addresses in brackets, as clients send them.
func ServerNameForConfig(name string) string {
	if addr, ok := serverNameAddr(name); ok && addr.Is6() {
		return "[" + addr.String() + "]"
	}
	return name
}

// hostnameProblem explains why name is not a DNS hostname ("" when it is one).
func hostnameProblem(name string) string {
	if bad := firstOutside(name, isHostnameByte); bad != "" {
		return fmt.Sprintf("%q has %s: a hostname holds letters, digits, '-' and '.' only", name, bad)
	}
	if len(name) > 253 {
		return fmt.Sprintf("%q is longer than 253 characters", name)
	}
	for _, label := range strings.Split(name, ".") {
		switch {
		case label == "":
			return fmt.Sprintf("%q has an empty label: no leading, trailing or doubled dots", name)
		case len(label) > 63:
			return fmt.Sprintf("%q has a label longer than 63 characters", name)
		case label[0] == '-' || label[len(label)-1] == '-':
			return fmt.Sprintf("%q has a label that starts or ends with '-'", name)
		}
	}
	return ""
}

func isHostnameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
}

// firstOutside describes the first byte of v that fails ok ("" when all pass),
// naming invisible characters so the user can find them.
func firstOutside(v string, ok func(byte) bool) string {
	for i := 0; i < len(v); i++ {
		if !ok(v[i]) {
			return describeByte(v[i])
		}
	}
	return ""
}

func describeByte(c byte) string {
	switch {
	case c == ' ':
		return "a space"
	case c == '\t':
		return "a tab"
	case c == '\n' || c == '\r':
		return "a line break"
	case c < 0x20 || c == 0x7f:
		return fmt.Sprintf("a control character (0x%02x)", c)
	case c >= 0x80:
		return "a non-ASCII character"
	}
	return fmt.Sprintf("%q", string(c))
}

// NormalizeNode returns a node as it is written in a proxy target: IPv6
// literals in brackets, everything else as typed. ok is false when the
// node is neither a hostname nor an IP address.
func NormalizeNode(node string) (string, bool) {
	bare := node
	if strings.HasPrefix(node, "[") || strings.HasSuffix(node, "]") {
		if len(node) < 3 || node[0] != '[' || node[len(node)-1] != ']' {
			return "", false // half a pair of brackets
		}
		bare = node[1 : len(node)-1]
	}
	if addr, err := netip.ParseAddr(bare); err == nil {
		if addr.Zone() != "" {
			return "", false // a zone cannot be written into a URL portably
		}
		if addr.Is6() { // IPv4-mapped ones too: "::ffff:10.0.0.1:8082" would not parse
			return "[" + addr.String() + "]", true
		}
		return addr.String(), true
	}
	if node != bare || hostnameProblem(node) != "" {
		return "", false
	}
	return strings.ToLower(node), true
}

// isLocalNode reports whether the proxy and Artifactory share the host, so
// Artifactory's own ports are taken on the proxy's interfaces too.
func isLocalNode(node string) bool {
	n, ok := NormalizeNode(node)
	if !ok {
		return false
	}
	if n == "localhost" || strings.HasSuffix(n, ".localhost") {
		return true
	}
	if addr, err := netip.ParseAddr(strings.Trim(n, "[]")); err == nil {
		return addr.IsLoopback() || addr.IsUnspecified()
	}
	return false
}

// hasLocalNode reports whether any node runs on the proxy's own host.
func hasLocalNode(s *Settings) bool {
	for _, n := range s.Nodes {
		if isLocalNode(n) {
			return true
		}
	}
	return false
}

func validateNodes(l *finding.List, p Provider, nodes []string) {
	if len(nodes) == 0 {
		l.Errorf("proxy.nodes", "list at least one internal host of Artifactory, e.g. localhost")
		return
	}
	seen := map[string]int{}
	for i, node := range nodes {
		path := fmt.Sprintf("proxy.nodes[%d]", i)
		if node == "" {
			l.Errorf(path, "empty node: give a hostname or IP address, or delete the entry")
			continue
		}
		n, ok := NormalizeNode(node)
		if !ok {
			if strings.Contains(node, ":") && !strings.Contains(node, "::") && strings.Count(node, ":") == 1 {
				l.Errorf(path, "%q: give the host only; the ports are artifactoryPort and routerPort", node)
			} else {
				l.Errorf(path, "%q is not a hostname or IP address (letters, digits, '-', '.'; IPv6 like ::1)", node)
			}
			continue
		}
		if msg := numericNodeProblem(p, node); msg != "" {
			l.Errorf(path, "%s", msg)
			continue
		}
		if j, dup := seen[n]; dup {
			l.Errorf(path, "%q is listed twice (also nodes[%d]): each node once", node, j)
			continue
		}
		seen[n] = i
	}
	validateSameHost(l, nodes)
}

// validateSameHost warns about nodes that are one machine under two names,
// as far as that is known without a lookup (CheckNodesResolve looks the
// other names up): every node this host (127.0.0.1 and localhost), or two
// addresses that are the same. A machine listed twice gets twice the
// requests and "fails over" to itself; nginx even makes a server of each
// address a name has (localhost: 127.0.0.1 and ::1).
func validateSameHost(l *finding.List, nodes []string) {
	if len(nodes) < 2 {
		return
	}
	if everyNodeLocal(nodes) {
		both := "both"
		if len(nodes) > 2 {
			both = "all"
		}
		l.Warnf("proxy.nodes", "HA on one machine: %s are %s this host (loopback), so the proxy balances this host with itself; give one node (localhost), or each node's own name or address", quotedList(nodes), both)
		return
	}
	for i, n := range nodes {
		for j := range i {
			if shared := sharedAddr(knownAddrs(nodes[j]), knownAddrs(n)); shared != "" {
				l.Warnf(fmt.Sprintf("proxy.nodes[%d]", i), "%q and nodes[%d] %q are the same machine (%s): list each node once", n, j, nodes[j], shared)
				break
			}
		}
	}
}

// everyNodeLocal reports whether every node is this host.
func everyNodeLocal(nodes []string) bool {
	for _, n := range nodes {
		if !isLocalNode(n) {
			return false
		}
	}
	return true
}

// knownAddrs are the addresses of a node known without a lookup: an IP
// address's own, localhost's loopback ones; nil for other names.
func knownAddrs(node string) []netip.Addr {
	n, ok := NormalizeNode(node)
	if !ok {
		return nil
	}
	if n == "localhost" || strings.HasSuffix(n, ".localhost") {
		return []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.IPv6Loopback()}
	}
	if addr, err := netip.ParseAddr(strings.Trim(n, "[]")); err == nil {
		return []netip.Addr{addr.Unmap()}
	}
	return nil
}

// sharedAddr is an address both lists hold ("" when none).
func sharedAddr(a, b []netip.Addr) string {
	for _, x := range a {
		for _, y := range b {
			if x.Unmap() == y.Unmap() {
				return x.Unmap().String()
			}
		}
	}
	return ""
}

// quotedList is "a" and "b", or "a", "b" and "c".
func quotedList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

func validatePort(l *finding.List, path string, port int) bool {
	if port < 1 || port > 65535 {
		l.Errorf(path, "port %d is out of range: use 1-65535", port)
		return false
	}
	return true
}

func validateListeners(l *finding.List, s *Settings) {
	if !s.HTTP.Enabled && !s.HTTPS.Enabled {
		l.Errorf("proxy.http.enabled", "enable HTTP or HTTPS (or both): the proxy needs a port to listen on")
	}
	httpOK := !s.HTTP.Enabled || validatePort(l, "proxy.http.port", s.HTTP.Port)
	httpsOK := !s.HTTPS.Enabled || validatePort(l, "proxy.https.port", s.HTTPS.Port)
	if s.HTTP.Enabled && s.HTTPS.Enabled && httpOK && httpsOK && s.HTTP.Port == s.HTTPS.Port {
		// Point at the listener that left its usual port: HTTP on 443 is the
		// one to move, not HTTPS ("usually 443" would then read as nonsense).
		if s.HTTP.Port == 443 {
			l.Errorf("proxy.http.port", "HTTP and HTTPS both use port 443: give HTTP its own port (usually 80)")
		} else {
			l.Errorf("proxy.https.port", "HTTP and HTTPS both use port %d: give HTTPS its own port (usually 443)", s.HTTP.Port)
		}
	}
	if s.HTTPS.Enabled && s.HTTPS.Port == plainHTTPPort {
		l.Errorf("proxy.https.port", "%s: use 443 (or another port, e.g. 8443)", tlsOnPort80)
	}
	if s.ArtifactoryPort == s.RouterPort && s.ArtifactoryPort != 0 {
		l.Errorf("proxy.routerPort", "Artifactory and the router both use port %d: they are two services; the router usually listens on 8082", s.RouterPort)
	}
	if hasLocalNode(s) && !s.Provider.IsKubernetes() {
		// The proxy and Artifactory share this host: the proxy cannot listen where Artifactory does.
		for _, p := range []struct {
			path    string
			port    int
			enabled bool
		}{{"proxy.http.port", s.HTTP.Port, s.HTTP.Enabled}, {"proxy.https.port", s.HTTPS.Port, s.HTTPS.Enabled}} {
			switch {
			case !p.enabled:
			case p.port == s.ArtifactoryPort:
				l.Errorf(p.path, "port %d is Artifactory's own port on this host (proxy.artifactoryPort): the proxy needs another, usually 80 or 443", p.port)
			case p.port == s.RouterPort:
				l.Errorf(p.path, "port %d is the router's own port on this host (proxy.routerPort): the proxy needs another, usually 80 or 443", p.port)
			}
		}
	}
	if s.HTTP.RedirectToHTTPS && !(s.HTTP.Enabled && s.HTTPS.Enabled) {
		l.Errorf("proxy.http.redirectToHttps", "a redirect to HTTPS needs both HTTP and HTTPS enabled")
	}
	if s.HTTPS.Enabled && certificateFiles(s) {
		if s.HTTPS.Certificate == "" {
			l.Errorf("proxy.https.certificate", "HTTPS needs a certificate: give the path of its PEM file (with the chain)")
		} else {
			validatePath(l, "proxy.https.certificate", s.HTTPS.Certificate)
		}
		if s.HTTPS.Key == "" {
			l.Errorf("proxy.https.key", "HTTPS needs the certificate's private key: give the path of its PEM file")
		} else {
			validatePath(l, "proxy.https.key", s.HTTPS.Key)
		}
	}
	if s.HTTPS.Enabled {
		switch s.HTTPS.TLSProfile {
		case TLSIntermediate, TLSModern:
		default:
			l.Errorf("proxy.https.tlsProfile", "unknown TLS profile %q: use intermediate (TLS 1.2+1.3, most clients) or modern (TLS 1.3 only)", s.HTTPS.TLSProfile)
		}
	}
}

// certificateFiles reports whether the output names the certificate and key
// files: not for Kubernetes (a Secret holds them) nor for Caddy obtaining
// its own certificates.
func certificateFiles(s *Settings) bool {
	return !s.Provider.IsKubernetes() && !(s.Provider == Caddy && s.Caddy.AutomaticHTTPS)
}

// UsesCertificateFiles reports whether the output names https.certificate
// and https.key (Kubernetes uses kubernetes.tlsSecret instead, and Caddy
// with automaticHttps obtains its own), so the wizard asks for them, and
// reads them, only then.
func UsesCertificateFiles(s *Settings) bool { return certificateFiles(s) }

// plainHTTPPort is where clients and other sites expect plain HTTP.
const plainHTTPPort = 80

// tlsOnPort80 says why no TLS listener may use port 80: nginx makes a port
// TLS for every site on it, and Debian's stock default site listens on 80
// without a certificate, so `nginx -t` fails ("no ssl_certificate is
// defined for the listen ... ssl directive"); Apache would serve the default
// site's plain HTTP there instead.
const tlsOnPort80 = "port 80 is plain HTTP's port: clients typing http:// connect there, and other sites (Debian's default site) listen on it without TLS, which nginx and Apache cannot mix with TLS on one port"

// isPathByte is the grammar of a file path in a config: no whitespace,
// quotes, braces, semicolons, '#', '$' or backslashes, which would end or
// change the directive in nginx or Apache.
func isPathByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("/._-+@:,=~%", c) >= 0
}

func validatePath(l *finding.List, path, value string) {
	if msg := pathProblem(value); msg != "" {
		l.Errorf(path, "%s", msg)
	}
}

// pathProblem explains why value cannot be written into a config as a file
// path ("" when it can).
func pathProblem(value string) string {
	if !strings.HasPrefix(value, "/") {
		return fmt.Sprintf("%q is not absolute: the web server resolves relative paths against its own prefix; start with /", value)
	}
	if bad := firstOutside(value, isPathByte); bad != "" {
		return fmt.Sprintf("%q has %s: paths may hold letters, digits and / . _ - + @ : , = ~ %% only (rename or link the file)", value, bad)
	}
	for _, part := range strings.Split(value, "/") {
		if part == ".." {
			return fmt.Sprintf("%q contains '..': give the real path", value)
		}
	}
	return ""
}

// isHeaderByte is the grammar of an HTTP header name (RFC 9110 token, minus
// characters nginx and Apache treat specially).
func isHeaderByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}

// maxHeader bounds the mTLS header name: long enough for any name a person
// picks, short enough for every server's limits on a request header line.
const maxHeader = 128

func validateMTLS(l *finding.List, s *Settings) {
	m := &s.MTLS
	if !m.Enabled {
		return
	}
	if s.Provider == Tomcat {
		l.Errorf("proxy.mtls.enabled", "mTLS is terminated by the reverse proxy: choose %s, or turn mTLS off", proxyProviders)
	}
	if !s.HTTPS.Enabled {
		l.Errorf("proxy.mtls.enabled", "mTLS needs HTTPS: enable proxy.https or turn mTLS off")
	}
	switch {
	case s.Provider.IsKubernetes():
		// The CA is kubernetes.clientCA, a Secret or ConfigMap in the cluster.
	case m.ClientCA == "":
		l.Errorf("proxy.mtls.clientCA", "give the PEM file of the CA(s) that sign client certificates%s", eg(DefaultClientCA(s.Provider)))
	default:
		validatePath(l, "proxy.mtls.clientCA", m.ClientCA)
	}
	if m.VerifyDepth < 1 || m.VerifyDepth > 10 {
		l.Errorf("proxy.mtls.verifyDepth", "verify depth %d is out of range: use 1-10 (2 = client cert, intermediate, root)", m.VerifyDepth)
	}
	switch {
	case m.Header == "":
		l.Errorf("proxy.mtls.header", "give the header that carries the client certificate, usually X-JFrog-Client-Cert")
	case len(m.Header) > maxHeader:
		l.Errorf("proxy.mtls.header", "the header name is %d characters long: use a short one (at most %d), usually X-JFrog-Client-Cert", len(m.Header), maxHeader)
	case firstOutside(m.Header, isHeaderByte) != "":
		l.Errorf("proxy.mtls.header", "%q has %s: a header name holds letters, digits and '-' only", m.Header, firstOutside(m.Header, isHeaderByte))
	case reservedHeader(m.Header):
		l.Errorf("proxy.mtls.header", "%q is a header the proxy already sets: use a name of its own, e.g. X-JFrog-Client-Cert", m.Header)
	case s.Provider == KubernetesIngress && !strings.EqualFold(m.Header, ingressNginxCertHeader):
		// Setting (and so stripping) any other header takes a snippet.
		l.Errorf("proxy.mtls.header", "ingress-nginx passes a verified client certificate in %s only, and cannot remove a %s a client sends without a snippet annotation: set the header to %s here and header-name: %s in Artifactory's system.yaml, or use gateway-api",
			ingressNginxCertHeader, m.Header, ingressNginxCertHeader, ingressNginxCertHeader)
	case !strings.EqualFold(m.Header, "X-JFrog-Client-Cert"):
		l.Warnf("proxy.mtls.header", "a custom header needs the same name in Artifactory's system.yaml (access: mtls: header-name: %s)", m.Header)
	}
}

// eg is ", e.g. EXAMPLE", or "" without an example.
func eg(example string) string {
	if example == "" {
		return ""
	}
	return ", e.g. " + example
}

func reservedHeader(h string) bool {
	for _, r := range []string{"Host", "Connection", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Host", "X-JFrog-Override-Base-Url", "Content-Length", "Transfer-Encoding"} {
		if strings.EqualFold(h, r) {
			return true
		}
	}
	return false
}
