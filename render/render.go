package render

import (
	"bytes"
	"errors"
	"regexp"
	"strconv"
	"strings"
)

// ErrNoSnippet is returned for the embedded Tomcat provider: clients reach
// Artifactory directly, so there is nothing to install in a web server.
var ErrNoSnippet = errors.New("embedded Tomcat needs no reverse-proxy snippet: clients connect to Artifactory's own port directly " +
	"(only the repositoryPath Docker method works that way); choose " + proxyProviders + " to put a proxy in front")

// Render validates the settings and renders the output for s.Provider:
// a snippet for a web server, or Kubernetes manifests. Errors block
// rendering (*InvalidError lists them); warnings do not. With s.Templates
// set, the admin's templates in that directory replace the embedded ones of
// the same name (LoadTemplates; it reads the directory, so Render does IO
// then); their failures are *TemplateError. The output depends only on the
// settings and the templates: same settings, same bytes.
func Render(s *Settings) ([]byte, error) {
	if fs := Validate(s); fs.HasErrors() {
		return nil, &InvalidError{What: "settings", Findings: fs}
	}
	t, err := templatesFor(s)
	if err != nil {
		return nil, err
	}
	return renderValid(s, t)
}

// RenderValidated is Render for settings already validated: fs are
// Validate(s)'s findings for these very settings (plus any others, such as
// CheckCertificates'), so the wizard, which validates on every keystroke
// anyway, does not validate a second time to draw the preview. Errors in fs
// block rendering as in Render. Findings of other settings must never be
// passed: the renderers rely on Validate having refused every value that
// steps outside its grammar.
func RenderValidated(s *Settings, fs Findings) ([]byte, error) {
	if fs.HasErrors() {
		return nil, &InvalidError{What: "settings", Findings: fs}
	}
	t, err := templatesFor(s)
	if err != nil {
		return nil, err
	}
	return renderValid(s, t)
}

// RenderWith is Render with templates already loaded (nil: the embedded
// ones), whatever s.Templates says.
func RenderWith(s *Settings, t *Templates) ([]byte, error) {
	if fs := Validate(s); fs.HasErrors() {
		return nil, &InvalidError{What: "settings", Findings: fs}
	}
	if t == nil {
		var err error
		if t, err = embeddedTemplates(); err != nil {
			return nil, err
		}
	}
	return renderValid(s, t)
}

// renderValid renders settings that already passed Validate.
func renderValid(s *Settings, t *Templates) ([]byte, error) {
	name := TemplateFile(s.Provider)
	if name == "" {
		return nil, ErrNoSnippet
	}
	v := newView(s)
	var buf bytes.Buffer
	buf.Grow(v.sizeHint())
	if err := t.set.ExecuteTemplate(&buf, name, v); err != nil {
		return nil, t.explain(err)
	}
	return v.blocks.splice(squeezeBlankLines(buf.Bytes())), nil
}

// blocks holds the large parts of a view: the lines repeated per
// repository of the Kubernetes outputs (megabytes at 1,000 repositories). A
// template prints a short marker for each, and splice writes the block's
// entries straight into the output after the template ran: text/template
// prints a string by copying it through fmt's buffer, and building each
// block apart first would copy its megabytes once more. Blocks hold no
// blank lines, so squeezing the template's output first changes nothing.
type blocks struct {
	parts []block
	size  int // the blocks' estimated size, for the output's one allocation
}

// block is n entries, each "\n" + what line writes; first is entry 0,
// written already to measure the entries.
type block struct {
	n     int
	first []byte
	line  func(w *text, i int)
}

// blockMin is the size from which a block is spliced rather than printed
// (a variable so a test can print every block through the template).
var blockMin = 32 << 10

// text is an append-only buffer (what strings.Builder is) over a byte
// slice, so splice can have a block write into the output itself.
type text struct{ b []byte }

func (t *text) WriteString(s string) { t.b = append(t.b, s...) }

// WriteByte appends c; the error is always nil (io.ByteWriter's signature).
func (t *text) WriteByte(c byte) error {
	t.b = append(t.b, c)
	return nil
}

