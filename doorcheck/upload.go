// Step 7: uploads as Docker sends layers: chunked, without Content-Length.
// The streaming probe (no credentials, streaming.go) finds a door that
// buffers request bodies or limits them below 2 MiB; the upload (with --user and --upload-size) sends a blob of that
// size through the door, keeps its Location headers on the public origin,
// and cancels it.

package doorcheck

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dustin/go-humanize"
)

// uploadDoor is the door of --upload-repo, or of the only repository.
func (r *runner) uploadDoor() *Door {
	docker := r.plan.doorsOf(RoleDocker)
	for i, d := range docker {
		// The repository named, or the only door (a URL without settings:
		// its own /v2/, whatever the key).
		if d.Repo == r.opt.UploadRepo || r.opt.UploadRepo == "" && len(docker) == 1 {
			return &docker[i]
		}
	}
	return nil
}

// uploadStep sends a chunked blob upload of opt.UploadSize through the
// door and cancels it: 413, 411, proxy timeouts and Location headers that
// leave the public origin show up here.
func (r *runner) uploadStep() Step {
	d := *r.uploadDoor()
	size := humanize.IBytes(uint64(r.opt.UploadSize))
	to := d.Repo
	if to == "" {
		to = d.URL()
	}
	st := Step{Kind: KindUpload, Name: fmt.Sprintf("Upload %s to %s", size, to), Target: dockerTarget(d)}
	if c, ok := r.canceledStep(st.Kind, st.Name, st.Target); ok {
		return c
	}
	if !r.reachable(d) {
		st.Status, st.Detail = StatusSkip, "not run: "+d.URL()+" is not reachable (see above)"
		return st
	}
	ri, why := r.realmOf(d)
	if why == "" {
		why = r.credentialsRefused(d, ri)
	}
	if why != "" {
		st.Status, st.Detail = StatusSkip, "not run: "+why
		return st
	}
	tok, err := r.tokenRequest(d, ri, "push,pull", true)
	if err != nil {
		return failNet(st, err)
	}
	bearer, _, ok := token(tok)
	if tok.status != http.StatusOK || !ok {
		st.Status, st.Reason = StatusFail, ReasonInvalidCredentials
		st.Detail = fmt.Sprintf("no push token: the token endpoint answered %s: %s", tok.statusText(), artifactoryMessage(tok.body))
		return st
	}
	auth := http.Header{"Authorization": {"Bearer " + bearer}}
	start, err := r.get(d, http.MethodPost, "/v2/"+r.image(d)+"/blobs/uploads/", auth)
	if err != nil {
		return failNet(st, err)
	}
	switch {
	case start.status == http.StatusAccepted:
	case start.status == http.StatusUnauthorized || start.status == http.StatusForbidden || start.status == http.StatusNotFound || start.status == http.StatusMethodNotAllowed:
		st.Status, st.Reason = StatusFail, ReasonNoDeploy
		st.Detail = fmt.Sprintf("starting the upload: %s: %s", start.statusText(), artifactoryMessage(start.body))
		return st
	default:
		st.Status, st.Reason = StatusFail, ReasonUploadFailed
		st.Detail = fmt.Sprintf("starting the upload: %s (%s)", start.statusText(), start.server())
		return st
	}
	loc, bad := r.publicLocation(d, start)
	if bad != "" {
		st.Status, st.Reason, st.Detail = StatusFail, ReasonLocation, "starting the upload: 202 with "+bad
		return st
	}
	began := time.Now()
	patch, err := r.streamUpload(d, loc, auth)
	elapsed := time.Since(began)
	cancelNote := r.cancelUpload(d, loc, patch, auth)
	if err != nil {
		reason, words := netReason(err)
		if reason == ReasonTimeout || errors.Is(err, errNoProgress) {
			reason, words = ReasonUploadTimeout, err.Error()
		}
		st.Status, st.Reason, st.Detail = StatusFail, reason, fmt.Sprintf("PATCH %s: %s; %s", size, words, cancelNote)
		return st
	}
	switch {
	case patch.status == http.StatusRequestEntityTooLarge:
		st.Status, st.Reason = StatusFail, ReasonTooLarge
	case patch.status == http.StatusLengthRequired:
		st.Status, st.Reason = StatusFail, ReasonLengthRequired
	case patch.status == http.StatusGatewayTimeout || patch.status == http.StatusRequestTimeout:
		st.Status, st.Reason = StatusFail, ReasonUploadTimeout
	case patch.status != http.StatusAccepted:
		st.Status, st.Reason = StatusFail, ReasonUploadFailed
	}
	if st.Status == StatusFail {
		st.Detail = fmt.Sprintf("chunked PATCH of %s: %s answered %s after %s; %s", size, patch.server(), patch.statusText(), duration(elapsed), cancelNote)
		return st
	}
	if _, bad := r.publicLocation(d, patch); bad != "" {
		st.Status, st.Reason, st.Detail = StatusFail, ReasonLocation, "PATCH 202 with "+bad+"; "+cancelNote
		return st
	}
	if got, ok := rangeEnd(patch.header.Get("Range")); ok && got+1 != r.opt.UploadSize {
		st.Status, st.Reason = StatusFail, ReasonUploadFailed
		st.Detail = fmt.Sprintf("PATCH 202, but Artifactory received %d of %d bytes; %s", got+1, r.opt.UploadSize, cancelNote)
		return st
	}
	rate := float64(r.opt.UploadSize) / max(elapsed.Seconds(), 1e-3)
	st.Status = StatusOK
	st.Detail = fmt.Sprintf("%s sent chunked in %s (%s/s): 202, Location on %s; %s", size, duration(elapsed), humanize.IBytes(uint64(rate)), d.URL(), cancelNote)
	return st
}

