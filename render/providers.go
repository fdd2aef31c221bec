package render

import "strings"

// ProviderInfo is what the wizard, the commands and the docs show about a
// provider. Where a snippet is installed and which command checks it belong
// to package install; this is about the output itself.
type ProviderInfo struct {
	Provider Provider
	Label    string // how people write its name: "HAProxy"
	Help     string // one line for a chooser
	// Template is the embedded template's file name, and the name of the
	// file in a templates directory that overrides it; "" when the
	// provider has no output (tomcat).
	Template string
	// Syntax is the chroma lexer that highlights the output ("" when chroma
	// has none: plain text).
	Syntax string
	// Manifests is true for Kubernetes outputs: applied with `kubectl apply
	// -f`, never installed into a web server on this host.
	Manifests bool
	// PassesClientCert: the output verifies a client certificate (mTLS)
	// and passes it to Artifactory in proxy.mtls.header, which logs users
	// in by it.
	PassesClientCert bool
}

var providerInfos = []ProviderInfo{
	{Nginx, "nginx", "nginx in front of Artifactory: the usual setup.", "nginx.conf.tmpl", "nginx", false, true},
	{Apache, "Apache", "Apache httpd 2.4 with mod_proxy.", "apache.conf.tmpl", "apacheconf", false, true},
	{HAProxy, "HAProxy", "HAProxy 2.6+: a frontend and backends, health-checked nodes.", "haproxy.cfg.tmpl", "", false, true},
	{Caddy, "Caddy", "Caddy 2.6+: Caddyfile site blocks with reverse_proxy.", "Caddyfile.tmpl", "Caddyfile", false, true},
	{KubernetesIngress, "Kubernetes Ingress", "An Ingress for ingress-nginx (no snippet annotations), applied with kubectl.", "kubernetes-ingress.yaml.tmpl", "YAML", true, false},
	{GatewayAPI, "Gateway API", "A Gateway and HTTPRoutes (gateway.networking.k8s.io/v1), applied with kubectl.", "gateway-api.yaml.tmpl", "YAML", true, false},
	{Tomcat, "embedded Tomcat", "No proxy: clients reach Artifactory's embedded Tomcat directly, so there is no snippet to install.", "", "", false, false},
}

// ProviderLabels lists, by their labels and in Providers' order, the
// providers whose info keep accepts, for a message: "nginx, Apache, HAProxy
// or Caddy".
func ProviderLabels(keep func(ProviderInfo) bool) string {
	var labels []string
	for _, i := range providerInfos {
		if keep(i) {
			labels = append(labels, i.Label)
		}
	}
	switch len(labels) {
	case 0:
		return ""
	case 1:
		return labels[0]
	}
	return strings.Join(labels[:len(labels)-1], ", ") + " or " + labels[len(labels)-1]
}

// clientCertProviders names the providers that pass a client certificate
// to Artifactory, for messages about mTLS where another cannot.
var clientCertProviders = ProviderLabels(func(i ProviderInfo) bool { return i.PassesClientCert })

// Info describes provider p; ok is false for an unknown provider.
func Info(p Provider) (info ProviderInfo, ok bool) {
	for _, i := range providerInfos {
		if i.Provider == p {
			return i, true
		}
	}
	return ProviderInfo{Provider: p}, false
}

// TemplateFile is the file name of p's template ("" when p has none).
func TemplateFile(p Provider) string {
	i, _ := Info(p)
	return i.Template
}

// ProviderNames lists the providers for a message: "nginx, apache, ...
// or tomcat".
func ProviderNames() string {
	names := make([]string, len(Providers))
	for i, p := range Providers {
		names[i] = string(p)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// proxyProviders names the providers that put a web server in front on
// this host, for "choose one of ..." in messages about Tomcat.
var proxyProviders = ProviderLabels(func(i ProviderInfo) bool { return i.Template != "" && !i.Manifests })
