package render

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"frontdoor/assets"
	"frontdoor/internal/servertest"
)

// embeddedBlock is the {{define "name"}} of an embedded template file, up to
// the next define (or the end of the file): an admin's starting point.
func embeddedBlock(t *testing.T, file, name string) string {
	t.Helper()
	data, err := assets.Templates.ReadFile("templates/" + file)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	start := strings.Index(text, `{{- define "`+name+`"`)
	if start < 0 {
		t.Fatalf("%s has no block %s", file, name)
	}
	end := strings.Index(text[start+1:], `{{- define "`)
	if end < 0 {
		return text[start:]
	}
	return text[start : start+1+end]
}

func embeddedFile(t *testing.T, file string) string {
	t.Helper()
	data, err := assets.Templates.ReadFile("templates/" + file)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// dropLines removes the lines matching re: the admin's edit that forgets
// the route.
func dropLines(text, re string) string {
	return regexp.MustCompile(`(?m)^.*(`+re+`).*\n`).ReplaceAllString(text, "")
}

// The embedded templates always route to every node: the check never
// speaks up on their outputs, for any provider, method, listener or node
// count of the matrix (a false alarm would block a good save).
func TestRouteCheckQuietOnEmbeddedOutputs(t *testing.T) {
	for _, c := range matrixCases() {
		out := mustRender(t, &c.s)
		if p, _ := routeProblem(&c.s, out); p != "" {
			t.Errorf("%s: %s", c.name, p)
		}
	}
	// The exported files are the admin's now: still no finding.
	dir := exportTo(t)
	for _, c := range matrixCases() {
		s := c.s.Clone()
		s.Templates = dir
		if fs := CheckTemplates(&s, Validate(&s)); len(fs) > 0 && !strings.Contains(fs.String(), "certificate") {
			t.Errorf("%s with the exported templates: %s", c.name, fs)
		}
	}
}

// A template that drops the route to the nodes is an error at
// proxy.templates naming the file, the block it replaces and the nodes no
// request reaches; a node of several left out is a warning; a template
// that sends everything to the router, or whose target is chosen at
// request time, gets no finding.
func TestTemplateWithoutRoute(t *testing.T) {
	cases := []struct {
		name     string
		provider Provider
		nodes    int
		file     string
		text     func(t *testing.T) string
		severity Severity
		want     []string // none when no finding is wanted
		notWant  []string
	}{
		{"nginx block without proxy_pass", Nginx, 1, "nginx.conf.tmpl", func(t *testing.T) string {
			return dropLines(embeddedBlock(t, "nginx.conf.tmpl", "nginx-proxy"), `proxy_pass http`)
		}, Error, []string{"nginx.conf.tmpl: its nginx-proxy: the snippet would not proxy to Artifactory: no proxy_pass reaches the router at localhost:8082 (the UI, the platform's APIs and /artifactory/)", "an admin template"}, nil},
		{"nginx block with /artifactory/ only", Nginx, 2, "nginx.conf.tmpl", func(t *testing.T) string {
			return strings.Replace(embeddedBlock(t, "nginx.conf.tmpl", "nginx-proxy"), "proxy_pass http://artifactory;", "return 404;", 1)
		}, Error, []string{"no proxy_pass reaches the router at 10.0.0.11:8082, [fd00::12]:8082"}, []string{"Artifactory at"}},
		{"nginx whole template without proxy_pass", Nginx, 1, "nginx.conf.tmpl", func(t *testing.T) string {
			return dropLines(embeddedFile(t, "nginx.conf.tmpl"), `proxy_pass http`)
		}, Error, []string{"nginx.conf.tmpl: the snippet would not proxy"}, []string{"its "}},
		{"nginx HA: one router node left out", Nginx, 2, "nginx.conf.tmpl", func(t *testing.T) string {
			return strings.Replace(embeddedBlock(t, "nginx.conf.tmpl", "nginx-proxy"), "proxy_pass http://artifactory;", "proxy_pass http://{{index .RouterNodes 0}};", 1)
		}, Warning, []string{"nginx.conf.tmpl: its nginx-proxy: no proxy_pass reaches the router at [fd00::12]:8082: those nodes would get no requests"}, []string{"Artifactory at"}},
		// The router serves /artifactory/ too: the direct route is a shortcut.
		{"nginx everything to the router", Nginx, 2, "nginx.conf.tmpl", func(t *testing.T) string {
			return dropLines(embeddedBlock(t, "nginx.conf.tmpl", "nginx-proxy"), `artifactory-direct`)
		}, Warning, nil, nil},
		{"nginx on one line", Nginx, 1, "nginx.conf.tmpl", func(*testing.T) string {
			return `{{define "nginx.conf.tmpl"}}server { listen 80; location / { proxy_pass http://{{index .RouterNodes 0}}; } }{{end}}`
		}, Warning, nil, nil},
		{"nginx route in a comment only", Nginx, 1, "nginx.conf.tmpl", func(*testing.T) string {
			return `{{define "nginx.conf.tmpl"}}server { listen 80; location / { return 503; } } # proxy_pass http://{{index .RouterNodes 0}};{{end}}`
		}, Error, []string{"nginx.conf.tmpl: the snippet would not proxy"}, nil},
		{"nginx proxy_pass to a variable", Nginx, 1, "nginx.conf.tmpl", func(t *testing.T) string {
			return strings.ReplaceAll(embeddedBlock(t, "nginx.conf.tmpl", "nginx-proxy"), "proxy_pass http://artifactory;", "proxy_pass http://$frontdoor_upstream;")
		}, Warning, nil, nil},
		{"apache block without ProxyPass", Apache, 1, "apache.conf.tmpl", func(t *testing.T) string {
			return dropLines(embeddedBlock(t, "apache.conf.tmpl", "apache-proxy"), `ProxyPass "/(artifactory/)?" `)
		}, Error, []string{"apache.conf.tmpl: its apache-proxy: the snippet would not proxy to Artifactory: no ProxyPass reaches the router at localhost:8082"}, nil},
		{"apache balancer ProxyPass gone", Apache, 2, "apache.conf.tmpl", func(t *testing.T) string {
			return dropLines(embeddedBlock(t, "apache.conf.tmpl", "apache-proxy"), `ProxyPass "/" "balancer`)
		}, Error, []string{"no ProxyPass reaches the router at 10.0.0.11:8082, [fd00::12]:8082"}, []string{"Artifactory at"}},
		{"apache to a balancer it does not define", Apache, 2, "apache.conf.tmpl", func(t *testing.T) string {
			return strings.ReplaceAll(embeddedBlock(t, "apache.conf.tmpl", "apache-proxy"), `"balancer://artifactory/"`, `"balancer://artifactroy/"`)
		}, Error, []string{"no ProxyPass reaches the router at 10.0.0.11:8082, [fd00::12]:8082"}, nil},
		{"haproxy route without default_backend", HAProxy, 2, "haproxy.cfg.tmpl", func(t *testing.T) string {
			return dropLines(embeddedBlock(t, "haproxy.cfg.tmpl", "haproxy-route"), `default_backend`)
		}, Error, []string{"haproxy.cfg.tmpl: its haproxy-route: ", "no backend that use_backend or default_backend picks has a server line for the router at 10.0.0.11:8082, [fd00::12]:8082"}, nil},
		{"haproxy whole template without servers", HAProxy, 1, "haproxy.cfg.tmpl", func(t *testing.T) string {
			return dropLines(embeddedFile(t, "haproxy.cfg.tmpl"), `server node`)
		}, Error, []string{"haproxy.cfg.tmpl: the snippet would not proxy", "router at localhost:8082"}, nil},
		{"caddy whole template without reverse_proxy", Caddy, 1, "Caddyfile.tmpl", func(t *testing.T) string {
			return dropLines(embeddedFile(t, "Caddyfile.tmpl"), `reverse_proxy`)
		}, Error, []string{"Caddyfile.tmpl: the snippet would not proxy to Artifactory: no reverse_proxy reaches the router at localhost:8082"}, nil},
		{"caddy upstream block changed, route kept", Caddy, 2, "Caddyfile.tmpl", func(t *testing.T) string {
			return strings.ReplaceAll(embeddedBlock(t, "Caddyfile.tmpl", "caddy-upstream"), "lb_try_duration 5s", "lb_try_duration 9s")
		}, Warning, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(servertest.TempDir(t), "mine")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			writeTemplate(t, dir, c.file, c.text(t))
			s := goldenSettings(c.provider, DockerNone, httpOnly, c.nodes, false)
			s.Templates = dir
			fs := CheckTemplates(&s, Validate(&s))
			if len(c.want) == 0 {
				if len(fs) > 0 {
					t.Fatalf("unexpected finding: %s", fs)
				}
				return
			}
			if len(fs) != 1 || fs[0].Path != "proxy.templates" || fs[0].Severity != c.severity {
				t.Fatalf("want one %s at proxy.templates, got %s", c.severity, fs)
			}
			msg := fs[0].Message
			if !strings.HasPrefix(msg, filepath.Join(dir, c.file)) {
				t.Errorf("%q does not start with the template's path", msg)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%q does not say %q", msg, w)
				}
			}
			for _, w := range c.notWant {
				if strings.Contains(msg, w) {
					t.Errorf("%q says %q", msg, w)
				}
			}
		})
	}
}
