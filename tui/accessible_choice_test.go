package tui

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"frontdoor/install"
)

// Enter keeps the current value, so a choice question must say which one
// that is, as the text questions do with their [value]; huh's accessible
// select only lists the options.
func TestAccessibleChoicesSayTheCurrentValue(t *testing.T) {
	var out bytes.Buffer
	// Enter through to the Docker method, then end of input.
	answers := make([]string, 14)
	_, _ = RunAccessible(context.Background(), Options{
		File: parseFile(t, exampleYAML), ConfigPath: t.TempDir() + "/frontdoor.yaml",
		Target: func(string) install.Target { return install.Target{Path: t.TempDir() + "/a.conf"} },
		Now:    func() time.Time { return fixedNow }, LoadCertificates: noCerts, LoadClientCA: noClientCA,
	}, &lineReader{answers}, &out)
	for _, want := range []string{"Web server [nginx]", "TLS profile [intermediate]", "Method [subdomain]"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
