package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"frontdoor/app"
	"frontdoor/doorcheck"
	"frontdoor/install"
	"frontdoor/tui/pages/check"
)

// Golden views of the Check screen at 80x24 and 160x48. The runs are
// replayed from recorded steps (fixed durations and times); real runs are
// driven against nginx in checkrun_test.go.
func TestCheckGoldenScreens(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, m *Model)
	}{
		{"check_open", func(t *testing.T, m *Model) { press(t, m, "4") }},
		{"check_address_error", func(t *testing.T, m *Model) {
			press(t, m, "4", "shift+tab", "shift+tab", "shift+tab")
			typeText(t, m, "artifactory.local")
			press(t, m, "ctrl+r")
		}},
		{"check_running", func(t *testing.T, m *Model) {
			press(t, m, "4")
			m.check.Replay(recordedRun(recordedSteps()[:6]), nil)
		}},
		{"check_failed", func(t *testing.T, m *Model) {
			press(t, m, "4")
			steps := recordedSteps()
			m.check.Replay(recordedRun(steps), recordedResult(steps))
		}},
		{"check_passed_home", func(t *testing.T, m *Model) {
			press(t, m, "4")
			steps := passedSteps()
			m.check.Replay(recordedRun(steps), recordedResult(steps))
			press(t, m, "esc")
		}},
		{"check_beside_report", func(t *testing.T, m *Model) {
			press(t, m, "3")
			send(t, m, savedDone())
			steps := passedSteps()
			m.check.Replay(recordedRun(steps), recordedResult(steps))
		}},
		{"check_offer", func(t *testing.T, m *Model) {
			press(t, m, "3")
			done := savedDone()
			done.Report.Install.Reload = install.CommandResult{Cmd: []string{"systemctl", "reload", "nginx"}, Status: install.StatusPassed}
			send(t, m, done)
		}},
	}
	for _, tc := range cases {
		for _, size := range sizes {
			name := fmt.Sprintf("%s_%dx%d", tc.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				m := newModel(t, exampleYAML, size[0], size[1])
				m.check.SetOptions(check.Options{NoSpin: true, Now: func() time.Time { return fixedNow }})
				tc.setup(t, m)
				golden.RequireEqual(t, screenText(m))
			})
		}
	}
}

// The question after a save that reloaded the server: c checks the door
// at once, against this machine's listeners.
func TestCheckOfferedAfterAReloadedSave(t *testing.T) {
	m := newModel(t, exampleYAML, 80, 24)
	m.check.SetOptions(check.Options{NoSpin: true, Now: func() time.Time { return fixedNow }, Timeout: time.Second})
	press(t, m, "3")
	done := savedDone()
	send(t, m, done) // no reload: nothing asked (the old configuration serves)
	if m.confirm != nil {
		t.Fatalf("asked after a save without a reload:\n%s", screenText(m))
	}
	done.Report.Install.Reload = install.CommandResult{Cmd: []string{"systemctl", "reload", "nginx"}, Status: install.StatusPassed}
	verified := done
	verified.Report.Verify = &app.Verification{}
	send(t, m, verified) // Verify checked the door after the reload already
	if m.confirm != nil {
		t.Fatalf("asked after a save that verified:\n%s", screenText(m))
	}
	send(t, m, done)
	if m.confirm == nil || !strings.Contains(screenText(m), "Check the door now?") {
		t.Fatalf("no question after a reloaded save:\n%s", screenText(m))
	}
	press(t, m, "c")
	if m.screen != screenCheck || m.check.Inputs().Address != "127.0.0.1" || m.check.Last() == nil {
		t.Fatalf("c did not check this machine's listeners:\n%s", screenText(m))
	}
}

func recordedRun(steps []doorcheck.Step) check.Run {
	return check.Run{
		Title:     "artifactory.example.com (nginx, frontdoor.yaml)",
		Endpoints: []string{"http://artifactory.example.com", "https://artifactory.example.com"},
		Address:   "127.0.0.1", At: fixedNow.Add(-3 * time.Minute), Steps: steps,
	}
}

func recordedResult(steps []doorcheck.Step) *doorcheck.Result {
	res := &doorcheck.Result{Title: "artifactory.example.com (nginx, frontdoor.yaml)", Doors: 5, Repositories: 3}
	for i, st := range steps {
		switch {
		case st.Kind == doorcheck.KindSummary:
		case st.Status == doorcheck.StatusFail:
			res.Failed++
			if res.FirstFailure == nil {
				res.FirstFailure = &steps[i]
			}
		case st.Status == doorcheck.StatusWarn:
			res.Warnings++
		}
	}
	return res
}

func ms(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }

