package doorcheck_test

import (
	"context"
	"net"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"frontdoor/doorcheck"
	"frontdoor/doorcheck/standin"
	"frontdoor/internal/servertest"
	"frontdoor/render"
)

// TestCheckNamesRealFailures breaks frontdoor's snippet (or its
// certificate, or Artifactory) the way admins' doors break, runs the real
// server on it, and requires the check to fail at the right step, for the
// right reason, with a fix that names the directive or setting.
func TestCheckNamesRealFailures(t *testing.T) {
	t.Parallel() // each case runs a door of its own
	noWildcard := func(t testing.TB, f *servertest.TLSFiles) *servertest.KeyPair {
		return f.CA.Issue(t, f.Dir, "no-wildcard", servertest.CertSpec{CommonName: serverName, DNSNames: []string{serverName, "localhost"}})
	}
	expired := func(t testing.TB, f *servertest.TLSFiles) *servertest.KeyPair {
		return f.CA.Issue(t, f.Dir, "expired", servertest.CertSpec{CommonName: serverName, DNSNames: []string{serverName, "*." + serverName},
			NotBefore: time.Now().Add(-100 * 24 * time.Hour), NotAfter: time.Now().Add(-10 * 24 * time.Hour)})
	}
	redirectPort := regexp.MustCompile(`https://\$host:[0-9]+\$request_uri`)
	cases := []struct {
		name   string
		sc     scenario
		before func(t *testing.T, d *door)
		upload int64
		noCA   bool // the check is not given the door's private CA
		// shortHold: the streaming probe holds its body back briefly (a
		// buffering door never answers early, however long it waits).
		shortHold bool
		// url: the door is checked from its HTTPS URL alone (frontdoor
		// check https://NAME:PORT, no --config), as a door frontdoor did
		// not write is.
		url    bool
		status doorcheck.Status
		reason doorcheck.Reason
		fix    string // what the fix must name
	}{{
		name:   "nginx base-URL header missing",
		sc:     scenario{edit: replace("        proxy_set_header X-JFrog-Override-Base-Url $frontdoor_forwarded_proto://$host:$server_port;\n", "")},
		status: doorcheck.StatusFail, reason: doorcheck.ReasonRealmScheme, fix: "proxy_set_header X-JFrog-Override-Base-Url",
	}, {
		name: "apache base-URL header missing",
		sc: scenario{provider: render.Apache,
			edit: replace(`    RequestHeader set X-JFrog-Override-Base-Url "expr=%{REQUEST_SCHEME}://%{SERVER_NAME}:%{SERVER_PORT}"`+"\n", "")},
		status: doorcheck.StatusFail, reason: doorcheck.ReasonRealmScheme, fix: "RequestHeader set X-JFrog-Override-Base-Url",
	}, {
		name:   "base-URL header with the wrong port",
		sc:     scenario{edit: replace("$frontdoor_forwarded_proto://$host:$server_port;", "$frontdoor_forwarded_proto://$host:8082;")},
		status: doorcheck.StatusFail, reason: doorcheck.ReasonRealmPort, fix: "X-JFrog-Override-Base-Url $scheme://$host:$server_port",
	}, {
		// Without credentials: the door streams, so Artifactory answers
		// the chunked probe before 1m; the probe with the size declared
		// gets nginx's own 413.
		name:   "client_max_body_size 1m",
		sc:     scenario{edit: replace("client_max_body_size 0;", "client_max_body_size 1m;")},
		status: doorcheck.StatusFail, reason: doorcheck.ReasonTooLarge, fix: "client_max_body_size 0;",
	}, {
		name:   "client_max_body_size 1m, with an upload",
		sc:     scenario{edit: replace("client_max_body_size 0;", "client_max_body_size 1m;")},
		upload: 2 << 20,
		status: doorcheck.StatusFail, reason: doorcheck.ReasonTooLarge, fix: "client_max_body_size 0;",
	}, {
		// A buffering door reads the chunked probe's body past 1m before
		// Artifactory sees anything.
		name: "client_max_body_size 1m and buffering on",
		sc: scenario{edit: edits(replace("client_max_body_size 0;", "client_max_body_size 1m;"),
			replace("proxy_request_buffering off;", "proxy_request_buffering on;"))},
		shortHold: true,
		status:    doorcheck.StatusFail, reason: doorcheck.ReasonTooLarge, fix: "client_max_body_size 0;",
	}, {
		name:   "proxy buffering on",
		sc:     scenario{edit: replace("proxy_request_buffering off;", "proxy_request_buffering on;")},
		status: doorcheck.StatusWarn, reason: doorcheck.ReasonBuffering, fix: "proxy_request_buffering off;",
	}, {
		// Without settings the streaming probe goes where /v2/ answered
		// as a registry: the bare name's (the router's repository path).
		name:   "URL only, client_max_body_size 1m",
		sc:     scenario{edit: replace("client_max_body_size 0;", "client_max_body_size 1m;")},
		url:    true,
		status: doorcheck.StatusFail, reason: doorcheck.ReasonTooLarge, fix: "client_max_body_size 0;",
	}, {
		// The trial's door: buffering on and a limit above the probe's
		// body.
		name: "URL only, proxy buffering on",
		sc: scenario{edit: edits(replace("client_max_body_size 0;", "client_max_body_size 3m;"),
			replace("proxy_request_buffering off;", "proxy_request_buffering on;"))},
		url:    true,
		status: doorcheck.StatusWarn, reason: doorcheck.ReasonBuffering, fix: "proxy_request_buffering off;",
	}, {
		name:   "certificate without the wildcard",
		sc:     scenario{cert: noWildcard},
		status: doorcheck.StatusFail, reason: doorcheck.ReasonNoWildcardCert, fix: "*." + serverName,
	}, {
		name:   "expired certificate",
		sc:     scenario{cert: expired},
		status: doorcheck.StatusFail, reason: doorcheck.ReasonExpired, fix: "renew",
	}, {
		// Its fix names the door's name and port (Docker's certs.d
		// directory), which the summary repeats: it said PORT.
		name:   "private CA not given to the check",
		noCA:   true,
		status: doorcheck.StatusFail, reason: doorcheck.ReasonUntrusted, fix: "/etc/docker/certs.d/" + serverName + ":",
	}, {
		name: "TLS 1.0 enabled",
		sc: scenario{edit: edits(
			replace("ssl_protocols TLSv1.2 TLSv1.3;", "ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;"),
			// OpenSSL 3 refuses TLS 1.0 at its default security level.
			replace("ssl_ciphers ", "ssl_ciphers DEFAULT:@SECLEVEL=0:"))},
		status: doorcheck.StatusFail, reason: doorcheck.ReasonOldTLS, fix: "ssl_protocols TLSv1.2 TLSv1.3;",
	}, {
		name: "subdomain rewrite without the $repo guard",
		sc: scenario{edit: replace("    if ($docker_repo != \"\") {\n        rewrite ^/(v1|v2)/(.*) /artifactory/api/docker/$docker_repo/$1/$2 break;\n    }",
			"    rewrite ^/(v1|v2)/(.*) /artifactory/api/docker/$docker_repo/$1/$2 break;")},
		status: doorcheck.StatusFail, reason: doorcheck.ReasonRepositoryNull, fix: `if ($docker_repo != "")`,
	}, {
		name:   "upstream down",
		before: func(t *testing.T, d *door) { d.art.Stop() },
		status: doorcheck.StatusFail, reason: doorcheck.ReasonUpstreamDown, fix: "proxy.nodes",
	}, {
		name: "HTTP redirect that drops the port",
		sc: scenario{edit: func(t testing.TB, s string) string {
			if !redirectPort.MatchString(s) {
				t.Fatalf("no redirect with a port in:\n%s", s)
			}
			return redirectPort.ReplaceAllString(s, "https://$$host$$request_uri")
		}},
		status: doorcheck.StatusFail, reason: doorcheck.ReasonRedirectPort, fix: "$request_uri",
	}, {
		// An admin's door redirecting with 301, as frontdoor's did before
		// it wrote 308: it works, and the check says what uploads lose.
		name:   "nginx HTTP redirect with 301",
		sc:     scenario{edit: replace("    return 308 https://", "    return 301 https://")},
		status: doorcheck.StatusInfo, reason: doorcheck.ReasonRedirectMethod, fix: "return 308 https://",
	}, {
		name:   "apache HTTP redirect with 301",
		sc:     scenario{provider: render.Apache, edit: replace("[R=308,", "[R=301,")},
		status: doorcheck.StatusInfo, reason: doorcheck.ReasonRedirectMethod, fix: "[R=308,L]",
	}, {
		name:   "UI redirect that drops the port",
		sc:     scenario{edit: replace("    rewrite ^/$ /ui/ redirect;", "    port_in_redirect off;\n    rewrite ^/$ /ui/ redirect;")},
		status: doorcheck.StatusFail, reason: doorcheck.ReasonRedirectPort, fix: "port_in_redirect",
	}, {
		name:   "router not reached",
		sc:     scenario{edit: replace("        proxy_pass http://artifactory;", "        proxy_pass http://artifactory-direct;")},
		status: doorcheck.StatusFail, reason: doorcheck.ReasonRouterNotReached, fix: "proxy.routerPort",
	}, {
		name:   "apache refuses encoded slashes",
		sc:     scenario{provider: render.Apache, edit: replace("    AllowEncodedSlashes NoDecode\n", "")},
		status: doorcheck.StatusFail, reason: doorcheck.ReasonSlashRefused, fix: "AllowEncodedSlashes NoDecode",
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := startDoor(t, c.sc)
			if c.before != nil {
				c.before(t, d)
			}
			opt := d.options()
			if c.noCA {
				opt.Roots = nil // the system's: the test CA is not among them
			}
			if c.upload > 0 {
				opt.UploadSize, opt.UploadRepo = c.upload, "docker-local"
			}
			if c.reason == doorcheck.ReasonBuffering || c.shortHold {
				// A buffering door answers only after the whole body,
				// however long the probe holds it back: a short hold
				// proves the same, without waiting out the usual one.
				opt.StreamingWait = 200 * time.Millisecond
			}
			var res doorcheck.Result
			if c.url {
				opt.User, opt.Password = "", "" // the anonymous probe
				res = d.checkURL(t, opt)
			} else {
				res = d.check(t, opt)
			}
			if c.status == doorcheck.StatusFail && res.OK() {
				t.Fatal("the check passed a broken door")
			}
			st := failedWith(t, res, c.status, c.reason, c.fix)
			provider := d.settings.Provider
			if provider == render.Nginx && st.Fix.Apache != "" || provider == render.Apache && st.Fix.Nginx != "" {
				t.Errorf("the fix names the other server's directive: %+v", st.Fix)
			}
			sum, _ := res.Last(doorcheck.KindSummary)
			if c.status == doorcheck.StatusFail && (sum.Status != doorcheck.StatusFail || sum.Fix.IsZero()) {
				t.Errorf("the summary does not name the first failure and its fix: %+v", sum)
			}
			if c.status == doorcheck.StatusFail {
				summaryRepeatsFailure(t, res)
			} else if !sum.Fix.IsZero() {
				t.Errorf("the summary of a door that works has a fix: %+v", sum)
			}
		})
	}
}

