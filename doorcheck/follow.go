// A door that only redirects proves nothing about Artifactory: the check
// follows the redirect to the door it names when that is the same host
// (names resolved as before), and otherwise the summary says what was not
// checked. Either way "the door works" needs Artifactory's own answer.

package doorcheck

import (
	"fmt"
	"net/url"
	"strings"
)

// followRedirect checks the door the first redirecting main door sends
// clients to, after the run found that no door served Artifactory itself:
// one hop, same host, HTTPS only (the credentials the later steps may send
// go to verified HTTPS only anyway).
func (r *runner) followRedirect() {
	if r.res.Canceled || r.reachedArtifactory() {
		return
	}
	from, to, ok := r.firstRedirect()
	if !ok {
		return
	}
	target := Door{Role: RoleMain, Scheme: to.Scheme, Host: strings.ToLower(to.Hostname()), Port: effectivePort(to)}
	switch {
	case to.Scheme != "https" || !strings.EqualFold(target.Host, from.Host):
		r.notChecked = "this door only redirects to " + target.URL() + "; check that door"
		return
	case r.planned(target):
		return // its own steps said what it does
	}
	r.emit(Step{Kind: KindFollow, Name: "Following the redirect to " + target.URL(), Target: target.URL(), Status: StatusInfo,
		Detail: fmt.Sprintf("%s only redirects, to the same host: the door it names is checked next (names resolved as before)", from.URL())})
	doors := []Door{target}
	for _, d := range r.plan.doorsOf(RoleDocker) {
		// Docker on the redirecting door's scheme and port moves with it.
		if d.Scheme == from.Scheme && d.Port == from.Port {
			d.Scheme, d.Port = target.Scheme, target.Port
			doors = append(doors, d)
		}
	}
	before := r.plan.Doors
	r.plan.Doors = doors
	r.run()
	r.plan.Doors = append(before, doors...)
	r.res.Doors = len(r.plan.Endpoints())
}

// firstRedirect is the first main door, in plan order, whose ping was
// redirected, and where to.
func (r *runner) firstRedirect() (Door, *url.URL, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range r.plan.doorsOf(RoleMain) {
		if to, ok := r.redirects[d.URL()]; ok {
			return d, to, true
		}
	}
	return Door{}, nil, false
}

// planned reports whether the plan already has a main door at d's URL.
func (r *runner) planned(d Door) bool {
	for _, p := range r.plan.doorsOf(RoleMain) {
		if p.URL() == d.URL() {
			return true
		}
	}
	return false
}

// reachedArtifactory reports whether a ping through some door was answered
// by Artifactory with OK: the one thing a working door must show.
func (r *runner) reachedArtifactory() bool {
	for _, st := range r.res.Steps {
		if st.Kind == KindPing && st.Status == StatusOK {
			return true
		}
	}
	return false
}
