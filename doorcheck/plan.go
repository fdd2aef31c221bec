package doorcheck

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"frontdoor/render"
)

// Role is what a door is for.
type Role int

const (
	RoleMain     Role = iota // serves Artifactory: ping, UI, encoded slashes
	RoleRedirect             // plain HTTP that must redirect to HTTPS
	RoleDocker               // one Docker repository, by its access method
)

// Door is one public endpoint: what a client types.
type Door struct {
	Role   Role
	Scheme string // "http" or "https"
	Host   string // the name (or address) clients use, lower case, no brackets
	Port   int
	Repo   string // RoleDocker: the repository key
	// MaybeRedirect: a plain-HTTP door given as a URL without settings, so
	// whether it should redirect is unknown; the check finds out.
	MaybeRedirect bool
	// Public is the scheme and port clients reach this door on when a load
	// balancer in front changes them (proxy.public), where the check
	// connects to the door itself (Verify, after a reload): the realm,
	// redirects and upload locations must name them, and requests to them
	// go to the door. Zero: the door's own.
	Public Origin
}

// Origin is a scheme and port clients use.
type Origin struct {
	Scheme string
	Port   int
}

// origin is the scheme and port the URLs the door hands out must name:
// Public's, else the door's own.
func (d Door) origin() Origin {
	o := Origin{Scheme: d.Scheme, Port: d.Port}
	if d.Public.Scheme != "" {
		o.Scheme = d.Public.Scheme
	}
	if d.Public.Port != 0 {
		o.Port = d.Public.Port
	}
	return o
}

// originURL is the base URL clients use for this door.
func (d Door) originURL() string {
	o := d.origin()
	d.Scheme, d.Port = o.Scheme, o.Port
	return d.URL()
}

// viaDoor is u, a URL the door handed out on its public origin, as the
// check reaches it: on the door itself when a load balancer in front is
// not part of the check (Verify). Other URLs are left as they are.
func (d Door) viaDoor(u *url.URL) *url.URL {
	o := d.origin()
	if d.Public == (Origin{}) || u.Scheme != o.Scheme || effectivePort(u) != o.Port || !strings.EqualFold(u.Hostname(), d.Host) {
		return u
	}
	c := *u
	c.Scheme, c.Host = d.Scheme, hostHeader(u.Hostname(), d.Port, d.Scheme)
	return &c
}

// Authority is host:port as a client dials it.
func (d Door) Authority() string { return net.JoinHostPort(d.Host, strconv.Itoa(d.Port)) }

// URL is the door's base URL, without the port when it is the scheme's
// default (as clients write it, and as they send it in Host).
func (d Door) URL() string {
	host := d.Host
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if d.Port != defaultPort(d.Scheme) {
		host += ":" + strconv.Itoa(d.Port)
	}
	return d.Scheme + "://" + host
}

func defaultPort(scheme string) int {
	if scheme == "https" {
		return 443
	}
	return 80
}

// Plan is what one run checks: the doors, and what the settings (when there
// are any) say they should do.
type Plan struct {
	Title      string          // first line of the report, e.g. "artifactory.example.com (nginx, frontdoor.yaml)"
	Provider   render.Provider // "" when unknown: fixes then name both nginx and Apache
	ServerName string
	Doors      []Door
	// Method is the Docker access method ("" when unknown: a URL without
	// settings, where /v2/ at the URL itself is checked).
	Method render.DockerMethod
	Repos  []string
	// TLSProfile is "intermediate" or "modern"; "" when unknown.
	TLSProfile string
	// HSTSExpected: the settings make frontdoor send HSTS (HTTP off or
	// redirecting). Unknown (false) for a URL: a missing HSTS is a warning
	// then too.
	HSTSExpected bool
	// Settings is true when the plan comes from settings: what they say is
	// the expectation, not a guess.
	Settings bool
	// HTTPSPort is where plain HTTP must redirect; 0 when unknown.
	HTTPSPort int
	// ArtifactoryPort and RouterPort fill in fixes (defaults 8081/8082).
	ArtifactoryPort, RouterPort int
	// Nodes are proxy.nodes as a proxy target writes them (IPv6 in
	// brackets), for the fixes that say where the proxy sends requests;
	// none when unknown (a URL without settings: the fixes say NODE).
	Nodes []string
	// ExpectCertificate, when set, must be the certificate every HTTPS door
	// serves (Verify: the new configuration is the one serving).
	ExpectCertificate *x509.Certificate
	// noChain: the chain is not judged (Verify without the certificate
	// file); names and dates are.
	noChain bool
	// expectRevision, when set, is the revision every main door must
	// answer at render.RevisionPath (Verify, on loopback); otherwise
	// revisionUnknown says why it is not asked.
	expectRevision, revisionUnknown string
}

