// The test domain: OUs, users in every account state AD reports, nested
// groups and a reader account for searches. Passwords belong to a throw-away
// domain that lives for one test run.

package sambatest

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/go-ldap/ldap/v3"
)

// OUs, parents first.
var OUs = []string{
	"OU=Staff," + BaseDN,
	"OU=Engineering,OU=Staff," + BaseDN, // nested: found only with sub-tree search from OU=Staff
	"OU=Contractors," + BaseDN,
	"OU=Service Accounts," + BaseDN,
	"OU=Groups," + BaseDN,
}

// User is one account of the test domain.
type User struct {
	Login    string // sAMAccountName
	DN       string
	Password string
	Mail     string // "" = no mail attribute
	// State is the account state and the bind error "data" code AD
	// answers for it with the right password ("" = a working account).
	State string
}

// UPN is the user principal name, login@corp.test.
func (u User) UPN() string { return u.Login + "@" + DNSDomain }

// NT is the down-level logon name, CORP\login.
func (u User) NT() string { return NetBIOS + `\` + u.Login }

// Logins of the users in special states.
const (
	ReaderLogin           = "svc-reader"
	DisabledLogin         = "disabled"
	MustChangeLogin       = "newhire"
	AccountExpiredLogin   = "gone"
	ExpiredPasswordLogin  = "stale"
	LockedLogin           = "locked"
	LockoutRiskLogin      = "risky" // LockoutThreshold-1 wrong passwords: one more locks it
	LockoutThreshold      = 5       // the domain's lockoutThreshold
	lockoutDuration       = 30 * time.Minute
	maxPasswordAge        = 48 * time.Hour // Samba ignores a day or less; "stale" set its password 5 days ago
	filetimeUnitsPerNanos = 100
)

// Users of the test domain.
var Users = []User{
	{Login: "alice", DN: "CN=Alice Archer,OU=Staff," + BaseDN, Password: "Alice-Passw0rd!", Mail: "alice@corp.test"},
	{Login: "bob", DN: "CN=Bob Baker,OU=Staff," + BaseDN, Password: "Bob-Passw0rd!"}, // no mail, in no group
	{Login: "carol", DN: "CN=Carol Clark,OU=Engineering,OU=Staff," + BaseDN, Password: "Carol-Passw0rd!", Mail: "carol@corp.test"},
	{Login: "dave", DN: "CN=Dave Dent,OU=Contractors," + BaseDN, Password: "Dave-Passw0rd!", Mail: "dave@corp.test"},
	{Login: ReaderLogin, DN: "CN=svc-reader,OU=Service Accounts," + BaseDN, Password: "Reader-Passw0rd!"},
	{Login: DisabledLogin, DN: "CN=Disabled User,OU=Staff," + BaseDN, Password: "Disabled-Passw0rd!", Mail: "disabled@corp.test", State: "533"},
	{Login: MustChangeLogin, DN: "CN=New Hire,OU=Staff," + BaseDN, Password: "Newhire-Passw0rd!", Mail: "newhire@corp.test", State: "773"},
	{Login: AccountExpiredLogin, DN: "CN=Gone Away,OU=Staff," + BaseDN, Password: "Gone-Passw0rd!", Mail: "gone@corp.test", State: "701"},
	{Login: ExpiredPasswordLogin, DN: "CN=Stale Password,OU=Staff," + BaseDN, Password: "Stale-Passw0rd!", Mail: "stale@corp.test", State: "532"},
	{Login: LockedLogin, DN: "CN=Locked Out,OU=Staff," + BaseDN, Password: "Locked-Passw0rd!", Mail: "locked@corp.test", State: "775"},
	{Login: LockoutRiskLogin, DN: "CN=Risky Login,OU=Staff," + BaseDN, Password: "Risky-Passw0rd!", Mail: "risky@corp.test"},
}

// UserByLogin returns the fixture user with that sAMAccountName; it panics
// for a name the fixture does not have (a typo in a test).
func UserByLogin(login string) User {
	for _, u := range Users {
		if u.Login == login {
			return u
		}
	}
	panic("sambatest: no fixture user " + login)
}

// Reader is the account tests use as search.managerDn.
func Reader() User { return UserByLogin(ReaderLogin) }

// Groups: Developers holds alice and carol; Engineering holds the group
// Developers (nested) and dave. alice is thus directly in Developers and
// indirectly in Engineering.
var Groups = []struct {
	DN      string
	Members []string
}{
	{"CN=Developers,OU=Groups," + BaseDN, []string{UserByLogin("alice").DN, UserByLogin("carol").DN}},
	{"CN=Engineering,OU=Groups," + BaseDN, []string{"CN=Developers,OU=Groups," + BaseDN, UserByLogin("dave").DN}},
}

// userAccountControl flags.
const (
	uacNormalAccount   = 0x200
	uacAccountDisabled = 0x2
)

func (s *Server) populate() error {
	c, err := s.Conn()
	if err != nil {
		return err
	}
	defer c.Close()
	policy := ldap.NewModifyRequest(BaseDN, nil)
	policy.Replace("lockoutThreshold", []string{fmt.Sprint(LockoutThreshold)})
	policy.Replace("lockoutDuration", []string{interval(lockoutDuration)})
	policy.Replace("lockOutObservationWindow", []string{interval(lockoutDuration)})
	policy.Replace("maxPwdAge", []string{interval(maxPasswordAge)})
	policy.Replace("minPwdAge", []string{"0"})
	if err := c.Modify(policy); err != nil {
		return fmt.Errorf("domain policy: %w", err)
	}
	for _, ou := range OUs {
		req := ldap.NewAddRequest(ou, nil)
		req.Attribute("objectClass", []string{"organizationalUnit"})
		if err := c.Add(req); err != nil {
			return fmt.Errorf("adding %s: %w", ou, err)
		}
	}
	for _, u := range Users {
		if err := addUser(c, u); err != nil {
			return fmt.Errorf("adding %s: %w", u.DN, err)
		}
	}
	for _, g := range Groups {
		req := ldap.NewAddRequest(g.DN, nil)
		req.Attribute("objectClass", []string{"group"})
		req.Attribute("sAMAccountName", []string{rdnValue(g.DN)})
		req.Attribute("member", g.Members)
		if err := c.Add(req); err != nil {
			return fmt.Errorf("adding %s: %w", g.DN, err)
		}
	}
	if err := s.lockOut(c, UserByLogin(LockedLogin)); err != nil {
		return err
	}
	return s.failBinds(UserByLogin(LockoutRiskLogin), LockoutThreshold-1)
}

func addUser(c *ldap.Conn, u User) error {
	if u.Login == ExpiredPasswordLogin {
		// Created under faketime before samba started: move it into place.
		mv := ldap.NewModifyDNRequest("CN="+u.Login+",CN=Users,"+BaseDN, strings.SplitN(u.DN, ",", 2)[0], true, strings.SplitN(u.DN, ",", 2)[1])
		if err := c.ModifyDN(mv); err != nil {
			return err
		}
		mod := ldap.NewModifyRequest(u.DN, nil)
		mod.Replace("userPrincipalName", []string{u.UPN()})
		mod.Replace("mail", []string{u.Mail})
		return c.Modify(mod)
	}
	uac := uacNormalAccount
	if u.State == "533" {
		uac |= uacAccountDisabled
	}
	req := ldap.NewAddRequest(u.DN, nil)
	req.Attribute("objectClass", []string{"user"})
	req.Attribute("sAMAccountName", []string{u.Login})
	req.Attribute("userPrincipalName", []string{u.UPN()})
	req.Attribute("displayName", []string{rdnValue(u.DN)})
	if u.Mail != "" {
		req.Attribute("mail", []string{u.Mail})
	}
	req.Attribute("unicodePwd", []string{unicodePwd(u.Password)})
	req.Attribute("userAccountControl", []string{fmt.Sprint(uac)})
	switch u.State {
	case "773":
		req.Attribute("pwdLastSet", []string{"0"})
	case "701":
		req.Attribute("accountExpires", []string{filetime(time.Now().Add(-48 * time.Hour))})
	}
	return c.Add(req)
}

// lockOut fails binds as u until the domain locks the account, each on a
// connection of its own, and checks that it is locked.
func (s *Server) lockOut(admin *ldap.Conn, u User) error {
	if err := s.failBinds(u, LockoutThreshold); err != nil {
		return err
	}
	res, err := admin.Search(ldap.NewSearchRequest(u.DN, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false,
		"(objectClass=*)", []string{"lockoutTime", "badPwdCount"}, nil))
	if err != nil {
		return err
	}
	if lt := res.Entries[0].GetAttributeValue("lockoutTime"); lt == "" || lt == "0" {
		return fmt.Errorf("%s is not locked out after %d wrong passwords (badPwdCount %s)", u.DN, LockoutThreshold, res.Entries[0].GetAttributeValue("badPwdCount"))
	}
	return nil
}

// failBinds binds as u with a wrong password n times, each on a
// connection of its own: AD counts them in badPwdCount.
func (s *Server) failBinds(u User, n int) error {
	for range n {
		c, err := s.dial()
		if err != nil {
			return err
		}
		err = c.Bind(u.DN, "not-the-password")
		c.Close()
		if err == nil {
			return fmt.Errorf("a wrong password bound as %s", u.DN)
		}
	}
	return nil
}

// unicodePwd encodes a password as AD wants it: quoted, in UTF-16LE.
func unicodePwd(pw string) string {
	u := utf16.Encode([]rune(`"` + pw + `"`))
	b := make([]byte, 2*len(u))
	for i, r := range u {
		b[2*i], b[2*i+1] = byte(r), byte(r>>8)
	}
	return string(b)
}

// interval is a duration as AD's policy attributes hold it: negative, in
// 100 ns units.
func interval(d time.Duration) string { return fmt.Sprint(-int64(d / filetimeUnitsPerNanos)) }

// filetime is a point in time as AD holds it: 100 ns units since 1601.
func filetime(t time.Time) string {
	const epochDiff = 11644473600 // seconds from 1601 to 1970
	return fmt.Sprint((t.Unix()+epochDiff)*1e7 + int64(t.Nanosecond()/filetimeUnitsPerNanos))
}

func rdnValue(dn string) string {
	first, _, _ := strings.Cut(dn, ",")
	_, v, _ := strings.Cut(first, "=")
	return v
}
