// Binds: the manager's (step 5), the user's, and what a refused bind means.

package ldapcheck

import (
	"errors"
	"fmt"
	"frontdoor/internal/safefile"
	"os"
	"strings"

	"github.com/go-ldap/ldap/v3"
)

// maxPasswordFile bounds what is read of managerPasswordFile: a password
// and its newline, with room to spare.
const maxPasswordFile = 64 << 10

// ManagerPassword reads the manager password from where the search settings
// point: the environment variable managerPasswordEnv, or the file
// managerPasswordFile (one trailing newline removed). The error says where it
// looked, never what it found.
func (s Search) ManagerPassword(getenv func(string) string) (string, error) {
	switch {
	case s.ManagerPasswordEnv != "":
		if getenv == nil {
			getenv = os.Getenv
		}
		pw := getenv(s.ManagerPasswordEnv)
		if pw == "" {
			return "", fmt.Errorf("environment variable %s is not set or empty", s.ManagerPasswordEnv)
		}
		return pw, nil
	case s.ManagerPasswordFile != "":
		// safefile: a FIFO or a device named by mistake is refused, not
		// waited on or read without end.
		data, _, err := safefile.Read(s.ManagerPasswordFile, maxPasswordFile)
		if err != nil {
			var pe *os.PathError
			var notRegular *safefile.NotRegularError
			var large *safefile.TooLargeError
			switch {
			case errors.As(err, &pe):
				err = pe.Err // the path is already in the message below
			case errors.As(err, &notRegular):
				err = fmt.Errorf("it is %s, not a regular file", safefile.Kind(notRegular.Mode))
			case errors.As(err, &large):
				err = fmt.Errorf("%d bytes, too large for a password file (at most %d)", large.Size, maxPasswordFile)
			}
			return "", fmt.Errorf("cannot read managerPasswordFile %s: %v", s.ManagerPasswordFile, err)
		}
		pw := strings.TrimSuffix(strings.TrimSuffix(string(data), "\n"), "\r")
		if pw == "" {
			return "", fmt.Errorf("managerPasswordFile %s is empty", s.ManagerPasswordFile)
		}
		return pw, nil
	}
	return "", errors.New("neither managerPasswordEnv nor managerPasswordFile is set")
}

// needsSearch reports whether anything will search the directory.
func (r *runner) needsSearch() bool {
	return strings.TrimSpace(r.s.Search.Filter) != "" || len(r.groups) > 0 || strings.TrimSpace(r.s.UserDNPattern) != ""
}

func (r *runner) managerBind() {
	r.begin()
	dn := r.s.Search.ManagerDN
	if dn == "" {
		r.managerOK = true
		if r.needsSearch() {
			r.emit(Step{Kind: StepManagerBind, Name: "Manager bind", Status: StatusInfo,
				Detail: "anonymous: no search.managerDn, searches run without a bind",
				Hint:   "fine if the directory allows anonymous reads; Active Directory does not: set managerDn"})
		}
		return
	}
	name := "Manager bind " + dn
	pw := r.opt.ManagerPassword
	if pw == "" {
		var err error
		if pw, err = r.s.Search.ManagerPassword(r.opt.Getenv); err != nil {
			env := r.s.Search.ManagerPasswordEnv
			hint := fmt.Sprintf("put the manager's password in %s where frontdoor runs, without writing it into a command (shell history and ps keep commands): read -rs %s && export %s; or use search.managerPasswordFile (mode 0600); the wizard's test takes it typed (Manager password), for that test only", env, env, env)
			switch {
			case r.s.Search.ManagerPasswordFile != "":
				hint = "write the password to that file (mode 0600), or use managerPasswordEnv"
			case r.s.Search.ManagerPasswordEnv == "":
				hint = "set search.managerPasswordEnv (e.g. FRONTDOOR_LDAP_MANAGER_PASSWORD) or search.managerPasswordFile"
			}
			r.emit(Step{Kind: StepManagerBind, Name: name, Status: StatusFail, Detail: "no manager password: " + err.Error(),
				Hint: hint, Reason: ReasonManagerPassword})
			return
		}
	}
	r.managerPW = pw
	if st := r.managerLockout(name); st != nil {
		r.emit(*st)
		return
	}
	if r.reportLost(StepManagerBind, name) {
		return
	}
	err := r.do(func() error { return r.conn.Bind(dn, pw) })
	if err == nil {
		r.bound, r.managerOK = "manager", true
		r.emit(Step{Kind: StepManagerBind, Name: name, Status: StatusOK, Detail: "bound as " + dn})
		return
	}
	st := r.bindFailure(StepManagerBind, name, err)
	if st.Reason == ReasonInvalidCredentials {
		st.Detail = "authentication failed: wrong manager DN or password (the directory does not say which)" + adNote(err)
		source := passwordSource(r.s.Search)
		if r.opt.ManagerPassword != "" {
			source = "the manager password typed for this test"
		}
		st.Hint = "check search.managerDn (the full DN) and " + source
	}
	r.emit(st)
}

