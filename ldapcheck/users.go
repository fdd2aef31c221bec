// See the directory as the vendor's server will: as the manager, the
// entries the search bases and filter find (the filter with {0} as *), each
// with its DN, login name, email and the groups the group settings give,
// read with paged results (AD's MaxPageSize is 1000) and the server's size
// limit reported. The connection steps are Run's; the group rules are the
// ones groups.go applies to one user.

package ldapcheck

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// Defaults of a listing.
const (
	DefaultListLimit = 20  // users listed unless ListOptions.Limit says otherwise
	DefaultPageSize  = 500 // entries per page; AD's MaxPageSize is 1000
)

// ListOptions bound a listing.
type ListOptions struct {
	// Limit is the most users listed (0: DefaultListLimit; negative: all).
	// Each base is read up to one entry past it, to know whether there
	// are more.
	Limit int
	// PageSize is the paged-results page size (0: DefaultPageSize).
	PageSize int
}

func (o ListOptions) withDefaults() ListOptions {
	if o.Limit == 0 {
		o.Limit = DefaultListLimit
	}
	if o.PageSize <= 0 {
		o.PageSize = DefaultPageSize
	}
	return o
}

// UserFlag marks a listed user who may not log in as expected.
type UserFlag string

const (
	FlagNoEmail        UserFlag = "no-email"        // emailAttribute is set, the entry has no value
	FlagSeveralBases   UserFlag = "several-bases"   // found under two or more search bases
	FlagDuplicateLogin UserFlag = "duplicate-login" // another entry under the same first base has its login name: the server refuses both
	FlagShadowed       UserFlag = "shadowed"        // an entry under an earlier base has its login name: that one logs in, never this one
)

// ListedUser is one entry the settings find.
type ListedUser struct {
	DN     string     `json:"dn"`
	Login  string     `json:"login,omitempty"` // the value of the filter's {0} attribute
	Email  string     `json:"email,omitempty"`
	Groups []Group    `json:"groups,omitempty"`
	Bases  []string   `json:"bases"` // the search bases that found it, in order
	Flags  []UserFlag `json:"flags,omitempty"`
}

// UserList is what ListUsers found. It never contains a password.
type UserList struct {
	Setting string `json:"setting"`
	// Filter is search.filter with {0} as * (for a DN pattern, the
	// pattern's attribute under its parent, one level).
	Filter         string       `json:"filter"`
	LoginAttribute string       `json:"loginAttribute,omitempty"`
	Bases          []string     `json:"bases"`
	Users          []ListedUser `json:"users"`
	// More: the limit cut the list, more entries match.
	More bool `json:"more"`
	// SizeLimited: the server's size limit cut a base's list.
	SizeLimited bool   `json:"sizeLimited,omitempty"`
	TimedOut    bool   `json:"timedOut,omitempty"`
	Canceled    bool   `json:"canceled,omitempty"`
	Steps       []Step `json:"steps,omitempty"`
}

// OK reports whether the listing ran without a failed step and found
// someone: the condition for `frontdoor ldap users` to exit 0.
func (l UserList) OK() bool {
	for _, st := range l.Steps {
		if st.Status == StatusFail {
			return false
		}
	}
	return len(l.Users) > 0
}

// ListUsers lists, as the manager, the users setting s lets log in, with
// the groups the group settings of s give them. Steps are reported as in
// Run (DNS, connect, TLS, manager bind, one "Users in BASE" per search
// base, one "Groups NAME" per group setting, a summary); opt's Username and
// Password are not used. The user's password is never needed: nothing
// binds as a user.
func ListUsers(ctx context.Context, s Setting, groups []GroupSetting, opt Options, lo ListOptions, report func(Step)) UserList {
	opt.Username, opt.Password, opt.LookupOnly = "", "", true
	r := &runner{ctx: ctx, s: s, opt: opt.withDefaults(), report: report}
	for _, g := range groups {
		if g.LDAPSetting == s.Key {
			r.groups = append(r.groups, g)
		}
	}
	r.res = Result{Setting: s.Key, InsecureSkipVerify: s.InsecureSkipVerify}
	defer r.close()
	l := UserList{Setting: s.Key}
	if r.checkSettings() && r.open() {
		r.listUsers(&l, lo.withDefaults())
	}
	r.listSummary(&l)
	l.Steps, l.TimedOut, l.Canceled = r.res.Steps, r.res.TimedOut, r.res.Canceled
	return l
}

