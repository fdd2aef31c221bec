// Step 8: the groups each group setting gives the user.

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
		dn, _ := ldap.ParseDN(r.res.UserDN)
		var ous []string
		if dn != nil && len(dn.RDNs) > 1 {
			for _, rdn := range dn.RDNs[1:] { // the user's own RDN is no group
				for _, a := range rdn.Attributes {
					if strings.EqualFold(a.Type, "ou") {
						ous = append(ous, a.Value)
						found = append(found, Group{Setting: g.Name, Name: a.Value})
					}
				}
			}
		}
		detail = "the OUs of " + r.res.UserDN + ": " + listOrNone(ous)
	case StrategyDynamic:
		if r.userEntry == nil {
			r.emit(Step{Kind: StepGroups, Name: name, Status: StatusSkip, Detail: "the user's entry could not be read"})
			return
		}
		var outside []string
		for _, v := range r.userEntry.GetEqualFoldAttributeValues(g.MemberAttribute) {
			gr := Group{Setting: g.Name, Name: rdnValue(v, g.NameAttribute), DN: v}
			if g.BaseDN != "" && !underBase(v, base) {
				outside = append(outside, v)
				continue
			}
			found = append(found, gr)
		}
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
		filter := fmt.Sprintf("(%s=%s)", g.MemberAttribute, filterValue(r.res.UserDN))
		if f := NormalizedFilter(g.Filter); f != "" {
			filter = "(&" + f + filter + ")"
		}
		scope, scopeName := ldap.ScopeWholeSubtree, "sub-tree"
		if !g.SubTree {
			scope, scopeName = ldap.ScopeSingleLevel, "one level"
		}
		what := fmt.Sprintf("base %s, scope %s, filter %s", displayDN(base), scopeName, filter)
		var res *ldap.SearchResult
		err := r.do(func() (err error) {
			res, err = r.conn.Search(ldap.NewSearchRequest(base, scope, ldap.NeverDerefAliases, 0, int(r.opt.ReadTimeout/time.Second), false,
				filter, []string{g.NameAttribute}, nil))
			return err
		})
		partial := ldap.IsErrorAnyOf(err, ldap.LDAPResultSizeLimitExceeded, ldap.LDAPResultAdminLimitExceeded)
		if err != nil && !partial {
			r.searchFailure(StepGroups, name, base, what, err)
			return
		}
		r.reportReferrals(res)
		for _, e := range res.Entries {
			n := e.GetEqualFoldAttributeValue(g.NameAttribute)
			if n == "" {
				n = rdnValue(e.DN, g.NameAttribute)
			}
			found = append(found, Group{Setting: g.Name, Name: n, DN: e.DN})
		}
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
		r.emit(Step{Kind: StepGroups, Name: name, Status: StatusOK, Detail: detail})
	}
}

func groupHint(g GroupSetting, strategy string, r *runner) string {
	switch strategy {
	case StrategyHierarchical:
		return "the user's DN has no ou= parts: hierarchical needs users placed in OUs named like the groups"
	case StrategyDynamic:
		return "the user entry has no " + g.MemberAttribute + " values under the group base (OpenLDAP: enable the memberof overlay; the manager must be allowed to read it)"
	}
	alt := ""
	if r.res.SearchBase != "" && r.res.SearchBase != r.ep.BaseDN {
		alt = "; if the server reads baseDn relative to the search base it would be " + joinDN(g.BaseDN, r.res.SearchBase)
	}
	return "check memberAttribute (member for groupOfNames, uniqueMember for groupOfUniqueNames), filter and baseDn" + alt
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

func groupNames(gs []Group) string {
	var names []string
	for _, g := range gs {
		names = append(names, g.Name)
	}
	return fmt.Sprintf("%d group(s) %s", len(gs), listOrNone(names))
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
