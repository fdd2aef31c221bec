package render

import (
	"fmt"
	"frontdoor/finding"
	"strconv"
	"strings"
)

// isRepoKeyByte is the grammar of an Artifactory repository key.
func isRepoKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
}

func validateDocker(l *finding.List, s *Settings) {
	d := &s.Docker
	switch d.Method {
	case DockerSubdomain, DockerPorts, DockerRepositoryPath, DockerNone:
	default:
		l.Errorf("proxy.docker.method", "unknown Docker method %q: use subdomain, ports, repositoryPath or none", d.Method)
		return
	}
	if s.Provider == Tomcat {
		switch d.Method {
		case DockerSubdomain:
			l.Errorf("proxy.docker.method", "the subdomain method needs a reverse proxy: embedded Tomcat answers it with a redirect loop; use repositoryPath, or choose %s", proxyProviders)
		case DockerPorts:
			l.Errorf("proxy.docker.method", "the ports method needs a reverse proxy listening on each port: with embedded Tomcat use repositoryPath, or choose %s", proxyProviders)
		}
	}
	if d.Method == DockerNone {
		return
	}
	if _, isIP := serverNameAddr(s.ServerName); isIP && d.Method == DockerSubdomain {
		l.Errorf("proxy.docker.method", "the subdomain method needs a DNS server name (<repo>.%s is not a name): set proxy.serverName to a hostname or use the ports method", s.ServerName)
	}
	if len(d.Repositories) == 0 && (d.Method == DockerSubdomain || d.Method == DockerPorts) {
		l.Warnf("proxy.docker.repositories", "no Docker repositories listed: add the repositories Docker clients use (a virtual repository covering the others is the usual choice)")
	}
	if s.Provider == Nginx && d.Method == DockerPorts && len(d.Repositories) > nginxPortsWarning {
		// Each listening socket takes one of a worker's connections: Debian's
		// nginx.conf has worker_connections 768, and `nginx -t` fails once the
		// sockets outnumber it (the rest are needed for clients anyway).
		l.Warnf("proxy.docker.repositories", "%d Docker ports are %d listening sockets, and Debian's stock nginx.conf allows 768 connections per worker for sockets and clients together: raise worker_connections in the events block of nginx.conf (e.g. to %d), or serve most repositories through a virtual repository", len(d.Repositories), len(d.Repositories), 4*len(d.Repositories))
	}
	// Paths and messages are built only for findings: the wizard validates
	// on every keystroke, with up to thousands of repositories.
	keys := dockerKeyOwners(d.Repositories)
	var ports dockerPorts
	if d.Method == DockerPorts {
		ports = dockerPortOwners(s)
	}
	for i, r := range d.Repositories {
		validateRepoKey(l, s, i, r.Key, keys)
		if d.Method == DockerPorts {
			validateDockerPort(l, s, i, r.Port, &ports)
		}
	}
}

// nginxPortsWarning is the number of Docker ports from which nginx's stock
// worker_connections (768) gets tight.
const nginxPortsWarning = 384

// repoPath is the settings path of a repository's field, e.g.
// "proxy.docker.repositories[1].port".
func repoPath(i int, field string) string {
	return "proxy.docker.repositories[" + strconv.Itoa(i) + "]." + field
}

// holders records the first two rows holding one value (a key or a port),
// enough to name "the other one" on every row involved.
type holders [2]int

func (h *holders) add(i int) {
	if h[1] < 0 && h[0] >= 0 && h[0] != i {
		h[1] = i
	} else if h[0] < 0 {
		h[0] = i
	}
}

// otherHolder returns a row other than i holding v, or -1.
func otherHolder[K comparable](m map[K]holders, v K, i int) int {
	h, ok := m[v]
	switch {
	case !ok:
		return -1
	case h[0] == i:
		return h[1]
	}
	return h[0]
}

// dockerKeyOwners maps each key, lower-cased (Artifactory's keys are
// case-insensitive), to the rows that hold it.
func dockerKeyOwners(repos []DockerRepository) map[string]holders {
	m := make(map[string]holders, len(repos))
	for i, r := range repos {
		if r.Key == "" {
			continue
		}
		k := strings.ToLower(r.Key) // no copy when the key has no upper case
		h, ok := m[k]
		if !ok {
			h = holders{-1, -1}
		}
		h.add(i)
		m[k] = h
	}
	return m
}

