package render

import (
	"errors"
	"strings"
	"testing"
)

// validBase is settings that validate with no finding at all; each case of
// TestValidate breaks one thing.
func validBase() Settings {
	return goldenSettings(Nginx, DockerPorts, redirectTo, 1, true)
}

func TestValidBaseIsClean(t *testing.T) {
	for _, p := range []Provider{Nginx, Apache} {
		s := validBase()
		s.Provider = p
		if fs := Validate(&s); len(fs) != 0 {
			t.Errorf("%s: base settings have findings:\n%s", p, fs)
		}
	}
}

// TestValidate covers every rule of issue 2: the finding's path, whether it
// blocks, and a piece of the message that tells the user what to do.
func TestValidate(t *testing.T) {
	long := func(n int) string { return strings.Repeat("a", n) }
	cases := []struct {
		name   string
		change func(s *Settings)
		path   string
		sev    Severity
		fix    string // part of the message that says how to fix it
	}{
		// provider
		{"unknown provider", func(s *Settings) { s.Provider = "lighttpd" }, "proxy.provider", Error, "use " + ProviderNames()},

		// serverName: a DNS name or an IP address
		{"server name empty", func(s *Settings) { s.ServerName = "" }, "proxy.serverName", Error, "e.g. artifactory.example.com"},
		{"server name with space", func(s *Settings) { s.ServerName = "artifactory example.com" }, "proxy.serverName", Error, "letters, digits, '-' and '.' only"},
		{"server name with semicolon", func(s *Settings) { s.ServerName = "a.com;" }, "proxy.serverName", Error, "letters, digits, '-' and '.' only"},
		{"server name non-ASCII", func(s *Settings) { s.ServerName = "ärtifactory.example.com" }, "proxy.serverName", Error, "non-ASCII"},
		{"server name empty label", func(s *Settings) { s.ServerName = "a..example.com" }, "proxy.serverName", Error, "no leading, trailing or doubled dots"},
		{"server name trailing dot", func(s *Settings) { s.ServerName = "example.com." }, "proxy.serverName", Error, "no leading, trailing or doubled dots"},
		{"server name label dash", func(s *Settings) { s.ServerName = "-a.example.com" }, "proxy.serverName", Error, "starts or ends with '-'"},
		{"server name label too long", func(s *Settings) { s.ServerName = long(64) + ".com" }, "proxy.serverName", Error, "longer than 63"},
		{"server name too long", func(s *Settings) { s.ServerName = strings.Repeat(long(60)+".", 5) + "com" }, "proxy.serverName", Error, "longer than 253"},
		{"server name IPv6 zone", func(s *Settings) { s.ServerName = "fe80::1%eth0" }, "proxy.serverName", Error, "give a global address or a hostname"},
		{"server name IPv6 zone injection", func(s *Settings) { s.ServerName = "::1%;}" }, "proxy.serverName", Error, "IPv6 zone"},
		{"server name IPv6 for Apache", func(s *Settings) { s.Provider = Apache; s.ServerName = "2001:db8::1" }, "proxy.serverName", Error, "give a hostname that resolves to it"},

		// the proxy's ports against Artifactory's, when they share the host
		{"HTTP on Artifactory's port", func(s *Settings) { s.HTTP.Port = 8081 }, "proxy.http.port", Error, "the proxy needs another, usually 80 or 443"},
		{"HTTPS on the router's port", func(s *Settings) { s.HTTPS.Port = 8082 }, "proxy.https.port", Error, "the proxy needs another, usually 80 or 443"},
		{"router and Artifactory on one port", func(s *Settings) { s.RouterPort = 8081 }, "proxy.routerPort", Error, "usually listens on 8082"},

		// nodes
		{"no nodes", func(s *Settings) { s.Nodes = nil }, "proxy.nodes", Error, "list at least one internal host"},
		{"empty node", func(s *Settings) { s.Nodes = []string{""} }, "proxy.nodes[0]", Error, "give a hostname or IP address, or delete the entry"},
		{"node with port", func(s *Settings) { s.Nodes = []string{"localhost", "art2:8081"} }, "proxy.nodes[1]", Error, "give the host only"},
		{"node not a host", func(s *Settings) { s.Nodes = []string{"art 1"} }, "proxy.nodes[0]", Error, "IPv6 like ::1"},
		{"node with zone", func(s *Settings) { s.Nodes = []string{"fe80::1%eth0"} }, "proxy.nodes[0]", Error, "not a hostname or IP address"},
		{"node half bracket", func(s *Settings) { s.Nodes = []string{"[::1"} }, "proxy.nodes[0]", Error, "not a hostname or IP address"},
		{"node twice, case", func(s *Settings) { s.Nodes = []string{"art1.internal", "ART1.internal"} }, "proxy.nodes[1]", Error, "each node once"},
		{"node twice, IPv6 forms", func(s *Settings) { s.Nodes = []string{"::1", "[0:0::1]"} }, "proxy.nodes[1]", Error, "each node once"},

		// ports
		{"artifactory port 0", func(s *Settings) { s.ArtifactoryPort = 0 }, "proxy.artifactoryPort", Error, "use 1-65535"},
		{"router port too big", func(s *Settings) { s.RouterPort = 65536 }, "proxy.routerPort", Error, "use 1-65535"},
		{"http port negative", func(s *Settings) { s.HTTP.Port = -1 }, "proxy.http.port", Error, "use 1-65535"},
		{"https port too big", func(s *Settings) { s.HTTPS.Port = 70000 }, "proxy.https.port", Error, "use 1-65535"},

		// listeners
		{"no listener", func(s *Settings) {
			s.HTTP.Enabled, s.HTTP.RedirectToHTTPS, s.HTTPS.Enabled, s.MTLS.Enabled = false, false, false, false
		}, "proxy.http.enabled", Error, "enable HTTP or HTTPS"},
		{"same port twice", func(s *Settings) { s.HTTPS.Port = 80 }, "proxy.https.port", Error, "give HTTPS its own port (usually 443)"},
		{"HTTPS on port 80", func(s *Settings) { s.HTTP.Enabled, s.HTTP.RedirectToHTTPS, s.HTTPS.Port = false, false, 80 }, "proxy.https.port", Error, "use 443"},
		{"TLS Docker port 80", func(s *Settings) { s.HTTP.Port = 8080; s.Docker.Repositories[0].Port = 80 }, "proxy.docker.repositories[0].port", Error, "Docker ports use TLS"},
		{"HTTP on the HTTPS port", func(s *Settings) { s.HTTP.Port = 443 }, "proxy.http.port", Error, "give HTTP its own port (usually 80)"},
		{"redirect without HTTPS", func(s *Settings) { s.HTTPS.Enabled, s.MTLS.Enabled = false, false }, "proxy.http.redirectToHttps", Error, "needs both HTTP and HTTPS enabled"},
		{"redirect without HTTP", func(s *Settings) { s.HTTP.Enabled = false }, "proxy.http.redirectToHttps", Error, "needs both HTTP and HTTPS enabled"},
		{"HTTPS without certificate", func(s *Settings) { s.HTTPS.Certificate = "" }, "proxy.https.certificate", Error, "give the path of its PEM file"},
		{"HTTPS without key", func(s *Settings) { s.HTTPS.Key = "" }, "proxy.https.key", Error, "give the path of its PEM file"},
		{"relative certificate", func(s *Settings) { s.HTTPS.Certificate = "certs/a.pem" }, "proxy.https.certificate", Error, "start with /"},
		{"certificate with space", func(s *Settings) { s.HTTPS.Certificate = "/etc/ssl/my cert.pem" }, "proxy.https.certificate", Error, "rename or link the file"},
		{"key with dollar", func(s *Settings) { s.HTTPS.Key = "/etc/ssl/$host.key" }, "proxy.https.key", Error, "rename or link the file"},
		{"certificate with dot-dot", func(s *Settings) { s.HTTPS.Certificate = "/etc/ssl/../a.pem" }, "proxy.https.certificate", Error, "give the real path"},
		{"unknown TLS profile", func(s *Settings) { s.HTTPS.TLSProfile = "old" }, "proxy.https.tlsProfile", Error, "use intermediate"},

		// Docker
		{"unknown Docker method", func(s *Settings) { s.Docker.Method = "magic" }, "proxy.docker.method", Error, "use subdomain, ports, repositoryPath or none"},
		{"ports method, no port", func(s *Settings) { s.Docker.Repositories[1].Port = 0 }, "proxy.docker.repositories[1].port", Error, "pick a free one"},
		{"Docker port out of range", func(s *Settings) { s.Docker.Repositories[1].Port = 65536 }, "proxy.docker.repositories[1].port", Error, "use 1-65535"},
		{"Docker ports equal", func(s *Settings) { s.Docker.Repositories[2].Port = 5001 }, "proxy.docker.repositories[2].port", Error, "each repository needs its own port"},
		{"Docker port = HTTP port", func(s *Settings) { s.Docker.Repositories[0].Port = 80 }, "proxy.docker.repositories[0].port", Error, "pick another port"},
		{"Docker port = HTTPS port", func(s *Settings) { s.Docker.Repositories[0].Port = 443 }, "proxy.docker.repositories[0].port", Error, "pick another port"},
		{"Docker port = artifactoryPort, local node", func(s *Settings) { s.Docker.Repositories[0].Port = 8081 }, "proxy.docker.repositories[0].port", Error, "pick another port"},
		{"Docker port = routerPort, loopback node", func(s *Settings) { s.Nodes = []string{"127.0.0.1"}; s.Docker.Repositories[0].Port = 8082 }, "proxy.docker.repositories[0].port", Error, "pick another port"},
		{"Docker port below 1024", func(s *Settings) { s.Docker.Repositories[0].Port = 444 }, "proxy.docker.repositories[0].port", Warning, "CAP_NET_BIND_SERVICE"},
		{"no Docker repositories", func(s *Settings) { s.Docker.Repositories = nil }, "proxy.docker.repositories", Warning, "add the repositories Docker clients use"},
		{"many Docker ports for nginx", func(s *Settings) {
			s.Docker.Repositories = benchSettings(Nginx, nginxPortsWarning+1).Docker.Repositories
		}, "proxy.docker.repositories", Warning, "raise worker_connections in the events block of nginx.conf"},
		{"Docker key empty", func(s *Settings) { s.Docker.Repositories[0].Key = "" }, "proxy.docker.repositories[0].key", Error, "give the repository key"},
		{"Docker key with slash", func(s *Settings) { s.Docker.Repositories[0].Key = "a/b" }, "proxy.docker.repositories[0].key", Error, "letters, digits, '-', '_' and '.' only"},
		{"Docker key dot-dot", func(s *Settings) { s.Docker.Repositories[0].Key = ".." }, "proxy.docker.repositories[0].key", Error, "give the real key"},
		{"Docker key too long", func(s *Settings) { s.Docker.Repositories[0].Key = long(65) }, "proxy.docker.repositories[0].key", Error, "longer than 64"},
		{"Docker keys equal, case", func(s *Settings) { s.Docker.Repositories[1].Key = "Docker-Local" }, "proxy.docker.repositories[1].key", Error, "list each once"},
		{"subdomain key with dot", func(s *Settings) { s.Docker.Method = DockerSubdomain; s.Docker.Repositories[1].Key = "team.docker" }, "proxy.docker.repositories[1].key", Error, "a wildcard certificate covers one level; rename the repository or use the ports method"},
		{"subdomain key with underscore", func(s *Settings) { s.Docker.Method = DockerSubdomain; s.Docker.Repositories[1].Key = "docker_local" }, "proxy.docker.repositories[1].key", Error, "rename it with '-' or use the ports method"},
		{"subdomain key upper case", func(s *Settings) { s.Docker.Method = DockerSubdomain; s.Docker.Repositories[1].Key = "DockerLocal" }, "proxy.docker.repositories[1].key", Error, "use a lower-case key"},
		{"subdomain key dash", func(s *Settings) { s.Docker.Method = DockerSubdomain; s.Docker.Repositories[1].Key = "docker-" }, "proxy.docker.repositories[1].key", Error, "rename it"},
		{"subdomain name too long", func(s *Settings) {
			s.Docker.Method = DockerSubdomain
			s.ServerName = strings.Repeat(long(60)+".", 4) + "ex.com" // 250 characters: valid alone
			s.Docker.Repositories[1].Key = "abcd"
		}, "proxy.docker.repositories[1].key", Error, "longer than the 253 a DNS name may hold"},
		{"subdomain on an IP", func(s *Settings) { s.Docker.Method = DockerSubdomain; s.ServerName = "10.0.0.5" }, "proxy.docker.method", Error, "set proxy.serverName to a hostname or use the ports method"},

		// tomcat
		{"tomcat subdomain", func(s *Settings) { s.Provider, s.MTLS.Enabled, s.Docker.Method = Tomcat, false, DockerSubdomain }, "proxy.docker.method", Error, "redirect loop; use repositoryPath"},
		{"tomcat ports", func(s *Settings) { s.Provider, s.MTLS.Enabled = Tomcat, false }, "proxy.docker.method", Error, "use repositoryPath"},
		{"tomcat mTLS", func(s *Settings) { s.Provider, s.Docker.Method = Tomcat, DockerRepositoryPath }, "proxy.mtls.enabled", Error, "choose " + proxyProviders + ", or turn mTLS off"},

		// mTLS
		{"mTLS without HTTPS", func(s *Settings) { s.HTTPS.Enabled, s.HTTP.RedirectToHTTPS = false, false }, "proxy.mtls.enabled", Error, "enable proxy.https or turn mTLS off"},
		{"mTLS without client CA", func(s *Settings) { s.MTLS.ClientCA = "" }, "proxy.mtls.clientCA", Error, "give the PEM file of the CA(s) that sign client certificates, e.g. /etc/nginx/client-ca.pem"},
		{"mTLS without client CA, Apache", func(s *Settings) { s.Provider = Apache; s.MTLS.ClientCA = "" }, "proxy.mtls.clientCA", Error, "e.g. /etc/apache2/client-ca.pem"},
		{"mTLS header too long", func(s *Settings) { s.MTLS.Header = "X-" + long(127) }, "proxy.mtls.header", Error, "at most 128"},
		{"mTLS client CA relative", func(s *Settings) { s.MTLS.ClientCA = "ca.pem" }, "proxy.mtls.clientCA", Error, "start with /"},
		{"mTLS client CA with brace", func(s *Settings) { s.MTLS.ClientCA = "/etc/ca}.pem" }, "proxy.mtls.clientCA", Error, "rename or link the file"},
		{"mTLS depth 0", func(s *Settings) { s.MTLS.VerifyDepth = 0 }, "proxy.mtls.verifyDepth", Error, "use 1-10"},
		{"mTLS depth 11", func(s *Settings) { s.MTLS.VerifyDepth = 11 }, "proxy.mtls.verifyDepth", Error, "use 1-10"},
		{"mTLS header empty", func(s *Settings) { s.MTLS.Header = "" }, "proxy.mtls.header", Error, "usually X-JFrog-Client-Cert"},
		{"mTLS header with underscore", func(s *Settings) { s.MTLS.Header = "X_Client_Cert" }, "proxy.mtls.header", Error, "letters, digits and '-' only"},
		{"mTLS header reserved", func(s *Settings) { s.MTLS.Header = "x-forwarded-for" }, "proxy.mtls.header", Error, "use a name of its own"},
		{"mTLS custom header", func(s *Settings) { s.MTLS.Header = "X-Client-Cert" }, "proxy.mtls.header", Warning, "system.yaml"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := validBase()
			s.Docker.Repositories = append([]DockerRepository(nil), s.Docker.Repositories...)
			c.change(&s)
			fs := Validate(&s)
			var hit *Finding
			for i, f := range fs {
				if f.Path == c.path && f.Severity == c.sev {
					hit = &fs[i]
					break
				}
			}
			if hit == nil {
				t.Fatalf("want a %s at %s, got:\n%s", c.sev, c.path, fs)
			}
			if !strings.Contains(hit.Message, c.fix) {
				t.Errorf("message %q does not say %q", hit.Message, c.fix)
			}
			if c.sev == Error {
				var inv *InvalidError
				if _, err := Render(&s); !errors.As(err, &inv) {
					t.Errorf("Render = %v, want *InvalidError: errors block rendering", err)
				}
			}
		})
	}
}

