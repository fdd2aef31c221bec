package kubecheck

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Request is one client request, as the end-to-end tests send it.
type Request struct {
	Scheme string // http or https
	Host   string // without the port
	Port   int    // the port the client connected to
	Path   string // as sent, still escaped
	Query  string // without '?'
}

// Result is where a request went: a redirect answered by the proxy, or a
// Service it was sent to, with the URI and the request headers the
// configuration set or removed. Status 404 means nothing matched.
type Result struct {
	Status   int    // 0 when proxied
	Location string // for redirects
	Service  string
	Port     int
	URI      string            // path and query as sent upstream
	Set      map[string]string // headers the configuration sets (canonical names)
	Removed  []string          // headers the configuration removes
}

// URL is the request's URL as the client typed it.
func (r Request) URL() string {
	u := url.URL{Scheme: r.Scheme, Host: r.Host + ":" + strconv.Itoa(r.Port), RawQuery: r.Query}
	u.RawPath = r.Path
	u.Path, _ = url.PathUnescape(r.Path)
	return u.String()
}

// decodedPath is the path as nginx matches it ($uri): percent-decoded.
func (r Request) decodedPath() string {
	p, err := url.PathUnescape(r.Path)
	if err != nil {
		return r.Path
	}
	return p
}

func (r Request) uri(path string) string {
	if r.Query == "" {
		return path
	}
	return path + "?" + r.Query
}

// hostMatches reports whether a configured host (exact, or "*." and one
// label) matches the request's host, case-insensitively.
func hostMatches(pattern, host string) bool {
	pattern, host = strings.ToLower(pattern), strings.ToLower(host)
	if rest, ok := strings.CutPrefix(pattern, "*."); ok {
		i := strings.IndexByte(host, '.')
		return i > 0 && host[i+1:] == rest
	}
	return pattern == host
}

func canonical(h string) string { return http.CanonicalHeaderKey(h) }
