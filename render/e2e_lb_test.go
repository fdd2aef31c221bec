package render_test

// A load balancer in front of the proxy (proxy.public), with real servers
// only: a Docker client talks to an outer nginx that terminates TLS on a
// port of its own (a cloud load balancer, written here as plain nginx
// configuration), which sends plain HTTP to frontdoor's proxy (each
// provider's real server), which sends it on to doorcheck's Artifactory
// stand-in, whose token realm is built from X-JFrog-Override-Base-Url as
// Artifactory's is. The client (go-containerregistry) can reach the load
// balancer's port only, as on a real network: a realm or upload location
// that names the proxy's own scheme or port is a failure, as it is for
// users (jfrog/charts#1860).

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
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

// lbConf is the outer load balancer: TLS on its own port, plain HTTP to the
// proxy, the Host the client sent without its port (as load balancers on
// 443 pass it), X-Forwarded-Proto https (as cloud load balancers send it)
// and no X-Forwarded-Port.
const lbConf = `server {
    listen %[1]d ssl;
    server_name %[2]s *.%[2]s;
    ssl_certificate %[3]s;
    ssl_certificate_key %[4]s;
    client_max_body_size 0;
    proxy_request_buffering off;
    proxy_http_version 1.1;
    location / {
        proxy_pass http://127.0.0.1:%[5]d;
        proxy_set_header Host $host;
        proxy_set_header Connection "";
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
    }
}
`

// lbDoor is the proxy behind the load balancer.
type lbDoor struct {
	e      *e2e
	lbPort int
	lb     *servertest.Running
}

// startBehindLB starts the stand-in, the proxy of provider (plain HTTP,
// with public as proxy.public) and the load balancer in front of it. The
// proxy names the load balancer's port, so a port another process took
// before the load balancer bound it means starting both again.
func startBehindLB(t *testing.T, p render.Provider, method render.DockerMethod, public func(lbPort int) render.Public, art *standin.Server) *lbDoor {
	t.Helper()
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		lbPort := servertest.FreePorts(t, 1)[0]
		e := startE2E(t, p, e2eScenario{
			nodes:       []string{"127.0.0.1"},
			artifactory: art,
			settings: func(ports e2ePorts, _ *servertest.TLSFiles) render.Settings {
				s := render.Defaults()
				s.HTTP = render.HTTP{Enabled: true, Port: ports.HTTP}
				s.Docker = render.Docker{Method: method}
				if method != render.DockerNone {
					s.Docker.Repositories = []render.DockerRepository{{Key: "docker-local"}}
				}
				s.Public = public(lbPort)
				return s
			},
		})
		lb := servertest.NewNginx(t)
		lb.Install(fmt.Appendf(nil, lbConf, lbPort, e2eServerName, e.tls.Server.CertPath, e.tls.Server.KeyPath, e.ports.HTTP))
		running, err := lb.Start(lbPort)
		if err == nil {
			return &lbDoor{e: e, lbPort: lbPort, lb: running}
		}
		lastErr = err
		if !strings.Contains(err.Error(), "in use") {
			break
		}
		t.Logf("attempt %d: the load balancer's port was taken meanwhile: %v", attempt+1, err)
		_ = e.server.Stop()
	}
	t.Fatalf("load balancer: %v", lastErr)
	return nil
}

func (d *lbDoor) logs() string { return d.lb.Logs() + d.e.server.Logs() }

// clientTransport is the Docker client's network: every name resolves to
// the load balancer, and only its port answers. It records the token
// realms the registry announces.
type clientTransport struct {
	inner  *http.Transport
	mu     sync.Mutex
	realms []string
}

func newClientTransport(t *testing.T, d *lbDoor) *clientTransport {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	lb := strconv.Itoa(d.lbPort)
	ct := &clientTransport{inner: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			_, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			if port != lb {
				return nil, fmt.Errorf("dial %s: only the load balancer (port %s) is reachable from the client's network", addr, lb)
			}
			return dialer.DialContext(ctx, network, net.JoinHostPort("127.0.0.1", port))
		},
		TLSClientConfig: &tls.Config{RootCAs: d.e.tls.CA.Pool()},
	}}
	t.Cleanup(ct.inner.CloseIdleConnections)
	return ct
}

func (ct *clientTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := ct.inner.RoundTrip(req)
	if err == nil {
		for _, h := range resp.Header.Values("WWW-Authenticate") {
			if _, rest, ok := strings.Cut(h, `realm="`); ok {
				realm, _, _ := strings.Cut(rest, `"`)
				ct.mu.Lock()
				ct.realms = append(ct.realms, realm)
				ct.mu.Unlock()
			}
		}
	}
	return resp, err
}

func (ct *clientTransport) realm(t *testing.T) *url.URL {
	t.Helper()
	ct.mu.Lock()
	defer ct.mu.Unlock()
	if len(ct.realms) == 0 {
		t.Fatal("the registry announced no token realm")
	}
	u, err := url.Parse(ct.realms[0])
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// imageRef is the image as a Docker client names it, at the load balancer.
func imageRef(method render.DockerMethod, lbPort int) string {
	host := e2eServerName + ":" + strconv.Itoa(lbPort)
	if method == render.DockerSubdomain {
		return "docker-local." + host + "/team/app:1.0"
	}
	return host + "/docker-local/team/app:1.0"
}

// pushPull pushes a random image through the load balancer and pulls it
// back; err is the first failure.
func pushPull(t *testing.T, ct *clientTransport, ref string) error {
	t.Helper()
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	img, err := random.Image(64<<10, 2)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a bound for a hung proxy
	defer cancel()
	opts := []remote.Option{remote.WithTransport(ct), remote.WithContext(ctx),
		remote.WithAuth(&authn.Basic{Username: registryUser, Password: registryPassword})}
	if err := remote.Write(r, img, opts...); err != nil {
		return fmt.Errorf("push %s: %w", ref, err)
	}
	pulled, err := remote.Image(r, opts...)
	if err != nil {
		return fmt.Errorf("pull %s: %w", ref, err)
	}
	want, _ := img.Digest()
	if got, err := pulled.Digest(); err != nil || got != want {
		return fmt.Errorf("pulled %s as %v (%v), pushed %v", ref, got, err, want)
	}
	layers, err := pulled.Layers()
	if err != nil {
		return err
	}
	for _, l := range layers {
		rc, err := l.Compressed() // reading checks the bytes against the digest
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("layer of %s: %w", ref, err)
		}
	}
	return nil
}

