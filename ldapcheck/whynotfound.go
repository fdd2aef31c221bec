// Why not found: when the search finds nobody, look wider as the manager,
// within limits (a handful of searches of at most a few entries each), and
// say which of the usual causes it is: the entry is outside the search
// bases, deeper than one level with sub-tree off, found under another
// attribute (mail, UPN, uid...) or as typed with a domain, excluded by a
// clause of the filter, or nowhere the manager can see.

package ldapcheck

import (
	"fmt"
	"slices"
	"strings"
	"time"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"

	"frontdoor/internal/lazyregexp"
)

// Limits of looking wider.
const (
	wideSizeLimit  = 5 // entries per search
	maxClauseTries = 8 // filter clauses tried one by one
)

// lookupQuery is how the user was looked for: the search bases (absolute),
// the filter with {0}, and the scope. A DN pattern reads as a one-level
// search under its parent for its first RDN's attribute.
type lookupQuery struct {
	bases   []string
	filter  string // normalized, with {0}
	subTree bool
	pattern bool
}

// patternQuery turns uid={0},ou=people into a one-level search for
// (uid={0}) under ou=people,BASE.
func patternQuery(pattern, baseDN string) (lookupQuery, bool) {
	first, parent, _ := strings.Cut(pattern, ",")
	attr, value, ok := strings.Cut(first, "=")
	if !ok || strings.TrimSpace(value) != "{0}" || !attributeName().MatchString(strings.TrimSpace(attr)) {
		return lookupQuery{}, false
	}
	return lookupQuery{bases: []string{joinDN(parent, baseDN)}, filter: "(" + strings.TrimSpace(attr) + "={0})", pattern: true}, true
}

// whyNotFound looks wider and reports what it learned as one step.
func (r *runner) whyNotFound(q lookupQuery) {
	if r.dead || r.ensureManager() != nil {
		return
	}
	r.begin()
	causes := r.notFoundCauses(q)
	if r.reportLost(StepWhyNotFound, "Why not found") {
		return
	}
	if len(causes) == 0 {
		r.stepStart = time.Time{}
		return
	}
	r.res.WhyNotFound = causes
	var details []string
	for _, c := range causes {
		details = append(details, c.Detail)
	}
	r.emit(Step{Kind: StepWhyNotFound, Name: "Why not found", Status: StatusInfo, Reason: causes[0].Cause,
		Detail: strings.Join(details, "; "), Hint: causes[0].Fix})
}

func (r *runner) notFoundCauses(q lookupQuery) []NotFoundCause {
	wide := r.wideBase()
	if wide == "" {
		return nil
	}
	user := filterValue(r.opt.Username)
	// 1. The same filter from the top: outside the bases, or deeper.
	entries, err := r.wideSearch(wide, strings.ReplaceAll(q.filter, "{0}", user), []string{"1.1"})
	if err != nil {
		return []NotFoundCause{{Cause: ReasonNotFound, Detail: "could not look wider under " + wide + ": " + describeLDAPError(err)}}
	}
	var causes []NotFoundCause
	for _, e := range entries {
		causes = append(causes, r.placeCause(q, e.DN))
	}
	if len(causes) > 0 {
		return causes
	}
	// 2. A clause of the filter that excludes the entry.
	if c, ok := r.excludingClause(q, wide, user); ok {
		return []NotFoundCause{c}
	}
	// 3. The name under another attribute, or typed with its domain.
	if c, ok := r.otherAttribute(q, wide); ok {
		return c
	}
	return []NotFoundCause{{Cause: ReasonNotInDirectory,
		Detail: fmt.Sprintf("nothing under %s has %s as %s, as far as %s can see", wide, Quote(r.opt.Username), strings.Join(r.nameAttributes(q), ", "), r.searcher()),
		Fix:    "check the spelling of the username; if the account exists, access controls may hide it from " + r.searcher()}}
}

// wideSearch runs one bounded search from base; referrals are ignored.
func (r *runner) wideSearch(base, filter string, attrs []string) ([]*ldap.Entry, error) {
	var res *ldap.SearchResult
	err := r.aside(func() (err error) {
		res, err = r.conn.Search(ldap.NewSearchRequest(base, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, wideSizeLimit, int(r.opt.ReadTimeout/time.Second), false,
			filter, attrs, nil))
		return err
	})
	if err != nil && !ldap.IsErrorAnyOf(err, ldap.LDAPResultSizeLimitExceeded, ldap.LDAPResultReferral) {
		return nil, err
	}
	if res == nil {
		return nil, nil
	}
	return res.Entries, nil
}