// TestCheckListenerMissing: the settings name a Docker port the server does
// not listen on (what a reload that kept the old configuration looks like).
func TestCheckListenerMissing(t *testing.T) {
	t.Parallel()
	var missing int
	d := startDoor(t, scenario{method: render.DockerPorts, edit: func(t testing.TB, s string) string {
		re := regexp.MustCompile(`(?m)^    listen ([0-9]+) ssl;\n`)
		all := re.FindAllStringSubmatch(s, -1)
		if len(all) < 3 {
			t.Fatalf("expected the HTTPS and two Docker listen lines:\n%s", s)
		}
		last := all[len(all)-1]
		missing, _ = strconv.Atoi(last[1])
		return strings.Replace(s, last[0], "", 1)
	}, skipPortsFn: func() []int { return []int{missing} }})
	res := d.check(t, d.options())
	st := failedWith(t, res, doorcheck.StatusFail, doorcheck.ReasonRefused, "listen")
	if !strings.Contains(st.Detail, strconv.Itoa(missing)) {
		t.Errorf("the step does not name port %d: %s", missing, st.Detail)
	}
	if res.Serving() {
		t.Error("Serving() with a listener missing")
	}
	summaryRepeatsFailure(t, res)
	if sum, _ := res.Last(doorcheck.KindSummary); !strings.Contains(sum.Fix.Action, "sport = :"+strconv.Itoa(missing)) {
		t.Errorf("the summary's fix does not name port %d (it said PORT): %+v", missing, sum.Fix)
	}
}