// recordedSteps are a check of a door whose base-URL header names the
// proxy's own port: the Docker realm is wrong.
func recordedSteps() []doorcheck.Step {
	realmFix := doorcheck.Fix{
		Nginx:   "proxy_set_header X-JFrog-Override-Base-Url $scheme://$host:$server_port; (the port clients use)",
		Setting: "proxy.overrideBaseUrlHeader: true, then frontdoor save",
	}
	return append(passedSteps()[:10], []doorcheck.Step{
		{Kind: doorcheck.KindDocker, Name: "Docker docker-local (https://docker-local.artifactory.example.com)", Status: doorcheck.StatusFail, Duration: ms(4.1),
			Reason: doorcheck.ReasonRealmPort, Detail: "/v2/ 401, Bearer realm https://docker-local.artifactory.example.com:8443/artifactory/api/docker/docker-local/v2/token: port 8443, clients use 443",
			Cause: "Artifactory builds the realm from the base-URL header, which names the proxy's own port", Fix: realmFix},
		{Kind: doorcheck.KindDocker, Name: "Docker docker-remote (https://docker-remote.artifactory.example.com)", Status: doorcheck.StatusFail, Duration: ms(3.8),
			Reason: doorcheck.ReasonRealmPort, Detail: "/v2/ 401, Bearer realm https://docker-remote.artifactory.example.com:8443/artifactory/api/docker/docker-remote/v2/token: port 8443, clients use 443",
			Cause: "Artifactory builds the realm from the base-URL header, which names the proxy's own port", Fix: realmFix},
		{Kind: doorcheck.KindEncodedSlash, Name: "Encoded slashes through https://artifactory.example.com", Status: doorcheck.StatusOK, Duration: ms(1.2),
			Detail: "GET /artifactory/api%2Fsystem%2Fping reached Artifactory undecoded (it answered 404 Not Found)"},
		{Kind: doorcheck.KindSummary, Name: "Summary", Status: doorcheck.StatusFail, Reason: doorcheck.ReasonRealmPort,
			Detail: "the door does not work: 2 step(s) failed; first: Docker docker-local (https://docker-local.artifactory.example.com): /v2/ 401, Bearer realm https://docker-local.artifactory.example.com:8443/artifactory/api/docker/docker-local/v2/token: port 8443, clients use 443",
			Cause:  "Artifactory builds the realm from the base-URL header, which names the proxy's own port", Fix: realmFix},
	}...)
}

// passedSteps are a check of a door that works.
func passedSteps() []doorcheck.Step {
	return []doorcheck.Step{
		{Kind: doorcheck.KindDNS, Name: "DNS artifactory.example.com", Status: doorcheck.StatusOK, Duration: ms(0.1), Detail: "127.0.0.1 (--resolve, DNS not asked)"},
		{Kind: doorcheck.KindDNS, Name: "DNS *.artifactory.example.com (3 repository names)", Status: doorcheck.StatusOK, Duration: ms(0.1), Detail: "every repository name resolves (127.0.0.1)"},
		{Kind: doorcheck.KindConnect, Name: "Connect artifactory.example.com:80", Status: doorcheck.StatusOK, Duration: ms(0.3), Detail: "127.0.0.1:80 in 0.2 ms; answers HTTP"},
		{Kind: doorcheck.KindConnect, Name: "Connect artifactory.example.com:443", Status: doorcheck.StatusOK, Duration: ms(0.3), Detail: "127.0.0.1:443 in 0.2 ms; answers TLS"},
		{Kind: doorcheck.KindTLS, Name: "TLS artifactory.example.com:443", Status: doorcheck.StatusOK, Duration: ms(2.4), Detail: "TLS 1.3, certificate for artifactory.example.com, *.artifactory.example.com (issuer Example CA), valid until 2026-09-01"},
		{Kind: doorcheck.KindTLSVersions, Name: "TLS versions on artifactory.example.com:443", Status: doorcheck.StatusOK, Duration: ms(3.1), Detail: "accepts TLS 1.2, 1.3; refuses TLS 1.0, 1.1 (intermediate profile)"},
		{Kind: doorcheck.KindRedirect, Name: "HTTP → HTTPS redirect on artifactory.example.com:80", Status: doorcheck.StatusInfo, Duration: ms(1.0),
			Detail: "301 → https://artifactory.example.com/frontdoor-check/probe?keep=1: host, port and path kept; 301 lets clients turn an upload (PUT, POST) into a GET: send uploads to https:// directly"},
		{Kind: doorcheck.KindPing, Name: "Artifactory ping through https://artifactory.example.com", Status: doorcheck.StatusOK, Duration: ms(2.2), Detail: "OK (Artifactory/7.104.0)"},
		{Kind: doorcheck.KindUI, Name: "UI through https://artifactory.example.com", Status: doorcheck.StatusOK, Duration: ms(1.9), Detail: "/ → 302 /ui/; /ui/ 200 text/html"},
		{Kind: doorcheck.KindHSTS, Name: "HSTS on https://artifactory.example.com", Status: doorcheck.StatusOK, Detail: "Strict-Transport-Security: max-age=63072000"},
		{Kind: doorcheck.KindDocker, Name: "Docker docker-local (https://docker-local.artifactory.example.com)", Status: doorcheck.StatusOK, Duration: ms(3.2),
			Detail: "/v2/ 401, Bearer realm https://docker-local.artifactory.example.com/artifactory/api/docker/docker-local/v2/token (public scheme, host and port)"},
		{Kind: doorcheck.KindSummary, Name: "Summary", Status: doorcheck.StatusOK, Detail: "the door works: 5 doors, 3 Docker repositories"},
	}
}
