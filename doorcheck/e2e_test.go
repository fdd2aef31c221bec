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
				if sum, _ := res.Last(doorcheck.KindSummary); strings.Contains(sum.Detail, "not checked") {
					t.Errorf("the summary of a run that uploaded says something was not checked: %s", sum.Detail)
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

// TestCheckWorksAnonymously: without an upload the verdict says how far
// the body size was checked, and how to check further.
func TestCheckWorksAnonymously(t *testing.T) {
	t.Parallel()
	d := startDoor(t, scenario{})
	opt := d.options()
	opt.User, opt.Password = "", ""
	res := d.check(t, opt)
	if !res.OK() {
		t.Fatalf("the door does not work: %+v", res.FirstFailure)
	}
	st, _ := res.Last(doorcheck.KindStreaming)
	if st.Status != doorcheck.StatusOK || !strings.Contains(st.Detail, "a body of 2.0 MiB reaches Artifactory") {
		t.Errorf("streaming step %s: %s, want ✓ with the body size checked", st.Status, st.Detail)
	}
	sum, _ := res.Last(doorcheck.KindSummary)
	if want := "uploads: body size not checked past 2.0 MiB; give --user --upload-size to try a real upload"; !strings.Contains(sum.Detail, want) {
		t.Errorf("summary %q does not say %q", sum.Detail, want)
	}
}
