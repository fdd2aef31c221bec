package render

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// apacheLine is one directive of a snippet, with the sections around it.
type apacheLine struct {
	line int
	args []string // args[0] is the directive, "<VirtualHost" for a section
	ctx  []string // enclosing sections, outermost first, e.g. ["VirtualHost"]
}

// apacheSection is a <Section ...> block and the directives inside it.
type apacheSection struct {
	name  string // "VirtualHost", "Proxy", "IfModule"
	args  []string
	line  int
	lines []apacheLine // directly inside, nested sections excluded
}

// apacheFields splits a directive line like Apache does: on blanks, with
// double-quoted arguments kept whole (quotes removed).
func apacheFields(s string) []string {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '"' {
			end := strings.IndexByte(s[1:], '"')
			if end < 0 {
				return append(out, s)
			}
			out = append(out, s[1:end+1])
			s = s[end+2:]
			continue
		}
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			end = len(s)
		}
		out = append(out, s[:end])
		s = s[end:]
	}
	return out
}

// parseApacheSnippet checks that sections nest and close, and returns every
// directive line and every section.
func parseApacheSnippet(snippet []byte) ([]apacheLine, []*apacheSection, error) {
	var (
		lines    []apacheLine
		sections []*apacheSection
		stack    []*apacheSection
	)
	for i, text := range strings.Split(string(snippet), "\n") {
		text = strings.TrimSpace(text)
		if text == "" || text[0] == '#' {
			continue
		}
		f := apacheFields(text)
		ctx := make([]string, len(stack))
		for j, s := range stack {
			ctx[j] = s.name
		}
		switch {
		case strings.HasPrefix(f[0], "</"):
			name := strings.TrimSuffix(strings.TrimPrefix(f[0], "</"), ">")
			if len(stack) == 0 || stack[len(stack)-1].name != name {
				return nil, nil, fmt.Errorf("line %d: %s closes nothing open", i+1, f[0])
			}
			stack = stack[:len(stack)-1]
			continue
		case strings.HasPrefix(f[0], "<"):
			if !strings.HasSuffix(text, ">") {
				return nil, nil, fmt.Errorf("line %d: section without '>'", i+1)
			}
			f = apacheFields(strings.TrimSuffix(text, ">"))
			sec := &apacheSection{name: f[0][1:], args: f[1:], line: i + 1}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.lines = append(parent.lines, apacheLine{i + 1, f, ctx})
			}
			sections = append(sections, sec)
			stack = append(stack, sec)
			lines = append(lines, apacheLine{i + 1, f, ctx})
			continue
		}
		l := apacheLine{i + 1, f, ctx}
		lines = append(lines, l)
		if len(stack) > 0 {
			stack[len(stack)-1].lines = append(stack[len(stack)-1].lines, l)
		}
	}
	if len(stack) > 0 {
		return nil, nil, fmt.Errorf("<%s> from line %d is never closed", stack[len(stack)-1].name, stack[len(stack)-1].line)
	}
	return lines, sections, nil
}

func (s *apacheSection) all(directive string) [][]string {
	var out [][]string
	for _, l := range s.lines {
		if strings.EqualFold(l.args[0], directive) {
			out = append(out, l.args[1:])
		}
	}
	return out
}

func (s *apacheSection) ports() []int {
	var out []int
	for _, a := range s.args {
		p, _ := strconv.Atoi(a[strings.LastIndexByte(a, ':')+1:])
		out = append(out, p)
	}
	return out
}

func TestApacheStructure(t *testing.T) {
	for _, c := range matrixCases() {
		if c.s.Provider != Apache {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			out := mustRender(t, &c.s)
			checkApache(t, &c.s, out)
		})
	}
}

