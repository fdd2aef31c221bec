package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/internal/servertest"
)

// vendor6 is the vendor's Artifactory 6 nginx output in substance: it
// imports with the layout migrated and one directive not mapped.
const vendor6 = `server {
    listen 80;
    server_name artifactory.example.com;
    access_log /var/log/nginx/artifactory-access.log;
    rewrite ^/$ /artifactory/webapp/ redirect;
    location /artifactory/ {
        proxy_pass http://localhost:8081/artifactory/;
        proxy_set_header X-Artifactory-Override-Base-Url $scheme://$host:$server_port/artifactory;
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-Proto $scheme;
    }
}
`

// writeFile writes data to dir/name (servertest.WriteFile, relative to dir).
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	return servertest.WriteFile(t, filepath.Join(dir, name), string(data))
}

func TestImportCommand(t *testing.T) {
	golden := filepath.Join("render", "testdata", "golden", "nginx-ports-redirect-2node.conf")
	goldenData, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "frontdoor.yaml")

	t.Run("frontdoor's own snippet: everything mapped, exit 0, renders back the same", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, "", "import", golden, "--out", out)
		if code != 0 {
			t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
		}
		if !strings.Contains(stdout, "Everything mapped: settings written to "+out) || !strings.Contains(stdout, "What changes: nothing") {
			t.Errorf("report:\n%s", stdout)
		}
		code, snippet, stderr := runCLI(t, "", "render", "--config", out)
		if code != 0 || snippet != string(goldenData) {
			t.Errorf("render of the imported settings (exit %d, %s) differs from %s", code, stderr, golden)
		}
	})

	t.Run("an existing file is never replaced without --force", func(t *testing.T) {
		before, _ := os.ReadFile(out)
		code, stdout, stderr := runCLI(t, "", "import", golden, "--out", out)
		if code != 2 || !strings.Contains(stderr, "already exists: give --force") || stdout != "" {
			t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
		}
		if after, _ := os.ReadFile(out); !bytes.Equal(before, after) {
			t.Error("the settings file changed")
		}
	})

	t.Run("vendor 6: migrated, written, exit 1 for the directive not mapped", func(t *testing.T) {
		in := writeFile(t, dir, "sites-enabled/artifactory.conf", []byte(vendor6))
		code, stdout, stderr := runCLI(t, "", "import", in, "--out", out, "--force")
		if code != 1 {
			t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
		}
		for _, want := range []string{
			"artifactory.conf:4: access_log /var/log/nginx/artifactory-access.log",
			"Artifactory 6 layout (everything under /artifactory/ on port 8081) migrated to the Artifactory 7 layout",
			"+ / (port 80): to localhost:8082 [Artifactory 6 layout migrated to 7]",
			"Settings written to " + out + ", with 1 directive not mapped",
		} {
			if !strings.Contains(stdout, want) {
				t.Errorf("report lacks %q:\n%s", want, stdout)
			}
		}
		data, _ := os.ReadFile(out)
		for _, want := range []string{"serverName: artifactory.example.com  # from " + in + ":3", "routerPort: 8082  # assumed"} {
			if !strings.Contains(string(data), want) {
				t.Errorf("settings file lacks %q:\n%s", want, data)
			}
		}
	})

	t.Run("--json", func(t *testing.T) {
		code, stdout, _ := runCLI(t, "", "import", golden, "--out", out, "--force", "--json")
		var v struct {
			Provider string            `json:"provider"`
			Written  string            `json:"written"`
			Exit     int               `json:"exit"`
			Unmapped []json.RawMessage `json:"unmapped"`
			Changes  []json.RawMessage `json:"changes"`
			Findings []struct{ Path, Severity, Message string }
			Sources  map[string]struct {
				File string `json:"file"`
				Line int    `json:"line"`
			} `json:"sources"`
		}
		if err := json.Unmarshal([]byte(stdout), &v); err != nil {
			t.Fatalf("%v:\n%s", err, stdout)
		}
		// serverName comes from the HTTPS server's server_name, the line after its listen 443.
		data, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		before, _, _ := strings.Cut(string(data), "    listen 443 ssl;\n")
		httpsName := strings.Count(before, "\n") + 2
		if code != 0 || v.Exit != 0 || v.Written != out || v.Provider != "nginx" || len(v.Unmapped) != 0 || v.Changes == nil || v.Sources["proxy.serverName"].Line != httpsName {
			t.Errorf("exit %d, %+v", code, v)
		}
	})

	t.Run("--config names the settings file", func(t *testing.T) {
		cfg := filepath.Join(dir, "by-config.yaml")
		if code, stdout, stderr := runCLI(t, "", "--config", cfg, "import", golden); code != 0 || !strings.Contains(stdout, "written to "+cfg) {
			t.Errorf("exit %d\n%s\n%s", code, stdout, stderr)
		}
		if code, _, stderr := runCLI(t, "", "--config", cfg, "import", golden, "--out", out, "--force"); code != 2 || !strings.Contains(stderr, "name different files") {
			t.Errorf("exit %d, %s", code, stderr)
		}
	})

	t.Run("settings to fix: written, exit 1, the findings in the report", func(t *testing.T) {
		in := writeFile(t, dir, "noname.conf", []byte("server {\n    listen 80;\n    server_name _;\n    location / {\n        proxy_pass http://localhost:8082;\n    }\n}\n"))
		path := filepath.Join(dir, "noname.yaml")
		code, stdout, stderr := runCLI(t, "", "import", in, "--out", path)
		if code != 1 || !strings.Contains(stdout, "proxy.serverName: error:") || !strings.Contains(stdout, "the settings need fixing") {
			t.Errorf("exit %d\n%s\n%s", code, stdout, stderr)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("not written: %v", err)
		}
	})

	t.Run("Apache", func(t *testing.T) {
		in := filepath.Join("render", "testdata", "golden", "apache-subdomain-redirect-2node-mtls.conf")
		code, stdout, stderr := runCLI(t, "", "import", in, "--out", filepath.Join(dir, "apache.yaml"))
		if code != 0 || !strings.Contains(stdout, "Imported the apache configuration") {
			t.Errorf("exit %d\n%s\n%s", code, stdout, stderr)
		}
	})
}

