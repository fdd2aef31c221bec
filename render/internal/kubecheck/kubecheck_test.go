package kubecheck

import (
	"strings"
	"testing"
)

const route = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: ns}
spec:
  parentRefs: [{name: gw}]
  hostnames: ["a.example.com"]
  rules:
    - matches: [{path: {type: PathPrefix, value: "/v2/"}}]
      filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: "/x/v2/"}}}]
      backendRefs: [{name: svc, port: 8081}]
`

// Each broken document is caught: by the strict decoder, the CRD schema,
// the CEL rules or the ingress-nginx checks.
func TestChecksCatchBrokenManifests(t *testing.T) {
	cases := []struct {
		name, doc, want string
	}{
		{"unknown field", strings.Replace(route, "hostnames:", "hostname:", 1), "unknown field"},
		{"duplicate key", strings.Replace(route, "  hostnames:", "  parentRefs: [{name: gw}]\n  hostnames:", 1), "already set"},
		{"bad name", strings.Replace(route, "name: r,", "name: R_1,", 1), "name \"R_1\""},
		{"path characters", strings.Replace(route, `value: "/v2/"`, `value: "/v2 x/"`, 1), "holds characters a path value may not"},
		{"path dot-dot", strings.Replace(route, `value: "/v2/"`, `value: "/v2/../"`, 1), "must not contain"},
		{"enum", strings.Replace(route, "type: PathPrefix", "type: Prefix", 1), "is not one of"},
		{"duration", route + "      timeouts: {request: 1y}\n", "does not match"},
		{"too many hostnames", strings.Replace(route, `hostnames: ["a.example.com"]`, `hostnames: [`+strings.Repeat(`"a.example.com", `, 16)+`"b.example.com"]`, 1), "at most 16"},
		{"prefix rewrite without prefix match", strings.Replace(route, "type: PathPrefix", "type: Exact", 1), "ReplacePrefixMatch needs exactly one PathPrefix match"},
		{"snippet", `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: i, namespace: ns, annotations: {nginx.ingress.kubernetes.io/configuration-snippet: "x"}}
spec:
  rules: [{host: a.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: s, port: {number: 80}}}}]}}]
`, "snippet annotation"},
		{"upper-case host", `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: i, namespace: ns}
spec:
  rules: [{host: A.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: s, port: {number: 80}}}}]}}]
`, "lowercase RFC 1123"},
		{"regex in a Prefix path", `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: i, namespace: ns}
spec:
  rules: [{host: a.example.com, http: {paths: [{path: "/v2/(.*)", pathType: Prefix, backend: {service: {name: s, port: {number: 80}}}}]}}]
`, "regex characters"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var problems []string
			m, err := Decode([]byte(c.doc))
			if err != nil {
				problems = append(problems, err.Error())
			} else {
				p, err := CheckSchema(m)
				if err != nil {
					t.Fatal(err)
				}
				problems = append(append(append(problems, p...), CheckCELRules(m)...), CheckIngress(m)...)
			}
			joined := strings.Join(problems, "\n")
			if !strings.Contains(joined, c.want) {
				t.Errorf("want a problem saying %q, got:\n%s", c.want, joined)
			}
		})
	}
	m, err := Decode([]byte(route))
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := CheckSchema(m); len(p)+len(CheckCELRules(m)) != 0 {
		t.Errorf("the unbroken route has problems: %v %v", p, CheckCELRules(m))
	}
}

// ReplacePrefixMatch follows the API's table of examples.
func TestReplacePrefix(t *testing.T) {
	for _, c := range []struct{ path, prefix, repl, want string }{
		{"/foo/bar", "/foo", "/xyz", "/xyz/bar"},
		{"/foo/bar", "/foo", "/xyz/", "/xyz/bar"},
		{"/foo/bar", "/foo/", "/xyz", "/xyz/bar"},
		{"/foo/bar", "/foo/", "/xyz/", "/xyz/bar"},
		{"/foo", "/foo", "/xyz", "/xyz"},
		{"/foo/", "/foo", "/xyz", "/xyz/"},
		{"/foo/bar", "/foo", "", "/bar"},
		{"/foo/", "/foo", "", "/"},
		{"/foo", "/foo", "", "/"},
		{"/foo/", "/foo", "/", "/"},
		{"/foo", "/foo", "/", "/"},
	} {
		if got := replacePrefix(c.path, c.prefix, c.repl); got != c.want {
			t.Errorf("replacePrefix(%q, %q, %q) = %q, want %q", c.path, c.prefix, c.repl, got, c.want)
		}
	}
}
