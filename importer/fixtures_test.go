package importer

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"text/template"

	"frontdoor/importer/semantic"
	"frontdoor/render"
)

var update = flag.Bool("update", false, "rewrite the golden reports in testdata/golden from the current output")

// fixtureValues are what a fixture template is rendered with: the
// standard ones (ports 80/443, localhost) for the golden reports, free
// loopback ports and generated certificates for the real servers.
type fixtureValues struct {
	Name, NameRegex     string
	HTTP, HTTPS         int
	Docker              []int
	Keys                []string // the Docker repositories of the ports
	Nodes               []string
	Router, Artifactory int
	Cert, Key, ClientCA string
	LogDir              string
}

// fixture is one configuration in a shape admins have (testdata/fixtures).
type fixture struct {
	name     string
	provider render.Provider
	nodes    int // Artifactory nodes it proxies to
	docker   int // Docker ports it listens on
	// std changes the standard values (the chart listens on 8080/8443).
	std func(*fixtureValues)
	// method is how Docker clients reach repositories: "subdomain",
	// "ports", "path" or "".
	method string
	// serves are the schemes whose listener proxies (not only redirects).
	serves []string
	// redirects says plain HTTP only redirects to HTTPS.
	redirects bool
	// mtls says the fixture asks for client certificates (required: the
	// requests present one).
	mtls bool
	// allowed are the aspects whose explained change (one with a why in the
	// report) may make a request of the table behave differently, by
	// request name ("*" for every request).
	allowed map[string][]semantic.Aspect
}

var fixtures = []fixture{
	{name: "nginx-vendor6", provider: render.Nginx, nodes: 1, method: "subdomain", serves: []string{"http", "https"},
		allowed: map[string][]semantic.Aspect{
			"*":                             {semantic.Headers}, // X-Artifactory-Override-Base-Url → X-JFrog-...
			"ui":                            {semantic.Routes},
			"platform api":                  {semantic.Routes},
			"redirect /":                    {semantic.Redirects},
			"redirect /ui":                  {semantic.Redirects},
			"docker bare name":              {semantic.Docker, semantic.Routes},
			"docker manifest":               {semantic.Docker},
			"docker second repository ping": {semantic.Docker},
		}},
	{name: "nginx-vendor7", provider: render.Nginx, nodes: 1, method: "path", serves: []string{"http", "https"},
		allowed: map[string][]semantic.Aspect{"docker manifest": {semantic.Docker}}},
	{name: "nginx-chart", provider: render.Nginx, nodes: 1, method: "subdomain", serves: []string{"http", "https"},
		std: func(v *fixtureValues) { v.HTTP, v.HTTPS = 8080, 8443 }},
	{name: "nginx-ports", provider: render.Nginx, nodes: 2, docker: 2, method: "ports", serves: []string{"https"}, redirects: true},
	{name: "nginx-ports-map", provider: render.Nginx, nodes: 1, docker: 2, method: "ports", serves: []string{"https"}, redirects: true},
	{name: "nginx-ports-map-guarded", provider: render.Nginx, nodes: 1, docker: 2, method: "ports", serves: []string{"https"}, redirects: true},
	{name: "nginx-handmade", provider: render.Nginx, nodes: 1, serves: []string{"https"}, redirects: true, mtls: true},
	{name: "apache-vendor6", provider: render.Apache, nodes: 1, serves: []string{"http"},
		allowed: map[string][]semantic.Aspect{
			"*":                  {semantic.Headers},
			"ui":                 {semantic.Routes},
			"platform api":       {semantic.Routes},
			"redirect /":         {semantic.Redirects},
			"redirect /ui":       {semantic.Redirects},
			"encoded slash kept": {semantic.Tuning},
		}},
	{name: "apache-vendor7-balancer", provider: render.Apache, nodes: 2, method: "subdomain", serves: []string{"http", "https"},
		allowed: map[string][]semantic.Aspect{
			// The vendor's Host pattern has no room for a port: a client
			// on another port than 80/443 never got its repository.
			"docker manifest":               {semantic.Names},
			"docker second repository ping": {semantic.Names},
			"encoded slash kept":            {semantic.Tuning},
		}},
	{name: "apache-vhost-balancer", provider: render.Apache, nodes: 2, serves: []string{"https"}, redirects: true},
	{name: "apache-define", provider: render.Apache, nodes: 1, serves: []string{"https"}, redirects: true},
	{name: "apache-ports", provider: render.Apache, nodes: 1, docker: 2, method: "ports", serves: []string{"https"}, redirects: true},
	{name: "apache-handmade", provider: render.Apache, nodes: 1, method: "path", serves: []string{"https"}, mtls: true,
		allowed: map[string][]semantic.Aspect{"docker manifest": {semantic.Docker}}},
}

