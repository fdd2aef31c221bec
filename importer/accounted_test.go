package importer

import (
	"path/filepath"
	"strings"
	"testing"

	"frontdoor/importer/conftree"
	"frontdoor/render"
)

// proxyTarget reports whether a directive names where requests go: the
// directives an import must never drop silently (read into a route or
// backend of the model, or listed as not mapped).
func proxyTarget(n *conftree.Node) bool {
	switch {
	case n.Is("ProxyPass") || n.Is("ProxyPassMatch"):
		return len(n.Args) >= 2 && n.Args[1] != "!" && !render.IsRevisionMarker(n.Args[0])
	case n.Is("BalancerMember"), n.Name == "proxy_pass":
		return true
	}
	return false
}

// checkAccounted: every directive of the files read is accounted for:
// the routing ones (ProxyPass, BalancerMember, proxy_pass) are a route or
// a backend of the model, or listed as not mapped, or in a part left
// alone (another site) or in a section the notes say Apache skips;
// every other one is mapped, not mapped or left
// alone by the classification, which visits every directive. No setting
// holds an Apache variable that was not expanded (${NAME}).
func checkAccounted(t *testing.T, res *Result, paths []string) {
	t.Helper()
	files := make([]conftree.File, 0, len(paths))
	for _, p := range paths {
		files = append(files, conftree.File{Path: p, Data: readFile(t, p)})
	}
	cfg, err := load(res.Provider, files)
	if err != nil {
		t.Fatal(err)
	}
	modelled := map[conftree.Pos]bool{}
	for _, s := range res.Old().Servers {
		for _, r := range s.Routes {
			modelled[r.Pos] = true
			for _, b := range r.Backends {
				modelled[b.Pos] = true
			}
		}
	}
	listed := map[conftree.Pos]bool{}
	for _, it := range res.Unmapped {
		listed[it.Source] = true
	}
	for _, it := range res.Outside {
		listed[it.Source] = true // another site (a server's position)
	}
	notes := strings.Join(res.Notes, "\n")
	var walk func(nodes []*conftree.Node, ancestors []conftree.Pos)
	walk = func(nodes []*conftree.Node, ancestors []conftree.Pos) {
		for _, n := range nodes {
			chain := append(append([]conftree.Pos(nil), ancestors...), n.Pos())
			if proxyTarget(n) {
				ok := false
				for _, p := range chain {
					// A section Apache skips is named in the notes.
					ok = ok || modelled[p] || listed[p] || strings.Contains(notes, "> at "+p.String()+" (")
				}
				if !ok {
					t.Errorf("%s: %s is neither read into the model nor listed as not mapped: dropped silently", n.Pos(), n.Text())
				}
			}
			walk(n.Block, chain)
		}
	}
	walk(cfg.roots, nil)
	for _, v := range append(append([]string{res.Settings.ServerName}, res.Settings.Nodes...), res.Settings.HTTPS.Certificate, res.Settings.HTTPS.Key) {
		if strings.Contains(v, "${") {
			t.Errorf("a setting holds an unexpanded variable: %q", v)
		}
	}
}

// TestNothingDroppedSilently runs checkAccounted over every fixture, the
// whole configurations of testdata/main and configurations in shapes that
// once lost directives (a balancer the files do not define).
func TestNothingDroppedSilently(t *testing.T) {
	for _, f := range fixtures {
		t.Run(f.name, func(t *testing.T) {
			path := writeFixture(t, t.TempDir(), f.name, f.standardValues())
			res, err := Import([]string{path}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkAccounted(t, res, res.Files)
		})
	}
	for _, main := range []string{"nginx/nginx.conf", "apache2/apache2.conf"} {
		t.Run(main, func(t *testing.T) {
			res, err := Import([]string{filepath.Join("testdata", "main", main)}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkAccounted(t, res, res.Files[:1])
		})
	}
	inline := []struct {
		name, conf string
		unmapped   map[int]string // line → the reason listed (FILE: the file's path)
	}{
		{"a balancer defined nowhere", `<VirtualHost *:80>
    ServerName artifactory.example.com
    ProxyPass /artifactory/ balancer://direct/artifactory/
    ProxyPass / http://10.0.0.11:8082/
</VirtualHost>
`, map[int]string{3: "balancer://direct is not defined in the files read"}},
		{"a balancer of another VirtualHost", `<VirtualHost *:8443>
    ServerName other.example.com
    <Proxy balancer://art>
        BalancerMember http://10.0.0.11:8082
    </Proxy>
    ProxyPass / balancer://art/
</VirtualHost>
<VirtualHost *:80>
    ServerName artifactory.example.com
    ProxyPass /artifactory/ http://10.0.0.11:8081/artifactory/
    ProxyPass / balancer://art/
</VirtualHost>
`, map[int]string{11: "balancer://art is defined only in the VirtualHost at FILE:1, which Apache does not share with this one (define it at the top level)"}},
		// The trial's: the VirtualHost that defines it comes later.
		{"a balancer of a later VirtualHost", `<VirtualHost *:443>
    ServerName artifactory.example.com
    ProxyPass /artifactory/ balancer://artdirect/artifactory/
    ProxyPass / http://10.0.0.11:8082/
</VirtualHost>
<VirtualHost *:8081>
    ServerName direct.example.com
    <Proxy balancer://ArtDirect>
        BalancerMember http://10.0.0.11:8081
    </Proxy>
    ProxyPass / balancer://artdirect/
</VirtualHost>
`, map[int]string{3: "balancer://artdirect is defined only in the VirtualHost at FILE:6, which Apache does not share with this one (define it at the top level)"}},
		{"a target that is not a URL", `<VirtualHost *:80>
    ServerName artifactory.example.com
    ProxyPass / unix:/run/artifactory.sock|http://localhost/
    <Proxy balancer://art>
        BalancerMember fcgi://10.0.0.11:9000
    </Proxy>
    ProxyPass /artifactory/ balancer://art/artifactory/
</VirtualHost>
`, map[int]string{3: "is not an http:// or https:// URL", 5: "is not an http:// or https:// URL"}},
	}
	for _, tt := range inline {
		t.Run(tt.name, func(t *testing.T) {
			res, path := importConf(t, "artifactory.conf", tt.conf)
			checkAccounted(t, res, res.Files)
			for line, why := range tt.unmapped {
				why = strings.ReplaceAll(why, "FILE", path)
				found := false
				for _, it := range res.Unmapped {
					found = found || it.Source.Line == line && strings.Contains(it.Why, why)
				}
				if !found {
					t.Errorf("line %d is not listed as not mapped with %q:\n%s", line, why, itemsText(res.Unmapped))
				}
			}
		})
	}
}