func checkApache(t tb, s *Settings, out []byte) {
	t.Helper()
	lines, sections, err := parseApacheSnippet(out)
	if err != nil {
		t.Fatalf("%v\n%s", err, numbered(out))
	}
	var vhosts []*apacheSection
	for _, sec := range sections {
		if sec.name == "VirtualHost" {
			vhosts = append(vhosts, sec)
		}
	}
	for _, l := range lines {
		if len(l.ctx) == 0 && !slices.Contains([]string{"Listen", "<VirtualHost", "<Proxy", "<IfModule"}, l.args[0]) {
			t.Errorf("line %d: %s outside any VirtualHost would change the whole server", l.line, l.args[0])
		}
	}
	checkApacheListen(t, s, lines, vhosts)
	checkApacheRevision(t, out, sections)

	for _, vh := range vhosts {
		ports := vh.ports()
		main := s.HTTP.Enabled && slices.Contains(ports, s.HTTP.Port) || s.HTTPS.Enabled && slices.Contains(ports, s.HTTPS.Port)
		isDocker := s.Docker.Method == DockerPorts && !main
		tls := s.HTTPS.Enabled && (slices.Contains(ports, s.HTTPS.Port) || isDocker)
		where := fmt.Sprintf("VirtualHost %v (line %d)", vh.args, vh.line)
		redirecting := s.HTTP.Enabled && s.HTTP.RedirectToHTTPS && slices.Contains(ports, s.HTTP.Port)
		if want := apacheServerName(s, isDocker, redirecting); len(vh.all("ServerName")) != 1 || vh.all("ServerName")[0][0] != want {
			t.Errorf("%s: ServerName %v, want %s", where, vh.all("ServerName"), want)
		}
		if tls != (len(vh.all("SSLEngine")) == 1) {
			t.Errorf("%s: SSLEngine must be on exactly in the HTTPS hosts (TLS expected: %v)", where, tls)
		}
		if tls {
			checkApacheTLS(t, s, vh, where)
		} else if slices.ContainsFunc(vh.lines, func(l apacheLine) bool { return strings.HasPrefix(l.args[0], "SSL") }) {
			t.Errorf("%s: SSL directives in a plain-HTTP host", where)
		}
		if s.Docker.Method == DockerSubdomain && !isDocker {
			if got := vh.all("ServerAlias"); len(got) != 1 || got[0][0] != "*."+s.ServerName {
				t.Errorf("%s: subdomain method needs ServerAlias *.%s, have %v", where, s.ServerName, got)
			}
		}
		if redirecting {
			checkApacheRedirect(t, s, vh, where)
			continue
		}
		checkApacheProxy(t, s, vh, where, isDocker)
	}
}

// checkApacheRevision: each revision marker answers the file's own
// revision to this machine only (Require local: others get 403, which a
// test on loopback cannot see), and nothing else is in its <Location>.
func checkApacheRevision(t tb, out []byte, sections []*apacheSection) {
	t.Helper()
	rev := Revision(out)
	if rev == "" {
		t.Errorf("no revision stamped in the output")
	}
	want := [][]string{{"Require", "local"}, {"Redirect", "200"}, {"ErrorDocument", "200", "frontdoor revision " + rev}}
	for _, sec := range sections {
		if sec.name != "Location" {
			continue
		}
		var got [][]string
		for _, l := range sec.lines {
			got = append(got, l.args)
		}
		if !slices.Equal(sec.args, []string{RevisionPath}) || !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("<Location %v> (line %d): %v, want the revision marker %v", sec.args, sec.line, got, want)
		}
	}
}

