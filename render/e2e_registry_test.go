package render_test

// A real Docker registry client (go-containerregistry) pushes an image
// through each server and pulls it back, once per Docker method, to the
// Artifactory stand-in of doorcheck/standin: a real registry behind
// Artifactory's URL layout and token flow (401 with a realm built from
// X-JFrog-Override-Base-Url, a token for Basic credentials). It proves what
// the routing tables cannot: a client follows the realm, the token
// endpoint, the upload locations and the manifests through the proxy.

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"frontdoor/doorcheck/standin"
	"frontdoor/internal/servertest"
	"frontdoor/render"
)

const (
	registryUser     = "deployer"
	registryPassword = "s3cret-for-tests"
)

func TestE2ERegistryPushPull(t *testing.T) {
	methods := []struct {
		method render.DockerMethod
		ref    func(ports e2ePorts) string // the image as a Docker client names it
	}{
		{render.DockerSubdomain, func(p e2ePorts) string {
			return "docker-local." + e2eServerName + ":" + strconv.Itoa(p.HTTPS) + "/team/app:1.0"
		}},
		{render.DockerPorts, func(p e2ePorts) string { return e2eServerName + ":" + strconv.Itoa(p.Docker[0]) + "/team/app:1.0" }},
		{render.DockerRepositoryPath, func(p e2ePorts) string {
			return e2eServerName + ":" + strconv.Itoa(p.HTTPS) + "/docker-local/team/app:1.0"
		}},
	}
	e2eProviders(t, func(t *testing.T, p render.Provider) {
		for _, m := range methods {
			t.Run(string(m.method), func(t *testing.T) {
				art := standin.New(standin.Config{Keys: []string{"docker-local"}, User: registryUser, Password: registryPassword})
				e := startE2E(t, p, e2eScenario{
					nodes:       []string{"127.0.0.1"},
					docker:      1,
					artifactory: art,
					settings: func(ports e2ePorts, f *servertest.TLSFiles) render.Settings {
						s := render.Defaults()
						s.HTTP = render.HTTP{Enabled: false, Port: ports.HTTP}
						s.HTTPS = render.HTTPS{Enabled: true, Port: ports.HTTPS, Certificate: f.Server.CertPath, Key: f.Server.KeyPath, TLSProfile: render.TLSIntermediate}
						s.Docker = render.Docker{Method: m.method, Repositories: []render.DockerRepository{{Key: "docker-local"}}}
						if m.method == render.DockerPorts {
							s.Docker.Repositories[0].Port = ports.Docker[0]
						}
						return s
					},
				})
				ref, err := name.ParseReference(m.ref(e.ports))
				if err != nil {
					t.Fatal(err)
				}
				img, err := random.Image(64<<10, 2)
				if err != nil {
					t.Fatal(err)
				}
				opts := []remote.Option{
					remote.WithTransport(e.registryTransport(t)),
					remote.WithAuth(&authn.Basic{Username: registryUser, Password: registryPassword}),
				}
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a bound for a hung proxy
				defer cancel()
				opts = append(opts, remote.WithContext(ctx))
				if err := remote.Write(ref, img, opts...); err != nil {
					t.Fatalf("push %s: %v\n%s", ref, err, e.server.Logs())
				}
				pulled, err := remote.Image(ref, opts...)
				if err != nil {
					t.Fatalf("pull %s: %v\n%s", ref, err, e.server.Logs())
				}
				want, _ := img.Digest()
				got, err := pulled.Digest()
				if err != nil || got != want {
					t.Fatalf("pulled %s as %v (%v), pushed %v", ref, got, err, want)
				}
				// The Docker API reached Artifactory under its own path, rewritten
				// by the proxy; none went to the router unrewritten.
				if art.Hits("/artifactory/api/docker/") == 0 || art.Hits("/v2/") != 0 {
					t.Errorf("requests to /artifactory/api/docker/: %d, to the router's /v2/: %d", art.Hits("/artifactory/api/docker/"), art.Hits("/v2/"))
				}
				layers, err := pulled.Layers()
				if err != nil {
					t.Fatal(err)
				}
				for _, l := range layers {
					// Reading a layer checks its bytes against its digest.
					rc, err := l.Compressed()
					if err != nil {
						t.Fatalf("layer: %v", err)
					}
					_, err = io.Copy(io.Discard, rc)
					rc.Close()
					if err != nil {
						t.Errorf("layer of %s: %v", ref, err)
					}
				}
			})
		}
	})
}

// registryTransport dials 127.0.0.1 for every name and trusts the test CA.
func (e *e2e) registryTransport(t *testing.T) http.RoundTripper {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			_, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			return dialer.DialContext(ctx, network, net.JoinHostPort("127.0.0.1", port))
		},
		TLSClientConfig: &tls.Config{RootCAs: e.tls.CA.Pool()},
	}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}