// TestCheckSilentListener: a listener that accepts and never answers fails
// the connect step, within one timeout, and nothing else waits on it.
func TestCheckSilentListener(t *testing.T) {
	t.Parallel()
	for _, scheme := range []string{"https", "http"} {
		t.Run(scheme, func(t *testing.T) {
			t.Parallel()
			port := standin.ListenSilent(t)
			u := scheme + "://" + net.JoinHostPort(serverName, strconv.Itoa(port))
			plan, err := doorcheck.FromURL(u, nil)
			if err != nil {
				t.Fatal(err)
			}
			opt := doorcheck.Options{Timeout: 500 * time.Millisecond, Resolve: []doorcheck.Resolve{mustResolve(serverName + ":127.0.0.1")}}
			res := runLogged(t, plan, opt)
			st := failedWith(t, res, doorcheck.StatusFail, doorcheck.ReasonSilent, "ss -ltnp")
			if st.Duration < opt.Timeout {
				t.Errorf("the connect step gave up after %v, before the timeout %v", st.Duration, opt.Timeout)
			}
			var kinds []doorcheck.Kind
			for _, s := range res.Steps {
				kinds = append(kinds, s.Kind)
			}
			want := []doorcheck.Kind{doorcheck.KindDNS, doorcheck.KindConnect, doorcheck.KindSummary}
			if strings.Join(kindStrings(kinds), " ") != strings.Join(kindStrings(want), " ") {
				t.Errorf("steps after the silent listener: %v, want %v (nothing else may wait on it)", kinds, want)
			}
			if !res.TimedOut {
				t.Error("Result.TimedOut is false")
			}
			summaryRepeatsFailure(t, res)
		})
	}
}

