// Step 7 without credentials: the request-streaming probe. It finds a door
// that buffers request bodies, and a door whose body limit is below
// probeBody (nginx's client_max_body_size is 1m unless set; ingress-nginx's
// proxy-body-size too): a Docker layer larger than the limit fails with 413.

package doorcheck

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dustin/go-humanize"

	"frontdoor/render"
)

// The streaming probe sends streamHead bytes, holds the rest back while it
// waits for an answer, then sends the rest, probeBody in all. probeBody is
// past the common body limits, and no more than Artifactory's Tomcat
// swallows of a body it answered unread (maxSwallowSize, 2 MiB), so even
// behind a buffering door its connection is kept as for a small request.
const (
	streamHead = 64 << 10
	probeBody  = 2 << 20
)

// ProbeBodySize is the largest body the check sends without credentials:
// without an upload (--user --upload-size) a body limit above it is not
// found.
const ProbeBodySize = probeBody

// probeAnswer is one held exchange: the answer (or the error), and whether
// it came while the body was held back (an early answer).
type probeAnswer struct {
	a    answer
	err  error
	held bool
}

// streamingStep: Artifactory answers an upload to an unknown session (or
// without credentials) as soon as it has the headers. A door that streams
// the body passes that answer back while the client is still sending; a
// door that buffers sends nothing to Artifactory, so nothing comes back,
// until the whole body is in. A door that streams gives no chance to send
// past its body limit before Artifactory answers, so it is asked again with
// the size declared (Content-Length), which a limit refuses at once.
func (r *runner) streamingStep(d Door) Step {
	st := Step{Kind: KindStreaming, Name: "Request streaming on " + d.URL(), Target: d.URL()}
	if c, ok := r.canceledStep(st.Kind, st.Name, st.Target); ok {
		return c
	}
	path := "/v2/" + r.image(d) + "/blobs/uploads/frontdoor-check-" + randomHex(8)
	res := r.heldExchange(d, path, -1) // chunked, as Docker sends layers
	if res.err != nil {
		return failNet(st, res.err)
	}
	a := res.a
	r.learnProvider(a)
	size := humanize.IBytes(probeBody)
	switch {
	case a.status == http.StatusRequestEntityTooLarge:
		st.Status, st.Reason = StatusFail, ReasonTooLarge
		st.Detail = fmt.Sprintf("%s answered 413 to a chunked body of %s: a Docker layer larger than its limit fails the same way", a.server(), size)
	case a.status == http.StatusLengthRequired:
		st.Status, st.Reason = StatusFail, ReasonLengthRequired
		st.Detail = fmt.Sprintf("%s answered 411: it wants Content-Length", a.server())
	case !a.fromArtifactory():
		st.Status, st.Reason = StatusFail, ReasonUnexpected
		st.Detail = fmt.Sprintf("%s answered %s itself to a chunked PATCH", a.server(), a.statusText())
		if a.status == http.StatusBadGateway || a.status == http.StatusServiceUnavailable || a.status == http.StatusGatewayTimeout {
			st.Reason = ReasonUpstreamDown
		}
	case res.held:
		st.Status = StatusOK
		st.Detail = fmt.Sprintf("Artifactory answered (%d) after %s, while the rest of the body was held back: the door streams request bodies", a.status, humanize.IBytes(streamHead))
		r.sizeProbe(d, path, &st)
	case r.knownProvider() == render.Apache || strings.HasPrefix(a.header.Get("Server"), "Apache"):
		// Apache's mod_proxy sends the whole body before it reads
		// the answer, so no early answer can show, streaming or not.
		st.Status = StatusInfo
		r.sawBodyPass(probeBody)
		st.Detail = fmt.Sprintf("not judged: Apache passes an answer on only after the whole body (Artifactory answered %d then, to %s); it streams chunked bodies to Artifactory unless SetEnv proxy-sendcl is set", a.status, size)
	default:
		st.Status, st.Reason = StatusWarn, ReasonBuffering
		r.sawBodyPass(probeBody)
		st.Detail = fmt.Sprintf("no answer while the body was held back after %s for %s; Artifactory answered (%d) only once the whole body (%s) was sent: the door buffers request bodies", humanize.IBytes(streamHead), r.opt.StreamingWait, a.status, size)
	}
	return st
}

// sizeProbe asks a streaming door again with the body's size declared:
// a body limit below probeBody answers 413 before Artifactory sees the
// request; else Artifactory answers, before most of the body is sent.
func (r *runner) sizeProbe(d Door, path string, st *Step) {
	size := humanize.IBytes(probeBody)
	res := r.heldExchange(d, path, probeBody)
	switch {
	case res.err != nil:
		_, words := netReason(res.err)
		st.Detail += fmt.Sprintf("; the body size was not checked (Content-Length: %d: %s)", probeBody, words)
	case res.a.status == http.StatusRequestEntityTooLarge:
		st.Status, st.Reason = StatusFail, ReasonTooLarge
		st.Detail = fmt.Sprintf("%s answered 413 to a body of %s (declared in Content-Length) before Artifactory saw it: a Docker layer larger than its limit fails the same way (the door streams: Artifactory answered the chunked probe after %s)", res.a.server(), size, humanize.IBytes(streamHead))
	case res.a.fromArtifactory():
		st.Detail += fmt.Sprintf("; a body of %s reaches Artifactory (%d)", size, res.a.status)
		r.sawBodyPass(probeBody)
	default:
		st.Detail += fmt.Sprintf("; the body size was not checked: %s answered %s to Content-Length: %d", res.a.server(), res.a.statusText(), probeBody)
	}
}

