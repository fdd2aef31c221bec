package proxy

import (
	"fmt"

	"frontdoor/render"
	"frontdoor/tui/components/form"
	"frontdoor/tui/document"
)

// What differs per provider: the chooser (render.Providers, with
// render.Info's words), the fields only some providers have (Caddy's
// automatic HTTPS, the Kubernetes names, admin templates, the public
// scheme and port), and which shared fields a provider does not use. The
// rules stay render's: a value a provider cannot express is a finding,
// drawn under its field like any other.

func provider(d *document.Document) render.Provider { return d.File.Proxy.Provider }

func isKubernetes(d *document.Document) bool { return provider(d).IsKubernetes() }

// providerOptions are the chooser's options: every provider render knows,
// in its order. A value the settings file names that none is shows no
// choice, with the finding that says so (the form's rule for choices).
func providerOptions(*document.Document) []form.Option {
	opts := make([]form.Option, 0, len(render.Providers))
	for _, p := range render.Providers {
		info, _ := render.Info(p)
		opts = append(opts, form.Option{Value: string(p), Label: info.Label, Help: info.Help})
	}
	return opts
}

// kubeText edits one of the kubernetes: names; empty takes the default,
// shown as the placeholder.
func kubeText(label, path, hint, def string, p func(*render.Kubernetes) *string) field {
	return field{
		Kind: form.Text, Label: label, Path: path, Hint: hint, Placeholder: def,
		Get: func(d *document.Document) string { return *p(&d.File.Proxy.Kubernetes) },
		Set: func(d *document.Document, v string) { *p(&d.File.Proxy.Kubernetes) = v },
	}
}

// providerFields follow the chooser on the first step: the Kubernetes
// objects' names and the admin's templates.
func providerFields() []field {
	def := render.KubernetesDefaults()
	ingress := func(d *document.Document) bool { return provider(d) == render.KubernetesIngress }
	gateway := func(d *document.Document) bool { return provider(d) == render.GatewayAPI }
	hasOutput := func(d *document.Document) bool {
		info, _ := render.Info(provider(d))
		return info.Template != "" || d.File.Proxy.Templates != ""
	}
	return []field{
		when(field{Kind: form.Info, Label: "Kubernetes", Info: func(d *document.Document) string {
			return "Empty names are those of the vendor's Helm chart (release artifactory). Services: step 2, TLS secret: 3, client CA: 5."
		}}, isKubernetes),
		when(kubeText("Namespace", "proxy.kubernetes.namespace", "The namespace of Artifactory's Services: the objects go there too.", def.Namespace,
			func(k *render.Kubernetes) *string { return &k.Namespace }), isKubernetes),
		when(kubeText("Object name", "proxy.kubernetes.name", "The name of the Ingress (or Gateway and HTTPRoutes), and the prefix of the per-repository ones.", def.Name,
			func(k *render.Kubernetes) *string { return &k.Name }), isKubernetes),
		when(kubeText("Ingress class", "proxy.kubernetes.ingressClass", "The IngressClass of the ingress-nginx controller (spec.ingressClassName).", def.IngressClass,
			func(k *render.Kubernetes) *string { return &k.IngressClass }), ingress),
		when(kubeText("Gateway class", "proxy.kubernetes.gatewayClass", "The GatewayClass of the Gateway implementation (spec.gatewayClassName).", def.GatewayClass,
			func(k *render.Kubernetes) *string { return &k.GatewayClass }), gateway),
		when(field{
			Kind: form.Text, Label: "Templates", Path: "proxy.templates", Placeholder: "embedded",
			Hint: "A directory of your own templates: a file named like an embedded one (" + render.TemplateFile(render.Nginx) +
				", ...) replaces it, with the same checks. `frontdoor templates export DIR` writes the embedded ones to start from. Empty: the embedded templates.",
			Get: func(d *document.Document) string { return d.File.Proxy.Templates },
			Set: func(d *document.Document, v string) { d.File.Proxy.Templates = v },
		}, hasOutput),
	}
}

