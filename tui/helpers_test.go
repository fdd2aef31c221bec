package tui

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"frontdoor/app"
	"frontdoor/config"
	"frontdoor/install"
	"frontdoor/render"
	"frontdoor/tui/components/form"
	"frontdoor/tui/document"
	"frontdoor/tui/internal/tuitest"
)

// fixedNow is the clock of every test: certificate expiry texts are stable.
var fixedNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// exampleYAML is the settings most tests start from.
const exampleYAML = `
proxy:
  provider: nginx
  serverName: artifactory.example.com
  nodes: [localhost]
  artifactoryPort: 8081
  routerPort: 8082
  http: {enabled: true, port: 80, redirectToHttps: true}
  https: {enabled: true, port: 443, certificate: /etc/ssl/certs/artifactory.pem, key: /etc/ssl/private/artifactory.key, tlsProfile: intermediate}
  docker:
    method: subdomain
    repositories:
      - {key: docker-local}
      - {key: docker-remote}
      - {key: docker}
  mtls: {enabled: false, clientCA: /etc/nginx/client-ca.pem, verifyDepth: 2, header: X-JFrog-Client-Cert, required: false}
  overrideBaseUrlHeader: true
ldap:
  settings:
    - key: corp
      enabled: true
      url: ldap://ldap.example.com:389/dc=example,dc=com
      search: {filter: "(uid={0})", base: ou=people, subTree: true, managerDn: "cn=reader,dc=example,dc=com"}
`

func parseFile(t testing.TB, yaml string) *config.File {
	t.Helper()
	f, err := config.Parse([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// fixedTarget is a Debian nginx layout, as install.DetectTarget reports it.
func fixedTarget(provider string) install.Target {
	switch provider {
	case "apache":
		return install.Target{Provider: provider, Layout: install.LayoutSitesAvailable, Detected: true,
			Path: "/etc/apache2/sites-available/artifactory.conf", EnableLink: "/etc/apache2/sites-enabled/artifactory.conf",
			CheckCmd: []string{"apache2ctl", "-t"}, ReloadCmd: []string{"apache2ctl", "graceful"}, ApacheCtl: "apache2ctl"}
	case "tomcat":
		return install.Target{Provider: provider, Note: "embedded Tomcat: clients talk to Artifactory directly, there is no snippet to install"}
	}
	return install.Target{Provider: provider, Layout: install.LayoutSitesAvailable, Detected: true,
		Path: "/etc/nginx/sites-available/artifactory.conf", EnableLink: "/etc/nginx/sites-enabled/artifactory.conf",
		CheckCmd: []string{"nginx", "-t"}, ReloadCmd: []string{"systemctl", "reload", "nginx"}}
}

// mixedOrigins resolves the fixed layout with a choice from each origin:
// the file and link remembered in the save: section, the check from
// --check, a remembered reload, three backups, a backup directory flag.
func mixedOrigins(o *Options) {
	o.Resolve = func(p render.Provider, _ *config.File) (app.Target, error) {
		t := document.DetectedTarget(p, fixedTarget(string(p)))
		if !t.Snippet() {
			return t, nil
		}
		t.Path = app.Setting[string]{Value: "/srv/nginx/artifactory.conf", Origin: app.OriginRemembered}
		t.Link = app.Setting[string]{Value: "", Origin: app.OriginRemembered}
		t.Check = app.Setting[string]{Value: "nginx -t", Origin: app.OriginFlag}
		t.Reload = app.Setting[string]{Value: "systemctl reload nginx", Origin: app.OriginRemembered}
		t.Keep = app.Setting[int]{Value: 3, Origin: app.OriginRemembered}
		t.BackupDir = app.Setting[string]{Value: "/var/backups/frontdoor", Origin: app.OriginFlag}
		return t, t.Validate()
	}
}

// fakeFiles answers reads of fixed paths from memory, so views never show
// a temporary path; anything else does not exist.
type fakeFiles map[string][]byte

func (f fakeFiles) read(path string) ([]byte, error) {
	if data, ok := f[path]; ok {
		return data, nil
	}
	return nil, fs.ErrNotExist
}

// testCerts writes a generated certificate and key (never committed) and
// loads them for the fixed paths of exampleYAML.
type testCerts struct {
	dir string
}

func newTestCerts(t testing.TB, names []string, notAfter time.Time) *testCerts {
	t.Helper()
	dir := t.TempDir()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "frontdoor test CA"},
		NotBefore: fixedNow.AddDate(-1, 0, 0), NotAfter: fixedNow.AddDate(5, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: names[0]}, DNSNames: names,
		NotBefore: fixedNow.AddDate(0, -1, 0), NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalPKCS8PrivateKey(key)
	write := func(name, typ string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: b}), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("cert.pem", "CERTIFICATE", der)
	write("key.pem", "PRIVATE KEY", keyDER)
	return &testCerts{dir: dir}
}

// load reads the generated files whatever paths the settings name, and
// reports them under those paths.
func (c *testCerts) load(certPath, keyPath string) *render.CertInfo {
	real := func(p, name string) string {
		if p == "" {
			return ""
		}
		return filepath.Join(c.dir, name)
	}
	ci := render.LoadCertificates(real(certPath, "cert.pem"), real(keyPath, "key.pem"))
	ci.CertPath, ci.KeyPath = certPath, keyPath
	return ci
}

// noCerts says the certificate files do not exist here.
func noCerts(certPath, keyPath string) *render.CertInfo {
	ci := render.LoadCertificates(filepath.Join("/nonexistent-frontdoor", "cert.pem"), filepath.Join("/nonexistent-frontdoor", "key.pem"))
	ci.CertPath, ci.KeyPath = certPath, keyPath
	return ci
}

// noClientCA says the client-CA file does not exist here.
func noClientCA(path string) *render.ClientCAInfo {
	ca := render.LoadClientCA(filepath.Join("/nonexistent-frontdoor", "client-ca.pem"))
	ca.Path = path
	return ca
}

type modelOption func(*Options)

// newModel builds a wizard on fixed settings, sized and with its start-up
// commands run: what a user sees a moment after starting it.
func newModel(t testing.TB, yaml string, width, height int, opts ...modelOption) *Model {
	t.Helper()
	o := Options{
		ConfigPath: "frontdoor.yaml",
		Target:     fixedTarget, Now: func() time.Time { return fixedNow },
		ReadFile: fakeFiles{}.read, LoadCertificates: noCerts, LoadClientCA: noClientCA,
		ImportCandidate: noImport, // the fixed target may exist on this machine
	}
	if yaml != "" {
		o.File = parseFile(t, yaml)
	}
	for _, opt := range opts {
		opt(&o)
	}
	m := New(o)
	send(t, m, tea.WindowSizeMsg{Width: width, Height: height})
	run(t, m, m.Init())
	return m
}

// send updates the model with each message and runs the commands it returns.
func send(t testing.TB, m *Model, msgs ...tea.Msg) {
	t.Helper()
	for _, msg := range msgs {
		_, cmd := m.Update(msg)
		run(t, m, cmd)
	}
}

// run executes a command and everything it leads to, synchronously.
func run(t testing.TB, m *Model, cmd tea.Cmd) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 10000 {
			t.Fatal("commands do not settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tea.QuitMsg:
		default:
			_, next := m.Update(msg)
			queue = append(queue, next)
		}
	}
}