// lines is what a template prints for n entries, each "\n" + what line(i)
// writes: the text itself when small, else a marker that splice replaces
// by the entries. size is a generous guess of one entry's length.
func (b *blocks) lines(n, size int, line func(w *text, i int)) string {
	if n == 0 {
		return ""
	}
	// The first entry tells the size of the rest (keys vary by a few dozen
	// bytes): the output is allocated once, with room to spare.
	first := text{b: make([]byte, 0, size+1)}
	first.WriteByte('\n')
	line(&first, 0)
	each := len(first.b)
	total := each + (n-1)*(each+each/8+64)
	if total >= blockMin {
		b.parts = append(b.parts, block{n: n, first: first.b, line: line})
		b.size += total
		return "\x00" + strconv.Itoa(len(b.parts)-1) + "\x00" // NUL: in no validated value
	}
	all := text{b: append(make([]byte, 0, total), first.b...)}
	for i := 1; i < n; i++ {
		all.WriteByte('\n')
		line(&all, i)
	}
	return string(all.b)
}

// splice replaces the markers in out with their blocks' entries.
func (b *blocks) splice(out []byte) []byte {
	if len(b.parts) == 0 {
		return out
	}
	res := text{b: make([]byte, 0, len(out)+b.size)}
	for {
		i := bytes.IndexByte(out, 0)
		if i < 0 {
			return append(res.b, out...)
		}
		res.b = append(res.b, out[:i]...)
		j := bytes.IndexByte(out[i+1:], 0)
		if j < 0 {
			return append(res.b, out[i:]...) // not a marker of ours: keep as is
		}
		n, err := strconv.Atoi(string(out[i+1 : i+1+j]))
		if err != nil || n < 0 || n >= len(b.parts) {
			return append(res.b, out[i:]...)
		}
		p := &b.parts[n]
		res.b = append(res.b, p.first...)
		for k := 1; k < p.n; k++ {
			res.WriteByte('\n')
			p.line(&res, k)
		}
		out = out[i+2+j:]
	}
}

// squeezeBlankLines drops runs of blank lines the templates' conditionals
// leave behind, so the output reads as if written by hand.
func squeezeBlankLines(b []byte) []byte {
	// In place: w is where the next kept line goes, r where the next line
	// starts. Lines are moved only once one was dropped before them.
	w, r, blank := 0, 0, 0
	for r < len(b) {
		next := len(b)
		if i := bytes.IndexByte(b[r:], '\n'); i >= 0 {
			next = r + i + 1
		}
		line := b[r:next]
		if isBlankLine(line) {
			blank++
			if blank > 1 || w == 0 {
				r = next
				continue
			}
			line = newline
		} else {
			blank = 0
		}
		if w != r {
			copy(b[w:], line)
		}
		w += len(line)
		r = next
	}
	return b[:w]
}

var newline = []byte("\n")

// isBlankLine reports whether line holds only spaces and tabs (and its
// line break): faster than bytes.TrimSpace on the megabytes of a
// Kubernetes output, whose lines mostly start with indentation.
func isBlankLine(line []byte) bool {
	for _, c := range line {
		switch c {
		case ' ', '\t', '\n', '\r':
		default:
			return false
		}
	}
	return true
}

// view is what the templates see: every value already validated and turned
// into the exact text it becomes, so the templates hold layout only.
type view struct {
	Header          []string
	ServerName      string
	ServerNameRegex string // serverName with regex metacharacters quoted
	// NginxServerName is the exact server name, or a regex matching only it
	// when it is too long for nginx's default server_names_hash buckets
	// (see nginxNameFits); NginxNameRegex says which.
	NginxServerName string
	NginxNameRegex  bool
	// NginxHeadersBucket is a proxy_headers_hash_bucket_size large enough
	// for the mTLS header name; "" when the default fits.
	NginxHeadersBucket string
	HA                 bool
	RouterNodes        []string // host:port
	DirectNodes        []string
	HTTPPort           string // "" when HTTP is off
	HTTPSPort          string // "" when HTTPS is off
	Redirect           bool   // HTTP only redirects to HTTPS
	RedirectPort       string // ":8443", or "" for 443
	HSTS               bool
	TLS                *tlsView
	MTLS               *mtlsView
	Override           bool
	// Public is the scheme and port the proxy reports as the clients'
	// (proxy.public); OnDockerPorts is the view of the Docker ports'
	// servers.
	Public          publicView
	DockerSubdomain bool
	DockerRepoPath  bool
	DockerPorts     []dockerPortView
	DockerPortTLS   bool
	ApacheListen443 bool // a plain-HTTP VirtualHost uses 443: Listen unless mod_ssl already does

	// Lines repeated per Docker repository are written here rather than by
	// {{range}}: at 1,000 repositories the template engine's per-field
	// reflection alone took most of the wizard's per-keystroke budget (see
	// BenchmarkRender). Each block is "\n"+line per entry, so the templates
	// place it with {{- .Block}} like the body of a {{- range}}.
	NginxDockerMap    string          // "    PORT KEY;"
	NginxDockerListen string          // "    listen PORT[ ssl];"
	ApacheListen      string          // "Listen PORT" for ports Debian's ports.conf does not already listen on
	DockerPortSets    []apachePortSet // Apache: ports grouped per VirtualHost
	ApacheModules     string

	// Provider is the provider rendered; DockerRepos every repository of
	// any method, for admins' templates (the embedded ones use the blocks).
	Provider    Provider
	DockerRepos []dockerRepoView

	// HAProxy (see haproxyView).
	HAProxyHostRegex   string   // 'REGEX' of a Docker subdomain host, quoted for haproxy.cfg
	HAProxyDockerBinds []string // ":5001,:5002,..." per bind line
	HAProxyDockerRules string   // "    http-request set-path ... if ... { dst_port PORT }"

	Caddy *caddyView // the Caddyfile's parts, nil for other providers
	Kube  *kubeView  // the Kubernetes manifests' parts, nil for other providers

	blocks blocks
}

