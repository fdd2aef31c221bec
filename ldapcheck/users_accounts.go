// Accounts a listing finds that cannot log in now, whatever the password:
// Active Directory's disabled, locked-out, expired accounts and passwords
// that must change or have expired; OpenLDAP ppolicy's locked accounts.
// The same attributes the lockout step reads, for every listed user.

package ldapcheck

import (
	"strconv"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// Flags of accounts that cannot log in now (ListedUser.Flags).
const (
	FlagDisabled           UserFlag = "disabled"             // AD: userAccountControl has ACCOUNTDISABLE (2)
	FlagLocked             UserFlag = "locked"               // AD: lockoutTime within lockoutDuration; ppolicy: pwdAccountLockedTime
	FlagExpired            UserFlag = "expired"              // AD: accountExpires has passed
	FlagMustChangePassword UserFlag = "must-change-password" // AD: pwdLastSet 0 ("User must change password at next logon")
	FlagPasswordExpired    UserFlag = "password-expired"     // AD: pwdLastSet older than the domain's maxPwdAge
)

// accountAttributes are read with each listed entry for the flags above.
var accountAttributes = []string{"userAccountControl", "lockoutTime", "accountExpires", "pwdLastSet", "pwdAccountLockedTime", "pwdPolicySubentry"}

// userAccountControl bits.
const (
	uacAccountDisable     = 0x2
	uacDontExpirePassword = 0x10000
)

// accountRules are the directory's rules the flags need, read once per
// listing: AD's lockoutDuration and maxPwdAge on the domain object, and
// the lockout durations of the ppolicy policies entries name.
type accountRules struct {
	now                        time.Time
	adRead                     bool  // the domain's policy was readable
	lockoutSeconds, maxPwdSecs int64 // 0: until unlocked / never expires
	ppolicyDurations           map[string]int64
}

// flagAccounts adds the flags of accounts that cannot log in to the
// listed users (entries[i] is l.Users[i]).
func (r *runner) flagAccounts(l *UserList, entries []*ldap.Entry) {
	if len(entries) == 0 || r.dead {
		return
	}
	rules := accountRules{now: r.opt.Now(), ppolicyDurations: map[string]int64{}}
	if r.server().kind == DirectoryActiveDirectory {
		if d := r.readEntry(r.server().defaultNamingContext, []string{"lockoutDuration", "maxPwdAge"}); d != nil {
			rules.adRead = true
			rules.lockoutSeconds = adInterval(d.GetAttributeValue("lockoutDuration"))
			rules.maxPwdSecs = adInterval(d.GetAttributeValue("maxPwdAge"))
		}
	}
	for i, e := range entries {
		l.Users[i].Flags = append(l.Users[i].Flags, r.accountFlags(e, &rules)...)
	}
}

// accountFlags are the reasons entry e cannot log in now.
func (r *runner) accountFlags(e *ldap.Entry, rules *accountRules) []UserFlag {
	var flags []UserFlag
	uac, uacErr := strconv.ParseInt(e.GetAttributeValue("userAccountControl"), 10, 64)
	if uacErr == nil && uac&uacAccountDisable != 0 {
		flags = append(flags, FlagDisabled)
	}
	if at, ok := filetime(e.GetAttributeValue("lockoutTime")); ok {
		// AD leaves lockoutTime set after the lockout ends, until the next
		// logon: locked only within lockoutDuration (0: until unlocked).
		if !rules.adRead || rules.lockoutSeconds == 0 || rules.now.Before(at.Add(time.Duration(rules.lockoutSeconds)*time.Second)) {
			flags = append(flags, FlagLocked)
		}
	}
	if locked := e.GetEqualFoldAttributeValue("pwdAccountLockedTime"); locked != "" {
		if ok, _ := ppolicyLocked(locked, r.ppolicyDuration(e, rules), rules.now); ok {
			flags = append(flags, FlagLocked)
		}
	}
	if at, ok := filetime(e.GetAttributeValue("accountExpires")); ok && !rules.now.Before(at) {
		flags = append(flags, FlagExpired)
	}
	switch set := e.GetAttributeValue("pwdLastSet"); {
	case set == "0":
		flags = append(flags, FlagMustChangePassword)
	case rules.maxPwdSecs > 0 && uacErr == nil && uac&uacDontExpirePassword == 0:
		if at, ok := filetime(set); ok && !rules.now.Before(at.Add(time.Duration(rules.maxPwdSecs)*time.Second)) {
			flags = append(flags, FlagPasswordExpired)
		}
	}
	return flags
}

// ppolicyDuration is pwdLockoutDuration of the policy entry e names
// (read once per policy); 0 (until unlocked) when it names none or it is
// not readable, which counts a pwdAccountLockedTime as a lockout.
func (r *runner) ppolicyDuration(e *ldap.Entry, rules *accountRules) int64 {
	dn := e.GetEqualFoldAttributeValue("pwdPolicySubentry")
	if dn == "" {
		return 0
	}
	if d, ok := rules.ppolicyDurations[dn]; ok {
		return d
	}
	var d int64
	if pol := r.readEntry(dn, []string{"pwdLockoutDuration"}); pol != nil {
		d, _ = strconv.ParseInt(pol.GetAttributeValue("pwdLockoutDuration"), 10, 64)
	}
	rules.ppolicyDurations[dn] = d
	return d
}

// UserFlags are all the flags of a listed user, in the order they are
// explained.
var UserFlags = []UserFlag{FlagNoEmail, FlagSeveralBases, FlagDuplicateLogin, FlagShadowed,
	FlagDisabled, FlagLocked, FlagExpired, FlagMustChangePassword, FlagPasswordExpired}

// Meaning says what a flag means for the user's login, for a front end's
// legend.
func (f UserFlag) Meaning() string {
	switch f {
	case FlagNoEmail:
		return "the entry has no value of the setting's email attribute: the user logs in, but gets no email address on the server."
	case FlagSeveralBases:
		return "found under two or more search bases (they overlap): it logs in through the first; the overlap only costs searches."
	case FlagDuplicateLogin:
		return "another entry under the same search base has this login name: the server finds both and refuses the login of each."
	case FlagShadowed:
		return "an entry under an earlier search base has this login name: that one logs in, this one never does."
	case FlagDisabled:
		return "the account is disabled (Active Directory userAccountControl): no login, whatever the password; enable it in the directory."
	case FlagLocked:
		return "the account is locked out after wrong passwords (Active Directory lockoutTime, OpenLDAP pwdAccountLockedTime): no login until the lockout ends or an administrator unlocks it."
	case FlagExpired:
		return "the account's expiry date (Active Directory accountExpires) has passed: no login until it is extended."
	case FlagMustChangePassword:
		return "the user must set a new password at the next logon (Active Directory pwdLastSet 0): the server cannot change passwords, so no login until the user changes it elsewhere or an administrator clears the flag."
	case FlagPasswordExpired:
		return "the password is older than the domain's maximum password age (Active Directory maxPwdAge): no login until the user sets a new one."
	}
	return string(f)
}