// serviceFields stand in for the node list on step 2 for Kubernetes: the
// Ingress or Gateway reaches Artifactory through its Services.
func serviceFields() []field {
	def := render.KubernetesDefaults()
	return []field{
		when(field{Kind: form.Info, Label: "Kubernetes", Info: func(*document.Document) string {
			return "The Services in front of Artifactory spread the load over its pods: the node list is not used. The ports below are the Services' ports."
		}}, isKubernetes),
		when(kubeText("Router service", "proxy.kubernetes.routerService", "The Service in front of the router's port (the UI and platform APIs).", def.RouterService,
			func(k *render.Kubernetes) *string { return &k.RouterService }), isKubernetes),
		when(kubeText("Artifactory svc", "proxy.kubernetes.artifactoryService", "The Service in front of Artifactory's own port (/artifactory/).", def.ArtifactoryService,
			func(k *render.Kubernetes) *string { return &k.ArtifactoryService }), isKubernetes),
	}
}

// usesCertificateFiles: the certificate and key fields (and the panel
// that reads them) are for outputs that name the files.
func usesCertificateFiles(d *document.Document) bool {
	return d.File.Proxy.HTTPS.Enabled && render.UsesCertificateFiles(&d.File.Proxy)
}

// tlsFields are the provider-specific ways to the certificate on step 3:
// Caddy obtaining its own, a Kubernetes Secret.
func tlsFields() (automatic, secret field) {
	automatic = when(toggle("Automatic HTTPS", "proxy.caddy.automaticHttps",
		"Caddy obtains and renews the certificates itself (ACME): the names must resolve to this host and port 80 or 443 be reachable from the CA. Off: the certificate and key below.",
		func(s *render.Settings) *bool { return &s.Caddy.AutomaticHTTPS }),
		func(d *document.Document) bool {
			s := &d.File.Proxy
			return s.Provider == render.Caddy && (s.HTTPS.Enabled || s.Caddy.AutomaticHTTPS)
		})
	secret = when(kubeText("TLS secret", "proxy.kubernetes.tlsSecret",
		"A kubernetes.io/tls Secret in the namespace holding the certificate (with its chain) and its key; no file on this machine is read.",
		render.KubernetesDefaults().TLSSecret, func(k *render.Kubernetes) *string { return &k.TLSSecret }),
		func(d *document.Document) bool { return isKubernetes(d) && d.File.Proxy.HTTPS.Enabled })
	return automatic, secret
}

// keyHint: HAProxy reads the key from the certificate's own file.
func keyHint(d *document.Document) string {
	if provider(d) == render.HAProxy {
		return "HAProxy reads the key from the certificate's PEM file (after the chain), or from FILE.key beside it: give the same file as above, or that one."
	}
	return "PEM file on the proxy host: the certificate's unencrypted private key."
}

// publicFields are proxy.public: what clients use when a load balancer in
// front changes the scheme or the port.
func publicFields() []field {
	schemes := []form.Option{
		{Value: "", Label: "none", Help: "No load balancer in front changes the scheme or the port: each listener reports its own to Artifactory."},
		{Value: "https", Label: "https", Help: "A load balancer in front terminates TLS (or maps ports): clients use https on the port below, and the proxy reports that to Artifactory, so the Docker token realm and upload locations point there."},
		{Value: "http", Label: "http", Help: "A load balancer in front that clients reach on plain HTTP: the proxy reports http and the port below to Artifactory."},
	}
	scheme := choice("Load balancer", "proxy.public.scheme", schemes, func(s *render.Settings) *string { return &s.Public.Scheme })
	scheme.Options = func(d *document.Document) []form.Option {
		if cur := d.File.Proxy.Public.Scheme; cur != "" && cur != "https" && cur != "http" {
			return append(schemes, form.Option{Value: cur, Label: cur, Help: "As the settings file says: not a scheme (use https or http)."})
		}
		return schemes
	}
	port := number("Public port", "proxy.public.port", "", 5, func(s *render.Settings) *int { return &s.Public.Port })
	port.HintFunc = func(d *document.Document) string {
		switch d.File.Proxy.Public.Scheme {
		case "https":
			return "The port clients use on the load balancer. Empty: 443."
		case "http":
			return "The port clients use on the load balancer. Empty: 80."
		}
		return "The port clients use on the load balancer; set the scheme above too."
	}
	port.Placeholder = "standard"
	// What a provider cannot report (an Ingress, Tomcat) is a finding about
	// proxy.public as a whole: drawn here, under the fields it is about.
	cannot := when(field{Kind: form.Info, Label: "Limits", Path: "proxy.public",
		Info: func(*document.Document) string { return "what this output cannot tell Artifactory:" }},
		func(d *document.Document) bool { return len(d.Proxy.Index.Exact("proxy.public")) > 0 })
	return []field{
		scheme,
		when(port, func(d *document.Document) bool { return d.File.Proxy.Public.IsSet() }),
		cannot,
	}
}