// repoKeyProblem explains why key is not a repository key ("" when it is
// one): the rules of every Docker method.
func repoKeyProblem(key string) string {
	if key == "" {
		return "give the repository key, e.g. docker-local"
	}
	if bad := firstOutside(key, isRepoKeyByte); bad != "" {
		return fmt.Sprintf("%q has %s: repository keys hold letters, digits, '-', '_' and '.' only", key, bad)
	}
	if len(key) > maxKey {
		return fmt.Sprintf("%q is longer than 64 characters, Artifactory's limit for a repository key", key)
	}
	if strings.Trim(key, ".") == "" {
		// The key becomes a URL path segment (/api/docker/KEY/): "." or ".." would walk out of it.
		return fmt.Sprintf("%q is not a repository key, it would move up the URL path: give the real key, e.g. docker-local", key)
	}
	return ""
}

// subdomainKeyProblem explains why a repository key cannot be the first
// label of <key>.<serverName> ("" when it can). One problem per key: a key
// with a dot is a wildcard-depth problem, whatever else it holds.
func subdomainKeyProblem(key string) string {
	switch {
	case strings.Contains(key, "."):
		// A wildcard certificate *.NAME covers exactly one DNS label.
		return fmt.Sprintf("%q has a dot, so %q is two levels below the server name: a wildcard certificate covers one level; rename the repository or use the ports method", key, key+".<serverName>")
	case strings.Contains(key, "_"):
		return fmt.Sprintf("%q has an underscore, which a DNS name (and so a subdomain) cannot hold: rename it with '-' or use the ports method", key)
	case hasUpper(key):
		return fmt.Sprintf("%q has upper case: DNS names are case-insensitive, so Artifactory would receive the key in lower case; use a lower-case key", key)
	case len(key) > 63:
		return fmt.Sprintf("%q is longer than 63 characters, the limit of one DNS label", key)
	case key[0] == '-' || key[len(key)-1] == '-':
		return fmt.Sprintf("%q starts or ends with '-', which a DNS label cannot: rename it", key)
	}
	return ""
}

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

// subdomainKeyOK reports whether key makes a valid subdomain: only then is
// it worth asking whether the certificate covers it (Validate already says
// what is wrong with the others, once).
func subdomainKeyOK(key string) bool {
	return repoKeyProblem(key) == "" && subdomainKeyProblem(key) == ""
}

func validateRepoKey(l *finding.List, s *Settings, i int, key string, owners map[string]holders) {
	if msg := repoKeyProblem(key); msg != "" {
		l.Errorf(repoPath(i, "key"), "%s", msg)
		return
	}
	// Every row holding the key is flagged, like ports: a table of rows must
	// not show one copy as fine and the other as wrong.
	if other := otherHolder(owners, strings.ToLower(key), i); other >= 0 {
		l.Errorf(repoPath(i, "key"), "repository %q is listed twice (also repositories[%d]): list each once", key, other)
		return
	}
	if s.Docker.Method == DockerSubdomain {
		if msg := subdomainKeyProblem(key); msg != "" {
			l.Errorf(repoPath(i, "key"), "%s", msg)
		} else if n := len(key) + 1 + len(s.ServerName); n > 253 && s.ServerName != "" {
			l.Errorf(repoPath(i, "key"), "%s.%s is %d characters, longer than the 253 a DNS name may hold: use a shorter key, or the ports or repositoryPath method", key, s.ServerName, n)
		}
	}
}

// dockerPorts records who holds which port, for clash messages: the
// proxy's own listeners (and Artifactory's ports on a local node), then the
// first two repositories on each port (enough to name "the other one").
type dockerPorts struct {
	fixed   []fixedPort
	repos   map[int]holders
	suggest int // a free port for the messages, 0 until needed (-1: none)
}

type fixedPort struct {
	port int
	what string
}

