package render

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"testing"

	crossplane "github.com/nginxinc/nginx-go-crossplane"
)

// TestNginxStructure parses each nginx matrix case as nginx would
// (crossplane) and checks the directive tree against the settings.
func TestNginxStructure(t *testing.T) {
	for _, c := range matrixCases() {
		if c.s.Provider != Nginx {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			out := mustRender(t, &c.s)
			http, err := parseNginxSnippet(out)
			if err != nil {
				t.Fatalf("crossplane: %v\n%s", err, numbered(out))
			}
			checkNginxTree(t, &c.s, http)
		})
	}
}

func checkNginxTree(t tb, s *Settings, http crossplane.Directives) {
	t.Helper()
	// http level: the stock nginx.conf sets ssl_protocols there, so a
	// snippet that sets TLS (or anything else) at that level collides.
	for _, d := range http {
		switch d.Directive {
		case "upstream", "map", "server":
		default:
			t.Errorf("%s at http level (line %d): only upstream, map and server belong there", d.Directive, d.Line)
		}
	}
	walk(http, nil, func(d *crossplane.Directive, ctx []string) {
		if strings.HasPrefix(d.Directive, "ssl_") && !slices.Equal(ctx, []string{"server"}) {
			t.Errorf("%s in %v (line %d): TLS directives belong directly in server blocks", d.Directive, ctx, d.Line)
		}
		if d.Directive == "http2" {
			t.Errorf("http2 directive (line %d): needs nginx 1.25.1, Debian 12 has 1.22", d.Line)
		}
	})

	checkNginxUpstreams(t, s, named(http, "upstream"))
	checkNginxMaps(t, s, named(http, "map"))

	var redirect, main, docker *crossplane.Directive
	for _, srv := range named(http, "server") {
		switch {
		case named(srv.Block, "return") != nil:
			redirect = srv
		case strings.Contains(strings.Join(argsOf(named(srv.Block, "rewrite")), " "), "$frontdoor_docker_repo"):
			docker = srv
		default:
			if main != nil {
				t.Fatalf("two main server blocks (lines %d and %d)", main.Line, srv.Line)
			}
			main = srv
		}
	}
	if main == nil {
		t.Fatal("no main server block")
	}
	wantServers := 1
	if s.HTTP.Enabled && s.HTTP.RedirectToHTTPS {
		wantServers++
		checkNginxRedirect(t, s, redirect)
	} else if redirect != nil {
		t.Errorf("redirect server (line %d) without redirectToHttps", redirect.Line)
	}
	if s.Docker.Method == DockerPorts {
		wantServers++
		if docker == nil {
			t.Fatal("ports method: no server block for the Docker ports")
		}
	}
	if got := len(named(http, "server")); got != wantServers {
		t.Errorf("%d server blocks, want %d", got, wantServers)
	}

	// Main server: its listeners and names.
	var wantListen [][]string
	if s.HTTP.Enabled && !s.HTTP.RedirectToHTTPS {
		wantListen = append(wantListen, []string{strconv.Itoa(s.HTTP.Port)})
	}
	if s.HTTPS.Enabled {
		wantListen = append(wantListen, []string{strconv.Itoa(s.HTTPS.Port), "ssl"})
	}
	if got := listens(main); !slices.EqualFunc(got, wantListen, slices.Equal) {
		t.Errorf("main server listens %v, want %v", got, wantListen)
	}
	names := args(t, main.Block, "server_name")
	if want := nginxServerNameArg(s.ServerName); len(names) == 0 || names[0] != want {
		t.Errorf("server_name %v, want %s first", names, want)
	}
	checkNginxTLS(t, s, main)
	checkNginxProxy(t, s, main, false)

	if docker != nil {
		var want [][]string
		for _, r := range s.Docker.Repositories {
			l := []string{strconv.Itoa(r.Port)}
			if s.HTTPS.Enabled {
				l = append(l, "ssl")
			}
			want = append(want, l)
		}
		if got := listens(docker); !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("Docker ports server listens %v, want %v", got, want)
		}
		checkNginxTLS(t, s, docker)
		checkNginxProxy(t, s, docker, true)
	}

	checkNginxDockerMethod(t, s, http, main, names)
}

