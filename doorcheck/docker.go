// Step 6: each Docker repository as a Docker client meets it. GET /v2/
// answers 401 with Docker-Distribution-Api-Version and a Bearer realm on the
// public scheme, host and port; the realm's token endpoint answers through
// the door; with --user a token is issued and the registry accepts it.

package doorcheck

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"frontdoor/render"
)

// probeImage is the image name the probes ask about: it does not exist, so
// asking reads nothing and a 404 is the right answer.
const probeImage = "frontdoor-check/probe"

// realmInfo is a door's verified token realm.
type realmInfo struct {
	realm   *url.URL
	service string
}

// repoPath reports whether d is reached by the repository-path method,
// where the image name carries the key.
func (r *runner) repoPath(d Door) bool {
	return r.plan.Method == render.DockerRepositoryPath && d.Repo != ""
}

// image is the image name a client uses on door d.
func (r *runner) image(d Door) string {
	if r.repoPath(d) {
		return d.Repo + "/" + probeImage
	}
	return probeImage
}

// dockerTarget is what a Docker step reports as its target.
func dockerTarget(d Door) string {
	return d.URL()
}

// dockerName is the step title's name for a door's repository.
func (r *runner) dockerName(d Door) string {
	switch {
	case d.Repo == "":
		return "Docker at " + d.URL()
	case r.repoPath(d):
		return fmt.Sprintf("Docker %s (%s/%s/...)", d.Repo, d.URL(), d.Repo)
	}
	return fmt.Sprintf("Docker %s (%s)", d.Repo, d.URL())
}

// firstLiveDocker is the door the upload-streaming probe uses.
func (r *runner) firstLiveDocker() (Door, bool) {
	for _, d := range r.plan.doorsOf(RoleDocker) {
		if d.Repo != "" && r.reachable(d) {
			return d, true
		}
	}
	return Door{}, false
}

// dockerStepsThenStreaming is the Docker step of a door whose method is
// unknown (a URL without settings), then, when a registry answered there,
// the streaming probe on it. The probe's path needs no repository key:
// with the method unknown its image is probeImage, a path that is a Docker
// upload path by subdomain or port, and under the repository-path method
// names a repository "frontdoor-check" that Artifactory refuses at once,
// which is all the probe needs (an answer before the body is read).
func (r *runner) dockerStepsThenStreaming(d Door) []Step {
	steps := r.dockerSteps(d)
	if len(steps) > 0 && registryAnswered(steps[0]) {
		steps = append(steps, timed(func() Step { return r.streamingStep(d) }))
	}
	return steps
}

// registryAnswered reports whether a Docker step met a registry: /v2/
// answered as one does (the verdict may still warn), not the web server's
// own 404 or Artifactory's "no registry at this name".
func registryAnswered(st Step) bool {
	return st.Kind == KindDocker && (st.Status == StatusOK || st.Status == StatusWarn && st.Reason != ReasonNoRegistryAtName)
}

func (r *runner) dockerSteps(d Door) []Step {
	if !r.reachable(d) {
		return nil
	}
	var realm *realmInfo
	steps := []Step{timed(func() Step {
		st, ri := r.dockerStep(d)
		realm = ri
		return st
	})}
	if steps[0].Kind == "" {
		return nil
	}
	if r.opt.User != "" && (realm != nil || steps[0].Status != StatusInfo) { // not where no registry answers
		steps = append(steps, timed(func() Step { return r.loginStep(d, realm) }))
	}
	if d.Repo != "" && r.plan.Method == render.DockerSubdomain && d.Repo == r.plan.Repos[0] {
		steps = append(steps, timed(func() Step { return r.bareNameStep(d) }))
	}
	return steps
}

// apiPath is what a client asks first: /v2/, or, with the repository-path
// method, a path under the repository (the bare /v2/ names no repository).
func (r *runner) apiPath(d Door) string {
	if r.repoPath(d) {
		return "/v2/" + r.image(d) + "/tags/list"
	}
	return "/v2/"
}

