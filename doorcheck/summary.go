// Step 9: the verdict in one line: the door works, or the first failure
// and its fix.

package doorcheck

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dustin/go-humanize"
)

func (r *runner) summary() {
	st := Step{Kind: KindSummary, Name: "Summary", Status: StatusOK}
	var dead []string
	for _, l := range r.listeners {
		if !l.alive() && l.why != "" {
			dead = append(dead, fmt.Sprintf("%s:%d (%s)", l.host, l.port, l.why))
		}
	}
	if !r.res.Canceled && !r.reachedArtifactory() {
		r.res.NotChecked = r.notChecked
		if r.res.NotChecked == "" && r.res.FirstFailure == nil {
			r.res.NotChecked = "Artifactory did not answer through any door"
		}
	}
	switch {
	case r.res.Canceled:
		st.Status, st.Reason, st.Detail = StatusFail, ReasonCanceled, "canceled"
	case r.res.FirstFailure != nil:
		f := r.res.FirstFailure
		st.Status, st.Reason = StatusFail, f.Reason
		parts := []string{fmt.Sprintf("the door does not work: %d step(s) failed; first: %s: %s", r.res.Failed, f.Name, f.Detail)}
		if r.res.Warnings > 0 {
			parts = append(parts, fmt.Sprintf("%d warning(s)", r.res.Warnings))
		}
		if r.res.NotChecked != "" {
			parts = append(parts, "not checked: "+r.res.NotChecked)
		}
		st.Detail = strings.Join(parts, "; ")
		st.Cause, st.Fix = f.Cause, f.Fix
	case r.res.NotChecked != "":
		// Never "the door works" without Artifactory's own answer.
		st.Status, st.Reason = StatusWarn, ReasonNotChecked
		st.Detail = "not checked: " + r.res.NotChecked
		if r.res.Warnings > 0 {
			st.Detail += fmt.Sprintf("; %d warning(s) above", r.res.Warnings)
		}
		explain(&st, r.knownProvider(), r.vars(st))
	default:
		st.Detail = fmt.Sprintf("the door works: %s", r.checkedWhat())
		if r.res.Warnings > 0 {
			st.Status = StatusWarn
			st.Detail += fmt.Sprintf("; %d warning(s) above", r.res.Warnings)
		}
		if s := r.uploadsUnproven(); s != "" {
			st.Detail += "; " + s
		}
	}
	if len(dead) > 0 && st.Status == StatusFail && !r.res.Canceled {
		st.Detail += "; not checked further: " + listSome(sortedCopy(dead), 3)
	}
	// The summary repeats the first failure: it is not counted again.
	failed, warnings, first := r.res.Failed, r.res.Warnings, r.res.FirstFailure
	r.emit(st)
	r.res.Failed, r.res.Warnings, r.res.FirstFailure = failed, warnings, first
}

// checkedWhat says what the run covered: "2 listeners, 3 Docker
// repositories, login as alice, a 64 MiB upload".
func (r *runner) checkedWhat() string {
	parts := []string{fmt.Sprintf("%d %s", r.res.Doors, plural(r.res.Doors, "door", "doors"))}
	if n := r.res.Repositories; n > 0 {
		parts = append(parts, fmt.Sprintf("%d Docker %s", n, plural(n, "repository", "repositories")))
	}
	if login, ok := r.res.Last(KindDockerLogin); ok && login.Status == StatusOK {
		parts = append(parts, "logged in as "+r.opt.User)
	}
	if r.opt.UploadSize > 0 {
		if up, ok := r.res.Last(KindUpload); ok && up.Status == StatusOK {
			parts = append(parts, "uploads stream")
		}
	}
	return strings.Join(parts, ", ")
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

// uploadsUnproven says what the run did not prove about uploads, "" when a
// real upload went through: without one, a body limit past what the
// anonymous probe sent is not found.
func (r *runner) uploadsUnproven() string {
	if up, ok := r.res.Last(KindUpload); ok && up.Status == StatusOK {
		return ""
	}
	registry := false
	for _, st := range r.res.Steps {
		if registryAnswered(st) {
			registry = true
		}
	}
	if !registry {
		return "uploads: body size not checked (the check uploads to a Docker registry only, and none answered here)"
	}
	r.mu.Lock()
	checked := r.bodyChecked
	r.mu.Unlock()
	if checked > 0 {
		return fmt.Sprintf("uploads: body size not checked past %s; give --user --upload-size to try a real upload", humanize.IBytes(uint64(checked)))
	}
	return "uploads: body size not checked; give --user --upload-size to try a real upload"
}