// managerLockout applies the lockout rule to the manager when its entry
// and policy are readable before any bind (anonymous reads, as OpenLDAP
// often allows; Active Directory does not): a wrong manager password
// locks the account every server search runs as. Nil when the bind may go
// ahead or nothing is readable.
func (r *runner) managerLockout(name string) *Step {
	dn := r.s.Search.ManagerDN
	if _, err := ldap.ParseDN(dn); err != nil || !strings.Contains(dn, "=") {
		return nil // a user principal name or DOMAIN\user: no entry to read by name
	}
	entry := r.readEntry(dn, lockoutAttributes)
	if entry == nil {
		return nil
	}
	var p *LockoutPolicy
	switch {
	case entry.GetAttributeValue("badPwdCount") != "":
		p, _ = r.adLockout(entry)
	case entry.GetEqualFoldAttributeValue("pwdPolicySubentry") != "" || len(entry.GetEqualFoldAttributeValues("pwdFailureTime")) > 0 ||
		entry.GetEqualFoldAttributeValue("pwdAccountLockedTime") != "":
		p, _ = r.ppolicyLockout(entry)
	}
	return r.lockoutGuard(StepManagerBind, name, p, "the manager")
}

func passwordSource(s Search) string {
	if s.ManagerPasswordEnv != "" {
		return "the password in $" + s.ManagerPasswordEnv
	}
	if s.ManagerPasswordFile != "" {
		return "the password in " + s.ManagerPasswordFile
	}
	return "the password typed for this test"
}

// bindFailure explains a failed bind, including Active Directory's codes,
// which keep their code in the detail and get their own meaning and fix.
func (r *runner) bindFailure(kind StepKind, name string, err error) Step {
	if ldapCode(err) < 0 {
		detail, hint, reason := r.explainNetwork(err, "bind")
		r.dead = true
		return Step{Kind: kind, Name: name, Status: StatusFail, Detail: detail, Hint: hint, Reason: reason}
	}
	st := Step{Kind: kind, Name: name, Status: StatusFail, Detail: describeLDAPError(err)}
	st.Hint, st.Reason = explainResult(err)
	if _, ad, ok := adReason(err); ok {
		st.Detail += adNote(err)
		st.Reason = ad.reason
		switch {
		case ad.passwordRight:
			st.Hint = "the password was right, but the account cannot log in: " + ad.fix
		case ad.reason != ReasonInvalidCredentials:
			st.Hint = ad.fix
		}
	}
	return st
}

// ensureManager rebinds as the manager after a user bind, so that searches
// run with the manager's rights as the server's would.
func (r *runner) ensureManager() error {
	if r.s.Search.ManagerDN == "" || r.bound == "manager" || !r.managerOK {
		return nil
	}
	err := r.do(func() error { return r.conn.Bind(r.s.Search.ManagerDN, r.managerPW) })
	if err == nil {
		r.bound = "manager"
	}
	return err
}

