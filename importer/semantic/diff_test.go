package semantic

import (
	"strings"
	"testing"
)

func server(ports []int, routes ...Route) *Server {
	s := &Server{Routes: routes, Headers: []Header{{Name: "Host", Value: "{Host header}"}}}
	for _, p := range ports {
		s.Listen = append(s.Listen, Listener{Port: p, TLS: p == 443})
	}
	return s
}

func route(path string, uri string, addrs ...string) Route {
	r := Route{Path: path, URI: uri}
	for _, a := range addrs {
		r.Backends = append(r.Backends, Backend{Addr: a})
	}
	return r
}

func TestDiff(t *testing.T) {
	old := &Model{Servers: []*Server{server([]int{80, 443}, route("/artifactory/", "", "localhost:8081"))}}
	old.Servers[0].Headers = append(old.Servers[0].Headers, Header{Name: "X-Artifactory-Override-Base-Url", Value: "{scheme}://{host}:{port}/artifactory", Pos: Pos{File: "a.conf", Line: 9}})
	new := &Model{Servers: []*Server{server([]int{80, 443}, route("/", "", "localhost:8082"), route("/artifactory/", "", "localhost:8081"))}}
	new.Servers[0].Headers = append(new.Servers[0].Headers, Header{Name: "X-JFrog-Override-Base-Url", Value: "{scheme}://{host}:{port}"})
	new.Servers[0].Listen[1].TLS = false // 443 now plain: the listener changes

	var got []string
	for _, c := range Diff(old, new) {
		got = append(got, c.String())
	}
	want := []string{
		"± listeners (port 443): https, proxies → http, proxies",
		"+ routes / (ports 80, 443): to localhost:8082",
		"+ upstreams localhost:8082",
		"- headers X-Artifactory-Override-Base-Url (ports 80, 443): {scheme}://{host}:{port}/artifactory",
		"+ headers X-JFrog-Override-Base-Url (ports 80, 443): {scheme}://{host}:{port}",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if d := Diff(old, old); len(d) != 0 {
		t.Errorf("a model differs from itself: %v", d)
	}
	for _, c := range Diff(old, new) {
		if c.Kind == Removed && c.OldPos.String() != "a.conf:9" {
			t.Errorf("%s: old source %q, want a.conf:9", c, c.OldPos)
		}
	}
}

func TestNameDisplay(t *testing.T) {
	tests := []struct {
		name Name
		want string
	}{
		{Name{Name: "a.example.com"}, "a.example.com"},
		{Name{Name: `^(?<repo>.+)\.a\.example\.com$`, Regex: true, DockerRepo: "repo"}, "{repository}.a.example.com"},
		{Name{Name: `(?<repo>.+)\.a.example.com`, Regex: true, DockerRepo: "repo"}, "{repository}.a.example.com"},
		{Name{Name: `^([a-z0-9][a-z0-9-]*)\.a\.example\.com(:[0-9]+)?$`, Regex: true, DockerRepo: "%1", HostHeader: true}, "{repository}.a.example.com"},
		{Name{Name: `^(.*)\.a\.example\.com$`, Regex: true, DockerRepo: "%1", HostHeader: true}, "{repository}.a.example.com (no port in the Host header)"},
		{Name{Name: `^api\d+\.example\.com$`, Regex: true}, `~^api\d+\.example\.com$`},
	}
	for _, tt := range tests {
		if got := tt.name.Display(); got != tt.want {
			t.Errorf("%q: %q, want %q", tt.name.Name, got, tt.want)
		}
	}
}

// The marks never look like the values after them: nginx regexes start
// with "~", so "changed" is "±" (the legend says so, from the same marks).
func TestChangeMarks(t *testing.T) {
	cases := []struct {
		c    Change
		want string
	}{
		{Change{Kind: Added, Aspect: "tuning", Key: "proxy_cookie_path", Ports: []int{443}, New: "~*^/.* /"}, "+ tuning proxy_cookie_path (port 443): ~*^/.* /"},
		{Change{Kind: Removed, Aspect: "routes", Key: "~ ^/artifactory/", Old: "to localhost:8081"}, "- routes ~ ^/artifactory/: to localhost:8081"},
		{Change{Kind: Changed, Aspect: "tls", Key: "ciphers", Ports: []int{443}, Old: "~HIGH", New: "ECDHE"}, "± tls ciphers (port 443): ~HIGH → ECDHE"},
	}
	for _, c := range cases {
		if got := c.c.String(); got != c.want {
			t.Errorf("got  %q\nwant %q", got, c.want)
		}
	}
	if Legend != "- old only, + new only, ± changed" {
		t.Errorf("legend %q", Legend)
	}
	for _, k := range []ChangeKind{Added, Removed, Changed} {
		if strings.HasPrefix(k.Mark(), "~") {
			t.Errorf("%s is marked %q, the start of an nginx regex", k, k.Mark())
		}
	}
}
