package ldapcheck

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Quote shows a name someone typed (a username, a DN, a setting's key, an
// attribute) as typed, between plain double quotes: CORP\svc-reader shows
// as "CORP\svc-reader", where Go's %q would double the backslash and send
// the admin looking for two. Only what could break or fool a terminal is
// escaped: control characters (\n, \r, \t, \x1b...), Unicode format and
// separator characters such as a right-to-left override (\u202e), and
// bytes that are not UTF-8 (\xff). Every message that repeats a typed
// name uses it.
func Quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
	return b.String()
}
