package importer

import (
	"frontdoor/importer/semantic"
	"frontdoor/render"
)

// riskWhy explains the changes that open, load or break the door in a way
// an admin must decide on (a path open to everyone, a standby node taking
// requests, Docker clients cut off, HTTP/2 gone), saying why each matters;
// "" for the others. explain asks it first: these reasons win over the
// general ones of their aspect (a migration, frontdoor's tuning).
func riskWhy(c semantic.Change, s *render.Settings) string {
	switch {
	case c.Aspect == semantic.AccessControl && c.Kind == semantic.Removed:
		return "frontdoor writes no access control: " + c.Key + " is now open to every client that reaches the server; " +
			"restrict it in Artifactory (permissions, anonymous access) or a firewall before saving"
	case c.Aspect == semantic.AccessControl:
		return "frontdoor writes no access control of its own"
	case c.Aspect == semantic.Upstreams && c.Kind == semantic.Changed && c.Old == semantic.BackupRole:
		return "frontdoor shares the load equally over the nodes: the standby now takes its share of every request, not only when the others are down"
	case c.Aspect == semantic.Docker && c.Kind == semantic.Removed && s.Docker.Method == render.DockerNone:
		return "frontdoor's settings map no Docker access (proxy.docker.method is none): Docker clients using this rewrite stop working; " +
			"set proxy.docker (the ports method gives each repository a port, the repository-path method reads the key from the image name)"
	case c.Aspect == semantic.Docker && c.Kind == semantic.Removed:
		return "frontdoor's Docker " + string(s.Docker.Method) + " method does not write this rewrite: Docker clients using it stop working"
	case c.Aspect == semantic.Tuning && c.Key == semantic.HTTP2:
		how := "its listen has no http2"
		if s.Provider == render.Apache {
			how = "its VirtualHosts set no Protocols h2"
		}
		return "HTTP/2 to clients is dropped: frontdoor's snippet speaks HTTP/1.1 to clients (" + how + "); clients still connect, over HTTP/1.1"
	}
	return ""
}
