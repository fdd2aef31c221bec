package ldapcheck

// A bind to an entry without a password fails as a wrong password does
// (49): the directory cannot check a password it does not hold. OpenLDAP
// keeps passwords in userPassword; Active Directory's accounts always have
// one (unicodePwd, never readable), so only the former is asked.

import (
	"strings"

	"github.com/go-ldap/ldap/v3"
)

// passwordAttribute is where OpenLDAP and most directories keep passwords.
const passwordAttribute = "userPassword"

// noPasswordSet reports whether the entry at dn shows the manager no
// userPassword while an entry beside it (under the same parent) shows one:
// the manager may see passwords there, so this entry has none. Only the
// attribute's name is asked for (types only): no password value, hashed or
// not, crosses the network. Access controls that hide passwords from the
// manager (the usual rule) hide them on every entry: then nothing is said.
func (r *runner) noPasswordSet(dn string) bool {
	if !r.managerOK || r.dead || r.s.Search.ManagerDN == "" {
		return false
	}
	if err := r.ensureManager(); err != nil {
		return false
	}
	shows := func(base string, scope int, filter string) (bool, bool) {
		var res *ldap.SearchResult
		err := r.aside(func() (err error) {
			res, err = r.conn.Search(ldap.NewSearchRequest(base, scope, ldap.NeverDerefAliases, 1, 0, true, filter, []string{passwordAttribute}, nil))
			return err
		})
		if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded) || res == nil {
			return false, false
		}
		for _, e := range res.Entries {
			for _, a := range e.Attributes {
				if strings.EqualFold(a.Name, passwordAttribute) {
					return true, true
				}
			}
		}
		return false, true
	}
	has, ok := shows(dn, ldap.ScopeBaseObject, "(objectClass=*)")
	if !ok || has {
		return false
	}
	parent := parentDN(dn)
	if parent == "" {
		return false
	}
	other, ok := shows(parent, ldap.ScopeSingleLevel, "("+passwordAttribute+"=*)")
	return ok && other
}
