package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/render"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr string
		check   func(t *testing.T, f *File)
	}{
		{name: "empty file is all defaults", in: "", check: func(t *testing.T, f *File) {
			if f.Proxy.ArtifactoryPort != 8081 || f.Proxy.HTTP.Port != 80 || !f.Proxy.OverrideBaseURLHeader {
				t.Errorf("defaults not applied: %+v", f.Proxy)
			}
		}},
		{name: "keys left out keep defaults inside a mapping", in: "proxy:\n  serverName: a.example.com\n  https: {enabled: true}\n", check: func(t *testing.T, f *File) {
			if !f.Proxy.HTTPS.Enabled || f.Proxy.HTTPS.Port != 443 || f.Proxy.HTTPS.TLSProfile != render.TLSIntermediate {
				t.Errorf("https defaults lost: %+v", f.Proxy.HTTPS)
			}
			if f.Proxy.MTLS.Header != "X-JFrog-Client-Cert" || f.Proxy.MTLS.VerifyDepth != 2 {
				t.Errorf("mtls defaults lost: %+v", f.Proxy.MTLS)
			}
		}},
		{name: "explicit false wins over a true default", in: "proxy:\n  overrideBaseUrlHeader: false\n  http: {enabled: false}\n", check: func(t *testing.T, f *File) {
			if f.Proxy.OverrideBaseURLHeader || f.Proxy.HTTP.Enabled {
				t.Errorf("explicit false ignored: %+v", f.Proxy)
			}
		}},
		{name: "misspelt key is an error naming it", in: "proxy:\n  serverNam: a.b\n", wantErr: `line 2: proxy.serverNam: unknown key; did you mean serverName?`},
		{name: "wrong type is an error", in: "proxy:\n  routerPort: abc\n", wantErr: `line 2: proxy.routerPort: expected a whole number (a port), got "abc"`},
		{name: "vendor REST JSON with httpsPort", in: `{"webServerType":"APACHE","serverName":"jfrog.example.com","artifactoryServerName":"10.0.0.5","useHttps":true,"httpsPort":8443,"dockerReverseProxyMethod":"PORTPERREPO","reverseProxyRepositories":{"reverseProxyRepoConfigs":[{"repoRef":"docker-local","port":5001}]}}`, check: func(t *testing.T, f *File) {
			p := f.Proxy
			if p.Provider != render.Apache || p.HTTPS.Port != 8443 || !p.HTTPS.Enabled || p.Nodes[0] != "10.0.0.5" || p.Docker.Method != render.DockerPorts || p.Docker.Repositories[0].Port != 5001 {
				t.Errorf("vendor JSON misread: %+v", p)
			}
			if !p.HTTP.Enabled || p.HTTP.Port != 80 {
				t.Errorf("vendor defaults not applied: %+v", p.HTTP)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, f)
		})
	}
}

func TestLoadFallsBackToExampleOnlyWhenImplicit(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "frontdoor.yaml")
	f, src, err := Load(missing, false)
	if err != nil || src != FromExample || f.Proxy.ServerName == "" {
		t.Fatalf("implicit missing file: f=%v src=%v err=%v, want the example", f, src, err)
	}
	if fs := render.Validate(&f.Proxy); fs.HasErrors() {
		t.Errorf("the built-in example must be valid:\n%s", fs)
	}
	if _, _, err := Load(missing, true); err == nil {
		t.Fatal("an explicit --config that does not exist must be an error")
	}
}

func TestSaveRoundTripAndAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "frontdoor.yaml")
	f, _, err := Load(path, false)
	if err != nil {
		t.Fatal(err)
	}
	f.Proxy.Docker.Repositories = append(f.Proxy.Docker.Repositories, render.DockerRepository{Key: "extra", Port: 5009})
	if err := Save(path, f); err != nil {
		t.Fatal(err)
	}
	back, src, err := Load(path, true)
	if err != nil || src != FromFile {
		t.Fatalf("reload: %v", err)
	}
	a, _ := Marshal(f)
	b, _ := Marshal(back)
	if string(a) != string(b) {
		t.Errorf("round trip changed the settings:\n%s\n---\n%s", a, b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("save left temp files behind: %v", entries)
	}
}
