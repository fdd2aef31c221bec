package ldapcheck

import (
	"encoding/json"
	"fmt"
	"time"
)

// Status is how one step of the test ended.
type Status int

const (
	StatusOK   Status = iota // worked
	StatusInfo               // worth knowing, not a problem (anonymous search, referrals)
	StatusWarn               // works, but probably not as intended
	StatusFail               // did not work; the hint says what to do
	StatusSkip               // not run, because an earlier step failed or it does not apply
)

var statusNames = [...]string{"ok", "info", "warn", "fail", "skip"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("status(%d)", int(s))
}

// Symbol is the one-character mark shown beside a step: ✓ i ! ✗ -.
func (s Status) Symbol() string {
	switch s {
	case StatusOK:
		return "✓"
	case StatusInfo:
		return "i"
	case StatusWarn:
		return "!"
	case StatusFail:
		return "✗"
	}
	return "-"
}

// MarshalText makes JSON show "ok", "fail"... instead of numbers.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText is the reverse of MarshalText.
func (s *Status) UnmarshalText(b []byte) error {
	for i, n := range statusNames {
		if n == string(b) {
			*s = Status(i)
			return nil
		}
	}
	return fmt.Errorf("unknown status %q", b)
}

// StepKind identifies a step independently of its human title.
type StepKind string

const (
	StepInput       StepKind = "input"         // settings, username and password, before the network
	StepDNS         StepKind = "dns"           // host name lookup
	StepConnect     StepKind = "connect"       // TCP connection
	StepTLS         StepKind = "tls"           // LDAPS or StartTLS handshake and certificate
	StepManagerBind StepKind = "manager-bind"  // bind as search.managerDn (or anonymous)
	StepUserSearch  StepKind = "user-search"   // one search per search base
	StepLockout     StepKind = "lockout"       // the lockout policy, read before the user bind
	StepUserBind    StepKind = "user-bind"     // bind as the user (DN pattern or found DN)
	StepWhyNotFound StepKind = "why-not-found" // looking wider for a user the search did not find
	StepReferral    StepKind = "referral"      // referrals the server returned (never followed)
	StepEmail       StepKind = "email"         // the email attribute on the user's entry
	StepGroups      StepKind = "groups"        // one per group setting
	StepSummary     StepKind = "summary"       // the verdict
)

// Reason is a machine-readable cause for a failed or warned step.
type Reason string

const (
	ReasonNone               Reason = ""
	ReasonInvalidSettings    Reason = "invalid-settings"
	ReasonEmptyPassword      Reason = "empty-password"
	ReasonNoUsername         Reason = "no-username"
	ReasonBadUsername        Reason = "unprintable-username" // a control character: no directory has such a login
	ReasonManagerPassword    Reason = "manager-password-unavailable"
	ReasonDNS                Reason = "dns"
	ReasonRefused            Reason = "connection-refused"
	ReasonTimeout            Reason = "timeout"
	ReasonCanceled           Reason = "canceled"
	ReasonNetwork            Reason = "network"
	ReasonNotTLS             Reason = "not-tls"
	ReasonNotLDAP            Reason = "not-ldap" // the port answered another protocol (HTTP...)
	ReasonUntrusted          Reason = "untrusted-certificate"
	ReasonHostnameMismatch   Reason = "hostname-mismatch"
	ReasonExpired            Reason = "expired-certificate"
	ReasonCAFile             Reason = "ca-file"
	ReasonStartTLSRefused    Reason = "starttls-refused"
	ReasonNotVerified        Reason = "certificate-not-verified"
	ReasonBadCertificate     Reason = "bad-certificate"     // the certificate cannot be parsed
	ReasonNegativeSerial     Reason = "negative-serial"     // accepted as Java does, with a warning
	ReasonCNOnly             Reason = "cn-only-certificate" // host matched by the CN only, as Java does
	ReasonTLSHandshake       Reason = "tls-handshake"       // the server ended the handshake (alert)
	ReasonPlainText          Reason = "plain-text"
	ReasonInvalidCredentials Reason = "invalid-credentials"
	ReasonAccountProblem     Reason = "account-problem" // AD: expired, disabled, locked...
	ReasonNoSuchObject       Reason = "no-such-object"
	ReasonNotFound           Reason = "not-found"
	ReasonOutsideBases       Reason = "outside-bases"      // why not found: the entry is outside search.base
	ReasonBelowOneLevel      Reason = "below-one-level"    // why not found: deeper than one level, subTree off
	ReasonOtherAttribute     Reason = "other-attribute"    // why not found: the name is in another attribute (mail, UPN...)
	ReasonTypedLoginName     Reason = "typed-login-name"   // why not found: CORP\alice or alice@corp typed for sAMAccountName
	ReasonExcludedByFilter   Reason = "excluded-by-filter" // why not found: a clause of the filter excludes the entry
	ReasonNotInDirectory     Reason = "not-in-directory"   // why not found: nowhere the manager can see
	ReasonLockoutRisk        Reason = "lockout-risk"       // one more wrong password locks the account
	ReasonLockedOut          Reason = "locked-out"         // the account is locked now
	ReasonLookupOnly         Reason = "lookup-only"        // the user bind was not tried: lookup only
	ReasonOneBind            Reason = "one-bind-per-run"   // a second user bind was not tried
	ReasonAmbiguous          Reason = "ambiguous"
	ReasonFilter             Reason = "filter"
	ReasonAccess             Reason = "insufficient-access"
	ReasonNoEmail            Reason = "no-email"
	ReasonNoGroups           Reason = "no-groups"
	ReasonNestedGroups       Reason = "nested-groups" // indirect groups exist that the setting does not include
	ReasonSizeLimit          Reason = "size-limit"    // the server cut a result list
	ReasonReferral           Reason = "referral"
	ReasonServer             Reason = "server-error"
)

