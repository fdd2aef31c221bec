// Lockout awareness: before the user bind, the lockout policy the directory
// exposes (Active Directory's lockoutThreshold on the domain object,
// OpenLDAP's ppolicy pwdMaxFailure) and where the account stands, so that
// the admin sees the risk of a wrong test password. The run binds as the
// user at most once.

package ldapcheck

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// lockoutAttributes are read with the user's entry to see where the account
// stands: AD's counters, and ppolicy's operational attributes.
var lockoutAttributes = []string{"badPwdCount", "badPasswordTime", "lockoutTime", "pwdFailureTime", "pwdAccountLockedTime", "pwdPolicySubentry"}

// PolicyPPolicy is LockoutPolicy.Source for OpenLDAP's password policy overlay.
const PolicyPPolicy = "ppolicy"

// lockoutStep reads and shows the lockout policy, once per run, before the
// first user bind. entry is the user's entry when a search found it; dn
// names the account either way.
func (r *runner) lockoutStep(dn string, entry *ldap.Entry) {
	if r.lockoutShown || r.dead || r.s.Search.ManagerDN == "" {
		return // read as the manager; anonymous readers rarely may
	}
	r.lockoutShown = true
	r.begin()
	if r.ensureManager() != nil {
		r.stepStart = time.Time{}
		return
	}
	if entry == nil && dn != "" {
		entry = r.readEntry(dn, lockoutAttributes) // a DN pattern: the manager looks the account up
	}
	var p *LockoutPolicy
	var detail string
	switch r.server().kind {
	case DirectoryActiveDirectory:
		p, detail = r.adLockout(entry)
	default:
		p, detail = r.ppolicyLockout(entry)
	}
	if r.reportLost(StepLockout, "Lockout policy") {
		return
	}
	if p == nil && detail == "" {
		r.stepStart = time.Time{} // nothing exposed: no step
		return
	}
	r.res.Lockout = p
	st := Step{Kind: StepLockout, Name: "Lockout policy", Status: StatusInfo, Detail: detail}
	bind := "this test binds as the user once"
	if r.opt.LookupOnly {
		bind = "this lookup does not bind as the user"
	}
	stop := r.lockoutGuard(StepUserBind, "", p, "the user")
	switch {
	case p == nil:
		st.Detail += "; " + bind
	case p.Locked:
		st.Status, st.Reason = StatusWarn, ReasonLockedOut
		st.Detail += "; the account is locked out now: a bind fails whatever the password"
		if !r.opt.LookupOnly {
			st.Detail += ", so this test does not bind as the user"
		}
		st.Hint = unlockHint(p)
	case atRisk(p):
		st.Status, st.Reason = StatusWarn, ReasonLockoutRisk
		switch {
		case r.opt.LookupOnly:
			st.Detail += "; " + bind
		case stop != nil:
			st.Detail += "; one more wrong password locks the account, so this test does not bind as the user"
		default:
			st.Detail += "; one more wrong password locks the account; this test binds as the user once, as allowed"
		}
		st.Hint = "one more wrong password locks the account: make sure of the password, or test with lookup only (no password is sent)"
	default:
		st.Detail += "; " + bind
	}
	r.emit(st)
	if !r.opt.LookupOnly {
		r.lockoutStop = stop
	}
}

// atRisk reports whether one more wrong password locks the account.
func atRisk(p *LockoutPolicy) bool {
	return p != nil && p.Threshold > 0 && p.Failures >= 0 && p.Failures >= p.Threshold-1
}

// lockoutGuard is the rule for binding as an account whose lockout policy
// is p (who: "the user" or "the manager"): never while it is locked out (a
// bind fails whatever the password, and may extend the lockout), and not
// when one more wrong password would lock it unless the caller allows the
// risk. It returns the skipped step (name filled in by the caller when
// empty), or nil when the bind may go ahead.
func (r *runner) lockoutGuard(kind StepKind, name string, p *LockoutPolicy, who string) *Step {
	switch {
	case p == nil:
		return nil
	case p.Locked:
		return &Step{Kind: kind, Name: name, Status: StatusSkip, Reason: ReasonLockedOut,
			Detail: "not tried: the account is locked out (" + lockedDetail(p, r.opt.Now()) + "): a bind fails whatever the password",
			Hint:   unlockHint(p)}
	case atRisk(p) && !r.opt.AllowLockoutRisk:
		control := r.opt.LockoutRiskControl
		if control == "" {
			control = "the lockout risk allowed"
		}
		wait := ""
		if p.WindowSeconds > 0 {
			wait = fmt.Sprintf("; or wait until the wrong passwords are older than %s and no longer count", seconds(p.WindowSeconds))
		}
		return &Step{Kind: kind, Name: name, Status: StatusSkip, Reason: ReasonLockoutRisk,
			Detail: fmt.Sprintf("not tried: %s has %d recent wrong password(s) and the directory locks the account after %d: one more wrong password locks it", who, p.Failures, p.Threshold),
			Hint:   "make sure of the password, then test again with " + control + " (the test binds once)" + wait}
	}
	return nil
}