// TestE2ELoadBalancer: with proxy.public, a real registry client pushes and
// pulls through a TLS load balancer in front of each provider's real
// server, the realm naming https and the load balancer's port, and / sends
// browsers to /ui/ on the load balancer too. Without it, the same topology
// fails: the realm names http, or https (from the load balancer's
// X-Forwarded-Proto) with the proxy's own port, which the client cannot
// reach.
func TestE2ELoadBalancer(t *testing.T) {
	tlsLB := func(lbPort int) render.Public { return render.Public{Scheme: "https", Port: lbPort} }
	none := func(int) render.Public { return render.Public{} }
	e2eProviders(t, func(t *testing.T, p render.Provider) {
		for _, method := range []render.DockerMethod{render.DockerSubdomain, render.DockerRepositoryPath} {
			t.Run(string(method), func(t *testing.T) {
				art := standin.New(standin.Config{Keys: []string{"docker-local"}, User: registryUser, Password: registryPassword})
				d := startBehindLB(t, p, method, tlsLB, art)
				ct := newClientTransport(t, d)
				if err := pushPull(t, ct, imageRef(method, d.lbPort)); err != nil {
					t.Fatalf("%v\n%s", err, d.logs())
				}
				realm := ct.realm(t)
				if realm.Scheme != "https" || realm.Port() != strconv.Itoa(d.lbPort) {
					t.Errorf("realm %s: want https and the load balancer's port %d", realm, d.lbPort)
				}
				if art.Hits("/artifactory/api/docker/") == 0 {
					t.Error("no Docker request reached Artifactory")
				}
				checkUIRedirectBehindLB(t, d, ct)
			})
		}
		t.Run("without proxy.public", func(t *testing.T) {
			art := standin.New(standin.Config{Keys: []string{"docker-local"}, User: registryUser, Password: registryPassword})
			d := startBehindLB(t, p, render.DockerSubdomain, none, art)
			ct := newClientTransport(t, d)
			err := pushPull(t, ct, imageRef(render.DockerSubdomain, d.lbPort))
			if err == nil {
				t.Fatal("pushed through the load balancer without proxy.public: the topology no longer shows the problem")
			}
			realm := ct.realm(t)
			if realm.Scheme == "https" && realm.Port() == strconv.Itoa(d.lbPort) {
				t.Errorf("realm %s: the load balancer's own without proxy.public", realm)
			}
			t.Logf("without proxy.public: realm %s; the client: %v", realm, err)
		})
	})
}

// checkUIRedirectBehindLB: / on the load balancer redirects to /ui/ on the
// load balancer, not to the proxy's own scheme and port.
func checkUIRedirectBehindLB(t *testing.T, d *lbDoor, ct *clientTransport) {
	t.Helper()
	c := &http.Client{Transport: ct, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	base := "https://" + e2eServerName + ":" + strconv.Itoa(d.lbPort) + "/"
	resp, err := c.Get(base)
	if err != nil {
		t.Fatalf("GET %s: %v", base, err)
	}
	resp.Body.Close()
	u, _ := url.Parse(base)
	loc, err := u.Parse(resp.Header.Get("Location"))
	if resp.StatusCode/100 != 3 || err != nil || loc.String() != base+"ui/" {
		t.Errorf("GET %s: %d to %q, want a redirect to %sui/\n%s", base, resp.StatusCode, resp.Header.Get("Location"), base, d.logs())
	}
}

// TestE2ELoadBalancerHeaders: behind the load balancer, what reaches
// Artifactory (a recording upstream) names the load balancer's scheme and
// port in X-Forwarded-Proto, X-Forwarded-Port and the base-URL header,
// whatever the proxy listens on and whatever scheme the load balancer
// reports, for the router's and Artifactory's paths alike.
func TestE2ELoadBalancerHeaders(t *testing.T) {
	e2eProviders(t, func(t *testing.T, p render.Provider) {
		d := startBehindLB(t, p, render.DockerNone, func(lbPort int) render.Public { return render.Public{Scheme: "https", Port: lbPort} }, nil)
		c := &http.Client{Transport: newClientTransport(t, d), Timeout: time.Minute}
		lb := strconv.Itoa(d.lbPort)
		for _, path := range []string{"/ui/", "/artifactory/api/system/ping"} {
			rawURL := "https://" + e2eServerName + ":" + lb + path
			res := d.e.get(t, c, rawURL, nil)
			if res.err != nil || res.status != http.StatusOK || !res.reached {
				t.Fatalf("GET %s: %v %d, reached %v\n%s", rawURL, res.err, res.status, res.reached, d.logs())
			}
			for k, want := range map[string]string{
				"X-Forwarded-Proto":         "https",
				"X-Forwarded-Port":          lb,
				"X-Jfrog-Override-Base-Url": "https://" + e2eServerName + ":" + lb,
			} {
				if v := res.upstream.Header.Values(k); len(v) != 1 || v[0] != want {
					t.Errorf("GET %s: upstream got %s %q, want %q", rawURL, k, v, want)
				}
			}
		}
	})
}
