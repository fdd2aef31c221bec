// Step 6: finding the user (DN pattern or search under each base), and what
// a search that failed or found nothing means.

package ldapcheck

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-ldap/ldap/v3"
)

// userAttributes are the attributes read from the user's entry: all user
// attributes plus the ones that may be operational (memberOf in OpenLDAP,
// the lockout counters).
func (r *runner) userAttributes() []string {
	attrs := []string{"*"}
	if r.s.EmailAttribute != "" {
		attrs = append(attrs, r.s.EmailAttribute)
	}
	for _, g := range r.groups {
		if strings.EqualFold(g.Strategy, StrategyDynamic) && g.MemberAttribute != "" {
			attrs = append(attrs, g.MemberAttribute)
		}
	}
	return append(attrs, lockoutAttributes...)
}

// done reports whether the user has been settled: authenticated, or found
// in a lookup-only run.
func (r *runner) done() bool {
	return r.res.Authenticated || r.opt.LookupOnly && r.res.UserFound
}

func (r *runner) findUser() {
	if strings.TrimSpace(r.s.UserDNPattern) != "" {
		r.patternBind()
		if r.dead || r.done() {
			return
		}
	}
	if strings.TrimSpace(r.s.Search.Filter) == "" {
		if q, ok := patternQuery(r.s.UserDNPattern, r.ep.BaseDN); ok && !r.res.UserFound && r.patternMissing {
			r.whyNotFound(q)
		}
		return
	}
	if !r.managerOK {
		r.emit(Step{Kind: StepUserSearch, Name: "User search", Status: StatusSkip, Detail: "skipped: the manager bind failed"})
		return
	}
	if err := r.ensureManager(); err != nil {
		r.emit(r.bindFailure(StepUserSearch, "User search: manager bind", err))
		return
	}
	filter := strings.ReplaceAll(NormalizedFilter(r.s.Search.Filter), "{0}", filterValue(r.opt.Username))
	scope, scopeName := ldap.ScopeWholeSubtree, "sub-tree"
	if !r.s.Search.SubTree {
		scope, scopeName = ldap.ScopeSingleLevel, "one level"
	}
	empty := 0
	bases := r.s.Search.SearchBases()
	var absolute []string
	for _, b := range bases {
		if r.dead || r.done() {
			return
		}
		base := joinDN(b, r.ep.BaseDN)
		absolute = append(absolute, base)
		name := "User search in " + displayDN(base)
		r.begin()
		var res *ldap.SearchResult
		err := r.do(func() (err error) {
			res, err = r.conn.Search(ldap.NewSearchRequest(base, scope, ldap.NeverDerefAliases, 2, int(r.opt.ReadTimeout/time.Second), false,
				filter, r.userAttributes(), nil))
			return err
		})
		what := fmt.Sprintf("scope %s, filter %s", scopeName, filter)
		if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded) {
			r.searchFailure(StepUserSearch, name, base, what, err)
			continue
		}
		r.reportReferrals(res)
		switch n := len(res.Entries); {
		case n == 0:
			empty++
			r.emit(Step{Kind: StepUserSearch, Name: name, Status: StatusWarn, Reason: ReasonNotFound,
				Detail: what + ": no entry"})
		case n > 1:
			dns := []string{res.Entries[0].DN, res.Entries[1].DN}
			more := ""
			if err != nil {
				more = " and more"
			}
			r.emit(Step{Kind: StepUserSearch, Name: name, Status: StatusFail, Reason: ReasonAmbiguous,
				Detail: fmt.Sprintf("%s: several entries (%s%s): the server refuses the login", what, strings.Join(dns, "; "), more),
				Hint:   "the username must match one entry: make the filter or the search base more specific"})
		default:
			entry := res.Entries[0]
			r.res.UserFound, r.res.UserDN, r.res.SearchBase = true, entry.DN, base
			r.emit(Step{Kind: StepUserSearch, Name: name, Status: StatusOK, Detail: what + ": found " + entry.DN})
			if r.bindFound(entry) {
				return
			}
		}
	}
	if !r.res.UserFound && !r.dead && empty == len(bases) {
		r.emit(Step{Kind: StepUserSearch, Name: "User lookup", Status: StatusFail, Reason: ReasonNotFound,
			Detail: Quote(r.opt.Username) + " not found under any search base",
			Hint: "check the username, search.base (relative to the URL's base DN), search.subTree and the filter's attribute (uid, sAMAccountName, mail...); " +
				"if the entry is there, access controls may hide it from " + r.searcher()})
		r.whyNotFound(lookupQuery{bases: absolute, filter: NormalizedFilter(r.s.Search.Filter), subTree: r.s.Search.SubTree})
	}
}

