package ldapcheck

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"frontdoor/internal/servertest"
)

// TestPortThatIsNotLDAP: a URL whose port is a real nginx answers the
// bind with HTTP: the step says so and points at the port, not at a
// TLS-only port; ldap:// to slapd's LDAPS port (which closes the
// connection on plain LDAP) keeps that hint.
func TestPortThatIsNotLDAP(t *testing.T) {
	dir := directory(t)
	n := servertest.NewBareNginx(t)
	port := servertest.FreePort(t)
	n.Install(fmt.Appendf(nil, "server {\n    listen 127.0.0.1:%d;\n    return 200 \"not a directory\\n\";\n}\n", port))
	if _, err := n.Start(port); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, url string
		reason    Reason
		detail    string
		hint, not string
	}{{
		name: "an HTTP server", url: fmt.Sprintf("ldap://127.0.0.1:%d", port), reason: ReasonNotLDAP,
		detail: fmt.Sprintf(`the server at 127.0.0.1:%d answered something other than LDAP (it looks like HTTP: "HTTP/1.1 400 Bad Request")`, port),
		hint:   "check the URL's port", not: "TLS-only",
	}, {
		name: "the LDAPS port with ldap://", url: strings.Replace(dir.LDAPSURL, "ldaps:", "ldap:", 1), reason: ReasonNetwork,
		hint: "a TLS-only port answers plain LDAP by closing the connection", not: "other than LDAP",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := run(t, context.Background(), searchSetting(tc.url), nil, testOptions("alice", "alice-pw"))
			if res.OK() {
				t.Fatal("the test passed against a port that is not LDAP")
			}
			var st Step
			for _, s := range res.Steps {
				if s.Kind == StepManagerBind {
					st = s
				}
			}
			t.Logf("%s %s: %s\n    %s", st.Status, st.Name, st.Detail, st.Hint)
			if st.Status != StatusFail || st.Reason != tc.reason {
				t.Fatalf("manager bind %s %s, want fail %s: %+v", st.Status, st.Reason, tc.reason, st)
			}
			if !strings.Contains(st.Detail, tc.detail) || !strings.Contains(st.Hint, tc.hint) {
				t.Errorf("detail %q, hint %q; want %q and %q", st.Detail, st.Hint, tc.detail, tc.hint)
			}
			if strings.Contains(st.Detail+st.Hint, tc.not) || strings.Contains(st.Detail, "unable to read LDAP response packet") && tc.reason == ReasonNotLDAP {
				t.Errorf("says %q, or the library's words: %s; %s", tc.not, st.Detail, st.Hint)
			}
		})
	}
}
