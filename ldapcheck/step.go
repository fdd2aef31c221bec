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
	StepInput       StepKind = "input"        // settings, username and password, before the network
	StepDNS         StepKind = "dns"          // host name lookup
	StepConnect     StepKind = "connect"      // TCP connection
	StepTLS         StepKind = "tls"          // LDAPS or StartTLS handshake and certificate
	StepManagerBind StepKind = "manager-bind" // bind as search.managerDn (or anonymous)
	StepUserSearch  StepKind = "user-search"  // one search per search base
	StepUserBind    StepKind = "user-bind"    // bind as the user (DN pattern or found DN)
	StepReferral    StepKind = "referral"     // referrals the server returned (never followed)
	StepEmail       StepKind = "email"        // the email attribute on the user's entry
	StepGroups      StepKind = "groups"       // one per group setting
	StepSummary     StepKind = "summary"      // the verdict
)

// Reason is a machine-readable cause for a failed or warned step.
type Reason string

const (
	ReasonNone               Reason = ""
	ReasonInvalidSettings    Reason = "invalid-settings"
	ReasonEmptyPassword      Reason = "empty-password"
	ReasonNoUsername         Reason = "no-username"
	ReasonManagerPassword    Reason = "manager-password-unavailable"
	ReasonDNS                Reason = "dns"
	ReasonRefused            Reason = "connection-refused"
	ReasonTimeout            Reason = "timeout"
	ReasonCanceled           Reason = "canceled"
	ReasonNetwork            Reason = "network"
	ReasonNotTLS             Reason = "not-tls"
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
	ReasonAmbiguous          Reason = "ambiguous"
	ReasonFilter             Reason = "filter"
	ReasonAccess             Reason = "insufficient-access"
	ReasonNoEmail            Reason = "no-email"
	ReasonNoGroups           Reason = "no-groups"
	ReasonSizeLimit          Reason = "size-limit" // the server cut a result list
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
	InsecureSkipVerify bool   `json:"insecureSkipVerify,omitempty"`
	TimedOut           bool   `json:"timedOut,omitempty"`
	Canceled           bool   `json:"canceled,omitempty"`
	Steps              []Step `json:"steps,omitempty"`
}

// OK reports whether the user was found and their password bound: the
// condition for `frontdoor ldap test` to exit 0.
func (r Result) OK() bool { return r.UserFound && r.Authenticated }

// Last returns the last step of kind k and whether there was one.
func (r Result) Last(k StepKind) (Step, bool) {
	for i := len(r.Steps) - 1; i >= 0; i-- {
		if r.Steps[i].Kind == k {
			return r.Steps[i], true
		}
	}
	return Step{}, false
}