// bindFound binds as the entry a search found, after showing the lockout
// policy; true when the user is settled. A lookup-only run never binds,
// and no run binds as the user twice: each wrong password counts towards
// a lockout, so a second entry under a later base is reported, not tried.
func (r *runner) bindFound(entry *ldap.Entry) bool {
	r.lockoutStep(entry.DN, entry)
	name := "User bind " + entry.DN
	switch {
	case r.opt.LookupOnly:
		r.userEntry = entry
		r.emit(Step{Kind: StepUserBind, Name: name, Status: StatusSkip, Reason: ReasonLookupOnly,
			Detail: "not tried: lookup only, no password sent (no lockout risk)"})
		return true
	case r.userBinds > 0 || r.bindStopped:
		r.emit(Step{Kind: StepUserBind, Name: name, Status: StatusSkip, Reason: ReasonOneBind,
			Detail: "not tried: this test binds as the user once per run, and each wrong password counts towards a lockout",
			Hint:   "the server would try this entry too; test it alone by narrowing search.base"})
		return false
	}
	if r.userBind(entry.DN, name) {
		r.userEntry = entry
		return true
	}
	return false
}

// filterValue escapes s as an assertion value of a filter (RFC 4515): the
// characters that change a filter's meaning (* ( ) \ NUL) and control bytes
// become \xx; letters beyond ASCII stay as they are, as JNDI (the vendor's
// LDAP client) leaves them, so that "(cn=Zoë)" reads as typed (go-ldap's
// EscapeFilter would show "(cn=Zo\c3\ab)"). Invalid UTF-8 is escaped byte
// by byte.
func filterValue(s string) string {
	if !utf8.ValidString(s) {
		return ldap.EscapeFilter(s)
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '*' || c == '(' || c == ')' || c == '\\' || c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, "\\%02x", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func displayDN(dn string) string {
	if dn == "" {
		return "the root DSE"
	}
	return dn
}

// searchFailure reports a search from base that ended in an error other
// than results.
func (r *runner) searchFailure(kind StepKind, name, base, what string, err error) {
	if ldapCode(err) < 0 {
		detail, hint, reason := r.explainNetwork(err, what)
		r.dead = true
		r.emit(Step{Kind: kind, Name: name, Status: StatusFail, Detail: detail, Hint: hint, Reason: reason})
		return
	}
	if ldap.IsErrorWithCode(err, ldap.LDAPResultReferral) {
		uris := referralURIs(err)
		notes, _ := r.referralHosts(uris)
		r.emit(Step{Kind: StepReferral, Name: name, Status: StatusInfo, Reason: ReasonReferral,
			Detail: what + ": the server refers elsewhere: " + strings.Join(uris, ", ") + notes,
			Hint:   "referrals are not followed by this test; point url at the server that holds this base (Active Directory: the global catalog, port 3268/3269)"})
		return
	}
	st := Step{Kind: kind, Name: name, Status: StatusFail, Detail: what + ": " + describeLDAPError(err)}
	st.Hint, st.Reason = explainResult(err)
	var le *ldap.Error
	switch {
	case st.Reason == ReasonNoSuchObject && errors.As(err, &le):
		st.Detail, st.Hint = r.missingEntry("base "+displayDN(base), base, le.MatchedDN)
	case st.Reason == ReasonAccess && r.s.Search.ManagerDN == "":
		st.Hint = "anonymous searches may not read there: set search.managerDn (and its password) to an account that may"
	}
	r.emit(st)
}

// searcher names the identity searches run as, for details about access.
func (r *runner) searcher() string {
	if r.s.Search.ManagerDN == "" {
		return "anonymous searches"
	}
	return "the manager " + r.s.Search.ManagerDN
}

// missingEntry explains "no such object" for dn (what names it). The
// matched DN is the deepest entry the server admits to. OpenLDAP leaves it
// empty when access controls hide the entry, even when the entries above it
// are readable (verified with slapd 2.5), so an empty matched DN does not
// mean that nothing exists above dn.
func (r *runner) missingEntry(what, dn, matched string) (detail, hint string) {
	if matched == "" {
		detail = fmt.Sprintf("%s: no such object, and the server shows no entry above it either: access controls hide it from %s, or it lies outside the directory", what, r.searcher())
		hint = "if it exists, let " + r.searcher() + " read it (or use another managerDn); otherwise check the URL's base DN and this base"
		if r.s.Search.ManagerDN == "" {
			hint = "if it exists, anonymous searches may not see it: set search.managerDn to an account that may; otherwise check the URL's base DN and this base"
		}
		return detail, hint
	}
	return fmt.Sprintf("%s does not exist; the deepest existing entry is %s", what, Quote(matched)),
		fmt.Sprintf("nothing named %s exists under %s: correct it (it is relative to the URL's base DN)", missingPart(dn, matched), matched)
}

// missingPart is the part of dn in front of its existing ancestor matched,
// e.g. "ou=nope" for ou=nope,dc=example,dc=com under dc=example,dc=com.
func missingPart(dn, matched string) string {
	d, err1 := ldap.ParseDN(dn)
	m, err2 := ldap.ParseDN(matched)
	if err1 != nil || err2 != nil || len(d.RDNs) <= len(m.RDNs) {
		return dn
	}
	var parts []string
	for _, rdn := range d.RDNs[:len(d.RDNs)-len(m.RDNs)] {
		parts = append(parts, rdn.String())
	}
	return strings.Join(parts, ",")
}

// patternBind binds with the DN pattern, the first thing the server tries
// (lookup only: the manager reads the DN instead).
func (r *runner) patternBind() {
	dn := joinDN(strings.ReplaceAll(r.s.UserDNPattern, "{0}", ldap.EscapeDN(r.opt.Username)), r.ep.BaseDN)
	if r.opt.LookupOnly {
		r.patternLookup(dn)
		return
	}
	r.lockoutStep(dn, nil)
	if !r.userBind(dn, "User bind (DN pattern) "+dn) {
		return
	}
	r.res.UserFound, r.res.UserDN = true, dn
	// Read the entry as the user, as the server does after a pattern bind.
	r.begin()
	res, err := r.searchUserEntry(dn)
	if err == nil && len(res.Entries) == 1 {
		r.userEntry = res.Entries[0]
		r.stepStart = time.Time{}
		return
	}
	if err != nil && ldapCode(err) < 0 {
		detail, hint, reason := r.explainNetwork(err, "reading the user's entry")
		r.dead = true
		r.emit(Step{Kind: StepUserSearch, Name: "Read " + dn, Status: StatusFail, Detail: detail, Hint: hint, Reason: reason})
		return
	}
	r.emit(Step{Kind: StepUserSearch, Name: "Read " + dn, Status: StatusWarn, Reason: ReasonAccess,
		Detail: "the user can bind but cannot read their own entry", Hint: "let users read their entry, or email and groups stay empty"})
}

// searchUserEntry reads the entry dn itself, with the attributes the test
// looks at, as whoever is bound (the user after a pattern bind, else the
// manager).
func (r *runner) searchUserEntry(dn string) (*ldap.SearchResult, error) {
	var res *ldap.SearchResult
	err := r.do(func() (err error) {
		res, err = r.conn.Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, int(r.opt.ReadTimeout/time.Second), false,
			"(objectClass=*)", r.userAttributes(), nil))
		return err
	})
	return res, err
}

