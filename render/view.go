package render

import (
	"regexp"
	"strconv"
	"strings"
)

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

	// Revision is what the web servers' configurations answer at
	// RevisionPath (the hash of the output, stamped once it is rendered).
	Revision string

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

// newView turns validated settings into the view the templates print.
func newView(s *Settings) *view {
	v := &view{
		ServerName: ServerNameForConfig(s.ServerName),
		HA:         s.IsHA(),
		Override:   s.OverrideBaseURLHeader,
		Public:     newPublicView(s),
		Revision:   revisionPlaceholder,
	}
	for _, n := range s.Nodes {
		host, _ := NormalizeNode(n)
		v.RouterNodes = append(v.RouterNodes, host+":"+strconv.Itoa(s.RouterPort))
		v.DirectNodes = append(v.DirectNodes, host+":"+strconv.Itoa(s.ArtifactoryPort))
	}
	if s.HTTP.Enabled {
		v.HTTPPort = strconv.Itoa(s.HTTP.Port)
		v.Redirect = s.HTTPRedirects()
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
