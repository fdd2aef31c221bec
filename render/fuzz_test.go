package render

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	crossplane "github.com/nginxinc/nginx-go-crossplane"
)

// fuzzField is one string field a user types, and where its value must end up.
type fuzzField struct {
	name string
	set  func(s *Settings, v string)
	// nginx: the directive that must carry the value, the argument index and
	// the value as rendered ("" when the field only shapes other output).
	nginxDirective string
	nginxArg       int
	rendered       func(v string) string
	// apache: the directive that must carry it and the argument index.
	apacheDirective string
	apacheArg       int
	// other providers: the word (HAProxy), token (Caddy) or scalar (YAML)
	// that must carry the value, by provider; none: only the shape counts.
	forms map[Provider]func(v string) string
}

// nodeForm is a node as a server address takes it.
func nodeForm(v string) string {
	n, _ := NormalizeNode(v)
	return n + ":8082"
}

func identity(v string) string { return v }

var fuzzFields = []fuzzField{
	{"serverName", func(s *Settings, v string) { s.ServerName = v }, "server_name", 0, nginxServerNameArg, "ServerName", 1,
		map[Provider]func(string) string{GatewayAPI: strings.ToLower}},
	{"nodes[0]", func(s *Settings, v string) { s.Nodes[0] = v }, "server", 0, nodeForm, "", 0,
		map[Provider]func(string) string{HAProxy: func(v string) string {
			n, _ := NormalizeNode(v)
			return n + ":8081"
		}, Caddy: nodeForm}},
	{"certificate", func(s *Settings, v string) { s.HTTPS.Certificate = v }, "ssl_certificate", 0, identity, "SSLCertificateFile", 1,
		map[Provider]func(string) string{Caddy: identity}},
	{"key", func(s *Settings, v string) { s.HTTPS.Key = v }, "ssl_certificate_key", 0, identity, "SSLCertificateKeyFile", 1,
		map[Provider]func(string) string{Caddy: identity}},
	{"certificate and key", func(s *Settings, v string) { s.HTTPS.Certificate, s.HTTPS.Key = v, v }, "ssl_certificate", 0, identity, "SSLCertificateFile", 1,
		map[Provider]func(string) string{HAProxy: identity, Caddy: identity}},
	{"clientCA", func(s *Settings, v string) { s.MTLS.ClientCA = v }, "ssl_client_certificate", 0, identity, "SSLCACertificateFile", 1,
		map[Provider]func(string) string{HAProxy: identity, Caddy: identity}},
	{"docker key", func(s *Settings, v string) { s.Docker.Repositories[0].Key = v }, "", 0, nil, "", 0, nil},
	{"mtls header", func(s *Settings, v string) { s.MTLS.Header = v }, "", 0, nil, "RequestHeader", 2,
		map[Provider]func(string) string{HAProxy: identity, Caddy: func(v string) string { return "-" + v }, GatewayAPI: identity}},
	{"kubernetes namespace", func(s *Settings, v string) { s.Kubernetes.Namespace = v }, "", 0, nil, "", 0,
		map[Provider]func(string) string{KubernetesIngress: identity, GatewayAPI: identity}},
	{"kubernetes service", func(s *Settings, v string) { s.Kubernetes.RouterService = v }, "", 0, nil, "", 0,
		map[Provider]func(string) string{KubernetesIngress: identity, GatewayAPI: identity}},
	{"kubernetes TLS secret", func(s *Settings, v string) { s.Kubernetes.TLSSecret = v }, "", 0, nil, "", 0,
		map[Provider]func(string) string{KubernetesIngress: identity, GatewayAPI: identity}},
	{"kubernetes class", func(s *Settings, v string) { s.Kubernetes.IngressClass, s.Kubernetes.GatewayClass = v, v }, "", 0, nil, "", 0,
		map[Provider]func(string) string{KubernetesIngress: identity, GatewayAPI: identity}},
}

