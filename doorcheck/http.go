// Steps 3 (HSTS), 4 and 5: what the doors answer over HTTP. The HTTP →
// HTTPS redirect keeps host, port and path; Artifactory answers its ping
// through the door; / redirects to /ui/, which the router serves.

package doorcheck

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// The path the redirect probe asks for: a path and a query the redirect
// must keep.
const redirectProbe = "/frontdoor-check/probe?keep=1"

func (r *runner) httpTasks() []func() []Step {
	var tasks []func() []Step
	one := func(fn func() Step) func() []Step {
		return func() []Step {
			st := timed(fn)
			if st.Kind == "" {
				return nil
			}
			return []Step{st}
		}
	}
	for _, d := range r.plan.Doors {
		if d.Role == RoleRedirect || d.MaybeRedirect {
			tasks = append(tasks, one(func() Step { return r.redirectStep(d) }))
		}
	}
	mains := r.plan.doorsOf(RoleMain)
	if r.plan.expectRevision != "" {
		for _, d := range mains {
			tasks = append(tasks, one(func() Step { return r.revisionStep(d) }))
		}
	}
	for _, d := range mains {
		tasks = append(tasks, func() []Step { return r.artifactorySteps(d) })
	}
	docker := r.plan.doorsOf(RoleDocker)
	for _, d := range docker {
		if r.plan.Method == "" {
			// A URL without settings: whether the door is a registry at
			// all is known only once /v2/ answered, so the streaming
			// probe follows its Docker step, in the same task.
			tasks = append(tasks, func() []Step { return r.dockerStepsThenStreaming(d) })
			continue
		}
		tasks = append(tasks, func() []Step { return r.dockerSteps(d) })
	}
	if d, ok := r.firstLiveDocker(); ok && r.plan.Method != "" {
		tasks = append(tasks, one(func() Step { return r.streamingStep(d) }))
	}
	if r.opt.UploadSize > 0 {
		tasks = append(tasks, one(r.uploadStep))
	}
	for _, d := range mains {
		tasks = append(tasks, one(func() Step { return r.slashStep(d) }))
	}
	return tasks
}

// reachable reports whether HTTP steps may talk to d: its listener answers
// and, for HTTPS, the handshake worked.
func (r *runner) reachable(d Door) bool {
	return r.alive(d) && r.tlsFor(d).ok
}

// get asks door d for path, over a verified connection when the TLS step
// verified the door, else over one that is not (and then carries no
// credentials: callers check tlsFor(d).verified first).
func (r *runner) get(d Door, method, path string, hdr http.Header) (answer, error) {
	a, err := r.net.request(r.ctx, d.Scheme == "https" && !r.tlsFor(d).verified, method, d.URL()+path, hdr, nil)
	if err == nil {
		r.learnProvider(a)
	}
	return a, err
}

// failNet turns a request error into a failed step.
func failNet(st Step, err error) Step {
	reason, words := netReason(err)
	if reason == ReasonNetwork || reason == ReasonClosed {
		words = shortErr(err)
	}
	st.Status, st.Reason, st.Detail = StatusFail, reason, words
	return st
}

// location reads an answer's Location against the URL asked for.
func location(a answer) (*url.URL, error) {
	base, err := url.Parse(a.url)
	if err != nil {
		return nil, err
	}
	return parseLocation(base, a.header.Values("Location"))
}

