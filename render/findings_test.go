package render

import (
	"strings"
	"testing"
)

// The findings type itself is tested in package finding; here: that Render
// reports invalid settings through it.
func TestRenderRefusesInvalidSettings(t *testing.T) {
	s := validBase()
	s.ServerName, s.ArtifactoryPort = "", 0
	_, err := Render(&s)
	inv, ok := err.(*InvalidError)
	if !ok || len(inv.Findings.Errors()) != 2 || !strings.Contains(err.Error(), "2 errors") {
		t.Errorf("Render error = %v", err)
	}
}
