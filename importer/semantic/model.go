// Package semantic is what a reverse-proxy configuration does for
// Artifactory, in terms nginx and Apache share: which ports listen (plain or
// TLS, serving or redirecting), which names they answer, where each path is
// proxied, which request headers go upstream, how Docker requests are
// rewritten, and the TLS set-up. An imported configuration and the one
// frontdoor renders from the imported settings are both reduced to a Model;
// Diff compares two models, so the report says what changes in behaviour,
// not in text.
package semantic

import (
	"frontdoor/importer/conftree"
)

// Pos is where a part of the model was read from.
type Pos = conftree.Pos

// Model is one configuration's behaviour.
type Model struct {
	Servers []*Server
}

// Server is one virtual server (an nginx server block, an Apache
// VirtualHost).
type Server struct {
	Pos    Pos
	Listen []Listener
	Names  []Name
	TLS    *TLS
	// Redirect is set when the server answers every request with a
	// redirect (the usual HTTP-to-HTTPS server).
	Redirect *Redirect
	// Routes are the paths proxied upstream.
	Routes []Route
	// PathRedirects are redirects of single paths (/ to /ui/).
	PathRedirects []PathRedirect
	// Headers are the request headers sent upstream on the route that
	// serves /artifactory/ (the one every client of Artifactory uses).
	Headers []Header
	// Docker are the rewrites of Docker clients' /v1/ and /v2/ requests.
	Docker []DockerRule
	// Tuning are directives that change how requests are proxied but not
	// where (timeouts, buffers, body size, TLS sessions), by name.
	Tuning []Setting
	// Access are the client-address rules of paths (nginx allow/deny,
	// Apache Require ip): who may reach them at all.
	Access []Access
}

// Access restricts who may reach a path.
type Access struct {
	// Path is the path it guards, as Route.Path; "" for the whole server.
	Path string
	// Rules are the rules in order, as written but in words both servers
	// share: "allow 10.0.0.0/8", "deny all".
	Rules []string
	Pos   Pos
}

// Setting is a tuning directive: its name and arguments as written.
type Setting struct {
	Name, Value string
	Pos         Pos
	// Ports are the listener ports it applies to, when it is written for
	// some of the server's listeners only (nginx's "listen 443 ssl http2":
	// HTTP/2 on that address:port, not the server's other ports); none:
	// every listener of the server.
	Ports []int
}

// HTTP2 is the tuning fact of HTTP/2 to clients, whichever directive
// turns it on (nginx's listen ... http2 or http2 on, Apache's Protocols
// h2/h2c): one key, so both servers' facts read alike.
const HTTP2 = "HTTP/2"

// Listener is one port a server listens on.
type Listener struct {
	Port int
	TLS  bool
	// Addr is the address when the listener names one ("127.0.0.1"), ""
	// for every address.
	Addr string
	Pos  Pos
}

// Name is a name a server answers to: exact, a wildcard (*.example.com) or
// a regular expression (Regex, as written).
type Name struct {
	Name  string
	Regex bool
	// DockerRepo is the name of the capture holding a Docker repository
	// key (the subdomain method), "" when there is none.
	DockerRepo string
	// HostHeader says the pattern is matched against the Host header as
	// sent, port included (Apache's %{HTTP_HOST}); nginx matches names
	// without the port.
	HostHeader bool
	Pos        Pos
}

// Value is a setting's text and where it was set.
type Value struct {
	Text string
	Pos  Pos
}

// TLS is a server's TLS set-up.
type TLS struct {
	Certificate, Key Value
	Protocols        Value // normalised: "TLSv1.2 TLSv1.3"; "" when the server's default applies
	Ciphers          Value
	HSTS             Value // the Strict-Transport-Security value, "" when not sent
	// Client certificates (mTLS): Verify is "", "optional" or "required".
	ClientCA, Verify, Depth Value
}

// Redirect is a redirect of every request.
type Redirect struct {
	Status int
	// Target is the Location, normalised: "https://{host}:8443{uri}".
	Target string
	Pos    Pos
}

// Route sends requests under a path upstream.
type Route struct {
	// Path is "/artifactory/" for a prefix, "~ ^/artifactory/" for a regex
	// (nginx location ~, Apache ProxyPassMatch).
	Path string
	// Backends are host:port of the server(s) requests go to, in order;
	// several share the load.
	Backends []Backend
	// URI is the path the backend gets for Path: "" when the request's path
	// is sent as it is, else the replacement of Path ("/artifactory/").
	URI string
	Pos Pos
}

// Backend is one upstream server.
type Backend struct {
	Addr string // host:port, IPv6 in brackets, lower case
	// Backup says the server takes requests only when the others are down
	// (nginx's backup, Apache's status=+H hot standby).
	Backup bool
	Pos    Pos
}

// PathRedirect redirects one path.
type PathRedirect struct {
	From, To string
	Status   int
	Pos      Pos
}

// Header is a request header sent upstream. Value is normalised into
// tokens both servers share: {scheme}, {host}, {Host header}, {port},
// {client addresses}, {verified client certificate}, ... (see the
// extraction); "" means the header is removed.
type Header struct {
	Name, Value string
	Pos         Pos
}

// DockerMethod names a Docker access method.
type DockerMethod string

const (
	DockerSubdomain DockerMethod = "subdomain"
	DockerPort      DockerMethod = "port"
	DockerPath      DockerMethod = "repository path"
)

// DockerRule is one rewrite of Docker requests.
type DockerRule struct {
	Method DockerMethod
	// Key is the repository of the port method, "" when the rule takes
	// it from the request (subdomain, path).
	Key  string
	Port int // the port method's port
	// From and To are the rewrite, normalised: "/v2/{rest}" to
	// "/artifactory/api/docker/{repo}/v2/{rest}".
	From, To string
	// Guarded says the rule applies only when the repository is known
	// (the subdomain method's guard against an empty $repo).
	Guarded bool
	Pos     Pos
}
