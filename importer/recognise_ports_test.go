package importer

import (
	"strings"
	"testing"

	"frontdoor/render"
)

// TestPortsByMapOnOneServer: one nginx server listening on the HTTPS port
// and on Docker ports, with a map on $server_port naming each port's
// repository, is the ports method (the main server on the ports the map
// does not name); a map entry for a port no server listens on is listed
// as not mapped, not turned into a new listener.
func TestPortsByMapOnOneServer(t *testing.T) {
	conf := `map $server_port $repo {
    5001 docker-local;
    5002 docker-remote;
    5003 docker-virtual;
}
server {
    listen 443 ssl;
    listen 5001 ssl;
    listen 5002 ssl;
    server_name artifactory.example.com;
    ssl_certificate /etc/ssl/certs/artifactory.pem;
    ssl_certificate_key /etc/ssl/private/artifactory.key;
    rewrite ^/(v1|v2)/(.*) /artifactory/api/docker/$repo/$1/$2;
    location / {
        proxy_pass http://10.0.0.11:8082;
    }
    location /artifactory/ {
        proxy_pass http://10.0.0.11:8081;
    }
}
`
	res, _ := importConf(t, "artifactory.conf", conf)
	checkAccounted(t, res, res.Files)
	d := res.Settings.Docker
	want := []render.DockerRepository{{Key: "docker-local", Port: 5001}, {Key: "docker-remote", Port: 5002}}
	if d.Method != render.DockerPorts || len(d.Repositories) != 2 || d.Repositories[0] != want[0] || d.Repositories[1] != want[1] {
		t.Errorf("docker %+v, want the ports method with %+v", d, want)
	}
	if !res.Settings.HTTPS.Enabled || res.Settings.HTTPS.Port != 443 {
		t.Errorf("https %+v", res.Settings.HTTPS)
	}
	if len(res.Unmapped) != 1 || res.Unmapped[0].Source.Line != 4 || !strings.Contains(res.Unmapped[0].Why, "no server of the site listens on that port") {
		t.Errorf("not mapped:\n%s", itemsText(res.Unmapped))
	}
}
