package render

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"text/template"

	"frontdoor/assets"
)

// ErrNoSnippet is returned for the embedded Tomcat provider: clients reach
// Artifactory directly, so there is nothing to install in a web server.
var ErrNoSnippet = errors.New("embedded Tomcat needs no reverse-proxy snippet: clients connect to Artifactory's own port directly " +
	"(only the repositoryPath Docker method works that way); choose nginx or apache to put a proxy in front")

// Render validates the settings and renders the snippet for s.Provider.
// Errors block rendering (*InvalidError lists them); warnings do not.
// The output depends only on the settings: same settings, same bytes.
func Render(s *Settings) ([]byte, error) {
	if fs := Validate(s); fs.HasErrors() {
		return nil, &InvalidError{What: "settings", Findings: fs}
	}
	return renderValid(s)
}

// renderValid renders settings that already passed Validate.
func renderValid(s *Settings) ([]byte, error) {
	var name string
	switch s.Provider {
	case Nginx:
		name = "nginx.conf.tmpl"
	case Apache:
		name = "apache.conf.tmpl"
	default:
		return nil, ErrNoSnippet
	}
	tmpl, err := loadTemplates()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(4096 + 64*len(s.Docker.Repositories))
	if err := tmpl.ExecuteTemplate(&buf, name, newView(s)); err != nil {
		return nil, fmt.Errorf("rendering %s: %w", name, err)
	}
	return squeezeBlankLines(buf.Bytes()), nil
}

var (
	templatesOnce sync.Once
	templates     *template.Template
	templatesErr  error
)

// loadTemplates parses the embedded templates once per process.
func loadTemplates() (*template.Template, error) {
	templatesOnce.Do(func() {
		templates, templatesErr = template.New("").ParseFS(assets.Templates, "templates/*.tmpl")
	})
	return templates, templatesErr
}

// squeezeBlankLines drops runs of blank lines the templates' conditionals
// leave behind, so the output reads as if written by hand.
func squeezeBlankLines(b []byte) []byte {
	out := b[:0]
	blank := 0
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		line := b
		if i >= 0 {
			line, b = b[:i+1], b[i+1:]
		} else {
			b = nil
		}
		if len(bytes.TrimSpace(line)) == 0 {
			blank++
			if blank > 1 || len(out) == 0 {
				continue
			}
			line = []byte("\n")
		} else {
			blank = 0
		}
		out = append(out, line...)
	}
	return out
}

// view is what the templates see: every value already validated and turned
// into the exact text it becomes, so the templates hold layout only.
type view struct {
	Header          []string
	ServerName      string
	ServerNameRegex string // serverName with regex metacharacters quoted
	HA              bool
	RouterNodes     []string // host:port
	DirectNodes     []string
	HTTPPort        string // "" when HTTP is off
	HTTPSPort       string // "" when HTTPS is off
	Redirect        bool   // HTTP only redirects to HTTPS
	RedirectPort    string // ":8443", or "" for 443
	HSTS            bool
	TLS             *tlsView
	MTLS            *mtlsView
	Override        bool
	DockerSubdomain bool
	DockerRepoPath  bool
	DockerPorts     []dockerPortView
	DockerPortTLS   bool
	DockerPortSets  [][]dockerPortView // Apache: ports grouped per VirtualHost
	ApacheListen    []string           // ports Debian's ports.conf does not already listen on
	ApacheListen443 bool               // a plain-HTTP VirtualHost uses 443: Listen unless mod_ssl already does
	ApacheModules   string
}

type tlsView struct {
	Certificate, Key string
	Modern           bool
	NginxProtocols   string
	ApacheProtocols  string
	Ciphers          string // "" for the modern profile: TLS 1.3 suites are not configurable this way
}

type mtlsView struct {
	ClientCA, Depth, Header string
	Required                bool
}

type dockerPortView struct{ Port, Key string }

// Mozilla server-side TLS guideline 6.0, intermediate: ECDHE with AES-GCM or ChaCha20.
const intermediateCiphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:" +
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:" +
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"

// apachePortsPerVirtualHost keeps each <VirtualHost a b c ...> line well under
// Apache's 8 KiB line limit however many Docker ports there are.
const apachePortsPerVirtualHost = 100

