package render

import (
	"hash/fnv"
	"strconv"
	"strings"
)

// The Kubernetes outputs: YAML whose values are all validated names, hosts,
// keys and numbers, written double-quoted where YAML could read them as
// something else ("8081", "true"). The objects repeated per repository are
// written here rather than by the templates, as for nginx's per-port lines:
// at 1,000 repositories the template engine would take most of the
// wizard's per-keystroke budget.

// kubeView is what the Kubernetes templates need beyond the shared view.
type kubeView struct {
	Namespace, Name, RouterService, ArtifactoryService string
	TLSSecret, ClientCA, IngressClass, GatewayClass    string
	RouterPort, ArtifactoryPort                        string

	// Ingress (kubernetes-ingress).
	IngressAnnotations string   // "    key: \"value\"" lines every Ingress carries
	IngressHosts       []string // the main Ingress's hosts: the server name, and each Docker subdomain
	IngressRules       string   // the main Ingress's rules, for IngressHosts
	IngressDocker      string   // the Docker subdomain method's Ingresses, one per repository

	// Gateway API (gateway-api).
	Listeners     []kubeListener
	GatewayDocker string // the HTTPRoutes of the Docker repositories

	scratch []byte // a route's header filter, while the routes are written
}

// kubeListener is one Gateway listener and what its main HTTPRoute says.
type kubeListener struct {
	Name, Protocol, Port string
	TLS                  bool
	Main                 bool   // http or https, not a Docker port
	Scheme               string // the scheme clients use (proxy.public, else the listener's)
	PublicPort           string // the port clients use (proxy.public, else the listener's)
	RedirectOnly         bool   // plain HTTP that only redirects to HTTPS
	RedirectPort         string // the HTTPS port when not 443, for RedirectOnly
	Headers              string // the RequestHeaderModifier filter of the main route (flow YAML)

	headers     []byte // Headers, for writing
	routePrefix string // of the Docker HTTPRoutes' names on this listener
}

const (
	kubeAnnotationPrefix = "    nginx.ingress.kubernetes.io/"
	kubeHeaderRemove     = "remove: ["
)

func newKubeView(s *Settings, v *view) *kubeView {
	k := s.Kubernetes.WithDefaults()
	kv := &kubeView{
		Namespace: k.Namespace, Name: k.Name, RouterService: k.RouterService, ArtifactoryService: k.ArtifactoryService,
		TLSSecret: k.TLSSecret, ClientCA: k.ClientCA, IngressClass: k.IngressClass, GatewayClass: k.GatewayClass,
		RouterPort: strconv.Itoa(s.RouterPort), ArtifactoryPort: strconv.Itoa(s.ArtifactoryPort),
	}
	if s.Provider == KubernetesIngress {
		kv.ingress(s, v)
	} else {
		kv.gateway(s, v)
	}
	return kv
}

// writeKubeObjectName writes the name of the object of one Docker
// repository: prefix and the key as a DNS label, with a short hash of the
// key when that changed it, so keys that differ only in case or punctuation
// never share a name.
func writeKubeObjectName(b *text, prefix, key string) {
	start := len(b.b)
	b.WriteString(prefix)
	changed := false
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-':
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
			changed = true
		default:
			c = '-'
			changed = true
		}
		b.WriteByte(c)
	}
	end := len(b.b)
	for end > start && b.b[end-1] == '-' {
		end--
	}
	if changed || end != len(b.b) {
		b.b = b.b[:end]
		h := fnv.New32a()
		h.Write([]byte(key))
		b.WriteByte('-')
		b.b = strconv.AppendUint(b.b, uint64(h.Sum32()), 36)
	}
}

