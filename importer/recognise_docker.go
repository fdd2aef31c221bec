package importer

// The Docker method and repositories, and what the header of frontdoor's
// own snippets says beyond the directives.

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

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
		s.Docker.Repositories = hints.repositories(s.Docker.Method)
	}
}

// headerHints are what the header comment of frontdoor's own snippet says
// beyond the directives: the nodes as the user typed them.
type headerHints struct {
	nodes []string
	// dockerCount is how many repositories the header counts for a method
	// whose keys are not written in the snippet.
	dockerMethod string
	dockerCount  int
}

var (
	hintNodes  = regexp.MustCompile(`^# Nodes: (.+) \(artifactory port \d+, router port \d+\)\.$`)
	hintDocker = regexp.MustCompile(`Docker: ([A-Za-z]+), (\d+) repositor`)
)

// readHints reads the header comment of a snippet frontdoor wrote.
func readHints(data []byte) headerHints {
	var h headerHints
	if !WrittenByFrontdoor(data) {
		return h
	}
	for _, line := range strings.SplitN(string(data), "\n", 8) {
		line = strings.TrimRight(line, "\r")
		if m := hintNodes.FindStringSubmatch(line); m != nil {
			h.nodes = strings.Split(m[1], ", ")
		}
		if m := hintDocker.FindStringSubmatch(line); m != nil {
			h.dockerMethod = m[1]
			h.dockerCount, _ = strconv.Atoi(m[2])
		}
	}
	return h
}

// spell writes the nodes as the header spells them when it names the same
// hosts (frontdoor writes "[fd00::12]" for a node typed "[FD00::12]").
func (h headerHints) spell(nodes []string) []string {
	if len(h.nodes) != len(nodes) {
		return nodes
	}
	out := make([]string, len(nodes))
	for i, n := range nodes {
		a, _ := render.NormalizeNode(n)
		b, _ := render.NormalizeNode(h.nodes[i])
		if a != b {
			return nodes
		}
		out[i] = h.nodes[i]
	}
	return out
}

// repositories are the repositories of a method whose keys a snippet does
// not hold: none (the header may count them, but not name them).
func (h headerHints) repositories(render.DockerMethod) []render.DockerRepository { return nil }
