// Package doorcheck checks an installed front door from a client's side:
// the way a Docker client and a browser use it, through DNS, TCP, TLS, the
// redirects, Artifactory's own answers, the Docker token flow, a chunked
// upload and encoded slashes; and it names the nginx directive, Apache
// directive or frontdoor setting that fixes each failure.
//
// Run checks a Plan (FromSettings or FromURL) and reports each Step as it
// ends, in a fixed order, while the probes behind the steps run
// concurrently (bounded by Options.Concurrency). Verify is the check the
// save pipeline runs after a reload. Every network step is bounded by
// Options.Timeout; a listener that accepts and never answers is found by the
// connect step and nothing later waits on it.
//
// The steps live in their own files: dns.go, connect.go, tls.go,
// redirect.go, artifactory.go, docker.go, upload.go, slash.go, follow.go (a
// door that only redirects), summary.go.
package doorcheck

import (
	"context"
	"errors"
	"maps"
	"net/url"
	"strconv"
	"sync"
	"time"

	"frontdoor/render"
)

// Run checks the doors of plan, step by step: DNS, TCP connect, TLS, the
// HTTP → HTTPS redirect, Artifactory through the door, each Docker
// repository (and, with a user, its token flow), the upload probes, encoded
// slashes, and a summary. Each step is passed to report as soon as it and
// every step before it ended (report runs on the caller's goroutine and may
// be nil). Canceling ctx ends the run promptly.
func Run(ctx context.Context, plan Plan, opt Options, report func(Step)) Result {
	r := newRunner(ctx, plan, opt, report)
	defer r.net.close()
	if r.checkInput() {
		r.run()
		r.followRedirect()
	}
	r.revisionOutcome()
	r.summary()
	return r.res
}

// runner holds one run's state; nothing is shared between runs.
type runner struct {
	ctx    context.Context
	plan   Plan
	opt    Options
	report func(Step)
	net    *netClient
	res    Result

	mu        sync.Mutex
	provider  render.Provider          // plan's, or learnt from a Server header
	listeners map[string]*listenerInfo // by listenerKey
	tlsState  map[string]tlsOutcome    // by door authority + SNI name
	stopped   bool                     // the caller gave up, and a step said so
	dnsSeen   map[string]bool          // names a DNS step was planned for
	// redirects are where main doors' pings were redirected (the door only
	// redirects), by door URL: followRedirect checks the first one's target.
	redirects map[string]*url.URL
	// notChecked is a door that was not checked, and why ("" when none):
	// the summary never says the door works then.
	notChecked string
	// staleRevision is another revision than the one saved that a door
	// answered (Verify), under mu.
	staleRevision string
	// bodyChecked is the largest request body a probe saw pass the door
	// (0: none), under mu.
	bodyChecked int64
}

func newRunner(ctx context.Context, plan Plan, opt Options, report func(Step)) *runner {
	opt = opt.withDefaults()
	r := &runner{
		ctx: ctx, plan: plan, opt: opt, report: report,
		net:       newNetClient(opt),
		provider:  plan.Provider,
		listeners: map[string]*listenerInfo{},
		tlsState:  map[string]tlsOutcome{},
		dnsSeen:   map[string]bool{},
		redirects: map[string]*url.URL{},
	}
	r.res.Title = plan.Title
	r.res.Doors = len(plan.Endpoints())
	r.res.Repositories = len(plan.Repos)
	return r
}

func (r *runner) run() {
	r.phase(r.dnsTasks())
	r.phase(r.connectTasks())
	r.phase(r.tlsTasks())
	r.phase(r.httpTasks())
}

// checkInput refuses a plan or options that cannot be checked (the
// command line refuses them earlier, with exit 2; this guards other
// callers).
func (r *runner) checkInput() bool {
	st := Step{Kind: KindInput, Name: "Input", Status: StatusFail, Reason: ReasonInvalidInput}
	switch {
	case len(r.plan.Doors) == 0:
		st.Detail = "nothing to check: the plan has no door"
	case r.opt.UploadSize > 0 && r.opt.User == "":
		st.Detail = "an upload needs --user: Artifactory accepts no anonymous upload"
	case r.opt.User != "" && r.opt.Password == "":
		st.Detail = "--user needs a password: an empty one is never sent"
	case r.opt.UploadSize > 0 && r.uploadDoor() == nil:
		st.Detail = "no Docker repository " + strconv.Quote(r.opt.UploadRepo) + " to upload to (--upload-repo names one of the planned repositories)"
	default:
		return true
	}
	r.emit(st)
	return false
}

// phase runs tasks concurrently, at most opt.Concurrency at once, and
// reports their steps in task order: a task's steps go out as soon as it
// and every task before it have ended.
func (r *runner) phase(tasks []func() []Step) {
	if len(tasks) == 0 {
		return
	}
	results := make([][]Step, len(tasks))
	ready := make([]bool, len(tasks))
	done := make(chan int)
	sem := make(chan struct{}, r.opt.Concurrency)
	go func() {
		for i, t := range tasks {
			sem <- struct{}{}
			go func() {
				defer func() { <-sem }()
				results[i] = t()
				done <- i
			}()
		}
	}()
	next := 0
	for range tasks {
		i := <-done
		ready[i] = true
		for next < len(tasks) && ready[next] {
			for _, st := range results[next] {
				r.emit(st)
			}
			results[next] = nil
			next++
		}
	}
}

