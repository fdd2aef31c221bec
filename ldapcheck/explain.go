package ldapcheck

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"

	"frontdoor/internal/lazyregexp"
)

// lockoutHint is added wherever a test password was refused: each refusal
// counts as a failed login in the directory.
const lockoutHint = "careful: every wrong password counts as a failed login; repeated tests can lock the account (the directory's lockout policy); a lookup without the password (lookup only) has no such risk"

// adCode is what one of Active Directory's bind sub-codes ("data XXX" in
// the text of result 49) means and what fixes it.
type adCode struct {
	meaning string
	fix     string
	reason  Reason
	// passwordRight: AD sends the code only after the password checked out.
	// Not so for 775 (locked out), which AD answers whatever the password.
	passwordRight bool
}

var adBindCodes = map[string]adCode{
	"525": {"user not found", "no account has this name: check the username and the DN (pattern or search result)", ReasonNotFound, false},
	"52e": {"invalid credentials", lockoutHint, ReasonInvalidCredentials, false},
	"530": {"logon not permitted at this time",
		"the account's logon hours exclude this time: widen them in Active Directory (account properties, Logon Hours)", ReasonAccountProblem, true},
	"531": {"logon not permitted from this workstation",
		"the account may log on only from the computers it lists (userWorkstations, 'Log On To...'): allow all computers or add the ones that bind", ReasonAccountProblem, true},
	"532": {"password expired",
		"the password has expired: the user sets a new one or an administrator resets it; for a service account such as the manager, set 'Password never expires'", ReasonAccountProblem, true},
	"533": {"account disabled",
		"the account is disabled: enable it in Active Directory, or test with another user", ReasonAccountProblem, true},
	"701": {"account expired",
		"the account's expiry date (accountExpires) has passed: extend it in Active Directory (account properties, Account expires)", ReasonAccountProblem, true},
	"773": {"user must change the password",
		"the account must set a new password at the next logon (pwdLastSet 0) and the server cannot change passwords: the user changes it once (e.g. logging on to Windows), or an administrator clears 'User must change password at next logon'", ReasonAccountProblem, true},
	"775": {"account locked out",
		"the account is locked after too many wrong passwords (lockoutThreshold): wait for the lockout duration to end, or unlock it in Active Directory. Active Directory answers 775 whatever the password, so this says nothing about whether it was right", ReasonAccountProblem, false},
}

var adDataCode = lazyregexp.New(`data ([0-9a-fA-F]{3,4})`)

// adReason finds an Active Directory sub-code in a bind error.
func adReason(err error) (code string, info adCode, ok bool) {
	var le *ldap.Error
	if !errors.As(err, &le) || le.Err == nil {
		return "", adCode{}, false
	}
	m := adDataCode().FindStringSubmatch(strings.TrimRight(le.Err.Error(), "\x00"))
	if m == nil {
		return "", adCode{}, false
	}
	code = strings.ToLower(m[1])
	info, known := adBindCodes[code]
	if !known {
		info = adCode{meaning: "a code this test does not know", fix: "look the code up in Microsoft's list of LDAP bind errors (AcceptSecurityContext)", reason: ReasonInvalidCredentials}
	}
	return code, info, true
}

// adNote is the " (Active Directory data 52e: invalid credentials)" added
// to a bind failure that carries a sub-code; "" otherwise.
func adNote(err error) string {
	code, info, ok := adReason(err)
	if !ok {
		return ""
	}
	return fmt.Sprintf(" (Active Directory data %s: %s)", code, info.meaning)
}

// ldapCode returns the LDAP result code of err, or -1 when it is no LDAP result.
func ldapCode(err error) int {
	var le *ldap.Error
	if errors.As(err, &le) && le.ResultCode < ldap.ErrorNetwork {
		return int(le.ResultCode)
	}
	return -1
}

// serverMessage is the diagnostic text the server sent, cleaned up.
func serverMessage(err error) string {
	var le *ldap.Error
	if errors.As(err, &le) && le.Err != nil {
		return strings.TrimSpace(strings.TrimRight(le.Err.Error(), "\x00"))
	}
	return ""
}

// describeLDAPError turns an LDAP error into "code name: server text".
func describeLDAPError(err error) string {
	code := ldapCode(err)
	if code < 0 {
		return err.Error()
	}
	s := fmt.Sprintf("result %d %s", code, ldap.LDAPResultCodeMap[uint16(code)])
	if m := serverMessage(err); m != "" {
		s += ": " + m
	}
	return s
}