// ErrNoDoor is returned for settings that describe nothing a client could
// reach through a proxy (embedded Tomcat, or neither HTTP nor HTTPS).
var ErrNoDoor = errors.New("no door to check")

// FromSettings plans a check of every public endpoint the settings
// describe: the server name on HTTP and on HTTPS, and each Docker
// repository by its method (<key>.<server>, its port, or <server>/<key>).
// Behind a load balancer (proxy.public) those are the load balancer's
// scheme and port: the check goes through it, as clients do.
func FromSettings(s *render.Settings, source string) (Plan, error) {
	p, err := listenerPlan(s, source)
	if err != nil || !s.Public.IsSet() {
		return p, err
	}
	pub := s.Public
	doors := p.Doors[:0]
	seen := map[string]bool{}
	for _, d := range p.Doors {
		switch {
		case d.Role == RoleRedirect:
			continue // the load balancer's plain-HTTP port is not in the settings
		case d.Role == RoleDocker && s.Docker.Method == render.DockerPorts:
			// Exposed on its own number.
		default:
			d.Port = pub.EffectivePort()
		}
		if pub.Scheme != "" {
			d.Scheme = pub.Scheme
		}
		if key := d.URL() + "#" + d.Repo; !seen[key] {
			seen[key] = true
			doors = append(doors, d)
		}
	}
	p.Doors = doors
	return p, nil
}

// listenerPlan is the plan of the proxy's own listeners, whatever is in
// front of them: the doors clients use unless a load balancer changes
// them, and what Verify checks after a reload (with each door's Public
// set by expectPublic).
func listenerPlan(s *render.Settings, source string) (Plan, error) {
	if s.Provider == render.Tomcat {
		return Plan{}, fmt.Errorf("%w: with embedded Tomcat clients reach Artifactory directly; give the URL they use (frontdoor check http://HOST:%d)", ErrNoDoor, s.ArtifactoryPort)
	}
	name := strings.ToLower(strings.Trim(s.ServerName, "[]"))
	if name == "" {
		return Plan{}, fmt.Errorf("%w: proxy.serverName is empty", ErrNoDoor)
	}
	p := basePlan(s)
	p.ServerName = name
	p.Title = name + " (" + string(s.Provider) + ")"
	if source != "" {
		p.Title = name + " (" + string(s.Provider) + ", " + source + ")"
	}
	var primary *Door
	if s.HTTP.Enabled {
		d := Door{Role: RoleMain, Scheme: "http", Host: name, Port: s.HTTP.Port}
		if s.HTTPRedirects() {
			d.Role = RoleRedirect
		}
		p.Doors = append(p.Doors, d)
	}
	if s.HTTPS.Enabled {
		p.Doors = append(p.Doors, Door{Role: RoleMain, Scheme: "https", Host: name, Port: s.HTTPS.Port})
	}
	for i := range p.Doors {
		if p.Doors[i].Role == RoleMain {
			primary = &p.Doors[i] // the last main door: HTTPS when on
		}
	}
	if primary == nil {
		return Plan{}, fmt.Errorf("%w: neither proxy.http nor proxy.https is enabled", ErrNoDoor)
	}
	p.addDocker(s, *primary, s.HTTPS.Enabled)
	return p, nil
}