// Values the rules must let through: no finding at all.
func TestValidateAccepts(t *testing.T) {
	cases := []struct {
		name   string
		change func(s *Settings)
	}{
		{"IPv4 server name", func(s *Settings) { s.ServerName = "192.0.2.10" }},
		{"IPv6 server name, nginx", func(s *Settings) { s.ServerName = "2001:db8::10" }},
		{"IPv6 server name in brackets", func(s *Settings) { s.ServerName = "[2001:db8::10]" }},
		{"IPv6 and IPv4-mapped nodes", func(s *Settings) { s.Nodes = []string{"[fd00::1]", "::ffff:10.0.0.1", "10.0.0.2"} }},
		{"Docker port = artifactoryPort on a remote node", func(s *Settings) { s.Nodes = []string{"art1.internal"}; s.Docker.Repositories[0].Port = 8081 }},
		{"HTTP off ignores its port", func(s *Settings) { s.HTTP = HTTP{Enabled: false, Port: 0} }},
		{"mTLS off ignores its fields", func(s *Settings) { s.MTLS = MTLS{Enabled: false, ClientCA: "x y", Header: "{"} }},
		{"repository keys with dots for ports", func(s *Settings) { s.Docker.Repositories[0].Key = "team.docker_Local" }},
		{"repositoryPath needs no ports", func(s *Settings) {
			s.Docker.Method = DockerRepositoryPath
			s.Docker.Repositories = []DockerRepository{{Key: "a"}, {Key: "b"}}
		}},
		{"paths with allowed punctuation", func(s *Settings) { s.HTTPS.Certificate = "/etc/ssl/a+b@c:d,e=f~g%h_i-j.pem" }},
		{"tomcat direct, repositoryPath", func(s *Settings) {
			s.Provider, s.MTLS.Enabled, s.Docker.Method = Tomcat, false, DockerRepositoryPath
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := validBase()
			s.Docker.Repositories = append([]DockerRepository(nil), s.Docker.Repositories...)
			c.change(&s)
			if fs := Validate(&s); len(fs) != 0 {
				t.Errorf("unexpected findings:\n%s", fs)
			}
		})
	}
}

