package render

import "strings"

// caddyView is what the Caddyfile template needs beyond the shared view.
type caddyView struct {
	Automatic           bool   // Caddy obtains the certificates itself
	HTTPSite, HTTPSSite string // site addresses, e.g. "https://name:443, https://*.name:443"
	RouterNodes         string // "host:port host:port"
	DirectNodes         string
	KeyLabel            int    // {labels.N} of <key>.<serverName> is the key
	DockerSites         string // the ports method's site blocks
	ha, override        bool
	public              publicView
	overrideHost        string
}

// caddyUpstream is one reverse_proxy's options: its health check path.
type caddyUpstream struct {
	HA, Override bool
	Path         string
	Public       publicView
	// OverrideHost is the host and port of the base URL, after the
	// scheme: the Host header as sent, or with a public port the host and
	// the snippet's port argument.
	OverrideHost string
}

// Check returns the options of a reverse_proxy whose health check asks path.
func (c *caddyView) Check(path string) caddyUpstream {
	return caddyUpstream{HA: c.ha, Override: c.override, Path: path, Public: c.public, OverrideHost: c.overrideHost}
}

func newCaddyView(s *Settings, v *view) *caddyView {
	c := &caddyView{
		Automatic:   s.Caddy.AutomaticHTTPS,
		RouterNodes: strings.Join(v.RouterNodes, " "),
		DirectNodes: strings.Join(v.DirectNodes, " "),
		KeyLabel:    strings.Count(v.ServerName, ".") + 1,
		ha:          v.HA,
		override:    v.Override,
		public:      v.Public,
		// {hostport} is the Host header as the client sent it.
		overrideHost: "{hostport}",
	}
	if v.Public.Port != "" {
		// The port is the snippet's argument, the host the request's:
		// {host}, or for an IP server name the name itself ({host} drops
		// an IPv6 address's brackets when the Host header has a port).
		c.overrideHost = "{host}:{args.1}"
		if _, isIP := serverNameAddr(v.ServerName); isIP {
			c.overrideHost = v.ServerName + ":{args.1}"
		}
	}
	if v.HTTPPort != "" {
		c.HTTPSite = caddySites("http", v, v.HTTPPort, false)
	}
	if v.HTTPSPort != "" {
		c.HTTPSSite = caddySites("https", v, v.HTTPSPort, c.Automatic)
	}
	if len(v.DockerPorts) > 0 {
		scheme, tls := "http", ""
		if v.DockerPortTLS {
			scheme, tls = "https", "\timport artifactory-tls\n"
		}
		// The site's own scheme in its address; the one clients use
		// (proxy.public) for the snippet. Each keeps its port.
		proxyScheme := scheme
		if v.Public.Scheme != "" {
			proxyScheme = v.Public.Scheme
		}
		c.DockerSites = lines(len(v.DockerPorts), 200+maxKey, func(b *strings.Builder, i int) {
			p := v.DockerPorts[i]
			b.WriteString("\n")
			b.WriteString(scheme)
			b.WriteString("://:")
			b.WriteString(p.Port)
			b.WriteString(" {\n")
			b.WriteString(tls)
			b.WriteString("\t@docker path /v1/* /v2/*\n\trewrite @docker /artifactory/api/docker/")
			b.WriteString(p.Key)
			b.WriteString("{uri}\n\timport artifactory-proxy ")
			b.WriteString(proxyScheme)
			b.WriteByte(' ')
			b.WriteString(p.Port)
			b.WriteString("\n}")
		})
	}
	return c
}

// caddySites lists the site addresses of one listener: the server name and,
// for the subdomain method, its subdomains (a wildcard, or each name when
// Caddy obtains the certificates: ACME's HTTP and TLS challenges cannot
// prove a wildcard).
func caddySites(scheme string, v *view, port string, eachName bool) string {
	addr := func(host string) string { return scheme + "://" + host + ":" + port }
	sites := []string{addr(v.ServerName)}
	if v.DockerSubdomain {
		if eachName {
			for _, r := range v.DockerRepos {
				sites = append(sites, addr(r.Host))
			}
		} else {
			sites = append(sites, addr("*."+v.ServerName))
		}
	}
	return strings.Join(sites, ", ")
}
