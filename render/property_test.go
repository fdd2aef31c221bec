package render

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"frontdoor/internal/servertest"
	"frontdoor/internal/testenv"
)

// The property test's knobs. Without them (CI) it is fixed and cheap: seed
// 1, 1,500 generated settings, the real servers check 60 of the accepted ones,
// chosen to cover the most pairs of feature values (pairwiseOrder). Locally, e.g.
//
//	FRONTDOOR_PROPERTY_CASES=20000 FRONTDOOR_PROPERTY_SEED=random go test ./render -run TestRandomSettings
//
// checks every accepted case of 20,000 fresh ones (FRONTDOOR_PROPERTY_CHECKS
// caps the server checks; 0 means all). A failure names the seed and case.
const (
	envCases  = "FRONTDOOR_PROPERTY_CASES"
	envSeed   = "FRONTDOOR_PROPERTY_SEED"
	envChecks = "FRONTDOOR_PROPERTY_CHECKS"
)

type propertyConfig struct {
	seed   uint64
	cases  int
	checks int // 0: every accepted case
}

func readPropertyConfig(t *testing.T) propertyConfig {
	c := propertyConfig{seed: 1, cases: 1500, checks: 60}
	if testing.Short() {
		c.cases, c.checks = 300, 20
	}
	num := func(env string) (int, bool) {
		v := os.Getenv(env)
		if v == "" {
			return 0, false
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			t.Fatalf("%s=%q: want a number", env, v)
		}
		return n, true
	}
	if n, ok := num(envCases); ok {
		c.cases, c.checks = n, 0
	}
	if n, ok := num(envChecks); ok {
		c.checks = n
	}
	switch v := os.Getenv(envSeed); v {
	case "":
	case "random":
		c.seed = uint64(time.Now().UnixNano())
	default:
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: want a number or random", envSeed, v)
		}
		c.seed = n
	}
	return c
}

// fieldPath is every path a finding may name: a rejection always says which
// field to change.
var fieldPath = regexp.MustCompile(`^proxy\.(provider|serverName|nodes(\[(?P<node>\d+)\])?|artifactoryPort|routerPort|` +
	`http\.(enabled|port|redirectToHttps)|https\.(enabled|port|certificate|key|tlsProfile)|` +
	`docker\.(method|repositories(\[(?P<repo>\d+)\]\.(key|port))?)|mtls\.(enabled|clientCA|verifyDepth|header|required)|overrideBaseUrlHeader|` +
	`public(\.(scheme|port))?|caddy\.automaticHttps|kubernetes\.(namespace|name|routerService|artifactoryService|tlsSecret|clientCA|ingressClass|gatewayClass)|templates)$`)

// propCase is one generated settings value and what the cheap checks learnt.
type propCase struct {
	n       int
	s       Settings
	snippet []byte
}

func (c *propCase) describe(seed uint64) string {
	js, _ := json.Marshal(c.s)
	return fmt.Sprintf("case %d of seed %d (%s=%d):\n%s", c.n, seed, envSeed, seed, js)
}

// TestRandomSettings is the property test: settings from a generator of its
// own over the whole valid space and just outside it. For every one,
// nothing panics, every finding names a field path, and errors block
// rendering. Every accepted one (no error from any check, nothing left
// unchecked here) is loaded by the real `nginx -t`, `apache2ctl -t`,
// `haproxy -c` or `caddy validate` in a copy of the stock Debian layout,
// default site and all; the Kubernetes ones are decoded into the API types
// and checked against the CRDs.
func TestRandomSettings(t *testing.T) {
	t.Parallel()
	for _, bin := range []string{"nginx", "apache2ctl", "haproxy", "caddy"} {
		testenv.Binary(t, bin)
	}
	cfg := readPropertyConfig(t)
	files := newGenFiles(t)
	g := &gen{r: rand.New(rand.NewPCG(cfg.seed, 0x5eed)), files: files}
	now := time.Now()

	var accepted []*propCase
	stats := map[string]int{}
	for i := range cfg.cases {
		c := &propCase{n: i, s: g.settings()}
		verdict := checkCheaply(t, cfg.seed, c, now)
		stats[verdict]++
		if verdict == "accepted" {
			accepted = append(accepted, c)
		}
	}
	// Within the budget, the cases that cover the most new combinations of
	// feature values come first.
	chosen, covered, pairs := pairwiseOrder(accepted)
	if cfg.checks > 0 && len(chosen) > cfg.checks {
		chosen = chosen[:cfg.checks]
	}
	coveredByChosen := 0
	if len(chosen) > 0 {
		coveredByChosen = covered[len(chosen)-1]
	}
	failures := checkOnServers(t, cfg.seed, chosen)
	for i, f := range failures {
		if i == 10 {
			t.Errorf("... and %d more server failures", len(failures)-10)
			break
		}
		t.Errorf("accepted settings refused by %s", f)
	}
	t.Logf("seed %d: %d cases: %v; %d checked by the real servers, covering %d of the %d pairs of feature values among the accepted; %d refused",
		cfg.seed, cfg.cases, stats, len(chosen), coveredByChosen, pairs, len(failures))
}