func (r *runner) dockerStep(d Door) (Step, *realmInfo) {
	st := Step{Kind: KindDocker, Name: r.dockerName(d), Target: dockerTarget(d)}
	if c, ok := r.canceledStep(st.Kind, st.Name, st.Target); ok {
		return c, nil
	}
	path := r.apiPath(d)
	a, err := r.get(d, http.MethodGet, path, http.Header{"Accept": {"application/json"}})
	if err != nil {
		return failNet(st, err), nil
	}
	if st, done := r.judgeDockerError(st, d, path, a); done {
		return st, nil
	}
	switch a.status {
	case http.StatusOK:
		st.Status = StatusOK
		st.Detail = path + " 200: anonymous access is on (no realm to check)"
		if a.header.Get("Docker-Distribution-Api-Version") == "" && path == "/v2/" {
			st.Status, st.Reason = StatusWarn, ReasonNoAPIVersion
			st.Detail += "; no Docker-Distribution-Api-Version header"
		}
		return st, nil
	case http.StatusUnauthorized:
	default:
		st.Status, st.Reason = StatusFail, ReasonUnexpected
		st.Detail = fmt.Sprintf("%s answered %s (%s): a registry answers 401 or 200", path, a.statusText(), a.server())
		return st, nil
	}
	var notes []string
	apiVersion := a.header.Get("Docker-Distribution-Api-Version")
	rawRealm, service, ok := bearerRealm(a.header.Values("WWW-Authenticate"))
	if !ok {
		st.Status, st.Reason = StatusWarn, ReasonNoBearer
		st.Detail = fmt.Sprintf("%s 401 without a Bearer realm (challenges: %s)", path, schemes(a.header.Values("WWW-Authenticate")))
		return st, nil
	}
	realm, err := parseLocation(nil, []string{rawRealm})
	if err != nil {
		st.Status, st.Reason = StatusFail, ReasonRealmHost
		st.Detail = fmt.Sprintf("%s 401 with an unusable realm: %v", path, err)
		return st, nil
	}
	if reason, how := sameOrigin(realm, d); reason != ReasonNone {
		st.Status, st.Reason = StatusFail, reason
		st.Detail = fmt.Sprintf("%s 401 with realm %s: %s", path, realm.Redacted(), how)
		return st, nil
	}
	ri := &realmInfo{realm: realm, service: service}
	notes = append(notes, fmt.Sprintf("%s 401, Bearer realm %s (public scheme, host and port)", path, realm.Redacted()))
	tok, err := r.tokenRequest(d, ri, "pull", false)
	switch {
	case err != nil:
		return failNet(st, err), ri
	case tok.status == http.StatusOK || (tok.status == http.StatusUnauthorized && tok.fromArtifactory()):
		notes = append(notes, fmt.Sprintf("the token endpoint answers %d without credentials", tok.status))
	case !tok.fromArtifactory() && (tok.status == http.StatusBadGateway || tok.status == http.StatusServiceUnavailable || tok.status == http.StatusGatewayTimeout):
		st.Status, st.Reason = StatusFail, ReasonUpstreamDown
		st.Detail = strings.Join(append(notes, fmt.Sprintf("the token endpoint: %s answered %s itself", tok.server(), tok.statusText())), "; ")
		return st, ri
	default:
		st.Status, st.Reason = StatusFail, ReasonTokenUnreachable
		st.Detail = strings.Join(append(notes, fmt.Sprintf("the token endpoint answered %s (%s)", tok.statusText(), tok.server())), "; ")
		return st, ri
	}
	st.Status = StatusOK
	if apiVersion == "" {
		st.Status, st.Reason = StatusWarn, ReasonNoAPIVersion
		notes = append(notes, "no Docker-Distribution-Api-Version header")
	}
	st.Detail = strings.Join(notes, "; ")
	return st, ri
}

