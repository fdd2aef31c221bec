package importer

// The Docker method and repositories, and what the header of frontdoor's
// own snippets says beyond the directives.

import (
	"fmt"

	"frontdoor/importer/conftree"
	"frontdoor/importer/semantic"
	"frontdoor/render"
)

// docker reads the Docker method and repositories.
func (r *recognition) docker(dockerServers []*semantic.Server, hints headerHints) {
	s := &r.settings
	var sub, path *semantic.DockerRule
	for _, srv := range r.main {
		for i, d := range srv.Docker {
			switch d.Method {
			case semantic.DockerSubdomain:
				if sub == nil {
					sub = &srv.Docker[i]
				}
			case semantic.DockerPath:
				if path == nil {
					path = &srv.Docker[i]
				}
			case semantic.DockerPort:
				r.unmap(d.Pos, "Docker rewrite to repository "+d.Key+" on the main server", "with frontdoor each Docker repository of the ports method has a port of its own")
			}
		}
	}
	var repos []render.DockerRepository
	seen := map[int]bool{}
	listened := map[int]bool{}
	for _, srv := range r.servers {
		for _, l := range srv.Listen {
			listened[l.Port] = true
		}
	}
	for _, srv := range dockerServers {
		for _, d := range srv.Docker {
			if d.Method != semantic.DockerPort {
				r.unmap(d.Pos, "Docker "+string(d.Method)+" rewrite on a Docker port", "frontdoor's Docker ports name their repository by the port")
				continue
			}
			ports := []int{d.Port}
			if d.Port == 0 {
				ports = nil
				for _, l := range srv.Listen {
					ports = append(ports, l.Port)
				}
			}
			for _, p := range ports {
				if seen[p] {
					continue
				}
				if !listened[p] {
					// A map entry for a port no server listens on: no
					// client reached this repository there.
					seen[p] = true
					r.unmap(d.Pos, fmt.Sprintf("Docker repository %s on port %d", d.Key, p), "no server of the site listens on that port: frontdoor would open it")
					continue
				}
				seen[p] = true
				r.source(fmt.Sprintf("proxy.docker.repositories[%d]", len(repos)), d.Pos)
				repos = append(repos, render.DockerRepository{Key: d.Key, Port: p})
			}
		}
	}
	chosen := func(m render.DockerMethod, pos conftree.Pos) {
		s.Docker.Method = m
		r.source("proxy.docker.method", pos)
	}
	switch {
	case len(repos) > 0:
		chosen(render.DockerPorts, r.sources["proxy.docker.repositories[0]"])
		s.Docker.Repositories = repos
		for _, d := range []*semantic.DockerRule{sub, path} {
			if d != nil {
				r.unmap(d.Pos, "Docker "+string(d.Method)+" rewrite", "frontdoor uses one Docker method: the ports method was found too")
			}
		}
	case sub != nil:
		chosen(render.DockerSubdomain, sub.Pos)
		r.dockerKeysUnknown = true
		if path != nil {
			r.unmap(path.Pos, "Docker repository-path rewrite", "frontdoor uses one Docker method: the subdomain method was found too")
		}
	case path != nil:
		chosen(render.DockerRepositoryPath, path.Pos)
		r.dockerKeysUnknown = true
	}
	if r.dockerKeysUnknown {
		if repos := hints.repositories(s.Docker.Method); repos != nil {
			s.Docker.Repositories = repos
			r.dockerKeysUnknown = false
			pos := conftree.Pos{File: hints.file, Line: hints.DockerKeysLine}
			for i := range repos {
				r.source(fmt.Sprintf("proxy.docker.repositories[%d]", i), pos)
			}
			r.notes = append(r.notes, fmt.Sprintf("the Docker %s method takes the repository from the request: its keys come from the header comment frontdoor wrote", s.Docker.Method))
		}
	}
}

// headerHints are what the header comment of frontdoor's own snippet says
// beyond the directives (render.ParseHeader): the nodes as the user typed
// them, and the repository keys of the methods whose directives do not
// name them.
type headerHints struct {
	render.Header
	file string // the snippet's path, for the keys' source
}

// readHints reads the header comment of a snippet frontdoor wrote (none:
// the zero hints).
func readHints(f conftree.File) headerHints {
	h, _ := render.ParseHeader(f.Data)
	return headerHints{Header: h, file: f.Path}
}

// spell writes the nodes as the header spells them when it names the same
// hosts (frontdoor writes "[fd00::12]" for a node typed "[FD00::12]").
func (h headerHints) spell(nodes []string) []string {
	if len(h.Nodes) != len(nodes) {
		return nodes
	}
	out := make([]string, len(nodes))
	for i, n := range nodes {
		a, _ := render.NormalizeNode(n)
		b, _ := render.NormalizeNode(h.Nodes[i])
		if a != b {
			return nodes
		}
		out[i] = h.Nodes[i]
	}
	return out
}

// repositories are the repositories of a method whose keys the snippet's
// directives do not hold, as the header lists them; nil when it lists
// none for this method, or not all of those it counts.
func (h headerHints) repositories(m render.DockerMethod) []render.DockerRepository {
	if h.DockerMethod != m || len(h.DockerKeys) == 0 || len(h.DockerKeys) != h.DockerCount {
		return nil
	}
	repos := make([]render.DockerRepository, len(h.DockerKeys))
	for i, k := range h.DockerKeys {
		repos[i].Key = k
	}
	return repos
}
