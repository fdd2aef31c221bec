package render_test

// End-to-end tests: the rendered snippet is installed in a copy of the stock
// Debian nginx or Apache layout, the real server is started on loopback high
// ports, and Go listeners stand in for Artifactory's ports (router and
// artifactory, on one or two nodes), recording what the proxy sends them.
// Each scenario starts one server per provider and runs all its cases
// against it. Helpers are in e2e_helpers_test.go.

import (
	"bytes"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"frontdoor/internal/servertest"
	"frontdoor/render"
)

// One node; HTTP and HTTPS both serve; Docker by subdomain; optional mTLS.
func TestE2ESubdomainHTTPAndHTTPS(t *testing.T) {
	e2eProviders(t, func(t *testing.T, p render.Provider) {
		e := startE2E(t, p, subdomainScenario)
		for _, scheme := range []string{"http", "https"} {
			port := e.ports.HTTP
			if scheme == "https" {
				port = e.ports.HTTPS
			}
			t.Run(scheme, func(t *testing.T) {
				for _, tc := range subdomainRequests {
					t.Run(tc.name, func(t *testing.T) {
						u := proxyURL(scheme, tc.host, port, tc.path)
						e.wantProxied(t, e.get(t, e.plain, u, nil), u, tc.upstream, tc.uri)
					})
				}
				for _, path := range uiRedirectPaths {
					t.Run("redirect "+path, func(t *testing.T) {
						u := proxyURL(scheme, e2eServerName, port, path)
						e.wantRedirect(t, e.get(t, e.plain, u, nil), u, http.StatusFound, proxyURL(scheme, e2eServerName, port, "/ui/"))
					})
				}
				t.Run("forged client certificate header is dropped", func(t *testing.T) {
					u := proxyURL(scheme, e2eServerName, port, "/artifactory/api/system/ping")
					// Sent twice: no copy of it may survive.
					forged := http.Header{mtlsHeader: {"-----BEGIN CERTIFICATE-----%0Aforged", "second"}}
					res := e.get(t, e.plain, u, forged)
					e.wantProxied(t, res, u, "node0 artifactory", "/artifactory/api/system/ping")
					if v := res.upstream.Header.Values(mtlsHeader); len(v) != 0 {
						t.Errorf("upstream got the client's own %s %q", mtlsHeader, v)
					}
				})
			})
		}
		t.Run("revision", func(t *testing.T) { e.wantRevision(t, "http", e.ports.HTTP); e.wantRevision(t, "https", e.ports.HTTPS) })
		t.Run("mtls", func(t *testing.T) {
			client := e.tls.ClientCert(t, "alice")
			u := proxyURL("https", e2eServerName, e.ports.HTTPS, "/artifactory/api/system/ping")
			t.Run("verified certificate is forwarded, forged value replaced", func(t *testing.T) {
				forged := http.Header{mtlsHeader: {"forged"}}
				res := e.get(t, e.client(t, client), u, forged)
				e.wantProxied(t, res, u, "node0 artifactory", "/artifactory/api/system/ping")
				want := nginxEscapedCert(pemCert(client))
				if v := res.upstream.Header.Values(mtlsHeader); len(v) != 1 || v[0] != want {
					t.Errorf("upstream got %s %q,\nwant the URL-escaped PEM %q", mtlsHeader, v, want)
				}
			})
			t.Run("certificate from another CA never reaches upstream as verified", func(t *testing.T) {
				other := servertest.NewCA(t, "", "other").Issue(t, "", "mallory", servertest.CertSpec{CommonName: "mallory", Client: true})
				res := e.get(t, e.client(t, other), u, http.Header{mtlsHeader: {"forged"}})
				if res.reached && len(res.upstream.Header.Values(mtlsHeader)) != 0 {
					t.Errorf("upstream got %s %q for a certificate the client CA did not sign", mtlsHeader, res.upstream.Header.Values(mtlsHeader))
				}
				if res.err == nil && res.status < 400 {
					t.Errorf("status %d: an unverifiable client certificate must be refused", res.status)
				}
			})
		})
		t.Run("large uploads stream through", func(t *testing.T) {
			const size = 20 << 20
			for _, tc := range []struct {
				name    string
				scheme  string
				port    int
				chunked bool // as docker push sends layers
			}{
				{"https with length", "https", e.ports.HTTPS, false},
				{"http chunked", "http", e.ports.HTTP, true},
			} {
				t.Run(tc.name, func(t *testing.T) {
					u := proxyURL(tc.scheme, e2eServerName, tc.port, "/artifactory/generic-local/big.bin")
					res := e.uploadStreamed(t, e.plain, u, size, tc.chunked)
					if res.err != nil || res.status != http.StatusOK || !res.reached {
						t.Fatalf("PUT %d bytes: err %v status %d reached %v body %q\n%s", size, res.err, res.status, res.reached, res.body, e.server.Logs())
					}
					if res.upstream.BodyBytes != size || res.upstream.BodySHA256 != bodyDigest(size) {
						t.Errorf("upstream got %d bytes (digest match %v), want %d unchanged", res.upstream.BodyBytes, res.upstream.BodySHA256 == bodyDigest(size), size)
					}
				})
			}
		})
	})
}