// dockerRepoView is one Docker repository as the templates see it: Host is
// <key>.<serverName> for the subdomain method, Port "" unless the ports
// method.
type dockerRepoView struct{ Key, Port, Host string }

// sizeHint guesses the output size, so the buffer is allocated once: the
// fixed text of the templates (a proxy block per server) plus the
// precomputed per-repository lines.
func (v *view) sizeHint() int {
	n := 8192 + 4096*len(v.DockerPortSets) + len(v.NginxDockerMap) + 2*len(v.NginxDockerListen) + len(v.ApacheListen) +
		len(v.HAProxyDockerRules) + 1024*len(v.HAProxyDockerBinds)
	if v.Caddy != nil {
		n += len(v.Caddy.DockerSites)
	}
	if v.Kube != nil {
		n += len(v.Kube.IngressRules) + len(v.Kube.IngressDocker) + len(v.Kube.GatewayDocker)
	}
	for _, set := range v.DockerPortSets {
		n += len(set.Addresses) + len(set.Rules)
	}
	return n
}

type tlsView struct {
	Certificate, Key  string
	Modern            bool
	NginxProtocols    string
	ApacheProtocols   string
	HAProxyMinVersion string // ssl-min-ver
	CaddyProtocols    string // protocols MIN (MAX is TLS 1.3 anyway)
	Ciphers           string // "" for the modern profile: TLS 1.3 suites are not configurable this way
	CaddyCiphers      string // the same suites in Go's names; "" for modern
	Ciphersuites      string // the TLS 1.3 suites, for servers that name them (HAProxy)
}

type mtlsView struct {
	ClientCA, Depth, Header string
	Required                bool
}

type dockerPortView struct{ Port, Key string }

// apachePortSet is one Docker-ports VirtualHost: its addresses (" *:PORT"
// each) and its RewriteCond/RewriteRule pairs.
type apachePortSet struct{ Addresses, Rules string }

// Mozilla server-side TLS guideline 6.0, intermediate: ECDHE with AES-GCM or ChaCha20.
const intermediateCiphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:" +
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:" +
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"

// intermediateCiphersGo are the same suites as Go (and so Caddy) names them.
const intermediateCiphersGo = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 " +
	"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 " +
	"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"

// tls13Ciphersuites are the TLS 1.3 suites of both profiles.
const tls13Ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"

// maxKey is the longest repository key Validate accepts.
const maxKey = 64

// apachePortsPerVirtualHost keeps each <VirtualHost a b c ...> line well under
// Apache's 8 KiB line limit however many Docker ports there are.
const apachePortsPerVirtualHost = 250 // " *:65535" each: under 2 KiB

