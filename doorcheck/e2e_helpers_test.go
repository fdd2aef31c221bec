package doorcheck_test

// Helpers for the end-to-end tests: a real nginx or Apache, running
// frontdoor's snippet (render.Render), in front of the Artifactory stand-in.

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"frontdoor/doorcheck"
	"frontdoor/doorcheck/standin"
	"frontdoor/internal/servertest"
	"frontdoor/render"
)

const (
	serverName = "artifactory.test"
	testUser   = "alice"
	testPass   = "s3cret-pass"
)

// scenario is one door to start.
type scenario struct {
	provider render.Provider
	method   render.DockerMethod
	keys     []string
	noHTTP   bool // HTTPS only
	// edit changes the rendered snippet before the server loads it: the
	// hand edit that breaks the door. It must change something.
	edit func(t testing.TB, snippet string) string
	// cert issues the certificate the door serves (default: the test CA's
	// for serverName, *.serverName, localhost and 127.0.0.1).
	cert func(t testing.TB, f *servertest.TLSFiles) *servertest.KeyPair
	// settings changes the settings before rendering.
	settings func(s *render.Settings)
	// keepBytes is the stand-in's Config.KeepBytes.
	keepBytes int64
	// skipPortsFn, after edit, names ports the settings have but the server
	// does not open (a listener the edit removed).
	skipPortsFn func() []int
}

// door is one running web server in front of a stand-in.
type door struct {
	settings render.Settings
	tls      *servertest.TLSFiles
	art      *standin.Server
	server   *servertest.Running
	nginx    *servertest.Nginx // nginx's layout, for a reload (nil for Apache)
	ports    []int             // the web server's
}

// replace is an edit that replaces old with new, and fails the test when
// the snippet has no old (the template changed: the test would prove
// nothing).
func replace(old, new string) func(t testing.TB, snippet string) string {
	return func(t testing.TB, snippet string) string {
		t.Helper()
		if !strings.Contains(snippet, old) {
			t.Fatalf("the snippet has no %q to replace:\n%s", old, snippet)
		}
		return strings.ReplaceAll(snippet, old, new)
	}
}

// edits chains edits.
func edits(fns ...func(t testing.TB, snippet string) string) func(t testing.TB, snippet string) string {
	return func(t testing.TB, snippet string) string {
		for _, fn := range fns {
			snippet = fn(t, snippet)
		}
		return snippet
	}
}

func startDoor(t testing.TB, sc scenario) *door {
	t.Helper()
	if sc.provider == "" {
		sc.provider = render.Nginx
	}
	if sc.method == "" {
		sc.method = render.DockerSubdomain
	}
	if sc.keys == nil {
		sc.keys = []string{"docker-local", "docker-remote"}
	}
	tlsFiles := servertest.NewTLSFiles(t, serverName)
	kp := tlsFiles.Server
	if sc.cert != nil {
		kp = sc.cert(t, tlsFiles)
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		art := standin.New(standin.Config{Keys: sc.keys, User: testUser, Password: testPass, KeepBytes: sc.keepBytes})
		artAddr, routerAddr := art.Start(t, "", "")
		d := &door{tls: tlsFiles, art: art}
		ports := servertest.FreePorts(t, 2+len(sc.keys))
		s := render.Defaults()
		s.Provider = sc.provider
		s.ServerName = serverName
		s.Nodes = []string{"127.0.0.1"}
		s.ArtifactoryPort, s.RouterPort = portOf(t, artAddr), portOf(t, routerAddr)
		s.HTTP = render.HTTP{Enabled: !sc.noHTTP, Port: ports[0], RedirectToHTTPS: true}
		s.HTTPS = render.HTTPS{Enabled: true, Port: ports[1], Certificate: kp.CertPath, Key: kp.KeyPath, TLSProfile: render.TLSIntermediate}
		s.Docker.Method = sc.method
		for i, k := range sc.keys {
			r := render.DockerRepository{Key: k}
			if sc.method == render.DockerPorts {
				r.Port = ports[2+i]
			}
			s.Docker.Repositories = append(s.Docker.Repositories, r)
		}
		if sc.settings != nil {
			sc.settings(&s)
		}
		d.settings = s
		out, err := render.Render(&s)
		if err != nil {
			t.Fatalf("render: %v", err)
		}
		snippet := string(out)
		if sc.edit != nil {
			snippet = sc.edit(t, snippet)
		}
		var skip []int
		if sc.skipPortsFn != nil {
			skip = sc.skipPortsFn()
		}
		for _, p := range listenPorts(&s) {
			if !slices.Contains(skip, p) {
				d.ports = append(d.ports, p)
			}
		}
		d.server, d.nginx, lastErr = startServer(t, &s, []byte(snippet), d.ports)
		if lastErr == nil {
			return d
		}
		art.Stop()
		if !strings.Contains(lastErr.Error(), "in use") {
			break
		}
		t.Logf("attempt %d: a port was taken meanwhile: %v", attempt+1, lastErr)
	}
	t.Fatal(lastErr)
	return nil
}

