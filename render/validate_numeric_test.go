package render

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"frontdoor/internal/testenv"
)

// inetAtonCases: what glibc's inet_aton makes of numeric forms ("" where
// it fails).
var inetAtonCases = []struct{ in, want string }{
	{"10.0.0.5", "10.0.0.5"},
	{"010.0.0.5", "8.0.0.5"},
	{"10.0.0.05", "10.0.0.5"},
	{"10.0.0.010", "10.0.0.8"},
	{"00.0.0.1", "0.0.0.1"},
	{"127.1", "127.0.0.1"},
	{"127.0.1", "127.0.0.1"},
	{"10.65535", "10.0.255.255"},
	{"10.1.65535", "10.1.255.255"},
	{"0x7f.1", "127.0.0.1"},
	{"0X7F.0.0.1", "127.0.0.1"},
	{"0xa.0.0.5", "10.0.0.5"},
	{"2130706433", "127.0.0.1"},
	{"017700000001", "127.0.0.1"},
	{"0x7f000001", "127.0.0.1"},
	{"4294967295", "255.255.255.255"},
	{"0", "0.0.0.0"},
	{"08.0.0.1", ""},    // 8 is no octal digit
	{"256.1.1.1", ""},   // a byte part over 255
	{"10.0.0.256", ""},  // the last of four is one byte
	{"10.0.65536", ""},  // the last of three is 16 bits
	{"10.16777216", ""}, // the last of two is 24 bits
	{"4294967296", ""},  // beyond 32 bits
	{"1.2.3.4.5", ""},   // five parts
	{"0x", ""},          // no hex digit: strtoul stops before the x
	{"0x1.0x", ""},      //
	{"99999999999999999999", ""},
}

func TestInetAton(t *testing.T) {
	for _, c := range inetAtonCases {
		got, ok := inetAton(c.in)
		if c.want == "" && ok || c.want != "" && (!ok || got.String() != c.want) {
			t.Errorf("inetAton(%q) = %v, %v; want %q", c.in, got, ok, c.want)
		}
		if !looksNumeric(c.in) {
			t.Errorf("looksNumeric(%q) = false", c.in)
		}
	}
}

// The real glibc agrees with inetAton: getent asks getaddrinfo, as nginx,
// Apache and HAProxy do.
func TestInetAtonIsGlibcs(t *testing.T) {
	getent := testenv.Binary(t, "getent")
	for _, c := range inetAtonCases {
		out, err := exec.Command(getent, "ahostsv4", c.in).Output()
		got := ""
		if f := strings.Fields(string(out)); err == nil && len(f) > 0 {
			got = f[0]
		}
		if got != c.want {
			t.Errorf("getent ahostsv4 %s = %q, inetAton's table says %q", c.in, got, c.want)
		}
	}
}

func TestLooksNumeric(t *testing.T) {
	for in, want := range map[string]bool{
		"10.0.0.5": true, "0xdb": true, "0x": true, "1..2": false,
		"": false, "localhost": false, "art1": false, "10.0.0.5a": false, "0xcafe-db": false,
		"0x1g": false, "1e3": false, "10.0.0.example": false, "::1": false, "x10": false,
	} {
		if got := looksNumeric(in); got != want {
			t.Errorf("looksNumeric(%q) = %v, want %v", in, got, want)
		}
	}
}