// fixedPorts are the ports a Docker repository can never use: the proxy's
// own listeners, and Artifactory's when a node runs on this host.
func fixedPorts(s *Settings) []fixedPort {
	var fixed []fixedPort
	if s.HTTP.Enabled {
		fixed = append(fixed, fixedPort{s.HTTP.Port, "the HTTP port (proxy.http.port)"})
	}
	if s.HTTPS.Enabled {
		fixed = append(fixed, fixedPort{s.HTTPS.Port, "the HTTPS port (proxy.https.port)"})
	}
	if hasLocalNode(s) {
		fixed = append(fixed,
			fixedPort{s.ArtifactoryPort, "Artifactory's own port on this host (proxy.artifactoryPort)"},
			fixedPort{s.RouterPort, "the router's own port on this host (proxy.routerPort)"})
	}
	return fixed
}

func dockerPortOwners(s *Settings) dockerPorts {
	o := dockerPorts{fixed: fixedPorts(s), repos: make(map[int]holders, len(s.Docker.Repositories))}
	for i, r := range s.Docker.Repositories {
		if r.Port <= 0 {
			continue
		}
		h, ok := o.repos[r.Port]
		if !ok {
			h = holders{-1, -1}
		}
		h.add(i)
		o.repos[r.Port] = h
	}
	return o
}

// free is a port to suggest in a message: "e.g. 5004" (or "" when every
// port is taken).
func (o *dockerPorts) free(s *Settings) string {
	if o.suggest == 0 {
		o.suggest = SuggestDockerPort(s)
		if o.suggest == 0 {
			o.suggest = -1
		}
	}
	if o.suggest < 0 {
		return ""
	}
	return ", e.g. " + strconv.Itoa(o.suggest)
}

func validateDockerPort(l *finding.List, s *Settings, i, port int, owners *dockerPorts) {
	if port == 0 {
		l.Errorf(repoPath(i, "port"), "the ports method needs a port for each repository: pick a free one%s", owners.free(s))
		return
	}
	if port < 1 || port > 65535 {
		validatePort(l, repoPath(i, "port"), port)
		return
	}
	for _, f := range owners.fixed {
		if f.port == port {
			l.Errorf(repoPath(i, "port"), "port %d is already %s: pick another port%s", port, f.what, owners.free(s))
			return
		}
	}
	if other := otherHolder(owners.repos, port, i); other >= 0 {
		l.Errorf(repoPath(i, "port"), "port %d is also used by repository %q (repositories[%d]): each repository needs its own port%s", port, s.Docker.Repositories[other].Key, other, owners.free(s))
		return
	}
	if port == plainHTTPPort && s.HTTPS.Enabled {
		l.Errorf(repoPath(i, "port"), "with HTTPS on, Docker ports use TLS, but %s: pick another port%s", tlsOnPort80, owners.free(s))
		return
	}
	if port < 1024 {
		l.Warnf(repoPath(i, "port"), "port %d is below 1024: the web server must start as root (or hold CAP_NET_BIND_SERVICE) to listen on it", port)
	}
}

// firstDockerPort is where suggestions start: above the well-known and
// registered ports web servers and Artifactory use, as the vendor's examples do.
const firstDockerPort = 5001

// SuggestDockerPort returns a port for a new Docker repository of the ports
// method that nothing in s holds yet: not another repository's, not the
// HTTP or HTTPS port, not Artifactory's or the router's when a node runs on
// this host. It is one above the highest repository port (at least 5001),
// or, when that runs past 65535, the lowest free port from 5001; 0 when none
// is free. The wizard calls it to pre-fill the port of a row it adds, and
// Validate's messages use it for "pick another port, e.g. N".
func SuggestDockerPort(s *Settings) int {
	taken := make(map[int]bool, len(s.Docker.Repositories)+4)
	highest := firstDockerPort - 1
	for _, r := range s.Docker.Repositories {
		taken[r.Port] = true
		if r.Port <= 65535 {
			highest = max(highest, r.Port)
		}
	}
	for _, f := range fixedPorts(s) {
		taken[f.port] = true
	}
	for p := highest + 1; p <= 65535; p++ {
		if !taken[p] {
			return p
		}
	}
	for p := firstDockerPort; p <= highest && p <= 65535; p++ {
		if !taken[p] {
			return p
		}
	}
	return 0
}