func startServer(t testing.TB, s *render.Settings, snippet []byte, ports []int) (*servertest.Running, *servertest.Nginx, error) {
	t.Helper()
	switch s.Provider {
	case render.Nginx:
		n := servertest.NewNginx(t)
		n.Install(snippet)
		r, err := n.Start(ports...)
		return r, n, err
	case render.Apache:
		a := servertest.NewApache(t)
		a.EnableModules(render.ApacheModules(s)...)
		a.Install(snippet)
		r, err := a.Start(ports...)
		return r, nil, err
	}
	t.Fatalf("no server for %s", s.Provider)
	return nil, nil, nil
}

func listenPorts(s *render.Settings) []int {
	var ports []int
	if s.HTTP.Enabled {
		ports = append(ports, s.HTTP.Port)
	}
	if s.HTTPS.Enabled {
		ports = append(ports, s.HTTPS.Port)
	}
	if s.Docker.Method == render.DockerPorts {
		for _, r := range s.Docker.Repositories {
			ports = append(ports, r.Port)
		}
	}
	return ports
}

func portOf(t testing.TB, addr string) int {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(p)
	return n
}

// options are what `frontdoor check --resolve NAME:127.0.0.1 --resolve
// '*.NAME:127.0.0.1' --ca CA --user alice` would pass.
func (d *door) options() doorcheck.Options {
	return doorcheck.Options{
		Timeout: 10 * time.Second, // a bound for a hung server, not an assertion
		Resolve: []doorcheck.Resolve{
			mustResolve(serverName + ":127.0.0.1"),
			mustResolve("*." + serverName + ":127.0.0.1"),
		},
		Roots:    d.tls.CA.Pool(),
		User:     testUser,
		Password: testPass,
		// A loopback door answers in milliseconds: this bounds the
		// streaming probe's wait (and what a door that never answers early,
		// Apache, costs each test).
		StreamingWait: 1500 * time.Millisecond,
	}
}

func mustResolve(s string) doorcheck.Resolve {
	r, err := doorcheck.ParseResolve(s)
	if err != nil {
		panic(err)
	}
	return r
}

// check runs the check of the door's settings, logging each step.
func (d *door) check(t testing.TB, opt doorcheck.Options) doorcheck.Result {
	t.Helper()
	plan, err := doorcheck.FromSettings(&d.settings, "test")
	if err != nil {
		t.Fatal(err)
	}
	return runLogged(t, plan, opt)
}

// checkURL runs the check of the door's HTTPS URL alone, without its
// settings (frontdoor check https://NAME:PORT).
func (d *door) checkURL(t testing.TB, opt doorcheck.Options) doorcheck.Result {
	t.Helper()
	plan, err := doorcheck.FromURL("https://"+net.JoinHostPort(serverName, strconv.Itoa(d.settings.HTTPS.Port)), nil)
	if err != nil {
		t.Fatal(err)
	}
	return runLogged(t, plan, opt)
}

func runLogged(t testing.TB, plan doorcheck.Plan, opt doorcheck.Options) doorcheck.Result {
	t.Helper()
	return doorcheck.Run(context.Background(), plan, opt, func(st doorcheck.Step) {
		t.Logf("%s %s: %s", st.Status.Symbol(), st.Name, st.Detail)
		if st.Cause != "" {
			t.Logf("    cause: %s", st.Cause)
		}
	})
}

// failedWith finds the failed (or warned) step of reason, and checks that it
// names a cause and a fix that mentions want.
func failedWith(t *testing.T, res doorcheck.Result, status doorcheck.Status, reason doorcheck.Reason, want string) doorcheck.Step {
	t.Helper()
	for _, st := range res.Steps {
		if st.Status == status && st.Reason == reason && st.Kind != doorcheck.KindSummary {
			fix := fmt.Sprintf("%s | %s | %s | %s", st.Fix.Nginx, st.Fix.Apache, st.Fix.Setting, st.Fix.Action)
			if st.Cause == "" || st.Fix.IsZero() {
				t.Errorf("%s: no cause or no fix: %+v", st.Name, st)
			}
			if !strings.Contains(fix, want) {
				t.Errorf("%s: the fix does not name %q: %s", st.Name, want, fix)
			}
			return st
		}
	}
	t.Fatalf("no step with status %s and reason %s", status, reason)
	return doorcheck.Step{}
}

// summaryRepeatsFailure requires the summary of a failed run to carry the
// first failure's cause and fix as that step had them (its port, its
// repository: never the PORT and KEY of a fix without a door), in the
// steps and in the JSON `frontdoor check --json` prints.
func summaryRepeatsFailure(t *testing.T, res doorcheck.Result) {
	t.Helper()
	first := res.FirstFailure
	sum, ok := res.Last(doorcheck.KindSummary)
	if first == nil || !ok {
		t.Fatalf("no first failure (%v) or no summary (%v)", first, ok)
	}
	if sum.Status != doorcheck.StatusFail || sum.Cause != first.Cause || sum.Fix != first.Fix {
		t.Errorf("the summary does not repeat the first failure's cause and fix:\nsummary: %+v\nfailure: %+v", sum, *first)
	}
	fixJSON := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var s struct {
			Cause string          `json:"cause"`
			Fix   json.RawMessage `json:"fix"`
		}
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		return s.Cause + " " + string(s.Fix)
	}
	if got, want := fixJSON(sum), fixJSON(first); got != want || !strings.Contains(got, `"`) {
		t.Errorf("--json: the summary's cause and fix\n%s\nwant the failed step's\n%s", got, want)
	}
}