func newView(s *Settings) *view {
	v := &view{
		ServerName: ServerNameForConfig(s.ServerName),
		HA:         s.IsHA(),
		Override:   s.OverrideBaseURLHeader,
		Public:     newPublicView(s),
	}
	for _, n := range s.Nodes {
		host, _ := NormalizeNode(n)
		v.RouterNodes = append(v.RouterNodes, host+":"+strconv.Itoa(s.RouterPort))
		v.DirectNodes = append(v.DirectNodes, host+":"+strconv.Itoa(s.ArtifactoryPort))
	}
	if s.HTTP.Enabled {
		v.HTTPPort = strconv.Itoa(s.HTTP.Port)
		v.Redirect = s.HTTP.RedirectToHTTPS && s.HTTPS.Enabled
	}
	if s.HTTPS.Enabled {
		v.HTTPSPort = strconv.Itoa(s.HTTPS.Port)
		if s.HTTPS.Port != 443 {
			v.RedirectPort = ":" + v.HTTPSPort
		}
		if p := s.Public.EffectivePort(); p != 0 {
			// The load balancer in front serves HTTPS there.
			v.RedirectPort = ""
			if p != 443 {
				v.RedirectPort = ":" + strconv.Itoa(p)
			}
		}
		v.HSTS = !s.HTTP.Enabled || v.Redirect
		t := &tlsView{Certificate: s.HTTPS.Certificate, Key: s.HTTPS.Key, Modern: s.HTTPS.TLSProfile == TLSModern, Ciphersuites: tls13Ciphersuites}
		if t.Modern {
			t.NginxProtocols, t.ApacheProtocols = "TLSv1.3", "-all +TLSv1.3"
			t.HAProxyMinVersion, t.CaddyProtocols = "TLSv1.3", "tls1.3"
		} else {
			t.NginxProtocols, t.ApacheProtocols, t.Ciphers = "TLSv1.2 TLSv1.3", "-all +TLSv1.2 +TLSv1.3", intermediateCiphers
			t.HAProxyMinVersion, t.CaddyProtocols, t.CaddyCiphers = "TLSv1.2", "tls1.2", intermediateCiphersGo
		}
		v.TLS = t
		if s.MTLS.Enabled {
			v.MTLS = &mtlsView{ClientCA: s.MTLS.ClientCA, Depth: strconv.Itoa(s.MTLS.VerifyDepth), Header: s.MTLS.Header, Required: s.MTLS.Required}
		}
	}
	v.ServerNameRegex = regexp.QuoteMeta(v.ServerName)
	v.NginxServerName = v.ServerName
	if !nginxNameFits(v.ServerName) {
		v.NginxServerName, v.NginxNameRegex = `"~^`+v.ServerNameRegex+`$"`, true
	}
	if v.MTLS != nil && !nginxNameFits(v.MTLS.Header) {
		v.NginxHeadersBucket = strconv.Itoa(nginxBucketFor(v.MTLS.Header))
	}
	switch s.Docker.Method {
	case DockerSubdomain:
		v.DockerSubdomain = true
	case DockerRepositoryPath:
		v.DockerRepoPath = true
	case DockerPorts:
		v.DockerPortTLS = s.HTTPS.Enabled
		v.DockerPorts = make([]dockerPortView, len(s.Docker.Repositories))
		for i, r := range s.Docker.Repositories {
			v.DockerPorts[i] = dockerPortView{Port: strconv.Itoa(r.Port), Key: r.Key}
		}
		switch s.Provider {
		case Nginx:
			v.NginxDockerMap, v.NginxDockerListen = nginxDockerLines(v.DockerPorts, v.DockerPortTLS)
		case Apache:
			v.DockerPortSets = apachePortSets(v.DockerPorts)
		}
	}
	v.Provider = s.Provider
	if s.Provider.IsKubernetes() {
		// The API takes host names in lower case only (DNS ignores case).
		v.ServerName = strings.ToLower(v.ServerName)
	}
	v.DockerRepos = dockerRepos(s, v.ServerName)
	switch s.Provider {
	case HAProxy:
		haproxyView(s, v)
	case Caddy:
		v.Caddy = newCaddyView(s, v)
	case KubernetesIngress, GatewayAPI:
		v.Kube = newKubeView(s, v)
	}
	if s.Provider == Apache {
		var listen []string
		listen, v.ApacheListen443 = apacheListens(s, v)
		v.ApacheListen = lines(len(listen), 13, func(b *strings.Builder, i int) {
			b.WriteString("Listen ")
			b.WriteString(listen[i])
		})
		v.ApacheModules = strings.Join(ApacheModules(s), " ")
	}
	v.Header = header(s)
	return v
}

// nginx keeps exact server names, and the header names of proxy_set_header,
// in hashes whose buckets hold 64 bytes by default (a CPU cache line): a
// bucket must hold a pointer, then the name padded to 8 bytes with 2 bytes of
// length, then a terminating pointer. A longer name fails `nginx -t` with
// "could not build server_names_hash, you should increase
// server_names_hash_bucket_size" once nginx builds the hash, which it does for
// a port shared by two servers (Debian's default site on 80) or a regex name
// with captures (the subdomain method).
const nginxDefaultBucket = 64

func nginxBucketNeed(name string) int { return 8 + (len(name)+2+7)&^7 + 8 }