// proxyNodes are nodes as a proxy target writes them (render.NormalizeNode;
// as typed when it refuses one, which validation reports).
func proxyNodes(nodes []string) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n
		if norm, ok := render.NormalizeNode(n); ok {
			out[i] = norm
		}
	}
	return out
}

// basePlan takes from the settings what holds whatever the doors are.
func basePlan(s *render.Settings) Plan {
	p := Plan{
		Provider:        s.Provider,
		Settings:        true,
		Method:          s.Docker.Method,
		ArtifactoryPort: s.ArtifactoryPort,
		RouterPort:      s.RouterPort,
		Nodes:           proxyNodes(s.Nodes),
		HSTSExpected:    s.HTTPS.Enabled && (!s.HTTP.Enabled || s.HTTP.RedirectToHTTPS),
	}
	if s.HTTPS.Enabled {
		p.TLSProfile = s.HTTPS.TLSProfile
		p.HTTPSPort = s.HTTPS.Port
		if pub := s.Public.EffectivePort(); pub != 0 {
			p.HTTPSPort = pub // the redirect goes to the load balancer's
		}
	}
	return p
}

// expectPublic makes the plan of the proxy's own listeners expect what a
// load balancer in front (proxy.public) has the proxy report: the doors
// are checked directly, the URLs they hand out name the public scheme and
// port (a Docker port keeps its own).
func (p *Plan) expectPublic(s *render.Settings) {
	if !s.Public.IsSet() {
		return
	}
	for i := range p.Doors {
		d := &p.Doors[i]
		switch {
		case d.Role == RoleRedirect:
		case d.Role == RoleDocker && s.Docker.Method == render.DockerPorts:
			d.Public = Origin{Scheme: s.Public.Scheme}
		default:
			d.Public = Origin{Scheme: s.Public.Scheme, Port: s.Public.EffectivePort()}
		}
	}
}

// addDocker adds one door per Docker repository: on primary's scheme and
// port (subdomain: under <key>.<host>), or on the repository's own port.
func (p *Plan) addDocker(s *render.Settings, primary Door, tls bool) {
	if s.Docker.Method == render.DockerNone || s.Docker.Method == "" {
		return
	}
	for _, r := range s.Docker.Repositories {
		d := Door{Role: RoleDocker, Scheme: primary.Scheme, Host: primary.Host, Port: primary.Port, Repo: r.Key}
		switch s.Docker.Method {
		case render.DockerSubdomain:
			d.Host = strings.ToLower(r.Key) + "." + primary.Host
		case render.DockerPorts:
			d.Port = r.Port
			d.Scheme = "http"
			if tls {
				d.Scheme = "https"
			}
		}
		p.Doors = append(p.Doors, d)
		p.Repos = append(p.Repos, r.Key)
	}
}

// FromURL plans a check of the one door at rawURL. Settings are optional
// (nil: none): when given, their Docker repositories are checked on the
// URL's host by their method, and their provider and TLS profile are the
// expectation; when they say plain HTTP only redirects, the HTTPS door on
// the URL's host is planned too. Without settings, a door found to only
// redirect is followed at run time (Run). This checks doors frontdoor did
// not write too.
func FromURL(rawURL string, s *render.Settings) (Plan, error) {
	d, err := parseDoorURL(rawURL)
	if err != nil {
		return Plan{}, err
	}
	def := render.Defaults() // without settings, the ports the fixes name are the usual ones
	p := Plan{Title: d.URL(), ServerName: d.Host, ArtifactoryPort: def.ArtifactoryPort, RouterPort: def.RouterPort}
	if s != nil {
		p = basePlan(s)
		p.Title = d.URL() + " (" + string(s.Provider) + " settings)"
		p.ServerName = d.Host
		if d.Scheme == "https" {
			p.HTTPSPort = d.Port // else basePlan's: the settings' (0 without HTTPS)
		}
		if d.Scheme == "http" && s.HTTPRedirects() {
			d.Role = RoleRedirect
		}
		p.Doors = append(p.Doors, d)
		main := d
		if d.Role == RoleRedirect {
			// A door that only redirects proves nothing about Artifactory:
			// the HTTPS door it must redirect to, on the same host, is
			// checked too.
			main = Door{Role: RoleMain, Scheme: "https", Host: d.Host, Port: p.HTTPSPort}
			p.Doors = append(p.Doors, main)
		}
		p.addDocker(s, main, s.HTTPS.Enabled)
		return p, nil
	}
	d.MaybeRedirect = d.Scheme == "http"
	p.Doors = append(p.Doors, d)
	// Docker at the URL itself: whatever method, /v2/ answers there when
	// the door serves Docker at all.
	p.Doors = append(p.Doors, Door{Role: RoleDocker, Scheme: d.Scheme, Host: d.Host, Port: d.Port})
	return p, nil
}

