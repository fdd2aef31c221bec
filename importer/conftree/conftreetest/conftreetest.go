// Package conftreetest holds test helpers shared by the config-file loaders
// (importer/nginxconf, importer/apacheconf) that build a conftree.
package conftreetest

import (
	"fmt"
	"strings"
	"testing"

	"frontdoor/importer/conftree"
)

// CheckTexts fails t unless nodes, walked in order, read as want: one
// "line: text" per node, the text as a report quotes it (conftree.Node.Text).
func CheckTexts(t testing.TB, nodes []*conftree.Node, want []string) {
	t.Helper()
	var got []string
	conftree.Walk(nodes, func(n *conftree.Node) bool {
		got = append(got, fmt.Sprintf("%d: %s", n.Line, n.Text()))
		return true
	})
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
