// What kind of directory answers: Active Directory (Samba's included),
// OpenLDAP, or another. Read once per run from the root DSE, only when a
// step needs it (lockout policy, why-not-found, the user listing).

package ldapcheck

import (
	"slices"
	"strings"

	"github.com/go-ldap/ldap/v3"
)

// Directory kinds.
const (
	DirectoryActiveDirectory = "active-directory"
	DirectoryOpenLDAP        = "openldap"
	DirectoryOther           = "ldap"
)

// adCapability is LDAP_CAP_ACTIVE_DIRECTORY_OID in supportedCapabilities;
// ppolicyControl is the password policy request control, which a server
// with password policies advertises.
const (
	adCapability   = "1.2.840.113556.1.4.800"
	ppolicyControl = "1.3.6.1.4.1.42.2.27.8.5.1"
)

type serverInfo struct {
	kind                 string
	ppolicy              bool   // the password policy control is advertised (OpenLDAP's ppolicy overlay)
	defaultNamingContext string // AD: the domain's DN
	namingContexts       []string
}

// server reads the root DSE once; a directory that hides it counts as
// "another LDAP server".
func (r *runner) server() serverInfo {
	if r.info != nil {
		return *r.info
	}
	info := serverInfo{kind: DirectoryOther}
	r.info = &info
	if r.conn == nil || r.dead {
		return info
	}
	var res *ldap.SearchResult
	err := r.aside(func() (err error) {
		res, err = r.conn.Search(ldap.NewSearchRequest("", ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false,
			"(objectClass=*)", []string{"supportedCapabilities", "supportedControl", "defaultNamingContext", "namingContexts", "objectClass", "vendorName"}, nil))
		return err
	})
	if err != nil || len(res.Entries) != 1 {
		return info
	}
	e := res.Entries[0]
	switch {
	case slices.Contains(e.GetAttributeValues("supportedCapabilities"), adCapability):
		info.kind = DirectoryActiveDirectory
	case slices.ContainsFunc(e.GetEqualFoldAttributeValues("objectClass"), func(s string) bool { return strings.EqualFold(s, "OpenLDAProotDSE") }),
		strings.Contains(strings.ToLower(e.GetEqualFoldAttributeValue("vendorName")), "openldap"):
		info.kind = DirectoryOpenLDAP
	}
	info.ppolicy = slices.Contains(e.GetAttributeValues("supportedControl"), ppolicyControl)
	info.defaultNamingContext = e.GetEqualFoldAttributeValue("defaultNamingContext")
	info.namingContexts = e.GetEqualFoldAttributeValues("namingContexts")
	return info
}

// wideBase is where looking wider starts: the URL's base DN, else the
// domain (AD) or the first naming context.
func (r *runner) wideBase() string {
	if r.ep.BaseDN != "" {
		return r.ep.BaseDN
	}
	info := r.server()
	if info.defaultNamingContext != "" {
		return info.defaultNamingContext
	}
	if len(info.namingContexts) > 0 {
		return info.namingContexts[0]
	}
	return ""
}
