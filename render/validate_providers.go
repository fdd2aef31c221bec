package render

import (
	"fmt"
	"path"
	"strings"

	"frontdoor/finding"
)

// The rules one provider adds to the shared ones: what its server or API
// cannot express, and its own settings (caddy:, kubernetes:).

// ingressNginxCertHeader is the only header ingress-nginx passes a verified
// client certificate in (auth-tls-pass-certificate-to-upstream).
const ingressNginxCertHeader = "ssl-client-cert"

// gatewayMaxListeners is the Gateway API's limit of listeners per Gateway.
const gatewayMaxListeners = 64

func validateProviderSettings(l *finding.List, s *Settings) {
	switch s.Provider {
	case HAProxy:
		validateHAProxyPEM(l, s)
	case Caddy:
		if s.Caddy.AutomaticHTTPS && !s.HTTPS.Enabled {
			l.Errorf("proxy.caddy.automaticHttps", "automatic HTTPS obtains certificates for the HTTPS listener: enable proxy.https, or turn automaticHttps off")
		}
		validateCaddyPlain443(l, s)
	case KubernetesIngress:
		validateIngress(l, s)
		validateKubernetesNames(l, s)
	case GatewayAPI:
		validateGateway(l, s)
		validateKubernetesNames(l, s)
	}
}

// validateHAProxyPEM: HAProxy reads a certificate and its key from one PEM
// file (`bind ... ssl crt FILE`), or the key from FILE.key beside it.
func validateHAProxyPEM(l *finding.List, s *Settings) {
	h := &s.HTTPS
	if !h.Enabled || h.Certificate == "" || h.Key == "" || pathProblem(h.Certificate) != "" || pathProblem(h.Key) != "" {
		return // the shared rules say what is missing
	}
	if h.Key == h.Certificate || h.Key == h.Certificate+".key" {
		return
	}
	l.Errorf("proxy.https.key", "HAProxy reads the certificate and its key from one PEM file (bind ... ssl crt FILE), or the key from FILE.key beside it: "+
		"build it with `cat %s %s > %s` (the server's certificate first, then the chain, then the key; chmod 600), then set both proxy.https.certificate and proxy.https.key to that file",
		h.Certificate, h.Key, combinedPEM(h.Certificate, h.Key))
}

// combinedPEM is where the message suggests HAProxy's combined PEM: beside
// the key (its directory is the one kept private), named after the
// certificate, so it is a path of the settings' own (the server's, under
// --root too) and never one of the files the cat reads (> would empty it).
func combinedPEM(certificate, key string) string {
	stem := strings.TrimSuffix(path.Base(certificate), path.Ext(certificate))
	for _, suffix := range []string{"-haproxy.pem", "-haproxy-combined.pem"} {
		if out := path.Join(path.Dir(key), stem+suffix); out != certificate && out != key {
			return out
		}
	}
	return path.Join(path.Dir(key), "haproxy-combined.pem")
}

// validateCaddyPlain443: a Caddyfile site address may not pair the http
// scheme with port 443 ("scheme and port violate convention").
func validateCaddyPlain443(l *finding.List, s *Settings) {
	const why = "Caddy refuses plain HTTP on port 443, HTTPS's port (caddy validate: scheme and port violate convention): pick another port"
	if s.HTTP.Enabled && s.HTTP.Port == 443 {
		l.Errorf("proxy.http.port", "%s, usually 80", why)
	}
	if s.Docker.Method != DockerPorts || s.HTTPS.Enabled {
		return
	}
	for i, r := range s.Docker.Repositories {
		if r.Port == 443 {
			l.Errorf(repoPath(i, "port"), "%s", why)
		}
	}
}

// validateIngress: what an ingress-nginx Ingress cannot say without
// snippet annotations (disabled by default since CVE-2021-25742).
func validateIngress(l *finding.List, s *Settings) {
	if s.Docker.Method == DockerPorts {
		l.Errorf("proxy.docker.method", "an Ingress serves HTTP and HTTPS on the controller's ports only, so the ports method cannot be expressed without snippets: use subdomain or repositoryPath, or choose gateway-api (a Gateway listener per port)")
	}
	for _, p := range []struct {
		path      string
		on        bool
		port, std int
	}{{"proxy.http.port", s.HTTP.Enabled, s.HTTP.Port, 80}, {"proxy.https.port", s.HTTPS.Enabled, s.HTTPS.Port, 443}} {
		if p.on && p.port != p.std {
			l.Warnf(p.path, "an Ingress has no port of its own: clients reach the ingress controller's Service on its ports (usually %d), so %d is not used", p.std, p.port)
		}
	}
	if s.OverrideBaseURLHeader {
		l.Warnf("proxy.overrideBaseUrlHeader", "ingress-nginx sets X-JFrog-Override-Base-Url only through a snippet annotation or the controller-wide proxy-set-headers ConfigMap: "+
			"Artifactory builds its URLs from the Host, X-Forwarded-Proto and X-Forwarded-Port that ingress-nginx sends; for a fixed base URL set Artifactory's Custom Base URL, or choose gateway-api; turn overrideBaseUrlHeader off to silence this")
	}
}