// userBind binds as dn with the test password and reports it. A bind that
// reached an account counts towards the run's one user bind.
func (r *runner) userBind(dn, name string) bool {
	r.begin()
	if r.opt.Password == "" || r.opt.LookupOnly {
		// checkInput stops both before the network; never let an empty
		// password reach a bind (an unauthenticated bind succeeds on many
		// servers without checking anything).
		r.emit(Step{Kind: StepUserBind, Name: name, Status: StatusSkip, Reason: ReasonEmptyPassword, Detail: "not tried: no password"})
		return false
	}
	if r.lockoutStop != nil {
		st := *r.lockoutStop
		st.Name = name
		r.bindStopped = true
		r.emit(st)
		return false
	}
	r.userBinds++
	err := r.do(func() error { return r.conn.Bind(dn, r.opt.Password) })
	if err == nil {
		r.bound = "user"
		r.res.Authenticated = true
		r.emit(Step{Kind: StepUserBind, Name: name, Status: StatusOK, Detail: "password accepted for " + dn})
		return true
	}
	r.bound = "" // a failed bind leaves the connection anonymous
	r.userBindErr = err
	st := r.bindFailure(StepUserBind, name, err)
	if st.Reason == ReasonInvalidCredentials {
		st.Detail = "password refused for " + dn + " (" + describeLDAPError(err) + ")" + adNote(err)
		st.Hint = lockoutHint
		exists, known, matched := r.entryExists(dn)
		switch {
		case known && !exists && matched == "":
			// Hidden rather than missing (see missingEntry): a wrong
			// username cannot be told from a wrong password.
			st.Detail += fmt.Sprintf("; %s cannot see this entry or any above it (access controls?), so a wrong username cannot be told from a wrong password", r.searcher())
			st.Hint = "check the username and userDnPattern, then the password; " + lockoutHint
		case known && !exists:
			st.Detail = fmt.Sprintf("no entry %s: the username or the pattern is wrong (%s; the deepest existing entry is %s)", dn, describeLDAPError(err), matched)
			st.Reason = ReasonNotFound
			r.userBinds-- // no account behind it: nothing counted towards a lockout
			r.patternMissing = true
			st.Hint = "check the username and userDnPattern (relative to the URL's base DN)"
		case known:
			st.Detail = "wrong password for " + dn + " (the entry exists)" + adNote(err)
			st.Hint = lockoutHint
			if _, _, ad := adReason(err); !ad && r.noPasswordSet(dn) {
				st.Detail = "wrong password for " + dn + " (the entry exists), or the entry has no password set: " +
					r.searcher() + " sees no " + passwordAttribute + " on it, and sees one on other entries beside it"
				st.Hint = "an entry without a password refuses every bind: set one (" + passwordAttribute + ", e.g. ldappasswd), or check the password; " + lockoutHint
			}
		}
	}
	r.emit(st)
	return false
}

// entryExists tells a wrong password from a wrong DN, which the bind result
// cannot (both answer 49), by looking the DN up as the manager. matched is
// the deepest existing entry the server names when dn does not exist.
func (r *runner) entryExists(dn string) (exists, known bool, matched string) {
	if !r.managerOK || r.dead {
		return false, false, ""
	}
	if err := r.ensureManager(); err != nil {
		return false, false, ""
	}
	var res *ldap.SearchResult
	err := r.do(func() (err error) {
		res, err = r.conn.Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, true, "(objectClass=*)", []string{"1.1"}, nil))
		return err
	})
	var le *ldap.Error
	switch {
	case err == nil:
		return len(res.Entries) == 1, true, ""
	case ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) && errors.As(err, &le):
		return false, true, le.MatchedDN
	}
	return false, false, ""
}
