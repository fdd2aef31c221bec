package render

// Pairwise coverage for the property test (property_test.go): the accepted
// random cases are described by coarse features and ordered so that the few
// the real servers check cover as many pairs of feature values as possible.

import (
	"slices"
	"strconv"
	"strings"
)

// featureTokens describe accepted settings coarsely, one "dimension=value"
// per dimension, so that the cases the real servers check within a small
// budget cover every pair of values seen (see pairwiseOrder).
func featureTokens(s *Settings) []string {
	portClass := func(on bool, p, usual, alt int) string {
		switch {
		case !on:
			return "off"
		case p == usual || p == alt || p == 80 || p == 443:
			return strconv.Itoa(p)
		case p < 1024:
			return "low"
		}
		return "high"
	}
	name := "host"
	switch addr, ok := serverNameAddr(s.ServerName); {
	case ok && addr.Is6():
		name = "v6"
	case ok:
		name = "v4"
	case !nginxNameFits(s.ServerName):
		name = "long"
	case hasUpper(s.ServerName):
		name = "upper"
	}
	var nodeKinds []string
	for _, n := range s.Nodes {
		norm, _ := NormalizeNode(n)
		switch {
		case isLocalNode(n):
			nodeKinds = append(nodeKinds, "local")
		case strings.HasPrefix(norm, "["):
			nodeKinds = append(nodeKinds, "v6")
		default:
			nodeKinds = append(nodeKinds, "remote")
		}
	}
	slices.Sort(nodeKinds)
	nodeKinds = slices.Compact(nodeKinds)
	keys, ports := "plain", "none"
	for _, r := range s.Docker.Repositories {
		switch {
		case strings.Contains(r.Key, "."):
			keys = "dot"
		case strings.Contains(r.Key, "_") || hasUpper(r.Key):
			keys = "non-dns"
		case len(r.Key) > 40:
			keys = "long"
		}
		if s.Docker.Method == DockerPorts {
			switch {
			case r.Port == 80 || r.Port == 443:
				ports = strconv.Itoa(r.Port)
			case r.Port < 1024 && ports == "none":
				ports = "low"
			}
		}
	}
	header := "default"
	switch {
	case !nginxNameFits(s.MTLS.Header):
		header = "long"
	case s.MTLS.Header != "X-JFrog-Client-Cert":
		header = "custom"
	}
	tokens := []string{
		"provider=" + string(s.Provider),
		"method=" + string(s.Docker.Method),
		"name=" + name,
		"http=" + portClass(s.HTTP.Enabled, s.HTTP.Port, 80, 8080),
		"https=" + portClass(s.HTTPS.Enabled, s.HTTPS.Port, 443, 8443),
		"redirect=" + strconv.FormatBool(s.HTTP.RedirectToHTTPS),
		"profile=" + s.HTTPS.TLSProfile,
		"ha=" + strconv.FormatBool(s.IsHA()),
		"nodes=" + strings.Join(nodeKinds, "+"),
		"ownPorts=" + strconv.FormatBool(s.ArtifactoryPort != 8081 || s.RouterPort != 8082),
		"repos=" + strconv.Itoa(min(len(s.Docker.Repositories), 2)),
		"keys=" + keys,
		"dockerPorts=" + ports,
		"mtls=" + strconv.FormatBool(s.MTLS.Enabled),
		"override=" + strconv.FormatBool(s.OverrideBaseURLHeader),
		"oddPath=" + strconv.FormatBool(strings.Contains(s.HTTPS.Certificate, "@")),
		"public=" + publicClass(s.Public),
	}
	if s.MTLS.Enabled {
		tokens = append(tokens, "required="+strconv.FormatBool(s.MTLS.Required), "header="+header,
			"depth="+strconv.Itoa(min(s.MTLS.VerifyDepth, 3)))
	}
	return tokens
}

// pairwiseOrder orders cases greedily so that each next one covers the most
// pairs of feature values not covered by those before it: within any budget,
// the first cases cover as many combinations as such a budget can.
// covered[k] is how many pairs the first k+1 ordered cases cover.
func pairwiseOrder(cases []*propCase) (ordered []*propCase, covered []int, pairsSeen int) {
	ids := map[string]int{}
	pairs := make([][]int, len(cases))
	for i, c := range cases {
		tokens := featureTokens(&c.s)
		for a := range tokens {
			for b := a + 1; b < len(tokens); b++ {
				key := tokens[a] + "|" + tokens[b]
				id, ok := ids[key]
				if !ok {
					id = len(ids)
					ids[key] = id
				}
				pairs[i] = append(pairs[i], id)
			}
		}
	}
	done := make([]bool, len(ids))
	used := make([]bool, len(cases))
	total := 0
	for range cases {
		best, bestGain := -1, -1
		for i := range cases {
			if used[i] {
				continue
			}
			gain := 0
			for _, id := range pairs[i] {
				if !done[id] {
					gain++
				}
			}
			if gain > bestGain {
				best, bestGain = i, gain
			}
		}
		if bestGain == 0 {
			break // the rest add no new pair: keep their generated order
		}
		used[best] = true
		for _, id := range pairs[best] {
			done[id] = true
		}
		total += bestGain
		ordered = append(ordered, cases[best])
		covered = append(covered, total)
	}
	for i, c := range cases {
		if !used[i] {
			ordered = append(ordered, c)
			covered = append(covered, total)
		}
	}
	return ordered, covered, len(ids)
}

// publicClass is proxy.public coarsely: none, the scheme, the port, both.
func publicClass(p Public) string {
	switch {
	case p.Scheme != "" && p.Port != 0:
		return p.Scheme + "+port"
	case p.Scheme != "":
		return p.Scheme
	case p.Port != 0:
		return "port"
	}
	return "none"
}
