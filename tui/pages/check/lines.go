package check

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"frontdoor/doorcheck"
	"frontdoor/internal/textwrap"
	"frontdoor/tui/common"
)

// The words are doorcheck's (Step.Lines: what `frontdoor check` prints);
// the wizard wraps them at the pane's width and colours the marks.

// StepLines draw one step as `frontdoor check` prints it, wrapped to width:
// "✓ Name: detail (1.2 ms)", then for a warning or a failure its cause and
// the fix for each place the change can be made, indented under it.
//
// Lines break at spaces only (textwrap, as the save report): a URL or a
// path longer than the width stands whole on its line, and the scroller
// marks it › and scrolls sideways, so it is never cut.
func StepLines(st *common.Styles, step doorcheck.Step, width int) []string {
	raw := step.Lines()
	style := StatusStyle(st, step.Status)
	sym := step.Status.Symbol()
	out := textwrap.Wrap(strings.TrimPrefix(raw[0], sym+" "), width, sym+" ", "  ")
	out[0] = style.Render(sym) + strings.TrimPrefix(out[0], sym)
	for _, l := range raw[1:] {
		label, text, _ := strings.Cut(strings.TrimLeft(l, " "), ": ")
		wrapped := textwrap.Wrap(text, width, "    "+label+": ", "      ")
		var labelStyle common.Renderer = st.Bold
		if label == "cause" {
			labelStyle = style
		}
		wrapped[0] = "    " + labelStyle.Render(label+":") + strings.TrimPrefix(wrapped[0], "    "+label+":")
		out = append(out, wrapped...)
	}
	return out
}

// StatusStyle colours a step's mark: ✓ green, ✗ red, ! yellow, i and -
// subtle.
func StatusStyle(st *common.Styles, s doorcheck.Status) common.Renderer {
	switch s {
	case doorcheck.StatusOK:
		return st.OKText
	case doorcheck.StatusFail:
		return st.ErrorText
	case doorcheck.StatusWarn:
		return st.WarnText
	case doorcheck.StatusSkip:
		return st.Faint
	}
	return st.Subtle
}

// Outcome is a finished check in a few words, with its mark: "the door
// works", "2 steps failed", "not checked: …", "canceled".
func Outcome(res doorcheck.Result) (mark doorcheck.Status, text string) {
	switch {
	case res.Canceled:
		return doorcheck.StatusWarn, "canceled"
	case res.Failed == 0 && res.NotChecked != "":
		// Nothing failed, and Artifactory never answered: the door is
		// neither working nor broken (a door that only redirects).
		return doorcheck.StatusWarn, "not checked: " + res.NotChecked
	case !res.OK():
		text = "the door does not work: " + common.CountNoun(res.Failed, "step") + " failed"
		if res.TimedOut {
			text += " (timed out)"
		}
		return doorcheck.StatusFail, text
	case res.Warnings > 0:
		return doorcheck.StatusWarn, "the door works, with " + common.CountNoun(res.Warnings, "warning")
	}
	return doorcheck.StatusOK, "the door works"
}

// when is the time of a check as the wizard shows it: the clock time, and
// the date when it was not today.
func when(at, now time.Time) string {
	if at.IsZero() {
		return ""
	}
	if y, m, d := at.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return at.Format("15:04:05")
	}
	return at.Format("2006-01-02 15:04")
}

// against says where the names went: DNS, or the address typed.
func against(addr string) string {
	if addr == "" {
		return "names from DNS"
	}
	return "names sent to " + addr
}

// Describe is a finished run in one line, for the home screen and the
// results title: "✓ the door works · 14:03:05 · names sent to 127.0.0.1 ·
// trusting ca.pem".
func (r *Run) Describe(now time.Time) (doorcheck.Status, string) {
	if r.Result == nil {
		return doorcheck.StatusInfo, "running"
	}
	mark, text := Outcome(*r.Result)
	parts := []string{text}
	if w := when(r.At, now); w != "" {
		parts = append(parts, w)
	}
	parts = append(parts, against(r.Address))
	if r.CAFile != "" {
		parts = append(parts, "trusting "+filepath.Base(r.CAFile))
	}
	if r.User != "" {
		parts = append(parts, "as "+r.User)
	}
	return mark, strings.Join(parts, " · ")
}

// Text is the run as `frontdoor check` prints it, for the copy key: the
// first line, then every step's lines.
func (r *Run) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Checking %s: %s\n", r.Title, strings.Join(r.Endpoints, ", "))
	for _, st := range r.Steps {
		for _, l := range st.Lines() {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}
