package standin

// Connections as Artifactory's Tomcat keeps them. When a servlet answers an
// upload without reading its body (a 401 without credentials, a 404 for an
// unknown upload session), Tomcat sends the answer at once, then reads and
// discards the rest of the body, up to its maxSwallowSize (2 MiB by
// default), so that the connection can carry the next request, as its
// keep-alive answer promised. Only a longer body makes it close the
// connection. With "Expect: 100-continue" and the body unread it closes the
// connection instead, and says so (Connection: close).
//
// Go's server in full-duplex mode (which the stand-in needs to answer before
// the body is read) does otherwise: after the handler it reads at most 256
// KiB and then closes the connection, although its answer did not say
// "Connection: close"; and when that read reaches the end of a shorter body,
// it panics on the next request ("invalid concurrent Body.Read call") and
// drops the connection unanswered. A proxy that pools backend connections
// reuses such a connection and reads nothing back: Apache answered 502
// ("AH01102: error reading status line from remote server") to the request
// it sent on the connection of frontdoor check's streaming probe (256 KiB,
// answered 401 unread), which Tomcat would have kept open.

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
)

// maxSwallow is Tomcat's default maxSwallowSize.
const maxSwallow = 2 << 20

// tomcatConn wraps a handler: answers go out before the request body is read
// (full duplex), and an unread body is then swallowed as Tomcat does.
func tomcatConn(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Without full duplex Go's server would read up to 256 KiB of an
		// unread body before it sends an early answer.
		_ = http.NewResponseController(w).EnableFullDuplex()
		if r.ContentLength == 0 {
			h.ServeHTTP(w, r)
			return
		}
		// The answer is held until the handler returns and then sent
		// whole (with its Content-Length), so the client has all of it
		// while the body is swallowed. Answers to requests with a body are
		// small (202, 201, 401, 404...).
		body := &eofReader{r: r.Body}
		r.Body = body
		a := &heldAnswer{w: w}
		h.ServeHTTP(a, r)
		a.WriteHeader(http.StatusOK) // what a handler that wrote nothing answers
		// Go's server refuses every Expect but 100-continue (417).
		if r.Header.Get("Expect") != "" && !body.eof && (a.status < 200 || a.status > 299) {
			w.Header().Set("Connection", "close")
			a.send()
			closeConn(w)
			return
		}
		a.send()
		if n, _ := io.CopyN(io.Discard, body, maxSwallow+1); n > maxSwallow {
			closeConn(w)
		}
	})
}

// closeConn closes the connection once the answer is out, as Tomcat does
// after an unmet expectation or an upload longer than maxSwallowSize. Go's
// server would read on for 256 KiB first (and, should it reach the end of
// the body there, read the next request concurrently and panic on it).
func closeConn(w http.ResponseWriter) {
	if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
		_ = c.Close()
	}
}

// eofReader remembers whether the body was read to its end.
type eofReader struct {
	r   io.ReadCloser
	eof bool
}

func (e *eofReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if errors.Is(err, io.EOF) {
		e.eof = true
	}
	return n, err
}

func (e *eofReader) Close() error { return e.r.Close() }

// heldAnswer keeps a handler's answer until send.
type heldAnswer struct {
	w      http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (a *heldAnswer) Header() http.Header { return a.w.Header() }

func (a *heldAnswer) WriteHeader(status int) {
	if a.status == 0 {
		a.status = status
	}
}

func (a *heldAnswer) Write(p []byte) (int, error) {
	a.WriteHeader(http.StatusOK)
	return a.body.Write(p)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (a *heldAnswer) Unwrap() http.ResponseWriter { return a.w }

// send writes the answer with its length and flushes it.
func (a *heldAnswer) send() {
	if a.status != http.StatusNoContent && a.status != http.StatusNotModified {
		a.w.Header().Set("Content-Length", strconv.Itoa(a.body.Len()))
	}
	a.w.WriteHeader(a.status)
	_, _ = a.w.Write(a.body.Bytes())
	_ = http.NewResponseController(a.w).Flush()
}
