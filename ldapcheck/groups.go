// Step 8: the groups each group setting gives the user. The rules for what
// a strategy reads (hierarchicalGroups, dynamicGroups, staticFilter) are
// shared with the user listing (users.go), so both show the same groups.

package ldapcheck

import (
	"fmt"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"
)

func (r *runner) groupStep(g GroupSetting) {
	r.begin()
	strategy := strings.ToLower(g.Strategy)
	base := joinDN(g.BaseDN, r.ep.BaseDN)
	name := fmt.Sprintf("Groups %s (%s)", g.Name, strategy)
	var found []Group
	var detail string
	truncated := false // the server's size limit cut the group list
	switch strategy {
	case StrategyHierarchical:
		found = hierarchicalGroups(g, r.res.UserDN)
		detail = "the OUs of " + r.res.UserDN + ": " + listOrNone(groupNameList(found))
	case StrategyDynamic:
		if r.userEntry == nil {
			r.emit(Step{Kind: StepGroups, Name: name, Status: StatusSkip, Detail: "the user's entry could not be read"})
			return
		}
		var outside []string
		found, outside = dynamicGroups(g, base, r.userEntry)
		detail = fmt.Sprintf("%s of %s", g.MemberAttribute, r.res.UserDN)
		if g.BaseDN != "" {
			detail += " under " + base
		}
		detail += ": " + groupNames(found)
		if len(outside) > 0 {
			detail += fmt.Sprintf("; ignored outside %s: %s", base, strings.Join(outside, "; "))
		}
	default:
		if err := r.ensureManager(); err != nil {
			r.emit(r.bindFailure(StepGroups, name, err))
			return
		}
		var res *ldap.SearchResult
		var err error
		var what string
		found, res, what, err = r.staticGroups(g, base, r.res.UserDN)
		partial := ldap.IsErrorAnyOf(err, ldap.LDAPResultSizeLimitExceeded, ldap.LDAPResultAdminLimitExceeded)
		if err != nil && !partial {
			r.searchFailure(StepGroups, name, base, what, err)
			return
		}
		r.reportReferrals(res)
		detail = what + ": " + groupNames(found)
		if partial {
			detail += " (the server's size limit cut the list: there may be more)"
			truncated = true
		}
	}
	r.res.Groups = append(r.res.Groups, found...)
	switch {
	case truncated:
		// The user may be missing groups: say so instead of a plain ✓.
		r.emit(Step{Kind: StepGroups, Name: name, Status: StatusWarn, Reason: ReasonSizeLimit, Detail: detail,
			Hint: fmt.Sprintf("the directory cut the list at %d for %s: raise its size limit for that account, or narrow baseDn and filter to the groups that matter", len(found), r.searcher())})
	case len(found) == 0:
		r.emit(Step{Kind: StepGroups, Name: name, Status: StatusWarn, Reason: ReasonNoGroups, Detail: detail, Hint: groupHint(g, strategy, r)})
	default:
		st := Step{Kind: StepGroups, Name: name, Status: StatusOK, Detail: detail}
		indirect := r.indirectGroups(g, strategy, base, found)
		if r.reportLost(StepGroups, name) {
			return
		}
		if len(indirect) > 0 {
			st.Status, st.Reason = StatusInfo, ReasonNestedGroups
			st.Detail += "; indirect groups are not included: " + strings.Join(indirect, ", ")
			st.Hint = nestedHint(g, strategy)
		}
		r.emit(st)
	}
}

// staticGroups searches the groups userDN is a member of, as the vendor's
// server does for a static setting. what describes the search; a size
// limit comes back as the error with the groups read so far.
func (r *runner) staticGroups(g GroupSetting, base, userDN string) (found []Group, res *ldap.SearchResult, what string, err error) {
	filter := staticFilter(g, userDN)
	scope, scopeName := groupScope(g)
	what = fmt.Sprintf("base %s, scope %s, filter %s", displayDN(base), scopeName, filter)
	err = r.do(func() (err error) {
		res, err = r.conn.Search(ldap.NewSearchRequest(base, scope, ldap.NeverDerefAliases, 0, int(r.opt.ReadTimeout/time.Second), false,
			filter, []string{g.NameAttribute}, nil))
		return err
	})
	if res != nil {
		for _, e := range res.Entries {
			found = append(found, groupOf(g, e))
		}
	}
	return found, res, what, err
}

