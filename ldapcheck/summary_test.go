package ldapcheck

import (
	"context"
	"net"
	"strings"
	"testing"
)

// TestSummaryVerdict: the summary says "not found" only when a lookup ran
// and found nobody, "could not log in" only when a login was tried; a test
// that stopped before (nothing listening, no manager password) says the
// user could not be looked up, or the login could not be tested. Against
// slapd, and a port nothing listens on.
func TestSummaryVerdict(t *testing.T) {
	dir := directory(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "ldap://" + l.Addr().String()
	l.Close()
	noManagerPassword := func(o *Options) { o.Getenv = func(string) string { return "" } }
	pattern := func(s *Setting) { s.UserDNPattern, s.Search.Filter, s.Search.Base = "uid={0},ou=people", "", "" }
	tests := []struct {
		name       string
		url        string
		setting    func(*Setting)
		opt        func(*Options)
		user, pw   string
		lookupOnly bool
		want       string // the summary's detail starts with it
	}{
		{name: "lookup only, nothing listening", url: closed, user: "alice", lookupOnly: true,
			want: `"alice" could not be looked up; failed at: TCP connect`},
		{name: "lookup only, no manager password", user: "alice", lookupOnly: true, opt: noManagerPassword,
			want: `"alice" could not be looked up; failed at: Manager bind`},
		{name: "lookup only, nobody found", user: "zed", lookupOnly: true, want: `"zed" was not found; failed at: User lookup`},
		{name: "login, nothing listening", url: closed, user: "alice", pw: "alice-pw",
			want: `the login of "alice" could not be tested; failed at: TCP connect`},
		{name: "login, no manager password", user: "alice", pw: "alice-pw", opt: noManagerPassword,
			want: `the login of "alice" could not be tested; failed at: Manager bind`},
		{name: "login, nobody found", user: "zed", pw: "whatever", want: `"zed" was not found, so no login was tried; failed at: User lookup`},
		{name: "login, DN pattern, no such entry", setting: pattern, user: "zed", pw: "whatever", want: `"zed" was not found; failed at: User bind (DN pattern)`},
		{name: "login, DN pattern, wrong password", setting: pattern, user: "alice", pw: "Wr0ng-Secret", want: `"alice" could not log in; failed at: User bind (DN pattern)`},
		{name: "login, wrong password", user: "alice", pw: "Wr0ng-Secret", want: `"alice" found as uid=alice,ou=people,` + base + ` but not authenticated`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			url := dir.URL
			if tc.url != "" {
				url = tc.url
			}
			s := searchSetting(url)
			if tc.setting != nil {
				tc.setting(&s)
			}
			opt := testOptions(tc.user, tc.pw)
			opt.LookupOnly = tc.lookupOnly
			if tc.opt != nil {
				tc.opt(&opt)
			}
			res := run(t, context.Background(), s, nil, opt)
			sum, _ := res.Last(StepSummary)
			if sum.Status != StatusFail || !strings.HasPrefix(sum.Detail, tc.want) {
				t.Errorf("summary %s %q, want one starting %q", sum.Status, sum.Detail, tc.want)
			}
		})
	}
}