// ingress fills the Ingress parts. ingress-nginx applies use-regex to every
// path of a host once one Ingress of the host asks for it, and orders
// regex locations longest first; rewrite-target is one per Ingress, hence
// an Ingress per repository for the subdomain method.
func (kv *kubeView) ingress(s *Settings, v *view) {
	var a strings.Builder
	ann := func(key, value string) {
		a.WriteString(kubeAnnotationPrefix)
		a.WriteString(key)
		a.WriteString(`: "`)
		a.WriteString(value)
		a.WriteString("\"\n")
	}
	ann("backend-protocol", "HTTP")
	ann("proxy-body-size", "0")
	ann("proxy-request-buffering", "off")
	ann("proxy-buffering", "off")
	ann("proxy-http-version", "1.1")
	ann("proxy-connect-timeout", "5")
	ann("proxy-read-timeout", "2400")
	ann("proxy-send-timeout", "2400")
	if v.TLS != nil {
		ann("ssl-redirect", strconv.FormatBool(v.HTTPPort == "" || v.Redirect))
		if v.TLS.Ciphers != "" {
			ann("ssl-ciphers", v.TLS.Ciphers)
		}
	} else {
		ann("ssl-redirect", "false")
	}
	if v.MTLS != nil {
		ann("auth-tls-secret", kv.Namespace+"/"+kv.ClientCA)
		verify := "optional"
		if v.MTLS.Required {
			verify = "on"
		}
		ann("auth-tls-verify-client", verify)
		ann("auth-tls-verify-depth", v.MTLS.Depth)
		ann("auth-tls-pass-certificate-to-upstream", "true")
	}
	if v.DockerSubdomain || v.DockerRepoPath {
		ann("use-regex", "true")
	}
	kv.IngressAnnotations = strings.TrimSuffix(a.String(), "\n")
	kv.IngressHosts = []string{v.ServerName}
	if v.DockerSubdomain {
		for _, r := range v.DockerRepos {
			kv.IngressHosts = append(kv.IngressHosts, r.Host)
		}
	}
	// Each host's rule, and each repository's Ingress, written once as a
	// stencil (kube_stencil.go) and then per host or repository.
	rule := newKubeStencil("", func(b *text) {
		b.WriteString("    - host: \"" + slotHostText)
		b.WriteString("\"\n      http:\n        paths:\n          - path: /artifactory/\n            pathType: Prefix\n")
		kv.ingressBackend(b, kv.ArtifactoryService, kv.ArtifactoryPort)
		b.WriteString("\n          - path: /\n            pathType: Prefix\n")
		kv.ingressBackend(b, kv.RouterService, kv.RouterPort)
	})
	kv.IngressRules = v.blocks.lines(len(kv.IngressHosts), 600, func(b *text, i int) {
		rule.write(b, "", kv.IngressHosts[i])
	})
	if !v.DockerSubdomain {
		return
	}
	docker := newKubeStencil(kv.Name+"-docker-", func(b *text) {
		kv.ingressHeader(b)
		b.WriteString(kubeAnnotationPrefix)
		b.WriteString(`rewrite-target: "/artifactory/api/docker/`)
		b.WriteString(slotKeyText)
		b.WriteString("/$1/$2\"\nspec:\n  ingressClassName: \"")
		b.WriteString(kv.IngressClass)
		b.WriteString("\"\n")
		if v.TLS != nil {
			b.WriteString("  tls:\n    - hosts: [\"")
			b.WriteString(slotHostText)
			b.WriteString("\"]\n      secretName: \"")
			b.WriteString(kv.TLSSecret)
			b.WriteString("\"\n")
		}
		b.WriteString("  rules:\n    - host: \"")
		b.WriteString(slotHostText)
		b.WriteString("\"\n      http:\n        paths:\n          - path: /(v1|v2)/(.*)\n            pathType: ImplementationSpecific\n")
		kv.ingressBackend(b, kv.ArtifactoryService, kv.ArtifactoryPort)
	})
	kv.IngressDocker = v.blocks.lines(len(v.DockerRepos), 1400, func(b *text, i int) {
		docker.write(b, v.DockerRepos[i].Key, v.DockerRepos[i].Host)
	})
}

// ingressHeader writes a repository's Ingress's head, up to and including
// the shared annotations, with its name as a stencil's slot.
func (kv *kubeView) ingressHeader(b *text) {
	b.WriteString("---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: \"")
	b.WriteByte(slotName)
	b.WriteString("\"\n  namespace: \"")
	b.WriteString(kv.Namespace)
	b.WriteString("\"\n  labels:\n    app.kubernetes.io/managed-by: frontdoor\n  annotations:\n")
	b.WriteString(kv.IngressAnnotations)
	b.WriteByte('\n')
}

func (kv *kubeView) ingressBackend(b *text, service, port string) {
	b.WriteString("            backend:\n              service:\n                name: \"")
	b.WriteString(service)
	b.WriteString("\"\n                port:\n                  number: ")
	b.WriteString(port)
}

