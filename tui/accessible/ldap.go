package accessible

import (
	"fmt"
	"strings"

	"charm.land/huh/v2"

	"frontdoor/app"
	"frontdoor/finding"
	"frontdoor/ldapcheck"
	"frontdoor/tui/common"
	"frontdoor/tui/pages/ldap"
	"frontdoor/tui/pages/save"
)

// validateLDAP is the LDAP validator, as the LDAP screen runs it on every
// keystroke.
func (s *session) validateLDAP() finding.Findings { return ldapcheck.Validate(s.Doc.File.LDAP) }

// ldapMenu lists the LDAP and group settings with their findings and asks
// what to do: edit one, add, delete, test a login, save, or go back.
func (s *session) ldapMenu() error {
	for {
		c := &s.Doc.File.LDAP
		s.println("LDAP settings: "+s.ldapSummary()+".", "")
		type action struct {
			do    string // edit, add, delete, test, save, back
			group bool
			index int
			label string
		}
		var actions []action
		for i, st := range c.Settings {
			actions = append(actions, action{do: "edit", index: i, label: "Edit LDAP setting " + st.Key + " (" + st.URL + ")" + s.counts(ldapcheck.SettingPath(i))})
		}
		for j, g := range c.Groups {
			actions = append(actions, action{do: "edit", group: true, index: j, label: "Edit group setting " + g.Name + " (from " + g.LDAPSetting + ")" + s.counts(ldapcheck.GroupPath(j))})
		}
		actions = append(actions, action{do: "add", label: "Add an LDAP setting"}, action{do: "add", group: true, label: "Add a group setting"})
		if len(c.Settings)+len(c.Groups) > 0 {
			actions = append(actions, action{do: "delete", label: "Delete a setting"})
		}
		if len(c.Settings) > 0 {
			actions = append(actions, action{do: "test", label: "Test a login against the directory"})
		}
		actions = append(actions, action{do: "save", label: "Save the LDAP settings to " + s.ConfigPath}, action{do: "back", label: "Back to the menu"})
		options := make([]huh.Option[int], len(actions))
		for i, a := range actions {
			options[i] = huh.NewOption(a.label, i)
		}
		choice := len(actions) - 1
		if err := s.runField(huh.NewSelect[int]().Title("LDAP: what next? [Back to the menu]").Options(options...).Value(&choice)); err != nil {
			return err
		}
		if s.in.eof {
			return nil
		}
		a := actions[choice]
		var err error
		switch a.do {
		case "edit":
			err = s.editRecord(a.group, a.index)
		case "add":
			if a.group {
				err = s.editRecord(true, ldap.AddGroup(s.Doc, s.firstEnabled()))
			} else {
				err = s.editRecord(false, ldap.AddSetting(s.Doc))
			}
		case "delete":
			err = s.deleteRecord()
		case "test":
			err = s.testLogin()
		case "save":
			s.saveLDAP()
		case "back":
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// ldapSummary is the section in one line: its records and its findings.
func (s *session) ldapSummary() string {
	c := &s.Doc.File.LDAP
	parts := []string{common.CountNoun(len(c.Settings), "LDAP setting"), common.CountNoun(len(c.Groups), "group setting")}
	ic := s.Doc.LDAP.Issues
	switch {
	case ic.Errors+ic.Warnings == 0:
		parts = append(parts, "valid")
	default:
		parts = append(parts, strings.ReplaceAll(common.Summary(s.Styles, ic), " · ", ", "))
	}
	return strings.Join(parts, ", ")
}

// counts says how many findings a record has, for its menu entry.
func (s *session) counts(path string) string {
	ic := common.CountIssues(s.Doc.LDAP.Findings.For(path))
	var parts []string
	if ic.Errors > 0 {
		parts = append(parts, common.CountNoun(ic.Errors, "error"))
	}
	if ic.Warnings > 0 {
		parts = append(parts, common.CountNoun(ic.Warnings, "warning"))
	}
	if len(parts) == 0 {
		return ""
	}
	return ": " + strings.Join(parts, ", ")
}

// firstEnabled is the LDAP setting new group settings and tests are for by
// default: the first enabled one (-1: none).
func (s *session) firstEnabled() int {
	c := &s.Doc.File.LDAP
	for i, st := range c.Settings {
		if st.Enabled {
			return i
		}
	}
	if len(c.Settings) > 0 {
		return 0
	}
	return -1
}

// editRecord asks every field of an LDAP setting or group setting, then
// reads out what remains to fix in it.
func (s *session) editRecord(group bool, index int) error {
	fields := ldap.SettingFields(index)
	path, what := ldapcheck.SettingPath(index), "LDAP setting "+s.Doc.File.LDAP.Settings[index].Key
	if group {
		fields = ldap.GroupFields(index)
		path, what = ldapcheck.GroupPath(index), "Group setting "+s.Doc.File.LDAP.Groups[index].Name
	}
	s.println(what + ":")
	for i := range fields {
		if err := s.ask(&fields[i], s.validateLDAP); err != nil {
			return err
		}
	}
	fs := s.Doc.LDAP.Findings.For(path)
	if len(fs) == 0 {
		s.println(what+": valid.", "")
		return nil
	}
	for _, f := range fs {
		s.println(common.FindingText(f, "ldap."))
	}
	s.println("")
	return nil
}

// deleteRecord asks which setting to delete, then asks again.
func (s *session) deleteRecord() error {
	c := &s.Doc.File.LDAP
	type rec struct {
		group bool
		index int
	}
	var recs []rec
	var options []huh.Option[int]
	for i, st := range c.Settings {
		options = append(options, huh.NewOption("LDAP setting "+st.Key, len(recs)))
		recs = append(recs, rec{index: i})
	}
	for j, g := range c.Groups {
		options = append(options, huh.NewOption("group setting "+g.Name, len(recs)))
		recs = append(recs, rec{group: true, index: j})
	}
	options = append(options, huh.NewOption("none: keep them all", len(recs)))
	choice := len(recs)
	if err := s.runField(huh.NewSelect[int]().Title("Delete which? [none]").Options(options...).Value(&choice)); err != nil {
		return err
	}
	if choice == len(recs) {
		return nil
	}
	r := recs[choice]
	what, detail := ldap.DeleteDetail(s.Doc, r.group, r.index)
	s.println(strings.Replace(detail, "ctrl+s; ctrl+z brings it back", "Save in this menu", 1))
	yes := false
	if err := s.runField(huh.NewConfirm().Title("Delete " + what + "?").Value(&yes)); err != nil {
		return err
	}
	if yes {
		ldap.Delete(s.Doc, r.group, r.index)
		s.println("Deleted "+what+".", "")
	}
	return nil
}

// testLogin asks for a login and runs the test against the directory,
// reading out each step as it ends, then the verdict. The passwords are
// read without echo at a terminal and forgotten after the run.
func (s *session) testLogin() error {
	c := s.Doc.File.LDAP
	i := s.firstEnabled()
	if len(c.Settings) > 1 {
		options := make([]huh.Option[int], len(c.Settings))
		for k, st := range c.Settings {
			options[k] = huh.NewOption(st.Key+" ("+st.URL+")", k)
		}
		if err := s.runField(huh.NewSelect[int]().Title("Test which setting? [" + c.Settings[i].Key + "]").Options(options...).Value(&i)); err != nil {
			return err
		}
	}
	setting := c.Settings[i]
	s.println("Test LDAP setting " + setting.Key + ": " + setting.URL + ".")
	if setting.InsecureSkipVerify {
		s.println(common.GlyphError + " CERTIFICATES ARE NOT VERIFIED (insecureSkipVerify): a pass here proves less.")
	}
	if errs := ldapcheck.ForSetting(s.Doc.LDAP.Findings, c, i).Errors(); len(errs) > 0 {
		s.println(common.CountNoun(len(errs), "error") + " in the settings: the test stops before the network. First: " + errs[0].Path + ": " + errs[0].Message)
	}
	var login ldap.Login
	needsManager := ldap.NeedsManagerPassword(setting, s.Getenv)
	fields := ldap.LoginFields(func() bool { return needsManager }, func() string { return ldap.ManagerSource(setting.Search) })
	for k := range fields {
		f := &fields[k]
		if !f.Shown(&login) {
			continue
		}
		if hint := f.HintFor(&login); hint != "" {
			s.println(hint)
		}
		if f.Secret {
			v, err := s.secret(f.Label + ":")
			if err != nil {
				return err
			}
			f.Set(&login, v)
			continue
		}
		v := ""
		if err := s.runField(huh.NewInput().Title(f.Label + " (" + f.Placeholder + "):").Value(&v)); err != nil {
			return err
		}
		f.Set(&login, strings.TrimSpace(v))
	}
	opts := ldapcheck.Options{Username: login.User, Password: login.Password, Getenv: s.Getenv}
	if needsManager {
		opts.ManagerPassword = login.ManagerPassword
	}
	login = ldap.Login{} // the run has its copy
	s.println("Running the test; each step is read out as it ends.")
	res := ldapcheck.Run(s.ctx, setting, c.Groups, opts, func(step ldapcheck.Step) {
		s.println(ldap.StepLines(s.Styles, step, common.AccessibleWidth)...)
	})
	s.println(ldap.Verdict(s.Styles, res, setting.Key, common.AccessibleWidth)...)
	s.println("")
	return nil
}

// saveLDAP saves through the LDAP screen's own action: the same checks,
// the same file, the same words.
func (s *session) saveLDAP() {
	cmd := s.LDAP.Save()
	if cmd != nil {
		// The screen asks for the write; it runs as the full screen runs it
		// (app.SaveSettings over the file as loaded).
		if req, ok := cmd().(save.SettingsRequestMsg); ok {
			s.runJob(save.Job{Op: app.OpSettings, LDAP: true, Req: save.LDAPRequest(s.Doc, req.File)})
		}
	}
	s.println(fmt.Sprintf("%s.", s.Status.String()))
	if s.Doc.LDAP.Issues.Errors > 0 {
		for _, f := range s.Doc.LDAP.Findings.Errors() {
			s.println(common.FindingText(f, "ldap."))
		}
	}
	s.println("")
}
