// Step 2: a TCP connection to each listener, and the listener's first
// answer: a listener that accepts and never answers is found here, within
// one timeout, and nothing later waits on it.

package doorcheck

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// listenerInfo is one address and port that doors share.
type listenerInfo struct {
	key    string
	host   string // the first door's name: SNI and Host of the probe
	port   int
	tls    bool
	addrs  []netip.Addr
	docker bool // only Docker doors use it

	mu   sync.Mutex
	dead bool   // not connectable or silent: later steps skip its doors
	why  string // why, for the summary
	addr string // the address that answered
}

func (l *listenerInfo) kill(why string) {
	l.mu.Lock()
	l.dead, l.why = true, why
	l.mu.Unlock()
}

func (l *listenerInfo) alive() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return !l.dead
}

// listenerOf returns the listener a door reaches, or nil when its name did
// not resolve (the DNS step said so).
func (r *runner) listenerOf(d Door) *listenerInfo {
	res := r.net.lookup(r.ctx, d.Host, d.Port)
	if res.err != nil {
		return nil
	}
	key := addrList(res.addrs) + " port " + strconv.Itoa(d.Port)
	r.mu.Lock()
	defer r.mu.Unlock()
	l, ok := r.listeners[key]
	if !ok {
		l = &listenerInfo{key: key, host: d.Host, port: d.Port, tls: d.Scheme == "https", addrs: res.addrs, docker: d.Role == RoleDocker}
		r.listeners[key] = l
	}
	if d.Role != RoleDocker {
		l.docker = false
	}
	return l
}

// alive reports whether later steps may talk to door d.
func (r *runner) alive(d Door) bool {
	l := r.listenerOf(d)
	return l != nil && l.alive() && r.ctx.Err() == nil
}

func (r *runner) connectTasks() []func() []Step {
	var main, docker []*listenerInfo
	seen := map[*listenerInfo]bool{}
	for _, d := range r.plan.Doors {
		l := r.listenerOf(d)
		if l == nil || seen[l] {
			continue
		}
		seen[l] = true
		if d.Role == RoleDocker {
			docker = append(docker, l)
		} else {
			main = append(main, l)
		}
	}
	var tasks []func() []Step
	for _, l := range main {
		tasks = append(tasks, func() []Step { return []Step{timed(func() Step { return r.connectStep(l) })} })
	}
	var group []*listenerInfo
	for _, l := range docker {
		if l.docker { // not shared with a main door after all
			group = append(group, l)
		}
	}
	if len(group) == 1 {
		tasks = append(tasks, func() []Step { return []Step{timed(func() Step { return r.connectStep(group[0]) })} })
	} else if len(group) > 1 {
		tasks = append(tasks, func() []Step { return []Step{timed(func() Step { return r.connectGroup(group) })} })
	}
	return tasks
}

// connectStep connects to one listener and waits for its first answer.
func (r *runner) connectStep(l *listenerInfo) Step {
	st := Step{Kind: KindConnect, Name: "Connect " + net.JoinHostPort(l.host, strconv.Itoa(l.port)), Target: net.JoinHostPort(l.host, strconv.Itoa(l.port))}
	if c, ok := r.canceledStep(st.Kind, st.Name, st.Target); ok {
		return c
	}
	st.Status, st.Reason, st.Detail = r.probeListener(l)
	return st
}

// connectGroup connects to the listeners only Docker doors use (the ports
// method's) and reports them as one step.
func (r *runner) connectGroup(ls []*listenerInfo) Step {
	st := Step{Kind: KindConnect, Name: fmt.Sprintf("Connect to the %d Docker listeners", len(ls)), Target: ls[0].host}
	if c, ok := r.canceledStep(st.Kind, st.Name, st.Target); ok {
		return c
	}
	outs := r.probeEach(len(ls), func(i int) (Status, Reason, string) { return r.probeListener(ls[i]) })
	st.Status = StatusOK
	var bad []string
	for i, o := range outs {
		if o.status == StatusFail {
			if st.Status != StatusFail {
				st.Status, st.Reason, st.Target = StatusFail, o.reason, net.JoinHostPort(ls[i].host, strconv.Itoa(ls[i].port))
			}
			bad = append(bad, fmt.Sprintf("port %d: %s", ls[i].port, o.detail))
		}
	}
	if len(bad) > 0 {
		st.Detail = fmt.Sprintf("%d of %d fail: %s", len(bad), len(ls), listSome(bad, 4))
	} else {
		st.Detail = fmt.Sprintf("all %d accept connections and answer", len(ls))
	}
	return st
}