// nginxNameFits reports whether name fits the default bucket: 46 characters.
func nginxNameFits(name string) bool { return nginxBucketNeed(name) <= nginxDefaultBucket }

// nginxBucketFor is the smallest power-of-two bucket size that holds name.
func nginxBucketFor(name string) int {
	b := nginxDefaultBucket
	for b < nginxBucketNeed(name) {
		b *= 2
	}
	return b
}

// lines writes n entries, each "\n" + what line(i) writes; size is a
// generous guess of one entry's length, so the builder grows once.
func lines(n, size int, line func(b *strings.Builder, i int)) string {
	if n == 0 {
		return ""
	}
	// The first entry tells the size of the rest (keys vary by a few dozen
	// bytes): the builder is allocated once, with room to spare.
	var first strings.Builder
	first.Grow(size + 1)
	first.WriteByte('\n')
	line(&first, 0)
	if n == 1 {
		return first.String()
	}
	each := first.Len()
	var b strings.Builder
	b.Grow(each + (n-1)*(each+each/8+64))
	b.WriteString(first.String())
	for i := 1; i < n; i++ {
		b.WriteByte('\n')
		line(&b, i)
	}
	return b.String()
}

func nginxDockerLines(ports []dockerPortView, tls bool) (mapLines, listenLines string) {
	mapLines = lines(len(ports), 16+maxKey, func(b *strings.Builder, i int) {
		b.WriteString("    ")
		b.WriteString(ports[i].Port)
		b.WriteByte(' ')
		b.WriteString(ports[i].Key)
		b.WriteByte(';')
	})
	ssl := ""
	if tls {
		ssl = " ssl"
	}
	listenLines = lines(len(ports), 24, func(b *strings.Builder, i int) {
		b.WriteString("    listen ")
		b.WriteString(ports[i].Port)
		b.WriteString(ssl)
		b.WriteByte(';')
	})
	return mapLines, listenLines
}

func apachePortSets(ports []dockerPortView) []apachePortSet {
	sets := make([]apachePortSet, 0, (len(ports)+apachePortsPerVirtualHost-1)/apachePortsPerVirtualHost)
	for start := 0; start < len(ports); start += apachePortsPerVirtualHost {
		set := ports[start:min(start+apachePortsPerVirtualHost, len(ports))]
		var addrs strings.Builder
		addrs.Grow(8 * len(set))
		for _, p := range set {
			addrs.WriteString(" *:")
			addrs.WriteString(p.Port)
		}
		rules := lines(len(set), 112+2*len(set[len(set)-1].Key), func(b *strings.Builder, i int) {
			b.WriteString(`    RewriteCond "%{SERVER_PORT}" "=`)
			b.WriteString(set[i].Port)
			b.WriteString("\"\n    RewriteRule \"^/(v1|v2)/(.*)$\" \"/artifactory/api/docker/")
			b.WriteString(set[i].Key)
			b.WriteString(`/$1/$2" [PT,L]`)
		})
		sets = append(sets, apachePortSet{Addresses: addrs.String(), Rules: rules})
	}
	return sets
}

// apacheListens lists the ports to add a Listen for. Debian's ports.conf
// always listens on 80, and on 443 when mod_ssl (or mod_gnutls) is loaded;
// repeating one fails `apache2ctl -t`. With HTTPS on, the snippet needs
// mod_ssl, so 443 is covered; without it, a plain VirtualHost on 443 gets a
// Listen guarded by <IfModule !ssl_module> (listen443).
func apacheListens(s *Settings, v *view) (ports []string, listen443 bool) {
	add := func(port int, text string) {
		switch {
		case port == 80:
		case port == 443 && s.HTTPS.Enabled:
		case port == 443:
			listen443 = true
		default:
			ports = append(ports, text)
		}
	}
	if s.HTTP.Enabled {
		add(s.HTTP.Port, v.HTTPPort)
	}
	if s.HTTPS.Enabled {
		add(s.HTTPS.Port, v.HTTPSPort)
	}
	for _, p := range v.DockerPorts {
		n, _ := strconv.Atoi(p.Port)
		add(n, p.Port)
	}
	return ports, listen443
}

// ApacheModules lists the Apache modules the snippet for s needs.
func ApacheModules(s *Settings) []string {
	mods := []string{"proxy", "proxy_http", "rewrite", "headers"}
	if s.HTTPS.Enabled {
		mods = append(mods, "ssl")
	}
	if s.IsHA() {
		mods = append(mods, "proxy_balancer", "lbmethod_byrequests", "slotmem_shm")
	}
	return mods
}
