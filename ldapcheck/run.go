package ldapcheck

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"
	"unicode/utf8"

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
	// Now is the clock for certificate expiry; nil means time.Now.
	Now func() time.Time
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
		data, err := os.ReadFile(s.ManagerPasswordFile)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err // the path is already in the message below
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

// runner holds the state of one run; nothing is shared between runs.
type runner struct {
	ctx    context.Context
	s      Setting
	groups []GroupSetting
	opt    Options
	report func(Step)
	res    Result

	ep         Endpoint
	raw        net.Conn // the TCP socket under everything, for deadlines and cancelation
	conn       *ldap.Conn
	stopCancel func() bool
	dead       bool   // the connection failed: later network steps are skipped
	bound      string // "manager", "user" or "" (anonymous)
	managerPW  string
	managerOK  bool // searches may run (manager bound, or anonymous by design)
	userEntry  *ldap.Entry
	verifyErr  error // certificate verification result, kept for the report
	peerCerts  []*x509.Certificate
	stepStart  time.Time
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
	if !r.checkInput() {
		return
	}
	addrs, ok := r.lookup()
	if !ok {
		return
	}
	if !r.connect(addrs) {
		return
	}
	if !r.secure() {
		return
	}
	r.managerBind()
	if r.dead {
		return
	}
	r.findUser()
	if r.dead || !r.res.Authenticated {
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

// checkInput refuses what must never reach the network: invalid settings,
// no username, an empty password (an "unauthenticated bind" would succeed
// on many servers without checking anything).
func (r *runner) checkInput() bool {
	r.begin()
	errs := Validate(Config{Settings: []Setting{r.s}, Groups: r.groups}).Errors()
	if len(errs) > 0 {
		var lines []string
		for _, f := range errs {
			lines = append(lines, localPath(f.Path, r.groups)+": "+f.Message)
		}
		r.emit(Step{Kind: StepInput, Name: "Settings", Status: StatusFail, Detail: strings.Join(lines, "; "),
			Hint: "fix the settings first (frontdoor validate, or the wizard's LDAP form)", Reason: ReasonInvalidSettings})
		return false
	}
	var err error
	if r.ep, err = ParseURL(r.s.URL); err != nil { // cannot happen after Validate; kept for safety
		r.emit(Step{Kind: StepInput, Name: "Settings", Status: StatusFail, Detail: "url: " + err.Error(), Reason: ReasonInvalidSettings})
		return false
	}
	if r.opt.Username == "" {
		r.emit(Step{Kind: StepInput, Name: "Username", Status: StatusFail, Detail: "no username to test",
			Hint: "give the login name of a real user, e.g. --user alice", Reason: ReasonNoUsername})
		return false
	}
	if r.opt.Password == "" {
		r.emit(Step{Kind: StepInput, Name: "Password", Status: StatusFail,
			Detail: "empty password refused before any bind: many servers accept a DN with an empty password without checking anything",
			Hint:   "give the test user's real password", Reason: ReasonEmptyPassword})
		return false
	}
	return true
}

// localPath turns "ldap.settings[0].url" into "url" and "ldap.groups[1].x"
// into "group NAME: x" for a run that sees one setting.
func localPath(path string, groups []GroupSetting) string {
	if rest, ok := strings.CutPrefix(path, SettingPath(0)); ok {
		return strings.TrimPrefix(rest, ".")
	}
	for j, g := range groups {
		if rest, ok := strings.CutPrefix(path, GroupPath(j)); ok {
			return "group " + g.Name + strings.Replace(rest, ".", " ", 1)
		}
	}
	return path
}

func (r *runner) lookup() ([]string, bool) {
	r.begin()
	name := "DNS " + r.ep.Host
	if ip := net.ParseIP(r.ep.Host); ip != nil {
		r.emit(Step{Kind: StepDNS, Name: name, Status: StatusInfo, Detail: "an IP address: no lookup needed"})
		return []string{r.ep.Host}, true
	}
	ctx, cancel := context.WithTimeout(r.ctx, r.opt.ConnectTimeout)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupHost(ctx, r.ep.Host)
	if err != nil {
		if r.canceled(StepDNS, name) {
			return nil, false
		}
		st := Step{Kind: StepDNS, Name: name, Status: StatusFail, Detail: err.Error(), Reason: ReasonDNS,
			Hint: "check the host name in url (getent hosts " + r.ep.Host + "); from the server that will use these settings the name must resolve too"}
		if isTimeout(err) {
			st.Detail, st.Reason = fmt.Sprintf("no answer from DNS within %s", r.opt.ConnectTimeout), ReasonTimeout
		}
		r.emit(st)
		return nil, false
	}
	r.emit(Step{Kind: StepDNS, Name: name, Status: StatusOK, Detail: r.ep.Host + " is " + strings.Join(addrs, ", ")})
	return addrs, true
}

func (r *runner) connect(addrs []string) bool {
	r.begin()
	name := "TCP connect " + r.ep.Address()
	ctx, cancel := context.WithTimeout(r.ctx, r.opt.ConnectTimeout)
	defer cancel()
	var d net.Dialer
	var firstErr error
	for _, a := range addrs {
		c, err := d.DialContext(ctx, "tcp", net.JoinHostPort(a, r.ep.Port))
		if err == nil {
			r.raw = c
			break
		}
		if firstErr == nil {
			firstErr = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	if r.raw == nil {
		if r.canceled(StepConnect, name) {
			return false
		}
		st := Step{Kind: StepConnect, Name: name, Status: StatusFail, Detail: firstErr.Error(), Reason: ReasonNetwork,
			Hint: "check host and port in url and that the server answers from here"}
		switch {
		case isRefused(firstErr):
			st.Detail, st.Reason = "connection refused: nothing listens on "+r.ep.Address(), ReasonRefused
			st.Hint = "is the directory running, and is the port right (ldap:// usually 389, ldaps:// 636)?"
		case isTimeout(firstErr):
			st.Detail, st.Reason = fmt.Sprintf("no connection within %s", r.opt.ConnectTimeout), ReasonTimeout
			st.Hint = "a firewall may drop the packets, or the host is down: check host, port and the network path"
		}
		r.emit(st)
		return false
	}
	// Closing the socket is the one thing that unblocks every read, TLS
	// handshake and pending LDAP request at once.
	raw := r.raw
	r.stopCancel = context.AfterFunc(r.ctx, func() { raw.Close() })
	r.emit(Step{Kind: StepConnect, Name: name, Status: StatusOK,
		Detail: fmt.Sprintf("connected to %s from %s", raw.RemoteAddr(), raw.LocalAddr())})
	return true
}

// arm bounds the next network exchange: the socket deadline fires even where
// go-ldap has no timeout of its own (StartTLS, the TLS handshake).
func (r *runner) arm() {
	deadline := time.Now().Add(r.opt.ReadTimeout)
	if d, ok := r.ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	r.raw.SetDeadline(deadline)
}

// disarm clears the deadline so an idle connection between steps (while the
// UI draws) is not killed.
func (r *runner) disarm() { r.raw.SetDeadline(time.Time{}) }

// do runs one LDAP exchange under a deadline.
func (r *runner) do(f func() error) error {
	r.arm()
	err := f()
	r.disarm()
	return err
}

// startLDAP wraps the (possibly TLS) socket in an LDAP connection.
func (r *runner) startLDAP(c net.Conn, isTLS bool) {
	r.conn = ldap.NewConn(c, isTLS)
	r.conn.Start()
	r.conn.SetTimeout(r.opt.ReadTimeout)
}

func (r *runner) tlsConfig() (*tls.Config, error) {
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	if r.s.CAFile != "" {
		pem, err := os.ReadFile(r.s.CAFile)
		if err != nil {
			return nil, fmt.Errorf("cannot read caFile: %w", err)
		}
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("caFile %s holds no PEM certificate", r.s.CAFile)
		}
	}
	return &tls.Config{
		ServerName: r.ep.Host,
		// Verification happens in VerifyConnection instead, so that the
		// certificate can be described even when it is not trusted.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			r.peerCerts = cs.PeerCertificates
			if len(cs.PeerCertificates) == 0 {
				r.verifyErr = errors.New("the server sent no certificate")
			} else {
				inter := x509.NewCertPool()
				for _, c := range cs.PeerCertificates[1:] {
					inter.AddCert(c)
				}
				_, r.verifyErr = cs.PeerCertificates[0].Verify(x509.VerifyOptions{
					DNSName: r.ep.Host, Roots: roots, Intermediates: inter, CurrentTime: r.opt.Now(),
				})
			}
			if r.verifyErr != nil && !r.s.InsecureSkipVerify {
				return r.verifyErr
			}
			return nil
		},
	}, nil
}

// secure runs the TLS step (LDAPS or StartTLS) and starts the LDAP connection.
func (r *runner) secure() bool {
	r.begin()
	switch {
	case r.ep.TLS():
		return r.handshake("TLS (LDAPS)", func(cfg *tls.Config) (error, bool) {
			tc := tls.Client(r.raw, cfg)
			r.arm()
			err := tc.HandshakeContext(r.ctx)
			r.disarm()
			if err == nil {
				r.startLDAP(tc, true)
			}
			return err, false
		})
	case r.s.StartTLS:
		r.startLDAP(r.raw, false)
		return r.handshake("TLS (StartTLS)", func(cfg *tls.Config) (error, bool) {
			err := r.do(func() error { return r.conn.StartTLS(cfg) })
			// A result code means the server answered no to StartTLS
			// itself; anything else happened during the handshake.
			return err, ldapCode(err) > 0
		})
	}
	r.startLDAP(r.raw, false)
	st := Step{Kind: StepTLS, Name: "TLS", Status: StatusWarn, Reason: ReasonPlainText,
		Detail: "none: ldap:// without startTls, passwords cross the network in clear text",
		Hint:   "use ldaps:// (port 636) or startTls: true"}
	if isLoopback(r.ep.Host) {
		st.Status, st.Reason, st.Detail, st.Hint = StatusInfo, ReasonNone, "none: plain ldap:// (loopback, nothing crosses the network)", ""
	}
	r.emit(st)
	return true
}

func (r *runner) handshake(name string, shake func(*tls.Config) (err error, refused bool)) bool {
	cfg, err := r.tlsConfig()
	if err != nil {
		r.emit(Step{Kind: StepTLS, Name: name, Status: StatusFail, Detail: err.Error(), Reason: ReasonCAFile,
			Hint: "caFile must be a readable PEM file with the CA certificate(s) that signed the server's certificate"})
		return false
	}
	err, refused := shake(cfg)
	if err == nil {
		return r.reportCertificate(name)
	}
	if r.canceled(StepTLS, name) {
		return false
	}
	r.dead = true
	st := Step{Kind: StepTLS, Name: name, Status: StatusFail, Detail: err.Error(), Reason: ReasonNetwork}
	switch {
	case refused:
		st.Detail = "the server refused StartTLS: " + describeLDAPError(err)
		st.Hint, st.Reason = "the directory has no TLS configured for StartTLS: configure it, or use ldaps://", ReasonStartTLSRefused
	case r.verifyErr != nil:
		st.Detail = "certificate not trusted: " + r.verifyErr.Error()
		if len(r.peerCerts) > 0 {
			st.Detail = describeCert(r.peerCerts[0], r.opt.Now()) + "; " + st.Detail
		}
		st.Hint, st.Reason = certHint(r.verifyErr, r.ep)
	case isTimeout(err):
		st.Detail = fmt.Sprintf("no TLS handshake within %s", r.opt.ReadTimeout)
		if strings.Contains(name, "StartTLS") {
			st.Detail = fmt.Sprintf("no answer to StartTLS or its handshake within %s", r.opt.ReadTimeout)
		}
		st.Hint, st.Reason = "the server accepted the connection but stalls: is this the right port, and does the server support "+strings.TrimSuffix(strings.TrimPrefix(name, "TLS ("), ")")+"?", ReasonTimeout
	case strings.Contains(name, "StartTLS"):
		// A TLS-only (LDAPS) port closes the connection on the plain
		// StartTLS request.
		st.Detail = "handshake failed: " + err.Error()
		st.Hint, st.Reason = "the server closed the connection on the StartTLS request: if "+r.ep.Port+" is an LDAPS port (usually 636), use ldaps://"+r.ep.Address()+" without startTls; StartTLS goes to the plain LDAP port (usually 389)", ReasonNotTLS
	default:
		st.Detail = "handshake failed: " + err.Error()
		st.Hint, st.Reason = "the server did not speak TLS here: ldaps:// needs the TLS port (usually 636); for port 389 use ldap:// with startTls: true", ReasonNotTLS
	}
	r.emit(st)
	return false
}

func certHint(err error, ep Endpoint) (string, Reason) {
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	switch {
	case errors.As(err, &ua):
		return "set caFile to the PEM file of the CA that signed the server's certificate (see it with: openssl s_client -connect " + ep.Address() + " -showcerts)", ReasonUntrusted
	case errors.As(err, &hn):
		return "the certificate is not for " + ep.Host + ": put a name the certificate lists (SANs) in url", ReasonHostnameMismatch
	case errors.As(err, &ci) && ci.Reason == x509.Expired:
		return "the certificate is expired or not yet valid: renew it on the server (or check this machine's clock)", ReasonExpired
	}
	return "the certificate chain does not verify: check the server's certificate and caFile", ReasonUntrusted
}

func (r *runner) reportCertificate(name string) bool {
	st := Step{Kind: StepTLS, Name: name, Status: StatusOK}
	var parts []string
	if cs, ok := r.conn.TLSConnectionState(); ok {
		parts = append(parts, tls.VersionName(cs.Version))
	}
	if len(r.peerCerts) > 0 {
		leaf := r.peerCerts[0]
		parts = append(parts, describeCert(leaf, r.opt.Now()))
		if left := leaf.NotAfter.Sub(r.opt.Now()); left < 30*24*time.Hour {
			st.Status, st.Hint = StatusWarn, "the certificate expires soon: renew it before logins start failing"
		}
	}
	if r.verifyErr == nil {
		parts = append(parts, "verified")
	}
	st.Detail = strings.Join(parts, "; ")
	if r.s.InsecureSkipVerify {
		st.Status, st.Reason = StatusWarn, ReasonNotVerified
		st.Detail = "CERTIFICATE NOT VERIFIED (insecureSkipVerify: true); " + st.Detail
		if r.verifyErr != nil {
			st.Detail += "; verification would have failed: " + r.verifyErr.Error()
		} else {
			st.Detail += "; it would have verified: turn insecureSkipVerify off"
		}
		st.Hint = "anyone on the network path can impersonate the directory and read passwords: set caFile instead"
	}
	r.emit(st)
	return true
}

func describeCert(c *x509.Certificate, now time.Time) string {
	var sans []string
	sans = append(sans, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		sans = append(sans, ip.String())
	}
	if len(sans) == 0 {
		sans = []string{"none"}
	}
	days := int(c.NotAfter.Sub(now).Hours() / 24)
	when := fmt.Sprintf("in %d days", days)
	if c.NotAfter.Before(now) {
		when = "EXPIRED"
	}
	return fmt.Sprintf("certificate %s, issued by %s, SANs %s, expires %s (%s)",
		c.Subject, c.Issuer, strings.Join(sans, ", "), c.NotAfter.UTC().Format("2006-01-02"), when)
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
			hint := "export the manager's password in that variable before the test (never on the command line)"
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
	err := r.do(func() error { return r.conn.Bind(dn, pw) })
	if err == nil {
		r.bound, r.managerOK = "manager", true
		r.emit(Step{Kind: StepManagerBind, Name: name, Status: StatusOK, Detail: "bound as " + dn})
		return
	}
	st := r.bindFailure(StepManagerBind, name, err)
	if st.Reason == ReasonInvalidCredentials {
		st.Detail = "authentication failed: wrong manager DN or password (the directory does not say which)"
		source := passwordSource(r.s.Search)
		if r.opt.ManagerPassword != "" {
			source = "the manager password typed for this test"
		}
		st.Hint = "check search.managerDn (the full DN) and " + source
	}
	r.emit(st)
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

// bindFailure explains a failed bind, including Active Directory's codes.
func (r *runner) bindFailure(kind StepKind, name string, err error) Step {
	if ldapCode(err) < 0 {
		detail, hint, reason := r.explainNetwork(err, "bind")
		r.dead = true
		return Step{Kind: kind, Name: name, Status: StatusFail, Detail: detail, Hint: hint, Reason: reason}
	}
	st := Step{Kind: kind, Name: name, Status: StatusFail, Detail: describeLDAPError(err)}
	st.Hint, st.Reason = explainResult(err)
	if code, meaning := adReason(err); code != "" {
		st.Detail += fmt.Sprintf(" (Active Directory data %s: %s)", code, meaning)
		if code != "52e" && code != "525" {
			st.Reason = ReasonAccountProblem
			st.Hint = "the password was right but the account cannot log in (" + meaning + "): fix the account in Active Directory"
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

// userAttributes are the attributes read from the user's entry: all user
// attributes plus the ones that may be operational (memberOf in OpenLDAP).
func (r *runner) userAttributes() []string {
	attrs := []string{"*"}
	if r.s.EmailAttribute != "" {
		attrs = append(attrs, r.s.EmailAttribute)
	}
	for _, g := range r.groups {
		if strings.EqualFold(g.Strategy, StrategyDynamic) && g.MemberAttribute != "" {
			attrs = append(attrs, g.MemberAttribute)
		}
	}
	return attrs
}

func (r *runner) findUser() {
	if strings.TrimSpace(r.s.UserDNPattern) != "" {
		r.patternBind()
		if r.dead || r.res.Authenticated {
			return
		}
	}
	if strings.TrimSpace(r.s.Search.Filter) == "" {
		return
	}
	if !r.managerOK {
		r.emit(Step{Kind: StepUserSearch, Name: "User search", Status: StatusSkip, Detail: "skipped: the manager bind failed"})
		return
	}
	if err := r.ensureManager(); err != nil {
		r.emit(r.bindFailure(StepUserSearch, "User search: manager bind", err))
		return
	}
	filter := strings.ReplaceAll(NormalizedFilter(r.s.Search.Filter), "{0}", filterValue(r.opt.Username))
	scope, scopeName := ldap.ScopeWholeSubtree, "sub-tree"
	if !r.s.Search.SubTree {
		scope, scopeName = ldap.ScopeSingleLevel, "one level"
	}
	empty := 0
	bases := r.s.Search.SearchBases()
	for _, b := range bases {
		if r.dead || r.res.Authenticated {
			return
		}
		base := joinDN(b, r.ep.BaseDN)
		name := "User search in " + displayDN(base)
		r.begin()
		var res *ldap.SearchResult
		err := r.do(func() (err error) {
			res, err = r.conn.Search(ldap.NewSearchRequest(base, scope, ldap.NeverDerefAliases, 2, int(r.opt.ReadTimeout/time.Second), false,
				filter, r.userAttributes(), nil))
			return err
		})
		what := fmt.Sprintf("scope %s, filter %s", scopeName, filter)
		if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded) {
			r.searchFailure(StepUserSearch, name, base, what, err)
			continue
		}
		r.reportReferrals(res)
		switch n := len(res.Entries); {
		case n == 0:
			empty++
			r.emit(Step{Kind: StepUserSearch, Name: name, Status: StatusWarn, Reason: ReasonNotFound,
				Detail: what + ": no entry"})
		case n > 1:
			dns := []string{res.Entries[0].DN, res.Entries[1].DN}
			more := ""
			if err != nil {
				more = " and more"
			}
			r.emit(Step{Kind: StepUserSearch, Name: name, Status: StatusFail, Reason: ReasonAmbiguous,
				Detail: fmt.Sprintf("%s: several entries (%s%s): the server refuses the login", what, strings.Join(dns, "; "), more),
				Hint:   "the username must match one entry: make the filter or the search base more specific"})
		default:
			entry := res.Entries[0]
			r.res.UserFound, r.res.UserDN, r.res.SearchBase = true, entry.DN, base
			r.emit(Step{Kind: StepUserSearch, Name: name, Status: StatusOK, Detail: what + ": found " + entry.DN})
			if r.userBind(entry.DN, "User bind "+entry.DN) {
				r.userEntry = entry
				return
			}
		}
	}
	if !r.res.UserFound && !r.dead && empty == len(bases) {
		r.emit(Step{Kind: StepUserSearch, Name: "User lookup", Status: StatusFail, Reason: ReasonNotFound,
			Detail: fmt.Sprintf("%q not found under any search base", r.opt.Username),
			Hint: "check the username, search.base (relative to the URL's base DN), search.subTree and the filter's attribute (uid, sAMAccountName, mail...); " +
				"if the entry is there, access controls may hide it from " + r.searcher()})
	}
}

// filterValue escapes s as an assertion value of a filter (RFC 4515): the
// characters that change a filter's meaning (* ( ) \ NUL) and control bytes
// become \xx; letters beyond ASCII stay as they are, as JNDI (the vendor's
// LDAP client) leaves them, so that "(cn=Zoë)" reads as typed (go-ldap's
// EscapeFilter would show "(cn=Zo\c3\ab)"). Invalid UTF-8 is escaped byte
// by byte.
func filterValue(s string) string {
	if !utf8.ValidString(s) {
		return ldap.EscapeFilter(s)
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '*' || c == '(' || c == ')' || c == '\\' || c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, "\\%02x", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func displayDN(dn string) string {
	if dn == "" {
		return "the root DSE"
	}
	return dn
}

// searchFailure reports a search from base that ended in an error other
// than results.
func (r *runner) searchFailure(kind StepKind, name, base, what string, err error) {
	if ldapCode(err) < 0 {
		detail, hint, reason := r.explainNetwork(err, what)
		r.dead = true
		r.emit(Step{Kind: kind, Name: name, Status: StatusFail, Detail: detail, Hint: hint, Reason: reason})
		return
	}
	if ldap.IsErrorWithCode(err, ldap.LDAPResultReferral) {
		r.emit(Step{Kind: StepReferral, Name: name, Status: StatusInfo, Reason: ReasonReferral,
			Detail: what + ": the server refers elsewhere: " + strings.Join(referralURIs(err), ", "),
			Hint:   "referrals are not followed by this test; point url at the server that holds this base (Active Directory: the global catalog, port 3268/3269)"})
		return
	}
	st := Step{Kind: kind, Name: name, Status: StatusFail, Detail: what + ": " + describeLDAPError(err)}
	st.Hint, st.Reason = explainResult(err)
	var le *ldap.Error
	switch {
	case st.Reason == ReasonNoSuchObject && errors.As(err, &le):
		st.Detail, st.Hint = r.missingEntry("base "+displayDN(base), base, le.MatchedDN)
	case st.Reason == ReasonAccess && r.s.Search.ManagerDN == "":
		st.Hint = "anonymous searches may not read there: set search.managerDn (and its password) to an account that may"
	}
	r.emit(st)
}

// searcher names the identity searches run as, for details about access.
func (r *runner) searcher() string {
	if r.s.Search.ManagerDN == "" {
		return "anonymous searches"
	}
	return "the manager " + r.s.Search.ManagerDN
}

// missingEntry explains "no such object" for dn (what names it). The
// matched DN is the deepest entry the server admits to. OpenLDAP leaves it
// empty when access controls hide the entry, even when the entries above it
// are readable (verified with slapd 2.5), so an empty matched DN does not
// mean that nothing exists above dn.
func (r *runner) missingEntry(what, dn, matched string) (detail, hint string) {
	if matched == "" {
		detail = fmt.Sprintf("%s: no such object, and the server shows no entry above it either: access controls hide it from %s, or it lies outside the directory", what, r.searcher())
		hint = "if it exists, let " + r.searcher() + " read it (or use another managerDn); otherwise check the URL's base DN and this base"
		if r.s.Search.ManagerDN == "" {
			hint = "if it exists, anonymous searches may not see it: set search.managerDn to an account that may; otherwise check the URL's base DN and this base"
		}
		return detail, hint
	}
	return fmt.Sprintf("%s does not exist; the deepest existing entry is %q", what, matched),
		fmt.Sprintf("nothing named %s exists under %s: correct it (it is relative to the URL's base DN)", missingPart(dn, matched), matched)
}

// missingPart is the part of dn in front of its existing ancestor matched,
// e.g. "ou=nope" for ou=nope,dc=example,dc=com under dc=example,dc=com.
func missingPart(dn, matched string) string {
	d, err1 := ldap.ParseDN(dn)
	m, err2 := ldap.ParseDN(matched)
	if err1 != nil || err2 != nil || len(d.RDNs) <= len(m.RDNs) {
		return dn
	}
	var parts []string
	for _, rdn := range d.RDNs[:len(d.RDNs)-len(m.RDNs)] {
		parts = append(parts, rdn.String())
	}
	return strings.Join(parts, ",")
}

// reportReferrals says which references the server returned: information,
// not failure (Active Directory adds DomainDnsZones and friends).
func (r *runner) reportReferrals(res *ldap.SearchResult) {
	if res == nil || len(res.Referrals) == 0 {
		return
	}
	r.emit(Step{Kind: StepReferral, Name: "Referrals", Status: StatusInfo, Reason: ReasonReferral,
		Detail: "the server also returned references (not followed): " + strings.Join(res.Referrals, ", ")})
}

// patternBind binds with the DN pattern, the first thing the server tries.
func (r *runner) patternBind() {
	dn := joinDN(strings.ReplaceAll(r.s.UserDNPattern, "{0}", ldap.EscapeDN(r.opt.Username)), r.ep.BaseDN)
	if !r.userBind(dn, "User bind (DN pattern) "+dn) {
		return
	}
	r.res.UserFound, r.res.UserDN = true, dn
	// Read the entry as the user, as the server does after a pattern bind.
	r.begin()
	var res *ldap.SearchResult
	err := r.do(func() (err error) {
		res, err = r.conn.Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, int(r.opt.ReadTimeout/time.Second), false,
			"(objectClass=*)", r.userAttributes(), nil))
		return err
	})
	if err == nil && len(res.Entries) == 1 {
		r.userEntry = res.Entries[0]
		r.stepStart = time.Time{}
		return
	}
	if err != nil && ldapCode(err) < 0 {
		detail, hint, reason := r.explainNetwork(err, "reading the user's entry")
		r.dead = true
		r.emit(Step{Kind: StepUserSearch, Name: "Read " + dn, Status: StatusFail, Detail: detail, Hint: hint, Reason: reason})
		return
	}
	r.emit(Step{Kind: StepUserSearch, Name: "Read " + dn, Status: StatusWarn, Reason: ReasonAccess,
		Detail: "the user can bind but cannot read their own entry", Hint: "let users read their entry, or email and groups stay empty"})
}

// userBind binds as dn with the test password and reports it.
func (r *runner) userBind(dn, name string) bool {
	r.begin()
	err := r.do(func() error { return r.conn.Bind(dn, r.opt.Password) })
	if err == nil {
		r.bound = "user"
		r.res.Authenticated = true
		r.emit(Step{Kind: StepUserBind, Name: name, Status: StatusOK, Detail: "password accepted for " + dn})
		return true
	}
	r.bound = "" // a failed bind leaves the connection anonymous
	st := r.bindFailure(StepUserBind, name, err)
	if st.Reason == ReasonInvalidCredentials {
		st.Detail = "password refused for " + dn + " (" + describeLDAPError(err) + ")"
		if code, meaning := adReason(err); code != "" {
			st.Detail += fmt.Sprintf(" (Active Directory data %s: %s)", code, meaning)
		}
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
			st.Hint = "check the username and userDnPattern (relative to the URL's base DN)"
		case known:
			st.Detail = "wrong password for " + dn + " (the entry exists)"
			st.Hint = lockoutHint
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

func (r *runner) email() {
	r.begin()
	attr := r.s.EmailAttribute
	name := "Email attribute " + attr
	switch {
	case attr == "":
		r.emit(Step{Kind: StepEmail, Name: "Email attribute", Status: StatusSkip, Detail: "emailAttribute is empty: users get no email address"})
		return
	case r.userEntry == nil:
		r.emit(Step{Kind: StepEmail, Name: name, Status: StatusSkip, Detail: "the user's entry could not be read"})
		return
	}
	if v := r.userEntry.GetEqualFoldAttributeValue(attr); v != "" {
		r.res.Email = v
		r.emit(Step{Kind: StepEmail, Name: name, Status: StatusOK, Detail: attr + ": " + v})
		return
	}
	var names []string
	for _, a := range r.userEntry.Attributes {
		names = append(names, a.Name)
	}
	r.emit(Step{Kind: StepEmail, Name: name, Status: StatusWarn, Reason: ReasonNoEmail,
		Detail: fmt.Sprintf("%s has no %s; its attributes: %s", r.userEntry.DN, attr, strings.Join(names, ", ")),
		Hint:   "set emailAttribute to the one holding the address (often mail or userPrincipalName), or fill it in the directory"})
}

func (r *runner) groupStep(g GroupSetting) {
	r.begin()
	strategy := strings.ToLower(g.Strategy)
	base := joinDN(g.BaseDN, r.ep.BaseDN)
	name := fmt.Sprintf("Groups %s (%s)", g.Name, strategy)
	var found []Group
	var detail string
	truncated := false // the server's size limit cut the group list
	switch strategy {
	case StrategyHierarchical:
		dn, _ := ldap.ParseDN(r.res.UserDN)
		var ous []string
		if dn != nil && len(dn.RDNs) > 1 {
			for _, rdn := range dn.RDNs[1:] { // the user's own RDN is no group
				for _, a := range rdn.Attributes {
					if strings.EqualFold(a.Type, "ou") {
						ous = append(ous, a.Value)
						found = append(found, Group{Setting: g.Name, Name: a.Value})
					}
				}
			}
		}
		detail = "the OUs of " + r.res.UserDN + ": " + listOrNone(ous)
	case StrategyDynamic:
		if r.userEntry == nil {
			r.emit(Step{Kind: StepGroups, Name: name, Status: StatusSkip, Detail: "the user's entry could not be read"})
			return
		}
		var outside []string
		for _, v := range r.userEntry.GetEqualFoldAttributeValues(g.MemberAttribute) {
			gr := Group{Setting: g.Name, Name: rdnValue(v, g.NameAttribute), DN: v}
			if g.BaseDN != "" && !underBase(v, base) {
				outside = append(outside, v)
				continue
			}
			found = append(found, gr)
		}
		detail = fmt.Sprintf("%s of %s", g.MemberAttribute, r.res.UserDN)
		if g.BaseDN != "" {
			detail += " under " + base
		}
		detail += ": " + groupNames(found)
		if len(outside) > 0 {
			detail += fmt.Sprintf("; ignored outside %s: %s", base, strings.Join(outside, "; "))
		}
	default:
		if err := r.ensureManager(); err != nil {
			r.emit(r.bindFailure(StepGroups, name, err))
			return
		}
		filter := fmt.Sprintf("(%s=%s)", g.MemberAttribute, filterValue(r.res.UserDN))
		if f := NormalizedFilter(g.Filter); f != "" {
			filter = "(&" + f + filter + ")"
		}
		scope, scopeName := ldap.ScopeWholeSubtree, "sub-tree"
		if !g.SubTree {
			scope, scopeName = ldap.ScopeSingleLevel, "one level"
		}
		what := fmt.Sprintf("base %s, scope %s, filter %s", displayDN(base), scopeName, filter)
		var res *ldap.SearchResult
		err := r.do(func() (err error) {
			res, err = r.conn.Search(ldap.NewSearchRequest(base, scope, ldap.NeverDerefAliases, 0, int(r.opt.ReadTimeout/time.Second), false,
				filter, []string{g.NameAttribute}, nil))
			return err
		})
		partial := ldap.IsErrorAnyOf(err, ldap.LDAPResultSizeLimitExceeded, ldap.LDAPResultAdminLimitExceeded)
		if err != nil && !partial {
			r.searchFailure(StepGroups, name, base, what, err)
			return
		}
		r.reportReferrals(res)
		for _, e := range res.Entries {
			n := e.GetEqualFoldAttributeValue(g.NameAttribute)
			if n == "" {
				n = rdnValue(e.DN, g.NameAttribute)
			}
			found = append(found, Group{Setting: g.Name, Name: n, DN: e.DN})
		}
		detail = what + ": " + groupNames(found)
		if partial {
			detail += " (the server's size limit cut the list: there may be more)"
			truncated = true
		}
	}
	r.res.Groups = append(r.res.Groups, found...)
	switch {
	case truncated:
		// The user may be missing groups: say so instead of a plain ✓.
		r.emit(Step{Kind: StepGroups, Name: name, Status: StatusWarn, Reason: ReasonSizeLimit, Detail: detail,
			Hint: fmt.Sprintf("the directory cut the list at %d for %s: raise its size limit for that account, or narrow baseDn and filter to the groups that matter", len(found), r.searcher())})
	case len(found) == 0:
		r.emit(Step{Kind: StepGroups, Name: name, Status: StatusWarn, Reason: ReasonNoGroups, Detail: detail, Hint: groupHint(g, strategy, r)})
	default:
		r.emit(Step{Kind: StepGroups, Name: name, Status: StatusOK, Detail: detail})
	}
}

func groupHint(g GroupSetting, strategy string, r *runner) string {
	switch strategy {
	case StrategyHierarchical:
		return "the user's DN has no ou= parts: hierarchical needs users placed in OUs named like the groups"
	case StrategyDynamic:
		return "the user entry has no " + g.MemberAttribute + " values under the group base (OpenLDAP: enable the memberof overlay; the manager must be allowed to read it)"
	}
	alt := ""
	if r.res.SearchBase != "" && r.res.SearchBase != r.ep.BaseDN {
		alt = "; if the server reads baseDn relative to the search base it would be " + joinDN(g.BaseDN, r.res.SearchBase)
	}
	return "check memberAttribute (member for groupOfNames, uniqueMember for groupOfUniqueNames), filter and baseDn" + alt
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

func groupNames(gs []Group) string {
	var names []string
	for _, g := range gs {
		names = append(names, g.Name)
	}
	return fmt.Sprintf("%d group(s) %s", len(gs), listOrNone(names))
}

// rdnValue returns the value of attr in the first RDN of dn, or the first
// RDN's value when attr is not there.
func rdnValue(dn, attr string) string {
	parsed, err := ldap.ParseDN(dn)
	if err != nil || len(parsed.RDNs) == 0 || len(parsed.RDNs[0].Attributes) == 0 {
		return dn
	}
	for _, a := range parsed.RDNs[0].Attributes {
		if strings.EqualFold(a.Type, attr) {
			return a.Value
		}
	}
	return parsed.RDNs[0].Attributes[0].Value
}

func underBase(dn, base string) bool {
	d, err1 := ldap.ParseDN(dn)
	b, err2 := ldap.ParseDN(base)
	if err1 != nil || err2 != nil {
		return false
	}
	return b.AncestorOfFold(d) || b.EqualFold(d)
}

// summary is always the last step: the verdict in one line.
func (r *runner) summary() {
	st := Step{Kind: StepSummary, Name: "Summary", Status: StatusFail}
	var parts []string
	switch {
	case r.res.Canceled:
		parts = append(parts, "canceled")
		st.Reason = ReasonCanceled
	case r.res.OK():
		st.Status = StatusOK
		parts = append(parts, fmt.Sprintf("%q found and authenticated as %s", r.opt.Username, r.res.UserDN))
		if r.res.Email != "" {
			parts = append(parts, "email "+r.res.Email)
		}
		for _, g := range r.groups {
			var names []string
			for _, gr := range r.res.Groups {
				if gr.Setting == g.Name {
					names = append(names, gr.Name)
				}
			}
			parts = append(parts, "groups "+g.Name+": "+listOrNone(names))
		}
	case r.res.UserFound:
		parts = append(parts, fmt.Sprintf("%q found as %s but not authenticated", r.opt.Username, r.res.UserDN))
		st.Reason = ReasonInvalidCredentials
	default:
		parts = append(parts, fmt.Sprintf("%q could not log in", r.opt.Username))
		for i := len(r.res.Steps) - 1; i >= 0; i-- {
			if s := r.res.Steps[i]; s.Status == StatusFail {
				parts = append(parts, "failed at: "+s.Name)
				st.Reason = s.Reason
				break
			}
		}
	}
	if r.s.InsecureSkipVerify && (r.ep.TLS() || r.s.StartTLS) {
		parts = append([]string{"CERTIFICATES NOT VERIFIED (insecureSkipVerify)"}, parts...)
		if st.Status == StatusOK {
			st.Status, st.Reason = StatusWarn, ReasonNotVerified
		}
		st.Hint = "remove insecureSkipVerify and set caFile: the result holds only if nobody impersonates the server"
	}
	warnings, failed := 0, 0
	var firstFailed Step
	for _, s := range r.res.Steps {
		switch s.Status {
		case StatusWarn:
			warnings++
		case StatusFail:
			if failed == 0 {
				firstFailed = s
			}
			failed++
		}
	}
	if st.Status != StatusFail {
		// The login works, but a later step (groups) failed: a ✓ summary
		// that only counted warnings would hide it.
		if failed > 0 {
			parts = append(parts, fmt.Sprintf("%d step(s) failed above (first: %s)", failed, firstFailed.Name))
			if st.Status == StatusOK {
				st.Status, st.Reason = StatusWarn, firstFailed.Reason
			}
		}
		if warnings > 0 {
			parts = append(parts, fmt.Sprintf("%d warning(s) above", warnings))
		}
	}
	st.Detail = strings.Join(parts, "; ")
	r.emit(st)
}
