package ldapcheck

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"frontdoor/internal/testenv"
	"frontdoor/ldapcheck/slapdtest"
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
		opt     func(*Options)
	}{
		{"search", nil, nil, nil},
		{"search+groups", nil, groups, nil},
		{"lookup-only", nil, nil, func(o *Options) { o.Password, o.LookupOnly = "", true }},
		{"dn-pattern", func(s *Setting) { s.UserDNPattern, s.Search = "uid={0},ou=people", Search{} }, nil, nil},
		{"starttls", func(s *Setting) { s.StartTLS, s.CAFile = true, dir.CAFile }, nil, nil},
		{"ldaps", func(s *Setting) { s.URL, s.CAFile = dir.LDAPSURL+"/"+base, dir.CAFile }, nil, nil},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			s := searchSetting(dir.URL)
			if bc.setting != nil {
				bc.setting(&s)
			}
			opt := testOptions("alice", "alice-pw")
			if bc.opt != nil {
				bc.opt(&opt)
			}
			for b.Loop() {
				if res := Run(context.Background(), s, bc.groups, opt, nil); !res.OK() {
					b.Fatalf("run failed: %+v", res.Steps)
				}
			}
		})
	}
}

// The benchmark directory: 10,000 users under ou=bulk and 10 groups of
// 1,000 members each, generated here and loaded with slapadd. Only the
// listing benchmark starts it; the reader may page past slapd's default
// size limit of 500, as a manager in a large directory must.
const bulkUsers, bulkGroups = 10000, 10

var (
	bulkOnce sync.Once
	bulk     *slapdtest.Server
	bulkErr  error
)

func bulkDirectory(b *testing.B) *slapdtest.Server {
	b.Helper()
	if err := slapdtest.Available(); err != nil {
		testenv.Unavailable(b, "%v", err)
	}
	bulkOnce.Do(func() {
		ldif := filepath.Join(b.TempDir(), "bulk.ldif")
		if bulkErr = os.WriteFile(ldif, []byte(bulkLDIF()), 0o600); bulkErr != nil {
			return
		}
		bulk, bulkErr = slapdtest.Start(slapdtest.Config{
			LDIF: []string{"testdata/directory.ldif", ldif},
			Conf: []string{`limits dn.exact="cn=reader,dc=example,dc=com" size=unlimited`},
		})
	})
	if bulkErr != nil {
		b.Fatalf("starting the bulk directory: %v", bulkErr)
	}
	return bulk
}

func bulkLDIF() string {
	var sb strings.Builder
	sb.WriteString("dn: ou=bulk,dc=example,dc=com\nobjectClass: organizationalUnit\nou: bulk\n\n")
	sb.WriteString("dn: ou=bulkgroups,dc=example,dc=com\nobjectClass: organizationalUnit\nou: bulkgroups\n\n")
	for i := range bulkUsers {
		fmt.Fprintf(&sb, "dn: uid=user%05d,ou=bulk,dc=example,dc=com\nobjectClass: inetOrgPerson\nuid: user%05d\ncn: User %05d\nsn: %05d\nmail: user%05d@example.com\n\n", i, i, i, i, i)
	}
	for g := range bulkGroups {
		fmt.Fprintf(&sb, "dn: cn=team%02d,ou=bulkgroups,dc=example,dc=com\nobjectClass: groupOfNames\ncn: team%02d\n", g, g)
		for i := g; i < bulkUsers; i += bulkGroups {
			fmt.Fprintf(&sb, "member: uid=user%05d,ou=bulk,dc=example,dc=com\n", i)
		}
		sb.WriteString("\n")
	}
	return sb.String()
}

// BenchmarkListUsers lists all 10,000 users of the bulk directory, paged,
// with and without a static group setting (groups read once), and the
// CLI's default of 20. Target: the whole listing under 1 s.
func BenchmarkListUsers(b *testing.B) {
	dir := bulkDirectory(b)
	s := searchSetting(dir.URL)
	s.Search.Base = "ou=bulk"
	groups := []GroupSetting{{Name: "teams", LDAPSetting: "test", BaseDN: "ou=bulkgroups", NameAttribute: "cn", MemberAttribute: "member",
		SubTree: true, Filter: "(objectClass=groupOfNames)", Strategy: "static"}}
	cases := []struct {
		name   string
		groups []GroupSetting
		lo     ListOptions
		want   int
	}{
		{"10000-users", nil, ListOptions{Limit: -1}, bulkUsers},
		{"10000-users+groups", groups, ListOptions{Limit: -1}, bulkUsers},
		{"first-20+groups", groups, ListOptions{}, DefaultListLimit},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				l := ListUsers(context.Background(), s, bc.groups, testOptions("", ""), bc.lo, nil)
				if len(l.Users) != bc.want || l.SizeLimited {
					b.Fatalf("%d users (size limited %v), want %d: %+v", len(l.Users), l.SizeLimited, bc.want, l.Steps)
				}
				if bc.groups != nil && len(l.Users[0].Groups) != 1 {
					b.Fatalf("groups of %s: %+v", l.Users[0].DN, l.Users[0].Groups)
				}
			}
			b.ReportMetric(float64(bc.want), "users/op")
		})
	}
}
