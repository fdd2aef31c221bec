package importer

// The round trip as a property: settings drawn at random from the valid
// space of the providers the importer reads render, import and render
// again to the same bytes. render's property test has a generator of its
// own (package render, unexported, over every provider and the edges just
// outside the valid space); this one draws only valid nginx and Apache
// settings, the importer's input.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"frontdoor/render"
)

// roundTripCases bounds the test: it stays well under two seconds.
const roundTripCases = 200

type validGen struct{ r *rand.Rand }

func (g validGen) chance(p float64) bool { return g.r.Float64() < p }

func pickOne[T any](g validGen, vs ...T) T { return vs[g.r.IntN(len(vs))] }

// node is an address (no name lookups: the import validates the
// settings as save does, which looks names up).
func (g validGen) node() string {
	switch g.r.IntN(4) {
	case 0:
		return fmt.Sprintf("10.%d.%d.%d", g.r.IntN(256), g.r.IntN(256), 1+g.r.IntN(254))
	case 1:
		return fmt.Sprintf("192.168.%d.%d", g.r.IntN(256), 1+g.r.IntN(254))
	case 2:
		return pickOne(g, "fd00::12", "2001:db8::10", "::1")
	}
	return fmt.Sprintf("127.0.%d.%d", g.r.IntN(256), 1+g.r.IntN(254))
}

func (g validGen) settings() render.Settings {
	s := render.Defaults()
	s.Provider = pickOne(g, render.Nginx, render.Apache)
	s.ServerName = pickOne(g, "artifactory.example.com", "repo.corp.example.org", "a.example.net", "artifactory-prod.internal.example.com")
	seen := map[string]bool{}
	s.Nodes = nil
	for n := 1 + g.r.IntN(3); len(s.Nodes) < n; {
		if node := g.node(); !seen[node] {
			seen[node] = true
			s.Nodes = append(s.Nodes, node)
		}
	}
	if g.chance(0.2) {
		s.ArtifactoryPort, s.RouterPort = pickOne(g, 18081, 9081), pickOne(g, 18082, 9082)
	}
	s.HTTP = render.HTTP{Enabled: g.chance(0.8), Port: pickOne(g, 80, 8080)}
	s.HTTPS = render.HTTPS{Enabled: g.chance(0.7), Port: pickOne(g, 443, 8443),
		Certificate: "/etc/ssl/certs/artifactory.pem", Key: "/etc/ssl/private/artifactory.key",
		TLSProfile: pickOne(g, render.TLSIntermediate, render.TLSModern)}
	if !s.HTTP.Enabled && !s.HTTPS.Enabled {
		s.HTTP.Enabled = true
	}
	s.HTTP.RedirectToHTTPS = s.HTTP.Enabled && s.HTTPS.Enabled && g.chance(0.5)
	s.Docker = render.Docker{Method: pickOne(g, render.DockerSubdomain, render.DockerPorts, render.DockerRepositoryPath, render.DockerNone)}
	if s.Docker.Method != render.DockerNone {
		keys := []string{"docker-local", "docker-remote", "docker", "dockerhub", "images"}
		for i := range 1 + g.r.IntN(4) {
			repo := render.DockerRepository{Key: keys[i]}
			if s.Docker.Method == render.DockerPorts {
				repo.Port = 5001 + i
			}
			s.Docker.Repositories = append(s.Docker.Repositories, repo)
		}
	}
	if s.HTTPS.Enabled && g.chance(0.4) {
		s.MTLS = render.MTLS{Enabled: true, ClientCA: render.DefaultClientCA(s.Provider), VerifyDepth: 1 + g.r.IntN(5),
			Header: pickOne(g, "X-JFrog-Client-Cert", "X-Client-Cert"), Required: g.chance(0.5)}
	}
	s.OverrideBaseURLHeader = g.chance(0.7)
	if g.chance(0.2) {
		s.Public = pickOne(g, render.Public{Scheme: "https", Port: 443}, render.Public{Scheme: "https"}, render.Public{Port: 8443})
	}
	return s
}

// TestRoundTripRandomSettings: render → import → render is byte-identical
// for valid settings drawn at random (a fixed seed: the same cases every
// run), nginx and Apache.
func TestRoundTripRandomSettings(t *testing.T) {
	g := validGen{r: rand.New(rand.NewPCG(7, 0x1d0c))}
	dir := t.TempDir()
	tried := map[render.Provider]int{}
	for i := range roundTripCases {
		s := g.settings()
		if render.Validate(&s).HasErrors() {
			continue // public port combinations the rules refuse; the rest are covered
		}
		want, err := render.Render(&s)
		if err != nil {
			t.Fatalf("case %d: render: %v", i, err)
		}
		tried[s.Provider]++
		path := filepath.Join(dir, fmt.Sprintf("case%d-%s.conf", i, s.Provider))
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := Import([]string{path}, Options{})
		if err != nil {
			t.Fatalf("case %d: import: %v\n%s", i, err, settingsJSON(s))
		}
		got, err := render.Render(&res.Settings)
		if err != nil {
			t.Fatalf("case %d: render of the imported settings: %v\n%s", i, err, settingsJSON(s))
		}
		if !bytes.Equal(got, want) {
			t.Errorf("case %d: render → import → render differs:\n%s\nsettings %s\nimported %s", i, firstDiff(string(want), string(got)), settingsJSON(s), settingsJSON(res.Settings))
		}
		if !res.Complete() || len(res.Changes) > 0 {
			t.Errorf("case %d: frontdoor's own snippet is not mapped whole:\n%s%s\nsettings %s", i, itemsText(res.Unmapped), changesText(res.Changes), settingsJSON(s))
		}
	}
	t.Logf("valid cases: %v", tried)
	if tried[render.Nginx] < roundTripCases/4 || tried[render.Apache] < roundTripCases/4 {
		t.Errorf("too few valid cases: %v", tried)
	}
}

func settingsJSON(s render.Settings) string {
	js, _ := json.Marshal(s)
	return string(js)
}
