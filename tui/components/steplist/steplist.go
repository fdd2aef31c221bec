// Package steplist draws the bar of steps above a multi-step form:
// "1 Provider › 2 Nodes › [3 Name & TLS] › ...", marking the steps that hold
// errors; when too wide, the other steps shrink to their numbers.
package steplist

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"frontdoor/tui/common"
)

// Step is one step as the bar shows it.
type Step struct {
	Short  string // "Nodes"
	Errors bool   // marked ✗
}

// Render draws the bar for the current step in width cells.
func Render(st *common.Styles, steps []Step, current, width int) string {
	build := func(short bool) string {
		parts := make([]string, 0, len(steps))
		for i, s := range steps {
			label := strconv.Itoa(i + 1)
			if !short || i == current {
				label += " " + s.Short
			}
			if s.Errors {
				label += common.GlyphError
			}
			switch {
			case i == current:
				parts = append(parts, st.StepCurrent.Render("["+label+"]"))
			case s.Errors:
				parts = append(parts, st.StepError.Render(label))
			default:
				parts = append(parts, st.StepOther.Render(label))
			}
		}
		return strings.Join(parts, st.Faint.Render(" › "))
	}
	bar := build(false)
	if ansi.StringWidth(bar) > width {
		bar = build(true)
	}
	return common.Truncate(bar, width)
}