// effectivePort is a URL's port, or its scheme's default.
func effectivePort(u *url.URL) int {
	if p, err := strconv.Atoi(u.Port()); err == nil {
		return p
	}
	return defaultPort(u.Scheme)
}

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// redirectStep: plain HTTP redirects to HTTPS, keeping host, port, path and
// query, with a status that keeps the method (say so when it does not).
func (r *runner) redirectStep(d Door) Step {
	st := Step{Kind: KindRedirect, Name: "HTTP → HTTPS redirect on " + d.Authority(), Target: d.URL()}
	if c, ok := r.canceledStep(st.Kind, st.Name, st.Target); ok {
		return c
	}
	if !r.reachable(d) {
		return Step{}
	}
	a, err := r.get(d, http.MethodGet, redirectProbe, nil)
	if err != nil {
		return failNet(st, err)
	}
	if !isRedirect(a.status) {
		if d.MaybeRedirect {
			st.Status = StatusInfo
			st.Detail = fmt.Sprintf("answers %s instead of redirecting: plain HTTP serves (passwords cross the network in clear)", a.statusText())
			return st
		}
		st.Status, st.Reason = StatusFail, ReasonNoRedirect
		st.Detail = fmt.Sprintf("GET %s answered %s from %s, not a redirect to https://", redirectProbe, a.statusText(), a.server())
		return st
	}
	loc, err := location(a)
	if err != nil {
		st.Status, st.Reason = StatusFail, ReasonUnexpected
		st.Detail = fmt.Sprintf("%d with an unusable Location: %v", a.status, err)
		return st
	}
	wantPort := r.plan.HTTPSPort
	if wantPort == 0 { // a URL without settings: any port will do
		wantPort = effectivePort(loc)
	}
	want := url.URL{Scheme: "https", Host: hostHeader(d.Host, wantPort, "https"), Path: "/frontdoor-check/probe", RawQuery: "keep=1"}
	got := fmt.Sprintf("%d → %s", a.status, loc.Redacted())
	switch {
	case loc.Scheme != "https":
		st.Status, st.Reason = StatusFail, ReasonRedirectScheme
		st.Detail = got + ": not https://"
	case !strings.EqualFold(loc.Hostname(), d.Host):
		st.Status, st.Reason = StatusFail, ReasonRedirectHost
		st.Detail = fmt.Sprintf("%s: the host changed from %s to %s", got, d.Host, loc.Hostname())
	case r.plan.HTTPSPort != 0 && effectivePort(loc) != r.plan.HTTPSPort:
		st.Status, st.Reason = StatusFail, ReasonRedirectPort
		st.Detail = fmt.Sprintf("%s: port %d, where HTTPS listens on %d (want %s)", got, effectivePort(loc), r.plan.HTTPSPort, want.String())
	case loc.EscapedPath() != want.Path || loc.RawQuery != want.RawQuery:
		st.Status, st.Reason = StatusFail, ReasonRedirectPath
		st.Detail = fmt.Sprintf("%s: the path or query changed (want %s)", got, want.RequestURI())
	case a.status == http.StatusTemporaryRedirect || a.status == http.StatusPermanentRedirect:
		st.Status = StatusOK
		st.Detail = got + ": host, port and path kept; the method too"
	default:
		st.Status, st.Reason = StatusInfo, ReasonRedirectMethod
		st.Detail = got + fmt.Sprintf(": host, port and path kept; %d lets clients turn an upload (PUT, POST) into a GET: send uploads to https:// directly", a.status)
	}
	return st
}

// artifactorySteps: the ping, the UI redirect and router, and HSTS, for one
// door that serves Artifactory.
func (r *runner) artifactorySteps(d Door) []Step {
	if !r.reachable(d) {
		return nil
	}
	var ping answer
	var pingErr error
	steps := []Step{timed(func() Step {
		st := Step{Kind: KindPing, Name: "Artifactory ping through " + d.URL(), Target: d.URL()}
		if c, ok := r.canceledStep(st.Kind, st.Name, st.Target); ok {
			return c
		}
		ping, pingErr = r.get(d, http.MethodGet, "/artifactory/api/system/ping", nil)
		return r.judgePing(st, ping, pingErr)
	})}
	if pingErr == nil && isRedirect(ping.status) {
		if loc, err := location(ping); err == nil {
			r.mu.Lock()
			r.redirects[d.URL()] = loc
			r.mu.Unlock()
		}
		return steps // the door only redirects: followRedirect checks where to
	}
	steps = append(steps, timed(func() Step { return r.uiStep(d) }))
	if d.Scheme == "https" && pingErr == nil {
		steps = append(steps, r.hstsStep(d, ping))
	}
	return steps
}

