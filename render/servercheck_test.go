package render

import (
	"fmt"
	"strings"
	"testing"

	"frontdoor/render/internal/servertest"
)

// TestNginxAcceptsEveryCase installs each matrix case into a copy of the
// stock Debian /etc/nginx and runs `nginx -t`, with real certificate, key
// and client-CA files.
func TestNginxAcceptsEveryCase(t *testing.T) {
	servertest.RequireBinary(t, "nginx")
	files := servertest.NewTLSFiles(t, "artifactory.example.com")
	n := servertest.NewNginx(t) // each case replaces the previous snippet
	for _, c := range matrixCases() {
		if c.s.Provider != Nginx {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			s := withFiles(c.s, files.Server.CertPath, files.Server.KeyPath, files.CA.Path)
			out := mustRender(t, &s)
			n.Install(out)
			if msg, err := n.Check(); err != nil {
				t.Fatalf("nginx -t rejects the snippet: %v\n%s\nsnippet:\n%s", err, msg, numbered(out))
			}
		})
	}
}

// TestApacheAcceptsEveryCase does the same with `apache2ctl -t`, enabling
// exactly the modules ApacheModules names (a2enmod follows their
// dependencies): a module the snippet uses but the list lacks fails here.
// Cases needing the same modules share a layout, which is copied once.
func TestApacheAcceptsEveryCase(t *testing.T) {
	servertest.RequireBinary(t, "apache2ctl")
	files := servertest.NewTLSFiles(t, "artifactory.example.com")
	layouts := map[string]*servertest.Apache{}
	for _, c := range matrixCases() {
		if c.s.Provider != Apache {
			continue
		}
		s := withFiles(c.s, files.Server.CertPath, files.Server.KeyPath, files.CA.Path)
		mods := ApacheModules(&s)
		a := layouts[strings.Join(mods, " ")]
		if a == nil {
			a = servertest.NewApache(t)
			a.EnableModules(mods...)
			layouts[strings.Join(mods, " ")] = a
		}
		t.Run(c.name, func(t *testing.T) {
			out := mustRender(t, &s)
			a.Install(out)
			if msg, err := a.Check(); err != nil {
				t.Fatalf("apache2ctl -t rejects the snippet: %v\n%s\nsnippet:\n%s", err, msg, numbered(out))
			}
		})
	}
}

// numbered prefixes line numbers, to match the servers' error messages.
func numbered(b []byte) string {
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	var sb strings.Builder
	for i, l := range lines {
		fmt.Fprintf(&sb, "%4d  %s\n", i+1, l)
	}
	return sb.String()
}

// TestApacheListen443EitherWay: a plain Docker VirtualHost on 443 needs a
// Listen only when no SSL module makes ports.conf listen there. The guarded
// Listen must pass apache2ctl -t both with and without mod_ssl loaded (other
// sites on the host may load it).
func TestApacheListen443EitherWay(t *testing.T) {
	s := goldenSettings(Apache, DockerPorts, httpOnly, 1, false)
	s.HTTP.Port = 8080
	s.Docker.Repositories[1].Port = 443
	out := mustRender(t, &s)
	for _, withSSL := range []bool{false, true} {
		a := servertest.NewApache(t)
		a.EnableModules(ApacheModules(&s)...)
		if withSSL {
			a.EnableModules("ssl")
		}
		a.Install(out)
		if msg, err := a.Check(); err != nil {
			t.Errorf("mod_ssl loaded: %v: apache2ctl -t: %v\n%s", withSSL, err, msg)
		}
	}
}
