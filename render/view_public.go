package render

import "strconv"

// publicView is the scheme and port the proxy reports to Artifactory as the
// clients' (proxy.public), as text: "" keeps the listener's own, which
// the templates then write in their server's variables ($scheme,
// %{SERVER_PORT}, dst_port...).
type publicView struct {
	Set    bool   // proxy.public is given: redirects must not use the proxy's own scheme and port either
	Scheme string // "http" or "https"
	Port   string // e.g. "443"
	About  string // for comments: "https on port 443"
}

func newPublicView(s *Settings) publicView {
	if !s.Public.IsSet() {
		return publicView{}
	}
	p := publicView{Set: true, Scheme: s.Public.Scheme, Port: strconv.Itoa(s.Public.EffectivePort())}
	p.About = p.about()
	return p
}

func (p publicView) about() string {
	switch {
	case p.Scheme == "":
		return "port " + p.Port + ", with this server's scheme"
	case p.Port == "":
		return p.Scheme + ", on this server's port number"
	}
	return p.Scheme + " on port " + p.Port
}

// OnDockerPorts is the view for the servers of the Docker ports method: a
// load balancer in front is taken to expose each Docker port on its own
// number, so those report the port they listen on (the public scheme still
// holds). Templates pass it to the blocks those servers share with the
// main one.
func (v *view) OnDockerPorts() *view {
	if v.Public.Port == "" {
		return v
	}
	c := *v
	c.Public.Port = ""
	c.Public.Set = c.Public.Scheme != "" // nothing left to report otherwise
	c.Public.About = c.Public.about()
	return &c
}
