// Package render holds frontdoor's reverse-proxy settings, their validation,
// and the renderers that turn them into nginx, Apache, HAProxy and Caddy
// configuration and Kubernetes manifests (ingress-nginx Ingress, Gateway API).
package render

// Provider is the web server that fronts Artifactory.
type Provider string

const (
	Nginx             Provider = "nginx"
	Apache            Provider = "apache"
	HAProxy           Provider = "haproxy"
	Caddy             Provider = "caddy"
	KubernetesIngress Provider = "kubernetes-ingress" // networking.k8s.io/v1 Ingress for ingress-nginx
	GatewayAPI        Provider = "gateway-api"        // gateway.networking.k8s.io/v1 Gateway and HTTPRoutes
	Tomcat            Provider = "tomcat"             // embedded Tomcat: clients talk to Artifactory directly, no snippet
)

// Providers lists every provider in the order the wizard offers them.
var Providers = []Provider{Nginx, Apache, HAProxy, Caddy, KubernetesIngress, GatewayAPI, Tomcat}

// DockerMethod is how Docker clients reach a Docker repository.
type DockerMethod string

const (
	DockerSubdomain      DockerMethod = "subdomain"      // <key>.<serverName>
	DockerPorts          DockerMethod = "ports"          // <serverName>:<port>, one port per repository
	DockerRepositoryPath DockerMethod = "repositoryPath" // <serverName>/<key>/<image>
	DockerNone           DockerMethod = "none"
)

// DockerMethods lists every method in the order the wizard offers them.
var DockerMethods = []DockerMethod{DockerSubdomain, DockerPorts, DockerRepositoryPath, DockerNone}

// TLS profiles from Mozilla's server-side TLS guideline 6.0.
const (
	TLSIntermediate = "intermediate"
	TLSModern       = "modern"
)

// Settings is the `proxy:` section of frontdoor.yaml: everything a renderer needs.
type Settings struct {
	Provider              Provider `yaml:"provider" json:"provider"`
	ServerName            string   `yaml:"serverName" json:"serverName"`
	Nodes                 []string `yaml:"nodes" json:"nodes"`
	ArtifactoryPort       int      `yaml:"artifactoryPort" json:"artifactoryPort"`
	RouterPort            int      `yaml:"routerPort" json:"routerPort"`
	HTTP                  HTTP     `yaml:"http" json:"http"`
	HTTPS                 HTTPS    `yaml:"https" json:"https"`
	Docker                Docker   `yaml:"docker" json:"docker"`
	MTLS                  MTLS     `yaml:"mtls" json:"mtls"`
	OverrideBaseURLHeader bool     `yaml:"overrideBaseUrlHeader" json:"overrideBaseUrlHeader"`

	// Public is the scheme and port clients reach the door on when a load
	// balancer in front changes them; empty: the proxy's own.
	Public Public `yaml:"public,omitempty" json:"public,omitempty"`

	// Caddy and Kubernetes hold what only those providers need; empty
	// fields take the defaults (KubernetesDefaults), so a file for nginx
	// never carries them.
	Caddy      CaddySettings `yaml:"caddy,omitempty" json:"caddy,omitempty"`
	Kubernetes Kubernetes    `yaml:"kubernetes,omitempty" json:"kubernetes,omitempty"`

	// Templates is a directory of the admin's own templates, overriding the
	// embedded one of the same file name (see TemplateFile); "" uses the
	// embedded ones. Render reads it (LoadTemplates).
	Templates string `yaml:"templates,omitempty" json:"templates,omitempty"`
}

// Public is what clients connect to when a load balancer in front of the
// proxy changes the scheme or the port: one that terminates TLS (https on
// 443 in front of the proxy's plain HTTP) or maps ports. Artifactory builds
// its URLs (the Docker token realm, upload locations) from the scheme and
// port the proxy reports, and behind such a load balancer the proxy's own
// ($scheme, $server_port) are the wrong ones (jfrog/charts#1860). The proxy
// then reports these instead, in the base-URL header, X-Forwarded-Proto and
// X-Forwarded-Port, and its redirects point at them. The zero value keeps
// the proxy's own: each listener reports its scheme and port.
type Public struct {
	// Scheme is http or https; "" keeps each listener's own.
	Scheme string `yaml:"scheme,omitempty" json:"scheme,omitempty"`
	// Port is 1-65535; 0 means the scheme's standard port (443, 80) when
	// Scheme is given, else each listener's own. Docker repositories of the
	// ports method keep their own port numbers: the load balancer is taken
	// to expose each on the same number.
	Port int `yaml:"port,omitempty" json:"port,omitempty"`
}

// IsSet reports whether a public scheme or port is given.
func (p Public) IsSet() bool { return p.Scheme != "" || p.Port != 0 }

