package ldapcheck

import "testing"

func TestQuote(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "alice", `"alice"`},
		{"a down-level name keeps one backslash", `CORP\svc-reader`, `"CORP\svc-reader"`},
		{"an escaped DN stays as typed", `cn=Smith\, John,ou=people`, `"cn=Smith\, John,ou=people"`},
		{"quotes stay", `a"b`, `"a"b"`},
		{"letters beyond ASCII stay", "Zoë Müller", `"Zoë Müller"`},
		{"empty", "", `""`},
		{"newline", "alice\nbob", `"alice\nbob"`},
		{"carriage return and tab", "a\rb\tc", `"a\rb\tc"`},
		{"terminal escape", "\x1b[31mred", `"\x1b[31mred"`},
		{"NUL and DEL", "a\x00b\x7f", `"a\x00b\x7f"`},
		{"C1 control", "a\u009bb", `"a\u009bb"`},
		{"right-to-left override", "admin\u202egpj.exe", `"admin\u202egpj.exe"`},
		{"line separator", "a\u2028b", `"a\u2028b"`},
		{"not UTF-8", "a\xffb", `"a\xffb"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Quote(tc.in); got != tc.want {
				t.Errorf("Quote(%q) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}