// validateGateway: what a Gateway and its HTTPRoutes cannot say in the
// standard API.
func validateGateway(l *finding.List, s *Settings) {
	if s.Docker.Method == DockerPorts {
		n := len(s.Docker.Repositories)
		if s.HTTP.Enabled {
			n++
		}
		if s.HTTPS.Enabled {
			n++
		}
		if n > gatewayMaxListeners {
			l.Errorf("proxy.docker.repositories", "the ports method needs a Gateway listener per repository, %d listeners in all, but a Gateway holds at most %d: serve most repositories through a virtual repository, or use the subdomain or repositoryPath method", n, gatewayMaxListeners)
		}
	}
	if s.MTLS.Enabled && s.HTTPS.Enabled {
		if !s.MTLS.Required {
			l.Errorf("proxy.mtls.required", "a Gateway either requires a verified client certificate or lets every client in (AllowInsecureFallback), and the standard API cannot pass the certificate to Artifactory: set mtls.required, or choose %s for optional certificates", clientCertProviders)
		} else {
			l.Warnf("proxy.mtls.enabled", "the Gateway admits only clients with a certificate from %s, but the standard API cannot pass the certificate to Artifactory in %s, so users are not logged in by it: choose %s for that", s.Kubernetes.WithDefaults().ClientCA, s.MTLS.Header, clientCertProviders)
		}
	}
}

// validateKubernetesNames checks the kubernetes: names against the rules
// of the API server, which would refuse the objects otherwise.
func validateKubernetesNames(l *finding.List, s *Settings) {
	k := s.Kubernetes.WithDefaults()
	for _, n := range []struct {
		path, value string
		rule        nameRule
	}{
		{"proxy.kubernetes.namespace", k.Namespace, dnsLabel},
		{"proxy.kubernetes.name", k.Name, dnsLabel},
		{"proxy.kubernetes.routerService", k.RouterService, serviceName},
		{"proxy.kubernetes.artifactoryService", k.ArtifactoryService, serviceName},
		{"proxy.kubernetes.tlsSecret", k.TLSSecret, dnsSubdomain},
		{"proxy.kubernetes.clientCA", k.ClientCA, dnsSubdomain},
		{"proxy.kubernetes.ingressClass", k.IngressClass, dnsSubdomain},
		{"proxy.kubernetes.gatewayClass", k.GatewayClass, dnsSubdomain},
	} {
		if msg := n.rule.problem(n.value); msg != "" {
			l.Errorf(n.path, "%s", msg)
		}
	}
}

// nameRule is one of Kubernetes' name grammars.
type nameRule int

const (
	dnsLabel     nameRule = iota // RFC 1123 label: namespaces, our object names
	serviceName                  // RFC 1035 label: starts with a letter
	dnsSubdomain                 // RFC 1123 subdomain: Secrets, ConfigMaps, classes
)

func (r nameRule) problem(v string) string {
	limit, what := 63, "a Kubernetes name"
	if r == dnsSubdomain {
		limit = 253
	}
	if r == serviceName {
		what = "a Service name"
	}
	ok := func(c byte) bool {
		return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || r == dnsSubdomain && c == '.'
	}
	switch {
	case v == "":
		return fmt.Sprintf("give %s", what)
	case len(v) > limit:
		return fmt.Sprintf("%q is longer than %d characters, the limit of %s", v, limit, what)
	case firstOutside(v, ok) != "":
		allowed := "lower-case letters, digits and '-'"
		if r == dnsSubdomain {
			allowed = "lower-case letters, digits, '-' and '.'"
		}
		return fmt.Sprintf("%q has %s: %s holds %s only", v, firstOutside(v, ok), what, allowed)
	case r == serviceName && !(v[0] >= 'a' && v[0] <= 'z'):
		return fmt.Sprintf("%q must start with a letter (a Service name is an RFC 1035 label)", v)
	}
	for _, part := range strings.Split(v, ".") {
		if part == "" || !isAlnumLower(part[0]) || !isAlnumLower(part[len(part)-1]) {
			return fmt.Sprintf("%q must start and end with a letter or digit (and so must each part between dots)", v)
		}
	}
	return ""
}

func isAlnumLower(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