// realmOf reads door d's token realm (what the Docker step checked too);
// why says why there is none to use.
func (r *runner) realmOf(d Door) (*realmInfo, string) {
	a, err := r.get(d, http.MethodGet, r.apiPath(d), nil)
	if err != nil {
		_, words := netReason(err)
		return nil, "the Docker API did not answer: " + words
	}
	raw, service, ok := bearerRealm(a.header.Values("WWW-Authenticate"))
	if a.status != http.StatusUnauthorized || !ok {
		return nil, fmt.Sprintf("the Docker API answered %s without a token realm (see the Docker step)", a.statusText())
	}
	u, err := parseLocation(nil, []string{raw})
	if err != nil {
		return nil, "the token realm is unusable (see the Docker step)"
	}
	if reason, _ := sameOrigin(u, d); reason != ReasonNone {
		return nil, "the token realm is not this door (see the Docker step); credentials are not sent there"
	}
	return &realmInfo{realm: u, service: service}, ""
}

// publicLocation reads an answer's Location and checks it stays on door
// d's scheme, host and port; bad says what is wrong with it.
func (r *runner) publicLocation(d Door, a answer) (*url.URL, string) {
	loc, err := location(a)
	if err != nil {
		return nil, err.Error()
	}
	if _, how := sameOrigin(loc, d); how != "" {
		return nil, "Location " + loc.Redacted() + ": " + how
	}
	return loc, ""
}

// errNoProgress ends an upload that moved no byte for a whole timeout.
var errNoProgress = errors.New("no progress for the whole timeout")

// streamUpload PATCHes opt.UploadSize generated bytes to loc, chunked. The
// timeout applies to progress: a slow link that keeps moving is fine, a
// door that stops reading or answering is not.
func (r *runner) streamUpload(d Door, loc *url.URL, auth http.Header) (answer, error) {
	ctx, cancel := context.WithCancelCause(r.ctx)
	defer cancel(nil)
	body := &patternBody{left: r.opt.UploadSize}
	body.touch()
	defer r.watchProgress(body.last, r.opt.Timeout, func() { cancel(errNoProgress) })()
	req, err := http.NewRequestWithContext(ctx, http.MethodPatch, d.viaDoor(loc).String(), body)
	if err != nil {
		return answer{}, err
	}
	req.ContentLength = -1
	for k, v := range auth {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("User-Agent", userAgent)
	resp, err := r.net.roundTrip(req, d.Scheme == "https" && !r.tlsFor(d).verified)
	if err != nil {
		if c := context.Cause(ctx); c != nil && errors.Is(c, errNoProgress) {
			return answer{}, fmt.Errorf("%w (%s, %s sent)", errNoProgress, r.opt.Timeout, humanize.IBytes(uint64(r.opt.UploadSize-body.left)))
		}
		return answer{}, err
	}
	body.touch()
	a := readBounded(resp, loc.String())
	r.learnProvider(a)
	return a, nil
}

// cancelUpload deletes the upload session (the last Location known), so
// the probe leaves nothing behind, and says how that went.
func (r *runner) cancelUpload(d Door, loc *url.URL, patch answer, auth http.Header) string {
	if l, bad := r.publicLocation(d, patch); bad == "" && l != nil {
		loc = l
	}
	a, err := r.net.request(r.ctx, d.Scheme == "https" && !r.tlsFor(d).verified, http.MethodDelete, d.viaDoor(loc).String(), auth, nil)
	switch {
	case err != nil:
		return "cancelling it failed: " + shortErr(err)
	case a.status == http.StatusNoContent || a.status == http.StatusAccepted || a.status == http.StatusOK || a.status == http.StatusNotFound:
		return fmt.Sprintf("upload cancelled (DELETE %d)", a.status)
	}
	return fmt.Sprintf("cancelling answered %s: Artifactory discards unfinished uploads later", a.statusText())
}

// rangeEnd reads "0-N" (Docker's Range header on upload answers).
func rangeEnd(v string) (int64, bool) {
	_, end, ok := strings.Cut(strings.TrimPrefix(strings.TrimSpace(v), "bytes="), "-")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(end, 10, 64)
	return n, err == nil
}

// patternBody yields left bytes of a fixed pattern without holding them:
// the upload streams whatever its size.
type patternBody struct {
	left     int64
	lastNano atomic.Int64
}

// pattern is built on the first upload, not at every start of every command.
var pattern = sync.OnceValue(func() []byte {
	b := make([]byte, 32<<10)
	for i := range b {
		b[i] = byte(i*7 + i>>8)
	}
	return b
})

func (b *patternBody) touch()          { b.lastNano.Store(time.Now().UnixNano()) }
func (b *patternBody) last() time.Time { return time.Unix(0, b.lastNano.Load()) }
func (b *patternBody) Close() error    { return nil }
func (b *patternBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, io.EOF
	}
	b.touch()
	n := copy(p[:min(int64(len(p)), b.left)], pattern())
	b.left -= int64(n)
	return n, nil
}
