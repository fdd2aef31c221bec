package config

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"frontdoor/assets"
	"frontdoor/render"
)

// The list of what the vendor's JSON carries must be exactly what render
// reads from it: a JSON with every key set away from the defaults changes
// those settings, and no other.
func TestVendorPathsAreWhatTheJSONCarries(t *testing.T) {
	for _, body := range []string{
		`{"webServerType":"APACHE","serverName":"j.example.com","artifactoryServerName":"10.0.0.5","artifactoryPort":9081,"routerPort":9082,
		  "sslCertificate":"/c.pem","sslKey":"/k.pem","dockerReverseProxyMethod":"PORTPERREPO","useHttps":true,"useHttp":false,
		  "sslPort":8443,"httpPort":8080,"reverseProxyRepositories":{"reverseProxyRepoConfigs":[{"repoRef":"d","port":5005}]}}`,
		`{"webServerType":"HAPROXY","httpsPort":9443,"useHttp":true,"httpPort":81,"dockerReverseProxyMethod":"REPOPATHPREFIX"}`,
	} {
		f, err := Parse([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		defaults := NewFile()
		defaults.Proxy.Provider = f.Proxy.Provider
		render.FollowProvider(&defaults.Proxy) // the provider's defaults are not the JSON's doing
		for _, c := range Diff(defaults, f) {
			if !slices.ContainsFunc(vendorPaths, func(p string) bool {
				return c.Path == p || strings.HasPrefix(c.Path, p+"[") || strings.HasPrefix(c.Path, p+".")
			}) {
				t.Errorf("the vendor's JSON sets %s, which vendorPaths does not list", c)
			}
		}
	}
	seen := map[string]bool{}
	f, _ := Parse([]byte(`{"webServerType":"APACHE","serverName":"j.example.com","artifactoryServerName":"10.0.0.5","artifactoryPort":9081,"routerPort":9082,
		"sslCertificate":"/c.pem","sslKey":"/k.pem","dockerReverseProxyMethod":"PORTPERREPO","useHttps":true,"useHttp":false,
		"sslPort":8443,"httpPort":8080,"reverseProxyRepositories":{"reverseProxyRepoConfigs":[{"repoRef":"d","port":5005}]}}`))
	for _, c := range Diff(NewFile(), f) {
		for _, p := range vendorPaths {
			if c.Path == p || strings.HasPrefix(c.Path, p+"[") || strings.HasPrefix(c.Path, p+".") {
				seen[p] = true
			}
		}
	}
	for _, p := range vendorPaths {
		if !seen[p] {
			t.Errorf("vendorPaths lists %s, which the vendor's JSON does not set", p)
		}
	}
}

// theirFile is a hand-written frontdoor.yaml beside the vendor's JSON: the
// JSON knows nothing of its ldap:, save:, mTLS or comments.
const theirFile = `# production settings, edited by hand
proxy:
  provider: nginx
  serverName: prod.corp.example  # the public name
  nodes: [art1.corp.example, art2.corp.example]
  https: {enabled: true, port: 443, certificate: /etc/ssl/certs/prod.pem, key: /etc/ssl/private/prod.key}
  mtls: {enabled: true, clientCA: /etc/nginx/client-ca.pem}
ldap:
  settings:
    - key: corp  # the AD forest
      url: ldaps://dc.corp.example:636/dc=corp,dc=example
      userDnPattern: uid={0},ou=people
save:
  keep: 3
`

// vendorBeside writes the example's settings as the vendor's JSON (what
// `frontdoor render --example --format artifactory-json` prints) beside
// frontdoor.yaml holding theirs, and opens the JSON.
func vendorBeside(t *testing.T, theirs string) (*Document, string) {
	t.Helper()
	dir := t.TempDir()
	ex, err := Parse(assets.Example)
	if err != nil {
		t.Fatal(err)
	}
	data, _, err := render.ToArtifactoryJSON(&ex.Proxy)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "webserver.json"), string(data), 0o644)
	yamlPath := filepath.Join(dir, DefaultPath)
	if theirs != "" {
		writeFile(t, yamlPath, theirs, 0o644)
	}
	doc, err := Open(filepath.Join(dir, "webserver.json"), true)
	if err != nil || doc.Source() != FromVendorJSON {
		t.Fatal(doc, err)
	}
	return doc, yamlPath
}

