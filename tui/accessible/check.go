package accessible

import (
	"errors"
	"strings"

	"charm.land/huh/v2"

	"frontdoor/doorcheck"
	"frontdoor/tui/common"
	"frontdoor/tui/components/form"
	checkpage "frontdoor/tui/pages/check"
)

// checkDoor is the Check screen, asked and read out: the same questions
// (the address every name goes to, the Docker user and password), the same
// refusals (check.Page.Prepare), then doorcheck.Run with each step read out
// as it ends, in the words `frontdoor check` prints. The password is read
// without echo at a terminal and forgotten once the run has its copy.
func (s *session) checkDoor() error {
	s.println("Check the door: " + checkpage.Intro())
	if n := s.Doc.Proxy.Issues.Errors; n > 0 {
		s.println("The HTTP settings have "+common.CountNoun(n, "error")+": the check plans from settings that render. Fix them first (HTTP settings).", "")
		return nil
	}
	if s.Doc.ProxyDirty() {
		s.println("The settings have unsaved edits: the check follows them, while the door serves what was last saved.")
	}
	in, fields := s.Check.Questions()
	for i := range fields {
		f := &fields[i]
		if f.Kind != form.Text || !f.Shown(in) {
			continue
		}
		if hint := f.HintFor(in); hint != "" {
			s.println(hint)
		}
		if f.Secret {
			v, err := s.secret(f.Label + ":")
			if err != nil {
				return err
			}
			f.Set(in, v)
			continue
		}
		cur := f.Get(in)
		v := cur
		title := f.Label + " [" + cur + "]:"
		if cur != "" {
			title = f.Label + " [" + cur + "] (- for none):"
		}
		prompt := huh.NewInput().Title(title).Value(&v)
		if f.Label == fields[0].Label { // the address: the field's own check
			prompt = prompt.Validate(func(typed string) error {
				if strings.TrimSpace(typed) == "-" {
					return nil
				}
				return problem(checkpage.AddressProblem(typed))
			})
		}
		if err := s.runField(prompt); err != nil {
			return err
		}
		switch v = strings.TrimSpace(v); {
		case v == "-":
			f.Set(in, "")
		case v != "" && v != cur:
			f.Set(in, v)
		}
	}
	run, plan, opt, err := s.Check.Prepare()
	s.Check.ForgetPassword() // the run has its copy
	if err != nil {
		s.println("Not checked: "+err.Error()+".", "")
		return nil
	}
	s.println("Checking " + plan.Title + ": " + strings.Join(plan.Endpoints(), ", ") + ". Each step is read out as it ends.")
	res := doorcheck.Run(s.ctx, plan, opt, func(step doorcheck.Step) {
		run.Steps = append(run.Steps, step)
		s.println(checkpage.StepLines(s.Styles, step, common.AccessibleWidth)...)
	})
	s.Check.Record(run, res)
	mark, what := checkpage.Outcome(res)
	s.println(mark.Symbol()+" Check: "+what+".", "")
	return nil
}

// problem is a validator's message as huh takes it (nil: fine).
func problem(msg string) error {
	if msg == "" {
		return nil
	}
	return errors.New(msg)
}