// carried reports whether the checks for provider p look for the field's
// value in the output (and not only at the output's shape).
func (f fuzzField) carried(p Provider) bool {
	switch p {
	case Nginx:
		return f.nginxDirective != ""
	case Apache:
		return f.apacheDirective != ""
	}
	return f.forms[p] != nil
}

// fuzzPublicField is fuzzed in the bases behind a load balancer only: a
// public scheme where there was none, or none ("", the listener's own),
// renders other directives, as the goldens show.
var fuzzPublicField = fuzzField{"public scheme", func(s *Settings, v string) { s.Public.Scheme = v }, "proxy_set_header", 1, identity, "RequestHeader", 3,
	map[Provider]func(string) string{HAProxy: identity, Caddy: identity, GatewayAPI: identity}}

// fuzzBases are the settings each fuzzed value is put into: every field is
// rendered in at least one of them (keys by the ports method, the regex
// server name by the subdomain method, nodes in single and HA form).
func fuzzBases() []Settings {
	var out []Settings
	for _, p := range benchProviders {
		m := DockerPorts
		if p == KubernetesIngress {
			m = DockerRepositoryPath // an Ingress has no ports of its own
		}
		ports := goldenSettings(p, m, redirectTo, 1, true)
		ports.HTTP.RedirectToHTTPS = false // the HTTP server proxies too
		sub := goldenSettings(p, DockerSubdomain, redirectTo, 2, true)
		sub.Nodes = []string{"art1.internal", "10.0.0.12"}
		// Behind a TLS load balancer (proxy.public), the Docker keys in
		// the header.
		lb := goldenSettings(p, DockerRepositoryPath, httpsOnly, 1, true)
		lb.Public = Public{Scheme: "https", Port: 8443}
		out = append(out, ports, sub, lb)
	}
	return out
}

// nginxShape is the directive tree without its values: names, argument
// counts and nesting. A value that stays inside its own argument leaves it
// unchanged.
func nginxShape(ds crossplane.Directives) string {
	var b strings.Builder
	var rec func(ds crossplane.Directives)
	rec = func(ds crossplane.Directives) {
		for _, d := range ds {
			name := d.Directive
			if d.IsMapBlockParameter && name != "default" && name != "SUCCESS" {
				name = "<map key>" // the Docker ports map: keys are ports, not names
			}
			fmt.Fprintf(&b, "%s/%d", name, len(d.Args))
			if d.IsBlock() {
				b.WriteString("{")
				rec(d.Block)
				b.WriteString("}")
			}
			b.WriteString(";")
		}
	}
	rec(ds)
	return b.String()
}

// apacheShape is each line's first word and word count (comments included,
// so a value cannot break out of the header comment either).
func apacheShape(out []byte) []string {
	var shape []string
	for _, line := range strings.Split(string(out), "\n") {
		f := apacheFields(line)
		first := ""
		if len(f) > 0 {
			first = f[0]
			if first[0] == '#' {
				first = "#"
				f = f[:1] // comments may hold any number of words
			}
		}
		shape = append(shape, fmt.Sprintf("%s/%d", first, len(f)))
	}
	return shape
}

type fuzzBaseline struct {
	s            Settings
	nginxTree    string
	apacheShape  []string // also HAProxy's and Caddy's lines
	yamlShape    string
	renderedOnce []byte
}

func baselines(t testing.TB) []fuzzBaseline {
	var out []fuzzBaseline
	for _, s := range fuzzBases() {
		b := fuzzBaseline{s: s}
		r, err := Render(&s)
		if err != nil {
			t.Fatalf("baseline does not render: %v", err)
		}
		b.renderedOnce = r
		switch s.Provider {
		case Nginx:
			tree, err := parseNginxSnippet(r)
			if err != nil {
				t.Fatalf("baseline: crossplane: %v", err)
			}
			b.nginxTree = nginxShape(tree)
		case Apache:
			b.apacheShape = apacheShape(r)
			if _, _, err := parseApacheSnippet(r); err != nil {
				t.Fatalf("baseline: %v", err)
			}
		case HAProxy:
			b.apacheShape = haproxyShape(r)
		case Caddy:
			if b.apacheShape, err = caddyShape(r); err != nil {
				t.Fatalf("baseline: %v", err)
			}
		default:
			if b.yamlShape, _, err = yamlShape(r); err != nil {
				t.Fatalf("baseline: %v", err)
			}
		}
		out = append(out, b)
	}
	return out
}

