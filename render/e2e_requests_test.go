package render_test

// The settings and request tables the end-to-end tests send through the
// real servers (e2e_test.go), shared with the Kubernetes tests, which route
// the same requests through the rendered Ingresses and HTTPRoutes
// (kube_test.go): one table, every provider.

import (
	"frontdoor/internal/servertest"
	"frontdoor/render"
)

const mtlsHeader = "X-JFrog-Client-Cert"

// One node; HTTP and HTTPS both serve; Docker by subdomain; optional mTLS.
var subdomainScenario = e2eScenario{
	nodes: []string{"127.0.0.1"},
	settings: func(ports e2ePorts, f *servertest.TLSFiles) render.Settings {
		s := render.Defaults()
		s.HTTP = render.HTTP{Enabled: true, Port: ports.HTTP}
		s.HTTPS = render.HTTPS{Enabled: true, Port: ports.HTTPS, Certificate: f.Server.CertPath, Key: f.Server.KeyPath, TLSProfile: render.TLSIntermediate}
		s.Docker = render.Docker{Method: render.DockerSubdomain, Repositories: []render.DockerRepository{{Key: "docker-local"}, {Key: "docker-remote"}}}
		s.MTLS = render.MTLS{Enabled: true, ClientCA: f.CA.Path, VerifyDepth: 2, Header: mtlsHeader}
		return s
	},
}

// Two nodes; HTTP only redirects to HTTPS; Docker by port.
var portsHAScenario = e2eScenario{
	nodes:  []string{"127.0.0.2", "127.0.0.3"},
	docker: 2,
	settings: func(ports e2ePorts, f *servertest.TLSFiles) render.Settings {
		s := render.Defaults()
		s.HTTP = render.HTTP{Enabled: true, Port: ports.HTTP, RedirectToHTTPS: true}
		s.HTTPS = render.HTTPS{Enabled: true, Port: ports.HTTPS, Certificate: f.Server.CertPath, Key: f.Server.KeyPath, TLSProfile: render.TLSModern}
		s.Docker = render.Docker{Method: render.DockerPorts, Repositories: []render.DockerRepository{
			{Key: "docker-local", Port: ports.Docker[0]}, {Key: "docker-remote", Port: ports.Docker[1]}}}
		return s
	},
}

// One node; HTTPS only; Docker by repository path; mTLS required.
var repoPathScenario = e2eScenario{
	nodes: []string{"127.0.0.1"},
	settings: func(ports e2ePorts, f *servertest.TLSFiles) render.Settings {
		s := render.Defaults()
		s.HTTP = render.HTTP{Enabled: false, Port: ports.HTTP}
		s.HTTPS = render.HTTPS{Enabled: true, Port: ports.HTTPS, Certificate: f.Server.CertPath, Key: f.Server.KeyPath, TLSProfile: render.TLSIntermediate}
		s.Docker = render.Docker{Method: render.DockerRepositoryPath, Repositories: []render.DockerRepository{{Key: "docker-local"}}}
		s.MTLS = render.MTLS{Enabled: true, ClientCA: f.CA.Path, VerifyDepth: 2, Header: mtlsHeader, Required: true}
		return s
	},
}

// routeCase is one request and where it must land: upstream is the
// recording upstream's name ("node0 artifactory"), uri the path and query
// it must receive.
type routeCase struct {
	name, host, path string
	upstream, uri    string
}

// subdomainRequests go to the subdomain scenario, over HTTP and HTTPS.
var subdomainRequests = []routeCase{
	{"docker manifest", "docker-local." + e2eServerName, "/v2/image/manifests/latest",
		"node0 artifactory", "/artifactory/api/docker/docker-local/v2/image/manifests/latest"},
	{"docker ping", "docker-local." + e2eServerName, "/v2/",
		"node0 artifactory", "/artifactory/api/docker/docker-local/v2/"},
	{"docker second repository", "docker-remote." + e2eServerName, "/v2/library/alpine/blobs/sha256:0a1b",
		"node0 artifactory", "/artifactory/api/docker/docker-remote/v2/library/alpine/blobs/sha256:0a1b"},
	// The bare name must not become repository "" (the classic
	// "repository 'null'" 404): no rewrite at all.
	{"bare name is not a repository", e2eServerName, "/v2/image/manifests/latest",
		"node0 router", "/v2/image/manifests/latest"},
	{"ui", e2eServerName, "/ui/", "node0 router", "/ui/"},
	{"platform api", e2eServerName, "/access/api/v1/system/ping", "node0 router", "/access/api/v1/system/ping"},
	{"artifactory api", e2eServerName, "/artifactory/api/system/ping?verbose=1",
		"node0 artifactory", "/artifactory/api/system/ping?verbose=1"},
	// npm scoped packages: an encoded slash must reach Artifactory still
	// encoded.
	{"encoded slash kept", e2eServerName, "/artifactory/api/npm/npm/@scope%2fpkg",
		"node0 artifactory", "/artifactory/api/npm/npm/@scope%2fpkg"},
}

// uiRedirectPaths answer 302 to /ui/ on every scheme and port.
var uiRedirectPaths = []string{"/", "/ui"}

// httpsRedirectRequests go to the ports scenario's plain HTTP port, which
// only redirects: to the same name on the HTTPS port, path and query as sent.
var httpsRedirectRequests = []struct{ host, path string }{
	{e2eServerName, "/artifactory/api/system/ping?a=b"},
	{e2eServerName, "/"},
	{e2eServerName, "/ui/packages"},
	// Any name the client used survives the redirect.
	{"docker-local." + e2eServerName, "/v2/"},
	// The path and query as sent: escapes are neither decoded nor escaped
	// twice (npm scoped packages use %2f).
	{e2eServerName, "/artifactory/api/npm/npm/@scope%2fpkg"},
	{e2eServerName, "/artifactory/generic-local/a%20b.txt?q=x%20y"},
}

// dockerPortRequests go to the port of repository key (ports scenario).
func dockerPortRequests(key string) []struct{ path, uri string } {
	return []struct{ path, uri string }{
		{"/v2/", "/artifactory/api/docker/" + key + "/v2/"},
		{"/v2/image/manifests/latest", "/artifactory/api/docker/" + key + "/v2/image/manifests/latest"},
	}
}

// repoPathRequests go to the repository path scenario's HTTPS port.
var repoPathRequests = []struct{ path, uri string }{
	{"/v2/docker-local/image/manifests/latest", "/artifactory/api/docker/docker-local/v2/image/manifests/latest"},
	{"/v2/docker-local/library/alpine/blobs/sha256:0a1b", "/artifactory/api/docker/docker-local/v2/library/alpine/blobs/sha256:0a1b"},
}
