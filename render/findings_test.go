package render

import (
	"strings"
	"testing"
)

func TestFindings(t *testing.T) {
	fs := Findings{
		{Path: "proxy.https.port", Severity: Error, Message: "port 0 is out of range: use 1-65535"},
		{Path: "proxy.httpsX", Severity: Warning, Message: "not under proxy.https"},
		{Path: "proxy.docker.repositories[1].port", Severity: Warning, Message: "port 80 is below 1024"},
		{Path: "proxy.docker.repositories", Severity: Warning, Message: "none listed"},
	}
	if got, want := fs[2].String(), "proxy.docker.repositories[1].port: warning: port 80 is below 1024"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if !fs.HasErrors() || fs[1:].HasErrors() || Findings(nil).HasErrors() {
		t.Error("HasErrors")
	}
	if len(fs.Errors()) != 1 || len(fs.Warnings()) != 3 {
		t.Errorf("Errors %d, Warnings %d", len(fs.Errors()), len(fs.Warnings()))
	}
	for path, want := range map[string]int{
		"proxy.https":                  1, // not proxy.httpsX
		"proxy.https.port":             1,
		"proxy.docker.repositories":    2, // itself and [1].port
		"proxy.docker.repositories[1]": 1,
		"proxy":                        4,
		"proxy.mtls":                   0,
	} {
		if got := len(fs.For(path)); got != want {
			t.Errorf("For(%q) has %d findings, want %d", path, got, want)
		}
	}
	if lines := strings.Split(strings.TrimSuffix(fs.String(), "\n"), "\n"); len(lines) != 4 || lines[0] != fs[0].String() {
		t.Errorf("Findings.String():\n%s", fs)
	}
	if Error.String() != "error" || Warning.String() != "warning" {
		t.Error("Severity.String")
	}
}

func TestInvalidError(t *testing.T) {
	one := &InvalidError{Findings: Findings{
		{Path: "proxy.serverName", Severity: Error, Message: "set it"},
		{Path: "proxy.docker.repositories[0].port", Severity: Warning, Message: "low"},
	}}
	if got, want := one.Error(), "invalid settings: proxy.serverName: error: set it"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	s := validBase()
	s.ServerName, s.ArtifactoryPort = "", 0
	_, err := Render(&s)
	inv, ok := err.(*InvalidError)
	if !ok || len(inv.Findings.Errors()) != 2 || !strings.Contains(err.Error(), "2 errors") {
		t.Errorf("Render error = %v", err)
	}
}
