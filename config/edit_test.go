package config

import (
	"strings"
	"testing"

	"frontdoor/ldapcheck"
	"frontdoor/render"
)

// commented is a settings file as a person writes one: comments above and
// beside values, blank lines, flow and block styles, quoting.
const commented = `# Artifactory behind nginx (edited by hand, keep the comments!)

proxy:
  provider: nginx   # or apache
  serverName: 'artifactory.example.com'

  # both nodes of the cluster
  nodes: [node1.example.com, node2.example.com]
  routerPort: 8082
  http: {enabled: true, port: 80}
  https:
    enabled: true
    certificate: "/etc/ssl/certs/artifactory.pem"   # from the PKI team
    key: /etc/ssl/private/artifactory.key

  docker:
    method: subdomain
    repositories:
      # the main ones
      - {key: docker-local, port: 5001}
      - {key: docker-remote, port: 5002}

      # the virtual one everybody pulls from
      - key: docker
        port: 5003
ldap:
  settings:
    - key: corp
      url: ldap://ldap.example.com:389/dc=example,dc=com
      search:
        filter: (uid={0})
        managerDn: cn=reader,dc=example,dc=com
        managerPasswordEnv: LDAP_PW   # set in the unit file
# end of file
`

func TestEditChangesOnlyWhatChanged(t *testing.T) {
	tests := []struct {
		name string
		in   string
		edit func(f *File)
		want string // the lines that differ: "-old" / "+new", in order
	}{
		{"a scalar keeps its quotes and the comment beside it", commented,
			func(f *File) { f.Proxy.ServerName = "repo.example.com"; f.Proxy.Provider = render.Apache },
			"-  provider: nginx   # or apache\n-  serverName: 'artifactory.example.com'\n+  provider: apache   # or apache\n+  serverName: 'repo.example.com'\n"},
		{"a double-quoted value stays double-quoted", commented,
			func(f *File) { f.Proxy.HTTPS.Certificate = `/etc/ssl/"odd".pem` },
			"-    certificate: \"/etc/ssl/certs/artifactory.pem\"   # from the PKI team\n+    certificate: \"/etc/ssl/\\\"odd\\\".pem\"   # from the PKI team\n"},
		{"a value in a flow mapping", commented,
			func(f *File) { f.Proxy.HTTP.Port = 8080 },
			"-  http: {enabled: true, port: 80}\n+  http: {enabled: true, port: 8080}\n"},
		{"a key added to a flow mapping", commented,
			func(f *File) { f.Proxy.HTTP.RedirectToHTTPS = true },
			"-  http: {enabled: true, port: 80}\n+  http: {enabled: true, port: 80, redirectToHttps: true}\n"},
		{"a key added to a block section goes after its last key", commented,
			func(f *File) { f.Proxy.HTTPS.Port = 8443 },
			"+    port: 8443\n"},
		{"a section the file leaves out gets only what changed", commented,
			func(f *File) { f.Proxy.MTLS.Enabled, f.Proxy.MTLS.Required = true, true },
			"+  mtls: {enabled: true, required: true}\n"},
		{"a new top-level section", commented,
			func(f *File) { f.Save = SaveSettings{Target: "/etc/nginx/sites-available/artifactory.conf", Keep: 3} },
			"+save: {target: /etc/nginx/sites-available/artifactory.conf, keep: 3}\n"},
		{"an optional key set empty goes, its replacement comes", commented,
			func(f *File) {
				f.LDAP.Settings[0].Search.ManagerPasswordEnv = ""
				f.LDAP.Settings[0].Search.ManagerPasswordFile = "/etc/frontdoor/ldap.pw"
			},
			"-        managerPasswordEnv: LDAP_PW   # set in the unit file\n+        managerPasswordFile: /etc/frontdoor/ldap.pw\n"},
		{"a repository appended is written like its neighbour", commented,
			func(f *File) {
				f.Proxy.Docker.Repositories = append(f.Proxy.Docker.Repositories, render.DockerRepository{Key: "docker-new", Port: 5004})
			},
			"+      - key: docker-new\n+        port: 5004\n"},
		{"a repository inserted first", commented,
			func(f *File) {
				f.Proxy.Docker.Repositories = append([]render.DockerRepository{{Key: "docker-first", Port: 5000}}, f.Proxy.Docker.Repositories...)
			},
			"+      - {key: docker-first, port: 5000}\n"},
		{"a repository removed from the middle", commented,
			func(f *File) {
				r := f.Proxy.Docker.Repositories
				f.Proxy.Docker.Repositories = append(r[:1:1], r[2:]...)
			},
			"-      - {key: docker-remote, port: 5002}\n"},
		{"a repository edited in place", commented,
			func(f *File) { f.Proxy.Docker.Repositories[2].Port = 5013 },
			"-        port: 5003\n+        port: 5013\n"},
		{"an entry replaced by another loses the comment about the old one", "proxy:\n  nodes:\n    - art1.example.com  # primary\n    - art2.example.com\n  docker:\n    repositories:\n      - {key: a, port: 5001}  # team a\n      - {key: old, port: 5009}  # legacy\n",
			func(f *File) {
				f.Proxy.Nodes[0] = "localhost"
				f.Proxy.Docker.Repositories[0].Port = 5011
				f.Proxy.Docker.Repositories[1].Key = "new"
			},
			"-    - art1.example.com  # primary\n+    - localhost\n-      - {key: a, port: 5001}  # team a\n-      - {key: old, port: 5009}  # legacy\n+      - {key: a, port: 5011}  # team a\n+      - {key: new, port: 5009}\n"},
		{"a removed block entry keeps the comment lines inside it", "proxy:\n  docker:\n    repositories:\n      - key: a\n        # a's port\n        port: 1\n      - key: b\n",
			func(f *File) { f.Proxy.Docker.Repositories = f.Proxy.Docker.Repositories[1:] },
			"-      - key: a\n-        port: 1\n"},
		{"every repository removed", commented,
			func(f *File) { f.Proxy.Docker.Repositories = nil },
			"-    repositories:\n+    repositories: []\n-      - {key: docker-local, port: 5001}\n-      - {key: docker-remote, port: 5002}\n-\n-      - key: docker\n-        port: 5003\n"},
		{"a flow list rewritten in its style", commented,
			func(f *File) { f.Proxy.Nodes = []string{"node1.example.com"} },
			"-  nodes: [node1.example.com, node2.example.com]\n+  nodes: [node1.example.com]\n"},
		{"text that needs quotes gets them", commented,
			func(f *File) { f.Proxy.HTTPS.Key = "#not a comment"; f.Proxy.Nodes[0] = "a,b" },
			"-  nodes: [node1.example.com, node2.example.com]\n+  nodes: [\"a,b\", node2.example.com]\n-    key: /etc/ssl/private/artifactory.key\n+    key: \"#not a comment\"\n"},
		{"an LDAP setting appended in block style", commented,
			func(f *File) {
				s := ldapcheck.NewSetting("second")
				s.URL = "ldaps://ad.example.com/dc=corp"
				f.LDAP.Settings = append(f.LDAP.Settings, s)
			},
			"+    - key: second\n+      enabled: true\n+      url: ldaps://ad.example.com/dc=corp\n+      startTls: false\n+      caFile: \"\"\n+      insecureSkipVerify: false\n+      userDnPattern: \"\"\n+      search: {filter: \"\", base: \"\", subTree: true, managerDn: \"\"}\n+      emailAttribute: mail\n+      autoCreateUser: true\n"},
		{"an empty value filled", "proxy:\n  serverName: a.example.com\n  https:\n  routerPort: 8082\n",
			func(f *File) { f.Proxy.HTTPS.Enabled = true },
			"-  https:\n+  https: {enabled: true}\n"},
		{"an alias replaced by its new value, the anchor untouched", "proxy:\n  serverName: &name a.example.com\n  nodes: [*name]\n",
			func(f *File) { f.Proxy.Nodes = []string{"b.example.com"} },
			"-  nodes: [*name]\n+  nodes: [b.example.com]\n"},
		{"a block scalar replaced", "proxy:\n  serverName: |\n    a.example.com\n  routerPort: 8082\n",
			func(f *File) { f.Proxy.ServerName = "b.example.com" },
			"-  serverName: |\n-    a.example.com\n+  serverName: b.example.com\n"},
		{"a file with only comments gets the sections after them", "# to be written by the wizard\n",
			func(f *File) { f.Proxy.ServerName = "a.example.com"; f.HasProxy = true },
			"+proxy:\n+  provider: nginx\n+  serverName: a.example.com\n+  nodes: [localhost]\n+  artifactoryPort: 8081\n+  routerPort: 8082\n+  http: {enabled: true, port: 80, redirectToHttps: false}\n+  https: {enabled: false, port: 443, certificate: \"\", key: \"\", tlsProfile: intermediate}\n+  docker:\n+    method: none\n+    repositories: []\n+  mtls: {enabled: false, clientCA: \"\", verifyDepth: 2, header: X-JFrog-Client-Cert, required: false}\n+  overrideBaseUrlHeader: true\n"},
		{"Windows line endings stay", "proxy:\r\n  serverName: a.example.com\r\n",
			func(f *File) { f.Proxy.RouterPort = 9000; f.Proxy.ServerName = "b.example.com" },
			"-  serverName: a.example.com\r\n+  serverName: b.example.com\r\n+  routerPort: 9000\r\n"},
		{"a byte order mark is kept", "\uFEFFproxy:\n  serverName: a.example.com\n",
			func(f *File) { f.Proxy.ServerName = "b.example.com" },
			"-  serverName: a.example.com\n+  serverName: b.example.com\n"},
		{"a merged key is set where it is merged, the anchor untouched", "proxy:\n  http: &h {enabled: true, port: 80}\n  https:\n    <<: *h\n    port: 443\n",
			func(f *File) { f.Proxy.HTTPS.Enabled = false },
			"+    enabled: false\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, doc, err := decode([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			g := f.Clone()
			tt.edit(g)
			out, ok := edit([]byte(tt.in), doc, f, g)
			if !ok {
				t.Fatal("edit could not place the change")
			}
			back, _, err := decode(out)
			if err != nil {
				t.Fatalf("the output does not load: %v\n%s", err, out)
			}
			if !back.Equal(g) {
				t.Errorf("the output holds other settings: %v", Diff(g, back))
			}
			if got := lineChanges(tt.in, string(out)); got != tt.want {
				t.Errorf("changed lines:\n%s\nwant:\n%s\nwhole output:\n%s", got, tt.want, out)
			}
			if !strings.HasPrefix(tt.in, "\uFEFF") == strings.HasPrefix(string(out), "\uFEFF") {
				t.Error("byte order mark lost")
			}
		})
	}
}

// lineChanges lists the lines removed (-) and added (+) from a to b, from
// a plain longest-common-subsequence match of lines.
func lineChanges(a, b string) string {
	al, bl := strings.SplitAfter(a, "\n"), strings.SplitAfter(b, "\n")
	n, m := len(al), len(bl)
	table := make([][]int, n+1)
	for i := range table {
		table[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if al[i] == bl[j] {
				table[i][j] = table[i+1][j+1] + 1
			} else {
				table[i][j] = max(table[i+1][j], table[i][j+1])
			}
		}
	}
	var out strings.Builder
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && al[i] == bl[j]:
			i++
			j++
		case j == m || i < n && table[i+1][j] >= table[i][j+1]:
			out.WriteString("-" + withNewline(al[i]))
			i++
		default:
			out.WriteString("+" + withNewline(bl[j]))
			j++
		}
	}
	return out.String()
}

func withNewline(s string) string {
	if strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}