// placeCause says where dn is relative to the bases that missed it.
func (r *runner) placeCause(q lookupQuery, dn string) NotFoundCause {
	for _, b := range q.bases {
		if underBase(dn, b) && !q.subTree {
			fix := "turn search.subTree on, or add " + relativeTo(parentDN(dn), r.ep.BaseDN) + " to search.base (separate bases with |)"
			if q.pattern {
				fix = "the DN pattern names one level only: use a search filter with sub-tree search instead"
			}
			return NotFoundCause{Cause: ReasonBelowOneLevel, DN: dn,
				Detail: fmt.Sprintf("%s exists below %s, deeper than one level: only entries directly under a base are found with sub-tree search off", dn, b),
				Fix:    fix}
		}
	}
	fix := fmt.Sprintf("add %s to search.base (separate bases with |)", relativeTo(parentDN(dn), r.ep.BaseDN))
	where := "search.base (" + strings.Join(q.bases, " | ") + ")"
	if q.pattern {
		fix = "the DN pattern does not produce this DN: use a search filter instead, or change userDnPattern"
		where = "the DN pattern's place (" + q.bases[0] + ")"
	}
	return NotFoundCause{Cause: ReasonOutsideBases, DN: dn,
		Detail: fmt.Sprintf("%s exists outside %s", dn, where), Fix: fix}
}

// excludingClause tries the filter without each of its top-level AND
// clauses that do not hold {0}: when the entry appears, that clause
// excludes it. The clauses are told apart with a marker in place of {0},
// so that a username the decompiled filter spells differently (escaped
// letters beyond ASCII) never makes its own clause look removable.
func (r *runner) excludingClause(q lookupQuery, wide, user string) (NotFoundCause, bool) {
	const marker = "frontdoorusermarker"
	p, err := ldap.CompileFilter(strings.ReplaceAll(q.filter, "{0}", marker))
	if err != nil || p.Tag != ldap.FilterAnd || len(p.Children) < 2 {
		return NotFoundCause{}, false
	}
	for i, clause := range p.Children {
		if i >= maxClauseTries {
			break
		}
		text, err := ldap.DecompileFilter(clause)
		if err != nil || strings.Contains(text, marker) {
			continue // the clause with the username finds the user: keep it
		}
		filter := "(&"
		for _, c := range without(p.Children, i) {
			t, err := ldap.DecompileFilter(c)
			if err != nil {
				return NotFoundCause{}, false
			}
			filter += t
		}
		filter = strings.ReplaceAll(filter+")", marker, user)
		entries, err := r.wideSearch(wide, filter, []string{"1.1"})
		if err != nil || len(entries) == 0 {
			continue
		}
		dn := entries[0].DN
		return NotFoundCause{Cause: ReasonExcludedByFilter, DN: dn,
			Detail: fmt.Sprintf("the clause %s of search.filter excludes %s%s", text, dn, clauseMeaning(text)),
			Fix:    "if the clause is meant to keep this account out, the filter works as intended; otherwise fix the account or the clause"}, true
	}
	return NotFoundCause{}, false
}

func without(children []*ber.Packet, i int) []*ber.Packet {
	return append(slices.Clone(children[:i]), children[i+1:]...)
}

// clauseMeaning names what common Active Directory clauses test.
func clauseMeaning(clause string) string {
	c := strings.ToLower(clause)
	switch {
	case strings.Contains(c, "useraccountcontrol:1.2.840.113556.1.4.803:=2)"):
		return " (the account is disabled)"
	case strings.Contains(c, "memberof"):
		return " (the account is not in that group)"
	case strings.Contains(c, "objectclass") || strings.Contains(c, "objectcategory"):
		return " (the entry is of another class)"
	}
	return ""
}

var filterUserAttribute = lazyregexp.New(`\(([A-Za-z][A-Za-z0-9-]*)(?::[^=()]*)?=\{0\}\)`)

// loginAttributes are the attributes the filter compares with {0}.
func loginAttributes(filter string) []string {
	var attrs []string
	for _, m := range filterUserAttribute().FindAllStringSubmatch(filter, -1) {
		if !slices.ContainsFunc(attrs, func(a string) bool { return strings.EqualFold(a, m[1]) }) {
			attrs = append(attrs, m[1])
		}
	}
	return attrs
}

// nameAttributes are where login names usually live in this kind of
// directory, the filter's own first.
func (r *runner) nameAttributes(q lookupQuery) []string {
	attrs := loginAttributes(q.filter)
	usual := []string{"uid", "mail", "cn"}
	if r.server().kind == DirectoryActiveDirectory {
		usual = []string{"sAMAccountName", "userPrincipalName", "mail", "cn"}
	}
	for _, a := range usual {
		if !slices.ContainsFunc(attrs, func(b string) bool { return strings.EqualFold(a, b) }) {
			attrs = append(attrs, a)
		}
	}
	return attrs
}