// Two nodes; HTTP only redirects to HTTPS; Docker by port.
func TestE2EPortsHAWithRedirect(t *testing.T) {
	e2eProviders(t, func(t *testing.T, p render.Provider) {
		e := startE2E(t, p, portsHAScenario)
		t.Run("http redirects to https", func(t *testing.T) {
			for _, tc := range httpsRedirectRequests {
				u := proxyURL("http", tc.host, e.ports.HTTP, tc.path)
				if p == render.Caddy && tc.host != e2eServerName {
					// Caddy serves the site's own names only (its sites stay
					// composable with the stock Caddyfile's catch-all): another
					// name gets no redirect, and reaches nothing either.
					if res := e.get(t, e.plain, u, nil); res.reached || res.header.Get("Location") != "" {
						t.Errorf("GET %s: a name outside the site reached %q, Location %q", u, res.upstream.Upstream, res.header.Get("Location"))
					}
					continue
				}
				e.wantRedirect(t, e.get(t, e.plain, u, nil), u, http.StatusPermanentRedirect, proxyURL("https", tc.host, e.ports.HTTPS, tc.path))
			}
		})
		// 308, not 301: a client following the redirect keeps the method and
		// the body, so an upload sent to http:// arrives as the upload.
		t.Run("an upload to http arrives on https as a PUT with its body", func(t *testing.T) {
			const size = 64 << 10
			follow := e.client(t, nil)
			follow.CheckRedirect = nil
			// Expect: 100-continue, as clients sending a big body do (curl
			// above 1 MiB): the redirect comes before the body is sent. A
			// body sent at once races the proxy, which answers the redirect
			// without reading it and closes (HAProxy): a broken pipe.
			follow.Transport.(*http.Transport).ExpectContinueTimeout = 10 * time.Second
			u := proxyURL("http", e2eServerName, e.ports.HTTP, "/artifactory/generic-local/redirected.bin")
			res := e.send(t, follow, http.MethodPut, u, http.Header{"Expect": {"100-continue"}}, bytes.NewReader(bytes.Repeat([]byte("x"), size)), size)
			if res.err != nil || !res.reached {
				t.Fatalf("PUT %s: err %v status %d reached %v\n%s", u, res.err, res.status, res.reached, e.server.Logs())
			}
			if got := res.upstream; got.Method != http.MethodPut || got.BodyBytes != size {
				t.Errorf("PUT %s: upstream got %s with %d bytes, want PUT with %d", u, got.Method, got.BodyBytes, size)
			}
		})
		t.Run("https sends HSTS", func(t *testing.T) {
			res := e.get(t, e.plain, proxyURL("https", e2eServerName, e.ports.HTTPS, "/ui/"), nil)
			if res.err != nil || !strings.HasPrefix(res.header.Get("Strict-Transport-Security"), "max-age=") {
				t.Errorf("err %v, Strict-Transport-Security %q", res.err, res.header.Get("Strict-Transport-Security"))
			}
		})
		t.Run("docker ports", func(t *testing.T) {
			for i, key := range []string{"docker-local", "docker-remote"} {
				port := e.ports.Docker[i]
				for _, tc := range dockerPortRequests(key) {
					u := proxyURL("https", e2eServerName, port, tc.path)
					res := e.get(t, e.plain, u, nil)
					e.wantProxied(t, res, u, res.upstream.Upstream, tc.uri)
					if !strings.HasSuffix(res.upstream.Upstream, " artifactory") {
						t.Errorf("GET %s reached %q, want an artifactory port", u, res.upstream.Upstream)
					}
				}
			}
		})
		t.Run("both nodes serve", func(t *testing.T) {
			for _, tc := range []struct{ path, role string }{{"/ui/", "router"}, {"/artifactory/api/system/ping", "artifactory"}} {
				u := proxyURL("https", e2eServerName, e.ports.HTTPS, tc.path)
				// Counted from the requests themselves: health checks
				// (HAProxy, Caddy) reach the nodes too.
				served := map[string]int{}
				for range 8 {
					res := e.get(t, e.plain, u, nil)
					e.wantProxied(t, res, u, res.upstream.Upstream, tc.path)
					served[res.upstream.Upstream]++
				}
				for n := range 2 {
					if served[upstreamName(n, tc.role)] == 0 {
						t.Errorf("%s: node%d %s got none of 8 requests (%v)", tc.path, n, tc.role, served)
					}
				}
			}
		})
		t.Run("one node down still serves", func(t *testing.T) {
			for _, role := range []string{"router", "artifactory"} {
				if err := e.rec.Stop(upstreamName(1, role)); err != nil {
					t.Fatal(err)
				}
			}
			for _, tc := range []struct{ path, upstream string }{
				{"/ui/", "node0 router"},
				{"/artifactory/api/system/ping", "node0 artifactory"},
			} {
				u := proxyURL("https", e2eServerName, e.ports.HTTPS, tc.path)
				for range 6 {
					e.wantProxied(t, e.get(t, e.plain, u, nil), u, tc.upstream, tc.path)
				}
			}
		})
	})
}

