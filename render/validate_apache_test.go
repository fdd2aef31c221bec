package render

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frontdoor/internal/servertest"
)

// apacheListenSettings: HTTP on 8080 and Docker ports 5001-5003, so the
// snippet declares Listen 8080, 5001, 5002 and 5003.
func apacheListenSettings() Settings {
	s := goldenSettings(Apache, DockerPorts, httpOnly, 1, false)
	s.HTTP.Port = 8080
	return s
}

// apacheListenFindings are CheckApacheListens' findings as lines.
func apacheListenFindings(s *Settings, root string) []string {
	var out []string
	for _, f := range CheckApacheListens(s, root) {
		out = append(out, f.String())
	}
	return out
}

// A port the snippet declares that the Apache configuration (ports.conf, or
// any file it includes) already listens on is a warning naming the file and
// line; the real apache2ctl -t refuses that pair and passes once the line is
// removed there, as the warning says.
func TestApacheListenAlsoInPortsConf(t *testing.T) {
	t.Parallel() // the real server's check
	root := servertest.ApacheRoot(t)
	conf := filepath.Join(root, "etc/apache2")
	s := apacheListenSettings()
	servertest.EnableApacheModules(t, conf, ApacheModules(&s)...)
	ports := filepath.Join(conf, "ports.conf")
	stock, err := os.ReadFile(ports)
	if err != nil {
		t.Fatal(err)
	}
	added := strings.TrimRight(string(stock), "\n") + "\n\nListen 5001\n"
	line := strings.Count(added, "\n")
	servertest.WriteFile(t, ports, added)
	// The snippet from an earlier save is frontdoor's: its Listen lines are
	// replaced by the save, never blamed.
	snippet := mustRender(t, &s)
	servertest.WriteFile(t, filepath.Join(conf, "sites-available/artifactory.conf"), string(snippet))
	if err := os.Symlink("../sites-available/artifactory.conf", filepath.Join(conf, "sites-enabled/artifactory.conf")); err != nil {
		t.Fatal(err)
	}

	fs, _ := ValidateHereUnder(context.Background(), &s, time.Now(), root)
	want := fmt.Sprintf("proxy.docker.repositories[0].port: warning: Listen 5001 is also in %s:%d: Apache refuses two Listen lines for one port", ports, line)
	var got []string
	for _, f := range fs {
		if strings.Contains(f.Message, "Listen") {
			got = append(got, f.String())
		}
	}
	if len(got) != 1 || !strings.HasPrefix(got[0], want) || !strings.HasSuffix(got[0], "remove it there (frontdoor's snippet declares the ports it uses)") {
		t.Fatalf("findings:\n%s\nwant one starting %q", strings.Join(got, "\n"), want)
	}
	if out, err := apache2ctlT(conf); err == nil || !strings.Contains(out, "Cannot define multiple Listeners") {
		t.Fatalf("apache2ctl -t with Listen 5001 twice: %v\n%s", err, out)
	}

	servertest.WriteFile(t, ports, string(stock))
	if got := apacheListenFindings(&s, root); len(got) != 0 {
		t.Errorf("after removing it: %s", got)
	}
	if out, err := apache2ctlT(conf); err != nil {
		t.Fatalf("apache2ctl -t with the line removed: %v\n%s", err, out)
	}
}

func apache2ctlT(confDir string) (string, error) {
	cmd := exec.Command("apache2ctl", "-t")
	cmd.Env = append(os.Environ(), "APACHE_CONFDIR="+confDir)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// Which Listen lines clash, on a Debian-like tree: every address of the
// port (as apache2ctl -t refuses), in any included file, and 443 only when
// the snippet's own guarded Listen 443 would apply too.
func TestApacheListenClashes(t *testing.T) {
	cases := []struct {
		name string
		conf string // appended to conf-enabled/other.conf
		s    func(s *Settings)
		want []string // substrings, one per finding
	}{
		{"bare port", "Listen 5002\n", nil, []string{"proxy.docker.repositories[1].port: warning: Listen 5002 is also in ROOT/etc/apache2/conf-enabled/other.conf:1:"}},
		{"*:port, with a protocol", "Listen *:5003 http\n", nil, []string{"proxy.docker.repositories[2].port: warning: Listen 5003 is also in ROOT/etc/apache2/conf-enabled/other.conf:1:"}},
		{"the HTTP port, inside a section", "<IfModule mod_rewrite.c>\n    Listen 8080\n</IfModule>\n", nil, []string{"proxy.http.port: warning: Listen 8080 is also in ROOT/etc/apache2/conf-enabled/other.conf:2 (inside <IfModule> or <IfDefine>: if that section applies):"}},
		{"twice", "Listen 5001\n# a comment\nListen \\\n  5001\n", nil, []string{"Listen 5001 is also in ROOT/etc/apache2/conf-enabled/other.conf:1, ROOT/etc/apache2/conf-enabled/other.conf:3:"}},
		{"one address only: apache2ctl -t takes it", "Listen 127.0.0.1:5001\nListen [::]:5002\nListen 0.0.0.0:5003\n", nil, nil},
		{"a port the snippet does not declare", "Listen 9000\nListen 80\n", nil, nil},
		{"commented out", "#Listen 5001\n", nil, nil},
		{"plain 443: unconditional Listen 443 clashes", "Listen 443\n", func(s *Settings) { s.HTTP.Port = 443 }, []string{"proxy.http.port: warning: Listen 443 is also in"}},
		{"plain 443: ports.conf's own, under ssl_module, does not", "", func(s *Settings) { s.HTTP.Port = 443 }, nil},
		{"not Apache", "Listen 5001\n", func(s *Settings) { s.Provider = Nginx }, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			conf := filepath.Join(root, "etc/apache2")
			servertest.WriteFile(t, filepath.Join(conf, "apache2.conf"), "Include ports.conf\nIncludeOptional conf-enabled/*.conf\nIncludeOptional sites-enabled/*.conf\n")
			servertest.WriteFile(t, filepath.Join(conf, "ports.conf"), "Listen 80\n\n<IfModule ssl_module>\n\tListen 443\n</IfModule>\n")
			servertest.WriteFile(t, filepath.Join(conf, "conf-enabled/other.conf"), c.conf)
			s := apacheListenSettings()
			if c.s != nil {
				c.s(&s)
			}
			got := apacheListenFindings(&s, root)
			if len(got) != len(c.want) {
				t.Fatalf("findings:\n%s\nwant %d", strings.Join(got, "\n"), len(c.want))
			}
			for i, w := range c.want {
				if w = strings.ReplaceAll(w, "ROOT", root); !strings.Contains(got[i], w) {
					t.Errorf("finding %d: %s\nwant it to contain %q", i, got[i], w)
				}
			}
		})
	}
}
