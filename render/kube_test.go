package render_test

// The Kubernetes outputs have no server to run here: they are decoded
// strictly into the upstream API types, the Gateway API objects are checked
// against the CRDs' schema and CEL rules, the Ingresses against what
// ingress-nginx refuses, and the requests of the end-to-end tables
// (e2e_requests_test.go) are routed through them by the rules of
// ingress-nginx and the Gateway API specification (kubecheck).

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"frontdoor/internal/servertest"
	"frontdoor/render"
	"frontdoor/render/internal/kubecheck"
)

// kubeOutput renders a scenario for a Kubernetes provider and checks the
// manifests; the differences a provider imposes are made here, each said.
func kubeOutput(t *testing.T, p render.Provider, sc e2eScenario, ports e2ePorts) (render.Settings, *kubecheck.Manifests) {
	t.Helper()
	s := sc.settings(ports, servertest.NewTLSFiles(t, e2eServerName))
	s.Provider, s.ServerName = p, e2eServerName
	s.ArtifactoryPort, s.RouterPort = 8081, 8082
	if s.MTLS.Enabled {
		if p == render.KubernetesIngress {
			s.MTLS.Header = "ssl-client-cert" // the only header ingress-nginx sets
		} else {
			s.MTLS.Required = true // a Gateway admits verified clients or everyone
		}
	}
	out, err := render.Render(&s)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	m := checkManifests(t, out)
	return s, m
}

// checkManifests decodes and checks an output; every problem fails t.
func checkManifests(t testing.TB, out []byte) *kubecheck.Manifests {
	t.Helper()
	m, err := kubecheck.Decode(out)
	if err != nil {
		t.Fatalf("decoding: %v\n%s", err, out)
	}
	problems, err := kubecheck.CheckSchema(m)
	if err != nil {
		t.Fatalf("loading the Gateway API CRDs: %v", err)
	}
	problems = append(problems, kubecheck.CheckCELRules(m)...)
	problems = append(problems, kubecheck.CheckIngress(m)...)
	for _, p := range problems {
		t.Error(p)
	}
	return m
}

type kubeRouter func(*kubecheck.Manifests, kubecheck.Request) kubecheck.Result

func routerFor(p render.Provider) kubeRouter {
	if p == render.KubernetesIngress {
		return kubecheck.RouteIngress
	}
	return kubecheck.RouteGateway
}

