package ldap

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"frontdoor/ldapcheck"
	"frontdoor/tui/common"
)

// UsersLines draws a listing's users: the table as `frontdoor ldap users`
// prints it (LOGIN, EMAIL, GROUPS, FLAGS, DN; flagged rows marked), what
// the limit and the server's size limit left out, and the flags that occur,
// explained. Table lines are not cut to width (the DN is last: scroll
// sideways); the rest is wrapped.
func UsersLines(st *common.Styles, l ldapcheck.UserList, width int) []string {
	var b strings.Builder
	ldapcheck.WriteUsers(&b, l)
	raw := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	out := make([]string, 0, len(raw)+12)
	for i, line := range raw {
		u := i - 1 // the user of the line; the header is 0
		switch {
		case i == 0:
			out = append(out, "  "+st.TableHeader.Render(line))
		case u < len(l.Users) && len(l.Users[u].Flags) > 0:
			out = append(out, "  "+st.WarnText.Render(line))
		case u < len(l.Users):
			out = append(out, "  "+st.Value.Render(line))
		default: // "(more users match: raise the limit...)"
			out = append(out, "  "+st.WarnText.Render(line))
		}
	}
	if l.SizeLimited {
		out = append(out, common.WrapPrefixed(common.GlyphWarning+" The server's size limit cut the list: entries are missing whatever the limit, "+
			"and the server misses them too (the Users in ... step names the account to raise it for).", width-4, "  ", "    ", st.WarnText)...)
	}
	count := map[ldapcheck.UserFlag]int{}
	for _, u := range l.Users {
		for _, f := range u.Flags {
			count[f]++
		}
	}
	if len(count) == 0 {
		return out
	}
	out = append(out, "", st.Heading.Render("Flags"))
	for _, f := range ldapcheck.UserFlags {
		if n := count[f]; n > 0 {
			name := string(f) + " (" + common.Itoa(n) + ")"
			lines := common.WrapPrefixed(name+": "+f.Meaning(), width, "  ", "    ", st.Value)
			// The flag's name stands out as in the table.
			lines[0] = "  " + st.WarnText.Render(name) + st.Value.Render(strings.TrimPrefix(ansi.Strip(lines[0]), "  "+name))
			out = append(out, lines...)
		}
	}
	return out
}

// UsersVerdict is the line that sums a listing up (the summary step's
// words), and how it was made.
func UsersVerdict(st *common.Styles, l ldapcheck.UserList, key string, width int) []string {
	var text string
	var style common.Renderer = st.ErrorText
	var sum *ldapcheck.Step
	failed := ""
	for i := range l.Steps {
		switch s := &l.Steps[i]; {
		case s.Kind == ldapcheck.StepSummary:
			sum = s
		case s.Status == ldapcheck.StatusFail && failed == "":
			failed = s.Name
		}
	}
	switch {
	case l.Canceled:
		text, style = common.GlyphWarning+" Listing canceled (esc): nothing more was sent to the directory.", st.WarnText
	case failed != "":
		text = common.GlyphError + " Listing failed at " + failed + " (see its hint)."
	case lockoutSkip(l.Steps) != nil:
		// Nothing failed: the manager's bind was held back, and "stopped
		// at" would not say why.
		s := lockoutSkip(l.Steps)
		text = common.GlyphError + " Not listed: " + s.Name + " was not tried, " + lockoutWhy(s) + " (see its hint)."
	case sum != nil:
		text = sum.Status.Symbol() + " Setting " + key + ": " + sum.Detail + "."
		switch sum.Status {
		case ldapcheck.StatusOK:
			style = st.OKText
		case ldapcheck.StatusWarn:
			style = st.WarnText
		}
	default:
		text = common.GlyphError + " Listing failed: see the ✗ step and its hint."
	}
	out := common.WrapPrefixed(text, width, "  ", "    ", st.Bold)
	for i := range out {
		out[i] = style.Render(ansi.Strip(out[i]))
	}
	if l.Filter != "" && len(l.Bases) > 0 {
		how := l.Filter + " under " + strings.Join(l.Bases, " | ") + ", as the manager (no user binds)."
		out = append(out, common.WrapPrefixed(how, width, "  ", "  ", st.Subtle)...)
	}
	return out
}
