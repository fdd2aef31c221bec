package finding

import "testing"

func TestFor(t *testing.T) {
	fs := Findings{
		{Path: "proxy.https", Severity: Error},
		{Path: "proxy.https.port", Severity: Warning},
		{Path: "proxy.httpsX"},
		{Path: "ldap.settings[0].url"},
		{Path: "ldap.settings[01].url"},
	}
	tests := []struct {
		path string
		want int
	}{
		{"proxy.https", 2},
		{"proxy.https.port", 1},
		{"ldap.settings[0]", 1},
		{"ldap.settings", 2},
		{"nothing", 0},
	}
	for _, tt := range tests {
		if got := len(fs.For(tt.path)); got != tt.want {
			t.Errorf("For(%q) = %d findings, want %d", tt.path, got, tt.want)
		}
	}
	if !fs.HasErrors() || len(fs.Errors()) != 4 || len(fs.Warnings()) != 1 {
		t.Errorf("errors/warnings split wrong: %v / %v", fs.Errors(), fs.Warnings())
	}
}

func TestStringsAndInvalidError(t *testing.T) {
	var l List
	l.Errorf("proxy.serverName", "set it to %s", "a name")
	l.Warnf("proxy.http.port", "low")
	if got, want := l.Out.String(), "proxy.serverName: error: set it to a name\nproxy.http.port: warning: low\n"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	tests := []struct {
		err  *InvalidError
		want string
	}{
		{&InvalidError{Findings: l.Out}, "invalid settings: proxy.serverName: error: set it to a name"},
		{&InvalidError{What: "LDAP settings", Findings: append(l.Out, l.Out[0])}, "invalid LDAP settings (2 errors), first: proxy.serverName: error: set it to a name"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}
