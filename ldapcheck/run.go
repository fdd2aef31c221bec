// The test run: Options, the runner that holds one run's state, and the
// order of the steps. Each step lives in its own file: input.go, dial.go,
// tls.go, bind.go, search.go, email.go, groups.go, summary.go.

package ldapcheck

import (
	"context"
	"crypto/x509"
	"errors"
	"net"
	"os"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// The vendor's own timeouts, used when Options leaves them at zero.
const (
	DefaultConnectTimeout = 10 * time.Second
	DefaultReadTimeout    = 15 * time.Second
)

// Options are the inputs of one test run that are not settings.
type Options struct {
	Username string
	Password string // the test user's password; refused when empty, never echoed
	// ManagerPassword, when set, is used instead of the setting's
	// managerPasswordEnv / managerPasswordFile (e.g. typed into the wizard).
	ManagerPassword string
	// Getenv looks up managerPasswordEnv; nil means os.Getenv.
	Getenv func(string) string
	// ConnectTimeout bounds DNS and TCP connect; ReadTimeout bounds the TLS
	// handshake and each LDAP request. Zero means the vendor's 10 s / 15 s.
	ConnectTimeout, ReadTimeout time.Duration
	// Now is the clock for certificate expiry and lockout windows; nil
	// means time.Now.
	Now func() time.Time
	// LookupOnly runs everything but the user's bind: no password is
	// needed or sent, so the test cannot count towards a lockout. Email and
	// groups are read as the manager sees them.
	LookupOnly bool
	// AllowLockoutRisk lets the run bind as an account (the user, or the
	// manager when its policy is readable first) that one more wrong
	// password would lock. Without it that bind is skipped with
	// ReasonLockoutRisk. A locked-out account is never bound as: a bind
	// fails whatever the password.
	AllowLockoutRisk bool
	// LockoutRiskControl names, in the hint of a bind skipped for the
	// risk, how the caller's user allows it (e.g. "--risk-lockout", or a
	// toggle's label); empty: "the lockout risk allowed".
	LockoutRiskControl string
}

func (o Options) withDefaults() Options {
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.ReadTimeout <= 0 {
		o.ReadTimeout = DefaultReadTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Run tests setting s against its directory, step by step: DNS, TCP connect,
// TLS, manager bind, user lookup and bind, email, groups, summary. Each step
// is passed to report as soon as it ends (report runs on the caller's
// goroutine, may be nil, and must not keep the Step's slices). Canceling ctx
// closes the connection and makes Run return promptly. Only the group
// settings whose ldapSetting is s.Key are used.
func Run(ctx context.Context, s Setting, groups []GroupSetting, opt Options, report func(Step)) Result {
	r := &runner{ctx: ctx, s: s, opt: opt.withDefaults(), report: report}
	for _, g := range groups {
		if g.LDAPSetting == s.Key {
			r.groups = append(r.groups, g)
		}
	}
	r.res = Result{Setting: s.Key, Username: opt.Username, InsecureSkipVerify: s.InsecureSkipVerify}
	defer r.close()
	r.run()
	r.summary()
	return r.res
}

// open runs the steps every use of a setting starts with: DNS, TCP
// connect, TLS and the manager bind (or anonymous searches). False when
// the connection is lost; a failed manager bind leaves managerOK false.
func (r *runner) open() bool {
	addrs, ok := r.lookup()
	if !ok || !r.connect(addrs) || !r.secure() {
		return false
	}
	r.managerBind()
	return !r.dead
}

// runner holds the state of one run; nothing is shared between runs.
type runner struct {
	ctx    context.Context
	s      Setting
	groups []GroupSetting
	opt    Options
	report func(Step)
	res    Result

	ep             Endpoint
	raw            net.Conn       // the TCP socket under everything, for deadlines and cancelation
	rec            *recordingConn // raw, keeping what the server sent first
	conn           *ldap.Conn
	stopCancel     func() bool
	dead           bool   // the connection failed: later network steps are skipped
	bound          string // "manager", "user" or "" (anonymous)
	managerPW      string
	managerOK      bool // searches may run (manager bound, or anonymous by design)
	userEntry      *ldap.Entry
	verifyErr      error             // certificate verification result, kept for the report
	cnOnly         bool              // the host name matched only the certificate's CN (Java accepts that)
	userBindErr    error             // the user bind's error, for the summary
	info           *serverInfo       // the root DSE, read when first needed
	userBinds      int               // binds as the user that reached an account: at most one per run
	lockoutShown   bool              // the lockout step ran
	lockoutStop    *Step             // the user bind must not run: the account is locked, or one more failure locks it
	bindStopped    bool              // ...and a user bind was skipped for it: later entries are not tried either
	resolved       map[string]string // referral host -> what looking it up said
	patternMissing bool              // the DN pattern's entry does not exist
	asideErr       error             // an optional exchange broke the connection
	lostReported   bool              // ...and reportLost said so
	peerCerts      []*x509.Certificate
	stepStart      time.Time
}

func (r *runner) begin() { r.stepStart = time.Now() }

func (r *runner) emit(st Step) {
	if st.Duration == 0 && !r.stepStart.IsZero() {
		st.Duration = time.Since(r.stepStart)
	}
	r.stepStart = time.Time{}
	switch st.Reason {
	case ReasonTimeout:
		r.res.TimedOut = true
	case ReasonCanceled:
		r.res.Canceled = true
	}
	r.res.Steps = append(r.res.Steps, st)
	if r.report != nil {
		r.report(st)
	}
}

func (r *runner) close() {
	if r.stopCancel != nil {
		r.stopCancel()
	}
	if r.conn != nil {
		r.conn.Close()
	} else if r.raw != nil {
		r.raw.Close()
	}
}

// canceled reports (once) that the caller gave up, and stops the run.
func (r *runner) canceled(kind StepKind, name string) bool {
	if r.ctx.Err() == nil {
		return false
	}
	reason, detail := ReasonCanceled, "canceled"
	if errors.Is(r.ctx.Err(), context.DeadlineExceeded) {
		reason, detail = ReasonTimeout, "the overall time limit ran out"
	}
	r.emit(Step{Kind: kind, Name: name, Status: StatusFail, Detail: detail, Reason: reason})
	r.dead = true
	return true
}

func (r *runner) run() {
	if !r.checkInput() || !r.open() {
		return
	}
	r.findUser()
	if r.dead || !r.done() {
		return
	}
	r.email()
	for _, g := range r.groups {
		if r.dead {
			return
		}
		r.groupStep(g)
	}
}
