package render

// The random-settings generator of the property test (property_test.go): it
// covers the whole space Validate accepts and the edges just outside it, with
// the values people really type weighted higher, so that about half of the
// cases are accepted and reach the real servers.

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/internal/servertest"
)

// genFiles are the real files the generated settings point at: nginx -t
// loads the certificate, the key and the client CA, so accepted settings
// must name files that exist. Files are made once (creating files is slow in
// some sandboxes): one server certificate covers every server name of the
// pool, and each of its subdomains.
type genFiles struct {
	names            []string // the server names the certificate covers
	cert, key        string
	oddCert, oddKey  string // the same, under a name with every punctuation a path may hold
	narrowCert       string // covers artifactory.example.com only
	narrowKey        string
	combined         string // cert and key in one file, as HAProxy reads them
	clientCA         string
	missing, notACA  string
	unresolvableNode string
}

func newGenFiles(t testing.TB) *genFiles {
	tf := servertest.NewTLSFiles(t, "artifactory.example.com")
	f := &genFiles{narrowCert: tf.Server.CertPath, narrowKey: tf.Server.KeyPath, clientCA: tf.CA.Path,
		missing: filepath.Join(tf.Dir, "missing.pem"), notACA: tf.Server.CertPath, unresolvableNode: unresolvable}
	g := &gen{r: rand.New(rand.NewPCG(42, 42))} // the pool is the same for every seed
	spec := servertest.CertSpec{CommonName: "frontdoor property test"}
	for i := range 160 {
		var name string
		switch {
		case i < 100:
			name = g.hostname(2 + g.intn(33))
		case i < 140:
			name = g.hostname(40 + g.intn(212)) // nginx's hash buckets matter from 47 on
		default:
			name = g.hostname(4+g.intn(20)) + "." + pick(g, "localhost", "local", "internal", "test")
		}
		f.names = append(f.names, name)
		spec.DNSNames = append(spec.DNSNames, name, "*."+name)
	}
	f.names = append(f.names, "192.0.2.10", "10.1.2.3", "2001:db8::10", "[2001:db8::10]", "fd00:1:2:3:4:5:6:7", "2001:DB8:0:0:0:0:0:A")
	for _, ip := range []string{"192.0.2.10", "10.1.2.3", "2001:db8::10", "fd00:1:2:3:4:5:6:7", "2001:db8::a"} {
		spec.IPAddresses = append(spec.IPAddresses, net.ParseIP(ip))
	}
	kp := tf.CA.Issue(t, tf.Dir, "pool", spec)
	f.cert, f.key = kp.CertPath, kp.KeyPath
	odd := filepath.Join(tf.Dir, "a+b@c:d,e=f~g%h_i-j")
	f.oddCert, f.oddKey = odd+".pem", odd+".key"
	for src, dst := range map[string]string{f.cert: f.oddCert, f.key: f.oddKey} {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	f.combined = kp.CombinedPath(t)
	return f
}

type gen struct {
	r     *rand.Rand
	files *genFiles
}

// chance is true with probability p.
func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) intn(n int) int { return g.r.IntN(n) }

// pick returns one of the values, uniformly.
func pick[T any](g *gen, vs ...T) T { return vs[g.intn(len(vs))] }

func (g *gen) settings() Settings {
	s := Defaults()
	switch x := g.r.Float64(); {
	case x < 0.26:
		s.Provider = Nginx
	case x < 0.52:
		s.Provider = Apache
	case x < 0.67:
		s.Provider = HAProxy
	case x < 0.82:
		s.Provider = Caddy
	case x < 0.88:
		s.Provider = KubernetesIngress
	case x < 0.94:
		s.Provider = GatewayAPI
	case x < 0.98:
		s.Provider = Tomcat
	default:
		s.Provider = pick(g, Provider("lighttpd"), "", "NGINX")
	}
	s.ServerName = g.serverName()
	s.Nodes = g.nodes()
	s.ArtifactoryPort, s.RouterPort = 8081, 8082
	if g.chance(0.2) {
		s.ArtifactoryPort, s.RouterPort = g.port(), g.port()
	}
	s.HTTP = HTTP{Enabled: g.chance(0.8), Port: g.listenPort(80, 8080)}
	s.HTTPS = HTTPS{Enabled: g.chance(0.6), Port: g.listenPort(443, 8443), TLSProfile: g.tlsProfile()}
	if !s.HTTP.Enabled && !s.HTTPS.Enabled && g.chance(0.9) {
		s.HTTP.Enabled = true
	}
	s.HTTP.RedirectToHTTPS = g.chance(0.03) || s.HTTP.Enabled && s.HTTPS.Enabled && g.chance(0.4)
	s.HTTPS.Certificate, s.HTTPS.Key = g.certPaths()
	if s.Provider == HAProxy && s.HTTPS.Certificate == g.files.cert && g.chance(0.9) {
		s.HTTPS.Certificate, s.HTTPS.Key = g.files.combined, g.files.combined
	}
	if s.Provider == Caddy && g.chance(0.2) {
		s.Caddy.AutomaticHTTPS = true
		if g.chance(0.5) {
			s.HTTPS.Certificate, s.HTTPS.Key = "", ""
		}
	}
	if s.Provider.IsKubernetes() {
		s.Kubernetes = g.kubernetes()
	}
	s.Docker = g.docker(&s)
	s.MTLS = g.mtls()
	if s.Provider == KubernetesIngress && s.MTLS.Enabled && g.chance(0.7) {
		s.MTLS.Header = pick(g, "ssl-client-cert", "SSL-Client-Cert")
	}
	if !s.HTTPS.Enabled && g.chance(0.95) {
		s.MTLS.Enabled = false
	}
	s.OverrideBaseURLHeader = g.chance(0.7)
	if g.chance(0.2) {
		s.Public = g.public()
	}
	return s
}

