package importer

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// What an admin must decide on is in "What changes", computed from both
// models and explained: a path that was restricted is open, a standby
// node takes requests, Docker clients are cut off, HTTP/2 is gone. The
// directives stay under "Not mapped" too (the import exits 1).
func TestRiskyDropsAreChanges(t *testing.T) {
	tests := []struct {
		file       string
		want       []string
		notMapped  []string
		notInDiffs []string
	}{
		{
			file: "testdata/risky/nginx-site.conf",
			want: []string{
				"access control:\n    - /artifactory/ (port 443): allow 10.0.0.0/8, deny all [frontdoor writes no access control: /artifactory/ is now open to every client",
				"± 10.2.0.6:8081: backup → active [frontdoor shares the load equally over the nodes: the standby now takes its share",
				"± 10.2.0.6:8082: backup → active [",
				"- port (port 443): via /v2/{rest} to repository docker-virtual (as /artifactory/api/docker/{repository}/v2/{rest}) [frontdoor's settings map no Docker access (proxy.docker.method is none)",
				"- HTTP/2 (port 443): on [HTTP/2 to clients is dropped: frontdoor's snippet speaks HTTP/1.1 to clients (its listen has no http2)",
			},
			notMapped:  []string{"allow 10.0.0.0/8", "deny all", "server 10.2.0.6:8082 backup", "rewrite ^/v2/"},
			notInDiffs: []string{"http2 (port 443): on [frontdoor's proxy tuning"},
		},
		{
			file: "testdata/risky/apache-bal.conf",
			want: []string{
				"access control:\n    - /artifactory/ (port 443): allow 10.0.0.0/8, deny all [frontdoor writes no access control: /artifactory/ is now open to every client",
				"± 10.1.0.12:8081: backup → active [frontdoor shares the load equally over the nodes",
				"± 10.1.0.12:8082: backup → active [",
				"- port (port 443): via /v2/{rest} to repository docker-virtual (as /artifactory/api/docker/{repository}/v2/{rest}) [frontdoor's settings map no Docker access",
			},
			notMapped: []string{"Require ip 10.0.0.0/8", "status=+H", "RewriteRule ^/v2/"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res, err := Import([]string{tt.file}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			WriteChanges(&b, res.Changes)
			diff := b.String()
			for _, w := range tt.want {
				if !strings.Contains(diff, w) {
					t.Errorf("the changes lack %q:\n%s", w, diff)
				}
			}
			for _, w := range tt.notInDiffs {
				if strings.Contains(diff, w) {
					t.Errorf("the changes still say %q:\n%s", w, diff)
				}
			}
			unmapped := itemsText(res.Unmapped)
			for _, w := range tt.notMapped {
				if !strings.Contains(unmapped, w) {
					t.Errorf("Not mapped lacks %q:\n%s", w, unmapped)
				}
			}
			if res.Complete() {
				t.Error("an import that opens a path says everything mapped")
			}
		})
	}
}

// The new side has no access control and no standby (frontdoor writes
// neither): a snippet frontdoor renders imports with no such facts, so they
// never show as frontdoor's own changes.
func TestFrontdoorSnippetHasNoAccessOrBackupFacts(t *testing.T) {
	res, err := Import([]string{"testdata/risky/nginx-site.conf"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := ModelOf(&res.Settings)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range m.Servers {
		if len(s.Access) > 0 {
			t.Errorf("frontdoor's snippet has access rules %+v (its revision marker is its own)", s.Access)
		}
		for _, r := range s.Routes {
			for _, b := range r.Backends {
				if b.Backup {
					t.Errorf("frontdoor's snippet has a backup node %s", b.Addr)
				}
			}
		}
	}
}

// HTTP/2 is a fact of the ports it is on, whichever server turns it on:
// nginx's http2 on the listen (address:port) where it is written, or its
// http2 on for the whole server; Apache's Protocols h2 on the TLS
// listeners and h2c on the plain ones, from the VirtualHost or the main
// server. The diff says it is dropped, on those ports only, and nothing
// is left under "Not mapped" for it.
func TestHTTP2OnItsPortsOnly(t *testing.T) {
	const apacheVhosts = `<VirtualHost *:443>
    ServerName artifactory.example.com
    SSLEngine on
    SSLCertificateFile /etc/ssl/certs/a.pem
    SSLCertificateKeyFile /etc/ssl/private/a.key
    %s
    ProxyPass /artifactory/ http://10.0.0.11:8081/artifactory/
    ProxyPass / http://10.0.0.11:8082/
</VirtualHost>
<VirtualHost *:80>
    ServerName artifactory.example.com
    %s
    ProxyPass /artifactory/ http://10.0.0.11:8081/artifactory/
    ProxyPass / http://10.0.0.11:8082/
</VirtualHost>
`
	const nginxServer = `server {
    listen 443 ssl%s;
    listen 5001 ssl;
    listen 5002 ssl;
    server_name artifactory.example.com;
    %s
    ssl_certificate /etc/ssl/certs/a.pem;
    ssl_certificate_key /etc/ssl/private/a.key;
    location / { proxy_pass http://10.0.0.11:8082; }
    location /artifactory/ { proxy_pass http://10.0.0.11:8081; }
}
`
	const (
		nginxWhy  = ": on [HTTP/2 to clients is dropped: frontdoor's snippet speaks HTTP/1.1 to clients (its listen has no http2); clients still connect, over HTTP/1.1]"
		apacheWhy = ": on [HTTP/2 to clients is dropped: frontdoor's snippet speaks HTTP/1.1 to clients (its VirtualHosts set no Protocols h2); clients still connect, over HTTP/1.1]"
	)
	tests := []struct {
		name, conf string
		want       string // the HTTP/2 line of the diff; "" for none
	}{
		{"nginx listen 443 ssl http2", fmt.Sprintf(nginxServer, " http2", ""), "- HTTP/2 (port 443)" + nginxWhy},
		{"nginx http2 on", fmt.Sprintf(nginxServer, "", "http2 on;"), "- HTTP/2 (ports 443, 5001, 5002)" + nginxWhy},
		{"nginx http2 off", fmt.Sprintf(nginxServer, "", "http2 off;"), ""},
		{"apache Protocols server-wide", "Protocols h2 http/1.1\n" + fmt.Sprintf(apacheVhosts, "", ""), "- HTTP/2 (port 443)" + apacheWhy},
		{"apache Protocols in the TLS VirtualHost", fmt.Sprintf(apacheVhosts, "Protocols h2 http/1.1", ""), "- HTTP/2 (port 443)" + apacheWhy},
		{"apache h2c in the plain VirtualHost", fmt.Sprintf(apacheVhosts, "", "Protocols h2c http/1.1"), "- HTTP/2 (port 80)" + apacheWhy},
		{"apache VirtualHost overrides the server-wide", "Protocols h2 h2c http/1.1\n" + fmt.Sprintf(apacheVhosts, "Protocols http/1.1", ""), "- HTTP/2 (port 80)" + apacheWhy},
		{"apache HTTP/1.1 only", fmt.Sprintf(apacheVhosts, "Protocols http/1.1", "Protocols http/1.1"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := importConf(t, "artifactory.conf", tt.conf)
			var b bytes.Buffer
			WriteChanges(&b, res.Changes)
			var got []string
			for line := range strings.Lines(b.String()) {
				if strings.Contains(line, "HTTP/2 (") {
					got = append(got, strings.TrimSpace(line))
				}
			}
			switch {
			case tt.want == "" && len(got) > 0:
				t.Errorf("the changes say HTTP/2 is dropped: %q", got)
			case tt.want != "" && (len(got) != 1 || got[0] != tt.want):
				t.Errorf("the HTTP/2 changes are %q, want [%q]:\n%s", got, tt.want, b.String())
			}
			for _, it := range res.Unmapped {
				if strings.Contains(it.Directive, "http2") || strings.Contains(it.Directive, "Protocols") {
					t.Errorf("%s is under Not mapped: %s", it.Directive, it.Why)
				}
			}
		})
	}
}