func checkNginxUpstreams(t tb, s *Settings, ups crossplane.Directives) {
	t.Helper()
	want := map[string]int{"artifactory": s.RouterPort, "artifactory-direct": s.ArtifactoryPort}
	if len(ups) != len(want) {
		t.Errorf("%d upstream blocks, want %d", len(ups), len(want))
	}
	for _, up := range ups {
		port, ok := want[up.Args[0]]
		if !ok {
			t.Errorf("unexpected upstream %s", up.Args[0])
			continue
		}
		servers := named(up.Block, "server")
		if len(servers) != len(s.Nodes) {
			t.Errorf("upstream %s has %d servers, want one per node (%d)", up.Args[0], len(servers), len(s.Nodes))
			continue
		}
		for i, srv := range servers {
			host, _ := NormalizeNode(s.Nodes[i])
			if want := host + ":" + strconv.Itoa(port); srv.Args[0] != want {
				t.Errorf("upstream %s server %d is %s, want %s", up.Args[0], i, srv.Args[0], want)
			}
			// One node is never marked down (its name may be several
			// addresses, all of which nginx could take out); with HA a node
			// goes out after 3 failures, not one stray error.
			want := []string{srv.Args[0], "max_fails=0"}
			if s.IsHA() {
				want = []string{srv.Args[0], "max_fails=3", "fail_timeout=10s"}
			}
			if !slices.Equal(srv.Args, want) {
				t.Errorf("upstream %s server %v, want %v", up.Args[0], srv.Args, want)
			}
		}
	}
}

func checkNginxMaps(t tb, s *Settings, maps crossplane.Directives) {
	t.Helper()
	byVar := map[string]*crossplane.Directive{}
	for _, m := range maps {
		byVar[m.Args[1]] = m
	}
	// Behind a load balancer whose scheme the settings give, that scheme
	// is sent, whatever a client says.
	if m := byVar["$frontdoor_forwarded_proto"]; (m == nil || m.Args[0] != "$http_x_forwarded_proto") != (s.Public.Scheme != "") {
		t.Errorf("map for $frontdoor_forwarded_proto from $http_x_forwarded_proto: %v, with public scheme %q", m, s.Public.Scheme)
	}
	cert := byVar["$frontdoor_client_cert"]
	if !s.MTLS.Enabled {
		if cert != nil {
			t.Error("client-certificate map without mTLS")
		}
	} else {
		// Only a certificate nginx verified may reach the upstream; never
		// FAILED, NONE or the optional_no_ca variants.
		want := map[string]string{"default": "", "SUCCESS": "$ssl_client_escaped_cert"}
		if cert == nil || cert.Args[0] != "$ssl_client_verify" || !mapsEqual(mapEntries(cert), want) {
			t.Errorf("client-certificate map %v, want %v from $ssl_client_verify", cert, want)
		}
	}
	ports := byVar["$frontdoor_docker_repo"]
	if s.Docker.Method != DockerPorts {
		if ports != nil {
			t.Error("Docker port map without the ports method")
		}
		return
	}
	want := map[string]string{}
	for _, r := range s.Docker.Repositories {
		want[strconv.Itoa(r.Port)] = r.Key
	}
	if ports == nil || ports.Args[0] != "$server_port" {
		t.Fatal("ports method: no map from $server_port to $frontdoor_docker_repo")
	}
	if got := mapEntries(ports); !mapsEqual(got, want) {
		t.Errorf("Docker port map %v, want %v", got, want)
	}
}