// listQuery is what a listing searches: the filter with {0} as * under
// each base, or the DN pattern's parent one level deep.
func (r *runner) listQuery() (q lookupQuery, ok bool) {
	if strings.TrimSpace(r.s.Search.Filter) != "" {
		var bases []string
		for _, b := range r.s.Search.SearchBases() {
			bases = append(bases, joinDN(b, r.ep.BaseDN))
		}
		return lookupQuery{bases: bases, filter: NormalizedFilter(r.s.Search.Filter), subTree: r.s.Search.SubTree}, true
	}
	return patternQuery(r.s.UserDNPattern, r.ep.BaseDN)
}

func (r *runner) listUsers(l *UserList, lo ListOptions) {
	if !r.managerOK {
		r.emit(Step{Kind: StepUserSearch, Name: "Users", Status: StatusSkip, Detail: "skipped: the manager bind failed"})
		return
	}
	q, ok := r.listQuery()
	if !ok {
		r.emit(Step{Kind: StepUserSearch, Name: "Users", Status: StatusFail, Reason: ReasonInvalidSettings,
			Detail: "the DN pattern " + Quote(r.s.UserDNPattern) + " does not name one attribute and a parent (e.g. uid={0},ou=people): there is nothing to list"})
		return
	}
	l.Filter = strings.ReplaceAll(q.filter, "{0}", "*")
	l.Bases = q.bases
	if attrs := loginAttributes(q.filter); len(attrs) > 0 {
		l.LoginAttribute = attrs[0]
	}
	attrs := r.listAttributes(l.LoginAttribute)
	scope, scopeName := ldap.ScopeWholeSubtree, "sub-tree"
	if !q.subTree {
		scope, scopeName = ldap.ScopeSingleLevel, "one level"
	}
	byDN := map[string]int{} // normalized DN -> index in l.Users
	var entries []*ldap.Entry
	for _, base := range q.bases {
		if r.dead {
			return
		}
		r.begin()
		name := "Users in " + displayDN(base)
		what := fmt.Sprintf("scope %s, filter %s", scopeName, l.Filter)
		read, pages, sizeLimited, refs, err := r.pagedSearch(base, scope, l.Filter, attrs, lo)
		if err != nil {
			r.searchFailure(StepUserSearch, name, base, what, err)
			continue
		}
		if len(refs) > 0 {
			r.reportReferrals(&ldap.SearchResult{Referrals: refs})
		}
		more := lo.Limit > 0 && len(read) > lo.Limit
		if more {
			read, l.More = read[:lo.Limit], true
		}
		for _, e := range read {
			key := dnKey(e.DN)
			if i, seen := byDN[key]; seen {
				l.Users[i].Bases = append(l.Users[i].Bases, base)
				continue
			}
			byDN[key] = len(l.Users)
			l.Users = append(l.Users, ListedUser{DN: e.DN, Login: loginOf(e, l.LoginAttribute), Email: e.GetEqualFoldAttributeValue(r.s.EmailAttribute), Bases: []string{base}})
			entries = append(entries, e)
		}
		st := Step{Kind: StepUserSearch, Name: name, Status: StatusOK,
			Detail: fmt.Sprintf("%s: %d entr%s in %d page(s) of up to %d", what, len(read), plural(len(read), "y", "ies"), pages, lo.PageSize)}
		switch {
		case sizeLimited:
			l.SizeLimited = true
			st.Status, st.Reason = StatusWarn, ReasonSizeLimit
			st.Detail += ": the server's size limit stopped the list there"
			st.Hint = "raise the size limit for " + r.searcher() + " (OpenLDAP: limits ... size.prtotal=unlimited; Active Directory pages past MaxPageSize), or the server misses these users too"
		case more:
			st.Detail += fmt.Sprintf(" (the first %d; there are more)", lo.Limit)
		case len(read) == 0:
			st.Status, st.Reason = StatusWarn, ReasonNotFound
			st.Hint = "nobody under this base matches the filter: check search.base, search.subTree and the filter"
		}
		r.emit(st)
	}
	if lo.Limit > 0 && len(l.Users) > lo.Limit {
		l.Users, entries, l.More = l.Users[:lo.Limit], entries[:lo.Limit], true
	}
	r.listGroups(l, entries)
	flagUsers(l, r.s.EmailAttribute)
	r.flagAccounts(l, entries)
}

