// What a listing says about its users: flags, the summary step, the table.

package ldapcheck

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/go-ldap/ldap/v3"
)

// flagUsers marks entries without email, found under several bases, or
// sharing a login name with another: under the same base the server finds
// both and refuses the login; under different bases the first base wins
// and the other entry never logs in.
func flagUsers(l *UserList, emailAttribute string) {
	firstBase := func(u ListedUser) int { return slices.Index(l.Bases, u.Bases[0]) }
	byLogin := map[string][]int{}
	for i, u := range l.Users {
		if u.Login != "" {
			byLogin[strings.ToLower(u.Login)] = append(byLogin[strings.ToLower(u.Login)], i)
		}
	}
	for i := range l.Users {
		u := &l.Users[i]
		if emailAttribute != "" && u.Email == "" {
			u.Flags = append(u.Flags, FlagNoEmail)
		}
		if len(u.Bases) > 1 {
			u.Flags = append(u.Flags, FlagSeveralBases)
		}
		same, earlier := false, false
		for _, j := range byLogin[strings.ToLower(u.Login)] {
			switch other := l.Users[j]; {
			case j == i:
			case firstBase(other) == firstBase(*u):
				same = true
			case firstBase(other) < firstBase(*u):
				earlier = true
			}
		}
		if same {
			u.Flags = append(u.Flags, FlagDuplicateLogin)
		}
		if earlier {
			u.Flags = append(u.Flags, FlagShadowed)
		}
	}
}

func (r *runner) listSummary(l *UserList) {
	st := Step{Kind: StepSummary, Name: "Summary", Status: StatusOK}
	failed := 0
	for _, s := range r.res.Steps {
		if s.Status == StatusFail {
			failed++
			st.Status, st.Reason = StatusFail, s.Reason
		}
	}
	count := map[UserFlag]int{}
	for _, u := range l.Users {
		for _, f := range u.Flags {
			count[f]++
		}
	}
	var parts []string
	switch {
	case r.res.Canceled:
		parts, st.Status, st.Reason = append(parts, "canceled"), StatusFail, ReasonCanceled
	case failed > 0:
		parts = append(parts, fmt.Sprintf("%d user(s) listed; %d step(s) failed above", len(l.Users), failed))
	case len(l.Users) == 0:
		st.Status, st.Reason = StatusFail, ReasonNotFound
		parts = append(parts, "no entry matches "+l.Filter+" under the search bases: nobody could log in with these settings")
	default:
		n := fmt.Sprintf("%d user(s)", len(l.Users))
		if l.More {
			n = fmt.Sprintf("the first %d user(s); more match (raise the limit to see them)", len(l.Users))
		}
		parts = append(parts, n)
	}
	if l.SizeLimited {
		parts = append(parts, "the server's size limit cut the list")
		if st.Status == StatusOK {
			st.Status, st.Reason = StatusWarn, ReasonSizeLimit
		}
	}
	for _, f := range []struct {
		flag UserFlag
		what string
	}{{FlagNoEmail, "without email"}, {FlagSeveralBases, "under several bases"},
		{FlagDuplicateLogin, "sharing a login name under one base (the server refuses their logins)"},
		{FlagShadowed, "hidden by an entry with the same login name under an earlier base (they never log in)"},
		{FlagDisabled, "disabled"}, {FlagLocked, "locked out"}, {FlagExpired, "expired"},
		{FlagMustChangePassword, "that must change their password first (the server cannot)"}, {FlagPasswordExpired, "with an expired password"}} {
		if n := count[f.flag]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, f.what))
		}
	}
	st.Detail = strings.Join(parts, "; ")
	r.emit(st)
}

// loginOf is the entry's login name: the login attribute's value, or its
// first RDN's value when the filter names none.
func loginOf(e *ldap.Entry, attr string) string {
	if attr != "" {
		return e.GetEqualFoldAttributeValue(attr)
	}
	return rdnValue(e.DN, "")
}

// dnKey compares DNs as directories do: attribute types and values
// without regard to case or escaping.
func dnKey(dn string) string {
	d, err := ldap.ParseDN(dn)
	if err != nil {
		return strings.ToLower(dn)
	}
	var b strings.Builder
	for i, rdn := range d.RDNs {
		if i > 0 {
			b.WriteByte(',')
		}
		for j, a := range rdn.Attributes {
			if j > 0 {
				b.WriteByte('+')
			}
			b.WriteString(strings.ToLower(a.Type) + "=" + strings.ToLower(a.Value))
		}
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// WriteUsers prints the listing as an aligned table, one user per line:
// LOGIN, EMAIL, GROUPS, FLAGS, DN ("-" for none), then a line when the
// limit cut the list. Group names carry their setting's name when the
// setting has more than one group setting.
func WriteUsers(w io.Writer, l UserList) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "LOGIN\tEMAIL\tGROUPS\tFLAGS\tDN")
	settings := map[string]bool{}
	for _, u := range l.Users {
		for _, g := range u.Groups {
			settings[g.Setting] = true
		}
	}
	for _, u := range l.Users {
		var groups, flags []string
		for _, g := range u.Groups {
			if len(settings) > 1 {
				groups = append(groups, g.Setting+":"+g.Name)
			} else {
				groups = append(groups, g.Name)
			}
		}
		for _, f := range u.Flags {
			flags = append(flags, string(f))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", orDash(u.Login), orDash(u.Email), orDash(strings.Join(groups, ",")), orDash(strings.Join(flags, ",")), u.DN)
	}
	if l.More {
		fmt.Fprintf(tw, "(more users match: raise the limit to list them)\n")
	}
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
