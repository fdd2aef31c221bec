package doorcheck_test

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"frontdoor/doorcheck"
	"frontdoor/render"
)

// ResolveAll covers every name a run looks up: each door's host, and
// *.server for the Docker subdomains and the made-up name of the wildcard
// probe; a door on an address needs nothing.
func TestResolveAll(t *testing.T) {
	settings := func(method render.DockerMethod) *render.Settings {
		s := render.Defaults()
		s.ServerName = "Artifactory.Example.com"
		s.HTTP = render.HTTP{Enabled: true, Port: 80, RedirectToHTTPS: true}
		s.HTTPS = render.HTTPS{Enabled: true, Port: 443, TLSProfile: render.TLSIntermediate}
		s.Docker.Method = method
		s.Docker.Repositories = []render.DockerRepository{{Key: "docker-local", Port: 5001}, {Key: "docker-remote", Port: 5002}}
		return &s
	}
	fromSettings := func(method render.DockerMethod) doorcheck.Plan {
		p, err := doorcheck.FromSettings(settings(method), "test")
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	fromURL := func(u string, s *render.Settings) doorcheck.Plan {
		p, err := doorcheck.FromURL(u, s)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name string
		plan doorcheck.Plan
		want []string
	}{
		{"subdomains", fromSettings(render.DockerSubdomain), []string{"artifactory.example.com", "*.artifactory.example.com"}},
		{"ports", fromSettings(render.DockerPorts), []string{"artifactory.example.com", "*.artifactory.example.com"}},
		{"no Docker", fromSettings(render.DockerNone), []string{"artifactory.example.com", "*.artifactory.example.com"}},
		{"a URL with settings", fromURL("https://door.example.org:8443", settings(render.DockerSubdomain)), []string{"door.example.org", "*.door.example.org"}},
		{"an address", fromURL("https://10.0.0.5", nil), nil},
	}
	addr := netip.MustParseAddr("127.0.0.1")
	for _, tt := range tests {
		var got []string
		for _, r := range doorcheck.ResolveAll(tt.plan, addr) {
			if r.Addr != addr || r.Port != 0 {
				t.Errorf("%s: %v, want every port to %v", tt.name, r, addr)
			}
			got = append(got, r.Host)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// With every name sent to one address (the wizard's "Test against",
// Verify), a run asks DNS nothing: the wildcard probe's made-up name goes
// there too, and the DNS steps say DNS was not asked instead of judging
// records nobody looked up.
func TestResolveAllAsksNoDNS(t *testing.T) {
	t.Parallel()
	d := startDoor(t, scenario{})
	plan, err := doorcheck.FromSettings(&d.settings, "test")
	if err != nil {
		t.Fatal(err)
	}
	opt := d.options()
	opt.User, opt.Password = "", ""
	opt.Resolve = doorcheck.ResolveAll(plan, netip.MustParseAddr("127.0.0.1"))
	opt.Lookup = func(_ context.Context, host string) ([]netip.Addr, error) {
		t.Errorf("DNS asked for %s", host)
		return nil, context.Canceled
	}
	res := runLogged(t, plan, opt)
	if !res.OK() {
		t.Fatalf("the door does not work: %+v", res.FirstFailure)
	}
	var dns []doorcheck.Step
	for _, st := range res.Steps {
		if st.Kind == doorcheck.KindDNS {
			dns = append(dns, st)
		}
	}
	if len(dns) != 2 {
		t.Fatalf("%d DNS steps, want the server name's and the repository names'", len(dns))
	}
	for _, st := range dns {
		if st.Status != doorcheck.StatusOK || !strings.Contains(st.Detail, "DNS not asked") || strings.Contains(st.Detail, "record") {
			t.Errorf("%s %s: %s; want ✓, DNS not asked, no word of records", st.Status.Symbol(), st.Name, st.Detail)
		}
	}
}