func (r *runner) judgePing(st Step, a answer, err error) Step {
	if err != nil {
		return failNet(st, err)
	}
	body := strings.TrimSpace(string(a.body))
	switch {
	case a.status == http.StatusBadRequest && strings.Contains(body, "No required SSL certificate was sent"):
		// nginx with ssl_verify_client on: the handshake passes, the request does not.
		st.Status, st.Reason = StatusFail, ReasonClientCertRequired
		st.Detail = fmt.Sprintf("%s answered 400: no required SSL certificate was sent", a.server())
	case a.status == http.StatusOK && body == "OK":
		st.Status = StatusOK
		st.Detail = "OK"
		if v := a.header.Get("X-JFrog-Version"); v != "" && len(v) < 60 {
			st.Detail += " (" + v + ")"
		}
	case isRedirect(a.status):
		loc, _ := location(a)
		st.Status = StatusInfo
		st.Detail = fmt.Sprintf("%s redirects (%d) to %s: this door does not serve Artifactory itself", a.url, a.status, redactedOr(loc, "?"))
	case !a.fromArtifactory() && (a.status == http.StatusBadGateway || a.status == http.StatusServiceUnavailable || a.status == http.StatusGatewayTimeout):
		st.Status, st.Reason = StatusFail, ReasonUpstreamDown
		st.Detail = fmt.Sprintf("%s answered %s itself", a.server(), a.statusText())
	case !a.fromArtifactory() && a.status == http.StatusNotFound:
		st.Status, st.Reason = StatusFail, ReasonNotRouted
		st.Detail = fmt.Sprintf("%s answered 404 itself: /artifactory/ is not proxied", a.server())
	case a.fromArtifactory():
		st.Status, st.Reason = StatusFail, ReasonPingNotOK
		st.Detail = fmt.Sprintf("Artifactory answered %s: %q", a.statusText(), firstLine(body, 80))
	default:
		st.Status, st.Reason = StatusFail, ReasonUnexpected
		st.Detail = fmt.Sprintf("%s answered %s: %q", a.server(), a.statusText(), firstLine(body, 80))
	}
	return st
}

// uiStep: / redirects to /ui/ on the door's own scheme, host and port, and
// /ui/ is served (by the router, Artifactory 7).
func (r *runner) uiStep(d Door) Step {
	st := Step{Kind: KindUI, Name: "UI through " + d.URL(), Target: d.URL()}
	if c, ok := r.canceledStep(st.Kind, st.Name, st.Target); ok {
		return c
	}
	a, err := r.get(d, http.MethodGet, "/", nil)
	if err != nil {
		return failNet(st, err)
	}
	var parts []string
	if isRedirect(a.status) {
		loc, err := location(a)
		switch {
		case err != nil:
			st.Status, st.Reason, st.Detail = StatusFail, ReasonUIRedirect, fmt.Sprintf("/ → %d with an unusable Location: %v", a.status, err)
			return st
		case !relativeLocation(a) && (loc.Scheme != d.origin().Scheme || !strings.EqualFold(loc.Hostname(), d.Host) || effectivePort(loc) != d.origin().Port):
			// A relative Location stays on whatever the client used.
			st.Status, st.Reason = StatusFail, ReasonUIRedirect
			st.Detail = fmt.Sprintf("/ → %d %s: clients use %s", a.status, loc.Redacted(), d.originURL())
			if loc.Scheme == d.origin().Scheme && strings.EqualFold(loc.Hostname(), d.Host) {
				st.Reason = ReasonRedirectPort
				st.Cause = "nginx's own redirect (rewrite ... redirect) leaves out the port clients use: they land on another port"
			}
			return st
		case loc.Path != "/ui/":
			parts = append(parts, fmt.Sprintf("/ → %d %s (not /ui/)", a.status, loc.Redacted()))
			st.Reason = ReasonNoUIRedirect
		default:
			parts = append(parts, fmt.Sprintf("/ → %d /ui/", a.status))
		}
	} else {
		parts = append(parts, fmt.Sprintf("/ answers %s, no redirect to /ui/", a.statusText()))
		st.Reason = ReasonNoUIRedirect
	}
	ui, err := r.get(d, http.MethodGet, "/ui/", nil)
	if err != nil {
		return failNet(st, err)
	}
	switch {
	case ui.status == http.StatusOK:
		parts = append(parts, "/ui/ 200 "+ui.header.Get("Content-Type"))
	case !ui.fromArtifactory() && (ui.status == http.StatusBadGateway || ui.status == http.StatusServiceUnavailable || ui.status == http.StatusGatewayTimeout):
		st.Status, st.Reason = StatusFail, ReasonUpstreamDown
		st.Detail = strings.Join(append(parts, fmt.Sprintf("/ui/: %s answered %s itself", ui.server(), ui.statusText())), "; ")
		return st
	case ui.fromArtifactory() && ui.status == http.StatusNotFound:
		st.Status, st.Reason = StatusFail, ReasonRouterNotReached
		st.Detail = strings.Join(append(parts, "/ui/: Artifactory answered 404: the door sends / to Artifactory's own port, not the router"), "; ")
		return st
	case ui.status == http.StatusNotFound:
		st.Status, st.Reason = StatusFail, ReasonNotRouted
		st.Detail = strings.Join(append(parts, fmt.Sprintf("/ui/: %s answered 404 itself", ui.server())), "; ")
		return st
	default:
		st.Status, st.Reason = StatusFail, ReasonUnexpected
		st.Detail = strings.Join(append(parts, "/ui/ answered "+ui.statusText()), "; ")
		return st
	}
	st.Detail = strings.Join(parts, "; ")
	st.Status = StatusOK
	if st.Reason == ReasonNoUIRedirect {
		st.Status = StatusWarn
	}
	return st
}

