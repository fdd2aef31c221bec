package importer

import (
	"bytes"
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
				"- listen 443 http2 (port 443): on [HTTP/2 to clients is dropped: frontdoor's snippet speaks HTTP/1.1 to clients",
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
