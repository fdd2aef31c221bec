package render

import (
	"regexp"
	"strings"
	"testing"

	"frontdoor/internal/servertest"
)

// TestNginxLongNames: nginx keeps server names and proxy_set_header names in
// hashes whose buckets hold 64 bytes by default; a name of 47+ characters
// does not fit and `nginx -t` fails ("could not build server_names_hash").
// Long names must still give a configuration nginx loads, with Debian's
// stock default site (port 80) enabled beside it.
func TestNginxLongNames(t *testing.T) {
	t.Parallel() // real servers' checks on layouts of its own
	files := servertest.NewTLSFiles(t, "artifactory.example.com")
	n := servertest.NewNginx(t)
	longName := strings.Repeat("a", 40) + ".example.com" // 52 characters
	longHeader := "X-" + strings.Repeat("Client-Cert-", 5) + "Long"
	cases := []struct {
		name   string
		change func(s *Settings)
	}{
		{"subdomain, HTTPS only", func(s *Settings) { s.HTTP.Enabled, s.HTTP.RedirectToHTTPS = false, false }},
		{"plain HTTP on 80 beside the default site", func(s *Settings) {
			s.Docker.Method, s.HTTPS.Enabled, s.HTTP.RedirectToHTTPS, s.MTLS.Enabled = DockerNone, false, false, false
		}},
		{"redirect on 80, subdomain", func(s *Settings) {}},
		{"plain Docker ports on 80", func(s *Settings) {
			s.HTTPS.Enabled, s.HTTP.RedirectToHTTPS, s.MTLS.Enabled = false, false, false
			s.Docker.Method = DockerPorts
			s.HTTP.Port = 8080
			for i := range s.Docker.Repositories {
				s.Docker.Repositories[i].Port = 80 + i
			}
		}},
		{"long mTLS header", func(s *Settings) { s.ServerName = "artifactory.example.com"; s.MTLS.Header = longHeader }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := goldenSettings(Nginx, DockerSubdomain, redirectTo, 1, true)
			s.ServerName = longName
			c.change(&s)
			s = withFiles(s, files.Server.CertPath, files.Server.KeyPath, files.CA.Path)
			out := mustRender(t, &s)
			n.Install(out)
			if msg, err := n.Check(); err != nil {
				t.Fatalf("nginx -t rejects the snippet: %v\n%s\nsnippet:\n%s", err, msg, numbered(out))
			}
		})
	}
}

// nginxServerNameArg is the server name as server_name must carry it: the
// name itself, or for a name too long for nginx's default hash bucket a
// regex matching exactly that name (crossplane strips the quotes).
func nginxServerNameArg(serverName string) string {
	name := ServerNameForConfig(serverName)
	if len(name) > 46 {
		return "~^" + regexp.QuoteMeta(name) + "$"
	}
	return name
}