// FuzzFieldValues: a value is either rejected by Validate or stays inside
// its own directive. For every string field and every base, the fuzzed
// value goes in; when Validate lets it through, the rendered config must
// have exactly the baseline's shape and carry the value where it belongs.
func FuzzFieldValues(f *testing.F) {
	for _, seed := range []string{
		// ordinary values, so the accepted path is exercised from the start
		"artifactory.example.com", "artifactory-eu-west-1-production.corp.example.com", "10.0.0.7", "::1", "[2001:db8::7]", "/etc/ssl/a.pem", "docker-local", "X-Client-Cert", "Art1",
		// injection attempts
		"a;}", "a; }", "x\nproxy_pass http://evil;", "x\r\nproxy_pass http://evil;", `"`, `'`, "#", "a#b", "${x}", "$host", "{", "}",
		`\`, `a\"b`, "a b", "a\tb", "a\rb", "a\x00b", "\x00", "ünïcødé", "例え.jp", "a\u2028b", "::1%;}", "fe80::1%eth0",
		"/etc/ssl/a.pem;ssl_verify_client off", "/etc/ssl/a.pem\nInclude /etc/passwd", "X-A early", "X-A\"",
		"%{ENV}", "/a/../b", "..", ".", "-", "*", "*.example.com", "~^(.*)$", "a:80", "[::1]:80", "", " ",
		"docker-local\n    location /evil {}", "localhost\nListen 1", "/x\"\nSSLEngine off\n#",
		// numbers C resolvers read otherwise (octal, short, hex)
		"010.0.0.5", "127.1", "0x7f.1", "2130706433",
	} {
		f.Add(seed)
	}
	bases := baselines(f)
	f.Fuzz(func(t *testing.T, v string) {
		for _, base := range bases {
			fields := fuzzFields
			if base.s.Public.IsSet() && v != "" {
				fields = append(fields[:len(fields):len(fields)], fuzzPublicField)
			}
			for _, field := range fields {
				s := base.s.Clone()
				field.set(&s, v)
				out, err := Render(&s)
				var invalid *InvalidError
				if errors.As(err, &invalid) {
					continue // rejected: fine
				}
				if err != nil {
					t.Fatalf("%s %s=%q: Render: %v", s.Provider, field.name, v, err)
				}
				if !field.carried(s.Provider) && bytes.Equal(out, base.renderedOnce) {
					// Most accepted values leave the output as it was: its shape is
					// the baseline's (checked once in baselines) and this field has
					// no value to find in it, so parsing it again proves nothing.
					continue
				}
				switch s.Provider {
				case Nginx:
					checkNginxFuzz(t, base, field, v, out)
				case Apache:
					checkApacheFuzz(t, base, field, v, out)
				default:
					checkOtherFuzz(t, base, field, v, out)
				}
			}
		}
	})
}

