// A run of the check: the answers checked and planned (Prepare), started
// in a command and streamed back (Start, Message), cancelled, or recorded
// and replayed.

package check

import (
	"context"
	"errors"
	"net/netip"
	"strings"

	tea "charm.land/bubbletea/v2"

	"frontdoor/doorcheck"
	"frontdoor/tui/common"
)

// inputError is an answer a run cannot start with, and the field to fix.
type inputError struct {
	field int
	msg   string
}

func (e *inputError) Error() string { return e.msg }

// Prepare checks the answers and plans a run of the settings as edited:
// what it checks (run, without steps yet), the plan and the options. Settings
// with errors, no door, an address that is not one, or a user without a
// password are refused before the network, with the reason. The full screen
// starts the run in a command (Start); accessible mode runs it in place.
func (p *Page) Prepare() (Run, doorcheck.Plan, doorcheck.Options, error) {
	fail := func(err error) (Run, doorcheck.Plan, doorcheck.Options, error) {
		return Run{}, doorcheck.Plan{}, doorcheck.Options{}, err
	}
	if n := p.doc.Proxy.Issues.Errors; n > 0 {
		return fail(errors.New("fix " + common.CountNoun(n, "error") + " in the HTTP settings first: the check needs settings that render"))
	}
	if f := p.addressFinding(); f != nil {
		return fail(&inputError{field: fieldAddress, msg: "Test against: " + f.Message})
	}
	plan, err := p.plan()
	if err != nil {
		return fail(errors.New("nothing to check: " + err.Error()))
	}
	opt := doorcheck.Options{
		Timeout: p.opts.Timeout, Roots: p.opts.Roots, StreamingWait: p.opts.StreamingWait,
	}
	caFile := p.caFile()
	if caFile != "" {
		// Read now, whatever the live finding said: the run trusts what
		// the file holds at its start, as --ca does.
		roots, err := doorcheck.CAFileRoots(caFile)
		if err != nil {
			return fail(&inputError{field: fieldCAFile, msg: "CA file " + caFile + ": " + err.Error()})
		}
		opt.Roots = roots
	}
	if p.docker() {
		opt.User = strings.TrimSpace(p.inputs.User)
	}
	if opt.User != "" {
		if p.inputs.Password == "" {
			return fail(&inputError{field: fieldPassword, msg: "type the password of " + opt.User + " (or empty Docker user for an anonymous check)"})
		}
		opt.Password = p.inputs.Password
	}
	addr := p.address()
	if addr != "" {
		// Every name, the wildcard probe's made-up one too: DNS is not asked.
		a, _ := netip.ParseAddr(addr)
		opt.Resolve = doorcheck.ResolveAll(plan, a)
	}
	run := Run{Title: plan.Title, Endpoints: plan.Endpoints(), Address: addr, CAFile: caFile, User: opt.User,
		At: p.opts.Now(), settings: p.doc.Settings().Clone()}
	return run, plan, opt, nil
}

// ForgetPassword clears the password from the answers and the form: a run
// has its copy.
func (p *Page) ForgetPassword() {
	p.form.Clear(fieldPassword)
	p.form.Load()
}

// Record keeps a run made elsewhere (accessible mode) as the last one.
func (p *Page) Record(r Run, res doorcheck.Result) {
	res.Steps = nil
	r.Result = &res
	p.run = &r
}

// Start checks the door in a command, each step streamed back as it ends;
// esc cancels. What Prepare refuses is said on the status line, and the
// field to fix gets the focus.
func (p *Page) Start() tea.Cmd {
	if p.job.running {
		return nil
	}
	run, plan, opt, err := p.Prepare()
	if err != nil {
		p.status.Set(err.Error())
		var in *inputError
		if errors.As(err, &in) {
			p.form.SetFocus(in.field)
			p.form.Load()
		}
		return nil
	}
	p.form.Clear(fieldPassword) // the run has its copy
	p.form.SetFocus(fieldRun)
	p.form.Load()

	p.run = &run
	p.resultsFocused = false
	p.results.GotoTop()
	p.status.Set("checking " + plan.Title + "…")
	p.runs++
	return p.job.start(p.runs, !p.opts.NoSpin, func(ctx context.Context, report func(doorcheck.Step)) doorcheck.Result {
		return doorcheck.Run(ctx, plan, opt, report)
	})
}

// Cancel stops a running check (esc); false when none runs.
func (p *Page) Cancel() bool {
	if p.job.stop() {
		p.status.Set("canceling the check…")
		return true
	}
	return false
}

// Message takes one of the screen's messages.
func (p *Page) Message(msg Msg) tea.Cmd {
	run := p.run
	return p.job.message(msg, func(steps []doorcheck.Step) {
		run.Steps = append(run.Steps, steps...)
	}, func(res doorcheck.Result) {
		res.Steps = nil // kept once, in run.Steps
		run.Result = &res
		p.placeSummary = true
		_, text := Outcome(res)
		p.status.Set("check: " + text)
	})
}

// Replay shows a run from recorded steps, through the messages a real run
// sends: running while res is nil, finished with res. Recorded durations
// keep the view stable (goldens); real runs are tested against nginx.
func (p *Page) Replay(r Run, res *doorcheck.Result) {
	p.runs++
	p.job.id, p.job.running, p.job.canceling, p.job.cancel = p.runs, true, false, func() {}
	steps := r.Steps
	r.Steps, r.Result = nil, nil
	r.settings = p.doc.Settings().Clone()
	p.run = &r
	done := res != nil
	var result doorcheck.Result
	if done {
		result = *res
	}
	p.Message(stepsMsg{run: p.runs, steps: steps, done: done, result: result})
}