// checkCheaply runs everything but the servers on one case and says what
// became of it: "rejected", "tomcat" (accepted, no snippet), "warned" (a
// file or node could not be checked here), "kubernetes" (accepted and
// checked here, no server) or "accepted".
func checkCheaply(t *testing.T, seed uint64, c *propCase, now time.Time) (verdict string) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("panic: %v\n%s", r, c.describe(seed))
			verdict = "panicked"
		}
	}()
	s := &c.s
	fs := Validate(s)
	ci := LoadFiles(s)
	fs = append(fs, CheckCertificates(s, ci, now)...)
	for _, f := range fs {
		m := fieldPath.FindStringSubmatch(f.Path)
		if m == nil {
			t.Errorf("finding without a field path: %s\n%s", f, c.describe(seed))
			continue
		}
		if i, err := strconv.Atoi(m[fieldPath.SubexpIndex("node")]); err == nil && i >= len(s.Nodes) {
			t.Errorf("finding about a node that does not exist: %s\n%s", f, c.describe(seed))
		}
		if i, err := strconv.Atoi(m[fieldPath.SubexpIndex("repo")]); err == nil && i >= len(s.Docker.Repositories) {
			t.Errorf("finding about a repository that does not exist: %s\n%s", f, c.describe(seed))
		}
	}
	for i, v := range RepositoryVerdicts(s, fs, ci) {
		if v.Findings.HasErrors() != (v.Mark == RowError) {
			t.Errorf("repository %d: mark %d disagrees with its findings\n%s\n%s", i, v.Mark, v.Findings, c.describe(seed))
		}
	}
	out, err := Render(s)
	var invalid *InvalidError
	switch {
	case fs.HasErrors():
		if Validate(s).HasErrors() && !errors.As(err, &invalid) {
			t.Errorf("Validate has errors, but Render returned %v\n%s", err, c.describe(seed))
		}
		return "rejected"
	case s.Provider == Tomcat:
		if !errors.Is(err, ErrNoSnippet) {
			t.Errorf("tomcat: Render returned %v, want ErrNoSnippet\n%s", err, c.describe(seed))
		}
		return "tomcat"
	case err != nil:
		t.Errorf("accepted, but Render failed: %v\n%s", err, c.describe(seed))
		return "render failed"
	}
	c.snippet = out
	if s.Provider.IsKubernetes() {
		// No server here: the API types, the CRDs and ingress-nginx's
		// rules check every accepted case.
		for _, p := range kubeProblems(t, out) {
			t.Errorf("accepted settings make manifests the cluster refuses: %s\n%s", p, c.describe(seed))
		}
		return "kubernetes"
	}
	for _, f := range fs {
		if strings.Contains(f.Message, "not checked") {
			return "warned" // a missing file fails the server: warned, on purpose
		}
	}
	if nodes := CheckNodesResolve(context.Background(), s); len(nodes) > 0 {
		return "warned"
	}
	return "accepted"
}

// checkOnServers has the real servers load every case's snippet, on as many
// workers as there are CPUs (at most 4): nginx -t and apache2ctl -t take tens
// of milliseconds each. Each worker has its own copy of the nginx layout; the
// Apache layouts (one per set of modules) are shared, each check including
// its own snippet file. Layouts are made before the workers start, on the
// test's goroutine (servertest fails the test on a broken layout). Worker w
// takes cases w, w+workers, ... It returns one description per refused case.
func checkOnServers(t *testing.T, seed uint64, cases []*propCase) []string {
	workers := min(runtime.GOMAXPROCS(0), 4, max(len(cases), 1))
	nginx := make([]*servertest.Nginx, workers)
	apache := map[string]*servertest.Apache{}
	var haproxy *servertest.HAProxy
	var caddy *servertest.Caddy
	for i, c := range cases {
		mods := strings.Join(ApacheModules(&c.s), " ")
		switch {
		case c.s.Provider == Nginx && nginx[i%workers] == nil:
			nginx[i%workers] = servertest.NewNginx(t)
		case c.s.Provider == Apache && apache[mods] == nil:
			a := servertest.NewApache(t)
			a.EnableModules(ApacheModules(&c.s)...)
			apache[mods] = a
		case c.s.Provider == HAProxy && haproxy == nil:
			haproxy = servertest.NewHAProxy(t)
		case c.s.Provider == Caddy && caddy == nil:
			caddy = servertest.NewCaddy(t)
		}
	}
	snippets := servertest.TempDir(t)
	var (
		mu       sync.Mutex
		failures []string
		wg       sync.WaitGroup
	)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(cases); i += workers {
				c := cases[i]
				var out string
				var err error
				path := filepath.Join(snippets, "worker"+strconv.Itoa(w)+goldenExt(c.s.Provider))
				switch c.s.Provider {
				case Nginx:
					n := nginx[w]
					if err = os.WriteFile(filepath.Join(n.SitesEnabled, servertest.SnippetName), c.snippet, 0o644); err == nil {
						out, err = n.Check()
					}
				case Apache:
					if err = os.WriteFile(path, c.snippet, 0o644); err == nil {
						out, err = apache[strings.Join(ApacheModules(&c.s), " ")].CheckSnippet(path)
					}
				case HAProxy:
					if err = os.WriteFile(path, c.snippet, 0o644); err == nil {
						out, err = haproxy.CheckSnippet(path)
					}
				case Caddy:
					if err = os.WriteFile(path, c.snippet, 0o644); err == nil {
						out, err = caddy.CheckSnippet(path)
					}
				}
				if err != nil {
					mu.Lock()
					failures = append(failures, fmt.Sprintf("%s: %v\n%s\n%s\nsnippet:\n%s", c.s.Provider, err, out, c.describe(seed), numbered(c.snippet)))
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return failures
}
