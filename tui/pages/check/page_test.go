package check

import (
	"net/netip"
	"slices"
	"testing"
	"time"

	"frontdoor/config"
	"frontdoor/doorcheck"
	"frontdoor/render"
	"frontdoor/tui/common"
	"frontdoor/tui/document"
)

// newPage is the Check screen over settings, laid out at 80x24.
func newPage(t testing.TB, s render.Settings) *Page {
	t.Helper()
	st := common.NewStyles(true, true)
	keys := common.NewKeys()
	var status common.Status
	doc := document.New(&config.File{Proxy: s, HasProxy: true}, time.Now)
	p := New(&st, &keys, &status, doc, Options{NoSpin: true})
	p.Open(false)
	p.Layout(80, 24)
	return p
}

// subdomainDoor is the built-in example with two Docker subdomains.
func subdomainDoor() render.Settings {
	s := render.Defaults()
	s.ServerName = "artifactory.example.com"
	s.Docker.Method = render.DockerSubdomain
	s.Docker.Repositories = []render.DockerRepository{{Key: "docker-local"}, {Key: "docker-remote"}}
	return s
}

// "Test against" sends every name a run looks up to the address, the
// wildcard probe's made-up <random>.<server> too (doorcheck.ResolveAll, as
// Verify): it went to real DNS, and the DNS step judged records nobody
// asked for. Empty: DNS for everything.
func TestPrepareSendsEveryNameToTheAddress(t *testing.T) {
	p := newPage(t, subdomainDoor())
	p.inputs.Address = " 127.0.0.1 "
	_, plan, opt, err := p.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	want := doorcheck.ResolveAll(plan, netip.MustParseAddr("127.0.0.1"))
	if !slices.Equal(opt.Resolve, want) {
		t.Errorf("Resolve %v, want doorcheck.ResolveAll's %v", opt.Resolve, want)
	}
	if !slices.ContainsFunc(opt.Resolve, func(r doorcheck.Resolve) bool { return r.Host == "*.artifactory.example.com" }) {
		t.Errorf("Resolve %v: the wildcard probe goes to DNS", opt.Resolve)
	}
	p.inputs.Address = ""
	if _, _, opt, err = p.Prepare(); err != nil || opt.Resolve != nil {
		t.Errorf("empty address: Resolve %v (%v), want DNS", opt.Resolve, err)
	}
}
