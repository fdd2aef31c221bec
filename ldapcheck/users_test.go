package ldapcheck

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// listed runs ListUsers and checks what must hold for every listing:
// steps streamed in order, the summary last, no password anywhere.
func listed(t *testing.T, s Setting, groups []GroupSetting, opt Options, lo ListOptions) UserList {
	t.Helper()
	var streamed []Step
	l := ListUsers(context.Background(), s, groups, opt, lo, func(st Step) { streamed = append(streamed, st) })
	if len(streamed) != len(l.Steps) || len(l.Steps) == 0 || l.Steps[len(l.Steps)-1].Kind != StepSummary {
		t.Errorf("streamed %d steps, listing has %d, last %+v", len(streamed), len(l.Steps), l.Steps[len(l.Steps)-1])
	}
	out, _ := json.Marshal(l)
	for _, secret := range []string{managerPW, "alice-pw", opt.ManagerPassword} {
		if len(secret) > 3 && strings.Contains(string(out), secret) {
			t.Errorf("a password (%d chars) appears in the listing", len(secret))
		}
	}
	if t.Failed() || testing.Verbose() {
		for _, st := range l.Steps {
			t.Logf("%s %s: %s [%s] %s", st.Status.Symbol(), st.Name, st.Detail, st.Reason, st.Hint)
		}
	}
	return l
}

// user finds a listed user by DN.
func user(l UserList, dn string) (ListedUser, bool) {
	i := slices.IndexFunc(l.Users, func(u ListedUser) bool { return dnKey(u.DN) == dnKey(dn) })
	if i < 0 {
		return ListedUser{}, false
	}
	return l.Users[i], true
}

func groupList(u ListedUser, setting string) string {
	var names []string
	for _, g := range u.Groups {
		if g.Setting == setting {
			names = append(names, g.Name)
		}
	}
	slices.Sort(names)
	return strings.Join(names, ",")
}

func TestListUsersAgainstSlapd(t *testing.T) {
	dir := directory(t)
	groups := []GroupSetting{
		{Name: "names", LDAPSetting: "test", BaseDN: "ou=groups", NameAttribute: "cn", MemberAttribute: "member", SubTree: true, Filter: "objectClass=groupOfNames", Strategy: "static"},
		{Name: "unique", LDAPSetting: "test", BaseDN: "ou=groups", NameAttribute: "cn", MemberAttribute: "uniqueMember", SubTree: true, Filter: "(objectClass=groupOfUniqueNames)", Strategy: "static"},
		{Name: "memberof", LDAPSetting: "test", BaseDN: "ou=groups", NameAttribute: "cn", MemberAttribute: "memberOf", Strategy: "dynamic"},
		{Name: "ous", LDAPSetting: "test", NameAttribute: "cn", Strategy: "hierarchical"},
	}
	s := searchSetting(dir.URL)
	// Three bases, one inside another: carol is found twice; dup is under
	// two bases with the same login name. Pages of 2 entries.
	s.Search.Base = "ou=people|ou=contractors|ou=nested,ou=people"
	l := listed(t, s, groups, testOptions("", ""), ListOptions{Limit: -1, PageSize: 2})
	if !l.OK() || l.More || l.SizeLimited || l.Filter != "(uid=*)" || l.LoginAttribute != "uid" || len(l.Bases) != 3 {
		t.Fatalf("listing %+v", l)
	}
	tests := []struct {
		dn, login, email string
		groups           map[string]string
		flags            []UserFlag
	}{
		{"uid=alice,ou=people," + base, "alice", "alice@example.com",
			map[string]string{"names": "admins,developers", "unique": "ops", "memberof": "admins,developers", "ous": "people"}, nil},
		{"uid=bob,ou=people," + base, "bob", "", map[string]string{"ous": "people"}, []UserFlag{FlagNoEmail}},
		{"uid=carol,ou=nested,ou=people," + base, "carol", "carol@example.com",
			map[string]string{"names": "developers", "memberof": "developers", "ous": "nested,people"}, []UserFlag{FlagSeveralBases}},
		{"uid=dup,ou=people," + base, "dup", "", nil, []UserFlag{FlagNoEmail}},
		{"uid=dup,ou=contractors," + base, "dup", "", nil, []UserFlag{FlagNoEmail, FlagShadowed}},
		{`uid=a\,b,ou=contractors,` + base, "a,b", "comma@example.com", nil, nil},
	}
	for _, tc := range tests {
		u, ok := user(l, tc.dn)
		if !ok {
			t.Errorf("%s not listed", tc.dn)
			continue
		}
		if u.Login != tc.login || u.Email != tc.email || !slices.Equal(u.Flags, tc.flags) {
			t.Errorf("%s: login %q email %q flags %v, want %q %q %v", tc.dn, u.Login, u.Email, u.Flags, tc.login, tc.email, tc.flags)
		}
		for setting, want := range tc.groups {
			if got := groupList(u, setting); got != want {
				t.Errorf("%s: groups %s %q, want %q", tc.dn, setting, got, want)
			}
		}
	}
	if _, ok := user(l, "uid=hank,ou=hidden,"+base); ok {
		t.Error("an entry outside the bases is listed")
	}
	for _, w := range []wantStep{
		{kind: StepUserSearch, status: StatusOK, detail: "scope sub-tree, filter (uid=*): 5 entries in 3 page(s) of up to 2"},
		{kind: StepUserSearch, status: StatusOK, detail: "page(s) of up to 2"},
		{kind: StepGroups, status: StatusOK, detail: "one search per user under ou=groups," + base},
		{kind: StepSummary, status: StatusOK, detail: "1 under several bases"},
	} {
		if !w.in(Result{Steps: l.Steps}) {
			t.Errorf("no %s step %s/%q ~ %q", w.kind, w.status, w.reason, w.detail)
		}
	}
	var table bytes.Buffer
	if err := WriteUsers(&table, l); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"LOGIN  ", "alice  ", "names:developers", "names:admins", "no-email,shadowed", "uid=carol,ou=nested,ou=people," + base} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
}