// sawBodyPass records that a body of n bytes went through the door.
func (r *runner) sawBodyPass(n int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.bodyChecked = max(r.bodyChecked, n)
}

// heldExchange PATCHes probeBody bytes to path on door d, chunked (length
// -1) or with its Content-Length, holding the body back after streamHead
// bytes until an answer comes or StreamingWait passes. The timeout bounds
// progress, not the whole exchange: a slow link that keeps sending is fine.
func (r *runner) heldExchange(d Door, path string, length int64) probeAnswer {
	body := newHeldBody(streamHead, probeBody-streamHead)
	defer body.abort()
	if r.knownProvider() == render.Apache {
		body.release() // no early answer can show through Apache: do not wait for one
	}
	ctx, cancel := context.WithCancel(r.ctx)
	defer cancel()
	// The hold itself moves nothing for up to StreamingWait.
	defer r.watchProgress(body.last, r.opt.Timeout+r.opt.StreamingWait, func() { cancel() })()
	req, err := http.NewRequestWithContext(ctx, http.MethodPatch, d.URL()+path, body)
	if err != nil {
		return probeAnswer{err: err}
	}
	req.ContentLength = length
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("User-Agent", userAgent)
	done := make(chan probeAnswer, 1)
	go func() {
		resp, err := r.net.roundTrip(req, d.Scheme == "https" && !r.tlsFor(d).verified)
		if err != nil {
			if ctx.Err() != nil && r.ctx.Err() == nil {
				err = context.DeadlineExceeded // the watchdog's: no progress in time
			}
			done <- probeAnswer{err: err}
			return
		}
		done <- probeAnswer{a: readBounded(resp, req.URL.String())}
	}()
	heldWhen := func(res probeAnswer, held bool) probeAnswer {
		res.held = held
		return res
	}
	select {
	case res := <-done: // answered before the body reached the hold
		return heldWhen(res, !body.released())
	case <-body.holding:
	}
	if body.released() {
		return <-done
	}
	wait := time.NewTimer(r.opt.StreamingWait)
	defer wait.Stop()
	select {
	case res := <-done:
		return heldWhen(res, true)
	case <-wait.C:
	}
	body.release()
	return <-done
}

// heldBody yields head bytes, then blocks until released (or aborted), then
// yields tail bytes.
type heldBody struct {
	head, tail int
	holding    chan struct{} // closed when the head is out and Read blocks
	resume     chan struct{} // closed by release or abort
	aborted    atomic.Bool
	once       sync.Once
	held       bool
	lastNano   atomic.Int64 // the last progress: a read, the release
}

func newHeldBody(head, tail int) *heldBody {
	b := &heldBody{head: head, tail: tail, holding: make(chan struct{}), resume: make(chan struct{})}
	b.touch()
	return b
}

func (b *heldBody) touch()          { b.lastNano.Store(time.Now().UnixNano()) }
func (b *heldBody) last() time.Time { return time.Unix(0, b.lastNano.Load()) }

func (b *heldBody) Read(p []byte) (int, error) {
	b.touch()
	if b.head > 0 {
		n := min(len(p), b.head)
		clear(p[:n])
		b.head -= n
		return n, nil
	}
	if !b.held {
		b.held = true
		close(b.holding)
		<-b.resume
	}
	if b.aborted.Load() {
		return 0, errors.New("probe ended")
	}
	if b.tail == 0 {
		return 0, io.EOF
	}
	n := min(len(p), b.tail)
	clear(p[:n])
	b.tail -= n
	return n, nil
}

func (b *heldBody) release() {
	b.once.Do(func() {
		b.touch()
		close(b.resume)
	})
}

func (b *heldBody) released() bool {
	select {
	case <-b.resume:
		return true
	default:
		return false
	}
}

func (b *heldBody) abort() {
	b.aborted.Store(true)
	b.release()
}

func (b *heldBody) Close() error { b.abort(); return nil }

// watchProgress calls stall once the body has moved nothing for limit
// (last says when it last did), checking a few times per Timeout: the
// timeout of an upload or a held probe is on progress, not on its whole
// length. The function it returns stops the watch.
func (r *runner) watchProgress(last func() time.Time, limit time.Duration, stall func()) (stop func()) {
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(max(r.opt.Timeout/8, 10*time.Millisecond))
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				if time.Since(last()) > limit {
					stall()
					return
				}
			}
		}
	}()
	return func() { close(done) }
}