// checkApacheListen: Debian's ports.conf has `Listen 80` and, under
// <IfModule ssl_module>, `Listen 443`. A repeat fails `apache2ctl -t`; a
// missing Listen passes it but leaves the VirtualHost unreachable.
func checkApacheListen(t tb, s *Settings, lines []apacheLine, vhosts []*apacheSection) {
	t.Helper()
	listen := map[int]int{}
	guarded443 := false
	for _, l := range lines {
		if l.args[0] != "Listen" {
			continue
		}
		p, err := strconv.Atoi(l.args[1])
		if err != nil || len(l.args) != 2 {
			t.Errorf("line %d: Listen %v: want one port", l.line, l.args[1:])
			continue
		}
		if p == 443 && slices.Equal(l.ctx, []string{"IfModule", "IfModule"}) {
			guarded443 = true
			continue
		}
		if len(l.ctx) != 0 {
			t.Errorf("line %d: Listen %d inside %v", l.line, p, l.ctx)
		}
		listen[p]++
	}
	used := map[int]bool{}
	for _, vh := range vhosts {
		for _, p := range vh.ports() {
			used[p] = true
		}
	}
	for p, n := range listen {
		switch {
		case n > 1:
			t.Errorf("Listen %d appears %d times", p, n)
		case p == 80 || p == 443:
			t.Errorf("Listen %d repeats Debian's ports.conf: apache2ctl -t fails", p)
		case !used[p]:
			t.Errorf("Listen %d but no VirtualHost on it", p)
		}
	}
	for p := range used {
		switch {
		case p == 80:
		case p == 443 && s.HTTPS.Enabled: // the snippet needs mod_ssl, so ports.conf listens
		case p == 443:
			if !guarded443 {
				t.Errorf("a plain VirtualHost uses 443: it needs Listen 443 guarded by <IfModule !ssl_module>")
			}
		case listen[p] == 0:
			t.Errorf("VirtualHost on port %d has no Listen: it would never receive a request", p)
		}
	}
	if guarded443 && !used[443] {
		t.Error("guarded Listen 443 but no VirtualHost on 443")
	}
}

func checkApacheTLS(t tb, s *Settings, vh *apacheSection, where string) {
	t.Helper()
	want := map[string][]string{
		"SSLCertificateFile":    {s.HTTPS.Certificate},
		"SSLCertificateKeyFile": {s.HTTPS.Key},
		"SSLProtocol":           {"-all", "+TLSv1.2", "+TLSv1.3"},
	}
	if s.HTTPS.TLSProfile == TLSModern {
		want["SSLProtocol"] = []string{"-all", "+TLSv1.3"}
	}
	if s.MTLS.Enabled {
		want["SSLCACertificateFile"] = []string{s.MTLS.ClientCA}
		want["SSLVerifyClient"] = []string{map[bool]string{false: "optional", true: "require"}[s.MTLS.Required]}
		want["SSLVerifyDepth"] = []string{strconv.Itoa(s.MTLS.VerifyDepth)}
	} else if vh.all("SSLVerifyClient") != nil {
		t.Errorf("%s: SSLVerifyClient without mTLS", where)
	}
	for name, w := range want {
		if got := vh.all(name); len(got) != 1 || !slices.Equal(got[0], w) {
			t.Errorf("%s: %s %v, want %v", where, name, got, w)
		}
	}
}

// apacheServerName is a VirtualHost's ServerName: behind a load balancer
// (proxy.public) with its scheme and port, so that Apache's own redirects
// use them (a Docker port's keeps its own port).
func apacheServerName(s *Settings, dockerPort, redirecting bool) string {
	name := s.ServerName
	if !s.Public.IsSet() || redirecting {
		return name
	}
	if s.Public.Scheme != "" {
		name = s.Public.Scheme + "://" + name
	}
	if !dockerPort {
		name += ":" + strconv.Itoa(s.Public.EffectivePort())
	}
	return name
}

func checkApacheRedirect(t tb, s *Settings, vh *apacheSection, where string) {
	t.Helper()
	port := ""
	if p := cmp.Or(s.Public.EffectivePort(), s.HTTPS.Port); p != 443 {
		port = ":" + strconv.Itoa(p)
	}
	rules := vh.all("RewriteRule")
	if len(rules) == 0 {
		t.Errorf("%s: the redirecting host has no RewriteRule", where)
	}
	for _, r := range rules {
		if len(r) != 3 || !strings.HasPrefix(r[1], "https://%{SERVER_NAME}"+port) || !strings.Contains(r[2], "R=308") {
			t.Errorf("%s: redirect rule %v, want a 308 to https://%%{SERVER_NAME}%s...", where, r, port)
		}
	}
	if vh.all("ProxyPass") != nil {
		t.Errorf("%s: the redirecting host must not proxy", where)
	}
}

