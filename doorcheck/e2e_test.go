package doorcheck_test

import (
	"strings"
	"testing"

	"frontdoor/doorcheck"
	"frontdoor/render"
)

// TestCheckWorks: frontdoor's own snippet, on the real server, in front of
// the stand-in, passes every step for every Docker method: login, an upload
// and all.
func TestCheckWorks(t *testing.T) {
	t.Parallel() // each case runs a door of its own
	for _, p := range []render.Provider{render.Nginx, render.Apache} {
		for _, m := range []render.DockerMethod{render.DockerSubdomain, render.DockerPorts, render.DockerRepositoryPath} {
			t.Run(string(p)+"/"+string(m), func(t *testing.T) {
				t.Parallel()
				d := startDoor(t, scenario{provider: p, method: m})
				opt := d.options()
				opt.UploadSize = 3 << 20
				opt.UploadRepo = "docker-local"
				res := d.check(t, opt)
				if !res.OK() {
					t.Fatalf("the door does not work: %+v", res.FirstFailure)
				}
				for _, st := range res.Steps {
					if st.Status == doorcheck.StatusWarn || st.Status == doorcheck.StatusSkip {
						t.Errorf("%s %s: %s", st.Status, st.Name, st.Detail)
					}
				}
				// frontdoor's own redirect keeps the method (308): no
				// note that uploads turn into GETs.
				if st, ok := res.Last(doorcheck.KindRedirect); !ok || st.Status != doorcheck.StatusOK || st.Reason != "" || !strings.HasPrefix(st.Detail, "308 ") {
					t.Errorf("redirect step %s %s: %s, want ✓ with 308", st.Status, st.Reason, st.Detail)
				}
				for _, k := range []doorcheck.Kind{doorcheck.KindDNS, doorcheck.KindConnect, doorcheck.KindTLS, doorcheck.KindTLSVersions,
					doorcheck.KindHSTS, doorcheck.KindRedirect, doorcheck.KindPing, doorcheck.KindUI, doorcheck.KindDocker,
					doorcheck.KindDockerLogin, doorcheck.KindStreaming, doorcheck.KindUpload, doorcheck.KindEncodedSlash, doorcheck.KindSummary} {
					if _, ok := res.Last(k); !ok {
						t.Errorf("no %s step", k)
					}
				}
			})
		}
	}
}
