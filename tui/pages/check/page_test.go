package check

import (
	"crypto/x509"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"frontdoor/config"
	"frontdoor/doorcheck"
	"frontdoor/internal/servertest"
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

// subdomainDoor is a door on HTTPS (its certificate from a private CA)
// with two Docker subdomains.
func subdomainDoor(t testing.TB) (render.Settings, *servertest.TLSFiles) {
	t.Helper()
	files := servertest.NewTLSFiles(t, "artifactory.example.com")
	s := render.Defaults()
	s.ServerName = "artifactory.example.com"
	s.HTTP = render.HTTP{Enabled: true, Port: 80, RedirectToHTTPS: true}
	s.HTTPS = render.HTTPS{Enabled: true, Port: 443, TLSProfile: render.TLSIntermediate, Certificate: files.Server.CertPath, Key: files.Server.KeyPath}
	s.Docker.Method = render.DockerSubdomain
	s.Docker.Repositories = []render.DockerRepository{{Key: "docker-local"}, {Key: "docker-remote"}}
	return s, files
}

// "Test against" sends every name a run looks up to the address, the
// wildcard probe's made-up <random>.<server> too (doorcheck.ResolveAll, as
// Verify): it went to real DNS, and the DNS step judged records nobody
// asked for. Empty: DNS for everything.
func TestPrepareSendsEveryNameToTheAddress(t *testing.T) {
	s, _ := subdomainDoor(t)
	p := newPage(t, s)
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

// The CA file is read as --ca reads it (doorcheck.CAFileRoots): a PEM
// certificate is trusted beside the system's CAs for the run; a file that
// is missing or holds no certificate refuses the run with the reason and
// focuses the field; empty is the system's CAs.
func TestPrepareTrustsTheCAFile(t *testing.T) {
	s, files := subdomainDoor(t)
	notPEM := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notPEM, []byte("not a certificate\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file, err string
	}{
		{"empty: the system's CAs", "", ""},
		{"the door's CA", " " + files.CA.Path + " ", ""},
		{"missing", filepath.Join(t.TempDir(), "ca.pem"), "no such file or directory"},
		{"not PEM", notPEM, "no PEM certificate in it"},
		{"a directory", t.TempDir(), "is a directory, not a PEM file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPage(t, s)
			p.inputs.CAFile = tt.file
			run, _, opt, err := p.Prepare()
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), "CA file "+tt.file+": "+tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				if p.Start() != nil || p.form.FocusIndex() != fieldCAFile || !strings.Contains(p.status.String(), tt.err) {
					t.Errorf("Start: the focus is on field %d, not the CA file; status %q", p.form.FocusIndex(), p.status.String())
				}
				if f := p.caFinding(); f == nil || !strings.Contains(f.Message, tt.err) {
					t.Errorf("the field's finding: %+v, want %q", f, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.file == "" {
				if opt.Roots != nil || run.CAFile != "" {
					t.Errorf("empty CA file: Roots %v, CAFile %q; want the system's", opt.Roots, run.CAFile)
				}
				return
			}
			if _, err := files.Server.Cert.Verify(x509.VerifyOptions{Roots: opt.Roots, DNSName: "docker-local.artifactory.example.com"}); err != nil {
				t.Errorf("the run does not trust the CA file: %v", err)
			}
			if run.CAFile != files.CA.Path || p.caFinding() != nil {
				t.Errorf("run.CAFile %q, finding %v", run.CAFile, p.caFinding())
			}
			if _, text := (&Run{Result: &doorcheck.Result{}, CAFile: run.CAFile}).Describe(time.Now()); !strings.Contains(text, "trusting ca.pem") {
				t.Errorf("the result's line does not say which CA it trusted: %s", text)
			}
		})
	}
}

// Goldens of the screen's fields: the CA file's hint and placeholder, and
// its finding as the user types a path that is not there (a relative one,
// the same on every machine).
func TestCAFileGoldens(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("focused_%dx%d", size[0], size[1]), func(t *testing.T) {
			s, _ := subdomainDoor(t)
			p := newPage(t, s)
			p.Update(keyPress("shift+tab"))
			p.Update(keyPress("shift+tab"))
			p.Layout(size[0], size[1])
			golden.RequireEqual(t, ansi.Strip(p.Render()))
		})
		t.Run(fmt.Sprintf("missing_%dx%d", size[0], size[1]), func(t *testing.T) {
			s, _ := subdomainDoor(t)
			p := newPage(t, s)
			p.Update(keyPress("shift+tab"))
			p.Update(keyPress("shift+tab"))
			for _, r := range "certs/ca.pem" {
				p.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
			}
			p.Update(keyPress("ctrl+r"))
			p.Layout(size[0], size[1])
			golden.RequireEqual(t, ansi.Strip(p.Render())+"\nstatus: "+p.status.String())
		})
	}
}

// keyPress is a named key: "tab", "shift+tab", "ctrl+r".
func keyPress(name string) tea.KeyPressMsg {
	switch name {
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "ctrl+r":
		return tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl}
	}
	panic("no key " + name)
}

// A door without HTTPS has no certificate to trust: the CA file is not
// asked, and one typed before HTTPS was turned off is not read.
func TestCAFileOnlyForHTTPS(t *testing.T) {
	s, _ := subdomainDoor(t)
	s.HTTPS.Enabled = false
	s.HTTP.RedirectToHTTPS = false
	p := newPage(t, s)
	p.inputs.CAFile = "missing.pem"
	for _, f := range p.form.Fields() {
		if f.Path == caFilePath && f.Shown(&p.inputs) {
			t.Error("the CA file is asked for a door without HTTPS")
		}
	}
	if _, _, opt, err := p.Prepare(); err != nil || opt.Roots != nil {
		t.Errorf("Prepare: %v, Roots %v; want the typed file ignored", err, opt.Roots)
	}
}