// lockedDetail says since when and until when the account is locked.
func lockedDetail(p *LockoutPolicy, now time.Time) string {
	switch {
	case !p.LockedUntil.IsZero():
		return fmt.Sprintf("until %s, %s from now", p.LockedUntil.UTC().Format("2006-01-02 15:04:05 UTC"), p.LockedUntil.Sub(now).Round(time.Second))
	case p.DurationSeconds > 0:
		return "for " + seconds(p.DurationSeconds) + " after the lockout"
	}
	return "until an administrator unlocks it"
}

// unlockHint says how a locked account logs in again, in the words of
// its directory.
func unlockHint(p *LockoutPolicy) string {
	unlock := "have an administrator unlock it"
	switch p.Source {
	case DirectoryActiveDirectory:
		unlock = "unlock it in Active Directory (account properties, Account: Unlock account; or Unlock-ADAccount)"
	case PolicyPPolicy:
		unlock = "have an administrator unlock it (delete pwdAccountLockedTime from the entry)"
	}
	if p.DurationSeconds > 0 {
		return "wait for the lockout to end (it lasts " + seconds(p.DurationSeconds) + ") or " + unlock + ", then test again"
	}
	return unlock + " (the lockout does not end by itself), then test again"
}

// readEntry reads attrs of dn as the current identity; nil when it cannot.
func (r *runner) readEntry(dn string, attrs []string) *ldap.Entry {
	var res *ldap.SearchResult
	err := r.aside(func() (err error) {
		res, err = r.conn.Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, int(r.opt.ReadTimeout/time.Second), false,
			"(objectClass=*)", attrs, nil))
		return err
	})
	if err != nil || len(res.Entries) != 1 {
		return nil
	}
	return res.Entries[0]
}

// adLockout reads lockoutThreshold and friends on the domain object and
// the account's badPwdCount and lockoutTime.
func (r *runner) adLockout(entry *ldap.Entry) (*LockoutPolicy, string) {
	domain := r.server().defaultNamingContext
	d := r.readEntry(domain, []string{"lockoutThreshold", "lockoutDuration", "lockOutObservationWindow"})
	if d == nil || d.GetAttributeValue("lockoutThreshold") == "" {
		return nil, fmt.Sprintf("Active Directory: %s cannot read the lockout policy (lockoutThreshold on %s); wrong test passwords may count towards a lockout", r.searcher(), displayDN(domain))
	}
	p := &LockoutPolicy{Source: DirectoryActiveDirectory, PolicyDN: domain, Failures: -1, Certain: true}
	p.Threshold, _ = strconv.Atoi(d.GetAttributeValue("lockoutThreshold"))
	p.WindowSeconds = adInterval(d.GetAttributeValue("lockOutObservationWindow"))
	p.DurationSeconds = adInterval(d.GetAttributeValue("lockoutDuration"))
	if p.Threshold == 0 {
		return p, fmt.Sprintf("Active Directory never locks accounts for wrong passwords here (lockoutThreshold 0 on %s)", domain)
	}
	now := r.opt.Now()
	if entry != nil && entry.GetAttributeValue("badPwdCount") != "" {
		p.Failures, _ = strconv.Atoi(entry.GetAttributeValue("badPwdCount"))
		// AD counts a wrong password only within the observation window
		// and resets the counter lazily.
		if last, ok := filetime(entry.GetAttributeValue("badPasswordTime")); ok && p.WindowSeconds > 0 && now.Sub(last) > time.Duration(p.WindowSeconds)*time.Second {
			p.Failures = 0
		}
		if at, ok := filetime(entry.GetAttributeValue("lockoutTime")); ok {
			p.Locked = p.DurationSeconds == 0 || now.Before(at.Add(time.Duration(p.DurationSeconds)*time.Second))
			if p.Locked && p.DurationSeconds > 0 {
				p.LockedUntil = at.Add(time.Duration(p.DurationSeconds) * time.Second)
			}
		}
	}
	detail := fmt.Sprintf("Active Directory locks an account after %d wrong passwords%s, %s (lockoutThreshold on %s)",
		p.Threshold, within(p.WindowSeconds), lasting(p.DurationSeconds), domain)
	return p, detail + failures(p)
}

