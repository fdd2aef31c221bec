package importer

import (
	"slices"
	"strings"
	"testing"

	"frontdoor/render"
)

// TestRecognise: shapes of configurations beyond the fixtures, each with
// the settings it must give and the directives it must report unmapped.
func TestRecognise(t *testing.T) {
	tests := []struct {
		name     string
		conf     string
		check    func(s render.Settings) bool
		unmapped []string // the start of each unmapped item's directive, in order
	}{
		{
			name: "one server, plain HTTP redirected by an if on the scheme",
			conf: `server {
    listen 80;
    listen 443 ssl;
    server_name a.example.com;
    ssl_certificate /c.pem;
    ssl_certificate_key /k.pem;
    if ($scheme = http) {
        return 301 https://$host$request_uri;
    }
    location / { proxy_pass http://10.0.0.1:8082; }
    location /artifactory/ { proxy_pass http://10.0.0.1:8081; }
}`,
			check: func(s render.Settings) bool {
				return s.HTTP.Enabled && s.HTTP.RedirectToHTTPS && s.HTTPS.Enabled && s.Nodes[0] == "10.0.0.1"
			},
		},
		{
			name: "ssl on, an address on the listener, proxy_protocol",
			conf: `server {
    listen 127.0.0.1:8443 proxy_protocol;
    ssl on;
    server_name a.example.com;
    ssl_certificate /c.pem;
    ssl_certificate_key /k.pem;
    location / { proxy_pass http://localhost:8082; }
}`,
			check:    func(s render.Settings) bool { return !s.HTTP.Enabled && s.HTTPS.Enabled && s.HTTPS.Port == 8443 },
			unmapped: []string{"listen 127.0.0.1:8443 proxy_protocol"},
		},
		{
			name: "an upstream with least_conn and a backup server",
			conf: `upstream arti {
    least_conn;
    server 10.0.0.1:8082;
    server 10.0.0.2:8082 backup;
}
server {
    listen 80;
    server_name a.example.com;
    location / { proxy_pass http://arti; }
}`,
			check: func(s render.Settings) bool {
				return slices.Equal(s.Nodes, []string{"10.0.0.1", "10.0.0.2"}) && s.RouterPort == 8082
			},
			unmapped: []string{"least_conn", "server 10.0.0.2:8082 backup"},
		},
		{
			name: "Docker ports through a map on the port, as frontdoor writes them",
			conf: `map $server_port $repo_by_port {
    5001 docker-local;
    5002 docker-remote;
}
server {
    listen 80;
    server_name a.example.com;
    location / { proxy_pass http://localhost:8082; }
}
server {
    listen 5001;
    listen 5002;
    server_name a.example.com;
    rewrite ^/(v1|v2)/(.*) /artifactory/api/docker/$repo_by_port/$1/$2 break;
    location / { proxy_pass http://localhost:8082; }
}`,
			check: func(s render.Settings) bool {
				return s.Docker.Method == render.DockerPorts && slices.Equal(s.Docker.Repositories, []render.DockerRepository{{Key: "docker-local", Port: 5001}, {Key: "docker-remote", Port: 5002}})
			},
		},
		{
			name: "Apache: redirect by RewriteRule, key in the certificate file, SSLProtocol TLSv1.3 only",
			conf: `<VirtualHost *:80>
    ServerName a.example.com
    RewriteEngine On
    RewriteCond %{HTTPS} off
    RewriteRule ^/?(.*) https://%{SERVER_NAME}/$1 [R=301,L]
</VirtualHost>
<VirtualHost *:443>
    ServerName a.example.com
    SSLEngine on
    SSLCertificateFile /etc/ssl/both.pem
    SSLProtocol -all +TLSv1.3
    ProxyPass / http://localhost:8082/
</VirtualHost>`,
			check: func(s render.Settings) bool {
				return s.Provider == render.Apache && s.HTTP.RedirectToHTTPS && s.HTTPS.Key == "/etc/ssl/both.pem" && s.HTTPS.TLSProfile == render.TLSModern
			},
		},
		{
			name: "behind a TLS load balancer: fixed X-Forwarded-Proto and -Port on plain HTTP are proxy.public",
			conf: `server {
    listen 8080;
    server_name a.example.com;
    location / {
        proxy_pass http://localhost:8082;
        proxy_set_header X-Forwarded-Proto https;
        proxy_set_header X-Forwarded-Port 443;
        proxy_set_header X-JFrog-Override-Base-Url https://$host:443;
    }
}`,
			check: func(s render.Settings) bool { return s.Public == render.Public{Scheme: "https", Port: 443} },
		},
		{
			name: "only the base-URL header is fixed: its scheme and port",
			conf: `server {
    listen 80;
    server_name a.example.com;
    location / {
        proxy_pass http://localhost:8082;
        proxy_set_header X-JFrog-Override-Base-Url https://$host:8443;
    }
}`,
			check: func(s render.Settings) bool { return s.Public == render.Public{Scheme: "https", Port: 8443} },
		},
		{
			name: "Apache: X-Forwarded-Proto https on the TLS listener is its own scheme, not a load balancer's",
			conf: `<VirtualHost *:443>
    ServerName a.example.com
    SSLEngine on
    SSLCertificateFile /etc/ssl/both.pem
    RequestHeader set X-Forwarded-Proto "https"
    RequestHeader set X-Forwarded-Port "443"
    ProxyPass / http://localhost:8082/
</VirtualHost>`,
			check: func(s render.Settings) bool { return !s.Public.IsSet() },
		},
		{
			name: "Apache: behind a load balancer on port 8443 (the scheme stays the listener's)",
			conf: `<VirtualHost *:443>
    ServerName a.example.com:8443
    SSLEngine on
    SSLCertificateFile /etc/ssl/both.pem
    RequestHeader set X-Forwarded-Port "8443"
    ProxyPass / http://localhost:8082/
</VirtualHost>`,
			check: func(s render.Settings) bool { return s.Public == render.Public{Port: 8443} },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := importConf(t, "site.conf", tt.conf)
			if !tt.check(res.Settings) {
				t.Errorf("settings %+v", res.Settings)
			}
			var got []string
			for _, it := range res.Unmapped {
				got = append(got, it.Directive)
			}
			ok := len(got) == len(tt.unmapped)
			for i := 0; ok && i < len(got); i++ {
				ok = strings.HasPrefix(got[i], tt.unmapped[i])
			}
			if !ok {
				t.Errorf("unmapped:\n%s\nwant %q", itemsText(res.Unmapped), tt.unmapped)
			}
		})
	}
}
