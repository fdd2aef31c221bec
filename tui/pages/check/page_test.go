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
	"frontdoor/tui/internal/tuitest"
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
			settle(t, p, p.askCAFile(false)) // what typing it does
			run, _, opt, err := p.Prepare()
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), "CA file "+tt.file+": "+tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				settle(t, p, p.Start()) // refused: the field asks again, nothing runs
				if p.Running() || p.form.FocusIndex() != fieldCAFile || !strings.Contains(p.status.String(), tt.err) {
					t.Errorf("Start: running %v, the focus is on field %d, not the CA file; status %q", p.Running(), p.form.FocusIndex(), p.status.String())
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
			p.Update(tuitest.KeyPress("shift+tab"))
			p.Update(tuitest.KeyPress("shift+tab"))
			p.Layout(size[0], size[1])
			golden.RequireEqual(t, ansi.Strip(p.Render()))
		})
		t.Run(fmt.Sprintf("missing_%dx%d", size[0], size[1]), func(t *testing.T) {
			s, _ := subdomainDoor(t)
			p := newPage(t, s)
			press(t, p, tuitest.KeyPress("shift+tab"), tuitest.KeyPress("shift+tab"))
			for _, r := range "certs/ca.pem" {
				press(t, p, tea.KeyPressMsg{Code: r, Text: string(r)})
			}
			press(t, p, tuitest.KeyPress("ctrl+r"))
			p.Layout(size[0], size[1])
			golden.RequireEqual(t, ansi.Strip(p.Render())+"\nstatus: "+p.status.String())
		})
	}
}

// press sends keys and runs the commands they return (the CA file's
// reads) into the page, as the program does.
func press(t testing.TB, p *Page, keys ...tea.KeyPressMsg) {
	t.Helper()
	for _, k := range keys {
		_, cmd := p.Update(k)
		settle(t, p, cmd)
	}
}

// settle runs a command and what its messages lead to, on this goroutine.
func settle(t testing.TB, p *Page, cmd tea.Cmd) {
	t.Helper()
	tuitest.Settle(cmd, func(msg tea.Msg) tea.Cmd {
		m, ok := msg.(Msg)
		if !ok {
			t.Fatalf("a message the page does not take: %T", msg)
		}
		return p.Message(m)
	})
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

// The CA file is read in a command, never in Update or a layout (issue
// 8): typing returns the read; its answer shows under the field; an answer
// a later key overtook is dropped.
func TestCAFileIsReadInACommand(t *testing.T) {
	s, files := subdomainDoor(t)
	p := newPage(t, s)
	p.form.SetFocus(fieldCAFile)
	p.form.Load()
	missing := filepath.Join(t.TempDir(), "ca.pem")
	var reads []tea.Cmd
	for _, r := range missing {
		_, cmd := p.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		if cmd == nil {
			t.Fatalf("typing %q read nothing", r)
		}
		reads = append(reads, cmd)
	}
	p.Layout(80, 24)
	if f := p.caFinding(); f != nil {
		t.Fatalf("a finding before any answer: %+v", f)
	}
	last := reads[len(reads)-1]
	settle(t, p, last)
	if f := p.caFinding(); f == nil || !strings.Contains(f.Message, "no such file or directory") {
		t.Fatalf("the answer: %+v", f)
	}
	// The file appears; an earlier key's answer comes late: dropped.
	if err := os.WriteFile(missing, caPEM(t, files.CA.Path), 0o644); err != nil {
		t.Fatal(err)
	}
	settle(t, p, reads[0])
	if f := p.caFinding(); f == nil || !strings.Contains(f.Message, "no such file or directory") {
		t.Fatalf("a stale answer was taken: %+v", f)
	}
	// Layouts and keys that do not change the path read nothing; a run
	// asks again.
	if _, cmd := p.Update(tuitest.KeyPress("tab")); cmd != nil {
		t.Errorf("a key that left the path as it was read the file again")
	}
	p.Update(tuitest.KeyPress("shift+tab"))
	cmd := p.Start() // refused on the last answer, and the field asks again
	if p.Running() {
		t.Fatal("a run started over a CA file the field found wrong")
	}
	settle(t, p, cmd)
	if f := p.caFinding(); f != nil {
		t.Fatalf("the file is there now: %+v", f)
	}
}

// A CA file that goes bad after the field read it fails the run, as its
// first failure, in the field's words; the field says it too.
func TestRunReportsACAFileGoneBad(t *testing.T) {
	s, files := subdomainDoor(t)
	p := newPage(t, s)
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, caPEM(t, files.CA.Path), 0o644); err != nil {
		t.Fatal(err)
	}
	p.inputs.CAFile = path
	settle(t, p, p.askCAFile(false))
	if f := p.caFinding(); f != nil {
		t.Fatalf("a good CA file: %+v", f)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	settle(t, p, p.Start())
	last := p.Last()
	if last == nil {
		t.Fatal("no run")
	}
	first := last.Result.FirstFailure
	if first == nil || first.Name != "CA file" || !strings.Contains(first.Detail, "no such file or directory") || len(last.Steps) != 1 {
		t.Fatalf("first failure %+v, steps %+v", first, last.Steps)
	}
	if f := p.caFinding(); f == nil || !strings.Contains(first.Detail, f.Message) {
		t.Errorf("the field's finding %+v, the run's %q", f, first.Detail)
	}
}

// caPEM is the CA file's content.
func caPEM(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
