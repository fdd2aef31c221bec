package render

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// A node written like a number but not as a canonical dotted quad is read
// by C resolvers the way inet_aton reads it: glibc's getaddrinfo (so nginx,
// Apache, HAProxy and getent) takes 010.0.0.5 as 8.0.0.5 (octal) and 127.1 as
// 127.0.0.1, while Go and a reader of the settings see something else. The
// proxy would quietly send traffic to another machine, so it is an error
// that says what the server would make of it.

// looksNumeric reports whether a node is written as a number: dot-separated
// parts that are each decimal digits or 0x and hex digits.
func looksNumeric(node string) bool {
	if node == "" {
		return false
	}
	for _, part := range strings.Split(node, ".") {
		digits, base := numericPart(part)
		if base == 0 || base != 16 && digits == "" {
			return false
		}
		for i := 0; i < len(digits); i++ {
			if !isDigitIn(digits[i], 16) || base != 16 && !isDigitIn(digits[i], 10) {
				return false
			}
		}
	}
	return true
}

// numericPart splits a part into its digits and base as C's strtoul with
// base 0 reads it: 0x hex, a leading 0 octal, else decimal. base 0: the
// part does not start with a digit.
func numericPart(part string) (digits string, base int) {
	switch {
	case part == "" || part[0] < '0' || part[0] > '9':
		return "", 0
	case len(part) > 1 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X'):
		return part[2:], 16
	case len(part) > 1 && part[0] == '0':
		return part[1:], 8
	}
	return part, 10
}

func isDigitIn(c byte, base int) bool {
	switch {
	case c >= '0' && c <= '9':
		return int(c-'0') < base
	case c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
		return base == 16
	}
	return false
}

// inetAton is the IPv4 address glibc's inet_aton makes of s: one to four
// parts, each as strtoul reads it (0x hex, leading 0 octal, else decimal);
// every part but the last is one byte, the last fills the bytes left
// (a.b.c: c is 16 bits; a.b: b is 24 bits; a: 32 bits). ok is false where
// inet_aton fails.
func inetAton(s string) (addr netip.Addr, ok bool) {
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return netip.Addr{}, false
	}
	var bytes [4]byte
	for i, part := range parts {
		digits, base := numericPart(part)
		if base == 0 || base == 16 && digits == "" {
			return netip.Addr{}, false // strtoul stops before the x: trailing characters
		}
		v, err := strconv.ParseUint(digits, base, 32)
		if err != nil {
			return netip.Addr{}, false // not digits of the base, or beyond 32 bits
		}
		if i < len(parts)-1 {
			if v > 0xff {
				return netip.Addr{}, false
			}
			bytes[i] = byte(v)
			continue
		}
		left := 4 - i // the bytes the last part fills
		if left < 4 && v >= 1<<(8*left) {
			return netip.Addr{}, false
		}
		for j := 3; j >= i; j-- {
			bytes[j] = byte(v)
			v >>= 8
		}
	}
	return netip.AddrFrom4(bytes), true
}

// numericNodeProblem is the error for a node written as a number that is
// not a canonical dotted quad ("" for any other node): what the provider's
// server, through glibc, makes of it, or that it is no address at all.
func numericNodeProblem(p Provider, node string) string {
	if !looksNumeric(node) {
		return ""
	}
	if a, err := netip.ParseAddr(node); err == nil && a.Is4() {
		return "" // canonical: every reader agrees
	}
	if p == Nginx {
		// nginx reads four decimal parts itself (ngx_inet_addr), leading
		// zeros and all, and asks glibc only for other forms: 010.0.0.5 is
		// 10.0.0.5 to nginx and 8.0.0.5 to every inet_aton reader.
		if dec, ok := decimalQuad(node); ok {
			other := "not an address at all"
			if a, ok := inetAton(node); ok && a == dec {
				return fmt.Sprintf("%q has leading zeros, which other tools read as octal (here to the same address): write it without them: %s", node, dec)
			} else if ok {
				other = a.String() + " (a leading 0 is octal)"
			}
			return fmt.Sprintf("%q has leading zeros: nginx reads it as %s, glibc and other tools (getent, curl, frontdoor check) as %s: write it without them: %s", node, dec, other, dec)
		}
	}
	addr, ok := inetAton(node)
	if !ok {
		return fmt.Sprintf("%q is not an IPv4 address (four numbers 0-255 separated by dots, e.g. 10.0.0.5), and a host name is not all numbers: write the address in full", node)
	}
	parts := strings.Split(node, ".")
	var why []string
	octal, hex := false, false
	decimal := make([]string, len(parts)) // the parts read as a person reads them
	for i, part := range parts {
		switch _, base := numericPart(part); base {
		case 16:
			hex = true
		case 8:
			octal = true
		}
		trimmed := strings.TrimLeft(part, "0")
		if trimmed == "" {
			trimmed = "0"
		}
		decimal[i] = trimmed
	}
	if octal {
		why = append(why, "a leading 0 is octal")
	}
	if hex {
		why = append(why, "0x is hexadecimal")
	}
	switch len(parts) {
	case 1:
		why = append(why, "one number is the whole 32-bit address")
	case 2, 3:
		why = append(why, "with fewer than four parts the last fills the bytes left")
	}
	fix := "write it in full: " + addr.String()
	if meant, err := netip.ParseAddr(strings.Join(decimal, ".")); octal && !hex && err == nil && meant.Is4() && meant != addr {
		fix = "write the address you mean, e.g. " + meant.String()
	}
	return fmt.Sprintf("%q is read as %s by %s (%s): %s", node, addr, numericReaders(p), strings.Join(why, "; "), fix)
}

// numericReaders names who reads a numeric node the inet_aton way.
func numericReaders(p Provider) string {
	switch p {
	case Nginx:
		return "nginx and glibc"
	case Apache:
		return "Apache and glibc"
	case HAProxy:
		return "HAProxy and glibc"
	}
	return "glibc (getaddrinfo, getent)"
}

// decimalQuad reads four dot-separated decimal numbers of 0-255, leading
// zeros allowed, as nginx's own parser does.
func decimalQuad(s string) (netip.Addr, bool) {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return netip.Addr{}, false
	}
	var b [4]byte
	for i, part := range parts {
		if part == "" {
			return netip.Addr{}, false
		}
		n := 0
		for _, c := range []byte(part) {
			if c < '0' || c > '9' {
				return netip.Addr{}, false
			}
			n = n*10 + int(c-'0')
			if n > 255 {
				return netip.Addr{}, false
			}
		}
		b[i] = byte(n)
	}
	return netip.AddrFrom4(b), true
}