func checkNginxRedirect(t tb, s *Settings, srv *crossplane.Directive) {
	t.Helper()
	if srv == nil {
		t.Fatal("redirectToHttps: no redirect server")
	}
	if got, want := listens(srv), [][]string{{strconv.Itoa(s.HTTP.Port)}}; !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("redirect server listens %v, want %v", got, want)
	}
	port := ""
	if p := cmp.Or(s.Public.EffectivePort(), s.HTTPS.Port); p != 443 {
		port = ":" + strconv.Itoa(p)
	}
	if got, want := args(t, srv.Block, "return"), []string{"308", "https://$host" + port + "$request_uri"}; !slices.Equal(got, want) {
		t.Errorf("redirect: return %v, want %v", got, want)
	}
	for _, d := range srv.Block {
		if d.Directive != "listen" && d.Directive != "server_name" && d.Directive != "return" {
			t.Errorf("redirect server has %s (line %d): it should only redirect", d.Directive, d.Line)
		}
	}
}

func checkNginxTLS(t tb, s *Settings, srv *crossplane.Directive) {
	t.Helper()
	tls := false
	for _, l := range listens(srv) {
		tls = tls || slices.Contains(l, "ssl")
	}
	if !tls {
		for _, d := range srv.Block {
			if strings.HasPrefix(d.Directive, "ssl_") {
				t.Errorf("%s in a server without TLS listeners (line %d)", d.Directive, d.Line)
			}
		}
		return
	}
	want := map[string][]string{
		"ssl_certificate":           {s.HTTPS.Certificate},
		"ssl_certificate_key":       {s.HTTPS.Key},
		"ssl_prefer_server_ciphers": {"off"},
		"ssl_protocols":             {"TLSv1.2", "TLSv1.3"},
	}
	if s.HTTPS.TLSProfile == TLSModern {
		want["ssl_protocols"] = []string{"TLSv1.3"}
	}
	if s.MTLS.Enabled {
		want["ssl_client_certificate"] = []string{s.MTLS.ClientCA}
		want["ssl_verify_client"] = []string{map[bool]string{false: "optional", true: "on"}[s.MTLS.Required]}
		want["ssl_verify_depth"] = []string{strconv.Itoa(s.MTLS.VerifyDepth)}
	}
	for name, w := range want {
		if got := args(t, srv.Block, name); !slices.Equal(got, w) {
			t.Errorf("server line %d: %s %v, want %v", srv.Line, name, got, w)
		}
	}
	if !s.MTLS.Enabled && named(srv.Block, "ssl_verify_client") != nil {
		t.Error("ssl_verify_client without mTLS")
	}
	if ciphers := args(t, srv.Block, "ssl_ciphers"); (s.HTTPS.TLSProfile == TLSModern) != (ciphers == nil) {
		t.Errorf("ssl_ciphers %v with the %s profile", ciphers, s.HTTPS.TLSProfile)
	}
}

