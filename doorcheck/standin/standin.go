// Package standin is a Go stand-in for Artifactory 7, for tests that put a
// real nginx or Apache (running frontdoor's snippet) between a client and
// "Artifactory". It listens where Artifactory's two ports are: the
// Artifactory port (8081: /artifactory/...) and the router port (8082: /ui/,
// the router's health, and /artifactory/... forwarded, as the real router
// does).
//
// What it answers, like Artifactory:
//   - GET /artifactory/api/system/ping: "OK";
//   - /ui/ (router): an HTML page; /router/api/v1/system/health: JSON;
//   - the Docker API per repository under /artifactory/api/docker/<key>/v2/...
//     (and the repository-path forms /artifactory/v2/... and the router's
//     /v2/...), with a real registry behind it (go-containerregistry's
//     pkg/registry, each key a namespace) and Artifactory's token flow: 401
//     with "WWW-Authenticate: Bearer realm=<base>/artifactory/api/docker/<key>/v2/token"
//     where <base> is X-JFrog-Override-Base-Url, a token endpoint that takes
//     Basic credentials, and requests that carry its tokens;
//   - an empty repository key (/artifactory/api/docker//v2/...) as
//     Artifactory does: 400 "Unsupported docker v2 repository request for 'null'";
//   - every answer carries X-JFrog-Version and X-Artifactory-Id, as
//     Artifactory's do;
//   - an upload session it does not know (frontdoor check's anonymous
//     probe PATCHes /v2/<name>/blobs/uploads/frontdoor-check-<hex>, chunked
//     and then with Content-Length, 2 MiB): 401 without credentials (an
//     anonymous user may not deploy, even with anonymous read access), 404
//     BLOB_UPLOAD_UNKNOWN with them, as the Docker Registry HTTP API v2
//     that Artifactory implements says; answered before the body is read,
//     nothing stored;
//   - connections are kept as Tomcat keeps them (conn.go): an answer goes
//     out before the request body is read, and the unread body (up to 2
//     MiB) is then swallowed, so the connection carries the next request.
//
// Where it differs from Artifactory (on purpose, or because Artifactory's
// behaviour is not documented well enough to copy):
//   - Without X-JFrog-Override-Base-Url the base URL is http://<Host header>
//     (a servlet behind a plain-HTTP proxy); X-Forwarded-Proto/Port are not
//     read. Artifactory may combine them; the realm is wrong either way on
//     HTTPS, which is what the tests need.
//   - Blob uploads are handled here, not by pkg/registry (which keeps every
//     upload in memory): bodies are hashed as they stream and kept only up
//     to KeepBytes; a larger completed blob is recorded by digest and size
//     but cannot be pulled. Upload Locations are absolute,
//     <base>/artifactory/api/docker/<key>/v2/<name>/blobs/uploads/<id>;
//     Artifactory's own form may differ (the check only requires absolute
//     ones to stay on the public scheme, host and port).
//   - Requests come straight to Tomcat's behaviour: Artifactory 7 puts its
//     router in front, whose handling of a body it does not read is not
//     documented; the check's probes send at most 2 MiB unasked, which
//     Tomcat swallows either way.
//   - One user (Config.User/Password), tokens that never expire, no
//     permissions model: the user may read and deploy everywhere.
//   - Unknown repository keys get 404 NAME_UNKNOWN; the repository-path ping
//     (/artifactory/v2/) answers with the realm <base>/v2/token, and the
//     global token endpoint is /artifactory/v2/token and
//     /artifactory/api/docker/null/v2/token.
package standin

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/registry"
)

// Version is what X-JFrog-Version says.
const Version = "Artifactory/7.104.0-standin"

// KeepBytes is how much of an upload is kept to be pulled later, unless
// Config.KeepBytes says otherwise.
const KeepBytes = 8 << 20

// Config says what the stand-in holds.
type Config struct {
	Keys           []string // Docker repositories
	User, Password string   // the one user ("" for none)
	Anonymous      bool     // anonymous read access (Artifactory's "Allow Anonymous Access")
	// KeepBytes bounds what is kept of an upload (0: KeepBytes; negative:
	// nothing, for tests that measure the client's memory).
	KeepBytes int64
}

// Server is one stand-in Artifactory.
type Server struct {
	cfg   Config
	reg   http.Handler
	blobs registry.BlobHandler

	mu      sync.Mutex
	tokens  map[string]bool
	uploads map[string]*upload
	servers []*http.Server
	hits    map[string]int // requests per path prefix, for tests
}