func TestListUsersLimits(t *testing.T) {
	dir := directory(t)
	t.Run("the limit cuts the list and says so", func(t *testing.T) {
		l := listed(t, searchSetting(dir.URL), nil, testOptions("", ""), ListOptions{Limit: 2, PageSize: 1})
		if len(l.Users) != 2 || !l.More || !l.OK() {
			t.Errorf("%d users, more %v, ok %v", len(l.Users), l.More, l.OK())
		}
		if sum := l.Steps[len(l.Steps)-1]; !strings.Contains(sum.Detail, "the first 2 user(s); more match") {
			t.Errorf("summary %q", sum.Detail)
		}
	})
	// cn=limited's searches are cut at one entry: paging does not lift it.
	t.Run("the server's size limit is a warning", func(t *testing.T) {
		s := searchSetting(dir.URL)
		s.Search.ManagerDN, s.Search.ManagerPasswordEnv = "cn=limited,"+base, limitedEnv
		l := listed(t, s, nil, testOptions("", ""), ListOptions{Limit: -1})
		st, _ := Result{Steps: l.Steps}.Last(StepUserSearch)
		if !l.SizeLimited || st.Status != StatusWarn || st.Reason != ReasonSizeLimit || !strings.Contains(st.Hint, "size limit") {
			t.Errorf("size limited %v, step %+v", l.SizeLimited, st)
		}
		if sum := l.Steps[len(l.Steps)-1]; sum.Status != StatusWarn || sum.Reason != ReasonSizeLimit {
			t.Errorf("summary %+v", sum)
		}
	})
	t.Run("a DN pattern lists one level under its parent", func(t *testing.T) {
		s := searchSetting(dir.URL)
		s.UserDNPattern, s.Search = "uid={0},ou=people", Search{}
		l := listed(t, s, nil, testOptions("", ""), ListOptions{Limit: -1})
		if l.Filter != "(uid=*)" || len(l.Bases) != 1 || l.Bases[0] != "ou=people,"+base {
			t.Errorf("filter %q bases %v", l.Filter, l.Bases)
		}
		if _, ok := user(l, "uid=carol,ou=nested,ou=people,"+base); ok {
			t.Error("an entry below one level is listed")
		}
		if _, ok := user(l, "uid=alice,ou=people,"+base); !ok {
			t.Error("alice is not listed")
		}
	})
	t.Run("nobody matches", func(t *testing.T) {
		s := searchSetting(dir.URL)
		s.Search.Filter = "(&(uid={0})(description=nobody-has-this))"
		l := listed(t, s, nil, testOptions("", ""), ListOptions{})
		if l.OK() || len(l.Users) != 0 {
			t.Errorf("ok %v with %d users", l.OK(), len(l.Users))
		}
		if sum := l.Steps[len(l.Steps)-1]; sum.Status != StatusFail || sum.Reason != ReasonNotFound {
			t.Errorf("summary %+v", sum)
		}
	})
	t.Run("the manager's password is wrong", func(t *testing.T) {
		s := searchSetting(dir.URL)
		s.Search.ManagerPasswordEnv = wrongManagerEnv
		l := listed(t, s, nil, testOptions("", ""), ListOptions{})
		if l.OK() || !(wantStep{kind: StepManagerBind, status: StatusFail, reason: ReasonInvalidCredentials}).in(Result{Steps: l.Steps}) {
			t.Errorf("listing %+v", l)
		}
	})
}

