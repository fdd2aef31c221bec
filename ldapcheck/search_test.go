package ldapcheck

import (
	"testing"

	"github.com/go-ldap/ldap/v3"
)

func TestFilterValue(t *testing.T) {
	tests := []struct{ in, want string }{
		{"alice", "alice"},
		{"*", `\2a`},
		{"x)(uid=*", `x\29\28uid=\2a`},
		{`back\slash`, `back\5cslash`},
		{"nul\x00", `nul\00`},
		{"Zoë Müller", "Zoë Müller"},
		{"cn=Smith\\2C John,dc=x", `cn=Smith\5c2C John,dc=x`},
		{"bad\xffutf8*", `bad\ffutf8\2a`}, // not UTF-8: escaped byte by byte, as go-ldap does
	}
	for _, tc := range tests {
		if got := filterValue(tc.in); got != tc.want {
			t.Errorf("filterValue(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if _, err := ldap.CompileFilter("(cn=" + filterValue(tc.in) + ")"); err != nil {
			t.Errorf("(cn=%s) does not compile: %v", filterValue(tc.in), err)
		}
	}
}