// hstsStep reads Strict-Transport-Security off the ping's answer.
func (r *runner) hstsStep(d Door, a answer) Step {
	st := Step{Kind: KindHSTS, Name: "HSTS on " + d.URL(), Target: d.URL()}
	v := a.header.Get("Strict-Transport-Security")
	maxAge := -1
	for _, part := range strings.Split(v, ";") {
		if k, val, ok := strings.Cut(strings.TrimSpace(part), "="); ok && strings.EqualFold(k, "max-age") {
			if n, err := strconv.Atoi(strings.Trim(val, `"`)); err == nil {
				maxAge = n
			}
		}
	}
	switch {
	case v == "" && r.plan.Settings && !r.plan.HSTSExpected:
		st.Status = StatusInfo
		st.Detail = "none, as the settings say: plain HTTP serves too (no redirect), so HSTS would contradict it"
	case v == "":
		st.Status, st.Reason = StatusWarn, ReasonNoHSTS
		st.Detail = "no Strict-Transport-Security header"
	case maxAge < 15552000:
		st.Status, st.Reason = StatusWarn, ReasonNoHSTS
		st.Detail = fmt.Sprintf("Strict-Transport-Security: %s (max-age under 180 days)", firstLine(v, 80))
		st.Cause = "a short max-age lets browsers forget HTTPS between visits"
	default:
		st.Status = StatusOK
		st.Detail = "Strict-Transport-Security: " + firstLine(v, 80)
	}
	return st
}

// slashStep: a path with %2F reaches Artifactory unchanged. Artifactory
// answers "OK" to /artifactory/api/system/ping; asked for the same path
// with its slashes encoded it must not: a door that decodes %2F turns the
// one into the other, and a door that refuses %2F answers itself.
func (r *runner) slashStep(d Door) Step {
	st := Step{Kind: KindEncodedSlash, Name: "Encoded slashes through " + d.URL(), Target: d.URL()}
	if c, ok := r.canceledStep(st.Kind, st.Name, st.Target); ok {
		return c
	}
	if !r.reachable(d) {
		return Step{}
	}
	const probe = "/artifactory/api%2Fsystem%2Fping"
	a, err := r.get(d, http.MethodGet, probe, nil)
	if err != nil {
		return failNet(st, err)
	}
	body := strings.TrimSpace(string(a.body))
	switch {
	case isRedirect(a.status):
		return Step{} // the door only redirects: nothing to judge here
	case a.status == http.StatusOK && body == "OK":
		st.Status, st.Reason = StatusFail, ReasonSlashDecoded
		st.Detail = "GET " + probe + " answered the ping: the door decoded %2F into /"
	case a.fromArtifactory():
		st.Status = StatusOK
		st.Detail = fmt.Sprintf("GET %s reached Artifactory undecoded (it answered %s)", probe, a.statusText())
	case !a.fromArtifactory() && (a.status == http.StatusBadGateway || a.status == http.StatusServiceUnavailable || a.status == http.StatusGatewayTimeout):
		st.Status, st.Reason = StatusSkip, ReasonNone
		st.Detail = "not judged: Artifactory does not answer through the door (see the ping)"
	default:
		st.Status, st.Reason = StatusFail, ReasonSlashRefused
		st.Detail = fmt.Sprintf("GET %s: %s answered %s itself", probe, a.server(), a.statusText())
	}
	return st
}

func redactedOr(u *url.URL, alt string) string {
	if u == nil {
		return alt
	}
	return u.Redacted()
}

// firstLine is the first line of s, at most n bytes: enough to recognize an
// answer in a report, never a whole page.
func firstLine(s string, n int) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}

// relativeLocation reports whether an answer's Location names no scheme
// and host: the client stays on the scheme, host and port it used.
func relativeLocation(a answer) bool {
	v := strings.TrimSpace(a.header.Get("Location"))
	return strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "//")
}