func TestListUsersJSON(t *testing.T) {
	l := UserList{Setting: "corp", Filter: "(uid=*)", LoginAttribute: "uid", Bases: []string{"ou=people,dc=x"}, More: true,
		Users: []ListedUser{{DN: "uid=a,ou=people,dc=x", Login: "a", Bases: []string{"ou=people,dc=x"}, Flags: []UserFlag{FlagNoEmail},
			Groups: []Group{{Setting: "g", Name: "devs", DN: "cn=devs,dc=x"}}}}}
	b, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"setting":"corp","filter":"(uid=*)","loginAttribute":"uid","bases":["ou=people,dc=x"],"users":[{"dn":"uid=a,ou=people,dc=x","login":"a",` +
		`"groups":[{"setting":"g","name":"devs","dn":"cn=devs,dc=x"}],"bases":["ou=people,dc=x"],"flags":["no-email"]}],"more":true}`
	if string(b) != want {
		t.Errorf("JSON\n got %s\nwant %s", b, want)
	}
}

// Past perUserGroupSearches users the listing reads a static setting's
// groups once and matches members itself: it must give what the server's
// own search gives.
func TestListUsersGroupIndexAgreesWithTheServer(t *testing.T) {
	dir := directory(t)
	groups := []GroupSetting{
		{Name: "names", LDAPSetting: "test", BaseDN: "ou=groups", NameAttribute: "cn", MemberAttribute: "member", SubTree: true, Filter: "objectClass=groupOfNames", Strategy: "static"},
		{Name: "unique", LDAPSetting: "test", BaseDN: "ou=groups", NameAttribute: "cn", MemberAttribute: "uniqueMember", SubTree: true, Strategy: "static"},
	}
	s := searchSetting(dir.URL)
	s.Search.Base = ""
	perUser := listed(t, s, groups, testOptions("", ""), ListOptions{Limit: -1})
	defer func(n int) { perUserGroupSearches = n }(perUserGroupSearches)
	perUserGroupSearches = 0
	indexed := listed(t, s, groups, testOptions("", ""), ListOptions{Limit: -1})
	if !(wantStep{kind: StepGroups, status: StatusOK, detail: "read once"}).in(Result{Steps: indexed.Steps}) {
		t.Fatal("the index was not used")
	}
	if len(perUser.Users) != len(indexed.Users) || len(perUser.Users) < 8 {
		t.Fatalf("%d users per user, %d indexed", len(perUser.Users), len(indexed.Users))
	}
	for i, u := range perUser.Users {
		for _, g := range groups {
			if a, b := groupList(u, g.Name), groupList(indexed.Users[i], g.Name); a != b {
				t.Errorf("%s %s: server %q, index %q", u.DN, g.Name, a, b)
			}
		}
	}
}

// lars, locked out by ppolicy (pwdAccountLockedTime), is flagged locked
// in a listing; lena (not locked) is not.
func TestListUsersFlagsLockedAgainstSlapd(t *testing.T) {
	dir := directory(t)
	s := searchSetting(dir.URL)
	s.Search.Base = "ou=service|ou=people"
	s.Search.Filter = "(uid={0})"
	for i := range 3 { // locks lars, if an earlier test has not
		o := testOptions("lars", fmt.Sprintf("Wr0ng-%d", i))
		o.AllowLockoutRisk = true
		Run(context.Background(), s, nil, o, nil)
	}
	l := listed(t, s, nil, testOptions("", ""), ListOptions{Limit: -1})
	lars, ok := user(l, "uid=lars,ou=service,"+base)
	if !ok || !slices.Equal(lars.Flags, []UserFlag{FlagNoEmail, FlagLocked}) {
		t.Errorf("lars: %+v", lars)
	}
	if lena, ok := user(l, "uid=lena,ou=people,"+base); !ok || slices.Contains(lena.Flags, FlagLocked) {
		t.Errorf("lena: %+v", lena)
	}
	if sum := l.Steps[len(l.Steps)-1]; !strings.Contains(sum.Detail, "1 locked out") {
		t.Errorf("summary %q", sum.Detail)
	}
}

// Every flag has a meaning for a legend, and UserFlags lists each once.
func TestUserFlagMeanings(t *testing.T) {
	seen := map[UserFlag]bool{}
	for _, f := range UserFlags {
		if seen[f] || f.Meaning() == string(f) || !strings.HasSuffix(f.Meaning(), ".") {
			t.Errorf("%s: listed twice or no meaning: %q", f, f.Meaning())
		}
		seen[f] = true
	}
	if len(seen) != 9 {
		t.Errorf("%d flags listed", len(seen))
	}
}
