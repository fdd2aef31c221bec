package importer

// Behaviour kept: each fixture runs in the real server, then the
// configuration frontdoor renders from its import does, on the same ports in
// front of the same recording upstreams; the request table of render's
// end-to-end tests must get the same answers (the upstream and path reached,
// the key headers, redirects), except where the report explains a change
// (the Artifactory 6 → 7 migration, frontdoor's Docker rewrites).

import (
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"frontdoor/importer/semantic"
	"frontdoor/internal/servertest"
	"frontdoor/render"
)

// probe is one request of the table.
type probe struct {
	name, scheme, host string
	port               int
	path               string
}

func (p probe) url() string {
	return p.scheme + "://" + net.JoinHostPort(p.host, strconv.Itoa(p.port)) + p.path
}

// outcome is what a request got, in the terms compared.
type outcome struct {
	Err      string
	Status   int
	Location string
	Upstream string // "router" or "artifactory" (any node)
	URI      string
	Headers  string // the key headers upstream, "Name: value" lines
}

func (o outcome) String() string {
	if o.Err != "" {
		return "error " + o.Err
	}
	s := fmt.Sprintf("%d", o.Status)
	if o.Location != "" {
		s += " to " + o.Location
	}
	if o.Upstream != "" {
		s += fmt.Sprintf(", %s got %s with %s", o.Upstream, o.URI, o.Headers)
	}
	return s
}

// keyHeaders are the headers Artifactory builds its URLs from.
var keyHeaders = []string{"Host", "X-Forwarded-Proto", "X-Forwarded-Port"}

func (f fixture) probes(v fixtureValues) []probe {
	var out []probe
	add := func(name, scheme, host string, port int, path string) {
		out = append(out, probe{name: name, scheme: scheme, host: host, port: port, path: path})
	}
	for _, scheme := range f.serves {
		port := v.HTTP
		if scheme == "https" {
			port = v.HTTPS
		}
		add("ui", scheme, v.Name, port, "/ui/")
		add("platform api", scheme, v.Name, port, "/access/api/v1/system/ping")
		add("artifactory api", scheme, v.Name, port, "/artifactory/api/system/ping?verbose=1")
		add("encoded slash kept", scheme, v.Name, port, "/artifactory/api/npm/npm/@scope%2fpkg")
		add("redirect /", scheme, v.Name, port, "/")
		add("redirect /ui", scheme, v.Name, port, "/ui")
		switch f.method {
		case "subdomain":
			add("docker manifest", scheme, "docker-local."+v.Name, port, "/v2/image/manifests/latest")
			add("docker second repository ping", scheme, "docker-remote."+v.Name, port, "/v2/")
			add("docker bare name", scheme, v.Name, port, "/v2/image/manifests/latest")
		case "path":
			add("docker manifest", scheme, v.Name, port, "/v2/docker-local/image/manifests/latest")
		}
	}
	if f.redirects {
		add("http redirects", "http", v.Name, v.HTTP, "/artifactory/api/system/ping?a=b")
		add("http redirects /", "http", v.Name, v.HTTP, "/")
	}
	for i, p := range v.Docker {
		add("docker port "+dockerKeys[i], "https", v.Name, p, "/v2/image/manifests/latest")
		add("docker port "+dockerKeys[i]+" artifactory", "https", v.Name, p, "/artifactory/api/system/ping")
	}
	return out
}

// listenPorts are the ports the fixture's server listens on.
func (f fixture) listenPorts(v fixtureValues) []int {
	var ports []int
	if slices.Contains(f.serves, "http") || f.redirects {
		ports = append(ports, v.HTTP)
	}
	if slices.Contains(f.serves, "https") {
		ports = append(ports, v.HTTPS)
	}
	return append(ports, v.Docker...)
}

func TestBehaviourKept(t *testing.T) {
	t.Parallel() // real servers, each fixture's own, on free ports
	for _, f := range fixtures {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			behaviourKept(t, f)
		})
	}
}

