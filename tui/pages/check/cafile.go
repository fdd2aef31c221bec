// The CA file's live finding, read off the UI goroutine (issue 8: no IO in
// Update or a layout): when the field's value changes, or a run is asked
// for, a command reads the file and answers with what it found, keyed by
// the path and a generation, so an answer a later question overtook is
// dropped. The field shows the last answer.

package check

import (
	tea "charm.land/bubbletea/v2"

	"frontdoor/doorcheck"
	"frontdoor/finding"
)

// caAnswer is what reading the CA file at path found.
type caAnswer struct {
	gen     int
	path    string
	problem string // CAFileProblem's words; "": a readable PEM file with a certificate
}

// caState is what the screen knows of the CA file: the last question and
// the last answer taken.
type caState struct {
	gen    int      // the last question's
	asked  string   // the path last asked about ("": none)
	answer caAnswer // the last answer taken (path "": none yet)
}

// CAFileProblem says what is wrong with a CA file typed into CA file (""
// when it is fine: a readable PEM file with a certificate, or nothing for
// the system's CAs), in doorcheck.CAFileRoots' words, as --ca says them.
// It reads the file: call it off the UI goroutine.
func CAFileProblem(v string) string {
	if path := normalCAFile(v); path != "" {
		if _, err := doorcheck.CAFileRoots(path); err != nil {
			return err.Error()
		}
	}
	return ""
}

// askCAFile is the command that reads the CA file typed, when its path is
// not the one last asked about (or force: a run is asked for, the file may
// have changed since); nil when there is nothing to read.
func (p *Page) askCAFile(force bool) tea.Cmd {
	path := p.caFile()
	if path == "" {
		p.ca.asked = ""
		return nil
	}
	if path == p.ca.asked && !force {
		return nil
	}
	p.ca.gen++
	p.ca.asked = path
	gen := p.ca.gen
	return func() tea.Msg { return caFileMsg{gen: gen, path: path, problem: CAFileProblem(path)} }
}

// caFileRead takes an answer, unless a later question overtook it.
func (p *Page) caFileRead(msg caFileMsg) {
	if msg.gen == p.ca.gen {
		p.ca.answer = caAnswer(msg)
	}
}

// caProblem is what the last answer about the CA file typed said ("":
// nothing wrong, or nothing known yet).
func (p *Page) caProblem() string {
	if path := p.caFile(); path != "" && p.ca.answer.path == path {
		return p.ca.answer.problem
	}
	return ""
}

// caFinding is the CA file's finding (nil: nothing). While the answer for
// the path typed is on its way the last one stands, so the line under the
// field does not blink at every key.
func (p *Page) caFinding() *finding.Finding {
	path := p.caFile()
	if path == "" || (p.ca.answer.path != path && p.ca.asked != path) {
		return nil
	}
	if msg := p.ca.answer.problem; msg != "" {
		return &finding.Finding{Path: caFilePath, Severity: finding.Error, Message: msg}
	}
	return nil
}

// caFileError refuses a run over the CA file, in the field's words.
func caFileError(path, problem string) error {
	return &inputError{field: fieldCAFile, msg: "CA file " + path + ": " + problem}
}

// caFileFailure is a run that could not read its CA file (it changed since
// the field's answer): the run's first and only failure, in the field's
// words, and nothing of the door checked.
func caFileFailure(plan doorcheck.Plan, path string, err error, emit func(doorcheck.Step)) doorcheck.Result {
	st := doorcheck.Step{Kind: doorcheck.KindInput, Name: "CA file", Target: path, Status: doorcheck.StatusFail,
		Reason: doorcheck.ReasonInvalidInput, Detail: path + ": " + err.Error(),
		Fix: doorcheck.Fix{Action: "give a PEM file of the CA that issued the door's certificate, or empty CA file for the system's CAs"}}
	emit(st)
	return doorcheck.Result{Title: plan.Title, Doors: len(plan.Endpoints()), Failed: 1, FirstFailure: &st, Steps: []doorcheck.Step{st}}
}
