// Step 9: the verdict in one line.

package ldapcheck

import (
	"fmt"
	"strings"
)

// summary is always the last step: the verdict in one line.
// notSettled is the verdict on a user neither found nor authenticated, in
// words true to what ran: "not found" only when a lookup ran and found
// nobody, "could not log in" only when a login was tried; a run that
// stopped before either (nothing listening, the manager bind failed) says
// so.
func (r *runner) notSettled() string {
	notFound, bindTried := false, false
	for _, st := range r.res.Steps {
		if st.Status != StatusFail {
			continue
		}
		notFound = notFound || st.Reason == ReasonNotFound
		bindTried = bindTried || st.Kind == StepUserBind
	}
	user := r.opt.Username
	switch {
	case notFound && (bindTried || r.opt.LookupOnly):
		return Quote(user) + " was not found"
	case notFound:
		return Quote(user) + " was not found, so no login was tried"
	case bindTried:
		return Quote(user) + " could not log in"
	case r.opt.LookupOnly:
		return Quote(user) + " could not be looked up"
	}
	return "the login of " + Quote(user) + " could not be tested"
}

func (r *runner) summary() {
	st := Step{Kind: StepSummary, Name: "Summary", Status: StatusFail}
	var parts []string
	switch {
	case r.res.Canceled:
		parts = append(parts, "canceled")
		st.Reason = ReasonCanceled
	case r.res.OK():
		st.Status = StatusOK
		if r.opt.LookupOnly {
			parts = append(parts, fmt.Sprintf("%s found as %s (lookup only: no bind, the password was not tested)", Quote(r.opt.Username), r.res.UserDN))
		} else {
			parts = append(parts, fmt.Sprintf("%s found and authenticated as %s", Quote(r.opt.Username), r.res.UserDN))
		}
		if r.res.Email != "" {
			parts = append(parts, "email "+r.res.Email)
		}
		for _, g := range r.groups {
			var names []string
			for _, gr := range r.res.Groups {
				if gr.Setting == g.Name {
					names = append(names, gr.Name)
				}
			}
			parts = append(parts, "groups "+g.Name+": "+listOrNone(names))
		}
	case r.res.UserFound:
		// The verdict names the same cause as the bind step: an account
		// problem (AD data 533, 775...) is not a wrong password.
		st.Reason = ReasonInvalidCredentials
		verdict := "but not authenticated"
		if b, ok := r.res.Last(StepUserBind); ok && b.Status == StatusFail && b.Reason != ReasonNone {
			st.Reason = b.Reason
			if code, info, ok := adReason(r.userBindErr); ok && b.Reason == ReasonAccountProblem {
				verdict = fmt.Sprintf("but the account cannot log in: Active Directory data %s, %s", code, info.meaning)
			}
		}
		if stop := r.lockoutStop; stop != nil && !r.opt.LookupOnly {
			// The same reason as the skipped bind, in the verdict too.
			st.Reason, st.Hint = stop.Reason, stop.Hint
			verdict = "but the login was not tried: one more wrong password locks the account"
			if stop.Reason == ReasonLockedOut {
				verdict = "but the account is locked out, so the login was not tried"
			}
		}
		parts = append(parts, fmt.Sprintf("%s found as %s %s", Quote(r.opt.Username), r.res.UserDN, verdict))
	default:
		parts = append(parts, r.notSettled())
		for i := len(r.res.Steps) - 1; i >= 0; i-- {
			s := r.res.Steps[i]
			if s.Status == StatusFail {
				parts = append(parts, "failed at: "+s.Name)
				st.Reason = s.Reason
				break
			}
			if s.Status == StatusSkip && (s.Reason == ReasonLockedOut || s.Reason == ReasonLockoutRisk) {
				parts = append(parts, "stopped at: "+s.Name+" ("+s.Detail+")")
				st.Reason, st.Hint = s.Reason, s.Hint
				break
			}
		}
	}
	if r.s.InsecureSkipVerify && (r.ep.TLS() || r.s.StartTLS) {
		parts = append([]string{"CERTIFICATES NOT VERIFIED (insecureSkipVerify)"}, parts...)
		if st.Status == StatusOK {
			st.Status, st.Reason = StatusWarn, ReasonNotVerified
		}
		st.Hint = "remove insecureSkipVerify and set caFile: the result holds only if nobody impersonates the server"
	}
	warnings, failed := 0, 0
	var firstFailed Step
	for _, s := range r.res.Steps {
		switch s.Status {
		case StatusWarn:
			warnings++
		case StatusFail:
			if failed == 0 {
				firstFailed = s
			}
			failed++
		}
	}
	if st.Status != StatusFail {
		// The login works, but a later step (groups) failed: a ✓ summary
		// that only counted warnings would hide it.
		if failed > 0 {
			parts = append(parts, fmt.Sprintf("%d step(s) failed above (first: %s)", failed, firstFailed.Name))
			if st.Status == StatusOK {
				st.Status, st.Reason = StatusWarn, firstFailed.Reason
			}
		}
		if warnings > 0 {
			parts = append(parts, fmt.Sprintf("%d warning(s) above", warnings))
		}
	}
	st.Detail = strings.Join(parts, "; ")
	r.emit(st)
}