// public is a load balancer in front: mostly TLS terminated on 443, some
// ports mapped only, and values just outside the grammar.
func (g *gen) public() Public {
	switch x := g.r.Float64(); {
	case x < 0.4:
		return Public{Scheme: "https", Port: pick(g, 0, 443, 8443)}
	case x < 0.6:
		return Public{Port: g.port()}
	case x < 0.8:
		return Public{Scheme: "http", Port: pick(g, 0, 80, 8080)}
	case x < 0.9:
		return Public{Scheme: pick(g, "HTTPS", "https;", "ftp", " https")}
	}
	return Public{Scheme: "https", Port: pick(g, -1, 65536, 100000)}
}

// label is a DNS label of n characters: letters, digits and inner dashes.
func (g *gen) label(n int) string {
	const chars = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[g.intn(len(chars))]
		if i > 0 && i < n-1 && g.chance(0.1) {
			b[i] = '-'
		}
	}
	return string(b)
}

// hostname is a valid name of about length characters (2 to 253).
func (g *gen) hostname(length int) string {
	var labels []string
	for left := length; left > 0; {
		n := min(left, 1+g.intn(63))
		if left-n == 1 { // a lone dot would end the name
			n--
		}
		labels = append(labels, g.label(max(n, 1)))
		left -= n + 1
	}
	return strings.Join(labels, ".")
}

func (g *gen) serverName() string {
	switch x := g.r.Float64(); {
	case x < 0.86:
		return pick(g, g.files.names...)
	case x < 0.92:
		return strings.ToUpper(pick(g, g.files.names...))
	}
	return pick(g, "", "a..b", "example.com.", "-a.example.com", "a_b.example.com", "a b", "ä.example.com",
		strings.Repeat("a", 64)+".com", g.hostname(254), "fe80::1%eth0", "[10.0.0.1]", "[::1", "a;b", "*.example.com")
}

func (g *gen) node() string {
	switch x := g.r.Float64(); {
	case x < 0.3:
		return "localhost"
	case x < 0.5:
		return fmt.Sprintf("127.0.%d.%d", g.intn(256), 1+g.intn(254))
	case x < 0.65:
		return fmt.Sprintf("10.%d.%d.%d", g.intn(256), g.intn(256), 1+g.intn(254))
	case x < 0.8:
		return pick(g, "::1", "[::1]", "fd00::12", "[FD00::12]", "::ffff:10.0.0.11", "0.0.0.0", "::")
	case x < 0.92:
		return fmt.Sprintf("192.168.%d.%d", g.intn(256), 1+g.intn(254))
	case x < 0.94:
		return pick(g, "LOCALHOST", "Localhost")
	case x < 0.96:
		return g.files.unresolvableNode
	}
	return pick(g, "", "art1:8081", "[::1]:8082", "a b", "[::1", "fe80::1%eth0", "-x", "a;b", "010.0.0.5", "127.1")
}

func (g *gen) nodes() []string {
	n := 1
	if g.chance(0.35) {
		n = 2 + g.intn(3)
	}
	if g.chance(0.01) {
		return nil
	}
	nodes := make([]string, 0, n)
	seen := map[string]bool{}
	for len(nodes) < n {
		node := g.node()
		if len(nodes) > 0 && g.chance(0.03) {
			node = nodes[g.intn(len(nodes))] // listed twice
		} else if norm, _ := NormalizeNode(node); seen[norm] && g.chance(0.9) {
			continue
		} else {
			seen[norm] = true
		}
		nodes = append(nodes, node)
	}
	return nodes
}

// port is anywhere in the valid range, or just outside it.
func (g *gen) port() int {
	if g.chance(0.03) {
		return pick(g, 0, -1, 65536, 70000)
	}
	return 1 + g.intn(65535)
}

// listenPort is usually the listener's usual port or its alternative.
func (g *gen) listenPort(usual, alt int) int {
	switch x := g.r.Float64(); {
	case x < 0.55:
		return usual
	case x < 0.75:
		return alt
	case x < 0.82:
		return pick(g, 80, 443, 8081, 8082)
	}
	return g.port()
}

func (g *gen) tlsProfile() string {
	if g.chance(0.04) {
		return pick(g, "", "old", "Modern")
	}
	return pick(g, TLSIntermediate, TLSModern)
}

