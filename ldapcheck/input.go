// Step 1: what must hold before anything touches the network.

package ldapcheck

import "strings"

// checkInput refuses what must never reach the network: invalid settings,
// no username, an empty password (an "unauthenticated bind" would succeed
// on many servers without checking anything).
func (r *runner) checkInput() bool {
	if !r.checkSettings() {
		return false
	}
	if r.opt.Username == "" {
		r.emit(Step{Kind: StepInput, Name: "Username", Status: StatusFail, Detail: "no username to test",
			Hint: "give the login name of a real user (e.g. alice)", Reason: ReasonNoUsername})
		return false
	}
	if c := firstUnprintable(r.opt.Username); c != "" {
		// Refused, never sent: it would go into the DN and filter the
		// steps name, and from them to the terminal.
		r.emit(Step{Kind: StepInput, Name: "Username", Status: StatusFail, Detail: Quote(r.opt.Username) + " contains a control character (" + c + "): no directory has such a login name",
			Hint: "type the login name on one line of printable text (e.g. alice)", Reason: ReasonBadUsername})
		return false
	}
	if r.opt.LookupOnly {
		r.res.LookupOnly = true
		r.opt.Password = "" // never sent in a lookup
		return true
	}
	if r.opt.Password == "" {
		r.emit(Step{Kind: StepInput, Name: "Password", Status: StatusFail,
			Detail: "empty password refused before any bind: many servers accept a DN with an empty password without checking anything",
			Hint:   "give the test user's real password", Reason: ReasonEmptyPassword})
		return false
	}
	return true
}

// checkSettings refuses invalid settings before the network and reads the URL.
func (r *runner) checkSettings() bool {
	r.begin()
	errs := Validate(Config{Settings: []Setting{r.s}, Groups: r.groups}).Errors()
	if len(errs) > 0 {
		var lines []string
		for _, f := range errs {
			lines = append(lines, localPath(f.Path, r.groups)+": "+f.Message)
		}
		r.emit(Step{Kind: StepInput, Name: "Settings", Status: StatusFail, Detail: strings.Join(lines, "; "),
			Hint: "fix the settings first (frontdoor validate, or the wizard's LDAP form)", Reason: ReasonInvalidSettings})
		return false
	}
	var err error
	if r.ep, err = ParseURL(r.s.URL); err != nil { // cannot happen after Validate; kept for safety
		r.emit(Step{Kind: StepInput, Name: "Settings", Status: StatusFail, Detail: "url: " + err.Error(), Reason: ReasonInvalidSettings})
		return false
	}
	return true
}

// localPath turns "ldap.settings[0].url" into "url" and "ldap.groups[1].x"
// into "group NAME: x" for a run that sees one setting.
func localPath(path string, groups []GroupSetting) string {
	if rest, ok := strings.CutPrefix(path, SettingPath(0)); ok {
		return strings.TrimPrefix(rest, ".")
	}
	for j, g := range groups {
		if rest, ok := strings.CutPrefix(path, GroupPath(j)); ok {
			return "group " + g.Name + strings.Replace(rest, ".", " ", 1)
		}
	}
	return path
}