func checkApacheProxy(t tb, s *Settings, vh *apacheSection, where string, isDocker bool) {
	t.Helper()
	direct, router := "", ""
	if s.IsHA() {
		direct, router = "balancer://artifactory-direct/artifactory/", "balancer://artifactory/"
	} else {
		host, _ := NormalizeNode(s.Nodes[0])
		direct = "http://" + host + ":" + strconv.Itoa(s.ArtifactoryPort) + "/artifactory/"
		router = "http://" + host + ":" + strconv.Itoa(s.RouterPort) + "/"
	}
	// ProxyPass rules match in order: the revision marker is not proxied,
	// and /artifactory/ must come before /.
	got := vh.all("ProxyPass")
	want := [][]string{{RevisionPath, "!"}, {"/artifactory/", direct, "nocanon"}, {"/", router, "nocanon"}}
	if !s.IsHA() {
		// One node is a plain worker, which a refused connection would
		// take out for 60 s: never marked down.
		want[1], want[2] = append(want[1], "retry=0"), append(want[2], "retry=0")
	}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("%s: ProxyPass %v, want %v in this order", where, got, want)
	}
	headers := map[string][][]string{}
	for _, h := range vh.all("RequestHeader") {
		headers[strings.ToLower(h[1])] = append(headers[strings.ToLower(h[1])], h)
	}
	// What Artifactory builds its URLs from: the request's scheme and
	// port, or those of a load balancer in front (proxy.public; a Docker
	// port keeps its own).
	proto, port := "%{REQUEST_SCHEME}", "%{SERVER_PORT}"
	if s.Public.Scheme != "" {
		proto = s.Public.Scheme
	}
	if p := s.Public.EffectivePort(); p != 0 && !isDocker {
		port = strconv.Itoa(p)
	}
	value := func(v string) string {
		if strings.Contains(v, "%{") {
			return "expr=" + v
		}
		return v
	}
	wantHeaders := map[string]string{"x-forwarded-proto": value(proto), "x-forwarded-port": value(port)}
	if s.OverrideBaseURLHeader {
		wantHeaders["x-jfrog-override-base-url"] = "expr=" + proto + "://%{SERVER_NAME}:" + port
	}
	for h, v := range wantHeaders {
		if got := headers[h]; len(got) != 1 || !slices.Equal(got[0], []string{"set", got[0][1], v}) {
			t.Errorf("%s: RequestHeader %s %v, want set to %q", where, h, got, v)
		}
	}
	if s.OverrideBaseURLHeader != (headers["x-jfrog-override-base-url"] != nil) {
		t.Errorf("%s: X-JFrog-Override-Base-Url must be set exactly when overrideBaseUrlHeader is on", where)
	}
	if s.MTLS.Enabled {
		checkApacheClientCertHeader(t, s, headers[strings.ToLower(s.MTLS.Header)], where)
	}
	rules := vh.all("RewriteRule")
	targets := ""
	for _, r := range rules {
		targets += " " + r[1]
	}
	switch {
	case isDocker:
		for _, r := range s.Docker.Repositories {
			if !strings.Contains(targets, "/artifactory/api/docker/"+r.Key+"/$1/$2") {
				t.Errorf("%s: no rewrite for repository %s", where, r.Key)
			}
		}
		if n := len(vh.all("RewriteCond")); n != len(s.Docker.Repositories) {
			t.Errorf("%s: %d RewriteCond, want one per repository port", where, n)
		}
	case s.Docker.Method == DockerSubdomain:
		if !strings.Contains(targets, "/artifactory/api/docker/%1/$1/$2") || len(vh.all("RewriteCond")) != 1 {
			t.Errorf("%s: subdomain method needs one RewriteCond on the host and a rewrite to /api/docker/%%1/", where)
		}
	case s.Docker.Method == DockerRepositoryPath:
		if !strings.Contains(targets, "/artifactory/$1/$2") {
			t.Errorf("%s: repositoryPath method needs the rewrite to /artifactory/$1/$2", where)
		}
	default:
		if strings.Contains(targets, "/api/docker/") {
			t.Errorf("%s: Docker rewrites without a Docker method", where)
		}
	}
}

