package doorcheck

import (
	"cmp"
	"net/netip"
	"strings"
	"testing"

	"frontdoor/render"
)

func testSettings(method render.DockerMethod) *render.Settings {
	s := render.Defaults()
	s.ServerName = "Art.Example.com"
	s.HTTP = render.HTTP{Enabled: true, Port: 80, RedirectToHTTPS: true}
	s.HTTPS = render.HTTPS{Enabled: true, Port: 8443, TLSProfile: render.TLSModern}
	s.Docker = render.Docker{Method: method, Repositories: []render.DockerRepository{{Key: "docker-local", Port: 5001}, {Key: "docker", Port: 5002}}}
	return &s
}

func doorURLs(p Plan) string {
	var s []string
	for _, d := range p.Doors {
		u := d.URL()
		if d.Repo != "" {
			u += "#" + d.Repo
		}
		switch d.Role {
		case RoleRedirect:
			u += " (redirect)"
		case RoleDocker:
			u += " (docker)"
		}
		s = append(s, u)
	}
	return strings.Join(s, ", ")
}

func TestFromSettings(t *testing.T) {
	tests := []struct {
		method render.DockerMethod
		edit   func(s *render.Settings)
		want   string
	}{
		{render.DockerSubdomain, nil, "http://art.example.com (redirect), https://art.example.com:8443, " +
			"https://docker-local.art.example.com:8443#docker-local (docker), https://docker.art.example.com:8443#docker (docker)"},
		{render.DockerPorts, nil, "http://art.example.com (redirect), https://art.example.com:8443, " +
			"https://art.example.com:5001#docker-local (docker), https://art.example.com:5002#docker (docker)"},
		{render.DockerRepositoryPath, nil, "http://art.example.com (redirect), https://art.example.com:8443, " +
			"https://art.example.com:8443#docker-local (docker), https://art.example.com:8443#docker (docker)"},
		{render.DockerNone, func(s *render.Settings) { s.HTTP.RedirectToHTTPS = false }, "http://art.example.com, https://art.example.com:8443"},
		{render.DockerPorts, func(s *render.Settings) { s.HTTPS.Enabled = false }, "http://art.example.com, " +
			"http://art.example.com:5001#docker-local (docker), http://art.example.com:5002#docker (docker)"},
		// Behind a load balancer (proxy.public): its scheme and port; the
		// redirect's plain port is its own business; Docker ports keep
		// their number.
		{render.DockerSubdomain, func(s *render.Settings) {
			s.HTTP.RedirectToHTTPS, s.HTTPS.Enabled = false, false
			s.Public = render.Public{Scheme: "https"}
		}, "https://art.example.com, https://docker-local.art.example.com#docker-local (docker), https://docker.art.example.com#docker (docker)"},
		{render.DockerPorts, func(s *render.Settings) { s.Public = render.Public{Port: 9443} }, "https://art.example.com:9443, " +
			"https://art.example.com:5001#docker-local (docker), https://art.example.com:5002#docker (docker)"},
		{render.DockerRepositoryPath, func(s *render.Settings) {
			s.HTTP.RedirectToHTTPS = false
			s.Public = render.Public{Scheme: "https", Port: 8443}
		}, "https://art.example.com:8443, https://art.example.com:8443#docker-local (docker), https://art.example.com:8443#docker (docker)"},
	}
	for _, tt := range tests {
		t.Run(string(tt.method), func(t *testing.T) {
			s := testSettings(tt.method)
			defer func() {
				if s.Public.IsSet() && len(s.Docker.Repositories) > 0 {
					// A check after a reload goes to the proxy's own
					// listeners, expecting the public scheme and port.
					p, _ := listenerPlan(s, "")
					p.expectPublic(s)
					for _, d := range p.Doors {
						if o := d.origin(); d.Role != RoleRedirect && (o.Scheme != cmp.Or(s.Public.Scheme, d.Scheme) || s.Docker.Method != render.DockerPorts && o.Port != s.Public.EffectivePort()) {
							t.Errorf("after a reload, door %s expects %+v", d.URL(), o)
						}
					}
				}
			}()
			if tt.edit != nil {
				tt.edit(s)
			}
			p, err := FromSettings(s, "frontdoor.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if got := doorURLs(p); got != tt.want {
				t.Errorf("doors:\n got %s\nwant %s", got, tt.want)
			}
			if p.Title != "art.example.com (nginx, frontdoor.yaml)" {
				t.Errorf("title %q", p.Title)
			}
		})
	}
	p, _ := FromSettings(testSettings(render.DockerRepositoryPath), "")
	if n := len(p.Endpoints()); n != 2 {
		t.Errorf("repository path: %d endpoints, want 2 (the repositories share the main door)", n)
	}
	s := testSettings(render.DockerNone)
	s.Provider = render.Tomcat
	if _, err := FromSettings(s, ""); err == nil || !strings.Contains(err.Error(), "give the URL they use") {
		t.Errorf("tomcat: %v", err)
	}
	s = testSettings(render.DockerNone)
	s.HTTP.Enabled, s.HTTPS.Enabled = false, false
	if _, err := FromSettings(s, ""); err == nil {
		t.Error("no listener: no error")
	}
}