// wantKubeProxied checks that a request reached the Service of upstream
// ("node0 artifactory" or "node0 router") with uri, and the headers the
// configuration must set.
func wantKubeProxied(t *testing.T, p render.Provider, s *render.Settings, req kubecheck.Request, got kubecheck.Result, upstream, uri string) {
	t.Helper()
	k := s.Kubernetes.WithDefaults()
	service, port := k.RouterService, s.RouterPort
	if strings.HasSuffix(upstream, "artifactory") {
		service, port = k.ArtifactoryService, s.ArtifactoryPort
	}
	if got.Status != 0 || got.Service != service || got.Port != port || got.URI != uri {
		t.Fatalf("%s: got %+v, want %s:%d as %q", req.URL(), got, service, port, uri)
	}
	if p == render.GatewayAPI {
		want := map[string]string{"X-Forwarded-Proto": req.Scheme, "X-Forwarded-Port": strconv.Itoa(req.Port)}
		if s.OverrideBaseURLHeader {
			want["X-Jfrog-Override-Base-Url"] = req.Scheme + "://" + req.Host + ":" + strconv.Itoa(req.Port)
		}
		for h, v := range want {
			if got.Set[h] != v {
				t.Errorf("%s: sets %s %q, want %q", req.URL(), h, got.Set[h], v)
			}
		}
	}
	if s.MTLS.Enabled {
		h := "X-Jfrog-Client-Cert"
		switch {
		case p == render.KubernetesIngress && got.Set["Ssl-Client-Cert"] == "":
			t.Errorf("%s: the verified certificate is not passed on", req.URL())
		case p == render.GatewayAPI && !containsFold(got.Removed, s.MTLS.Header):
			t.Errorf("%s: a client's own %s is not removed (removed: %v)", req.URL(), h, got.Removed)
		}
	}
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// wantKubeRedirect checks a redirect the proxy answers itself.
func wantKubeRedirect(t *testing.T, req kubecheck.Request, got kubecheck.Result, status int, location string) {
	t.Helper()
	if got.Status != status || !sameURL(got.Location, location) {
		t.Errorf("%s: got %d %q, want %d to %q", req.URL(), got.Status, got.Location, status, location)
	}
}

// sameURL compares URLs with default ports made explicit.
func sameURL(a, b string) bool {
	norm := func(s string) string {
		u, err := url.Parse(s)
		if err != nil {
			return s
		}
		if u.Port() == "" {
			u.Host += map[string]string{"http": ":80", "https": ":443"}[u.Scheme]
		}
		return u.String()
	}
	return norm(a) == norm(b)
}

func kubeRequest(scheme, host string, port int, pathQuery string) kubecheck.Request {
	path, query, _ := strings.Cut(pathQuery, "?")
	return kubecheck.Request{Scheme: scheme, Host: host, Port: port, Path: path, Query: query}
}

// TestKubernetesSubdomainRoutes routes the subdomain scenario's table.
func TestKubernetesSubdomainRoutes(t *testing.T) {
	for _, p := range []render.Provider{render.KubernetesIngress, render.GatewayAPI} {
		t.Run(string(p), func(t *testing.T) {
			ports := e2ePorts{HTTP: 80, HTTPS: 443} // an Ingress has the controller's ports only
			if p == render.GatewayAPI {
				ports = e2ePorts{HTTP: 8080, HTTPS: 8443}
			}
			s, m := kubeOutput(t, p, subdomainScenario, ports)
			route := routerFor(p)
			for _, scheme := range []string{"http", "https"} {
				port := ports.HTTP
				if scheme == "https" {
					port = ports.HTTPS
				}
				for _, tc := range subdomainRequests {
					t.Run(scheme+"/"+tc.name, func(t *testing.T) {
						req := kubeRequest(scheme, tc.host, port, tc.path)
						wantKubeProxied(t, p, &s, req, route(m, req), tc.upstream, tc.uri)
					})
				}
				for _, path := range uiRedirectPaths {
					req := kubeRequest(scheme, e2eServerName, port, path)
					got := route(m, req)
					if p == render.KubernetesIngress && path == "/ui" {
						// app-root answers / only; the router redirects /ui itself.
						wantKubeProxied(t, p, &s, req, got, "node0 router", "/ui")
						continue
					}
					wantKubeRedirect(t, req, got, 302, proxyURL(scheme, e2eServerName, port, "/ui/"))
				}
			}
		})
	}
}

// TestKubernetesRepositoryPathRoutes routes the repository path scenario's
// table (HTTPS only, mTLS required).
func TestKubernetesRepositoryPathRoutes(t *testing.T) {
	for _, p := range []render.Provider{render.KubernetesIngress, render.GatewayAPI} {
		t.Run(string(p), func(t *testing.T) {
			ports := e2ePorts{HTTP: 80, HTTPS: 443}
			s, m := kubeOutput(t, p, repoPathScenario, ports)
			route := routerFor(p)
			for _, tc := range repoPathRequests {
				req := kubeRequest("https", e2eServerName, 443, tc.path)
				wantKubeProxied(t, p, &s, req, route(m, req), "node0 artifactory", tc.uri)
			}
			for _, tc := range []struct{ path, upstream, uri string }{
				{"/v2/", "node0 artifactory", "/artifactory/v2/"}, // the ping names no repository
				{"/ui/", "node0 router", "/ui/"},
				{"/artifactory/api/system/ping", "node0 artifactory", "/artifactory/api/system/ping"},
			} {
				req := kubeRequest("https", e2eServerName, 443, tc.path)
				wantKubeProxied(t, p, &s, req, route(m, req), tc.upstream, tc.uri)
			}
		})
	}
}

// TestKubernetesPortsRoutes routes the ports scenario's tables through the
// Gateway (an Ingress cannot listen on ports of its own: Validate refuses).
func TestKubernetesPortsRoutes(t *testing.T) {
	ports := e2ePorts{HTTP: 8080, HTTPS: 8443, Docker: []int{5001, 5002}}
	s, m := kubeOutput(t, render.GatewayAPI, portsHAScenario, ports)
	for _, tc := range httpsRedirectRequests {
		req := kubeRequest("http", tc.host, ports.HTTP, tc.path)
		wantKubeRedirect(t, req, kubecheck.RouteGateway(m, req), gatewayHTTPSRedirect, proxyURL("https", tc.host, ports.HTTPS, tc.path))
	}
	for i, key := range []string{"docker-local", "docker-remote"} {
		for _, tc := range dockerPortRequests(key) {
			req := kubeRequest("https", e2eServerName, ports.Docker[i], tc.path)
			wantKubeProxied(t, render.GatewayAPI, &s, req, kubecheck.RouteGateway(m, req), "node0 artifactory", tc.uri)
		}
	}
	for _, tc := range []struct{ path, upstream string }{{"/ui/", "node0 router"}, {"/artifactory/api/system/ping", "node0 artifactory"}} {
		req := kubeRequest("https", e2eServerName, ports.HTTPS, tc.path)
		wantKubeProxied(t, render.GatewayAPI, &s, req, kubecheck.RouteGateway(m, req), tc.upstream, tc.path)
	}

	s.Provider = render.KubernetesIngress
	if _, err := render.Render(&s); err == nil || !strings.Contains(err.Error(), "gateway-api") {
		t.Errorf("kubernetes-ingress with the ports method: %v, want a refusal offering gateway-api", err)
	}
}

// The HTTP-to-HTTPS redirect's status on Kubernetes: ingress-nginx's
// ssl-redirect answers 308 (its ConfigMap's http-redirect-code, 308 unless
// the cluster's admin changed it; no annotation sets it per Ingress), which
// keeps an upload's method as frontdoor's other snippets do. The Gateway
// API's RequestRedirect stays 301: only 301 and 302 are Core, 308 is
// Extended (HTTPRoute308RedirectStatusCode), and an implementation without
// it refuses the whole route (Accepted False, UnsupportedValue): plain HTTP
// would then answer nothing at all.
const (
	ingressHTTPSRedirect = 308
	gatewayHTTPSRedirect = 301
)

func TestKubernetesHTTPSRedirectStatus(t *testing.T) {
	redirecting := e2eScenario{
		nodes: []string{"127.0.0.1"},
		settings: func(ports e2ePorts, f *servertest.TLSFiles) render.Settings {
			s := subdomainScenario.settings(ports, f)
			s.HTTP.RedirectToHTTPS = true
			s.MTLS = render.MTLS{}
			return s
		},
	}
	for _, tc := range []struct {
		p      render.Provider
		status int
	}{{render.KubernetesIngress, ingressHTTPSRedirect}, {render.GatewayAPI, gatewayHTTPSRedirect}} {
		t.Run(string(tc.p), func(t *testing.T) {
			_, m := kubeOutput(t, tc.p, redirecting, e2ePorts{HTTP: 80, HTTPS: 443})
			for _, path := range []string{"/artifactory/generic-local/a.bin?x=1", "/v2/"} {
				req := kubeRequest("http", e2eServerName, 80, path)
				wantKubeRedirect(t, req, routerFor(tc.p)(m, req), tc.status, proxyURL("https", e2eServerName, 443, path))
			}
		})
	}
}
