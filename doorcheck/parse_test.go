package doorcheck

import (
	"net/url"
	"strings"
	"testing"
)

func TestParseChallenges(t *testing.T) {
	tests := []struct {
		in            []string
		realm, svc    string
		ok            bool
		schemesListed string
	}{
		{[]string{`Bearer realm="https://a.test/artifactory/api/docker/x/v2/token",service="a.test",scope="repository:x:pull"`}, "https://a.test/artifactory/api/docker/x/v2/token", "a.test", true, "bearer"},
		{[]string{`Basic realm="Artifactory Realm"`, `Bearer realm="https://a.test/v2/token"`}, "https://a.test/v2/token", "", true, "basic, bearer"},
		{[]string{`Basic realm="x", Bearer realm=https://a.test/t , service = a`}, "https://a.test/t", "a", true, "basic, bearer"},
		{[]string{`bearer REALM="q\"uoted" ,service="s"`}, `q"uoted`, "s", true, "bearer"},
		{[]string{`Negotiate abc==, Bearer realm="r"`}, "r", "", true, "negotiate, bearer"},
		{[]string{`Basic realm="Artifactory Realm"`}, "", "", false, "basic"},
		{[]string{`Bearer realm="unterminated`}, "", "", false, "bearer"},
		{[]string{``}, "", "", false, "none"},
	}
	for _, tt := range tests {
		realm, svc, ok := bearerRealm(tt.in)
		if realm != tt.realm || svc != tt.svc || ok != tt.ok {
			t.Errorf("%q: realm %q service %q ok %v; want %q %q %v", tt.in, realm, svc, ok, tt.realm, tt.svc, tt.ok)
		}
		if got := schemes(tt.in); got != tt.schemesListed {
			t.Errorf("%q: schemes %q, want %q", tt.in, got, tt.schemesListed)
		}
	}
}

func TestParseLocation(t *testing.T) {
	base, _ := url.Parse("https://a.test:8443/v2/x/blobs/uploads/")
	tests := []struct {
		in   []string
		want string
		err  string
	}{
		{[]string{"https://a.test:8443/v2/x/blobs/uploads/id"}, "https://a.test:8443/v2/x/blobs/uploads/id", ""},
		{[]string{"/v2/x/blobs/uploads/id?_state=abc"}, "https://a.test:8443/v2/x/blobs/uploads/id?_state=abc", ""},
		{[]string{"id2"}, "https://a.test:8443/v2/x/blobs/uploads/id2", ""},
		{nil, "", "no Location"},
		{[]string{"a", "b"}, "", "2 Location headers"},
		{[]string{"javascript:alert(1)"}, "", "not http(s)"},
		{[]string{"https://a.test/\x00"}, "", "control characters"},
		{[]string{"http://[::1"}, "", "no URL"},
		{[]string{strings.Repeat("a", maxLocationSize+1)}, "", "bytes"},
	}
	for _, tt := range tests {
		u, err := parseLocation(base, tt.in)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: %v, want error %q", tt.in, err, tt.err)
			}
		case err != nil:
			t.Errorf("%q: %v", tt.in, err)
		case u.String() != tt.want:
			t.Errorf("%q: %s, want %s", tt.in, u, tt.want)
		}
	}
}

// FuzzParseChallenges feeds hostile WWW-Authenticate values: no panic, and
// the output stays bounded however long or odd the input.
func FuzzParseChallenges(f *testing.F) {
	for _, s := range []string{
		`Bearer realm="https://a.test/v2/token",service="a.test"`,
		`Basic realm="x", Bearer realm=r, service = s`,
		`Bearer realm="\`, `Bearer ,,,,=,=`, `a=b=c`, `"`, `Bearer realm="` + strings.Repeat(`\"`, 3000) + `"`,
		strings.Repeat("Bearer a=b, ", 100), strings.Repeat("x=", 500),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cs := parseChallenges([]string{s, s})
		if len(cs) > maxChallenges {
			t.Fatalf("%d challenges", len(cs))
		}
		for _, c := range cs {
			if len(c.Params) > maxParams {
				t.Fatalf("%d params", len(c.Params))
			}
			for _, v := range c.Params {
				if len(v) > maxParamValue {
					t.Fatalf("a value of %d bytes", len(v))
				}
			}
		}
		if realm, _, ok := bearerRealm([]string{s}); ok && len(realm) > maxParamValue {
			t.Fatalf("realm of %d bytes", len(realm))
		}
	})
}

// FuzzParseLocation feeds hostile Location values: no panic; what it
// accepts is an absolute http(s) URL with a host.
func FuzzParseLocation(f *testing.F) {
	for _, s := range []string{"https://a.test/x", "/x?y", "//evil.test/x", "x", "http://[::1]:99999/", "https://a.test:8443/%zz", "\t", "HTTPS://A.TEST"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://door.test:8443/v2/")
	f.Fuzz(func(t *testing.T, s string) {
		u, err := parseLocation(base, []string{s})
		if err != nil {
			return
		}
		if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
			t.Fatalf("accepted %q as %s", s, u)
		}
		if len(s) > maxLocationSize {
			t.Fatalf("accepted %d bytes", len(s))
		}
		_, _ = sameOrigin(u, Door{Scheme: "https", Host: "door.test", Port: 8443})
	})
}