func TestVendorJSONIntoAnExistingFileKeepsWhatItDoesNotCarry(t *testing.T) {
	doc, path := vendorBeside(t, theirFile)
	mine := doc.Settings()
	mine.Proxy.RouterPort = 9082 // edited in the wizard: written too

	// The refusal lists what writing would change, by path, and the sections.
	_, err := doc.Write(mine, WriteOptions{})
	var c *Conflict
	if !errors.As(err, &c) {
		t.Fatalf("Write = %v, want a Conflict", err)
	}
	var writes []string
	for _, ch := range c.Writes {
		writes = append(writes, ch.String())
	}
	want := []string{
		"proxy.serverName: prod.corp.example → artifactory.example.com",
		"proxy.nodes: [art1.corp.example, art2.corp.example] → [localhost]",
		"proxy.routerPort: 8082 → 9082",
		"proxy.https.certificate: /etc/ssl/certs/prod.pem → /etc/ssl/certs/artifactory.pem",
		"proxy.https.key: /etc/ssl/private/prod.key → /etc/ssl/private/artifactory.key",
		"proxy.docker.method: none → subdomain",
		"proxy.docker.repositories[0]: added {key: docker-local}",
		"proxy.docker.repositories[1]: added {key: docker-remote}",
		"proxy.docker.repositories[2]: added {key: docker}",
	}
	if !slices.Equal(writes, want) {
		t.Errorf("writes:\n%s\nwant:\n%s", strings.Join(writes, "\n"), strings.Join(want, "\n"))
	}
	if c.Sections != "Writing these settings there changes 9 proxy settings (below); its ldap: and save: sections and its comments stay." {
		t.Errorf("sections %q", c.Sections)
	}
	sum := c.Summary()
	for _, w := range []string{"already holds settings, and they were not loaded (these came from webserver.json)", "9 proxy settings (below)", "  proxy.serverName: prod.corp.example → artifactory.example.com"} {
		if !strings.Contains(sum, w) {
			t.Errorf("summary lacks %q:\n%s", w, sum)
		}
	}
	if !strings.Contains(c.Error(), "(writing would change 9 settings)") {
		t.Errorf("error: %v", c)
	}
	if readString(t, path) != theirFile {
		t.Fatal("a refused write changed the file")
	}

	// Merge and overwrite are the same write: the JSON's values and the
	// edit, into their file; their ldap:, save:, mTLS and comments stay.
	merged, clashes, err := doc.Merge(c, mine)
	if err != nil || len(clashes) != 0 {
		t.Fatalf("merge: %v, clashes %q", err, clashes)
	}
	next, err := doc.Write(mine, WriteOptions{Overwrite: true})
	if err != nil {
		t.Fatal(err)
	}
	got := readString(t, path)
	for _, w := range []string{
		"# production settings, edited by hand", "serverName: artifactory.example.com  # the public name",
		"mtls: {enabled: true, clientCA: /etc/nginx/client-ca.pem}", "- key: corp  # the AD forest",
		"userDnPattern: uid={0},ou=people", "save:\n  keep: 3", "routerPort: 9082",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("written file lacks %q:\n%s", w, got)
		}
	}
	if next.Source() != FromFile || next.Path() != path || !next.Settings().Equal(merged) {
		t.Errorf("the document after the write: %v %s, settings equal the merge: %v", next.Source(), next.Path(), next.Settings().Equal(merged))
	}
	if ch := Diff(merged, next.Settings()); len(ch) != 0 {
		t.Errorf("written differs from the merge: %v", ch)
	}

	// Reload (take theirs) opens the frontdoor.yaml, not the JSON again.
	again, err := doc.Reload()
	if err != nil || again.Source() != FromFile || again.Path() != path || again.Settings().LDAP.Settings[0].Key != "corp" {
		t.Errorf("reload: %v, %v", again, err)
	}
}

func TestVendorJSONOverAFileThatIsNotSettings(t *testing.T) {
	doc, path := vendorBeside(t, "proxy: [not, a, section]\n")
	_, err := doc.Write(doc.Settings(), WriteOptions{})
	var c *Conflict
	if !errors.As(err, &c) || c.Unreadable == "" || !strings.Contains(c.Summary(), "nothing can be written into it") {
		t.Fatalf("Write = %v", err)
	}
	if _, _, err := doc.Merge(c, doc.Settings()); err == nil {
		t.Error("merge into a file that is not settings")
	}
	if _, err := doc.Write(doc.Settings(), WriteOptions{Overwrite: true}); err == nil || !strings.Contains(err.Error(), "not valid settings") {
		t.Errorf("overwrite = %v", err)
	}
	if readString(t, path) != "proxy: [not, a, section]\n" {
		t.Error("a file that is not settings was replaced")
	}
}

// A file created behind a document of the example: merge keeps their file
// and the edits made to the example, and names what both set.
func TestMergeOverAFileCreatedSince(t *testing.T) {
	path := filepath.Join(t.TempDir(), "frontdoor.yaml")
	doc, _ := Open(path, false)
	mine := doc.Settings()
	mine.Proxy.RouterPort = 9000
	mine.Proxy.ServerName = "mine.example.com"
	writeFile(t, path, "proxy: {serverName: theirs.example.com, artifactoryPort: 9081}\n", 0o644)
	_, err := doc.Write(mine, WriteOptions{})
	var c *Conflict
	if !errors.As(err, &c) {
		t.Fatal(err)
	}
	merged, clashes, err := doc.Merge(c, mine)
	if err != nil {
		t.Fatal(err)
	}
	if merged.Proxy.ArtifactoryPort != 9081 || merged.Proxy.RouterPort != 9000 || merged.Proxy.ServerName != "mine.example.com" {
		t.Errorf("merged %+v", merged.Proxy)
	}
	if !slices.Equal(clashes, []string{"proxy.serverName: yours mine.example.com, theirs theirs.example.com"}) {
		t.Errorf("clashes %q", clashes)
	}
}

func TestSectionsSaysWhatAWriteTouches(t *testing.T) {
	ldapOnly, _ := Parse([]byte("ldap:\n  settings:\n    - {key: corp, url: ldaps://dc.example.com}\n"))
	full, _ := Parse([]byte(theirFile))
	for _, tt := range []struct {
		changes []Change
		theirs  *File
		want    string
	}{
		{[]Change{{Path: "proxy.serverName"}}, full, "Writing these settings there changes 1 proxy setting (below); its ldap: and save: sections and its comments stay."},
		{nil, full, "Writing these settings there changes nothing; its proxy:, ldap: and save: sections and its comments stay."},
		{[]Change{{Path: "proxy.serverName"}, {Path: "proxy.nodes"}}, ldapOnly, "Writing these settings there changes 2 proxy settings (below); its ldap: section and its comments stay."},
		{[]Change{{Path: "proxy.a"}, {Path: "ldap.b"}, {Path: "save.c"}, {Path: "save.d"}}, ldapOnly, "Writing these settings there changes 1 proxy setting, 1 ldap setting and 2 save settings (below); its comments stay."},
	} {
		if got := sections(tt.changes, tt.theirs); got != tt.want {
			t.Errorf("sections = %q, want %q", got, tt.want)
		}
	}
}
