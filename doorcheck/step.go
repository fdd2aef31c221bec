package doorcheck

import (
	"encoding/json"
	"time"

	"frontdoor/ldapcheck"
)

// Status is how one step ended. It is ldapcheck's, so `check` and `ldap
// test` (and the wizard, which shows both) mark steps with the same ✓ i ! ✗ -
// and write the same words in JSON.
type Status = ldapcheck.Status

const (
	StatusOK   = ldapcheck.StatusOK   // worked
	StatusInfo = ldapcheck.StatusInfo // worth knowing, not a problem
	StatusWarn = ldapcheck.StatusWarn // works, but not as it should for every client
	StatusFail = ldapcheck.StatusFail // does not work; Cause and Fix say why and what to change
	StatusSkip = ldapcheck.StatusSkip // not run: it does not apply, or what it needs failed
)

// Kind identifies a step independently of its human title.
type Kind string

const (
	KindInput        Kind = "input"             // what to check, before the network
	KindDNS          Kind = "dns"               // step 1: a name resolves (or --resolve says where)
	KindConnect      Kind = "connect"           // step 2: TCP connect, and the listener answers at all
	KindTLS          Kind = "tls"               // step 3: chain, names, expiry for one SNI name
	KindTLSVersions  Kind = "tls-versions"      // step 3: TLS 1.0/1.1 refused, the profile's versions offered
	KindHSTS         Kind = "hsts"              // step 3: Strict-Transport-Security on HTTPS
	KindRedirect     Kind = "redirect"          // step 4: HTTP → HTTPS keeps host, port, path
	KindFollow       Kind = "follow"            // step 5: a door that only redirects: the same host's door it names is checked next
	KindPing         Kind = "ping"              // step 5: /artifactory/api/system/ping is OK
	KindUI           Kind = "ui"                // step 5: / redirects to /ui/, which the router serves
	KindDocker       Kind = "docker"            // step 6: /v2/ answers 401 with a public Bearer realm; the token endpoint answers
	KindDockerLogin  Kind = "docker-login"      // step 6: with --user: a token, and requests it opens
	KindStreaming    Kind = "request-streaming" // step 7: the door streams request bodies (no buffering)
	KindUpload       Kind = "upload"            // step 7: a chunked blob upload of --upload-size, cancelled
	KindEncodedSlash Kind = "encoded-slash"     // step 8: %2F reaches Artifactory unchanged
	KindRevision     Kind = "revision"          // Verify only: the door answers the revision of the configuration saved
	KindSummary      Kind = "summary"           // step 9: the verdict
)

// Fix says what to change, for each place the change can be made. Only the
// fields that apply are set; when the web server is known (from the settings
// or its Server header) the other server's directive is left out.
type Fix struct {
	Nginx   string `json:"nginx,omitempty"`   // nginx directive(s)
	Apache  string `json:"apache,omitempty"`  // Apache directive(s)
	Setting string `json:"setting,omitempty"` // frontdoor setting(s), then `frontdoor save`
	Action  string `json:"action,omitempty"`  // what to do outside the web server (DNS, certificate, Artifactory)
}

// IsZero reports whether the fix says nothing.
func (f Fix) IsZero() bool { return f == Fix{} }

// Step is one finished step, reported as soon as it ends. No step ever
// contains a password or a token.
type Step struct {
	Kind     Kind
	Name     string // human title, e.g. "Docker docker-local (subdomain)"
	Target   string // what was probed: a URL, host:port or a name; "" for the summary
	Status   Status
	Duration time.Duration
	Detail   string // what happened, with the names, ports and answers involved
	Cause    string // on a warning or failure: why it happens
	Fix      Fix    // on a warning or failure: what to change
	Reason   Reason // machine-readable cause for warn and fail
}

// MarshalJSON writes the duration in milliseconds (as ldapcheck.Step does)
// and leaves empty fields out.
func (s Step) MarshalJSON() ([]byte, error) {
	var fix *Fix
	if !s.Fix.IsZero() {
		fix = &s.Fix
	}
	return json.Marshal(struct {
		Kind       Kind    `json:"kind"`
		Name       string  `json:"name"`
		Target     string  `json:"target,omitempty"`
		Status     Status  `json:"status"`
		DurationMS float64 `json:"durationMs"`
		Detail     string  `json:"detail,omitempty"`
		Cause      string  `json:"cause,omitempty"`
		Fix        *Fix    `json:"fix,omitempty"`
		Reason     Reason  `json:"reason,omitempty"`
	}{s.Kind, s.Name, s.Target, s.Status, float64(s.Duration.Microseconds()) / 1000, s.Detail, s.Cause, fix, s.Reason})
}

