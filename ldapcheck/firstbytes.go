package ldapcheck

// When an exchange breaks, what the server sent first tells a port that
// speaks something other than LDAP (an HTTP server answers a bind request
// with "HTTP/1.1 400 Bad Request") from a TLS-only port, which closes the
// connection on plain LDAP without a word.

import (
	"bytes"
	"fmt"
	"net"
	"sync"
	"unicode/utf8"
)

// firstBytesKept is how much of what the server sent is kept.
const firstBytesKept = 64

// recordingConn keeps the first bytes read from the socket (go-ldap reads
// on a goroutine of its own, hence the lock).
type recordingConn struct {
	net.Conn
	mu    sync.Mutex
	first []byte
}

func (c *recordingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.mu.Lock()
		if k := firstBytesKept - len(c.first); k > 0 {
			c.first = append(c.first, p[:min(n, k)]...)
		}
		c.mu.Unlock()
	}
	return n, err
}

// received is a copy of the first bytes the server sent.
func (c *recordingConn) received() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Clone(c.first)
}

// notLDAP says what the server's first bytes look like when they are not
// LDAP ("" when they are, or when it sent nothing). An LDAP message is a
// BER SEQUENCE (0x30); on ldaps:// the socket first carries a TLS
// handshake record (0x16).
func notLDAP(first []byte, ldaps bool) string {
	switch {
	case len(first) == 0, first[0] == 0x30, ldaps && first[0] == 0x16:
		return ""
	case bytes.HasPrefix(first, []byte("HTTP/")):
		return "it looks like HTTP: " + Quote(firstLine(first))
	case len(first) >= 2 && (first[0] == 0x15 || first[0] == 0x16) && first[1] == 0x03:
		return "it looks like TLS"
	case bytes.HasPrefix(first, []byte("SSH-")):
		return "it looks like SSH: " + Quote(firstLine(first))
	}
	if line := firstLine(first); utf8.ValidString(line) && printable(line) {
		return "it begins " + Quote(line)
	}
	return fmt.Sprintf("it begins with the bytes % x", first[:min(len(first), 8)])
}

// firstLine is the text up to the first line break.
func firstLine(b []byte) string {
	if i := bytes.IndexAny(b, "\r\n"); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

func printable(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return s != ""
}

// received is what the server sent first on this run's socket (nil before
// a connection).
func (r *runner) received() []byte {
	if r.rec == nil {
		return nil
	}
	return r.rec.received()
}
