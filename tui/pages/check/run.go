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
// with errors, no door, an address that is not one, a CA file that is not
// one, or a user without a password are refused before the network, with
// the reason. It reads the CA file: accessible mode runs the check in place
// with it; the full screen starts the run in a command (Start), which reads
// the file on the run's goroutine.
func (p *Page) Prepare() (Run, doorcheck.Plan, doorcheck.Options, error) {
	return p.prepare(func(path string, opt *doorcheck.Options) error {
		// Read now, whatever the live finding said: the run trusts what
		// the file holds at its start, as --ca does.
		roots, err := doorcheck.CAFileRoots(path)
		if err != nil {
			return caFileError(path, err.Error())
		}
		opt.Roots = roots
		return nil
	})
}

// prepare is Prepare; trust takes the CA file typed (not "") into the
// options, or refuses it.
func (p *Page) prepare(trust func(path string, opt *doorcheck.Options) error) (Run, doorcheck.Plan, doorcheck.Options, error) {
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
		if err := trust(caFile, &opt); err != nil {
			return fail(err)
		}
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
// field to fix gets the focus. A CA file the field's last answer found
// wrong refuses the run too; the run's goroutine reads the file (nothing is
// read here, in Update), and the field asks again, in case it changed.
func (p *Page) Start() tea.Cmd {
	if p.job.Running() {
		return nil
	}
	run, plan, opt, err := p.prepare(func(path string, _ *doorcheck.Options) error {
		if problem := p.caProblem(); problem != "" {
			return caFileError(path, problem)
		}
		return nil
	})
	ask := p.askCAFile(true)
	if err != nil {
		p.say(err.Error())
		var in *inputError
		if errors.As(err, &in) {
			p.form.SetFocus(in.field)
			p.form.Load()
		}
		if in == nil || in.field != fieldCAFile {
			return nil
		}
		return ask // fixed since? the field says so, and the next run goes
	}
	p.form.Clear(fieldPassword) // the run has its copy
	p.form.SetFocus(fieldRun)
	p.form.Load()

	p.run = &run
	p.resultsFocused = false
	p.results.GotoTop()
	p.say("checking " + plan.Title + "…")
	caFile := run.CAFile
	return tea.Batch(ask, p.job.Start(func(ctx context.Context, emit func(doorcheck.Step)) doorcheck.Result {
		if caFile != "" {
			// What the file holds now, as --ca reads it at the start.
			roots, err := doorcheck.CAFileRoots(caFile)
			if err != nil {
				return caFileFailure(plan, caFile, err, emit)
			}
			opt.Roots = roots
		}
		return doorcheck.Run(ctx, plan, opt, emit)
	}))
}

// Cancel stops a running check (esc); false when none runs.
func (p *Page) Cancel() bool {
	if p.job.Cancel() {
		p.say("canceling the check…")
		return true
	}
	return false
}

// Message takes one of the screen's messages.
func (p *Page) Message(msg Msg) tea.Cmd {
	switch msg := msg.(type) {
	case caFileMsg:
		p.caFileRead(msg)
	case jobMsg:
		return p.job.Update(msg.Msg, p.stepsIn, p.ended)
	}
	return nil
}

// stepsIn takes the steps of the run on show that ended.
func (p *Page) stepsIn(steps []doorcheck.Step) {
	p.run.Steps = append(p.run.Steps, steps...)
}

// ended takes the run's result.
func (p *Page) ended(res doorcheck.Result) {
	res.Steps = nil // kept once, in run.Steps
	p.run.Result = &res
	p.placeSummary = true
	_, text := Outcome(res)
	p.say("check: " + text)
}

// Replay shows a run from recorded steps, through the messages a real run
// sends: running while res is nil, finished with res. Recorded durations
// keep the view stable (goldens); real runs are tested against nginx.
func (p *Page) Replay(r Run, res *doorcheck.Result) {
	steps := r.Steps
	r.Steps, r.Result = nil, nil
	r.settings = p.doc.Settings().Clone()
	p.run = &r
	p.job.Replay(steps, res, p.stepsIn, p.ended)
}
