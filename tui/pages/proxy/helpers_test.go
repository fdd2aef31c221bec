package proxy_test

import (
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"frontdoor/app"
	"frontdoor/config"
	"frontdoor/install"
	"frontdoor/render"
	"frontdoor/tui/common"
	"frontdoor/tui/document"
	"frontdoor/tui/internal/tuitest"
	"frontdoor/tui/pages/proxy"
	"frontdoor/tui/pages/save"
)

// harness drives the HTTP screen alone, as the root model does: keys to
// Update, the page's messages to Message (its commands run at once, in
// order), a layout after each, and a frame of the step bar and the body
// (the root's header, status and help lines are the root's goldens').
type harness struct {
	t      testing.TB
	st     common.Styles
	keys   common.Keys
	status common.Status
	sv     save.Model
	doc    *document.Document
	p      *proxy.Page
	width  int
	height int
}

var fixedNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// fixedTargets is where each provider's output goes on a Debian machine
// with every server installed, as install.DetectTarget reports it (the
// Kubernetes manifests: a file in the working directory, /srv/frontdoor).
func fixedTargets(p render.Provider) install.Target {
	t := install.Target{Provider: string(p), Layout: install.LayoutSitesAvailable, Detected: true, Root: "/"}
	switch p {
	case render.Nginx:
		t.Path, t.EnableLink = "/etc/nginx/sites-available/artifactory.conf", "/etc/nginx/sites-enabled/artifactory.conf"
		t.CheckCmd, t.ReloadCmd = []string{"nginx", "-t"}, []string{"systemctl", "reload", "nginx"}
	case render.Apache:
		t.Path, t.EnableLink = "/etc/apache2/sites-available/artifactory.conf", "/etc/apache2/sites-enabled/artifactory.conf"
		t.CheckCmd, t.ReloadCmd, t.ApacheCtl = []string{"apache2ctl", "-t"}, []string{"apache2ctl", "graceful"}, "apache2ctl"
	case render.HAProxy:
		t.Layout, t.Path = install.LayoutConfD, "/etc/haproxy/conf.d/artifactory.cfg"
		t.CheckCmd = []string{"haproxy", "-c", "-f", "/etc/haproxy/haproxy.cfg", "-f", "/etc/haproxy/conf.d"}
		t.ReloadCmd = []string{"systemctl", "reload", "haproxy"}
	case render.Caddy:
		t.Layout, t.Path = install.LayoutConfD, "/etc/caddy/conf.d/artifactory.caddyfile"
		t.CheckCmd = []string{"caddy", "validate", "--adapter", "caddyfile", "--config", "/etc/caddy/Caddyfile"}
		t.ReloadCmd = []string{"systemctl", "reload", "caddy"}
	case render.KubernetesIngress, render.GatewayAPI:
		t = install.Target{Provider: string(p), Layout: install.LayoutFile, Detected: true, Root: "/", Manifest: true,
			Path: filepath.Join("/srv/frontdoor", install.FileNameFor(string(p)))}
	case render.Tomcat:
		t = install.Target{Provider: string(p), Root: "/", Note: "embedded Tomcat: clients talk to Artifactory directly, there is no snippet to install"}
	}
	return t
}

// noCerts says no certificate file exists here.
func noCerts(certPath, keyPath string) *render.CertInfo {
	ci := render.LoadCertificates("/nonexistent-frontdoor/cert.pem", "/nonexistent-frontdoor/key.pem")
	ci.CertPath, ci.KeyPath = certPath, keyPath
	return ci
}

func noClientCA(path string) *render.ClientCAInfo {
	ca := render.LoadClientCA("/nonexistent-frontdoor/client-ca.pem")
	ca.Path = path
	return ca
}

// newHarness opens the HTTP screen on yaml at width x height cells, after
// its start-up reads.
func newHarness(t testing.TB, yaml string, width, height int) *harness {
	t.Helper()
	f, err := config.Parse([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, st: common.NewStyles(true, true), keys: common.NewKeys(), width: width, height: height}
	h.doc = document.New(f, func() time.Time { return fixedNow })
	h.doc.SetFallback("frontdoor.yaml")
	h.p = proxy.New(&h.st, &h.keys, &h.status, h.doc, &h.sv, proxy.Options{
		ReadFile:         func(string) ([]byte, error) { return nil, fs.ErrNotExist },
		LoadCertificates: noCerts, LoadClientCA: noClientCA,
		Resolve: func(p render.Provider, _ *config.File) (app.Target, error) {
			return document.DetectedTarget(p, fixedTargets(p)), nil
		},
	})
	h.layout()
	h.run(h.p.Init())
	h.run(h.p.Goto(proxy.StepProvider))
	return h
}

// bodyHeight is what the root leaves the page: its header (title, step
// bar, rule), the status line and one line of help.
func (h *harness) bodyHeight() int { return max(1, h.height-5) }

func (h *harness) layout() { h.p.Layout(h.width, h.bodyHeight()) }

// run carries out a command and what it leads to, as the program would,
// handing the page its messages (the review step's checks included).
func (h *harness) run(cmd tea.Cmd) {
	h.t.Helper()
	tuitest.Settle(cmd, func(msg tea.Msg) tea.Cmd {
		var next tea.Cmd
		switch msg := msg.(type) {
		case proxy.Msg:
			next = h.p.Message(msg)
		case save.ProbeMsg:
			h.p.Probed(msg)
		case save.HereMsg:
			h.p.Validated(msg)
		}
		h.layout()
		return next
	})
}

// press sends keys and runs what they start.
func (h *harness) press(names ...string) {
	h.t.Helper()
	for _, n := range names {
		_, cmd := h.p.Update(tuitest.KeyPress(n))
		h.layout()
		h.run(cmd)
	}
}

// typeText types text one character at a time.
func (h *harness) typeText(text string) {
	h.t.Helper()
	for _, r := range text {
		_, cmd := h.p.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		h.layout()
		h.run(cmd)
	}
}

// chooseProvider moves the provider chooser (focused on step 1) to p.
func (h *harness) chooseProvider(p render.Provider) {
	h.t.Helper()
	for range render.Providers {
		if h.doc.File.Proxy.Provider == p {
			return
		}
		h.press("right")
	}
	h.t.Fatalf("provider %s not offered", p)
}

// frame is the step bar and the body, without styles.
func (h *harness) frame() string {
	h.layout()
	return ansi.Strip(h.p.StepBar(h.width) + "\n" + h.p.Render())
}