// EffectivePort is the public port clients use: Port, or the standard port
// of Scheme when only the scheme is given; 0 when neither is (each listener
// keeps its own).
func (p Public) EffectivePort() int {
	switch {
	case p.Port != 0:
		return p.Port
	case p.Scheme == "https":
		return 443
	case p.Scheme == "http":
		return 80
	}
	return 0
}

// CaddySettings are the Caddy provider's own settings.
type CaddySettings struct {
	// AutomaticHTTPS lets Caddy obtain and renew the certificates itself
	// (ACME) instead of using https.certificate and https.key.
	AutomaticHTTPS bool `yaml:"automaticHttps,omitempty" json:"automaticHttps,omitempty"`
}

// Kubernetes are the names the kubernetes-ingress and gateway-api outputs
// use. The Services' ports are artifactoryPort and routerPort; nodes are not
// used (the Services spread the load). Empty fields take KubernetesDefaults.
type Kubernetes struct {
	Namespace          string `yaml:"namespace,omitempty" json:"namespace,omitempty"`
	Name               string `yaml:"name,omitempty" json:"name,omitempty"`                             // of the Ingress/Gateway/HTTPRoute objects, and their prefix
	RouterService      string `yaml:"routerService,omitempty" json:"routerService,omitempty"`           // the Service in front of the router's port
	ArtifactoryService string `yaml:"artifactoryService,omitempty" json:"artifactoryService,omitempty"` // the Service in front of Artifactory's port
	TLSSecret          string `yaml:"tlsSecret,omitempty" json:"tlsSecret,omitempty"`                   // a kubernetes.io/tls Secret
	ClientCA           string `yaml:"clientCA,omitempty" json:"clientCA,omitempty"`                     // mTLS: the Secret (Ingress) or ConfigMap (Gateway) holding ca.crt
	IngressClass       string `yaml:"ingressClass,omitempty" json:"ingressClass,omitempty"`
	GatewayClass       string `yaml:"gatewayClass,omitempty" json:"gatewayClass,omitempty"`
}

// KubernetesDefaults are the names used for every empty Kubernetes field:
// those of the vendor's Helm chart installed as release "artifactory".
func KubernetesDefaults() Kubernetes {
	return Kubernetes{
		Namespace:          "artifactory",
		Name:               "artifactory",
		RouterService:      "artifactory",
		ArtifactoryService: "artifactory",
		TLSSecret:          "artifactory-tls",
		ClientCA:           "artifactory-client-ca",
		IngressClass:       "nginx",
		GatewayClass:       "nginx",
	}
}

// WithDefaults returns k with every empty field set from KubernetesDefaults.
func (k Kubernetes) WithDefaults() Kubernetes {
	d := KubernetesDefaults()
	for _, f := range []struct{ v, def *string }{
		{&k.Namespace, &d.Namespace}, {&k.Name, &d.Name}, {&k.RouterService, &d.RouterService},
		{&k.ArtifactoryService, &d.ArtifactoryService}, {&k.TLSSecret, &d.TLSSecret}, {&k.ClientCA, &d.ClientCA},
		{&k.IngressClass, &d.IngressClass}, {&k.GatewayClass, &d.GatewayClass},
	} {
		if *f.v == "" {
			*f.v = *f.def
		}
	}
	return k
}

// HTTP is the plain-text listener.
type HTTP struct {
	Enabled         bool `yaml:"enabled" json:"enabled"`
	Port            int  `yaml:"port" json:"port"`
	RedirectToHTTPS bool `yaml:"redirectToHttps" json:"redirectToHttps"`
}

// HTTPS is the TLS listener and its certificate.
type HTTPS struct {
	Enabled     bool   `yaml:"enabled" json:"enabled"`
	Port        int    `yaml:"port" json:"port"`
	Certificate string `yaml:"certificate" json:"certificate"`
	Key         string `yaml:"key" json:"key"`
	TLSProfile  string `yaml:"tlsProfile" json:"tlsProfile"`
}

// Docker is the Docker access method and the repositories it serves.
type Docker struct {
	Method       DockerMethod       `yaml:"method" json:"method"`
	Repositories []DockerRepository `yaml:"repositories" json:"repositories"`
}

// DockerRepository is one Docker repository; Port matters for the ports method only.
type DockerRepository struct {
	Key  string `yaml:"key" json:"key"`
	Port int    `yaml:"port,omitempty" json:"port,omitempty"`
}

// MTLS is client-certificate authentication terminated at the proxy.
type MTLS struct {
	Enabled     bool   `yaml:"enabled" json:"enabled"`
	ClientCA    string `yaml:"clientCA" json:"clientCA"`
	VerifyDepth int    `yaml:"verifyDepth" json:"verifyDepth"`
	Header      string `yaml:"header" json:"header"`
	Required    bool   `yaml:"required" json:"required"`
}

