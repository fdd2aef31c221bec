package ldapcheck

import (
	"context"
	"testing"
)

// BenchmarkRun times whole test runs against the local slapd (each run
// dials, binds as the manager, searches, binds as the user and reads groups).
func BenchmarkRun(b *testing.B) {
	dir := directory(b)
	groups := []GroupSetting{{Name: "g", LDAPSetting: "test", BaseDN: "ou=groups", NameAttribute: "cn", MemberAttribute: "member", SubTree: true, Strategy: "static"}}
	cases := []struct {
		name    string
		setting func(*Setting)
		groups  []GroupSetting
	}{
		{"search", nil, nil},
		{"search+groups", nil, groups},
		{"dn-pattern", func(s *Setting) { s.UserDNPattern, s.Search = "uid={0},ou=people", Search{} }, nil},
		{"starttls", func(s *Setting) { s.StartTLS, s.CAFile = true, dir.CAFile }, nil},
		{"ldaps", func(s *Setting) { s.URL, s.CAFile = dir.LDAPSURL+"/"+base, dir.CAFile }, nil},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			s := searchSetting(dir.URL)
			if bc.setting != nil {
				bc.setting(&s)
			}
			opt := testOptions("alice", "alice-pw")
			for b.Loop() {
				if res := Run(context.Background(), s, bc.groups, opt, nil); !res.OK() {
					b.Fatalf("run failed: %+v", res.Steps)
				}
			}
		})
	}
}