// checkApacheClientCertHeader: whatever the client sent is removed before
// anything else runs, and the header is set again only from a certificate
// mod_ssl verified; edits may reformat that value, nothing else may add one.
func checkApacheClientCertHeader(t tb, s *Settings, ops [][]string, where string) {
	t.Helper()
	verified := "expr=%{SSL_CLIENT_VERIFY} == 'SUCCESS'"
	if len(ops) < 2 || !slices.Equal(ops[0], []string{"unset", s.MTLS.Header, "early"}) {
		t.Errorf("%s: client-certificate header %v must start with RequestHeader unset %s early", where, ops, s.MTLS.Header)
		return
	}
	sets := 0
	for _, op := range ops[1:] {
		switch strings.ToLower(op[0]) {
		case "set":
			sets++
			if len(op) != 4 || !strings.Contains(op[2], "SSL_CLIENT_CERT") || op[3] != verified {
				t.Errorf("%s: client-certificate header %v: set it from SSL_CLIENT_CERT only under %s", where, op, verified)
			}
		case "edit", "edit*":
		default:
			t.Errorf("%s: client-certificate header %v: only set (verified) and edit may follow the unset", where, op)
		}
	}
	if sets != 1 {
		t.Errorf("%s: client-certificate header set %d times, want once", where, sets)
	}
}

// TestApacheCheckersCatch feeds the checks the mistakes they exist for.
func TestApacheCheckersCatch(t *testing.T) {
	alt := goldenSettings(Apache, DockerPorts, redirectTo, 1, true)
	alt.HTTP.RedirectToHTTPS = false
	alt.HTTP.Port, alt.HTTPS.Port = 8080, 8443
	altOut := string(mustRender(t, &alt))
	ha := goldenSettings(Apache, DockerSubdomain, redirectTo, 2, true)
	haOut := string(mustRender(t, &ha))
	cases := []struct {
		name     string
		s        *Settings
		out      string
		from, to string
		want     string
	}{
		{"Listen 80 repeated", &alt, altOut, "Listen 8080", "Listen 8080\nListen 80", "repeats"},
		{"Listen missing", &alt, altOut, "Listen 8443\n", "", "no Listen"},
		{"unclosed section", &alt, altOut, "</VirtualHost>", "", "never closed"},
		{"forged certificate passes", &alt, altOut, "RequestHeader unset X-JFrog-Client-Cert early\n", "", "client-certificate header"},
		{"unconditional certificate header", &ha, haOut, ` "expr=%{SSL_CLIENT_VERIFY} == 'SUCCESS'"`, "", "client-certificate header"},
		{"certificate header added", &ha, haOut, "RequestHeader unset X-JFrog-Client-Cert early\n", "RequestHeader unset X-JFrog-Client-Cert early\n    RequestHeader add X-JFrog-Client-Cert x\n", "only set (verified) and edit"},
		{"ProxyPass order", &ha, haOut, `    ProxyPass "/artifactory/" "balancer://artifactory-direct/artifactory/" nocanon` + "\n", "", "in this order"},
		{"TLS in the redirect host", &ha, haOut, "    RewriteRule \"^\"", "    SSLEngine on\n    RewriteRule \"^\"", "SSLEngine"},
		{"global directive", &ha, haOut, "<Proxy \"balancer://artifactory\">", "ProxyPreserveHost On\n<Proxy \"balancer://artifactory\">", "outside any VirtualHost"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			broken := strings.Replace(c.out, c.from, c.to, 1)
			if broken == c.out {
				t.Fatalf("%q not found in the output: update the test", c.from)
			}
			msgs := complaints(func(t tb) { checkApache(t, c.s, []byte(broken)) })
			if !strings.Contains(strings.Join(msgs, "\n"), c.want) {
				t.Errorf("checks reported %q, want a complaint mentioning %q", msgs, c.want)
			}
		})
	}
}
