package importer

import (
	"slices"
	"strings"

	"frontdoor/importer/conftree"
	"frontdoor/importer/semantic"
)

// splitPortServer reads one server that listens on the main port and on
// Docker ports, naming the repository by a map on $server_port (nginx's
// `map $server_port $repo`), as the two kinds of server frontdoor writes:
// the main one on the ports the map does not name, a Docker one on those
// it does. nil when the server is not one of these.
func splitPortServer(srv *semantic.Server) (main, docker *semantic.Server) {
	mapped := map[int]bool{}
	for _, d := range srv.Docker {
		if d.Method == semantic.DockerPort && d.Port != 0 {
			mapped[d.Port] = true
		}
	}
	m, dk := *srv, *srv
	m.Listen, dk.Listen, m.Docker, dk.Docker = nil, nil, nil, nil
	for _, l := range srv.Listen {
		if mapped[l.Port] {
			dk.Listen = append(dk.Listen, l)
		} else {
			m.Listen = append(m.Listen, l)
		}
	}
	if len(m.Listen) == 0 || len(dk.Listen) == 0 {
		return nil, nil
	}
	for _, d := range srv.Docker {
		if d.Method == semantic.DockerPort && d.Port != 0 {
			dk.Docker = append(dk.Docker, d)
		} else {
			m.Docker = append(m.Docker, d)
		}
	}
	return &m, &dk
}

func hasPortRules(s *semantic.Server) bool {
	for _, d := range s.Docker {
		if d.Method == semantic.DockerPort {
			return true
		}
	}
	return false
}

// pickServers tells Artifactory's servers from other sites'. A site's file
// is Artifactory's throughout; in a whole configuration, a server is when it
// proxies /artifactory/ or Artifactory's ports, rewrites Docker requests,
// shares a backend with one that does, or redirects one of their names.
func (r *recognition) pickServers(x *extraction) {
	isArt := map[*semantic.Server]bool{}
	backends := map[string]bool{}
	names := map[string]bool{}
	for _, s := range x.model.Servers {
		if len(s.Docker) > 0 {
			isArt[s] = true
		}
		for _, rt := range s.Routes {
			if strings.Contains(rt.Path, "artifactory") || strings.Contains(rt.URI, "artifactory") {
				isArt[s] = true
			}
			for _, b := range rt.Backends {
				if strings.HasSuffix(b.Addr, ":8081") || strings.HasSuffix(b.Addr, ":8082") {
					isArt[s] = true
				}
			}
		}
		if !x.main && (len(s.Routes) > 0 || s.Redirect != nil) {
			isArt[s] = true
		}
	}
	for s := range isArt {
		for _, rt := range s.Routes {
			for _, b := range rt.Backends {
				backends[b.Addr] = true
			}
		}
		for _, n := range s.Names {
			names[n.Name] = true
		}
	}
	for _, s := range x.model.Servers {
		for _, rt := range s.Routes {
			for _, b := range rt.Backends {
				if backends[b.Addr] {
					isArt[s] = true
				}
			}
		}
		if s.Redirect != nil {
			for _, n := range s.Names {
				if names[n.Name] {
					isArt[s] = true
				}
			}
		}
	}
	for _, s := range x.model.Servers {
		if isArt[s] {
			r.servers = append(r.servers, s)
		} else {
			r.others = append(r.others, s)
		}
	}
}

// serverName takes the main server's first exact name; every other exact
// name is one frontdoor cannot serve.
func (r *recognition) serverName(redirects, dockers []*semantic.Server) {
	var name string
	var pos conftree.Pos
	all := append(append(slices.Clip(r.main), redirects...), dockers...)
	for _, srv := range all {
		for _, n := range srv.Names {
			if !n.Regex && !strings.HasPrefix(n.Name, "*.") && name == "" {
				name, pos = n.Name, n.Pos
			}
		}
	}
	r.settings.ServerName = name
	r.source("proxy.serverName", pos)
	if name == "" {
		r.notes = append(r.notes, "no server name found (server_name / ServerName): set proxy.serverName")
	}
	for _, srv := range all {
		for _, n := range srv.Names {
			switch {
			case n.Name == name, n.DockerRepo != "":
			case n.Name == "*."+name && hasMethod(r.servers, semantic.DockerSubdomain):
			default:
				r.unmap(n.Pos, "server name "+n.Display(), "frontdoor serves one name (proxy.serverName) and, with the subdomain method, its Docker subdomains")
			}
		}
	}
}

func hasMethod(servers []*semantic.Server, m semantic.DockerMethod) bool {
	for _, s := range servers {
		for _, d := range s.Docker {
			if d.Method == m {
				return true
			}
		}
	}
	return false
}
