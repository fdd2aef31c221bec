package doorcheck_test

import (
	"net"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"frontdoor/doorcheck"
	"frontdoor/render"
)

// TestCheckURLThatOnlyRedirects: `frontdoor check http://NAME:PORT` on
// frontdoor's nginx, whose plain HTTP only redirects to HTTPS, checks the
// HTTPS door it redirects to (same host, same overrides), and never says
// the door works when Artifactory was not reached.
func TestCheckURLThatOnlyRedirects(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		sc       scenario
		stop     bool // the Artifactory stand-in is stopped
		https    bool // check the HTTPS door's URL (default: the HTTP one)
		settings bool // plan with the door's settings (--config)
		status   doorcheck.Status
		ok       bool // the check passes
		reason   doorcheck.Reason
		notCheck string // what the summary says was not checked
	}{
		{name: "artifactory up", ok: true},
		{name: "artifactory down", stop: true, reason: doorcheck.ReasonUpstreamDown},
		// With settings that say HTTP redirects, the HTTPS door is planned.
		{name: "settings, artifactory down", settings: true, stop: true, reason: doorcheck.ReasonUpstreamDown},
		{name: "redirect to another host", sc: scenario{edit: func(t testing.TB, s string) string {
			re := regexp.MustCompile(`https://\$host(:[0-9]+)\$request_uri`)
			if !re.MatchString(s) {
				t.Fatalf("no redirect to https://$host:PORT in:\n%s", s)
			}
			return re.ReplaceAllString(s, "https://elsewhere.test$1$$request_uri")
		}}, status: doorcheck.StatusFail, notCheck: "not checked: this door only redirects to https://elsewhere.test:"},
		// A canonical-name redirect on HTTPS: nothing fails, nothing was checked.
		{name: "https door redirects to another host", https: true, sc: scenario{
			edit: replace("    add_header Strict-Transport-Security", "    return 301 https://elsewhere.test$request_uri;\n    add_header Strict-Transport-Security")},
			status: doorcheck.StatusWarn, notCheck: "not checked: this door only redirects to https://elsewhere.test; check that door"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := startDoor(t, c.sc)
			if c.stop {
				d.art.Stop()
			}
			u := "http://" + net.JoinHostPort(serverName, strconv.Itoa(d.settings.HTTP.Port))
			if c.https {
				u = "https://" + net.JoinHostPort(serverName, strconv.Itoa(d.settings.HTTPS.Port))
			}
			var s *render.Settings
			if c.settings {
				s = &d.settings
			}
			plan, err := doorcheck.FromURL(u, s)
			if err != nil {
				t.Fatal(err)
			}
			opt := d.options()
			opt.User, opt.Password = "", ""
			res := runLogged(t, plan, opt)
			sum, _ := res.Last(doorcheck.KindSummary)
			if res.OK() != c.ok {
				t.Fatalf("OK() = %v, want %v; summary: %s", res.OK(), c.ok, sum.Detail)
			}
			if strings.Contains(sum.Detail, "works") && !c.ok {
				t.Errorf("the summary says the door works: %s", sum.Detail)
			}
			https := "https://" + net.JoinHostPort(serverName, strconv.Itoa(d.settings.HTTPS.Port))
			pinged := false
			for _, st := range res.Steps {
				if st.Kind == doorcheck.KindPing && st.Target == https {
					pinged = true
				}
			}
			switch {
			case c.notCheck != "":
				if pinged && !c.https {
					t.Errorf("pinged %s, the door the redirect does not go to", https)
				}
				if sum.Status != c.status || !strings.Contains(sum.Detail, c.notCheck) || !strings.Contains(res.NotChecked, "elsewhere.test") {
					t.Errorf("summary %s %q, want %q", sum.Status, sum.Detail, c.notCheck)
				}
			case !pinged:
				t.Errorf("the HTTPS door %s the redirect goes to was not checked", https)
			}
			if c.ok {
				if sum.Status != doorcheck.StatusOK || !strings.Contains(sum.Detail, "the door works: 2 doors") {
					t.Errorf("summary %s %q", sum.Status, sum.Detail)
				}
				if st, ok := res.Last(doorcheck.KindPing); !ok || st.Status != doorcheck.StatusOK {
					t.Errorf("last ping: %+v", st)
				}
			}
			if c.reason != "" {
				failedWith(t, res, doorcheck.StatusFail, c.reason, "proxy.nodes")
			}
		})
	}
}

// TestCheckURLWithoutRegistryAtBareName: `frontdoor check https://NAME`
// without settings on a door that serves Docker by subdomain, whose bare
// name's /v2/ reaches Artifactory's own port, where no registry is (404):
// the check says there is no registry at that name and where to look,
// never a repository literally called KEY.
func TestCheckURLWithoutRegistryAtBareName(t *testing.T) {
	t.Parallel()
	d := startDoor(t, scenario{method: render.DockerSubdomain,
		edit: replace("    location / {", "    location /v2/ {\n        proxy_pass http://artifactory-direct;\n    }\n    location / {")})
	plan, err := doorcheck.FromURL("https://"+net.JoinHostPort(serverName, strconv.Itoa(d.settings.HTTPS.Port)), nil)
	if err != nil {
		t.Fatal(err)
	}
	opt := d.options()
	opt.User, opt.Password = "", ""
	res := runLogged(t, plan, opt)
	st := failedWith(t, res, doorcheck.StatusWarn, doorcheck.ReasonNoRegistryAtName, "frontdoor check https://<key>."+serverName)
	for _, s := range []string{st.Detail, st.Cause, st.Fix.Action} {
		if strings.Contains(s, "KEY") {
			t.Errorf("a placeholder is left: %s", s)
		}
	}
	if !strings.Contains(st.Detail, "no Docker registry at "+serverName) || !strings.Contains(st.Fix.Action, "--config") {
		t.Errorf("the step does not say there is no registry at the bare name, or does not offer --config: %+v", st)
	}
	if !res.OK() {
		t.Errorf("a door without a registry at its bare name failed: %+v", res.FirstFailure)
	}
}
