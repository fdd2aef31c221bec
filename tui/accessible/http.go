package accessible

import (
	"fmt"
	"strings"

	"charm.land/huh/v2"

	"frontdoor/finding"
	"frontdoor/render"
	"frontdoor/tui/common"
	"frontdoor/tui/components/form"
	"frontdoor/tui/document"
	"frontdoor/tui/pages/proxy"
	"frontdoor/tui/pages/save"
)

// validateProxy is the proxy validator, as the full-screen wizard runs it
// on every keystroke.
func (s *session) validateProxy() finding.Findings { return render.Validate(s.Doc.Settings()) }

// walkHTTP asks every step, then the review and the save.
func (s *session) walkHTTP() error {
	for sid := proxy.StepProvider; sid < proxy.StepReview; sid++ {
		if err := s.askStep(sid); err != nil {
			return err
		}
	}
	return s.review()
}

// askStep asks every field of a step shown for the current settings.
func (s *session) askStep(sid proxy.Step) error {
	s.println(fmt.Sprintf("Step %d of %d: %s.", sid+1, proxy.StepCount, proxy.Steps[sid].Title), proxy.Steps[sid].Intro)
	fields := s.Proxy.Form(sid).Fields()
	for i := range fields {
		if !fields[i].Shown(s.Doc) {
			continue
		}
		if err := s.askProxy(&fields[i]); err != nil {
			return err
		}
	}
	switch sid {
	case proxy.StepPublic:
		s.readCertificates()
	case proxy.StepExtras:
		s.readClientCA()
	}
	s.println("")
	return nil
}

// askProxy asks a field of the HTTP settings; the document follows (the
// validation, and the target follows a new provider).
func (s *session) askProxy(f *form.Field[document.Document]) error {
	if err := s.ask(f, s.validateProxy); err != nil {
		return err
	}
	s.Doc.ProxyChanged()
	return nil
}

// readCertificates reads the certificate files (no Bubble Tea here: plain
// IO is fine) and reads out the certificate panel.
func (s *session) readCertificates() {
	p := s.Doc.Settings()
	if !p.HTTPS.Enabled || (p.HTTPS.Certificate == "" && p.HTTPS.Key == "") {
		return
	}
	s.Doc.SetCerts(s.LoadCertificates(p.HTTPS.Certificate, p.HTTPS.Key))
	s.println(proxy.CertPanel(s.Styles, s.Doc, false, common.AccessibleWidth)...)
	for _, f := range append(s.Doc.Proxy.Findings.For("proxy.https.certificate"), s.Doc.Proxy.Findings.For("proxy.https.key")...) {
		s.println(common.FindingText(f, "proxy."))
	}
}

// readClientCA reads the mTLS client CA with the certificate files and
// reads out what is wrong with it.
func (s *session) readClientCA() {
	p := s.Doc.Settings()
	if !p.HTTPS.Enabled || !p.MTLS.Enabled || p.MTLS.ClientCA == "" {
		return
	}
	ci := s.LoadCertificates(p.HTTPS.Certificate, p.HTTPS.Key)
	ci.ClientCA = s.LoadClientCA(p.MTLS.ClientCA)
	s.Doc.SetCerts(ci)
	for _, f := range s.Doc.Proxy.Findings.For("proxy.mtls.clientCA") {
		s.println(common.FindingText(f, "proxy."))
	}
}

// review reads out the findings, lets the user fix the errors, asks where
// to save, and saves.
func (s *session) review() error {
	d := s.Doc
	s.println(fmt.Sprintf("Step %d of %d: %s.", proxy.StepReview+1, proxy.StepCount, proxy.Steps[proxy.StepReview].Title))
	for round := 0; d.Proxy.Issues.Errors > 0; round++ {
		s.println(fmt.Sprintf("%s remain:", common.CountNoun(d.Proxy.Issues.Errors, "error")))
		for _, f := range d.Proxy.Findings.Errors() {
			s.println(common.FindingText(f, "proxy."))
		}
		fix := true
		if err := s.runField(huh.NewConfirm().Title("Fix them now? (No goes back without saving)").Value(&fix)); err != nil {
			return err
		}
		if !fix || round == 20 || s.in.eof {
			s.println("Not saved.", "")
			return nil
		}
		for _, f := range d.Proxy.Findings.Errors() {
			if fd := s.fieldFor(f.Path); fd != nil {
				if err := s.askProxy(fd); err != nil {
					return err
				}
			}
		}
	}
	for _, f := range d.Proxy.Findings.Warnings() {
		s.println(common.FindingText(f, "proxy."))
	}
	if out, err := render.Render(d.Settings()); err == nil {
		lines := splitLines(out)
		show := false
		if err := s.runField(huh.NewConfirm().Title(fmt.Sprintf("The snippet has %d lines. Read it now?", len(lines))).Value(&show)); err != nil {
			return err
		}
		if show {
			s.println(lines...)
		}
	}
	if save.Snippet(d) {
		s.Proxy.DetectNow() // the notes are about the machine now
		s.println("Where it goes, and where each choice came from (detected, remembered in the settings file, a flag, edited, default):")
		fields := s.Proxy.Form(proxy.StepReview).Fields()
		for i := range fields {
			if fields[i].Shown(d) && fields[i].Kind != form.Button {
				if fields[i].Note != nil && fields[i].Kind != form.Info {
					s.println(fields[i].Label + ": " + fields[i].Note(d) + ".")
				}
				if err := s.ask(&fields[i], nil); err != nil {
					return err
				}
			}
		}
		for _, n := range d.Target.Notes {
			s.println(n + ".")
		}
		if d.Target.Err != "" {
			s.println(d.Target.Err + ".")
		}
	}
	const (
		all      = "all"
		settings = "settings"
		none     = "none"
	)
	choice := all
	options := []huh.Option[string]{huh.NewOption("Save the settings to "+s.ConfigPath, all)}
	if save.Snippet(d) {
		options = []huh.Option[string]{
			huh.NewOption("Save: "+save.PlanText(d, true), all),
			huh.NewOption("Save settings only: write "+s.ConfigPath+", install nothing", settings),
		}
	}
	options = append(options, huh.NewOption("Do not save", none))
	if err := s.runField(huh.NewSelect[string]().Title("Save? [Save]").Options(options...).Value(&choice)); err != nil {
		return err
	}
	if choice == none || s.in.eof {
		s.println("Not saved.", "")
		return nil
	}
	cmd := s.Proxy.StartSave()
	if choice == settings {
		cmd = s.Proxy.SaveSettingsOnly()
	}
	if cmd == nil {
		s.println("Not saved: "+s.Status.String()+".", "")
		return nil
	}
	s.println("Saving; each step is read out as it happens.")
	s.follow(cmd)
	s.println("")
	return nil
}

// fieldFor is the field that shows findings at path (nil when none).
func (s *session) fieldFor(path string) *form.Field[document.Document] {
	f := s.Proxy.Form(s.Proxy.StepOf(path))
	if !f.FocusPath(path) {
		return nil
	}
	return f.Focused()
}

// splitLines splits a file into lines without their line ends.
func splitLines(b []byte) []string {
	text := strings.TrimSuffix(string(b), "\n")
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n")
}
