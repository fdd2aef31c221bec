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
		case !unprintable(r, size):
			b.WriteString(s[i : i+size])
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
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	b.WriteByte('"')
	return b.String()
}

// unprintable reports whether a rune (size bytes of a string) is one Quote
// escapes: what could break or fool a terminal.
func unprintable(r rune, size int) bool {
	return r == utf8.RuneError && size == 1 || r < 0x20 || r == 0x7f ||
		unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
}

// firstUnprintable is the first character of s that Quote escapes, as Quote
// writes it (`\n`, `\x1b`, `\u202e`); "" when s has none.
func firstUnprintable(s string) string {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unprintable(r, size) {
			q := Quote(s[i : i+size])
			return q[1 : len(q)-1]
		}
		i += size
	}
	return ""
}
