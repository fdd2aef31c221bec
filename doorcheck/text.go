package doorcheck

import (
	"fmt"
	"strings"
)

// Lines is a step as `frontdoor check` prints it, the same shape as `ldap
// test`'s: "✓ Name: detail (1.2 ms)", then, for a warning or a failure,
// its cause and fix indented below. The wizard shows the same lines.
func (s Step) Lines() []string {
	line := s.Status.Symbol() + " " + s.Name
	if s.Detail != "" {
		line += ": " + s.Detail
	}
	if s.Kind != KindSummary {
		line += fmt.Sprintf(" (%.1f ms)", float64(s.Duration.Microseconds())/1000)
	}
	lines := []string{line}
	if s.Status != StatusWarn && s.Status != StatusFail {
		return lines
	}
	add := func(label, text string) {
		if text != "" {
			lines = append(lines, "    "+label+": "+strings.TrimSpace(text))
		}
	}
	add("cause", s.Cause)
	add("nginx", s.Fix.Nginx)
	add("Apache", s.Fix.Apache)
	add("frontdoor", s.Fix.Setting)
	add("do", s.Fix.Action)
	return lines
}