// UnmarshalJSON reads what MarshalJSON writes (the wizard keeps the last
// result; tests read the command's output).
func (s *Step) UnmarshalJSON(b []byte) error {
	var v struct {
		Kind       Kind    `json:"kind"`
		Name       string  `json:"name"`
		Target     string  `json:"target"`
		Status     Status  `json:"status"`
		DurationMS float64 `json:"durationMs"`
		Detail     string  `json:"detail"`
		Cause      string  `json:"cause"`
		Fix        *Fix    `json:"fix"`
		Reason     Reason  `json:"reason"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = Step{Kind: v.Kind, Name: v.Name, Target: v.Target, Status: v.Status,
		Duration: time.Duration(v.DurationMS * float64(time.Millisecond)), Detail: v.Detail, Cause: v.Cause, Reason: v.Reason}
	if v.Fix != nil {
		s.Fix = *v.Fix
	}
	return nil
}

// Result sums up a run. It never contains a password or a token.
type Result struct {
	Title        string `json:"title"`        // what was checked, as the first line of the text output says
	Doors        int    `json:"doors"`        // distinct public endpoints planned (Plan.Endpoints)
	Repositories int    `json:"repositories"` // Docker repositories planned
	Failed       int    `json:"failed"`       // steps that failed
	Warnings     int    `json:"warnings"`
	TimedOut     bool   `json:"timedOut,omitempty"`
	Canceled     bool   `json:"canceled,omitempty"`
	// NotChecked says what was not checked when no door served Artifactory
	// itself (a door that only redirects elsewhere); the door does not pass
	// then.
	NotChecked string `json:"notChecked,omitempty"`
	// Revision is the revision of the configuration saved when every door
	// answered it (Verify with VerifyOptions.Revision): the configuration
	// saved is the one serving. "" otherwise.
	Revision string `json:"revision,omitempty"`
	// RevisionUnknown says why Verify could not tell the configuration
	// saved from the one before (the file has no revision marker, the
	// verify went to an address other than loopback, the server refused
	// the marker); "" when it could, or when the run is not a Verify.
	RevisionUnknown string `json:"revisionUnknown,omitempty"`
	// StaleRevision is another revision a door answered than the one
	// saved: the configuration still serving (Verify); "" when none did.
	StaleRevision string `json:"staleRevision,omitempty"`
	// FirstFailure is the first failed step in report order (the one the
	// summary names); nil when nothing failed.
	FirstFailure *Step  `json:"firstFailure,omitempty"`
	Steps        []Step `json:"steps,omitempty"`
}

// OK reports whether the door works: no step failed (warnings allowed)
// and Artifactory answered through it. It is the condition for `frontdoor
// check` to exit 0.
func (r Result) OK() bool { return r.Failed == 0 && !r.Canceled && r.NotChecked == "" }

// ConfigFailures returns the failed steps that the web server's own
// configuration causes (a listener missing, a certificate, a redirect, the
// realm, a size limit...), as opposed to DNS, the network, Artifactory
// itself or the credentials. After a reload these are what rolling the
// configuration back can change.
func (r Result) ConfigFailures() []Step {
	var out []Step
	for _, s := range r.Steps {
		if s.Status == StatusFail && s.Reason.ByConfig() {
			out = append(out, s)
		}
	}
	return out
}

// Serving reports whether the configuration the check planned is the one
// answering: no failure that the web server's configuration causes. It is
// what the save pipeline asks after a reload (see Verify).
func (r Result) Serving() bool { return !r.Canceled && len(r.ConfigFailures()) == 0 }

// Last returns the last step of kind k and whether there was one.
func (r Result) Last(k Kind) (Step, bool) {
	for i := len(r.Steps) - 1; i >= 0; i-- {
		if r.Steps[i].Kind == k {
			return r.Steps[i], true
		}
	}
	return Step{}, false
}