// TestImportBadInput: input that cannot be imported exits 2 with the
// problem (file:line where there is one) on stderr, and writes nothing.
func TestImportBadInput(t *testing.T) {
	dir := t.TempDir()
	huge := bytes.Repeat([]byte("# padding a configuration far beyond any real one\n"), (4<<20)/48)
	loopA := writeFile(t, dir, "loop/nginx.conf", []byte("events {}\nhttp {\n    include b.conf;\n}\n"))
	writeFile(t, dir, "loop/b.conf", []byte("server { listen 80; }\ninclude c.conf;\n"))
	writeFile(t, dir, "loop/c.conf", []byte("include b.conf;\n"))
	tests := []struct {
		name, file string
		args       []string
		want       string
	}{
		{"binary file", writeFile(t, dir, "binary.conf", []byte("\x7fELF\x02\x01\x01\x00\x00\x00")), nil, "binary.conf:1: binary data"},
		{"nginx syntax error", writeFile(t, dir, "syntax.conf", []byte("server {\n    listen 80;\n    location / {\n        proxy_pass http://localhost:8082\n    }\n}\n")), nil, `syntax.conf:4: directive "proxy_pass" is not terminated by ";"`},
		{"nginx block not closed", writeFile(t, dir, "open.conf", []byte("server {\n    listen 80;\n    server_name a.example.com;\n")), nil, `open.conf:4: unexpected end of file, expecting "}"`},
		{"Apache section not closed", writeFile(t, dir, "apache.conf", []byte("<VirtualHost *:80>\n    ServerName a.example.com\n    ProxyPass / http://localhost:8082/\n")), nil, "apache.conf:1: <VirtualHost> is not closed"},
		{"Apache wrong section end", writeFile(t, dir, "apache2.conf", []byte("<VirtualHost *:80>\n  <Location />\n    ProxyPass http://localhost:8082/\n  </VirtualHost>\n</Location>\n")), nil, "apache2.conf:4: </VirtualHost> closes <Location> (opened at"},
		{"include loop", loopA, nil, "include loop: " + filepath.Join(dir, "loop/b.conf") + " includes " + filepath.Join(dir, "loop/c.conf")},
		{"huge file", writeFile(t, dir, "huge.conf", huge), nil, "huge.conf: too large"},
		{"directory", dir, nil, "is a directory"},
		{"missing file", filepath.Join(dir, "nope.conf"), nil, "nope.conf: file does not exist"},
		{"not a web server configuration", writeFile(t, dir, "notes.txt", []byte("hello\n")), nil, "neither an nginx nor an Apache configuration"},
		{"nothing of Artifactory", writeFile(t, dir, "static.conf", []byte("server {\n    listen 80;\n    root /var/www;\n}\n")), nil, "no server in it proxies Artifactory"},
		{"unknown provider", writeFile(t, dir, "x.conf", []byte(vendor6)), []string{"--provider", "iis"}, `unknown --provider "iis"`},
		{"output is the input", writeFile(t, dir, "same.conf", []byte(vendor6)), []string{"--out", filepath.Join(dir, "same.conf"), "--force"}, "is the configuration being imported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "frontdoor.yaml")
			args := append([]string{"import", tt.file, "--out", out}, tt.args...)
			code, stdout, stderr := runCLI(t, "", args...)
			if code != 2 {
				t.Errorf("exit %d, want 2\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a settings file was written")
			}
		})
	}
	t.Run("no file named", func(t *testing.T) {
		if code, _, stderr := runCLI(t, "", "import"); code != 2 || !strings.Contains(stderr, "name the configuration file") {
			t.Errorf("exit %d, %s", code, stderr)
		}
	})
}
