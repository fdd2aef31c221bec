package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A site beside Artifactory's (a server with no route to it) is left as it
// is, unless its file is the one the save replaces: then it goes with the
// file, and the report lists it as dropped, never as left as it is.
func TestAnotherSiteInTheFileTheSaveReplaces(t *testing.T) {
	confs := map[string]string{
		"apache": `<VirtualHost *:80>
    ServerName artifactory.example.com
    ProxyPass / http://10.0.0.11:8082/
</VirtualHost>
<VirtualHost *:80>
    ServerName status.example.com
    DocumentRoot /var/www/status
</VirtualHost>
`,
		"nginx": `server {
    listen 80;
    server_name artifactory.example.com;
    location / { proxy_pass http://10.0.0.11:8082; }
}
server {
    listen 80;
    server_name status.example.com;
    root /var/www/status;
}
`,
	}
	for provider, conf := range confs {
		dir := t.TempDir()
		site := filepath.Join(dir, "sites-available", "artifactory.conf")
		enabled := filepath.Join(dir, "sites-enabled", "artifactory.conf")
		for _, d := range []string{filepath.Dir(site), filepath.Dir(enabled)} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(site, []byte(conf), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(site, enabled); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name, target string
			dropped      bool
		}{
			{"the save target unknown", "", false},
			{"another file is the save target", filepath.Join(dir, "sites-available", "other.conf"), false},
			{"the file is the save target", site, true},
			{"the file is the save target, read through its link", enabled, true},
		}
		for _, tt := range tests {
			t.Run(provider+"/"+tt.name, func(t *testing.T) {
				res, err := Import([]string{site}, Options{SaveTarget: tt.target})
				if err != nil {
					t.Fatal(err)
				}
				checkAccounted(t, res, res.Files)
				var dropped, left bool
				for _, it := range res.Unmapped {
					dropped = dropped || strings.Contains(it.Directive, "status.example.com") && strings.Contains(it.Why, "another site, in "+tt.target+" which the save replaces: dropped with it")
				}
				for _, it := range res.Outside {
					left = left || strings.Contains(it.Directive, "status.example.com") && it.Why == "another site: left as it is"
				}
				if dropped != tt.dropped || left == tt.dropped {
					t.Errorf("dropped %v, left as it is %v; want dropped %v\nnot mapped:\n%s", dropped, left, tt.dropped, itemsText(res.Unmapped))
				}
				if res.Complete() == tt.dropped {
					t.Errorf("complete %v with the other site dropped %v", res.Complete(), tt.dropped)
				}
			})
		}
	}
}