// patternLookup reads the pattern's DN as the manager (or anonymously)
// instead of binding as it.
func (r *runner) patternLookup(dn string) {
	name := "User lookup (DN pattern) " + dn
	if err := r.ensureManager(); err != nil {
		r.emit(r.bindFailure(StepUserSearch, name, err))
		return
	}
	r.begin()
	res, err := r.searchUserEntry(dn)
	if err == nil && len(res.Entries) == 1 {
		r.res.UserFound, r.res.UserDN, r.userEntry = true, dn, res.Entries[0]
		r.emit(Step{Kind: StepUserSearch, Name: name, Status: StatusOK, Detail: "found " + dn})
		r.lockoutStep(dn, res.Entries[0])
		r.emit(Step{Kind: StepUserBind, Name: "User bind (DN pattern) " + dn, Status: StatusSkip, Reason: ReasonLookupOnly,
			Detail: "not tried: lookup only, no password sent (no lockout risk)"})
		return
	}
	var le *ldap.Error
	if err == nil || ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) && errors.As(err, &le) {
		r.patternMissing = true
		matched := ""
		if le != nil {
			matched = le.MatchedDN
		}
		detail, hint := r.missingEntry("entry "+dn, dn, matched)
		r.emit(Step{Kind: StepUserSearch, Name: name, Status: StatusFail, Reason: ReasonNotFound, Detail: detail,
			Hint: hint + "; check the username and userDnPattern"})
		return
	}
	r.searchFailure(StepUserSearch, name, dn, "base "+dn, err)
}