// checkNginxProxy checks a server that proxies; dockerPorts: the Docker
// ports method's, which reports its own port behind a load balancer too.
func checkNginxProxy(t tb, s *Settings, srv *crossplane.Directive, dockerPorts bool) {
	t.Helper()
	for name, want := range map[string]string{
		"client_max_body_size": "0", "proxy_request_buffering": "off", "proxy_http_version": "1.1", "chunked_transfer_encoding": "on",
	} {
		if got := args(t, srv.Block, name); !slices.Equal(got, []string{want}) {
			t.Errorf("server line %d: %s %v, want %s (uploads, Docker layers)", srv.Line, name, got, want)
		}
	}
	if s.IsHA() != (named(srv.Block, "proxy_next_upstream") != nil) {
		t.Errorf("server line %d: proxy_next_upstream must be set exactly when there are several nodes", srv.Line)
	}
	var root *crossplane.Directive
	for _, l := range named(srv.Block, "location") {
		if slices.Equal(l.Args, []string{"/"}) {
			root = l
		}
	}
	if root == nil {
		t.Fatalf("server line %d: no location /", srv.Line)
	}
	if got := args(t, root.Block, "proxy_pass"); !slices.Equal(got, []string{"http://artifactory"}) {
		t.Errorf("location / proxy_pass %v, want the router upstream", got)
	}
	headers := map[string]string{}
	for _, h := range named(root.Block, "proxy_set_header") {
		if _, dup := headers[strings.ToLower(h.Args[0])]; dup {
			t.Errorf("header %s set twice", h.Args[0])
		}
		headers[strings.ToLower(h.Args[0])] = h.Args[1]
	}
	proto, port := cmp.Or(s.Public.Scheme, "$frontdoor_forwarded_proto"), "$server_port"
	if p := s.Public.EffectivePort(); p != 0 && !dockerPorts {
		port = strconv.Itoa(p)
	}
	want := map[string]string{
		"host":              "$http_host",
		"x-forwarded-proto": proto,
		"x-forwarded-for":   "$proxy_add_x_forwarded_for",
		"x-forwarded-port":  port,
	}
	if s.OverrideBaseURLHeader {
		want["x-jfrog-override-base-url"] = proto + "://$host:" + port
	}
	// Behind a load balancer, nginx's own redirects (/ to /ui/) must not
	// name this server's scheme and port: they stay relative.
	relative := s.Public.Scheme != "" || s.Public.IsSet() && !dockerPorts
	if got := args(t, srv.Block, "absolute_redirect"); relative != slices.Equal(got, []string{"off"}) {
		t.Errorf("server line %d: absolute_redirect %v, with public %+v", srv.Line, got, s.Public)
	}
	if s.MTLS.Enabled {
		// Set on every request, from the verified-only map: a client's own
		// header is always replaced (or removed when the map gives "").
		want[strings.ToLower(s.MTLS.Header)] = "$frontdoor_client_cert"
	}
	for h, v := range want {
		if headers[h] != v {
			t.Errorf("location /: header %s = %q, want %q", h, headers[h], v)
		}
	}
	if _, ok := headers["x-jfrog-override-base-url"]; ok && !s.OverrideBaseURLHeader {
		t.Error("override header set although overrideBaseUrlHeader is off")
	}
	nested := named(root.Block, "location")
	if len(nested) != 1 || !slices.Equal(nested[0].Args, []string{"~", "^/artifactory/"}) {
		t.Fatalf("location / must nest exactly location ~ ^/artifactory/, has %v", argsOf(nested))
	}
	if got := args(t, nested[0].Block, "proxy_pass"); !slices.Equal(got, []string{"http://artifactory-direct"}) {
		t.Errorf("/artifactory/ proxy_pass %v, want the Artifactory upstream", got)
	}
	// A proxy_set_header here would replace all inherited ones, dropping
	// X-Forwarded-Proto and the mTLS header that strips forged certificates.
	if named(nested[0].Block, "proxy_set_header") != nil {
		t.Error("the nested /artifactory/ location sets headers, which discards the inherited ones")
	}
}

func checkNginxDockerMethod(t tb, s *Settings, http crossplane.Directives, main *crossplane.Directive, serverNames []string) {
	t.Helper()
	var guarded, unguarded []*crossplane.Directive
	walk(http, nil, func(d *crossplane.Directive, ctx []string) {
		if d.Directive != "rewrite" || !strings.Contains(d.Args[1], "/api/docker/") && !strings.HasPrefix(d.Args[1], "/artifactory/") {
			return
		}
		if ctx[len(ctx)-1] == "if" {
			guarded = append(guarded, d)
		} else {
			unguarded = append(unguarded, d)
		}
	})
	repoTargets := func(ds []*crossplane.Directive) (out []string) {
		for _, d := range ds {
			out = append(out, d.Args[1])
		}
		return out
	}
	switch s.Docker.Method {
	case DockerSubdomain:
		if len(serverNames) != 2 || !strings.Contains(serverNames[1], "(?<docker_repo>") {
			t.Errorf("subdomain: server_name %v lacks the regex capturing docker_repo", serverNames)
		}
		ifs := named(main.Block, "if")
		if len(ifs) != 1 || !slices.Equal(ifs[0].Args, []string{"$docker_repo", "!=", ""}) {
			t.Errorf("subdomain: want one if ($docker_repo != \"\") guard, have %v", argsOf(ifs))
		}
		if len(guarded) != 1 || !strings.Contains(guarded[0].Args[1], "/api/docker/$docker_repo/") || len(unguarded) != 0 {
			t.Errorf("subdomain: Docker rewrites guarded %v, unguarded %v; want one, inside the guard", repoTargets(guarded), repoTargets(unguarded))
		}
	case DockerPorts:
		if len(unguarded) != 1 || !strings.Contains(unguarded[0].Args[1], "/api/docker/$frontdoor_docker_repo/") {
			t.Errorf("ports: Docker rewrites %v, want one to /api/docker/$frontdoor_docker_repo/", repoTargets(unguarded))
		}
	case DockerRepositoryPath:
		found := false
		for _, d := range named(main.Block, "rewrite") {
			found = found || d.Args[0] == "^/(v2)/(.*)$" && d.Args[1] == "/artifactory/$1/$2"
		}
		if !found {
			t.Errorf("repositoryPath: no rewrite ^/(v2)/(.*)$ /artifactory/$1/$2 in the main server")
		}
	case DockerNone:
		if len(guarded)+len(unguarded) != 0 {
			t.Errorf("no Docker method, yet rewrites %v", repoTargets(append(guarded, unguarded...)))
		}
	}
	if s.Docker.Method != DockerSubdomain && (len(serverNames) != 1 || named(main.Block, "if") != nil) {
		t.Errorf("server_name %v / if blocks belong to the subdomain method only", serverNames)
	}
}

