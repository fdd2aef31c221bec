package accessible

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/huh/v2"

	"frontdoor/app"
	"frontdoor/finding"
	"frontdoor/ldapcheck"
	"frontdoor/tui/common"
	"frontdoor/tui/components/form"
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
			actions = append(actions, action{do: "test", label: "Test a login against the directory"},
				action{do: "users", label: "List the users the server will see"})
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
		case "users":
			err = s.listUsers()
		case "save":
			s.saveLDAP()
		case "back":
			if l := save.UnsavedLDAP(s.Doc); l != "" {
				// Leaving is not saving: say so, as the header's
				// "modified" does on the full screen.
				s.println("The LDAP settings are not saved: "+l+". Save them from this menu, with Save (the snippet and the settings), or when you quit.", "")
			}
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

// pickSetting asks which LDAP setting to test or list (the first enabled
// one when there is only one), then says what it is.
func (s *session) pickSetting(what string) (int, error) {
	c := s.Doc.File.LDAP
	i := s.firstEnabled()
	if len(c.Settings) > 1 {
		options := make([]huh.Option[int], len(c.Settings))
		for k, st := range c.Settings {
			options[k] = huh.NewOption(st.Key+" ("+st.URL+")", k)
		}
		if err := s.runField(huh.NewSelect[int]().Title(what + " which setting? [" + c.Settings[i].Key + "]").Options(options...).Value(&i)); err != nil {
			return 0, err
		}
	}
	return i, nil
}

// settingHeader reads out the setting about to be used: its URL, that its
// certificates are not verified, and the errors that stop the run before
// the network.
func (s *session) settingHeader(title string, i int, consequence, stops string) {
	c := s.Doc.File.LDAP
	setting := c.Settings[i]
	s.println(title + " " + setting.Key + ": " + setting.URL + ".")
	if setting.InsecureSkipVerify {
		s.println(common.GlyphError + " CERTIFICATES ARE NOT VERIFIED (insecureSkipVerify): " + consequence)
	}
	if errs := ldapcheck.ForSetting(s.Doc.LDAP.Findings, c, i).Errors(); len(errs) > 0 {
		s.println(common.CountNoun(len(errs), "error") + " in the settings: " + stops + " stops before the network. First: " + errs[0].Path + ": " + errs[0].Message)
	}
}

// lookupOnlyQuestion asks for the test panel's Lookup only toggle.
const lookupOnlyQuestion = "Lookup only (no password sent, no lockout risk)?"

// riskLockoutControl is how the hint of a bind skipped for the lockout
// risk names the test panel's Risk a lockout question.
var riskLockoutControl = `yes to "` + ldap.RiskLockoutField().Label + `?"`