// hierarchicalGroups are the ou= parts of the user's DN, nearest first; the
// user's own RDN is no group.
func hierarchicalGroups(g GroupSetting, userDN string) []Group {
	var found []Group
	dn, _ := ldap.ParseDN(userDN)
	if dn == nil || len(dn.RDNs) < 2 {
		return nil
	}
	for _, rdn := range dn.RDNs[1:] {
		for _, a := range rdn.Attributes {
			if strings.EqualFold(a.Type, "ou") {
				found = append(found, Group{Setting: g.Name, Name: a.Value})
			}
		}
	}
	return found
}

// dynamicGroups reads the group DNs in the user entry's member attribute
// (memberOf); with a baseDn, those outside base are not groups of this
// setting and come back in outside.
func dynamicGroups(g GroupSetting, base string, entry *ldap.Entry) (found []Group, outside []string) {
	for _, v := range entry.GetEqualFoldAttributeValues(g.MemberAttribute) {
		if g.BaseDN != "" && !underBase(v, base) {
			outside = append(outside, v)
			continue
		}
		found = append(found, Group{Setting: g.Name, Name: rdnValue(v, g.NameAttribute), DN: v})
	}
	return found, outside
}

// staticFilter is the search for the groups userDN is a member of: the
// group filter and (memberAttribute=userDN). A memberAttribute with a
// matching rule (member:1.2.840.113556.1.4.1941:, AD's nested groups) gives
// an extensible match. A group filter holding {0} decides membership alone,
// {0} being the user's DN, as Spring Security's group search reads it:
// (member:1.2.840.113556.1.4.1941:={0}).
func staticFilter(g GroupSetting, userDN string) string {
	f := NormalizedFilter(g.Filter)
	if strings.Contains(f, "{0}") {
		return strings.ReplaceAll(f, "{0}", filterValue(userDN))
	}
	member := fmt.Sprintf("(%s=%s)", g.MemberAttribute, filterValue(userDN))
	if f == "" {
		return member
	}
	return "(&" + f + member + ")"
}

// nestedFilter says whether a static setting follows nested groups.
func nestedFilter(g GroupSetting) bool {
	_, rule, ok := MatchingRule(g.MemberAttribute)
	return ok && rule == InChainRule || strings.Contains(g.Filter, InChainRule)
}

func groupScope(g GroupSetting) (int, string) {
	if g.SubTree {
		return ldap.ScopeWholeSubtree, "sub-tree"
	}
	return ldap.ScopeSingleLevel, "one level"
}

// groupOf names a group entry found by a static search.
func groupOf(g GroupSetting, e *ldap.Entry) Group {
	n := e.GetEqualFoldAttributeValue(g.NameAttribute)
	if n == "" {
		n = rdnValue(e.DN, g.NameAttribute)
	}
	return Group{Setting: g.Name, Name: n, DN: e.DN}
}

