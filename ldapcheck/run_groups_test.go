package ldapcheck

import (
	"context"
	"strings"
	"testing"
)

func TestRunGroups(t *testing.T) {
	dir := directory(t)
	groups := []GroupSetting{
		{Name: "names", LDAPSetting: "test", BaseDN: "ou=groups", NameAttribute: "cn", MemberAttribute: "member", SubTree: true, Filter: "objectClass=groupOfNames", Strategy: "static"},
		{Name: "unique", LDAPSetting: "test", BaseDN: "ou=groups", NameAttribute: "cn", MemberAttribute: "uniqueMember", SubTree: true, Filter: "(objectClass=groupOfUniqueNames)", Strategy: "STATIC"},
		{Name: "memberof", LDAPSetting: "test", BaseDN: "ou=groups", NameAttribute: "cn", MemberAttribute: "memberOf", Strategy: "dynamic"},
		{Name: "ous", LDAPSetting: "test", NameAttribute: "cn", Strategy: "hierarchical"},
		{Name: "elsewhere", LDAPSetting: "other", NameAttribute: "cn", MemberAttribute: "member", Strategy: "static"},
	}
	tests := []struct {
		user, pw string
		base     string
		want     map[string][]string // group setting -> names, sorted as returned
	}{
		{"alice", "alice-pw", "ou=people", map[string][]string{"names": {"admins", "developers"}, "unique": {"ops"}, "memberof": {"developers", "admins"}, "ous": {"people"}}},
		{"carol", "carol-pw", "ou=people", map[string][]string{"names": {"developers"}, "memberof": {"developers"}, "ous": {"nested", "people"}}},
		{"dave", "dave-pw", "ou=contractors", map[string][]string{"unique": {"ops"}, "ous": {"contractors"}}},
	}
	for _, tc := range tests {
		t.Run(tc.user, func(t *testing.T) {
			s := searchSetting(dir.URL)
			s.Search.Base = tc.base
			res := run(t, context.Background(), s, groups, testOptions(tc.user, tc.pw))
			got := map[string][]string{}
			for _, g := range res.Groups {
				got[g.Setting] = append(got[g.Setting], g.Name)
			}
			for _, setting := range []string{"names", "unique", "memberof", "ous", "elsewhere"} {
				if strings.Join(got[setting], ",") != strings.Join(tc.want[setting], ",") {
					t.Errorf("%s: groups %v, want %v", setting, got[setting], tc.want[setting])
				}
			}
			if !res.OK() {
				t.Error("not OK")
			}
			n := 0
			for _, st := range res.Steps {
				if st.Kind == StepGroups {
					n++
				}
			}
			if n != 4 {
				t.Errorf("%d group steps, want 4 (one per group setting of this LDAP setting)", n)
			}
		})
	}
}

// A group list the server cut short is a warning, and a failed group step
// after a good login is not hidden behind a ✓ summary.
func TestRunGroupProblemsAfterLogin(t *testing.T) {
	dir := directory(t)
	names := GroupSetting{Name: "names", LDAPSetting: "test", BaseDN: "ou=groups", NameAttribute: "cn", MemberAttribute: "member",
		SubTree: true, Filter: "(objectClass=groupOfNames)", Strategy: "static"}
	missing := names
	missing.Name, missing.BaseDN = "missing", "ou=nope"
	limited := func(s *Setting) {
		s.Search.ManagerDN, s.Search.ManagerPasswordEnv = "cn=limited,"+base, limitedEnv
	}
	tests := []struct {
		name    string
		setting func(*Setting)
		groups  []GroupSetting
		step    Step // kind, status, reason and part of the detail and hint of a step that must be there
		summary Step // status, reason and part of the detail of the summary
	}{
		{"size limit cuts the groups", limited, []GroupSetting{names},
			Step{Kind: StepGroups, Status: StatusWarn, Reason: ReasonSizeLimit, Detail: "1 group(s)", Hint: "size limit"},
			Step{Status: StatusOK, Detail: "1 warning(s) above"}},
		{"a group base that does not exist", nil, []GroupSetting{names, missing},
			Step{Kind: StepGroups, Status: StatusFail, Reason: ReasonNoSuchObject, Detail: "base ou=nope," + base + " does not exist"},
			Step{Status: StatusWarn, Reason: ReasonNoSuchObject, Detail: "1 step(s) failed above (first: Groups missing (static))"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := searchSetting(dir.URL)
			if tc.setting != nil {
				tc.setting(&s)
			}
			res := run(t, context.Background(), s, tc.groups, testOptions("alice", "alice-pw"))
			if !res.OK() {
				t.Fatal("alice did not log in")
			}
			found := false
			for _, st := range res.Steps {
				found = found || st.Kind == tc.step.Kind && st.Status == tc.step.Status && st.Reason == tc.step.Reason &&
					strings.Contains(st.Detail, tc.step.Detail) && strings.Contains(st.Hint, tc.step.Hint)
			}
			if !found {
				t.Errorf("no %s step %s/%s with detail ~ %q, hint ~ %q", tc.step.Kind, tc.step.Status, tc.step.Reason, tc.step.Detail, tc.step.Hint)
			}
			sum, _ := res.Last(StepSummary)
			if sum.Status != tc.summary.Status || sum.Reason != tc.summary.Reason || !strings.Contains(sum.Detail, tc.summary.Detail) {
				t.Errorf("summary %s/%s %q, want %s/%s ~ %q", sum.Status, sum.Reason, sum.Detail, tc.summary.Status, tc.summary.Reason, tc.summary.Detail)
			}
		})
	}
}
