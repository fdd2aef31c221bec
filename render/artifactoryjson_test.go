package render

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// vendorExample is the reference's GET /api/system/configuration/webServer answer.
const vendorExample = `{ "key":"nginx", "webServerType":"NGINX", "artifactoryAppContext":"artifactory", "publicAppContext":"artifactory",
  "serverName":"jfrog.com", "serverNameExpression":"*.jfrog.com", "artifactoryServerName":"localhost",
  "artifactoryPort":8081, "routerPort":8082, "sslCertificate":"/etc/ssl/myKey.cert", "sslKey":"/etc/ssl/myKey.key",
  "dockerReverseProxyMethod":"SUBDOMAIN", "useHttps":true, "useHttp":true, "sslPort":443, "httpPort":80,
  "upStreamName":"artifactory",
  "reverseProxyRepositories":{"reverseProxyRepoConfigs":[{"repoRef":"docker-local","serverName":"jfrog.com","port":5001}]} }`

func TestFromArtifactoryJSON(t *testing.T) {
	example := Defaults()
	example.ServerName = "jfrog.com"
	example.HTTPS = HTTPS{Enabled: true, Port: 443, Certificate: "/etc/ssl/myKey.cert", Key: "/etc/ssl/myKey.key", TLSProfile: TLSIntermediate}
	example.Docker = Docker{Method: DockerSubdomain, Repositories: []DockerRepository{{Key: "docker-local", Port: 5001}}}

	cases := []struct {
		name   string
		json   string
		want   func() Settings
		errHas string
	}{
		{"vendor example", vendorExample, func() Settings { return example }, ""},
		// Left-out keys get the vendor's defaults: useHttp true, useHttps false, 80/443, 8081/8082.
		{"empty object", `{}`, Defaults, ""},
		{"httpsPort instead of sslPort", `{"webServerType":"APACHE","useHttps":true,"httpsPort":8443}`, func() Settings {
			s := Defaults()
			s.Provider, s.HTTPS.Enabled, s.HTTPS.Port = Apache, true, 8443
			return s
		}, ""},
		{"sslPort wins over httpsPort", `{"sslPort":9443,"httpsPort":8443}`, func() Settings {
			s := Defaults()
			s.HTTPS.Port = 9443
			return s
		}, ""},
		{"enums in any case", `{"webServerType":"direct","dockerReverseProxyMethod":"repopathprefix"}`, func() Settings {
			s := Defaults()
			s.Provider, s.Docker.Method = Tomcat, DockerRepositoryPath
			return s
		}, ""},
		{"ports method", `{"dockerReverseProxyMethod":"PORTPERREPO","artifactoryServerName":"10.0.0.5","reverseProxyRepositories":{"reverseProxyRepoConfigs":[{"repoRef":"a","port":5001},{"repoRef":"b","port":5002}]}}`, func() Settings {
			s := Defaults()
			s.Nodes = []string{"10.0.0.5"}
			s.Docker = Docker{Method: DockerPorts, Repositories: []DockerRepository{{Key: "a", Port: 5001}, {Key: "b", Port: 5002}}}
			return s
		}, ""},
		{"NOVALUE", `{"dockerReverseProxyMethod":"NOVALUE","useHttp":false,"useHttps":true}`, func() Settings {
			s := Defaults()
			s.HTTP.Enabled, s.HTTPS.Enabled = false, true
			return s
		}, ""},
		{"HAPROXY", `{"webServerType":"HAPROXY","useHttps":true,"sslCertificate":"/etc/haproxy/certs/a.pem","sslKey":"/etc/haproxy/certs/a.pem"}`, func() Settings {
			s := Defaults()
			s.Provider, s.HTTPS.Enabled = HAProxy, true
			s.HTTPS.Certificate, s.HTTPS.Key = "/etc/haproxy/certs/a.pem", "/etc/haproxy/certs/a.pem"
			return s
		}, ""},
		{"unknown server type", `{"webServerType":"IIS"}`, nil, "expected NGINX, APACHE, HAPROXY or DIRECT"},
		{"unknown method", `{"dockerReverseProxyMethod":"MAGIC"}`, nil, "expected SUBDOMAIN, PORTPERREPO, REPOPATHPREFIX or NOVALUE"},
		{"not JSON", `proxy: {}`, nil, "vendor's webServer JSON"},
		{"wrong type", `{"sslPort":"443"}`, nil, "vendor's webServer JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := FromArtifactoryJSON([]byte(c.json))
			if c.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), c.errHas) {
					t.Fatalf("err = %v, want one saying %q", err, c.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := c.want(); !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestToArtifactoryJSON(t *testing.T) {
	s := goldenSettings(Nginx, DockerSubdomain, redirectTo, 2, true)
	data, notes, err := ToArtifactoryJSON(&s)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, data)
	}
	for key, want := range map[string]any{
		"webServerType":            "NGINX",
		"dockerReverseProxyMethod": "SUBDOMAIN",
		"serverName":               "artifactory.example.com",
		"serverNameExpression":     "*.artifactory.example.com",
		"artifactoryServerName":    "10.0.0.11",
		"sslPort":                  443.0,
		"httpPort":                 80.0,
		"useHttps":                 true,
		"useHttp":                  true,
		"sslCertificate":           goldenCert,
		"sslKey":                   goldenKey,
		"artifactoryPort":          8081.0,
		"routerPort":               8082.0,
	} {
		if !reflect.DeepEqual(out[key], want) {
			t.Errorf("%s = %v, want %v", key, out[key], want)
		}
	}
	if _, ok := out["httpsPort"]; ok {
		t.Error("writes httpsPort: the POST form takes sslPort")
	}
	repos := out["reverseProxyRepositories"].(map[string]any)["reverseProxyRepoConfigs"].([]any)
	if len(repos) != 3 || repos[0].(map[string]any)["repoRef"] != "docker-local" {
		t.Errorf("repositories: %v", repos)
	}
	// What the vendor form cannot hold is said, not silently dropped.
	joined := strings.Join(notes, "\n")
	for _, want := range []string{"fd00::12", "mTLS", "redirect"} {
		if !strings.Contains(joined, want) {
			t.Errorf("notes do not mention %s:\n%s", want, joined)
		}
	}
	if !LooksLikeArtifactoryJSON(data) {
		t.Error("LooksLikeArtifactoryJSON(own output) = false")
	}
}

// The settings the vendor form can hold survive a trip through it.
func TestArtifactoryJSONRoundTrip(t *testing.T) {
	for _, p := range []Provider{Nginx, Apache, HAProxy} {
		for _, m := range DockerMethods {
			s := goldenSettings(p, m, httpsOnly, 1, false)
			s.ServerName = "art.example.com"
			s.Nodes = []string{"art-node.internal"}
			s.HTTPS.Port, s.HTTP.Port = 8443, 8080
			data, notes, err := ToArtifactoryJSON(&s)
			if err != nil || len(notes) != 0 {
				t.Fatalf("%s/%s: err %v, notes %v", p, m, err, notes)
			}
			back, err := FromArtifactoryJSON(data)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back, s) {
				t.Errorf("%s/%s round trip:\n got  %+v\n want %+v\n%s", p, m, back, s, data)
			}
		}
	}
}

func TestLooksLikeArtifactoryJSON(t *testing.T) {
	for in, want := range map[string]bool{
		vendorExample:                            true,
		`{"dockerReverseProxyMethod":"NOVALUE"}`: true,
		`{"proxy":{"provider":"nginx"}}`:         false,
		"proxy:\n  provider: nginx\n":            false,
		`[1,2]`:                                  false,
	} {
		if got := LooksLikeArtifactoryJSON([]byte(in)); got != want {
			t.Errorf("LooksLikeArtifactoryJSON(%.40q) = %v, want %v", in, got, want)
		}
	}
}
