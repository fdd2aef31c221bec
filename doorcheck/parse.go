// Parsers for what the door sends back: WWW-Authenticate challenges and
// Location headers. Their input is whatever a hostile or broken server
// writes: they never panic, never read beyond the string they are given
// (the transport bounds all headers to maxHeaderBytes), and their output is
// bounded however long the input is (FuzzParseChallenges, FuzzParseLocation).

package doorcheck

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Bounds on parsed output.
const (
	maxChallenges   = 8
	maxParams       = 16
	maxParamValue   = 2048
	maxLocationSize = 8192
)

// challenge is one auth-scheme and its parameters (RFC 9110 §11.6.1).
type challenge struct {
	Scheme string            // lower case: "bearer", "basic"
	Params map[string]string // lower-case names
}

// parseChallenges reads every challenge of the WWW-Authenticate values. It
// is lenient where servers are sloppy (spaces, missing commas) and gives up
// on the rest of a value at the first byte it cannot place.
func parseChallenges(values []string) []challenge {
	var out []challenge
	for _, v := range values {
		p := &authParser{s: v}
		for len(out) < maxChallenges {
			c, ok := p.challenge()
			if !ok {
				break
			}
			out = append(out, c)
		}
		if len(out) == maxChallenges {
			break
		}
	}
	return out
}

type authParser struct {
	s string
	i int
}

func (p *authParser) skip(set string) {
	for p.i < len(p.s) && strings.IndexByte(set, p.s[p.i]) >= 0 {
		p.i++
	}
}

func isTokenByte(c byte) bool {
	return c > ' ' && c < 0x7f && !strings.ContainsRune(`"(),/:;<=>?@[\]{}`, rune(c))
}

func (p *authParser) token() string {
	start := p.i
	for p.i < len(p.s) && isTokenByte(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

// challenge reads "scheme [token68 | param=value, ...]".
func (p *authParser) challenge() (challenge, bool) {
	p.skip(" \t,")
	scheme := p.token()
	if scheme == "" {
		return challenge{}, false
	}
	c := challenge{Scheme: strings.ToLower(scheme), Params: map[string]string{}}
	for {
		p.skip(" \t")
		save := p.i
		name := p.token()
		if name == "" {
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			return c, true
		}
		p.skip(" \t")
		if p.i >= len(p.s) || p.s[p.i] != '=' {
			// Not a parameter: the next challenge's scheme (or a token68).
			p.i = save
			return c, true
		}
		p.i++
		if p.i < len(p.s) && p.s[p.i] == '=' { // token68 padding: "abc==": not a parameter list
			p.skip("=")
			return c, true
		}
		p.skip(" \t")
		value, ok := p.value()
		if !ok {
			p.i = len(p.s) // unterminated quote: nothing after it can be trusted
			return c, true
		}
		if len(c.Params) < maxParams {
			c.Params[strings.ToLower(name)] = value
		}
		p.skip(" \t")
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
		}
	}
}

// value reads a token or a quoted-string (with backslash escapes), keeping
// at most maxParamValue bytes of it.
func (p *authParser) value() (string, bool) {
	if p.i >= len(p.s) || p.s[p.i] != '"' {
		// A token; sloppy servers leave URLs unquoted, so anything up to
		// the next comma or space is taken.
		start := p.i
		for p.i < len(p.s) && p.s[p.i] != ',' && p.s[p.i] != ' ' && p.s[p.i] != '\t' {
			p.i++
		}
		v := p.s[start:p.i]
		return v[:min(len(v), maxParamValue)], true
	}
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		p.i++
		switch {
		case c == '"':
			return b.String(), true
		case c == '\\' && p.i < len(p.s):
			c = p.s[p.i]
			p.i++
		}
		if b.Len() < maxParamValue {
			b.WriteByte(c)
		}
	}
	return "", false
}

// bearerRealm finds the Bearer challenge's realm and service.
func bearerRealm(values []string) (realm, service string, ok bool) {
	for _, c := range parseChallenges(values) {
		if c.Scheme == "bearer" && c.Params["realm"] != "" {
			return c.Params["realm"], c.Params["service"], true
		}
	}
	return "", "", false
}

// schemes lists the challenges' schemes, for a detail.
func schemes(values []string) string {
	var names []string
	for _, c := range parseChallenges(values) {
		names = append(names, c.Scheme)
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// parseLocation reads a Location header against the URL that was asked
// for. Exactly one value is expected; control bytes, a missing or non-HTTP
// scheme after resolving, and oversized values are refused.
func parseLocation(base *url.URL, values []string) (*url.URL, error) {
	switch {
	case len(values) == 0:
		return nil, errors.New("no Location header")
	case len(values) > 1:
		return nil, fmt.Errorf("%d Location headers", len(values))
	}
	v := strings.TrimSpace(values[0])
	if v == "" {
		return nil, errors.New("an empty Location header")
	}
	if len(v) > maxLocationSize {
		return nil, fmt.Errorf("a Location header of %d bytes", len(v))
	}
	for i := 0; i < len(v); i++ {
		if v[i] < ' ' || v[i] == 0x7f {
			return nil, errors.New("a Location header with control characters")
		}
	}
	u, err := url.Parse(v)
	if err != nil {
		return nil, fmt.Errorf("a Location header that is no URL: %q", firstLine(v, 80))
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("a Location to %q, not http(s)", firstLine(u.Scheme, 20))
	}
	if u.Host == "" {
		return nil, errors.New("a Location without a host")
	}
	return u, nil
}

// sameOrigin reports whether u is on door d's scheme, host and port, and
// says how it is not.
func sameOrigin(u *url.URL, d Door) (Reason, string) {
	o := d.origin()
	switch {
	case u.Scheme != o.Scheme:
		return ReasonRealmScheme, fmt.Sprintf("%s://, where clients use %s://", u.Scheme, o.Scheme)
	case !strings.EqualFold(u.Hostname(), d.Host):
		return ReasonRealmHost, fmt.Sprintf("host %s, where clients use %s", u.Hostname(), d.Host)
	case effectivePort(u) != o.Port:
		return ReasonRealmPort, fmt.Sprintf("port %d, where clients use %d", effectivePort(u), o.Port)
	}
	return ReasonNone, ""
}
