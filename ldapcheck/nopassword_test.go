package ldapcheck

import (
	"context"
	"strings"
	"testing"
)

// TestEntryWithoutPassword: a bind to an entry that has no userPassword
// fails as a wrong password does; where the manager may read passwords the
// step says the entry may have none. Where it may not (the usual rule, as
// under ou=people), or the entry has one, it says only "wrong password".
func TestEntryWithoutPassword(t *testing.T) {
	dir := directory(t)
	tests := []struct {
		name, base, user, pw string
		noPassword           bool
	}{
		{"no password set", "ou=nopassword", "nopw", "any-pw", true},
		{"a wrong password beside it", "ou=nopassword", "withpw", "not-the-pw", false},
		{"a wrong password where passwords are hidden", "ou=people", "alice", "not-the-pw", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := searchSetting(dir.URL)
			s.Search.Base = tc.base
			res := run(t, context.Background(), s, nil, testOptions(tc.user, tc.pw))
			if res.OK() || !res.UserFound {
				t.Fatalf("OK %v found %v, want a found user whose bind fails", res.OK(), res.UserFound)
			}
			var st Step
			for _, s := range res.Steps {
				if s.Kind == StepUserBind {
					st = s
				}
			}
			if st.Status != StatusFail || st.Reason != ReasonInvalidCredentials || !strings.Contains(st.Detail, "wrong password for uid="+tc.user) {
				t.Fatalf("user bind %s %s: %s", st.Status, st.Reason, st.Detail)
			}
			says := strings.Contains(st.Detail, "or the entry has no password set")
			if says != tc.noPassword {
				t.Errorf("says no password set: %v, want %v: %s", says, tc.noPassword, st.Detail)
			}
			if tc.noPassword && !strings.Contains(st.Hint, "set one (userPassword") {
				t.Errorf("hint %q does not say to set a password", st.Hint)
			}
			if strings.Contains(st.Detail+st.Hint, "{SSHA}") || strings.Contains(st.Detail+st.Hint, "withpw-pw") {
				t.Errorf("a password value is shown: %s %s", st.Detail, st.Hint)
			}
		})
	}
}