func behaviourKept(t *testing.T, f fixture) {
	dir := fixtureDir(t)
	const name = "artifactory.test"
	pki := servertest.NewTLSFiles(t, name)
	clientCert := pki.ClientCert(t, "alice").TLSCertificate()
	nodes := []string{"127.0.0.1"}
	if f.nodes == 2 {
		nodes = []string{"127.0.0.2", "127.0.0.3"}
	}
	rec := servertest.NewRecorder(t)
	router, direct := listenSame(t, rec, "router", nodes), listenSame(t, rec, "artifactory", nodes)
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		ports := servertest.FreePorts(t, 2+f.docker)
		v := fixtureValues{
			Name: name, HTTP: ports[0], HTTPS: ports[1], Docker: ports[2:], Nodes: nodes, Router: router, Artifactory: direct,
			Cert: pki.Server.CertPath, Key: pki.Server.KeyPath, ClientCA: pki.CA.Path, LogDir: dir,
		}
		path := writeFixture(t, dir, f.name, v)
		res, err := Import([]string{path}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		snippet, err := render.Render(&res.Settings)
		if err != nil {
			t.Fatalf("the imported settings do not render: %v", err)
		}
		old, err := startServer(t, f.provider, renderFixture(t, f.name, v), f.listenPorts(v))
		if err != nil {
			if lastErr = err; strings.Contains(err.Error(), "in use") {
				continue // a port was taken meanwhile: pick new ones
			}
			t.Fatalf("the original configuration: %v", err)
		}
		var cert = &clientCert
		if !f.mtls {
			cert = nil
		}
		c := servertest.Client(t, pki.CA.Pool(), cert)
		probes := f.probes(v)
		before := make([]outcome, len(probes))
		for i, p := range probes {
			before[i] = send(t, c, rec, p)
		}
		if err := old.Stop(); err != nil {
			t.Fatalf("stopping the original configuration's server: %v", err)
		}
		renewed, err := startServer(t, f.provider, snippet, f.listenPorts(v))
		if err != nil {
			t.Fatalf("the configuration rendered from the import: %v\n%s", err, snippet)
		}
		c = servertest.Client(t, pki.CA.Pool(), cert)
		for i, p := range probes {
			after := send(t, c, rec, p)
			if after == before[i] {
				continue
			}
			if why := f.explained(p.name, res.Changes); why != "" {
				t.Logf("%s %s: %s\n    was %s\n    now %s", p.name, p.url(), why, before[i], after)
				continue
			}
			t.Errorf("%s %s behaves differently, and the report explains no change of it:\n    was %s\n    now %s\nreport:\n%s\nlogs:\n%s",
				p.name, p.url(), before[i], after, changesText(res.Changes), renewed.Logs())
		}
		return
	}
	t.Fatal(lastErr)
}

// explained returns the first change of an allowed aspect the report
// explains, "" when there is none.
func (f fixture) explained(probe string, changes []semantic.Change) string {
	aspects := append(slices.Clone(f.allowed["*"]), f.allowed[probe]...)
	if probe == "redirect /" || probe == "redirect /ui" {
		aspects = append(aspects, semantic.Redirects) // frontdoor sends / and /ui to the UI at /ui/
	}
	if strings.HasPrefix(probe, "http redirects") {
		aspects = append(aspects, semantic.Listeners) // frontdoor redirects with 308, to the name the client used
	}
	for _, c := range changes {
		if c.Why != "" && slices.Contains(aspects, c.Aspect) {
			return "intended, the report says: " + c.String()
		}
	}
	return ""
}

// requestIDs numbers the probes; the fixtures run in parallel.
var requestIDs atomic.Int64

func send(t *testing.T, c *http.Client, rec *servertest.Recorder, p probe) outcome {
	t.Helper()
	id := fmt.Sprintf("%s-%d", t.Name(), requestIDs.Add(1))
	req, err := http.NewRequest(http.MethodGet, p.url(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(servertest.RequestIDHeader, id)
	resp, err := c.Do(req)
	if err != nil {
		return outcome{Err: err.Error()}
	}
	resp.Body.Close()
	o := outcome{Status: resp.StatusCode, Location: resp.Header.Get("Location")}
	if got, ok := rec.Lookup(id); ok {
		_, role, _ := strings.Cut(got.Upstream, " ")
		o.Upstream, o.URI = role, got.RequestURI
		var hs []string
		for _, h := range keyHeaders {
			v := got.Header.Get(h)
			if h == "Host" {
				v = got.Host
			}
			hs = append(hs, h+": "+v)
		}
		for _, h := range overrideHeaders {
			if v := got.Header.Get(h); v != "" {
				hs = append(hs, "base URL: "+v)
			}
		}
		o.Headers = strings.Join(hs, ", ")
	}
	return o
}