// One node; HTTPS only; Docker by repository path; mTLS required.
func TestE2ERepositoryPathRequiredMTLS(t *testing.T) {
	e2eProviders(t, func(t *testing.T, p render.Provider) {
		e := startE2E(t, p, repoPathScenario)
		client := e.tls.ClientCert(t, "bob")
		withCert := e.client(t, client)
		t.Run("no client certificate is refused", func(t *testing.T) {
			u := proxyURL("https", e2eServerName, e.ports.HTTPS, "/artifactory/api/system/ping")
			res := e.get(t, e.plain, u, http.Header{mtlsHeader: {"forged"}})
			if res.reached {
				t.Fatalf("a client without a certificate reached %s", res.upstream.Upstream)
			}
			wantNoCertRefusal(t, p, res)
		})
		t.Run("docker repository path", func(t *testing.T) {
			for _, tc := range repoPathRequests {
				u := proxyURL("https", e2eServerName, e.ports.HTTPS, tc.path)
				res := e.get(t, withCert, u, http.Header{mtlsHeader: {"forged"}})
				e.wantProxied(t, res, u, "node0 artifactory", tc.uri)
				if v := res.upstream.Header.Values(mtlsHeader); len(v) != 1 || v[0] != nginxEscapedCert(pemCert(client)) {
					t.Errorf("upstream got %s %q, want the client's certificate", mtlsHeader, v)
				}
			}
		})
		t.Run("ui", func(t *testing.T) {
			u := proxyURL("https", e2eServerName, e.ports.HTTPS, "/ui/")
			e.wantProxied(t, e.get(t, withCert, u, nil), u, "node0 router", "/ui/")
		})
	})
}

// wantNoCertRefusal checks how a required client certificate is enforced.
// Apache, HAProxy and Caddy fail the TLS handshake. nginx completes it and answers 400 ("No
// required SSL certificate was sent") without proxying: either way nothing
// reaches Artifactory.
func wantNoCertRefusal(t *testing.T, p render.Provider, res e2eResult) {
	t.Helper()
	switch p {
	case render.Apache, render.HAProxy, render.Caddy:
		var alert tls.AlertError
		if res.err == nil || !(errors.As(res.err, &alert) || strings.Contains(res.err.Error(), "certificate")) {
			t.Errorf("want a TLS handshake failure, got err %v status %d", res.err, res.status)
		}
	case render.Nginx:
		if res.err != nil || res.status != http.StatusBadRequest || !strings.Contains(res.body, "No required SSL certificate") {
			t.Errorf("want nginx's 400 No required SSL certificate was sent, got err %v status %d body %q", res.err, res.status, res.body)
		}
	}
}

// One node; plain HTTP only; Docker by port without TLS; no base-URL header.
func TestE2EPortsPlainHTTP(t *testing.T) {
	e2eProviders(t, func(t *testing.T, p render.Provider) {
		e := startE2E(t, p, e2eScenario{
			nodes:  []string{"127.0.0.1"},
			docker: 1,
			settings: func(ports e2ePorts, f *servertest.TLSFiles) render.Settings {
				s := render.Defaults()
				s.HTTP = render.HTTP{Enabled: true, Port: ports.HTTP}
				s.Docker = render.Docker{Method: render.DockerPorts, Repositories: []render.DockerRepository{{Key: "docker-local", Port: ports.Docker[0]}}}
				s.OverrideBaseURLHeader = false
				return s
			},
		})
		for _, tc := range []struct {
			name          string
			port          int
			path          string
			upstream, uri string
		}{
			{"docker port", e.ports.Docker[0], "/v2/image/manifests/latest", "node0 artifactory", "/artifactory/api/docker/docker-local/v2/image/manifests/latest"},
			{"docker port serves artifactory", e.ports.Docker[0], "/artifactory/api/system/ping", "node0 artifactory", "/artifactory/api/system/ping"},
			{"main port docker path untouched", e.ports.HTTP, "/v2/image/manifests/latest", "node0 router", "/v2/image/manifests/latest"},
			{"ui", e.ports.HTTP, "/ui/", "node0 router", "/ui/"},
			{"artifactory", e.ports.HTTP, "/artifactory/webapp/", "node0 artifactory", "/artifactory/webapp/"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				u := proxyURL("http", e2eServerName, tc.port, tc.path)
				e.wantProxied(t, e.get(t, e.plain, u, nil), u, tc.upstream, tc.uri)
			})
		}
		t.Run("revision", func(t *testing.T) { e.wantRevision(t, "http", e.ports.HTTP, e.ports.Docker[0]) })
	})
}

