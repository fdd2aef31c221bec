// Step 7: the email attribute on the user's entry.

package ldapcheck

import (
	"fmt"
	"strings"
)

func (r *runner) email() {
	r.begin()
	attr := r.s.EmailAttribute
	name := "Email attribute " + attr
	switch {
	case attr == "":
		r.emit(Step{Kind: StepEmail, Name: "Email attribute", Status: StatusSkip, Detail: "emailAttribute is empty: users get no email address"})
		return
	case r.userEntry == nil:
		r.emit(Step{Kind: StepEmail, Name: name, Status: StatusSkip, Detail: "the user's entry could not be read"})
		return
	}
	if v := r.userEntry.GetEqualFoldAttributeValue(attr); v != "" {
		r.res.Email = v
		r.emit(Step{Kind: StepEmail, Name: name, Status: StatusOK, Detail: attr + ": " + v})
		return
	}
	var names []string
	for _, a := range r.userEntry.Attributes {
		names = append(names, a.Name)
	}
	r.emit(Step{Kind: StepEmail, Name: name, Status: StatusWarn, Reason: ReasonNoEmail,
		Detail: fmt.Sprintf("%s has no %s; its attributes: %s", r.userEntry.DN, attr, strings.Join(names, ", ")),
		Hint:   "set emailAttribute to the one holding the address (often mail or userPrincipalName), or fill it in the directory"})
}
