package servertest

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"
)

// RequestIDHeader carries a test-chosen id through the proxy, so a test finds
// the exact request an upstream recorded for the request it sent.
const RequestIDHeader = "X-Frontdoor-Test-Id"

// UpstreamHeader names, in every upstream response, the listener that answered.
const UpstreamHeader = "X-Frontdoor-Test-Upstream"

// Recorded is one request as an upstream saw it, after the proxy rewrote it.
type Recorded struct {
	Upstream   string // the listener's name, e.g. "node1 artifactory"
	Method     string
	RequestURI string // as sent by the proxy: path and query, still escaped
	Host       string
	Header     http.Header
	BodyBytes  int64
	BodySHA256 [sha256.Size]byte
}

// Recorder is a set of Go HTTP servers standing in for Artifactory's ports on
// one or more nodes. Each records what it receives and answers 200 with its
// name, so tests see both sides of the proxy.
type Recorder struct {
	mu       sync.Mutex
	byID     map[string]Recorded
	started  map[string]chan struct{} // BodyStarted channels by request id
	counts   map[string]int           // requests per listener name
	servers  map[string]*http.Server
	serveErr []error
}

// NewRecorder returns an empty recorder whose listeners close at test end.
func NewRecorder(t testing.TB) *Recorder {
	r := &Recorder{byID: map[string]Recorded{}, started: map[string]chan struct{}{}, counts: map[string]int{}, servers: map[string]*http.Server{}}
	t.Cleanup(func() {
		r.mu.Lock()
		servers := r.servers
		r.servers = map[string]*http.Server{}
		r.mu.Unlock()
		for _, s := range servers {
			_ = s.Close()
		}
	})
	return r
}

// Listen starts a listener called name on addr (host:port); the test fails
// when addr cannot be bound. For a port picked free a moment before, use
// TryListen and pick again on an error: another process may have taken it.
func (r *Recorder) Listen(t testing.TB, name, addr string) {
	t.Helper()
	if err := r.TryListen(name, addr); err != nil {
		t.Fatal(err)
	}
}

// TryListen is Listen returning the error (e.g. "address already in use")
// instead of failing the test.
func (r *Recorder) TryListen(name, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("upstream %s: %w", name, err)
	}
	return r.Serve(name, ln)
}

// Serve answers on ln, a listener the caller bound (on port 0, say, so no
// other process can take the port between the pick and the bind), as the
// upstream called name. The recorder owns ln from then on: it is closed at
// test end, by Stop, or at once when name is taken.
func (r *Recorder) Serve(name string, ln net.Listener) error {
	srv := &http.Server{
		Handler:           r.handler(name),
		ReadHeaderTimeout: 10 * time.Second,
	}
	r.mu.Lock()
	if _, dup := r.servers[name]; dup {
		r.mu.Unlock()
		_ = ln.Close()
		return fmt.Errorf("upstream %s started twice", name)
	}
	r.servers[name] = srv
	r.mu.Unlock()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			r.mu.Lock()
			r.serveErr = append(r.serveErr, fmt.Errorf("upstream %s: %w", name, err))
			r.mu.Unlock()
		}
	}()
	return nil
}

// Stop closes the listener called name and every connection it accepted,
// idle keep-alive ones included, as when a node goes down: the proxy gets
// "connection refused" from then on.
func (r *Recorder) Stop(name string) error {
	r.mu.Lock()
	srv, ok := r.servers[name]
	delete(r.servers, name)
	r.mu.Unlock()
	if !ok {
		return fmt.Errorf("no upstream called %s", name)
	}
	return srv.Close()
}

func (r *Recorder) handler(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		h := sha256.New()
		body := io.Reader(req.Body)
		if started := r.takeStarted(req.Header.Get(RequestIDHeader)); started != nil {
			body = &signalFirstRead{r: body, started: started}
		}
		n, err := io.Copy(h, body)
		if err != nil {
			// A cut-off upload is a failure the test must see, not a 200.
			http.Error(w, "reading body: "+err.Error(), http.StatusBadRequest)
			return
		}
		rec := Recorded{
			Upstream:   name,
			Method:     req.Method,
			RequestURI: req.RequestURI,
			Host:       req.Host,
			Header:     req.Header.Clone(),
			BodyBytes:  n,
		}
		copy(rec.BodySHA256[:], h.Sum(nil))
		r.mu.Lock()
		if id := req.Header.Get(RequestIDHeader); id != "" {
			r.byID[id] = rec
		}
		r.counts[name]++
		r.mu.Unlock()
		// Recorded before answering: once the client has its response,
		// Lookup is guaranteed to find the request.
		w.Header().Set(UpstreamHeader, name)
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", strconv.Itoa(len(name)+1))
		_, _ = io.WriteString(w, name+"\n")
	})
}

// BodyStarted returns a channel that is closed as soon as the upstream has
// read the first bytes of the body of the request tagged id. A test that
// holds back the rest of an upload until then proves the proxy streams
// request bodies instead of buffering them whole: a buffering proxy sends
// nothing before the upload ends, and the test's bounded wait runs out.
// Call it before sending the request.
func (r *Recorder) BodyStarted(id string) <-chan struct{} {
	ch := make(chan struct{})
	r.mu.Lock()
	r.started[id] = ch
	r.mu.Unlock()
	return ch
}

func (r *Recorder) takeStarted(id string) chan struct{} {
	if id == "" {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	ch := r.started[id]
	delete(r.started, id)
	return ch
}

// signalFirstRead closes started once the first bytes have been read.
type signalFirstRead struct {
	r       io.Reader
	started chan struct{}
}

func (s *signalFirstRead) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if n > 0 && s.started != nil {
		close(s.started)
		s.started = nil
	}
	return n, err
}

// Lookup returns the request that carried RequestIDHeader id, if any reached
// an upstream.
func (r *Recorder) Lookup(id string) (Recorded, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rec, ok := r.byID[id]
	return rec, ok
}

// Count returns how many requests the listener called name has answered.
func (r *Recorder) Count(name string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.counts[name]
}

// Err reports the first error a listener hit while serving (nil if none).
func (r *Recorder) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return errors.Join(r.serveErr...)
}