// probeListener connects and reads the listener's first answer: a TLS
// handshake on a TLS port, a HEAD request on a plain one.
func (r *runner) probeListener(l *listenerInfo) (Status, Reason, string) {
	ctx, cancel := context.WithTimeout(r.ctx, r.opt.Timeout)
	defer cancel()
	start := time.Now()
	conn, err := r.net.dial(ctx, l.host, l.port)
	if err != nil {
		reason, words := netReason(err)
		if reason == ReasonTimeout {
			reason, words = ReasonConnectTimeout, "not accepted within "+r.opt.Timeout.String()
		}
		l.kill(words)
		return StatusFail, reason, fmt.Sprintf("%s (%s)", words, addrList(l.addrs))
	}
	defer conn.Close()
	l.addr = conn.RemoteAddr().String()
	connected := since(start)
	_ = conn.SetDeadline(time.Now().Add(r.opt.Timeout))
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if l.tls {
		tc := tls.Client(conn, &tls.Config{ServerName: sniName(l.host), InsecureSkipVerify: true, MinVersion: tls.VersionTLS10})
		err = tc.HandshakeContext(ctx)
		if err == nil {
			return StatusOK, ReasonNone, fmt.Sprintf("%s in %s; answers TLS", l.addr, connected)
		}
		reason, words := netReason(err)
		switch reason {
		case ReasonTLSHandshake, ReasonClientCertRequired:
			// It answered: the TLS step says what is wrong with the answer.
			return StatusOK, ReasonNone, fmt.Sprintf("%s in %s; answers TLS (%s)", l.addr, connected, words)
		case ReasonTimeout:
			l.kill("accepts but never answers")
			return StatusFail, ReasonSilent, fmt.Sprintf("%s accepted the connection, then sent nothing for %s (no TLS handshake)", l.addr, r.opt.Timeout)
		case ReasonNotTLS:
			l.kill("answers plain HTTP, not TLS")
			return StatusFail, ReasonNotTLS, fmt.Sprintf("%s answers plain HTTP on a port clients reach with https://", l.addr)
		}
		l.kill(words)
		return StatusFail, reason, fmt.Sprintf("%s: %s", l.addr, words)
	}
	// GET, not HEAD: nginx and Apache say "plain HTTP to a TLS port" in the body.
	req := "GET / HTTP/1.1\r\nHost: " + hostHeader(l.host, l.port, "http") + "\r\nUser-Agent: " + userAgent + "\r\nConnection: close\r\n\r\n"
	if _, err := io.WriteString(conn, req); err != nil {
		reason, words := netReason(err)
		l.kill(words)
		return StatusFail, reason, fmt.Sprintf("%s: %s", l.addr, words)
	}
	buf := make([]byte, 2048)
	n, err := readAnswer(conn, buf, r.opt.Timeout)
	switch {
	case n >= 5 && bytes.HasPrefix(buf, []byte("HTTP/")):
		if plainToTLS(buf[:n]) {
			l.kill("speaks TLS")
			return StatusFail, ReasonTLSOnPlainPort, fmt.Sprintf("%s answers 400: a TLS port, where clients use http://", l.addr)
		}
		return StatusOK, ReasonNone, fmt.Sprintf("%s in %s; answers HTTP", l.addr, connected)
	case n > 0 && (buf[0] == 0x15 || buf[0] == 0x16):
		l.kill("speaks TLS")
		return StatusFail, ReasonTLSOnPlainPort, fmt.Sprintf("%s answers with TLS where clients use http://", l.addr)
	case err != nil && isTimeout(err) && n == 0:
		l.kill("accepts but never answers")
		return StatusFail, ReasonSilent, fmt.Sprintf("%s accepted the connection, then sent nothing for %s (no HTTP answer)", l.addr, r.opt.Timeout)
	case err != nil:
		reason, words := netReason(err)
		if reason == ReasonNetwork {
			reason = ReasonClosed
		}
		l.kill(words)
		return StatusFail, reason, fmt.Sprintf("%s: %s", l.addr, words)
	}
	l.kill("answers something else than HTTP")
	return StatusFail, ReasonUnexpected, fmt.Sprintf("%s answers something else than HTTP: %q", l.addr, buf[:min(n, 40)])
}

// readAnswer reads the start of an answer into buf: the first bytes within
// timeout, then what follows them promptly (the server closes after it:
// Connection: close). err is nil when anything arrived.
func readAnswer(conn net.Conn, buf []byte, timeout time.Duration) (int, error) {
	n, err := conn.Read(buf)
	if n == 0 {
		return 0, err
	}
	_ = conn.SetReadDeadline(time.Now().Add(min(timeout, 500*time.Millisecond)))
	for n < len(buf) && err == nil {
		var m int
		m, err = conn.Read(buf[n:])
		n += m
	}
	return n, nil
}

// plainToTLS recognizes nginx's and Apache's answers to plain HTTP sent to
// a TLS port.
func plainToTLS(b []byte) bool {
	s := string(b)
	return strings.Contains(s, "plain HTTP request was sent to HTTPS port") || strings.Contains(s, "speaking plain HTTP to an SSL-enabled")
}

// sniName is the server name a client sends: none for an address.
func sniName(host string) string {
	if isAddr(host) {
		return ""
	}
	return host
}

// hostHeader is host[:port] as a client sends it.
func hostHeader(host string, port int, scheme string) string {
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port == defaultPort(scheme) {
		return host
	}
	return host + ":" + strconv.Itoa(port)
}
