// The groups of listed users, by the rules groups.go applies to one user:
// per user as the server searches, or, for large listings, read once.

package ldapcheck

import (
	"fmt"
	"strings"

	"github.com/go-ldap/ldap/v3"
)

// listGroups gives each listed user their groups, one group setting at a
// time. Static settings with a plain member attribute read all groups under
// the base once and match members locally; nested (in-chain) settings and
// filters with {0} need the server: one search per user, as Run does.
func (r *runner) listGroups(l *UserList, entries []*ldap.Entry) {
	for _, g := range r.groups {
		if r.dead {
			return
		}
		r.begin()
		strategy := strings.ToLower(g.Strategy)
		base := joinDN(g.BaseDN, r.ep.BaseDN)
		name := fmt.Sprintf("Groups %s (%s)", g.Name, strategy)
		st := Step{Kind: StepGroups, Name: name, Status: StatusOK}
		switch {
		case strategy == StrategyHierarchical:
			for i := range l.Users {
				l.Users[i].Groups = append(l.Users[i].Groups, hierarchicalGroups(g, l.Users[i].DN)...)
			}
			st.Detail = "the OUs of each user's DN"
		case strategy == StrategyDynamic:
			for i, e := range entries {
				found, _ := dynamicGroups(g, base, e)
				l.Users[i].Groups = append(l.Users[i].Groups, found...)
			}
			st.Detail = fmt.Sprintf("%s of each user under %s", g.MemberAttribute, displayDN(base))
		default:
			var index map[string][]Group
			var n int
			var err error
			if len(l.Users) > perUserGroupSearches {
				index, n, err = r.groupIndex(g, base)
			}
			switch {
			case err != nil && ldapCode(err) < 0:
				r.searchFailure(StepGroups, name, base, "reading the groups", err)
				return
			case index != nil:
				for i := range l.Users {
					l.Users[i].Groups = append(l.Users[i].Groups, index[dnKey(l.Users[i].DN)]...)
				}
				st.Detail = fmt.Sprintf("%d group(s) under %s read once, members matched by DN", n, displayDN(base))
			default:
				for i := range l.Users {
					found, _, _, err := r.staticGroups(g, base, l.Users[i].DN)
					if err != nil && ldapCode(err) < 0 {
						r.searchFailure(StepGroups, name, base, "searching the groups of "+l.Users[i].DN, err)
						return
					}
					l.Users[i].Groups = append(l.Users[i].Groups, found...)
				}
				st.Detail = fmt.Sprintf("one search per user under %s with %s, as the server does", displayDN(base), staticFilter(g, "USER-DN"))
			}
		}
		r.emit(st)
	}
}

// perUserGroupSearches: up to this many listed users, a static setting's
// groups are searched per user, exactly as the server does; past it,
// reading every group once is cheaper.
// A variable so that tests can compare both ways.
var perUserGroupSearches = 50

// groupIndex reads every group under base with its members, for a static
// setting the server resolves by plain member values. nil (no error) when
// the setting needs the server per user (nested groups, {0} in the filter)
// or AD hands out members in ranges (more than 1500 in a group).
func (r *runner) groupIndex(g GroupSetting, base string) (map[string][]Group, int, error) {
	if _, _, extensible := MatchingRule(g.MemberAttribute); extensible || strings.Contains(g.Filter, "{0}") {
		return nil, 0, nil
	}
	filter := fmt.Sprintf("(%s=*)", g.MemberAttribute)
	if f := NormalizedFilter(g.Filter); f != "" {
		filter = "(&" + f + filter + ")"
	}
	scope, _ := groupScope(g)
	entries, _, sizeLimited, _, err := r.pagedSearch(base, scope, filter, []string{g.NameAttribute, g.MemberAttribute}, ListOptions{Limit: -1, PageSize: DefaultPageSize})
	if err != nil || sizeLimited {
		return nil, 0, err
	}
	index := map[string][]Group{}
	for _, e := range entries {
		for _, a := range e.Attributes {
			if strings.HasPrefix(strings.ToLower(a.Name), strings.ToLower(g.MemberAttribute)+";range=") {
				return nil, 0, nil // a partial member list: ask the server per user
			}
		}
		gr := groupOf(g, e)
		for _, m := range e.GetEqualFoldAttributeValues(g.MemberAttribute) {
			index[dnKey(m)] = append(index[dnKey(m)], gr)
		}
	}
	return index, len(entries), nil
}