func TestFromURL(t *testing.T) {
	tests := []struct {
		url      string
		settings *render.Settings
		want     string
		err      string
	}{
		{url: "https://Door.Example.com", want: "https://door.example.com, https://door.example.com (docker)"},
		{url: "https://door.example.com:8443/artifactory/", want: "https://door.example.com:8443, https://door.example.com:8443 (docker)"},
		{url: "http://[::1]:8080", want: "http://[::1]:8080, http://[::1]:8080 (docker)"},
		{url: "https://door.example.com", settings: testSettings(render.DockerSubdomain),
			want: "https://door.example.com, https://docker-local.door.example.com#docker-local (docker), https://docker.door.example.com#docker (docker)"},
		{url: "http://door.example.com", settings: testSettings(render.DockerSubdomain), want: "http://door.example.com (redirect), https://door.example.com:8443, https://docker-local.door.example.com:8443#docker-local (docker), https://docker.door.example.com:8443#docker (docker)"},
		{url: "door.example.com", err: "http:// or https://"},
		{url: "https://u:p@door.example.com", err: "holds credentials"},
		{url: "https://door.example.com/ui/", err: "address only"},
		{url: "https://door.example.com/?x=1", err: "no query"},
		{url: "https://door.example.com:0", err: "not 1-65535"},
		{url: "https:///x", err: "no host"},
	}
	for _, tt := range tests {
		p, err := FromURL(tt.url, tt.settings)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want %q", tt.url, err, tt.err)
			}
			if err != nil && strings.Contains(err.Error(), ":p@") {
				t.Errorf("%s: the password is in the error: %v", tt.url, err)
			}
		case err != nil:
			t.Errorf("%s: %v", tt.url, err)
		default:
			if got := doorURLs(p); got != tt.want {
				t.Errorf("%s:\n got %s\nwant %s", tt.url, got, tt.want)
			}
		}
	}
}

func TestParseResolve(t *testing.T) {
	tests := []struct {
		in, want string
		err      string
	}{
		{in: "art.example.com:10.0.0.5", want: "art.example.com:10.0.0.5"},
		{in: "Art.Example.com:443:10.0.0.5", want: "art.example.com:443:10.0.0.5"},
		{in: "*.art.example.com:127.0.0.1", want: "*.art.example.com:127.0.0.1"},
		{in: "art.example.com:::1", want: "art.example.com:::1"},
		{in: "art.example.com:[::1]", want: "art.example.com:::1"},
		{in: "art.example.com:8443:[2001:db8::1]", want: "art.example.com:8443:2001:db8::1"},
		{in: "art.example.com:::ffff:10.0.0.1", want: "art.example.com:10.0.0.1"},
		{in: "art.example.com", err: "HOST:ADDRESS"},
		{in: ":10.0.0.1", err: "HOST:ADDRESS"},
		{in: "art.example.com:host.example.com", err: "not an IP address"},
		{in: "art.example.com:99999:10.0.0.1", err: "not 1-65535"},
		{in: "a b:10.0.0.1", err: "not a host name"},
	}
	for _, tt := range tests {
		r, err := ParseResolve(tt.in)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: error %v, want %q", tt.in, err, tt.err)
			}
		case err != nil:
			t.Errorf("%q: %v", tt.in, err)
		case r.String() != tt.want:
			t.Errorf("%q: %s, want %s", tt.in, r, tt.want)
		}
	}
	wild := Resolve{Host: "*.art.example.com", Addr: netip.MustParseAddr("127.0.0.1")}
	for host, want := range map[string]bool{"docker.art.example.com": true, "a.b.art.example.com": true, "art.example.com": false, "xart.example.com": false} {
		if got := wild.matches(host, 443); got != want {
			t.Errorf("*.art.example.com matches %s: %v", host, got)
		}
	}
	port := Resolve{Host: "art.example.com", Port: 443, Addr: netip.MustParseAddr("127.0.0.1")}
	if port.matches("art.example.com", 80) || !port.matches("art.example.com", 443) {
		t.Error("a port-bound override matches the wrong ports")
	}
}

func TestPlanDescribe(t *testing.T) {
	one := testSettings(render.DockerNone)
	one.HTTP.Enabled, one.Docker.Repositories = false, nil
	tests := []struct {
		s    *render.Settings
		want string
	}{
		{testSettings(render.DockerSubdomain), "4 doors, 2 Docker repositories (subdomain)"},
		{testSettings(render.DockerRepositoryPath), "2 doors, 2 Docker repositories (repositoryPath)"},
		{one, "1 door"},
	}
	for _, tt := range tests {
		p, err := FromSettings(tt.s, "frontdoor.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Describe(); got != tt.want {
			t.Errorf("Describe = %q, want %q", got, tt.want)
		}
	}
	if got := (Plan{Repos: []string{"docker"}}).Describe(); got != "0 doors, 1 Docker repository" {
		t.Errorf("without a method: %q", got)
	}
}
