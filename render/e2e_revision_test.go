package render_test

import (
	"net/http"
	"testing"

	"frontdoor/render"
)

// wantRevision: every door of the running server answers the snippet's
// revision at render.RevisionPath, to this machine (the client connects
// from 127.0.0.1), and nothing of it reaches Artifactory. That other
// addresses are denied cannot be seen from loopback: the structure tests
// assert the directives (TestRevisionMarkerStructure).
func (e *e2e) wantRevision(t *testing.T, scheme string, ports ...int) {
	t.Helper()
	snippet, err := render.Render(&e.settings)
	if err != nil {
		t.Fatal(err)
	}
	want := render.Revision(snippet)
	if want == "" {
		t.Fatalf("%s: no revision in the snippet", e.provider)
	}
	for _, port := range ports {
		u := proxyURL(scheme, e2eServerName, port, render.RevisionPath)
		res := e.get(t, e.plain, u, nil)
		got, ok := render.RevisionAnswer([]byte(res.body))
		if res.err != nil || res.status != http.StatusOK || !ok || got != want || res.reached {
			t.Errorf("%s GET %s: err %v, status %d, body %q (revision %q, marker %v), reached Artifactory %v; want revision %s\n%s",
				e.provider, u, res.err, res.status, res.body, got, ok, res.reached, want, e.server.Logs())
		}
	}
}