// gateway fills the Gateway API parts: a listener per port, and an
// HTTPRoute per listener and host (header values are static in the API,
// so the scheme, port and base URL are written per listener).
func (kv *kubeView) gateway(s *Settings, v *view) {
	// What clients use: the listener's scheme and port, or those of a load
	// balancer in front (proxy.public; Docker ports keep their number).
	public := func(scheme, port string) (string, string) {
		if v.Public.Scheme != "" {
			scheme = v.Public.Scheme
		}
		if v.Public.Port != "" {
			port = v.Public.Port
		}
		return scheme, port
	}
	if v.HTTPPort != "" {
		l := kubeListener{Name: "http", Protocol: "HTTP", Port: v.HTTPPort, Scheme: "http", Main: true, RedirectOnly: v.Redirect}
		if v.Redirect && v.RedirectPort != "" {
			l.RedirectPort = strings.TrimPrefix(v.RedirectPort, ":")
		}
		l.Scheme, l.PublicPort = public(l.Scheme, l.Port)
		l.headers = kv.headerFilter(nil, v, l.Scheme, l.PublicPort, v.ServerName)
		l.Headers = string(l.headers)
		kv.Listeners = append(kv.Listeners, l)
	}
	if v.HTTPSPort != "" {
		l := kubeListener{Name: "https", Protocol: "HTTPS", Port: v.HTTPSPort, Scheme: "https", TLS: true, Main: true}
		l.Scheme, l.PublicPort = public(l.Scheme, l.Port)
		l.headers = kv.headerFilter(nil, v, l.Scheme, l.PublicPort, v.ServerName)
		l.Headers = string(l.headers)
		kv.Listeners = append(kv.Listeners, l)
	}
	scheme, protocol := "http", "HTTP"
	if v.DockerPortTLS {
		scheme, protocol = "https", "HTTPS"
	}
	if v.Public.Scheme != "" {
		scheme = v.Public.Scheme
	}
	for _, p := range v.DockerPorts {
		kv.Listeners = append(kv.Listeners, kubeListener{Name: "docker-" + p.Port, Protocol: protocol, Port: p.Port, PublicPort: p.Port, Scheme: scheme, TLS: v.DockerPortTLS})
	}
	// One HTTPRoute per repository and listener (subdomain, repository
	// path), or per Docker port; written straight into the output.
	var routed []*kubeListener
	for i := range kv.Listeners {
		if l := &kv.Listeners[i]; !l.RedirectOnly && (v.DockerSubdomain || v.DockerRepoPath) {
			l.routePrefix = kv.Name + "-" + l.Name + "-docker-"
			routed = append(routed, l)
		}
	}
	// A route per repository and listener: one stencil per listener
	// (kube_stencil.go), written per repository.
	repos := v.DockerRepos
	stencils := make([]*kubeStencil, len(routed))
	switch {
	case v.DockerSubdomain:
		for j, l := range routed {
			stencils[j] = newKubeStencil(l.routePrefix, func(b *text) {
				kv.routeHead(b, l.Name, slotHostText)
				kv.dockerRules(b, slotKeyText, kv.headerFilter(nil, v, l.Scheme, l.PublicPort, slotHostText))
			})
		}
		kv.GatewayDocker = v.blocks.lines(len(routed)*len(repos), 2400, func(b *text, i int) {
			r := &repos[i%len(repos)]
			stencils[i/len(repos)].write(b, r.Key, r.Host)
		})
	case v.DockerRepoPath:
		for j, l := range routed {
			stencils[j] = newKubeStencil(l.routePrefix, func(b *text) {
				kv.routeHead(b, l.Name, v.ServerName)
				kv.rule(b, "/v2/", slotKeyText, "/", "/artifactory/api/docker/", slotKeyText, "/v2/", l.headers, kv.ArtifactoryService, kv.ArtifactoryPort)
			})
		}
		kv.GatewayDocker = v.blocks.lines(len(routed)*len(repos), 1200, func(b *text, i int) {
			stencils[i/len(repos)].write(b, repos[i%len(repos)].Key, "")
		})
	case len(v.DockerPorts) > 0:
		ports := kv.Listeners[len(kv.Listeners)-len(v.DockerPorts):]
		prefix := kv.Name + "-docker-"
		kv.GatewayDocker = v.blocks.lines(len(v.DockerPorts), 2400, func(b *text, i int) {
			l := &ports[i]
			kv.routeHeader(b, prefix, v.DockerPorts[i].Key, l.Name, "")
			kv.scratch = kv.headerFilter(kv.scratch[:0], v, l.Scheme, l.PublicPort, v.ServerName)
			kv.dockerRules(b, v.DockerPorts[i].Key, kv.scratch)
		})
	}
}

// headerFilter appends the RequestHeaderModifier of a route to dst: the
// scheme, port and base URL clients used (static: the API has no
// variables), and the client certificate header removed, since the Gateway
// cannot set it.
func (kv *kubeView) headerFilter(dst []byte, v *view, scheme, port, host string) []byte {
	b := text{b: dst}
	b.WriteString(`{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: X-Forwarded-Proto, value: "`)
	b.WriteString(scheme)
	b.WriteString(`"}, {name: X-Forwarded-Port, value: "`)
	b.WriteString(port)
	b.WriteString(`"}`)
	if v.Override {
		b.WriteString(`, {name: X-JFrog-Override-Base-Url, value: "`)
		b.WriteString(scheme)
		b.WriteString("://")
		b.WriteString(host)
		b.WriteByte(':')
		b.WriteString(port)
		b.WriteString(`"}`)
	}
	b.WriteByte(']')
	if v.MTLS != nil {
		b.WriteString(", " + kubeHeaderRemove + `"`)
		b.WriteString(v.MTLS.Header) // quoted: a header named 0 or on is text
		b.WriteString(`"]`)
	}
	b.WriteString("}}")
	return b.b
}