// isTimeout recognizes deadline errors, including go-ldap's, which only keep
// the text of the underlying network error.
func isTimeout(err error) bool {
	if err == nil {
		return false
	}
	var ne net.Error
	if errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "i/o timeout") || strings.Contains(s, "timed out") || strings.Contains(s, "deadline exceeded")
}

func isRefused(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED) || err != nil && strings.Contains(err.Error(), "connection refused")
}

// explainOpError classifies an error from an LDAP operation that is not a
// plain result code: timeouts, cancelation, a dropped connection.
func (r *runner) explainNetwork(err error, what string) (detail, hint string, reason Reason) {
	switch {
	case r.ctx.Err() == context.Canceled:
		return what + ": canceled", "", ReasonCanceled
	}
	first := r.received()
	if looks := notLDAP(first, r.ep.TLS()); looks != "" {
		hint := "check the URL's port: directories listen for ldap:// on 389 and for ldaps:// on 636 as a rule (Active Directory's global catalog on 3268 and 3269)"
		if looks == "it looks like TLS" {
			hint = "the port speaks TLS: use ldaps://" + r.ep.Address() + " (without startTls), or the plain LDAP port (usually 389)"
		}
		return fmt.Sprintf("%s: the server at %s answered something other than LDAP (%s)", what, r.ep.Address(), looks), hint, ReasonNotLDAP
	}
	switch {
	case isTimeout(err):
		return fmt.Sprintf("%s: no answer within %s", what, r.opt.ReadTimeout),
			"the server accepted the connection but does not answer LDAP: is this the LDAP port of a working directory (ldaps:// usually 636, ldap:// 389)? Raise the timeout for a slow server",
			ReasonTimeout
	}
	if len(first) > 0 {
		// The server spoke LDAP (or TLS) before: not a port of another kind.
		return fmt.Sprintf("%s: %v", what, err), "the connection broke: check the server's log", ReasonNetwork
	}
	return fmt.Sprintf("%s: %v", what, err), "the connection broke: check the server's log; a TLS-only port answers plain LDAP by closing the connection", ReasonNetwork
}

// explainResult gives the hint for an LDAP result code after an operation.
func explainResult(err error) (hint string, reason Reason) {
	switch ldapCode(err) {
	case int(ldap.LDAPResultInvalidCredentials):
		return "", ReasonInvalidCredentials
	case int(ldap.LDAPResultNoSuchObject):
		return "", ReasonNoSuchObject
	case int(ldap.LDAPResultInsufficientAccessRights):
		return "the bound identity may not read there: give the manager read access, or use another managerDn", ReasonAccess
	case int(ldap.LDAPResultStrongAuthRequired):
		return "the server requires a protected connection (Active Directory: LDAP signing): use ldaps:// or startTls: true", ReasonServer
	case int(ldap.LDAPResultConfidentialityRequired):
		return "the server only accepts this over TLS: use ldaps:// or startTls: true", ReasonServer
	case int(ldap.LDAPResultInappropriateAuthentication):
		return "the server refuses this kind of bind (often anonymous binds): set search.managerDn", ReasonServer
	case int(ldap.LDAPResultUnwillingToPerform):
		return "the server refuses (anonymous binds disabled, or a password policy): check its log", ReasonServer
	case int(ldap.LDAPResultOperationsError):
		return "Active Directory answers this to searches without a bind: set search.managerDn and its password", ReasonServer
	case int(ldap.LDAPResultFilterError):
		return "the server rejected the filter: check search.filter (e.g. (uid={0}))", ReasonFilter
	case int(ldap.LDAPResultInvalidDNSyntax):
		return "a DN is malformed: check the URL's base DN, search.base and userDnPattern", ReasonServer
	case int(ldap.LDAPResultBusy), int(ldap.LDAPResultUnavailable):
		return "the server is busy or unavailable: try again, or another server", ReasonServer
	}
	return "", ReasonServer
}

// referralURIs extracts the referral URLs of a result-code-10 error (go-ldap
// keeps them only in the raw packet).
func referralURIs(err error) []string {
	var le *ldap.Error
	if !errors.As(err, &le) || le.Packet == nil || len(le.Packet.Children) < 2 {
		return nil
	}
	var uris []string
	for _, child := range le.Packet.Children[1].Children {
		if child.ClassType == ber.ClassContext && child.Tag == 3 {
			for _, u := range child.Children {
				if s, ok := u.Value.(string); ok {
					uris = append(uris, s)
				}
			}
		}
	}
	return uris
}