// each runs fn(i) for i < n, at most opt.Concurrency at once, and waits:
// the fan-out inside one grouped step (one name per repository).
func (r *runner) each(n int, fn func(i int)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, r.opt.Concurrency)
	for i := range n {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(i)
		}()
	}
	wg.Wait()
}

// probeOutcome is one probe's verdict, in a step that groups several.
type probeOutcome struct {
	status Status
	reason Reason
	detail string
}

// probeEach runs probe(i) for each i < n, at most Concurrency at once, and
// returns the verdicts in order.
func (r *runner) probeEach(n int, probe func(i int) (Status, Reason, string)) []probeOutcome {
	outs := make([]probeOutcome, n)
	r.each(n, func(i int) {
		s, rs, d := probe(i)
		outs[i] = probeOutcome{s, rs, d}
	})
	return outs
}

// emit completes a step (cause and fix from the table; the summary's are
// its own) and reports it.
// After the caller gave up, one step says so; the others are dropped.
func (r *runner) emit(st Step) {
	if err := r.ctx.Err(); err != nil && st.Kind != KindSummary && (st.Status == StatusFail || st.Reason == ReasonCanceled) {
		if r.stopped {
			return
		}
		r.stopped = true
		st.Status, st.Cause, st.Fix = StatusFail, "", Fix{}
		st.Reason, st.Detail = ReasonCanceled, "canceled"
		if errors.Is(err, context.DeadlineExceeded) {
			st.Reason, st.Detail = ReasonTimeout, "the overall time limit ran out"
		}
	}
	// The summary repeats the first failure's cause and fix as that step
	// had them: explained again, without the step's door, its fix would
	// name PORT and KEY where the step named the port and the repository.
	if st.Reason != ReasonNone && st.Status != StatusOK && st.Kind != KindSummary {
		explain(&st, r.knownProvider(), r.vars(st))
	}
	switch st.Status {
	case StatusFail:
		r.res.Failed++
		if r.res.FirstFailure == nil {
			first := st
			r.res.FirstFailure = &first
		}
	case StatusWarn:
		r.res.Warnings++
	}
	switch st.Reason {
	case ReasonTimeout, ReasonSilent, ReasonConnectTimeout:
		r.res.TimedOut = true
	case ReasonCanceled:
		r.res.Canceled = true
	}
	r.res.Steps = append(r.res.Steps, st)
	if r.report != nil {
		r.report(st)
	}
}

// vars are the values the fix texts name.
func (r *runner) vars(st Step) map[string]string {
	v := map[string]string{
		"server":          r.plan.ServerName,
		"artifactoryPort": strconv.Itoa(r.plan.ArtifactoryPort),
		"routerPort":      strconv.Itoa(r.plan.RouterPort),
		"timeout":         r.opt.Timeout.String(),
		"name":            r.plan.ServerName,
		"port":            "PORT",
		"httpPort":        "80",
		"httpsPortSuffix": "",
		"key":             "KEY",
	}
	maps.Copy(v, nodeVars(r.plan.Nodes, r.plan.RouterPort, r.plan.ArtifactoryPort))
	for _, d := range r.plan.Doors {
		if d.Role == RoleRedirect || (d.Role == RoleMain && d.Scheme == "http") {
			v["httpPort"] = strconv.Itoa(d.Port)
		}
	}
	if p := r.plan.HTTPSPort; p != 0 && p != 443 {
		v["httpsPortSuffix"] = ":" + strconv.Itoa(p)
	}
	if d, ok := r.doorOf(st.Target); ok {
		v["name"], v["port"] = d.Host, strconv.Itoa(d.Port)
		if d.Repo != "" {
			v["key"] = d.Repo
		}
	}
	return v
}

// doorOf finds the door a step's target names (its URL or authority).
func (r *runner) doorOf(target string) (Door, bool) {
	for _, d := range r.plan.Doors {
		if target == d.URL() || target == d.Authority() || (d.Repo != "" && target == dockerTarget(d)) {
			return d, true
		}
	}
	return Door{}, false
}

// knownProvider is the web server, from the settings or learnt from a
// Server header; "" when unknown.
func (r *runner) knownProvider() render.Provider {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.provider
}

// learnProvider remembers the web server a door-made answer names, so the
// fixes name its directives only.
func (r *runner) learnProvider(a answer) {
	if a.fromArtifactory() {
		return
	}
	var p render.Provider
	switch s := a.header.Get("Server"); {
	case len(s) >= 5 && s[:5] == "nginx":
		p = render.Nginx
	case len(s) >= 6 && s[:6] == "Apache":
		p = render.Apache
	default:
		return
	}
	r.mu.Lock()
	if r.provider == "" {
		r.provider = p
	}
	r.mu.Unlock()
}

// timed runs fn and sets the step's duration.
func timed(fn func() Step) Step {
	start := time.Now()
	st := fn()
	st.Duration = time.Since(start)
	return st
}

// canceledStep is what a step reports when the caller gave up.
func (r *runner) canceledStep(kind Kind, name, target string) (Step, bool) {
	if err := r.ctx.Err(); err != nil {
		reason, detail := ReasonCanceled, "canceled"
		if errors.Is(err, context.DeadlineExceeded) {
			reason, detail = ReasonTimeout, "the overall time limit ran out"
		}
		return Step{Kind: kind, Name: name, Target: target, Status: StatusFail, Reason: reason, Detail: detail}, true
	}
	return Step{}, false
}