// routeHeader writes an HTTPRoute's head, up to "rules:"; its name is
// prefix and key as writeKubeObjectName writes them. host "" leaves the
// hostnames out: every host the listener serves.
func (kv *kubeView) routeHeader(b *text, prefix, key, listener, host string) {
	b.WriteString(routeStart)
	writeKubeObjectName(b, prefix, key)
	kv.routeRest(b, listener, host)
}

// routeHead is routeHeader with the name as a stencil's slot.
func (kv *kubeView) routeHead(b *text, listener, host string) {
	b.WriteString(routeStart)
	b.WriteByte(slotName)
	kv.routeRest(b, listener, host)
}

const routeStart = "---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: \""

// routeRest is an HTTPRoute's head after its name.
func (kv *kubeView) routeRest(b *text, listener, host string) {
	b.WriteString("\"\n  namespace: \"")
	b.WriteString(kv.Namespace)
	b.WriteString("\"\n  labels:\n    app.kubernetes.io/managed-by: frontdoor\nspec:\n  parentRefs: [{name: \"")
	b.WriteString(kv.Name)
	b.WriteString("\", sectionName: ")
	b.WriteString(listener)
	b.WriteString("}]\n")
	if host != "" {
		b.WriteString("  hostnames: [\"")
		b.WriteString(host)
		b.WriteString("\"]\n")
	}
	b.WriteString("  rules:")
}

// rule writes one rule: a PathPrefix match prefix+key+tail, rewritten to
// rewrite+rkey+rtail when rewrite is not "", the header filter, and the
// backend. (The parts are written one by one rather than joined first.)
func (kv *kubeView) rule(b *text, prefix, key, tail, rewrite, rkey, rtail string, headers []byte, service, port string) {
	b.WriteString("\n    - matches: [{path: {type: PathPrefix, value: \"")
	b.WriteString(prefix)
	b.WriteString(key)
	b.WriteString(tail)
	b.WriteString("\"}}]\n      filters:\n")
	if rewrite != "" {
		b.WriteString("        - {type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: \"")
		b.WriteString(rewrite)
		b.WriteString(rkey)
		b.WriteString(rtail)
		b.WriteString("\"}}}\n")
	}
	b.WriteString("        - ")
	b.b = append(b.b, headers...)
	b.WriteString("\n      backendRefs: [{name: \"")
	b.WriteString(service)
	b.WriteString("\", port: ")
	b.WriteString(port)
	b.WriteString("}]\n      timeouts: {request: 0s}")
}

// dockerRules are the rules of a host or port that names one repository:
// /v2/ and /v1/ rewritten into it, and the rest as on the main route.
func (kv *kubeView) dockerRules(b *text, key string, headers []byte) {
	kv.rule(b, "/v2/", "", "", "/artifactory/api/docker/", key, "/v2/", headers, kv.ArtifactoryService, kv.ArtifactoryPort)
	kv.rule(b, "/v1/", "", "", "/artifactory/api/docker/", key, "/v1/", headers, kv.ArtifactoryService, kv.ArtifactoryPort)
	kv.mainRules(b, headers)
}

// mainRules are the rules every host has: / and /ui redirect to /ui/,
// /artifactory/ goes to Artifactory, the rest to the router.
func (kv *kubeView) mainRules(b *text, headers []byte) {
	b.WriteString("\n    - matches: [{path: {type: Exact, value: /}}, {path: {type: Exact, value: /ui}}]\n" +
		"      filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /ui/}, statusCode: 302}}]")
	kv.rule(b, "/artifactory/", "", "", "", "", "", headers, kv.ArtifactoryService, kv.ArtifactoryPort)
	kv.rule(b, "/", "", "", "", "", "", headers, kv.RouterService, kv.RouterPort)
}

// MainRules is mainRules for the template's main routes.
func (kv *kubeView) MainRules(headers string) string {
	var b text
	kv.mainRules(&b, []byte(headers))
	return string(b.b)
}

// PingRule is the repository path method's /v2/ (no repository yet: the
// Docker client's first request), rewritten to /artifactory/v2/.
func (kv *kubeView) PingRule(headers string) string {
	var b text
	kv.rule(&b, "/v2/", "", "", "/artifactory/v2/", "", "", []byte(headers), kv.ArtifactoryService, kv.ArtifactoryPort)
	return string(b.b)
}
