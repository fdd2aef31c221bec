package render

import (
	"strconv"
	"strings"
)

// apachePortsPerVirtualHost keeps each <VirtualHost a b c ...> line well under
// Apache's 8 KiB line limit however many Docker ports there are.
const apachePortsPerVirtualHost = 250 // " *:65535" each: under 2 KiB

// apachePortSets groups the Docker ports into VirtualHosts of at most
// apachePortsPerVirtualHost addresses each, with their rewrite rules.
func apachePortSets(ports []dockerPortView) []apachePortSet {
	sets := make([]apachePortSet, 0, (len(ports)+apachePortsPerVirtualHost-1)/apachePortsPerVirtualHost)
	for start := 0; start < len(ports); start += apachePortsPerVirtualHost {
		set := ports[start:min(start+apachePortsPerVirtualHost, len(ports))]
		var addrs strings.Builder
		addrs.Grow(8 * len(set))
		for _, p := range set {
			addrs.WriteString(" *:")
			addrs.WriteString(p.Port)
		}
		rules := lines(len(set), 112+2*len(set[len(set)-1].Key), func(b *strings.Builder, i int) {
			b.WriteString(`    RewriteCond "%{SERVER_PORT}" "=`)
			b.WriteString(set[i].Port)
			b.WriteString("\"\n    RewriteRule \"^/(v1|v2)/(.*)$\" \"/artifactory/api/docker/")
			b.WriteString(set[i].Key)
			b.WriteString(`/$1/$2" [PT,L]`)
		})
		sets = append(sets, apachePortSet{Addresses: addrs.String(), Rules: rules})
	}
	return sets
}

// apacheListens lists the ports to add a Listen for. Debian's ports.conf
// always listens on 80, and on 443 when mod_ssl (or mod_gnutls) is loaded;
// repeating one fails `apache2ctl -t`. With HTTPS on, the snippet needs
// mod_ssl, so 443 is covered; without it, a plain VirtualHost on 443 gets a
// Listen guarded by <IfModule !ssl_module> (listen443).
func apacheListens(s *Settings, v *view) (ports []string, listen443 bool) {
	add := func(port int, text string) {
		switch {
		case port == 80:
		case port == 443 && s.HTTPS.Enabled:
		case port == 443:
			listen443 = true
		default:
			ports = append(ports, text)
		}
	}
	if s.HTTP.Enabled {
		add(s.HTTP.Port, v.HTTPPort)
	}
	if s.HTTPS.Enabled {
		add(s.HTTPS.Port, v.HTTPSPort)
	}
	for _, p := range v.DockerPorts {
		n, _ := strconv.Atoi(p.Port)
		add(n, p.Port)
	}
	return ports, listen443
}

// ApacheModules lists the Apache modules the snippet for s needs: alias
// and authz_host (on by default) answer the revision marker to this
// machine only (Redirect 200, Require local).
func ApacheModules(s *Settings) []string {
	mods := []string{"proxy", "proxy_http", "rewrite", "headers", "alias", "authz_host"}
	if s.HTTPS.Enabled {
		mods = append(mods, "ssl")
	}
	if s.IsHA() {
		mods = append(mods, "proxy_balancer", "lbmethod_byrequests", "slotmem_shm")
	}
	return mods
}