// certPaths are usually the pool's certificate and key, which cover every
// server name the generator picks, else files that will not do.
func (g *gen) certPaths() (cert, key string) {
	switch x := g.r.Float64(); {
	case x < 0.8:
		return g.files.cert, g.files.key
	case x < 0.93:
		return g.files.oddCert, g.files.oddKey
	case x < 0.95:
		return g.files.narrowCert, g.files.narrowKey
	case x < 0.97:
		return g.files.missing, g.files.key
	}
	return pick(g, "", "cert.pem", "/etc/ssl/a b.pem", "/etc/ssl/../a.pem", "/etc/ssl/a;.pem", "/etc/ssl/$x.pem"), g.files.key
}

// repoKey is a repository key, valid for every method most of the time.
func (g *gen) repoKey() string {
	switch x := g.r.Float64(); {
	case x < 0.75:
		return g.label(1 + g.intn(20))
	case x < 0.78:
		return g.label(63)
	case x < 0.81:
		return g.label(3) + "." + g.label(3)
	case x < 0.84:
		return g.label(3) + "_" + g.label(3)
	case x < 0.87:
		return "Docker-" + g.label(3)
	case x < 0.89:
		return g.label(64)
	}
	return pick(g, "", "..", ".", "-docker", "docker-", g.label(65), "a/b", "a b", "a;b", "default", "include")
}

func (g *gen) docker(s *Settings) Docker {
	d := Docker{Method: pick(g, DockerSubdomain, DockerPorts, DockerRepositoryPath, DockerNone)}
	if _, ip := serverNameAddr(s.ServerName); ip && d.Method == DockerSubdomain && g.chance(0.9) {
		d.Method = DockerPorts // the subdomain method needs a DNS name
	}
	if s.Provider == Tomcat && g.chance(0.9) {
		d.Method = pick(g, DockerRepositoryPath, DockerNone)
	}
	if g.chance(0.03) {
		d.Method = pick(g, DockerMethod(""), "Ports", "magic")
	}
	n := 1 + g.intn(5)
	switch x := g.r.Float64(); {
	case x < 0.08:
		n = 0
	case x < 0.18:
		n = 6 + g.intn(35)
	}
	for i := range n {
		r := DockerRepository{Key: g.repoKey()}
		if i > 0 && g.chance(0.04) {
			r.Key = d.Repositories[g.intn(i)].Key // listed twice
		}
		if d.Method == DockerPorts || g.chance(0.2) {
			s.Docker = d
			switch x := g.r.Float64(); {
			case x < 0.75:
				r.Port = SuggestDockerPort(s)
			case x < 0.85:
				r.Port = g.port()
			case x < 0.9:
				r.Port = pick(g, 80, 443, 444, 8080, 5000)
			case x < 0.95 && i > 0:
				r.Port = d.Repositories[g.intn(i)].Port // shared
			default:
				r.Port = pick(g, 0, 65536, s.HTTP.Port, s.HTTPS.Port, s.ArtifactoryPort)
			}
		}
		d.Repositories = append(d.Repositories, r)
	}
	return d
}

func (g *gen) mtls() MTLS {
	m := MTLS{Enabled: g.chance(0.45), ClientCA: g.files.clientCA, VerifyDepth: 1 + g.intn(10), Header: "X-JFrog-Client-Cert", Required: g.chance(0.4)}
	switch x := g.r.Float64(); {
	case x < 0.04:
		m.ClientCA = pick(g, "", "ca.pem", "/etc/ssl/c a.pem", g.files.missing, g.files.notACA)
	case x < 0.07:
		m.VerifyDepth = pick(g, 0, 11, -1)
	}
	switch x := g.r.Float64(); {
	case x < 0.5:
	case x < 0.8:
		m.Header = "X-" + g.token(1+g.intn(40))
	case x < 0.92:
		m.Header = "X-" + g.token(40+g.intn(87)) // long: nginx's header hash
	default:
		m.Header = pick(g, "", "Host", "x-forwarded-for", "X_Client", "X Client", "X-"+g.token(127), "X-Ä", "X-A;")
	}
	return m
}

// kubernetes are the kubernetes: names, mostly the defaults or valid ones.
func (g *gen) kubernetes() Kubernetes {
	var k Kubernetes
	if g.chance(0.5) {
		return k
	}
	name := func() string {
		switch x := g.r.Float64(); {
		case x < 0.85:
			return "a" + strings.ToLower(g.label(1+g.intn(20)))
		case x < 0.9:
			return ""
		}
		return pick(g, "Tools", "a_b", "-x", "x.", strings.Repeat("a", 64), "a b", `a"b`)
	}
	k.Namespace, k.Name, k.RouterService, k.ArtifactoryService = name(), name(), name(), name()
	k.TLSSecret, k.ClientCA, k.IngressClass, k.GatewayClass = name(), name(), name(), name()
	if g.chance(0.2) {
		k.TLSSecret = "wildcard." + name()
	}
	return k
}

// token is a header-name tail of n letters, digits and dashes.
func (g *gen) token(n int) string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[g.intn(len(chars))]
	}
	return string(b)
}
