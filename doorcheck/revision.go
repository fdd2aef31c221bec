// Verify's proof of which configuration serves: the web servers'
// configurations frontdoor renders answer their own revision at
// render.RevisionPath, to this machine only. The other steps test what the
// old and the new configuration may share (one server block on a port
// answers any Host); the revision tells them apart.

package doorcheck

import (
	"fmt"
	"net/http"

	"frontdoor/render"
)

// revisionStep: door d answers the revision of the configuration saved.
func (r *runner) revisionStep(d Door) Step {
	want := r.plan.expectRevision
	st := Step{Kind: KindRevision, Name: "Revision on " + d.URL(), Target: d.URL()}
	if c, ok := r.canceledStep(st.Kind, st.Name, st.Target); ok {
		return c
	}
	if !r.reachable(d) {
		return Step{}
	}
	a, err := r.get(d, http.MethodGet, render.RevisionPath, nil)
	if err != nil {
		return failNet(st, err)
	}
	got, marker := render.RevisionAnswer(a.body)
	switch {
	case marker && a.status == http.StatusOK && got == want:
		st.Status, st.Detail = StatusOK, "revision "+got+": the configuration saved is the one serving"
	case marker:
		st.Status, st.Reason = StatusFail, ReasonOldRevision
		st.Detail = fmt.Sprintf("the server still answers revision %s (the file saved is revision %s)", got, want)
		r.mu.Lock()
		r.staleRevision = got
		r.mu.Unlock()
	case a.status == http.StatusForbidden && !a.fromArtifactory():
		st.Status, st.Reason = StatusWarn, ReasonRevisionDenied
		st.Detail = fmt.Sprintf("%s refused the revision (%s): it answers 127.0.0.1 and ::1 only", a.server(), a.statusText())
	default:
		st.Status, st.Reason = StatusFail, ReasonNoRevision
		st.Detail = fmt.Sprintf("GET %s answered %s from %s, not a revision: the configuration serving has no revision marker (the file saved is revision %s)",
			render.RevisionPath, a.statusText(), answerSource(a), want)
	}
	return st
}

// answerSource names who wrote an answer: Artifactory (the path was
// proxied), or the web server.
func answerSource(a answer) string {
	if a.fromArtifactory() {
		return "Artifactory"
	}
	return a.server()
}

// revisionOutcome sums up the revision steps of a run for Result: the
// revision every door answered, or why it could not be told.
func (r *runner) revisionOutcome() {
	if r.plan.expectRevision == "" {
		r.res.RevisionUnknown = r.plan.revisionUnknown
		return
	}
	r.res.StaleRevision = r.staleRevision
	seen, ok := 0, true
	for _, st := range r.res.Steps {
		if st.Kind != KindRevision {
			continue
		}
		seen++
		switch st.Status {
		case StatusOK:
		case StatusWarn:
			ok = false
			if r.res.RevisionUnknown == "" {
				r.res.RevisionUnknown = st.Detail
			}
		default:
			ok = false
		}
	}
	switch {
	case seen > 0 && ok:
		r.res.Revision = r.plan.expectRevision
	case seen == 0 && r.res.RevisionUnknown == "":
		r.res.RevisionUnknown = "no door answered"
	}
}