// parseDoorURL reads what a user types for a door: http(s)://host[:port],
// optionally with / or /artifactory[/] (the path is where Artifactory is,
// always /artifactory for version 7).
func parseDoorURL(raw string) (Door, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return Door{}, fmt.Errorf("URL %q: %v", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return Door{}, fmt.Errorf("URL %q: give http:// or https:// and the host name clients use", raw)
	}
	if u.User != nil {
		return Door{}, fmt.Errorf("URL %q holds credentials: give --user NAME (the password from stdin or $%s), never in the URL", redact(u), PasswordEnv)
	}
	if u.Hostname() == "" {
		return Door{}, fmt.Errorf("URL %q has no host", raw)
	}
	switch strings.TrimSuffix(u.EscapedPath(), "/") {
	case "", "/artifactory":
	default:
		return Door{}, fmt.Errorf("URL %q: give the door's address only (https://HOST[:PORT]); the paths it serves are checked from there", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return Door{}, fmt.Errorf("URL %q: no query or fragment, the door's address only", raw)
	}
	d := Door{Role: RoleMain, Scheme: u.Scheme, Host: strings.ToLower(u.Hostname()), Port: defaultPort(u.Scheme)}
	if ps := u.Port(); ps != "" {
		port, err := strconv.Atoi(ps)
		if err != nil || port < 1 || port > 65535 {
			return Door{}, fmt.Errorf("URL %q: port %q is not 1-65535", raw, ps)
		}
		d.Port = port
	}
	return d, nil
}

// redact shows a URL without its password.
func redact(u *url.URL) string {
	c := *u
	if c.User != nil {
		c.User = url.User(c.User.Username())
	}
	return c.String()
}

// PasswordEnv holds the --user's password when --password-stdin is not given.
const PasswordEnv = "FRONTDOOR_CHECK_PASSWORD"

// Describe says what the plan covers, in a few words: "4 doors, 2 Docker
// repositories (subdomain)". `frontdoor check` and the wizard's Check say
// it alike.
func (p Plan) Describe() string {
	n := len(p.Endpoints())
	s := fmt.Sprintf("%d %s", n, plural(n, "door", "doors"))
	if n := len(p.Repos); n > 0 {
		s += fmt.Sprintf(", %d Docker %s", n, plural(n, "repository", "repositories"))
		if p.Method != "" {
			s += " (" + string(p.Method) + ")"
		}
	}
	return s
}

// Endpoints lists the distinct addresses clients type (scheme://host:port):
// doors that share one (a repository path on the main door) count once.
func (p Plan) Endpoints() []string {
	var out []string
	seen := map[string]bool{}
	for _, d := range p.Doors {
		if u := d.URL(); !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return out
}

// doorsOf returns the doors of one role.
func (p *Plan) doorsOf(role Role) []Door {
	var out []Door
	for _, d := range p.Doors {
		if d.Role == role {
			out = append(out, d)
		}
	}
	return out
}