// Step is one finished step of the test, reported as soon as it ends.
// No step ever contains a password.
type Step struct {
	Kind     StepKind
	Name     string // human title, e.g. "User search in ou=people,dc=example,dc=com"
	Status   Status
	Duration time.Duration
	Detail   string // what happened, with the DNs, filters and values involved
	Hint     string // what to do about it; empty when nothing needs doing
	Reason   Reason // machine-readable cause when Status is Warn or Fail
}

// MarshalJSON writes durations in milliseconds, which reads better than
// nanoseconds in a log.
func (s Step) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Kind       StepKind `json:"kind"`
		Name       string   `json:"name"`
		Status     Status   `json:"status"`
		DurationMS float64  `json:"durationMs"`
		Detail     string   `json:"detail,omitempty"`
		Hint       string   `json:"hint,omitempty"`
		Reason     Reason   `json:"reason,omitempty"`
	}{s.Kind, s.Name, s.Status, float64(s.Duration.Microseconds()) / 1000, s.Detail, s.Hint, s.Reason})
}

// Group is one group the user would get.
type Group struct {
	Setting string `json:"setting"` // the group setting's name
	Name    string `json:"name"`    // value of nameAttribute (or the OU for hierarchical)
	DN      string `json:"dn,omitempty"`
}

// Result sums up a test run. It never contains a password.
type Result struct {
	Setting       string  `json:"setting"`
	Username      string  `json:"username"`
	UserFound     bool    `json:"userFound"`
	UserDN        string  `json:"userDn,omitempty"`
	SearchBase    string  `json:"searchBase,omitempty"` // effective base the user was found under; empty with a DN pattern
	Authenticated bool    `json:"authenticated"`
	Email         string  `json:"email,omitempty"`
	Groups        []Group `json:"groups,omitempty"`
	// InsecureSkipVerify is true when certificates were not verified: every
	// conclusion about this connection is then weaker.
	InsecureSkipVerify bool `json:"insecureSkipVerify,omitempty"`
	TimedOut           bool `json:"timedOut,omitempty"`
	Canceled           bool `json:"canceled,omitempty"`
	// LookupOnly: the run did everything but the user's bind (no password
	// sent, no lockout risk); OK then means the user was found.
	LookupOnly bool `json:"lookupOnly,omitempty"`
	// Lockout is the directory's lockout policy as read before the user
	// bind; nil when the directory does not expose one.
	Lockout *LockoutPolicy `json:"lockout,omitempty"`
	// WhyNotFound explains, after looking wider, why the user was not found.
	WhyNotFound []NotFoundCause `json:"whyNotFound,omitempty"`
	Steps       []Step          `json:"steps,omitempty"`
}

// OK reports whether the user was found and their password bound (with
// LookupOnly: whether the user was found): the condition for `frontdoor
// ldap test` to exit 0.
func (r Result) OK() bool { return r.UserFound && (r.Authenticated || r.LookupOnly) }

// LockoutPolicy is what the directory says about locking an account after
// wrong passwords, and where the tested account stands.
type LockoutPolicy struct {
	Source   string `json:"source"`             // DirectoryActiveDirectory, or "ppolicy" (OpenLDAP)
	PolicyDN string `json:"policyDn,omitempty"` // the entry the policy was read from
	// Threshold is how many wrong passwords lock the account; 0: never.
	Threshold int `json:"threshold"`
	// WindowSeconds: wrong passwords older than this no longer count (0: no limit).
	WindowSeconds int64 `json:"windowSeconds,omitempty"`
	// DurationSeconds: how long a lockout lasts (0: until an administrator unlocks it).
	DurationSeconds int64 `json:"durationSeconds,omitempty"`
	// Failures is the account's recent wrong passwords; -1 when not readable.
	Failures int  `json:"failures"`
	Locked   bool `json:"locked,omitempty"`
	// LockedUntil is when a lockout with a duration ends (zero: not
	// locked, or until an administrator unlocks it).
	LockedUntil time.Time `json:"lockedUntil,omitzero"`
	// Certain is false when the policy entry may not apply to this user
	// (an OpenLDAP policy found by searching, not named by the user entry).
	Certain bool `json:"certain"`
}

// NotFoundCause is one explanation of why the search found no user.
type NotFoundCause struct {
	Cause  Reason `json:"cause"`        // ReasonOutsideBases, ReasonBelowOneLevel, ...
	DN     string `json:"dn,omitempty"` // the entry found by looking wider
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
}

// Last returns the last step of kind k and whether there was one.
func (r Result) Last(k StepKind) (Step, bool) {
	for i := len(r.Steps) - 1; i >= 0; i-- {
		if r.Steps[i].Kind == k {
			return r.Steps[i], true
		}
	}
	return Step{}, false
}