// New makes a stand-in; Start listens.
func New(cfg Config) *Server {
	s := &Server{cfg: cfg, tokens: map[string]bool{}, uploads: map[string]*upload{}, hits: map[string]int{}}
	s.blobs = registry.NewInMemoryBlobHandler()
	s.reg = registry.New(registry.WithBlobHandler(s.blobs), registry.Logger(log.New(io.Discard, "", 0)))
	return s
}

// Start listens on the two addresses (host:port, "" for a free loopback
// port) and returns the addresses it got. Listeners close at test cleanup.
func (s *Server) Start(t testing.TB, artifactoryAddr, routerAddr string) (artifactory, router string) {
	t.Helper()
	artifactory = s.listen(t, artifactoryAddr, s.Artifactory())
	router = s.listen(t, routerAddr, s.Router())
	t.Cleanup(s.Stop)
	return artifactory, router
}

func (s *Server) listen(t testing.TB, addr string, h http.Handler) string {
	t.Helper()
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("stand-in: %v", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	s.mu.Lock()
	s.servers = append(s.servers, srv)
	s.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
	return ln.Addr().String()
}

// Stop closes the listeners and every connection: Artifactory is down.
func (s *Server) Stop() {
	s.mu.Lock()
	servers := s.servers
	s.servers = nil
	s.mu.Unlock()
	for _, srv := range servers {
		_ = srv.Close()
	}
}

// Hits counts the requests whose path started with prefix.
func (s *Server) Hits(prefix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[prefix]
}

func (s *Server) count(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range []string{"/artifactory/api/system/ping", "/artifactory/api/docker/", "/ui/", "/v2/"} {
		if strings.HasPrefix(path, p) {
			s.hits[p]++
		}
	}
}

// jfrogHeaders marks an answer as Artifactory's.
func jfrogHeaders(w http.ResponseWriter) {
	w.Header().Set("X-JFrog-Version", Version)
	w.Header().Set("X-Artifactory-Id", "standin")
	w.Header().Set("X-Artifactory-Node-Id", "standin-node")
}

// Artifactory is the handler of the Artifactory port: /artifactory/...
func (s *Server) Artifactory() http.Handler {
	return tomcatConn(s.artifactory())
}

func (s *Server) artifactory() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		jfrogHeaders(w)
		path := r.URL.EscapedPath() // %2F stays %2F: Artifactory sees what the door sent
		s.count(path)
		switch {
		case path == "/artifactory/api/system/ping":
			w.Header().Set("Content-Type", "text/plain")
			_, _ = io.WriteString(w, "OK")
		case strings.HasPrefix(path, "/artifactory/api/docker/"):
			key, rest, _ := strings.Cut(strings.TrimPrefix(path, "/artifactory/api/docker/"), "/")
			if key == "v2" && !slices.Contains(s.cfg.Keys, "v2") { // the key left out altogether
				key, rest = "", "v2/"+rest
			}
			version, rest, _ := strings.Cut(rest, "/")
			if version != "v2" {
				apiError(w, http.StatusBadRequest, "UNSUPPORTED", "Unsupported docker request")
				return
			}
			s.docker(w, r, key, rest, false)
		case path == "/artifactory/v2" || strings.HasPrefix(path, "/artifactory/v2/"):
			s.repoPath(w, r, strings.TrimPrefix(strings.TrimPrefix(path, "/artifactory/v2"), "/"))
		default:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"errors":[{"status":404,"message":"Not Found"}]}`)
		}
	})
}

// Router is the handler of the router port: the UI and the router's own
// API, and everything under /artifactory/ forwarded to Artifactory.
func (s *Server) Router() http.Handler {
	art := s.artifactory()
	return tomcatConn(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.EscapedPath()
		switch {
		case strings.HasPrefix(path, "/artifactory/"):
			art.ServeHTTP(w, r)
			return
		case path == "/v2" || strings.HasPrefix(path, "/v2/"):
			jfrogHeaders(w)
			s.count(path)
			s.repoPath(w, r, strings.TrimPrefix(strings.TrimPrefix(path, "/v2"), "/"))
			return
		}
		jfrogHeaders(w)
		s.count(path)
		switch path {
		case "/ui/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = io.WriteString(w, "<!doctype html><title>JFrog Platform (stand-in)</title>\n")
		case "/", "/ui":
			http.Redirect(w, r, "/ui/", http.StatusFound)
		case "/router/api/v1/system/health":
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"router":{"state":"HEALTHY"}}`)
		default:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"errors":[{"status":404,"message":"Not Found"}]}`)
		}
	}))
}

// repoPath serves the repository-path forms: "" (the ping), "token", and
// "<key>/<name>/..." for a repository.
func (s *Server) repoPath(w http.ResponseWriter, r *http.Request, rest string) {
	switch {
	case rest == "":
		if !s.authorized(r) {
			s.challenge(w, r, baseURL(r)+"/v2/token")
			return
		}
		w.Header().Set("Docker-Distribution-Api-Version", "registry/2.0")
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, "{}")
	case rest == "token":
		s.token(w, r)
	default:
		key, more, _ := strings.Cut(rest, "/")
		s.docker(w, r, key, more, true)
	}
}

// docker serves one repository's Docker API: rest is what follows /v2/.
func (s *Server) docker(w http.ResponseWriter, r *http.Request, key, rest string, repoPath bool) {
	switch {
	case key == "" || key == "null" && rest != "token":
		apiError(w, http.StatusBadRequest, "", "Unsupported docker v2 repository request for 'null'")
		return
	case key == "null" || rest == "token":
		s.token(w, r)
		return
	case !slices.Contains(s.cfg.Keys, key):
		apiError(w, http.StatusNotFound, "NAME_UNKNOWN", "Repository "+key+" not found")
		return
	}
	if !s.authorized(r) {
		realm := baseURL(r) + "/artifactory/api/docker/" + key + "/v2/token"
		if repoPath {
			realm = baseURL(r) + "/v2/token"
		}
		s.challenge(w, r, realm)
		return
	}
	if name, id, ok := uploadPath(rest); ok {
		s.upload(w, r, key, name, id)
		return
	}
	// Everything else to the real registry, with the key as a namespace.
	r2 := r.Clone(r.Context())
	r2.URL = &url.URL{Path: "/v2/" + key + "/" + strings.TrimPrefix(rest, "/"), RawQuery: r.URL.RawQuery}
	if rest == "" {
		r2.URL.Path = "/v2/"
	}
	r2.RequestURI = r2.URL.RequestURI()
	s.reg.ServeHTTP(w, r2)
}

// baseURL is what Artifactory builds its URLs on.
func baseURL(r *http.Request) string {
	if v := strings.TrimRight(r.Header.Get("X-JFrog-Override-Base-Url"), "/"); v != "" {
		if u, err := url.Parse(v); err == nil && u.Host != "" {
			return v
		}
	}
	return "http://" + r.Host
}

func (s *Server) authorized(r *http.Request) bool {
	auth := r.Header.Get("Authorization")
	if tok, ok := strings.CutPrefix(auth, "Bearer "); ok {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.tokens[tok]
	}
	if user, pw, ok := r.BasicAuth(); ok {
		return s.cfg.User != "" && user == s.cfg.User && pw == s.cfg.Password
	}
	return s.cfg.Anonymous && (r.Method == http.MethodGet || r.Method == http.MethodHead)
}

func (s *Server) challenge(w http.ResponseWriter, r *http.Request, realm string) {
	service := r.Host
	if u, err := url.Parse(realm); err == nil {
		service = u.Host
	}
	w.Header().Set("Docker-Distribution-Api-Version", "registry/2.0")
	w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer realm=%q,service=%q`, realm, service))
	apiError(w, http.StatusUnauthorized, "UNAUTHORIZED", "authentication required")
}

// token is the token endpoint: Basic credentials (or anonymous access) buy
// a token.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	user, pw, basic := r.BasicAuth()
	switch {
	case basic && s.cfg.User != "" && user == s.cfg.User && pw == s.cfg.Password:
	case !basic && s.cfg.Anonymous:
	default:
		w.Header().Set("WWW-Authenticate", `Basic realm="Artifactory Realm"`)
		apiError(w, http.StatusUnauthorized, "", "Bad credentials")
		return
	}
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	tok := base64.RawURLEncoding.EncodeToString(b)
	s.mu.Lock()
	s.tokens[tok] = true
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"token": tok, "expires_in": 3600, "issued_at": time.Now().UTC().Format(time.RFC3339)})
}

// apiError answers as Artifactory does: JSON errors.
func apiError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	e := map[string]any{"status": status, "message": message}
	if code != "" {
		e["code"] = code
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []any{e}})
}
