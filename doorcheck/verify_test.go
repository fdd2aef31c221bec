package doorcheck_test

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"frontdoor/doorcheck"
	"frontdoor/internal/servertest"
	"frontdoor/render"
)

// TestVerify is the save pipeline's question after a reload, "is the new
// configuration serving?", against a real nginx: yes when it is (trusting
// the configured certificate, whatever its CA); no when the server still
// serves the old certificate or lacks a new listener (a reload that kept
// the old configuration); yes when only Artifactory is down (rolling the
// proxy back would not help).
func TestVerify(t *testing.T) {
	t.Parallel()
	d := startDoor(t, scenario{method: render.DockerPorts})
	verify := func(t *testing.T, s render.Settings) doorcheck.Result {
		t.Helper()
		return doorcheck.Verify(context.Background(), &s, doorcheck.VerifyOptions{Timeout: 10 * time.Second, Settle: -1}, func(st doorcheck.Step) {
			t.Logf("%s %s: %s", st.Status.Symbol(), st.Name, st.Detail)
		})
	}
	t.Run("serving", func(t *testing.T) {
		res := verify(t, d.settings)
		if !res.OK() || !res.Serving() {
			t.Fatalf("OK %v, Serving %v: %+v", res.OK(), res.Serving(), res.FirstFailure)
		}
	})
	t.Run("old certificate", func(t *testing.T) {
		next := d.tls.CA.Issue(t, d.tls.Dir, "next", servertest.CertSpec{CommonName: serverName, DNSNames: []string{serverName, "*." + serverName}})
		s := d.settings.Clone()
		s.HTTPS.Certificate, s.HTTPS.Key = next.CertPath, next.KeyPath
		res := verify(t, s)
		if res.Serving() {
			t.Fatal("Serving() while the old certificate is served")
		}
		failedWith(t, res, doorcheck.StatusFail, doorcheck.ReasonOtherCertificate, "reload")
	})
	t.Run("new listener missing", func(t *testing.T) {
		s := d.settings.Clone()
		s.Docker.Repositories = append(s.Docker.Repositories, render.DockerRepository{Key: "docker-new", Port: servertest.FreePort(t)})
		res := verify(t, s)
		if res.Serving() {
			t.Fatal("Serving() without the new listener")
		}
		failedWith(t, res, doorcheck.StatusFail, doorcheck.ReasonRefused, "listen")
	})
	t.Run("artifactory down", func(t *testing.T) {
		d.art.Stop()
		res := verify(t, d.settings)
		if res.OK() || !res.Serving() {
			t.Fatalf("OK %v, Serving %v: Artifactory down is not the proxy's configuration", res.OK(), res.Serving())
		}
	})
}

// TestVerifySettles: right after a reload the old workers may still
// answer; Verify repeats quietly until the new configuration serves (or
// Settle is over), so a reload that does take effect is not rolled back.
func TestVerifySettles(t *testing.T) {
	t.Parallel()
	d := startDoor(t, scenario{method: render.DockerPorts})
	s := d.settings.Clone()
	s.Docker.Repositories = append(s.Docker.Repositories, render.DockerRepository{Key: "docker-new", Port: servertest.FreePort(t)})
	snippet, err := render.Render(&s)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan doorcheck.Result, 1)
	go func() {
		done <- doorcheck.Verify(context.Background(), &s, doorcheck.VerifyOptions{Timeout: 10 * time.Second, Settle: 30 * time.Second}, nil)
	}()
	time.Sleep(300 * time.Millisecond) // let Verify meet the old configuration first (not an assertion)
	d.nginx.Install(snippet)
	if out, err := exec.Command(d.nginx.Bin, append(d.nginx.Args(), "-s", "reload")...).CombinedOutput(); err != nil {
		t.Fatalf("nginx -s reload: %v\n%s", err, out)
	}
	res := <-done
	if !res.Serving() {
		t.Fatalf("the reloaded configuration is not serving: %+v", res.ConfigFailures())
	}
	// The stand-in has no docker-new: Artifactory's business, not the
	// proxy's, so it fails the check without calling for a rollback.
	if f := res.FirstFailure; f == nil || f.Reason != doorcheck.ReasonRepositoryUnknown {
		t.Errorf("first failure: %+v, want the unknown repository", f)
	}
}