// ppolicyLockout reads the OpenLDAP password policy that applies to the
// user: the one the entry names (pwdPolicySubentry), else the only policy
// entry under the base DN (the overlay's default lives in its
// configuration, which the manager cannot read: "may apply").
func (r *runner) ppolicyLockout(entry *ldap.Entry) (*LockoutPolicy, string) {
	attrs := []string{"pwdLockout", "pwdMaxFailure", "pwdLockoutDuration", "pwdFailureCountInterval"}
	var pol *ldap.Entry
	certain := false
	if entry != nil {
		if dn := entry.GetEqualFoldAttributeValue("pwdPolicySubentry"); dn != "" {
			pol, certain = r.readEntry(dn, attrs), true
		}
	}
	if pol == nil && !r.server().ppolicy {
		return nil, "" // no password policies here: nothing to search
	}
	if pol == nil {
		base := r.wideBase()
		var res *ldap.SearchResult
		err := r.aside(func() (err error) {
			res, err = r.conn.Search(ldap.NewSearchRequest(base, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 2, int(r.opt.ReadTimeout/time.Second), false,
				"(objectClass=pwdPolicy)", attrs, nil))
			return err
		})
		if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded) || res == nil || len(res.Entries) != 1 {
			return nil, "" // none, several, or not readable: nothing certain to show
		}
		pol = res.Entries[0]
	}
	p := &LockoutPolicy{Source: PolicyPPolicy, PolicyDN: pol.DN, Failures: -1, Certain: certain}
	if strings.EqualFold(pol.GetAttributeValue("pwdLockout"), "TRUE") {
		p.Threshold, _ = strconv.Atoi(pol.GetAttributeValue("pwdMaxFailure"))
	}
	p.WindowSeconds, _ = strconv.ParseInt(pol.GetAttributeValue("pwdFailureCountInterval"), 10, 64)
	p.DurationSeconds, _ = strconv.ParseInt(pol.GetAttributeValue("pwdLockoutDuration"), 10, 64)
	applies := "the account's password policy " + pol.DN
	if !certain {
		applies = "the password policy " + pol.DN + " (found under the base; it applies if it is the overlay's default or the account names it in pwdPolicySubentry)"
	}
	if p.Threshold == 0 {
		return p, "OpenLDAP ppolicy: " + applies + " does not lock accounts (pwdLockout off or pwdMaxFailure 0)"
	}
	if entry != nil {
		now := r.opt.Now()
		p.Failures = 0
		for _, v := range entry.GetEqualFoldAttributeValues("pwdFailureTime") {
			if t, ok := generalizedTime(v); ok && p.WindowSeconds > 0 && now.Sub(t) > time.Duration(p.WindowSeconds)*time.Second {
				continue // outside pwdFailureCountInterval: no longer counts
			}
			p.Failures++
		}
		p.Locked, p.LockedUntil = ppolicyLocked(entry.GetEqualFoldAttributeValue("pwdAccountLockedTime"), p.DurationSeconds, now)
	}
	detail := fmt.Sprintf("OpenLDAP ppolicy locks an account after %d wrong passwords%s, %s: %s", p.Threshold, within(p.WindowSeconds), lasting(p.DurationSeconds), applies)
	return p, detail + failures(p)
}

// ppolicyLocked reads pwdAccountLockedTime: slapd lets a bind in again
// once pwdLockoutDuration has passed (the attribute stays until then);
// 000001010000Z is a lock by an administrator, which never ends by itself.
func ppolicyLocked(v string, duration int64, now time.Time) (bool, time.Time) {
	if v == "" {
		return false, time.Time{}
	}
	at, ok := generalizedTime(v)
	if !ok || strings.HasPrefix(v, "00000101") || duration <= 0 {
		return true, time.Time{}
	}
	until := at.Add(time.Duration(duration) * time.Second)
	if !now.Before(until) {
		return false, time.Time{}
	}
	return true, until
}

func within(window int64) string {
	if window <= 0 {
		return ""
	}
	return " within " + seconds(window)
}

func lasting(duration int64) string {
	if duration <= 0 {
		return "until an administrator unlocks it"
	}
	return "for " + seconds(duration)
}

func failures(p *LockoutPolicy) string {
	if p.Failures < 0 {
		return "; the account's count of wrong passwords is not readable"
	}
	return fmt.Sprintf("; the account has %d recent wrong password(s)", p.Failures)
}

func seconds(s int64) string { return (time.Duration(s) * time.Second).String() }

// adInterval reads an AD policy interval (negative, 100 ns units) as
// seconds; "never" (the most negative value) is 0.
func adInterval(v string) int64 {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n >= 0 || n == -1<<63 {
		return 0
	}
	return -n / 1e7
}

// filetime reads an AD time (100 ns units since 1601); false for 0 or
// "never".
func filetime(v string) (time.Time, bool) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 || n == 1<<63-1 {
		return time.Time{}, false
	}
	const epochDiff = 11644473600 // seconds from 1601 to 1970
	return time.Unix(n/1e7-epochDiff, (n%1e7)*100).UTC(), true
}

// generalizedTime reads the seconds of an LDAP time such as
// 20261127033012.123456Z.
func generalizedTime(v string) (time.Time, bool) {
	if len(v) < 14 {
		return time.Time{}, false
	}
	t, err := time.Parse("20060102150405", v[:14])
	return t, err == nil
}