// depthProviders are the outputs that carry the verify depth: nginx's
// ssl_verify_depth, Apache's SSLVerifyDepth, ingress-nginx's
// auth-tls-verify-depth. HAProxy, Caddy and the Gateway API have none.
func hasVerifyDepth(p render.Provider) bool {
	switch p {
	case render.HAProxy, render.Caddy, render.GatewayAPI:
		return false
	}
	return true
}

// depthFields: the verify depth where the output has one, else why not
// (and the number still, while the settings hold a value render refuses).
func depthFields(mtlsOn func(*document.Document) bool) []field {
	depth := when(number("Verify depth", "proxy.mtls.verifyDepth", "How many CAs may sit above a client certificate (2: intermediate and root).", 2,
		func(s *render.Settings) *int { return &s.MTLS.VerifyDepth }),
		func(d *document.Document) bool {
			return mtlsOn(d) && (hasVerifyDepth(provider(d)) || d.Proxy.Index.Exact("proxy.mtls.verifyDepth").HasErrors())
		})
	none := when(field{Kind: form.Info, Label: "Verify depth", Info: func(d *document.Document) string {
		info, _ := render.Info(provider(d))
		return fmt.Sprintf("not used: %s has no verify depth, so any chain up to the client CA is accepted.", info.Label)
	}}, func(d *document.Document) bool { return mtlsOn(d) && !hasVerifyDepth(provider(d)) })
	return []field{depth, none}
}

// clientCAFields: a file on the proxy host, or for Kubernetes the Secret
// (Ingress) or ConfigMap (Gateway) that holds ca.crt.
func clientCAFields(mtlsOn func(*document.Document) bool) []field {
	file := when(text("Client CA", "proxy.mtls.clientCA", "PEM file of the CA(s) that sign client certificates.",
		func(s *render.Settings) *string { return &s.MTLS.ClientCA }),
		func(d *document.Document) bool { return mtlsOn(d) && !isKubernetes(d) })
	secret := when(kubeText("Client CA", "proxy.kubernetes.clientCA", "", render.KubernetesDefaults().ClientCA,
		func(k *render.Kubernetes) *string { return &k.ClientCA }),
		func(d *document.Document) bool { return mtlsOn(d) && isKubernetes(d) })
	secret.HintFunc = func(d *document.Document) string {
		if provider(d) == render.GatewayAPI {
			return "A ConfigMap in the namespace holding ca.crt, the CA(s) that sign client certificates (the Gateway's caCertificateRefs)."
		}
		return "A Secret in the namespace holding ca.crt, the CA(s) that sign client certificates (auth-tls-secret)."
	}
	return []field{file, secret}
}

// haInfo explains what the node list means for high availability.
func haInfo(d *document.Document) string {
	if isKubernetes(d) {
		return "The Services spread the load over Artifactory's pods and skip those not ready (step 2)."
	}
	n := len(d.File.Proxy.Nodes)
	if n > 1 {
		return fmt.Sprintf("%d nodes: requests are balanced and a failed node is skipped (nodes are on step 2).", n)
	}
	return "1 node: add nodes on step 2 to balance the load and survive a failed node."
}

// methodHint says what a provider cannot do with a Docker method before
// it is chosen (the finding says it after).
func methodHint(d *document.Document) string {
	switch provider(d) {
	case render.KubernetesIngress:
		if d.File.Proxy.Docker.Method == render.DockerPorts {
			return "" // the finding under the field says why not
		}
		return "An Ingress has no ports of its own: it cannot express the ports method."
	case render.GatewayAPI:
		return "The ports method takes a Gateway listener per repository: at most 64 listeners in all."
	case render.Tomcat:
		return "Without a proxy only repositoryPath works."
	}
	return ""
}
