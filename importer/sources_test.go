package importer

import (
	"strings"
	"testing"

	"frontdoor/importer/conftree"
)

// The nodes are cited where they are written: the upstream's server lines
// or the balancer's members, not the proxy_pass / ProxyPass naming them,
// and the route whose nodes are kept (/ to the router) is the one cited,
// also when /artifactory/ goes straight to one node.
func TestNodesSourceIsWhereTheNodesAre(t *testing.T) {
	tests := []struct {
		name, file, conf, want string
	}{
		{
			name: "nginx upstream", file: "hm/site.conf", want: "hm/site.conf:2-3",
			conf: `upstream artifactory {
    server 10.2.0.5:8082;
    server 10.2.0.6:8082;
    keepalive 16;
}
server {
    listen 80;
    server_name repo.example.com;
    location /artifactory/ {
        proxy_pass http://10.2.0.5:8081;
    }
    location / {
        proxy_pass http://artifactory;
    }
}
`,
		},
		{
			name: "apache balancer", file: "apache-bal.conf", want: "apache-bal.conf:4-5",
			conf: `# two nodes
<VirtualHost *:80>
    <Proxy balancer://arti>
        BalancerMember http://10.1.0.11:8082
        BalancerMember http://10.1.0.12:8082
        ProxySet lbmethod=byrequests
    </Proxy>
    ServerName repo.example.com
    ProxyPreserveHost On
    ProxyPass /artifactory/ http://10.1.0.11:8081/artifactory/
    ProxyPass / balancer://arti/
</VirtualHost>
`,
		},
		{
			name: "one node", file: "one.conf", want: "one.conf:4",
			conf: `server {
    listen 80;
    server_name repo.example.com;
    location / { proxy_pass http://10.3.0.1:8082; }
    location /artifactory/ { proxy_pass http://10.3.0.1:8081; }
}
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ImportFiles([]conftree.File{{Path: tt.file, Data: []byte(tt.conf)}}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Sources["proxy.nodes"].String(); got != tt.want {
				t.Errorf("proxy.nodes from %s, want %s", got, tt.want)
			}
			data, err := res.SettingsFile()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(data), "# from "+tt.want+"\n") {
				t.Errorf("the settings file does not cite %s on nodes:\n%s", tt.want, data)
			}
		})
	}
}
