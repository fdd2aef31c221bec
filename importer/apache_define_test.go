package importer

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestApacheDefines: Define'd variables are expanded in file order, across
// included files, before anything is read from a directive; a variable
// set outside the files read leaves its directive not mapped, saying so
// (never a node named ${...}); <IfDefine> follows the Defines of the files
// read and <IfModule> takes modules as loaded, each decision noted.
func TestApacheDefines(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string]string // the first is imported
		nodes    []string
		unmapped map[int]string // line of the imported file → the reason listed
		notes    []string       // in the notes, in part
	}{
		{"a Define before its use", map[string]string{"artifactory.conf": `Define ARTHOST 10.2.0.7
<VirtualHost *:80>
    ServerName artifactory.example.com
    ProxyPass /artifactory/ http://${ARTHOST}:8081/artifactory/
    ProxyPass / http://${ARTHOST}:8082/
</VirtualHost>
`}, []string{"10.2.0.7"}, nil, nil},
		{"a Define in an included file, read where the include stands", map[string]string{
			"artifactory.conf": `Include defines.conf
<VirtualHost *:80>
    ServerName artifactory.example.com
    ProxyPass / http://${ARTHOST}:8082/
</VirtualHost>
`, "defines.conf": "Define ARTHOST art1.example.com\n"}, []string{"art1.example.com"}, nil, nil},
		{"a variable from envvars", map[string]string{"artifactory.conf": `<VirtualHost *:80>
    ServerName artifactory.example.com
    CustomLog ${APACHE_LOG_DIR}/access.log combined
    ProxyPass /artifactory/ http://${ARTHOST}:8081/artifactory/
    ProxyPass / http://10.0.0.11:8082/
</VirtualHost>
`}, []string{"10.0.0.11"}, map[int]string{
			3: "${APACHE_LOG_DIR} is set outside the files read (Apache's envvars or the environment): its value is not known here; logging",
			4: "${ARTHOST} is set outside the files read",
		}, nil},
		{"an Include of a variable from envvars: listed once, for its variable", map[string]string{"artifactory.conf": `<VirtualHost *:80>
    ServerName artifactory.example.com
    Include ${APACHE_CONF}/extra.conf
    ProxyPass / http://10.0.0.11:8082/
</VirtualHost>
`}, []string{"10.0.0.11"}, map[int]string{
			3: "${APACHE_CONF} is set outside the files read (Apache's envvars or the environment), so the file it names is not known: its directives were not read",
		}, nil},
		{"IfDefine and IfModule", map[string]string{"artifactory.conf": `Define HA
<IfDefine HA>
    <Proxy balancer://art>
        BalancerMember http://10.0.0.11:8082
        BalancerMember http://10.0.0.12:8082
    </Proxy>
</IfDefine>
<IfModule mod_ssl.c>
<VirtualHost *:80>
    ServerName artifactory.example.com
    <IfDefine !HA>
        ProxyPass / http://localhost:8082/
    </IfDefine>
    <IfDefine HA>
        ProxyPass / balancer://art/
    </IfDefine>
    <IfDefine DEBUG>
        LogLevel debug
    </IfDefine>
    <IfModule !mod_headers.c>
        ProxyPass /artifactory/ http://localhost:8081/artifactory/
    </IfModule>
</VirtualHost>
</IfModule>
`}, []string{"10.0.0.11", "10.0.0.12"}, map[int]string{18: "logging"}, []string{
			"<IfModule> sections read as if their modules were loaded (mod_ssl.c)",
			"read as if apache2 were started with -D for each name the files read do not define: <IfDefine DEBUG> at ",
			"not read, as Apache skips them: <IfDefine !HA> at ",
			"(HA is defined in the files read), <IfModule !mod_headers.c> at ",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res, err := Import([]string{filepath.Join(dir, "artifactory.conf")}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkAccounted(t, res, res.Files)
			if !slices.Equal(res.Settings.Nodes, tt.nodes) {
				t.Errorf("nodes %q, want %q", res.Settings.Nodes, tt.nodes)
			}
			for line, why := range tt.unmapped {
				found := false
				for _, it := range res.Unmapped {
					found = found || it.Source.Line == line && strings.HasPrefix(it.Why, why)
				}
				if !found {
					t.Errorf("line %d is not listed as not mapped with %q:\n%s", line, why, itemsText(res.Unmapped))
				}
			}
			if len(res.Unmapped) != len(tt.unmapped) {
				t.Errorf("not mapped:\n%s", itemsText(res.Unmapped))
			}
			notes := strings.Join(res.Notes, "\n")
			for _, n := range tt.notes {
				if !strings.Contains(notes, n) {
					t.Errorf("notes lack %q:\n%s", n, notes)
				}
			}
		})
	}
}