// TestNginxCheckersCatch feeds the structural checks snippets with the
// mistakes they exist for: a check that cannot fail proves nothing.
func TestNginxCheckersCatch(t *testing.T) {
	base := goldenSettings(Nginx, DockerSubdomain, redirectTo, 2, true)
	good := string(mustRender(t, &base))
	ports := goldenSettings(Nginx, DockerPorts, httpsOnly, 1, true)
	goodPorts := string(mustRender(t, &ports))
	cases := []struct {
		name     string
		s        *Settings
		out      string
		from, to string
		want     string
	}{
		{"TLS at http level", &base, good, "upstream artifactory {", "ssl_session_timeout 1d;\nupstream artifactory {", "http level"},
		{"header in nested location", &base, good, "proxy_pass http://artifactory-direct;", "proxy_pass http://artifactory-direct; proxy_set_header Host $host;", "discards the inherited"},
		{"unguarded subdomain rewrite", &base, good, "if ($docker_repo != \"\") {", "rewrite ^/(v1|v2)/(.*) /artifactory/api/docker/$docker_repo/$1/$2 break;\n    if ($docker_repo != \"\") {", "inside the guard"},
		{"forged certificate passes", &base, good, "default \"\";", "default $http_x_jfrog_client_cert;", "client-certificate map"},
		{"unverified certificate passes", &base, good, "SUCCESS $ssl_client_escaped_cert;", "SUCCESS $ssl_client_escaped_cert;\n    FAILED:x $ssl_client_escaped_cert;", "client-certificate map"},
		{"mTLS header missing", &base, good, "proxy_set_header X-JFrog-Client-Cert $frontdoor_client_cert;", "", "x-jfrog-client-cert"},
		{"TLS in redirect server", &base, good, "return 308", "ssl_certificate_key /x; return 308", "only redirect"},
		{"wrong Docker port", &ports, goodPorts, "5002 docker-remote;", "5002 docker-local;", "Docker port map"},
		{"Docker port without TLS", &ports, goodPorts, "listen 5003 ssl;", "listen 5003;", "Docker ports server listens"},
		{"unknown directive", &base, good, "client_max_body_size 0;", "client_max_body_size 0; proxy_bogus on;", "crossplane"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			broken := strings.Replace(c.out, c.from, c.to, 1)
			if broken == c.out {
				t.Fatalf("%q not found in the output: update the test", c.from)
			}
			msgs := complaints(func(t tb) {
				http, err := parseNginxSnippet([]byte(broken))
				if err != nil {
					t.Fatalf("crossplane: %v", err)
				}
				checkNginxTree(t, c.s, http)
			})
			if !strings.Contains(strings.ToLower(strings.Join(msgs, "\n")), strings.ToLower(c.want)) {
				t.Errorf("checks reported %q, want a complaint mentioning %q", msgs, c.want)
			}
		})
	}
}
