package ldap

import (
	"fmt"
	"time"

	"github.com/charmbracelet/x/ansi"

	"frontdoor/ldapcheck"
	"frontdoor/tui/common"
)

// StepLines draws one step: status glyph, name and duration, then the
// detail and the hint, indented under it.
func StepLines(st *common.Styles, step ldapcheck.Step, width int) []string {
	style := map[ldapcheck.Status]common.Renderer{
		ldapcheck.StatusOK:   st.OKText,
		ldapcheck.StatusInfo: st.Subtle,
		ldapcheck.StatusWarn: st.WarnText,
		ldapcheck.StatusFail: st.ErrorText,
		ldapcheck.StatusSkip: st.Faint,
	}[step.Status]
	if style == nil {
		style = st.Value
	}
	dur := ""
	if step.Duration > 0 && step.Status != ldapcheck.StatusSkip { // a step not tried took no time worth saying

		dur = st.Faint.Render(" (" + formatStepDuration(step.Duration) + ")")
	}
	out := []string{common.Truncate("  "+style.Render(step.Status.Symbol())+" "+st.Bold.Render(step.Name)+dur, width)}
	if step.Detail != "" {
		out = append(out, common.WrapPrefixed(step.Detail, width, "    ", "    ", st.Value)...)
	}
	if step.Hint != "" {
		out = append(out, common.WrapPrefixed(step.Hint, width, "    → ", "      ", st.WarnText)...)
	}
	return out
}

// formatStepDuration is short and stable: 0.4 ms, 12 ms, 1.2 s.
func formatStepDuration(d time.Duration) string {
	switch {
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// lockoutSkip is the bind a run skipped to protect an account from a
// lockout (ldapcheck.ReasonLockedOut or ReasonLockoutRisk), or nil.
func lockoutSkip(steps []ldapcheck.Step) *ldapcheck.Step {
	for i := range steps {
		s := &steps[i]
		if s.Status == ldapcheck.StatusSkip && (s.Reason == ldapcheck.ReasonLockedOut || s.Reason == ldapcheck.ReasonLockoutRisk) {
			return s
		}
	}
	return nil
}

// lockoutWhy says why a bind was held back (a lockoutSkip step).
func lockoutWhy(s *ldapcheck.Step) string {
	if s.Reason == ldapcheck.ReasonLockedOut {
		return "the account is locked out"
	}
	return "one more wrong password locks the account"
}

// Verdict is the last lines of a run.
func Verdict(st *common.Styles, res ldapcheck.Result, key string, width int) []string {
	var text string
	var style common.Renderer
	switch {
	case res.Canceled:
		text, style = common.GlyphWarning+" Test canceled (esc): nothing more was sent to the directory.", st.WarnText
	case res.OK():
		who := ldapcheck.Quote(res.Username)
		found := "works: " + who + " found and authenticated as " + res.UserDN
		if res.LookupOnly {
			found = "finds " + who + " as " + res.UserDN
		}
		text, style = common.GlyphOK+" Setting "+key+" "+found+".", st.OKText
		// A step after the login (groups) can still fail: "works" under a
		// ✗ step would hide it.
		for _, s := range res.Steps {
			if s.Status == ldapcheck.StatusFail && s.Kind != ldapcheck.StepSummary {
				found = "logs " + who + " in as " + res.UserDN
				if res.LookupOnly {
					found = "finds " + who + " as " + res.UserDN
				}
				text, style = fmt.Sprintf("%s Setting %s %s, but %s failed (see its hint above).", common.GlyphWarning, key, found, s.Name), st.WarnText
				break
			}
		}
		if res.LookupOnly {
			// Found is all a lookup proves: said whatever came after.
			text += " LOOKUP ONLY: no password was sent, the user's bind was NOT tested."
		}
	case res.TimedOut:
		text, style = common.GlyphError+" Test failed: the directory did not answer in time (see the step above).", st.ErrorText
	case lockoutSkip(res.Steps) != nil:
		// Nothing failed: a bind was held back, and a "see the ✗ step"
		// would point at none.
		s := lockoutSkip(res.Steps)
		text, style = common.GlyphError+" Not tested: "+s.Name+" was not tried, "+lockoutWhy(s)+" (see its hint above).", st.ErrorText
	default:
		text, style = common.GlyphError+" Test failed: see the ✗ step and its hint above.", st.ErrorText
		for _, s := range res.Steps {
			if s.Status == ldapcheck.StatusFail && s.Kind != ldapcheck.StepSummary {
				text = common.GlyphError + " Test failed at " + s.Name + " (see its hint above)."
				break
			}
		}
		if len(res.WhyNotFound) > 0 {
			text += " The Why not found step above says why."
		}
	}
	out := common.WrapPrefixed(text, width, "  ", "    ", st.Bold)
	for i := range out {
		out[i] = style.Render(ansi.Strip(out[i]))
	}
	if res.InsecureSkipVerify {
		out = append(out, common.WrapPrefixed(common.GlyphWarning+" The certificate was not verified (insecureSkipVerify).", width, "  ", "    ", st.WarnText)...)
	}
	return out
}
