// Steps 2 and 3: DNS and TCP connect, and the deadlines on the socket that
// every later exchange runs under.

package ldapcheck

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"
)

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
			r.rec = &recordingConn{Conn: c}
			r.raw = r.rec
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
		Detail: fmt.Sprintf("connected to %s from %s", raw.RemoteAddr(), raw.LocalAddr()) + globalCatalogNote(r.ep.Port)})
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

// aside runs an optional exchange (the root DSE, the lockout policy,
// looking wider, indirect groups): its LDAP errors are only information,
// but a broken connection ends the run, reported once by reportLost.
func (r *runner) aside(f func() error) error {
	err := r.do(f)
	if err != nil && ldapCode(err) < 0 && r.asideErr == nil {
		r.asideErr, r.dead = err, true
	}
	return err
}

// reportLost reports the optional exchange that broke the connection as a
// failed step of kind; false when none did.
func (r *runner) reportLost(kind StepKind, name string) bool {
	if r.asideErr == nil || r.lostReported {
		return false
	}
	r.lostReported = true
	detail, hint, reason := r.explainNetwork(r.asideErr, strings.ToLower(name[:1])+name[1:])
	r.emit(Step{Kind: kind, Name: name, Status: StatusFail, Detail: detail, Hint: hint, Reason: reason})
	return true
}

// startLDAP wraps the (possibly TLS) socket in an LDAP connection.
func (r *runner) startLDAP(c net.Conn, isTLS bool) {
	r.conn = ldap.NewConn(c, isTLS)
	r.conn.Start()
	r.conn.SetTimeout(r.opt.ReadTimeout)
}

// globalCatalogNote explains Active Directory's global catalog ports.
func globalCatalogNote(port string) string {
	if port != "3268" && port != "3269" {
		return ""
	}
	return "; port " + port + " is Active Directory's global catalog: searches see the whole forest and return no referrals, " +
		"but only the attributes it replicates (sAMAccountName, userPrincipalName, mail and memberOf are among them; memberOf there lists universal groups from other domains only)"
}