// A node written as a number but not as a canonical dotted quad is an
// error saying what the server makes of it; canonical addresses and names
// that merely hold digits are not.
func TestNumericNodes(t *testing.T) {
	cases := []struct {
		provider Provider
		node     string
		want     string // "" no finding for the node
	}{
		// nginx reads four decimal parts itself: leading zeros are decimal to it.
		{Nginx, "010.0.0.5", `"010.0.0.5" has leading zeros: nginx reads it as 10.0.0.5, glibc and other tools (getent, curl, frontdoor check) as 8.0.0.5 (a leading 0 is octal): write it without them: 10.0.0.5`},
		{Nginx, "08.0.0.1", `"08.0.0.1" has leading zeros: nginx reads it as 8.0.0.1, glibc and other tools (getent, curl, frontdoor check) as not an address at all: write it without them: 8.0.0.1`},
		{Apache, "010.0.0.5", `"010.0.0.5" is read as 8.0.0.5 by Apache and glibc (a leading 0 is octal): write the address you mean, e.g. 10.0.0.5`},
		{HAProxy, "10.0.0.010", `"10.0.0.010" is read as 10.0.0.8 by HAProxy and glibc (a leading 0 is octal): write the address you mean, e.g. 10.0.0.10`},
		{Caddy, "010.0.0.5", `"010.0.0.5" is read as 8.0.0.5 by glibc (getaddrinfo, getent) (a leading 0 is octal)`},
		{Nginx, "127.1", `"127.1" is read as 127.0.0.1 by nginx and glibc (with fewer than four parts the last fills the bytes left): write it in full: 127.0.0.1`},
		{Nginx, "0x7f.1", `"0x7f.1" is read as 127.0.0.1 by nginx and glibc (0x is hexadecimal; with fewer than four parts the last fills the bytes left): write it in full: 127.0.0.1`},
		{Nginx, "2130706433", `"2130706433" is read as 127.0.0.1 by nginx and glibc (one number is the whole 32-bit address): write it in full: 127.0.0.1`},
		{Nginx, "010.1", `(a leading 0 is octal; with fewer than four parts the last fills the bytes left): write it in full: 8.0.0.1`},
		{Nginx, "00.0.0.1", `"00.0.0.1" has leading zeros, which other tools read as octal (here to the same address): write it without them: 0.0.0.1`},
		{Nginx, "256.1.1.1", `"256.1.1.1" is not an IPv4 address (four numbers 0-255 separated by dots, e.g. 10.0.0.5)`},
		{Nginx, "1.2.3.4.5", `"1.2.3.4.5" is not an IPv4 address`},
		{Nginx, "10.0.0.5", ""},
		{Nginx, "0.0.0.0", ""},
		{Nginx, "art01.example.com", ""},
		{Nginx, "0xcafe-db", ""},
		{Nginx, "10.0.0.5.nip.io", ""},
	}
	for _, c := range cases {
		t.Run(string(c.provider)+"/"+c.node, func(t *testing.T) {
			s := validBase()
			s.Provider = c.provider
			s.Nodes = []string{"10.0.0.9", c.node}
			var got []Finding
			for _, f := range Validate(&s) {
				if f.Path == "proxy.nodes[1]" {
					got = append(got, f)
				}
			}
			switch {
			case c.want == "" && len(got) > 0:
				t.Errorf("want no finding, got %s", got)
			case c.want != "" && (len(got) != 1 || got[0].Severity != Error || !strings.Contains(got[0].Message, c.want)):
				t.Errorf("got %v\nwant one error containing %q", got, c.want)
			}
		})
	}
}

// The trial's settings: [10.0.0.5, 010.0.0.5] is an error, not "does not
// resolve" (glibc resolves it, to another machine), and no lookup is made
// of a numeric node.
func TestNumericNodeIsNotLookedUp(t *testing.T) {
	s := validBase()
	s.Nodes = []string{"10.0.0.5", "010.0.0.5", "127.1"}
	fs, _ := ValidateHere(context.Background(), &s, time.Now())
	var msgs []string
	for _, f := range fs {
		if strings.HasPrefix(f.Path, "proxy.nodes") {
			msgs = append(msgs, f.String())
		}
	}
	if len(msgs) != 2 || !strings.Contains(msgs[0], "proxy.nodes[1]: error: \"010.0.0.5\" has leading zeros: nginx reads it as 10.0.0.5") ||
		!strings.Contains(msgs[1], "proxy.nodes[2]: error: \"127.1\" is read as 127.0.0.1") {
		t.Errorf("node findings:\n%s", strings.Join(msgs, "\n"))
	}
}