// judgeDockerError recognizes the answers that mean the request never got
// to the repository: the door's own 404 or 502, Artifactory's "repository
// null", an unknown repository, a redirect.
func (r *runner) judgeDockerError(st Step, d Door, path string, a answer) (Step, bool) {
	body := string(a.body)
	switch {
	case isRedirect(a.status):
		loc, _ := location(a)
		st.Status = StatusInfo
		st.Detail = fmt.Sprintf("%s redirects (%d) to %s", path, a.status, redactedOr(loc, "?"))
	case a.fromArtifactory() && (a.status == http.StatusBadRequest || a.status == http.StatusNotFound) && strings.Contains(body, "'null'"):
		st.Status, st.Reason = StatusFail, ReasonRepositoryNull
		st.Detail = fmt.Sprintf("%s: Artifactory answered %s: %s", path, a.statusText(), artifactoryMessage(a.body))
	case a.fromArtifactory() && a.status == http.StatusNotFound && path == "/v2/" && d.Repo == "" && r.plan.Method == "":
		// A URL without settings: its own /v2/ is asked, whatever the
		// key. The door may serve Docker under other names or ports.
		st.Status, st.Reason = StatusWarn, ReasonNoRegistryAtName
		st.Detail = fmt.Sprintf("%s: Artifactory answered %s (%s): no Docker registry at %s", path, a.statusText(), artifactoryMessage(a.body), d.Host)
	case a.fromArtifactory() && (a.status == http.StatusBadRequest || a.status == http.StatusNotFound) && path == "/v2/":
		st.Status, st.Reason = StatusFail, ReasonRepositoryUnknown
		st.Detail = fmt.Sprintf("%s: Artifactory answered %s: %s", path, a.statusText(), artifactoryMessage(a.body))
	case a.fromArtifactory() && a.status == http.StatusNotFound:
		// Repository path, anonymous read on: the probe image does not
		// exist, and Artifactory said so: the request got there.
		st.Status = StatusOK
		st.Detail = fmt.Sprintf("%s 404 from Artifactory (%s): anonymous access is on, the request reaches the repository", path, artifactoryMessage(a.body))
	case !a.fromArtifactory() && a.status == http.StatusNotFound:
		if d.Repo == "" {
			st.Status = StatusInfo
			st.Detail = fmt.Sprintf("%s answered 404 itself: no Docker registry at this door", a.server())
			return st, true
		}
		st.Status, st.Reason = StatusFail, ReasonDockerNotRouted
		st.Detail = fmt.Sprintf("%s: %s answered 404 itself", path, a.server())
	case !a.fromArtifactory() && (a.status == http.StatusBadGateway || a.status == http.StatusServiceUnavailable || a.status == http.StatusGatewayTimeout):
		st.Status, st.Reason = StatusFail, ReasonUpstreamDown
		st.Detail = fmt.Sprintf("%s: %s answered %s itself", path, a.server(), a.statusText())
	default:
		return st, false
	}
	return st, true
}

// artifactoryMessage is the first error message of an Artifactory JSON
// answer, or the start of the body.
func artifactoryMessage(body []byte) string {
	var v struct {
		Errors []struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &v) == nil && len(v.Errors) > 0 {
		e := v.Errors[0]
		return firstLine(strings.TrimSpace(e.Code+" "+e.Message), 120)
	}
	return fmt.Sprintf("%q", firstLine(strings.TrimSpace(string(body)), 80))
}

// tokenRequest asks the realm for a token with the given actions, with
// the user's credentials when withUser.
func (r *runner) tokenRequest(d Door, ri *realmInfo, actions string, withUser bool) (answer, error) {
	u := *ri.realm
	q := u.Query()
	if ri.service != "" {
		q.Set("service", ri.service)
	}
	q.Set("scope", "repository:"+r.image(d)+":"+actions)
	u.RawQuery = q.Encode()
	hdr := http.Header{}
	if withUser {
		req, _ := http.NewRequest(http.MethodGet, "/", nil)
		req.SetBasicAuth(r.opt.User, r.opt.Password)
		hdr.Set("Authorization", req.Header.Get("Authorization"))
	}
	a, err := r.net.request(r.ctx, d.Scheme == "https" && !r.tlsFor(d).verified, http.MethodGet, d.viaDoor(&u).String(), hdr, nil)
	if err == nil {
		r.learnProvider(a)
	}
	return a, err
}

