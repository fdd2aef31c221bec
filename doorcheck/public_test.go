package doorcheck_test

import (
	"context"
	"testing"
	"time"

	"frontdoor/doorcheck"
	"frontdoor/render"
)

// TestVerifyBehindLoadBalancer: after a reload, Verify checks the proxy's
// own listeners (the load balancer in front is not what the reload
// changed) and expects what proxy.public has the proxy report: a realm on
// the load balancer's scheme and port is the new configuration serving,
// and a realm on the proxy's own is the old one (a reload that kept the
// configuration without proxy.public).
func TestVerifyBehindLoadBalancer(t *testing.T) {
	t.Parallel()
	behindLB := func(s *render.Settings) {
		// TLS ends at the load balancer: the proxy serves plain HTTP.
		s.HTTP.RedirectToHTTPS, s.HTTPS.Enabled = false, false
		s.Public = render.Public{Scheme: "https", Port: 443}
	}
	verify := func(t *testing.T, s render.Settings) doorcheck.Result {
		t.Helper()
		return doorcheck.Verify(context.Background(), &s, doorcheck.VerifyOptions{Timeout: 10 * time.Second, Settle: -1}, func(st doorcheck.Step) {
			t.Logf("%s %s: %s", st.Status.Symbol(), st.Name, st.Detail)
		})
	}
	for _, p := range []render.Provider{render.Nginx, render.Apache} {
		t.Run(string(p), func(t *testing.T) {
			t.Parallel()
			d := startDoor(t, scenario{provider: p, method: render.DockerSubdomain, settings: behindLB})
			res := verify(t, d.settings)
			if !res.OK() || !res.Serving() {
				t.Fatalf("OK %v, Serving %v: %+v", res.OK(), res.Serving(), res.FirstFailure)
			}
			old := startDoor(t, scenario{provider: p, method: render.DockerSubdomain, settings: func(s *render.Settings) {
				behindLB(s)
				s.Public = render.Public{}
			}})
			s := old.settings.Clone()
			s.Public = render.Public{Scheme: "https", Port: 443}
			res = verify(t, s)
			if res.Serving() {
				t.Fatal("Serving() while the proxy reports its own scheme and port")
			}
			failedWith(t, res, doorcheck.StatusFail, doorcheck.ReasonRealmScheme, "proxy.public")
		})
	}
}