func checkNginxFuzz(t *testing.T, base fuzzBaseline, field fuzzField, v string, out []byte) {
	t.Helper()
	tree, err := parseNginxSnippet(out)
	if err != nil {
		t.Fatalf("nginx %s=%q accepted but the output does not parse: %v\n%s", field.name, v, err, out)
	}
	if got := nginxShape(tree); got != base.nginxTree {
		t.Fatalf("nginx %s=%q accepted but changed the directive tree:\n%s", field.name, v, out)
	}
	if field.nginxDirective == "" {
		return
	}
	want := field.rendered(v)
	found := false
	walk(tree, nil, func(d *crossplane.Directive, ctx []string) {
		if d.Directive != field.nginxDirective || len(d.Args) <= field.nginxArg {
			return
		}
		if field.name == "nodes[0]" && (len(ctx) == 0 || ctx[len(ctx)-1] != "upstream") {
			return
		}
		found = found || d.Args[field.nginxArg] == want
	})
	if !found {
		t.Fatalf("nginx %s=%q: no %s carries %q:\n%s", field.name, v, field.nginxDirective, want, out)
	}
}

func checkApacheFuzz(t *testing.T, base fuzzBaseline, field fuzzField, v string, out []byte) {
	t.Helper()
	if got := apacheShape(out); !slices.Equal(got, base.apacheShape) {
		t.Fatalf("apache %s=%q accepted but changed the lines:\n%s", field.name, v, out)
	}
	if _, _, err := parseApacheSnippet(out); err != nil {
		t.Fatalf("apache %s=%q: %v", field.name, v, err)
	}
	if field.apacheDirective == "" {
		return
	}
	// Behind a load balancer, ServerName is https://NAME:PORT.
	var decorated string
	if p := base.s.Public; p.IsSet() && field.apacheDirective == "ServerName" {
		decorated = p.Scheme + "://" + v + ":" + strconv.Itoa(p.EffectivePort())
	}
	for _, line := range strings.Split(string(out), "\n") {
		f := apacheFields(line)
		if len(f) > field.apacheArg && f[0] == field.apacheDirective && (f[field.apacheArg] == v || f[field.apacheArg] == decorated) {
			return
		}
	}
	t.Fatalf("apache %s=%q: no %s carries it:\n%s", field.name, v, field.apacheDirective, out)
}

// checkOtherFuzz is the check for HAProxy, Caddy and the Kubernetes
// outputs: the same lines (words or tokens per line) or the same YAML
// structure as the baseline, and the value where it belongs.
func checkOtherFuzz(t *testing.T, base fuzzBaseline, field fuzzField, v string, out []byte) {
	t.Helper()
	p := base.s.Provider
	var carriers []string // every word, token or scalar
	switch p {
	case HAProxy:
		if got := haproxyShape(out); !slices.Equal(got, base.apacheShape) {
			t.Fatalf("haproxy %s=%q accepted but changed the lines:\n%s", field.name, v, out)
		}
		for _, line := range strings.Split(string(out), "\n") {
			carriers = append(carriers, haproxyWords(line)...)
		}
	case Caddy:
		got, err := caddyShape(out)
		if err != nil || !slices.Equal(got, base.apacheShape) {
			t.Fatalf("caddy %s=%q accepted but changed the tokens (%v):\n%s", field.name, v, err, out)
		}
		for _, line := range strings.Split(string(out), "\n") {
			toks, _ := caddyTokens(line)
			for _, tok := range toks {
				// A site address list separates with ", ", so an address
				// token ends in one; an argument elsewhere (a certificate
				// path "/aa,") is the whole token.
				carriers = append(carriers, tok)
				carriers = append(carriers, strings.Split(strings.TrimSuffix(tok, ","), "://")...)
			}
		}
	default:
		got, scalars, err := yamlShape(out)
		if err != nil || got != base.yamlShape {
			t.Fatalf("%s %s=%q accepted but changed the YAML structure (%v):\n%s", p, field.name, v, err, out)
		}
		carriers = scalars
	}
	form := field.forms[p]
	if form == nil {
		return
	}
	want := form(v)
	if v == "" {
		return // an empty Kubernetes name takes the default
	}
	for _, c := range carriers {
		if c == want || strings.HasPrefix(c, want+":") {
			return
		}
	}
	t.Fatalf("%s %s=%q: no word, token or value carries %q:\n%s", p, field.name, v, want, out)
}