func kindStrings(ks []doorcheck.Kind) []string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = string(k)
	}
	return s
}

// TestCheckCanceled: canceling the context (Esc in the wizard, Ctrl-C)
// ends the run promptly, with one step saying so, whatever was in flight.
func TestCheckCanceled(t *testing.T) {
	t.Parallel()
	ports := []int{standin.ListenSilent(t), standin.ListenSilent(t)}
	s := render.Defaults()
	s.ServerName = serverName
	s.HTTP = render.HTTP{Enabled: true, Port: ports[0]}
	s.HTTPS = render.HTTPS{Enabled: true, Port: ports[1], TLSProfile: render.TLSIntermediate}
	plan, err := doorcheck.FromSettings(&s, "test")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var steps []doorcheck.Step
	opt := doorcheck.Options{Timeout: time.Hour, Resolve: []doorcheck.Resolve{mustResolve(serverName + ":127.0.0.1")}}
	go func() {
		time.Sleep(50 * time.Millisecond) // the connect steps are waiting on silent listeners by then, or about to
		cancel()
	}()
	res := doorcheck.Run(ctx, plan, opt, func(st doorcheck.Step) { steps = append(steps, st) })
	if !res.Canceled || res.OK() {
		t.Fatalf("Canceled %v OK %v", res.Canceled, res.OK())
	}
	canceled := 0
	for _, st := range steps {
		if st.Reason == doorcheck.ReasonCanceled && st.Kind != doorcheck.KindSummary {
			canceled++
		}
	}
	if canceled != 1 {
		t.Errorf("%d steps say canceled, want 1: %+v", canceled, steps)
	}
	if sum := steps[len(steps)-1]; sum.Kind != doorcheck.KindSummary || sum.Detail != "canceled" {
		t.Errorf("summary: %+v", sum)
	}
}