// Warnings never block: the snippet is still rendered.
func TestWarningsDoNotBlock(t *testing.T) {
	s := validBase()
	s.Docker.Repositories[0].Port = 444
	s.MTLS.Header = "X-Client-Cert"
	fs := Validate(&s)
	if len(fs.Warnings()) != 2 || fs.HasErrors() {
		t.Fatalf("want two warnings, got:\n%s", fs)
	}
	if _, err := Render(&s); err != nil {
		t.Errorf("Render with warnings only: %v", err)
	}
}

func TestRenderTomcatHasNoSnippet(t *testing.T) {
	s := validBase()
	s.Provider, s.MTLS.Enabled, s.Docker.Method = Tomcat, false, DockerRepositoryPath
	if _, err := Render(&s); !errors.Is(err, ErrNoSnippet) {
		t.Errorf("Render(tomcat) = %v, want ErrNoSnippet", err)
	}
}

func TestNormalizeNode(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"localhost", "localhost", true},
		{"Art1.Example.COM", "art1.example.com", true},
		{"10.0.0.1", "10.0.0.1", true},
		{"::1", "[::1]", true},
		{"[::1]", "[::1]", true},
		{"2001:DB8:0:0::1", "[2001:db8::1]", true},
		{"[2001:db8::1]", "[2001:db8::1]", true},
		{"::ffff:10.0.0.1", "[::ffff:10.0.0.1]", true},
		{"[10.0.0.1]", "10.0.0.1", true},
		{"[::1", "", false},
		{"::1]", "", false},
		{"[]", "", false},
		{"[localhost]", "", false},
		{"fe80::1%eth0", "", false},
		{"[fe80::1%25eth0]", "", false},
		{"host:8081", "", false},
		{"[::1]:8081", "", false},
		{"", "", false},
		{"a b", "", false},
		{"a;b", "", false},
		{"-host", "", false},
	}
	for _, c := range cases {
		got, ok := NormalizeNode(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("NormalizeNode(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestServerNameForConfig(t *testing.T) {
	for in, want := range map[string]string{
		"artifactory.example.com": "artifactory.example.com",
		"192.0.2.1":               "192.0.2.1",
		"2001:db8::10":            "[2001:db8::10]",
		"[2001:DB8::10]":          "[2001:db8::10]",
	} {
		if got := ServerNameForConfig(in); got != want {
			t.Errorf("ServerNameForConfig(%q) = %q, want %q", in, got, want)
		}
	}
}

// Both repositories on a shared port are told, each naming the other.
func TestDockerPortClashNamesTheOther(t *testing.T) {
	s := validBase()
	s.Docker.Repositories = []DockerRepository{{Key: "a", Port: 5001}, {Key: "b", Port: 5002}, {Key: "c", Port: 5001}}
	got := Validate(&s)
	checkFindings(t, got, []want{
		{"proxy.docker.repositories[0].port", Error, `repository "c" (repositories[2])`},
		{"proxy.docker.repositories[2].port", Error, `repository "a" (repositories[0])`},
	})
}

// The client-CA default follows the provider while the user has not typed
// a path of their own.
func TestFollowProvider(t *testing.T) {
	cases := []struct {
		from     string
		provider Provider
		want     string
	}{
		{DefaultClientCA(Nginx), Apache, "/etc/apache2/client-ca.pem"},
		{DefaultClientCA(Apache), Nginx, "/etc/nginx/client-ca.pem"},
		{DefaultClientCA(Nginx), Nginx, "/etc/nginx/client-ca.pem"},
		{DefaultClientCA(Nginx), Tomcat, "/etc/nginx/client-ca.pem"}, // kept for a switch back
		{"/srv/pki/clients.pem", Apache, "/srv/pki/clients.pem"},
		{"", Apache, ""},
	}
	for _, c := range cases {
		s := Defaults()
		s.MTLS.ClientCA, s.Provider = c.from, c.provider
		FollowProvider(&s)
		if s.MTLS.ClientCA != c.want {
			t.Errorf("%q, provider now %s: got %q, want %q", c.from, c.provider, s.MTLS.ClientCA, c.want)
		}
	}
	for _, p := range []Provider{Nginx, Apache} {
		if d := DefaultClientCA(p); !strings.Contains(d, "/"+map[Provider]string{Nginx: "nginx", Apache: "apache2"}[p]+"/") {
			t.Errorf("DefaultClientCA(%s) = %q: not in the provider's own directory", p, d)
		}
	}
}