// Two nodes, one of them an IPv6 literal: the snippet must bracket it.
func TestE2EIPv6Node(t *testing.T) {
	if ln, err := net.Listen("tcp", "[::1]:0"); err != nil {
		t.Skipf("no IPv6 loopback here: %v", err)
	} else {
		ln.Close()
	}
	e2eProviders(t, func(t *testing.T, p render.Provider) {
		e := startE2E(t, p, e2eScenario{
			nodes: []string{"::1", "127.0.0.1"},
			settings: func(ports e2ePorts, f *servertest.TLSFiles) render.Settings {
				s := render.Defaults()
				s.HTTP = render.HTTP{Enabled: true, Port: ports.HTTP}
				return s
			},
		})
		for _, tc := range []struct{ path, role string }{{"/ui/", "router"}, {"/artifactory/api/system/ping", "artifactory"}} {
			u := proxyURL("http", e2eServerName, e.ports.HTTP, tc.path)
			served := map[string]int{} // not Count: health checks reach the nodes too
			for range 4 {
				res := e.get(t, e.plain, u, nil)
				e.wantProxied(t, res, u, res.upstream.Upstream, tc.path)
				served[res.upstream.Upstream]++
			}
			if served[upstreamName(0, tc.role)] == 0 {
				t.Errorf("%s: the IPv6 node's %s got none of 4 requests (%v)", tc.path, tc.role, served)
			}
		}
	})
}

// Names too long for nginx's default hash buckets: a 60-character server
// name (matched by a regex in nginx) with Docker subdomains, and a long mTLS
// header. The bare name reaches the router, a subdomain its repository, and
// the verified certificate arrives under the long header.
func TestE2ELongNames(t *testing.T) {
	const name = "artifactory-eu-west-1-production.platform-team.corp.example" // 59 characters
	const header = "X-JFrog-Client-Certificate-Forwarded-By-The-Front-Proxy"
	e2eProviders(t, func(t *testing.T, p render.Provider) {
		e := startE2E(t, p, e2eScenario{
			nodes:      []string{"127.0.0.1"},
			serverName: name,
			settings: func(ports e2ePorts, f *servertest.TLSFiles) render.Settings {
				s := render.Defaults()
				s.HTTP = render.HTTP{Enabled: true, Port: ports.HTTP}
				s.HTTPS = render.HTTPS{Enabled: true, Port: ports.HTTPS, Certificate: f.Server.CertPath, Key: f.Server.KeyPath, TLSProfile: render.TLSIntermediate}
				s.Docker = render.Docker{Method: render.DockerSubdomain, Repositories: []render.DockerRepository{{Key: "docker-local"}}}
				s.MTLS = render.MTLS{Enabled: true, ClientCA: f.CA.Path, VerifyDepth: 2, Header: header}
				return s
			},
		})
		for _, tc := range []struct {
			name, host, path string
			upstream, uri    string
		}{
			{"bare name", name, "/v2/image/manifests/latest", "node0 router", "/v2/image/manifests/latest"},
			{"docker subdomain", "docker-local." + name, "/v2/image/manifests/latest",
				"node0 artifactory", "/artifactory/api/docker/docker-local/v2/image/manifests/latest"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				u := proxyURL("http", tc.host, e.ports.HTTP, tc.path)
				e.wantProxied(t, e.get(t, e.plain, u, nil), u, tc.upstream, tc.uri)
			})
		}
		t.Run("client certificate under the long header", func(t *testing.T) {
			client := e.tls.ClientCert(t, "alice")
			u := proxyURL("https", name, e.ports.HTTPS, "/artifactory/api/system/ping")
			res := e.get(t, e.client(t, client), u, http.Header{header: {"forged"}})
			e.wantProxied(t, res, u, "node0 artifactory", "/artifactory/api/system/ping")
			if v := res.upstream.Header.Values(header); len(v) != 1 || v[0] != nginxEscapedCert(pemCert(client)) {
				t.Errorf("upstream got %s %q, want the verified certificate", header, v)
			}
		})
	})
}