// Defaults returns the settings used for every key a file leaves out.
// They mirror the vendor's generator defaults (ports 8081/8082, HTTP on 80).
func Defaults() Settings {
	return Settings{
		Provider:        Nginx,
		Nodes:           []string{"localhost"},
		ArtifactoryPort: 8081,
		RouterPort:      8082,
		HTTP:            HTTP{Enabled: true, Port: 80},
		HTTPS:           HTTPS{Enabled: false, Port: 443, TLSProfile: TLSIntermediate},
		Docker:          Docker{Method: DockerNone},
		MTLS: MTLS{
			VerifyDepth: 2,
			Header:      "X-JFrog-Client-Cert",
		},
		OverrideBaseURLHeader: true,
	}
}

// Clone returns a deep copy, so an editor can change it without touching the original.
func (s Settings) Clone() Settings {
	c := s
	c.Nodes = append([]string(nil), s.Nodes...)
	c.Docker.Repositories = append([]DockerRepository(nil), s.Docker.Repositories...)
	return c
}

// IsHA reports whether several nodes share the load.
func (s *Settings) IsHA() bool { return len(s.Nodes) > 1 }

// HTTPRedirects reports whether plain HTTP only redirects to HTTPS: the
// snippets' redirect server, the public door's scheme and the check's plan
// all follow this one rule.
func (s *Settings) HTTPRedirects() bool {
	return s.HTTP.Enabled && s.HTTP.RedirectToHTTPS && s.HTTPS.Enabled
}

// IsKubernetes reports whether the provider writes Kubernetes manifests:
// Services instead of nodes, Secrets instead of certificate files.
func (p Provider) IsKubernetes() bool { return p == KubernetesIngress || p == GatewayAPI }

// DefaultClientCA is where the mTLS client-CA file is looked for unless the
// settings say otherwise: beside the web server's own configuration, so it
// is readable by the server and backed up with it. "" for Tomcat (no mTLS)
// and the Kubernetes outputs (the CA is kubernetes.clientCA, in the cluster).
func DefaultClientCA(p Provider) string {
	switch p {
	case Nginx:
		return "/etc/nginx/client-ca.pem"
	case Apache:
		return "/etc/apache2/client-ca.pem"
	case HAProxy:
		return "/etc/haproxy/client-ca.pem"
	case Caddy:
		return "/etc/caddy/client-ca.pem"
	}
	return ""
}

// DefaultCertificate is where the HTTPS certificate and its key are looked
// for unless the settings say otherwise (the built-in example's paths):
// Debian's /etc/ssl for most servers, but one PEM file for HAProxy, whose
// `bind ... ssl crt FILE` reads the certificate, its chain and the key from
// it (so key names the same file, as validation expects). "" for the
// outputs that name no files (Kubernetes: a Secret; Tomcat: no proxy).
func DefaultCertificate(p Provider) (certificate, key string) {
	switch p {
	case Nginx, Apache, Caddy:
		return "/etc/ssl/certs/artifactory.pem", "/etc/ssl/private/artifactory.key"
	case HAProxy:
		return "/etc/haproxy/certs/artifactory.pem", "/etc/haproxy/certs/artifactory.pem"
	}
	return "", ""
}

// FollowProvider carries the provider-specific defaults along after
// s.Provider changed: a client-CA path that is still some provider's default
// (the user never typed one) becomes the new provider's default, so switching
// from nginx to Apache does not leave /etc/nginx/client-ca.pem behind; so do
// a certificate and key that are still some provider's default pair (to
// HAProxy's one PEM file and back, see DefaultCertificate). Values the user
// typed are kept, and so is the old path when the new provider has no
// default (Tomcat, Kubernetes), so switching back restores it. Calling it
// when nothing changed does nothing. The wizard calls it whenever the user
// changes the provider, and `render --example --provider` on the example (a
// loader should not: a path written in a file is the user's).
func FollowProvider(s *Settings) {
	followCertificate(s)
	want := DefaultClientCA(s.Provider)
	if want == "" || s.MTLS.ClientCA == want {
		return
	}
	for _, p := range Providers {
		if d := DefaultClientCA(p); d != "" && s.MTLS.ClientCA == d {
			s.MTLS.ClientCA = want
			return
		}
	}
}

// followCertificate: FollowProvider for the certificate and key, moved
// together and only while both are still one provider's default pair.
func followCertificate(s *Settings) {
	cert, key := DefaultCertificate(s.Provider)
	if cert == "" || s.HTTPS.Certificate == cert && s.HTTPS.Key == key {
		return
	}
	for _, p := range Providers {
		if c, k := DefaultCertificate(p); c != "" && s.HTTPS.Certificate == c && s.HTTPS.Key == k {
			s.HTTPS.Certificate, s.HTTPS.Key = cert, key
			return
		}
	}
}