func newView(s *Settings) *view {
	v := &view{
		ServerName: ServerNameForConfig(s.ServerName),
		HA:         s.IsHA(),
		Override:   s.OverrideBaseURLHeader,
	}
	for _, n := range s.Nodes {
		host, _ := NormalizeNode(n)
		v.RouterNodes = append(v.RouterNodes, host+":"+strconv.Itoa(s.RouterPort))
		v.DirectNodes = append(v.DirectNodes, host+":"+strconv.Itoa(s.ArtifactoryPort))
	}
	if s.HTTP.Enabled {
		v.HTTPPort = strconv.Itoa(s.HTTP.Port)
		v.Redirect = s.HTTP.RedirectToHTTPS && s.HTTPS.Enabled
	}
	if s.HTTPS.Enabled {
		v.HTTPSPort = strconv.Itoa(s.HTTPS.Port)
		if s.HTTPS.Port != 443 {
			v.RedirectPort = ":" + v.HTTPSPort
		}
		v.HSTS = !s.HTTP.Enabled || v.Redirect
		t := &tlsView{Certificate: s.HTTPS.Certificate, Key: s.HTTPS.Key, Modern: s.HTTPS.TLSProfile == TLSModern}
		if t.Modern {
			t.NginxProtocols, t.ApacheProtocols = "TLSv1.3", "-all +TLSv1.3"
		} else {
			t.NginxProtocols, t.ApacheProtocols, t.Ciphers = "TLSv1.2 TLSv1.3", "-all +TLSv1.2 +TLSv1.3", intermediateCiphers
		}
		v.TLS = t
		if s.MTLS.Enabled {
			v.MTLS = &mtlsView{ClientCA: s.MTLS.ClientCA, Depth: strconv.Itoa(s.MTLS.VerifyDepth), Header: s.MTLS.Header, Required: s.MTLS.Required}
		}
	}
	switch s.Docker.Method {
	case DockerSubdomain:
		v.DockerSubdomain = true
		v.ServerNameRegex = regexp.QuoteMeta(s.ServerName)
	case DockerRepositoryPath:
		v.DockerRepoPath = true
	case DockerPorts:
		v.DockerPortTLS = s.HTTPS.Enabled
		v.DockerPorts = make([]dockerPortView, len(s.Docker.Repositories))
		for i, r := range s.Docker.Repositories {
			v.DockerPorts[i] = dockerPortView{Port: strconv.Itoa(r.Port), Key: r.Key}
		}
		for start := 0; start < len(v.DockerPorts); start += apachePortsPerVirtualHost {
			end := min(start+apachePortsPerVirtualHost, len(v.DockerPorts))
			v.DockerPortSets = append(v.DockerPortSets, v.DockerPorts[start:end])
		}
	}
	if s.Provider == Apache {
		v.ApacheListen, v.ApacheListen443 = apacheListens(s, v)
		v.ApacheModules = strings.Join(ApacheModules(s), " ")
	}
	v.Header = header(s)
	return v
}

// apacheListens lists the ports to add a Listen for. Debian's ports.conf
// always listens on 80, and on 443 when mod_ssl (or mod_gnutls) is loaded;
// repeating one fails `apache2ctl -t`. With HTTPS on, the snippet needs
// mod_ssl, so 443 is covered; without it, a plain VirtualHost on 443 gets a
// Listen guarded by <IfModule !ssl_module> (listen443).
func apacheListens(s *Settings, v *view) (ports []string, listen443 bool) {
	add := func(port int, text string) {
		switch {
		case port == 80:
		case port == 443 && s.HTTPS.Enabled:
		case port == 443:
			listen443 = true
		default:
			ports = append(ports, text)
		}
	}
	if s.HTTP.Enabled {
		add(s.HTTP.Port, v.HTTPPort)
	}
	if s.HTTPS.Enabled {
		add(s.HTTPS.Port, v.HTTPSPort)
	}
	for _, p := range v.DockerPorts {
		n, _ := strconv.Atoi(p.Port)
		add(n, p.Port)
	}
	return ports, listen443
}

// ApacheModules lists the Apache modules the snippet for s needs.
func ApacheModules(s *Settings) []string {
	mods := []string{"proxy", "proxy_http", "rewrite", "headers"}
	if s.HTTPS.Enabled {
		mods = append(mods, "ssl")
	}
	if s.IsHA() {
		mods = append(mods, "proxy_balancer", "lbmethod_byrequests", "slotmem_shm")
	}
	return mods
}

// header is the comment at the top of every snippet: the tool and the
// settings it came from (no secrets exist in proxy settings).
func header(s *Settings) []string {
	onOff := func(b bool) string {
		if b {
			return "on"
		}
		return "off"
	}
	listeners := []string{}
	if s.HTTP.Enabled {
		l := "HTTP " + strconv.Itoa(s.HTTP.Port)
		if s.HTTP.RedirectToHTTPS {
			l += " (redirects to HTTPS)"
		}
		listeners = append(listeners, l)
	}
	if s.HTTPS.Enabled {
		listeners = append(listeners, fmt.Sprintf("HTTPS %d (%s TLS profile)", s.HTTPS.Port, s.HTTPS.TLSProfile))
	}
	docker := string(s.Docker.Method)
	if s.Docker.Method != DockerNone {
		docker += fmt.Sprintf(", %d repositories", len(s.Docker.Repositories))
	}
	lines := []string{
		fmt.Sprintf("Artifactory behind %s for %s, generated by frontdoor.", s.Provider, s.ServerName),
		fmt.Sprintf("Nodes: %s (artifactory port %d, router port %d).", strings.Join(s.Nodes, ", "), s.ArtifactoryPort, s.RouterPort),
		fmt.Sprintf("Listeners: %s. Docker: %s. mTLS: %s. Base-URL override header: %s.", strings.Join(listeners, ", "), docker, onOff(s.MTLS.Enabled), onOff(s.OverrideBaseURLHeader)),
	}
	if s.Provider == Apache {
		lines = append(lines, "Needs the Apache modules: a2enmod "+strings.Join(ApacheModules(s), " "))
	}
	return append(lines, "Change the settings and run `frontdoor save` again rather than editing this file.")
}