// listAttributes are read with each entry: the login name, the email, the
// user-side group attributes (dynamic) and what says whether the account
// can log in now.
func (r *runner) listAttributes(login string) []string {
	var attrs []string
	add := func(a string) {
		if a != "" && !slices.ContainsFunc(attrs, func(b string) bool { return strings.EqualFold(a, b) }) {
			attrs = append(attrs, a)
		}
	}
	add(login)
	add(r.s.EmailAttribute)
	for _, g := range r.groups {
		if strings.EqualFold(g.Strategy, StrategyDynamic) {
			add(g.MemberAttribute)
		}
	}
	for _, a := range accountAttributes {
		add(a) // operational on OpenLDAP: named to be returned
	}
	return attrs
}

// pagedSearch reads up to lo.Limit+1 entries (all with a negative limit)
// under base, a page at a time. It abandons the rest politely (a last
// request with page size 0) and reports a size limit instead of failing.
func (r *runner) pagedSearch(base string, scope int, filter string, attrs []string, lo ListOptions) (entries []*ldap.Entry, pages int, sizeLimited bool, referrals []string, err error) {
	paging := ldap.NewControlPaging(uint32(lo.PageSize))
	want := lo.Limit + 1
	for {
		var res *ldap.SearchResult
		err := r.do(func() (err error) {
			res, err = r.conn.Search(ldap.NewSearchRequest(base, scope, ldap.NeverDerefAliases, 0, int(r.opt.ReadTimeout/time.Second), false,
				filter, attrs, []ldap.Control{paging}))
			return err
		})
		if res != nil {
			pages++
			entries = append(entries, res.Entries...)
			referrals = append(referrals, res.Referrals...)
		}
		if err != nil {
			if ldap.IsErrorAnyOf(err, ldap.LDAPResultSizeLimitExceeded, ldap.LDAPResultAdminLimitExceeded) {
				return entries, pages, true, referrals, nil
			}
			return entries, pages, false, referrals, err
		}
		cookie := pagingCookie(res)
		if len(cookie) == 0 {
			return entries, pages, false, referrals, nil
		}
		paging.SetCookie(cookie)
		if lo.Limit >= 0 && len(entries) >= want {
			// Enough read: tell the server to drop the rest (RFC 2696).
			paging.PagingSize = 0
			r.do(func() error {
				_, err := r.conn.Search(ldap.NewSearchRequest(base, scope, ldap.NeverDerefAliases, 0, 0, false, filter, []string{"1.1"}, []ldap.Control{paging}))
				return err
			})
			return entries, pages, false, referrals, nil
		}
	}
}

func pagingCookie(res *ldap.SearchResult) []byte {
	if res == nil {
		return nil
	}
	if c, ok := ldap.FindControl(res.Controls, ldap.ControlTypePaging).(*ldap.ControlPaging); ok {
		return c.Cookie
	}
	return nil
}