// keyPress is a named key press (tuitest.KeyPress): "tab", "ctrl+n", text.
func keyPress(name string) tea.KeyPressMsg { return tuitest.KeyPress(name) }

// press sends key names; type sends text one character at a time.
func press(t testing.TB, m *Model, names ...string) {
	t.Helper()
	for _, n := range names {
		send(t, m, keyPress(n))
	}
}

func typeText(t testing.TB, m *Model, text string) {
	t.Helper()
	for _, r := range text {
		send(t, m, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// screen is the visible text of the model, without styles. Tests that
// change the model other than through Update lay it out first, as Update
// does.
func screenText(m *Model) string {
	m.layout()
	return ansi.Strip(m.View().Content)
}

// focused is the focused field of the HTTP step on show.
func focused(m *Model) *form.Field[document.Document] { return m.proxy.Form(m.proxy.Step()).Focused() }

// requireFocus fails unless the focused field has the label.
func requireFocus(t testing.TB, m *Model, label string) {
	t.Helper()
	it := focused(m)
	if it == nil || it.Label != label {
		got := "<none>"
		if it != nil {
			got = it.Label
		}
		t.Fatalf("focus on %q, want %q\n%s", got, label, screenText(m))
	}
}

// requireButton fails unless the focus is on the button with the action.
func requireButton(t testing.TB, m *Model, action string) {
	t.Helper()
	if it := focused(m); it == nil || it.Kind != form.Button || it.Action != action {
		t.Fatalf("focus not on the %q button\n%s", action, screenText(m))
	}
}

// settings are the proxy settings being edited.
func settings(m *Model) *render.Settings { return m.doc.Settings() }

func renderForTest(s *render.Settings) (string, error) {
	out, err := render.Render(s)
	return string(out), err
}

// noImport offers no file to import.
func noImport(string) (render.Provider, bool) { return "", false }