// standardValues are the values of the golden reports.
func (f fixture) standardValues() fixtureValues {
	v := fixtureValues{
		Name: "artifactory.example.com", HTTP: 80, HTTPS: 443, Router: 8082, Artifactory: 8081,
		Cert: "/etc/ssl/certs/artifactory.pem", Key: "/etc/ssl/private/artifactory.key",
		ClientCA: "/etc/ssl/certs/client-ca.pem", LogDir: "/var/log/" + string(f.provider),
		Nodes: []string{"localhost"},
	}
	if f.provider == render.Apache {
		v.LogDir = "/var/log/apache2"
	}
	if f.nodes == 2 {
		v.Nodes = []string{"10.0.0.11", "10.0.0.12"}
	}
	for i := range f.docker {
		v.Docker = append(v.Docker, 5001+i)
	}
	if f.std != nil {
		f.std(&v)
	}
	return v
}

var dockerKeys = []string{"docker-local", "docker-remote", "docker-virtual"}

func renderFixture(t testing.TB, name string, v fixtureValues) []byte {
	t.Helper()
	v.Keys = dockerKeys[:len(v.Docker)]
	return renderTemplate(t, name, v)
}

// renderManyPorts renders a fixture with more Docker ports than there are
// named keys: docker-1, docker-2, ...
func renderManyPorts(t testing.TB, name string, v fixtureValues) []byte {
	t.Helper()
	v.Keys = nil
	for i := range v.Docker {
		v.Keys = append(v.Keys, "docker-"+strconv.Itoa(i+1))
	}
	return renderTemplate(t, name, v)
}

func renderTemplate(t testing.TB, name string, v fixtureValues) []byte {
	t.Helper()
	v.NameRegex = regexp.QuoteMeta(v.Name)
	tmpl, err := template.New(name + ".conf.tmpl").Funcs(template.FuncMap{
		"node": func(i int) string { return v.Nodes[i] },
		// Apache's Listen, except for the ports Debian's ports.conf has.
		"listen": func(p int) string {
			if p == 80 || p == 443 {
				return ""
			}
			return "Listen " + strconv.Itoa(p)
		},
		// A redirect's port: none for 443.
		"hport": func(p int) string {
			if p == 443 {
				return ""
			}
			return ":" + strconv.Itoa(p)
		},
	}).ParseFiles(filepath.Join("testdata", "fixtures", name+".conf.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// writeFixture renders a fixture into dir/sites-enabled/NAME.conf.
func writeFixture(t testing.TB, dir, name string, v fixtureValues) string {
	t.Helper()
	path := filepath.Join(dir, "sites-enabled", name+".conf")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, renderFixture(t, name, v), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestFixtureReports imports each fixture and compares the report and the
// settings file with testdata/golden/NAME.txt (-update rewrites them).
func TestFixtureReports(t *testing.T) {
	for _, f := range fixtures {
		t.Run(f.name, func(t *testing.T) {
			dir := t.TempDir()
			path := writeFixture(t, dir, f.name, f.standardValues())
			res, err := Import([]string{path}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Provider != f.provider {
				t.Errorf("detected %s, want %s", res.Provider, f.provider)
			}
			var b bytes.Buffer
			res.WriteReport(&b, "frontdoor.yaml")
			data, err := res.SettingsFile()
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString("\n--- frontdoor.yaml ---\n")
			b.Write(data)
			got := strings.ReplaceAll(b.String(), dir+"/", "")
			golden := filepath.Join("testdata", "golden", f.name+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./importer -run TestFixtureReports -update)", err)
			}
			if got != string(want) {
				t.Errorf("report differs from %s (if intended, run with -update and review the diff):\n%s", golden, firstDiff(string(want), got))
			}
		})
	}
}