// testLogin asks for a login and runs the test against the directory,
// reading out each step as it ends, then the verdict. It asks the test
// panel's questions (ldap.TestFields): Lookup only first, then, unless
// looking up only, Risk a lockout; the user and, unless looking up only,
// the password; the passwords are read without
// echo at a terminal and forgotten after the run.
func (s *session) testLogin() error {
	i, err := s.pickSetting("Test")
	if err != nil {
		return err
	}
	c := s.Doc.File.LDAP
	setting := c.Settings[i]
	s.settingHeader("Test LDAP setting", i, "a pass here proves less.", "the test")
	var login ldap.Login
	needsManager := ldap.NeedsManagerPassword(setting, s.Getenv)
	fields := ldap.TestFields(func() bool { return needsManager }, func() string { return ldap.ManagerSource(setting.Search) })
	if err := s.askLogin(&login, fields); err != nil {
		return err
	}
	opts := ldapcheck.Options{Username: login.User, Password: login.Password, LookupOnly: login.LookupOnly,
		AllowLockoutRisk: login.RiskLockout && !login.LookupOnly, LockoutRiskControl: riskLockoutControl, Getenv: s.Getenv}
	if opts.LookupOnly {
		opts.Password = "" // never sent
		s.println(common.GlyphWarning + " LOOKUP ONLY: no password is sent; the user's bind is NOT tested.")
	}
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

// askLogin asks the test panel's fields one by one: a toggle as a yes/no
// question (the fields' toggles have GetBool and SetBool, not Set), a
// password without echo, text as one line; a field the answers so far hide
// (the password after Lookup only) is skipped.
func (s *session) askLogin(login *ldap.Login, fields []form.Field[ldap.Login]) error {
	for k := range fields {
		f := &fields[k]
		if !f.Shown(login) {
			continue
		}
		if hint := f.HintFor(login); hint != "" {
			s.println(hint)
		}
		switch {
		case f.Kind == form.Toggle:
			v := f.GetBool(login)
			title := f.Label + "?"
			if f.Label == ldap.LookupOnlyField().Label {
				title = lookupOnlyQuestion
			}
			if err := s.runField(huh.NewConfirm().Title(title).Value(&v)); err != nil {
				return err
			}
			f.SetBool(login, v)
		case f.Secret:
			v, err := s.secret(f.Label + ":")
			if err != nil {
				return err
			}
			f.Set(login, v)
		default:
			v := ""
			if err := s.runField(huh.NewInput().Title(f.Label + " (" + f.Placeholder + "):").Value(&v)); err != nil {
				return err
			}
			f.Set(login, strings.TrimSpace(v))
		}
	}
	return nil
}

// listUsers lists, as the manager, the users the server will see (the
// Users view, read out): the steps as they end, then the verdict, the table
// and the flags explained. Nothing binds as a user.
func (s *session) listUsers() error {
	i, err := s.pickSetting("List the users of")
	if err != nil {
		return err
	}
	c := s.Doc.File.LDAP
	setting := c.Settings[i]
	s.settingHeader("Users of LDAP setting", i, "the list proves less.", "the listing")
	needsManager := ldap.NeedsManagerPassword(setting, s.Getenv)
	query := ldap.UsersQuery{Limit: strconv.Itoa(ldapcheck.DefaultListLimit)}
	fields := ldap.UsersFields(func() bool { return needsManager }, func() string { return ldap.ManagerSource(setting.Search) },
		func() bool { return strings.TrimSpace(setting.Search.ManagerDN) != "" })
	for k := range fields {
		f := &fields[k]
		if !f.Shown(&query) {
			continue
		}
		if hint := f.HintFor(&query); hint != "" {
			s.println(hint)
		}
		if f.Kind == form.Toggle { // Risk a lockout, as the test asks it
			v := f.GetBool(&query)
			if err := s.runField(huh.NewConfirm().Title(f.Label + "?").Value(&v)); err != nil {
				return err
			}
			f.SetBool(&query, v)
			continue
		}
		if f.Secret {
			v, err := s.secret(f.Label + ":")
			if err != nil {
				return err
			}
			f.Set(&query, v)
			continue
		}
		cur := f.Get(&query)
		v := cur
		input := huh.NewInput().Title(f.Label + " [" + cur + "]:").Value(&v)
		if f.Kind == form.Number {
			input = input.Validate(func(typed string) error {
				if t := strings.TrimSpace(typed); t != "" && !form.Digits(t) {
					return fmt.Errorf("%s: type digits only (0 lists all)", ldapcheck.Quote(t))
				}
				return nil
			})
		}
		if err := s.runField(input); err != nil {
			return err
		}
		if v = strings.TrimSpace(v); v != "" {
			f.Set(&query, v)
		}
	}
	opts := ldapcheck.Options{Getenv: s.Getenv, AllowLockoutRisk: query.RiskLockout, LockoutRiskControl: riskLockoutControl}
	if needsManager {
		opts.ManagerPassword = query.ManagerPassword
	}
	query.ManagerPassword = "" // the listing has its copy
	s.println("Listing; each step is read out as it ends.")
	list := ldapcheck.ListUsers(s.ctx, setting, c.Groups, opts, ldapcheck.ListOptions{Limit: ldap.ListLimit(query.Limit)}, func(step ldapcheck.Step) {
		s.println(ldap.StepLines(s.Styles, step, common.AccessibleWidth)...)
	})
	s.println("")
	s.println(ldap.UsersVerdict(s.Styles, list, setting.Key, common.AccessibleWidth)...)
	if len(list.Users) > 0 {
		s.println("")
		s.println(ldap.UsersLines(s.Styles, list, common.AccessibleWidth)...)
	}
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
