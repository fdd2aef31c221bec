package tui

import (
	"strings"
	"testing"
)

// At 120 columns the preview moves beside a 56-column form: the labels
// still fit whole ("Redirect to HTTPS", "High availability").
func TestLabelsFitBesideThePreview(t *testing.T) {
	cases := []struct {
		name  string
		keys  []string
		label string
	}{
		{"name and TLS", []string{"enter", "pgdown", "pgdown"}, "Redirect to HTTPS"},
		{"HA and mTLS", []string{"enter", "pgdown", "pgdown", "pgdown", "pgdown"}, "High availability"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := newModel(t, exampleYAML, 120, 40)
			press(t, m, c.keys...)
			if screen := screenText(m); !strings.Contains(screen, c.label+" ") {
				t.Fatalf("label %q cut:\n%s", c.label, screen)
			}
		})
	}
}