// token reads the token out of a token endpoint's 200.
func token(a answer) (string, int, bool) {
	var v struct {
		Token       string `json:"token"`
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if json.Unmarshal(a.body, &v) != nil {
		return "", 0, false
	}
	if v.Token == "" {
		v.Token = v.AccessToken
	}
	return v.Token, v.ExpiresIn, v.Token != ""
}

// credentialsRefused says why credentials are not sent to door d (never
// over plain HTTP, never to a door whose certificate failed, never to a
// realm that is not the door's); "" when they may be.
func (r *runner) credentialsRefused(d Door, ri *realmInfo) string {
	switch {
	case d.Scheme != "https":
		return "credentials are never sent over plain HTTP (Docker refuses too, unless the registry is marked insecure)"
	case !r.tlsFor(d).verified:
		return "credentials are not sent: the certificate did not verify (step TLS above)"
	case ri == nil:
		return "no token realm to log in to (see the step above)"
	}
	return ""
}

// loginStep gets a token with --user, and uses it as a Docker client does.
func (r *runner) loginStep(d Door, ri *realmInfo) Step {
	to := d.Repo
	if to == "" {
		to = d.URL()
	}
	st := Step{Kind: KindDockerLogin, Name: fmt.Sprintf("Docker login to %s as %s", to, r.opt.User), Target: dockerTarget(d)}
	if c, ok := r.canceledStep(st.Kind, st.Name, st.Target); ok {
		return c
	}
	if why := r.credentialsRefused(d, ri); why != "" {
		st.Status, st.Detail = StatusSkip, why
		return st
	}
	tok, err := r.tokenRequest(d, ri, "pull", true)
	if err != nil {
		return failNet(st, err)
	}
	bearer, expires, ok := token(tok)
	switch {
	case tok.status == http.StatusUnauthorized || tok.status == http.StatusForbidden:
		st.Status, st.Reason = StatusFail, ReasonInvalidCredentials
		st.Detail = fmt.Sprintf("the token endpoint answered %s: %s", tok.statusText(), artifactoryMessage(tok.body))
		return st
	case tok.status != http.StatusOK || !ok:
		st.Status, st.Reason = StatusFail, ReasonTokenUnreachable
		st.Detail = fmt.Sprintf("the token endpoint answered %s without a token", tok.statusText())
		return st
	}
	notes := []string{"token issued"}
	if expires > 0 {
		notes[0] += fmt.Sprintf(" (expires in %d s)", expires)
	}
	auth := http.Header{"Authorization": {"Bearer " + bearer}, "Accept": {"application/json"}}
	path := r.apiPath(d)
	a, err := r.get(d, http.MethodGet, path, auth)
	if err != nil {
		return failNet(st, err)
	}
	if a.status == http.StatusUnauthorized || a.status == http.StatusForbidden {
		st.Status, st.Reason = StatusFail, ReasonTokenRejected
		st.Detail = strings.Join(append(notes, fmt.Sprintf("%s with it: %s", path, a.statusText())), "; ")
		return st
	}
	notes = append(notes, fmt.Sprintf("%s %d with it", path, a.status))
	manifest := "/v2/" + r.image(d) + "/manifests/latest"
	auth.Set("Accept", "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json")
	m, err := r.get(d, http.MethodHead, manifest, auth)
	if err != nil {
		return failNet(st, err)
	}
	switch m.status {
	case http.StatusNotFound:
		notes = append(notes, "manifest HEAD 404 (no probe image, as expected)")
	case http.StatusOK:
		notes = append(notes, "manifest HEAD 200")
	case http.StatusUnauthorized, http.StatusForbidden:
		st.Status, st.Reason = StatusFail, ReasonTokenRejected
		st.Detail = strings.Join(append(notes, "manifest HEAD "+m.statusText()), "; ")
		return st
	default:
		st.Status, st.Reason = StatusFail, ReasonUnexpected
		st.Detail = strings.Join(append(notes, fmt.Sprintf("manifest HEAD %s (%s)", m.statusText(), m.server())), "; ")
		return st
	}
	st.Status = StatusOK
	st.Detail = strings.Join(notes, "; ")
	return st
}

// bareNameStep: with the subdomain method, /v2/ on the bare server name is
// no repository; a door that rewrites it anyway, with an empty key, is the
// classic "repository 'null'" (an unguarded rewrite).
func (r *runner) bareNameStep(repo Door) Step {
	d := Door{Role: RoleMain, Scheme: repo.Scheme, Host: r.plan.ServerName, Port: repo.Port}
	st := Step{Kind: KindDocker, Name: "Docker rewrite guard on " + d.URL(), Target: d.URL()}
	if !r.reachable(d) {
		return Step{}
	}
	a, err := r.get(d, http.MethodGet, "/v2/", http.Header{"Accept": {"application/json"}})
	if err != nil {
		return failNet(st, err)
	}
	if a.fromArtifactory() && (a.status == http.StatusBadRequest || a.status == http.StatusNotFound) && strings.Contains(string(a.body), "'null'") {
		st.Status, st.Reason = StatusFail, ReasonRepositoryNull
		st.Detail = fmt.Sprintf("/v2/ on the bare name: Artifactory answered %s: %s", a.statusText(), artifactoryMessage(a.body))
		return st
	}
	st.Status = StatusOK
	st.Detail = fmt.Sprintf("/v2/ on the bare name is not rewritten to an empty repository key (answers %s)", a.statusText())
	return st
}