// indirectGroups looks one level up from the groups found: groups under
// the group base that hold one of them as a member. When there are any,
// the setting reads direct memberships only and the user misses those.
// One search, as the manager; nothing when the setting follows nesting.
func (r *runner) indirectGroups(g GroupSetting, strategy, base string, found []Group) []string {
	if strategy == StrategyHierarchical || strategy == StrategyStatic && nestedFilter(g) {
		return nil
	}
	memberAttr := "member" // dynamic: AD and groupOfNames keep members here
	if strategy == StrategyStatic {
		memberAttr, _, _ = MatchingRule(g.MemberAttribute)
	}
	var clauses []string
	for _, gr := range found {
		if gr.DN != "" && len(clauses) < 50 {
			clauses = append(clauses, fmt.Sprintf("(%s=%s)", memberAttr, filterValue(gr.DN)))
		}
	}
	if len(clauses) == 0 || r.ensureManager() != nil {
		return nil
	}
	filter := "(|" + strings.Join(clauses, "") + ")"
	if f := NormalizedFilter(g.Filter); f != "" && strategy == StrategyStatic && !strings.Contains(f, "{0}") {
		filter = "(&" + f + filter + ")"
	}
	scope, _ := groupScope(g)
	var res *ldap.SearchResult
	err := r.aside(func() (err error) {
		res, err = r.conn.Search(ldap.NewSearchRequest(base, scope, ldap.NeverDerefAliases, 10, int(r.opt.ReadTimeout/time.Second), false,
			filter, []string{g.NameAttribute, memberAttr}, nil))
		return err
	})
	if err != nil && !ldap.IsErrorAnyOf(err, ldap.LDAPResultSizeLimitExceeded) || res == nil {
		return nil
	}
	direct := map[string]bool{}
	for _, gr := range found {
		direct[strings.ToLower(gr.DN)] = true
	}
	var out []string
	for _, e := range res.Entries {
		if direct[strings.ToLower(e.DN)] {
			continue // already a direct group
		}
		via := ""
		for _, m := range e.GetEqualFoldAttributeValues(memberAttr) {
			if direct[strings.ToLower(m)] {
				via = rdnValue(m, g.NameAttribute)
				break
			}
		}
		out = append(out, fmt.Sprintf("%s (through %s)", groupOf(g, e).Name, via))
	}
	return out
}

func nestedHint(g GroupSetting, strategy string) string {
	if strategy == StrategyDynamic {
		return "the server reads only the groups " + g.MemberAttribute + " lists, the direct ones; Active Directory: use strategy static with memberAttribute member:" + InChainRule + ": to include nested groups"
	}
	return "the server reads only direct memberships; Active Directory: set memberAttribute to member:" + InChainRule + ": (or the filter (member:" + InChainRule + ":={0})) to include nested groups; other directories do not resolve nesting"
}

func groupHint(g GroupSetting, strategy string, r *runner) string {
	switch strategy {
	case StrategyHierarchical:
		return "the user's DN has no ou= parts: hierarchical needs users placed in OUs named like the groups"
	case StrategyDynamic:
		return "the user entry has no " + g.MemberAttribute + " values under the group base: Active Directory never lists the primary group (usually Domain Users) in memberOf; OpenLDAP fills memberOf only with the memberof overlay, for changes made after it was enabled; and the manager must be allowed to read it"
	}
	alt := ""
	if r.res.SearchBase != "" && r.res.SearchBase != r.ep.BaseDN {
		alt = "; if the server reads baseDn relative to the search base it would be " + joinDN(g.BaseDN, r.res.SearchBase)
	}
	return "check memberAttribute (member for groupOfNames and Active Directory, uniqueMember for groupOfUniqueNames), filter and baseDn" + alt +
		"; Active Directory never lists a user's primary group (usually Domain Users) as a member, and OpenLDAP's memberOf needs the memberof overlay"
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

func groupNameList(gs []Group) []string {
	var names []string
	for _, g := range gs {
		names = append(names, g.Name)
	}
	return names
}

func groupNames(gs []Group) string {
	return fmt.Sprintf("%d group(s) %s", len(gs), listOrNone(groupNameList(gs)))
}

// rdnValue returns the value of attr in the first RDN of dn, or the first
// RDN's value when attr is not there.
func rdnValue(dn, attr string) string {
	parsed, err := ldap.ParseDN(dn)
	if err != nil || len(parsed.RDNs) == 0 || len(parsed.RDNs[0].Attributes) == 0 {
		return dn
	}
	for _, a := range parsed.RDNs[0].Attributes {
		if strings.EqualFold(a.Type, attr) {
			return a.Value
		}
	}
	return parsed.RDNs[0].Attributes[0].Value
}

func underBase(dn, base string) bool {
	d, err1 := ldap.ParseDN(dn)
	b, err2 := ldap.ParseDN(base)
	if err1 != nil || err2 != nil {
		return false
	}
	return b.AncestorOfFold(d) || b.EqualFold(d)
}
