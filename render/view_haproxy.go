package render

import (
	"regexp"
	"strconv"
	"strings"
)

// haproxyPortsPerBind keeps each `bind :5001,:5002,...` line short: 100
// addresses are about 700 characters, with the TLS options under 1 KiB.
const haproxyPortsPerBind = 100

// haproxyView fills the HAProxy parts of the view.
func haproxyView(s *Settings, v *view) {
	// Single quotes: nothing inside is interpreted by HAProxy's parser, so
	// the regex's backslashes and '$' reach the regex engine as written.
	v.HAProxyHostRegex = `'^[a-z0-9][a-z0-9-]*\.` + regexp.QuoteMeta(strings.ToLower(v.ServerName)) + `$'`
	if len(v.DockerPorts) == 0 {
		return
	}
	for start := 0; start < len(v.DockerPorts); start += haproxyPortsPerBind {
		set := v.DockerPorts[start:min(start+haproxyPortsPerBind, len(v.DockerPorts))]
		var b strings.Builder
		b.Grow(7 * len(set))
		for i, p := range set {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte(':')
			b.WriteString(p.Port)
		}
		v.HAProxyDockerBinds = append(v.HAProxyDockerBinds, b.String())
	}
	v.HAProxyDockerRules = lines(len(v.DockerPorts), 96+maxKey, func(b *strings.Builder, i int) {
		b.WriteString("    http-request set-path /artifactory/api/docker/")
		b.WriteString(v.DockerPorts[i].Key)
		b.WriteString("%[path] if frontdoor_docker_api { dst_port ")
		b.WriteString(v.DockerPorts[i].Port)
		b.WriteString(" }")
	})
}

// dockerRepos lists the repositories for templates that range over them;
// serverName is the view's.
func dockerRepos(s *Settings, serverName string) []dockerRepoView {
	if s.Docker.Method == DockerNone {
		return nil
	}
	out := make([]dockerRepoView, len(s.Docker.Repositories))
	for i, r := range s.Docker.Repositories {
		out[i].Key = r.Key
		switch s.Docker.Method {
		case DockerPorts:
			out[i].Port = strconv.Itoa(r.Port)
		case DockerSubdomain:
			out[i].Host = r.Key + "." + serverName
		}
	}
	return out
}
