// Package pane fits the one scroller (components/scroller) into a part of
// the screen the same way everywhere: the save report, the LDAP export and
// the LDAP test results.
package pane

import "frontdoor/tui/components/scroller"

// Fit sizes a scroller to width x height and shows its status line (where
// the view is, wrap, the search) when it has the focus, or when its content
// does not fit, so the reader knows there is more and where. A view at the
// bottom stays there when the status line comes or goes.
func Fit(v *scroller.Model, width, height int, focused bool) {
	atBottom := v.AtBottom()
	v.SetSize(width, height)
	v.ShowStatus(false)
	first, last := v.VisibleLines()
	fits := v.Lines() == 0 || (first == 0 && last >= v.Lines()-1)
	v.ShowStatus(focused || !fits)
	if atBottom && !fits {
		v.GotoBottom()
	}
}