// typedName splits a login name typed with its domain: CORP\alice or
// alice@corp.example.com give alice.
func typedName(user string) (short, form string) {
	if i := strings.LastIndex(user, `\`); i > 0 && i < len(user)-1 {
		return user[i+1:], "a down-level logon name (DOMAIN\\user)"
	}
	if i := strings.Index(user, "@"); i > 0 && i < len(user)-1 {
		return user[:i], "a user principal name or email address"
	}
	return "", ""
}

// otherAttribute searches the usual name attributes for the username (and
// for the name without its domain in the filter's own attributes).
func (r *runner) otherAttribute(q lookupQuery, wide string) ([]NotFoundCause, bool) {
	own := loginAttributes(q.filter)
	attrs := r.nameAttributes(q)
	user := r.opt.Username
	short, form := typedName(user)
	var clauses []string
	for _, a := range attrs {
		if !slices.Contains(own, a) {
			clauses = append(clauses, fmt.Sprintf("(%s=%s)", a, filterValue(user)))
		}
	}
	if short != "" {
		for _, a := range own {
			clauses = append(clauses, fmt.Sprintf("(%s=%s)", a, filterValue(short)))
		}
	}
	if len(clauses) == 0 {
		return nil, false
	}
	entries, err := r.wideSearch(wide, "(|"+strings.Join(clauses, "")+")", attrs)
	if err != nil || len(entries) == 0 {
		return nil, false
	}
	var causes []NotFoundCause
	for _, e := range entries {
		ownValue := ""
		if len(own) > 0 {
			ownValue = e.GetEqualFoldAttributeValue(own[0])
		}
		if short != "" && len(own) > 0 && strings.EqualFold(ownValue, short) {
			also := attributesHolding(e, attrs, own, user)
			if len(also) > 0 {
				form = fmt.Sprintf("the account's %s", strings.Join(also, " and "))
			}
			causes = append(causes, NotFoundCause{Cause: ReasonTypedLoginName, DN: e.DN,
				Detail: fmt.Sprintf("%s is %s; %s of %s is %s", Quote(user), form, own[0], e.DN, Quote(ownValue)),
				Fix:    "the vendor's server puts the name into the filter as typed: users type " + Quote(ownValue) + r.typedNameFilter(user, also)})
			continue
		}
		for _, a := range attrs {
			if slices.Contains(own, a) {
				continue
			}
			if slices.ContainsFunc(e.GetEqualFoldAttributeValues(a), func(v string) bool { return strings.EqualFold(v, user) }) {
				fix := fmt.Sprintf("users log in with their %s", strings.Join(own, " or "))
				if ownValue != "" {
					fix += " (here " + Quote(ownValue) + ")"
				}
				fix += fmt.Sprintf(", or change search.filter to (%s={0}) to let them log in with %s", a, a)
				causes = append(causes, NotFoundCause{Cause: ReasonOtherAttribute, DN: e.DN,
					Detail: fmt.Sprintf("%s has %s=%s, but search.filter compares %s", e.DN, a, filterValue(user), strings.Join(own, ", ")), Fix: fix})
				break
			}
		}
	}
	return causes, len(causes) > 0
}

// typedNameFilter suggests the filter that lets users log in with the
// name they typed: Active Directory's userPrincipalName; elsewhere (OpenLDAP
// has no userPrincipalName) the attribute that holds it, or mail for an
// address. "" when there is nothing to suggest.
func (r *runner) typedNameFilter(user string, holding []string) string {
	if r.server().kind == DirectoryActiveDirectory {
		return "; to let them type the user principal name, search by (userPrincipalName={0})"
	}
	attr := "mail"
	switch {
	case len(holding) > 0:
		attr = holding[0]
	case !strings.Contains(user, "@"):
		return ""
	}
	return fmt.Sprintf("; to let them type their %s, search by (%s={0})", attr, attr)
}

// attributesHolding names the attributes of e (other than own) whose
// value is user.
func attributesHolding(e *ldap.Entry, attrs, own []string, user string) []string {
	var out []string
	for _, a := range attrs {
		if !slices.Contains(own, a) && slices.ContainsFunc(e.GetEqualFoldAttributeValues(a), func(v string) bool { return strings.EqualFold(v, user) }) {
			out = append(out, a)
		}
	}
	return out
}

// rdns splits a DN into its RDNs as written (commas escaped with a
// backslash stay inside their RDN), so that suggestions keep the admin's
// spelling ("OU=Contractors", not "ou=Contractors").
func rdns(dn string) []string {
	var out []string
	start, escaped := 0, false
	for i := 0; i < len(dn); i++ {
		switch {
		case escaped:
			escaped = false
		case dn[i] == '\\':
			escaped = true
		case dn[i] == ',':
			out = append(out, strings.TrimSpace(dn[start:i]))
			start = i + 1
		}
	}
	return append(out, strings.TrimSpace(dn[start:]))
}

// parentDN drops the first RDN.
func parentDN(dn string) string {
	parts := rdns(dn)
	if len(parts) < 2 {
		return ""
	}
	return strings.Join(parts[1:], ",")
}

// relativeTo writes dn relative to base, as search.base wants it.
func relativeTo(dn, base string) string {
	d, err1 := ldap.ParseDN(dn)
	b, err2 := ldap.ParseDN(base)
	if base == "" || err1 != nil || err2 != nil || !b.AncestorOfFold(d) {
		return dn
	}
	parts := rdns(dn)
	return strings.Join(parts[:len(parts)-len(b.RDNs)], ",")
}
