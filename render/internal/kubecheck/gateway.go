package kubecheck

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	gwv1 "sigs.k8s.io/gateway-api/apis/v1"

	"frontdoor/internal/lazyregexp"
)

// RouteGateway routes req through the Gateway and its HTTPRoutes as the
// Gateway API specification (v1.6) says:
//   - the listener is the one on the request's port with its protocol;
//   - of the routes attached to it whose hostnames match, the ones with the
//     most specific hostname win outright (an exact name over a wildcard
//     over none), as implementations build one virtual host per name;
//   - among their rules, an Exact path match wins, then the longest
//     PathPrefix (whole path elements), then the first route and rule;
//   - RequestRedirect answers; URLRewrite's ReplacePrefixMatch replaces the
//     matched prefix (see the API's table); RequestHeaderModifier sets and
//     removes headers.
func RouteGateway(m *Manifests, req Request) Result {
	if len(m.Gateways) != 1 {
		return Result{Status: 500, Location: fmt.Sprintf("%d Gateways", len(m.Gateways))}
	}
	gw := &m.Gateways[0]
	protocol := gwv1.HTTPProtocolType
	if req.Scheme == "https" {
		protocol = gwv1.HTTPSProtocolType
	}
	var listener *gwv1.Listener
	for i, l := range gw.Spec.Listeners {
		if int(l.Port) == req.Port && l.Protocol == protocol {
			listener = &gw.Spec.Listeners[i]
		}
	}
	if listener == nil {
		return Result{Status: 0, Location: "no listener"} // connection refused
	}
	type candidate struct {
		route *gwv1.HTTPRoute
		rule  *gwv1.HTTPRouteRule
		match *gwv1.HTTPRouteMatch
		order int
	}
	bestHost := -1
	var routes []*gwv1.HTTPRoute
	for i := range m.Routes {
		r := &m.Routes[i]
		if !attached(r, gw, listener) {
			continue
		}
		score := hostScore(r.Spec.Hostnames, req.Host)
		switch {
		case score < 0:
		case score > bestHost:
			bestHost, routes = score, []*gwv1.HTTPRoute{r}
		case score == bestHost:
			routes = append(routes, r)
		}
	}
	sort.SliceStable(routes, func(i, j int) bool {
		return routes[i].Namespace+"/"+routes[i].Name < routes[j].Namespace+"/"+routes[j].Name
	})
	path := req.Path
	var best *candidate
	bestRank := -1
	order := 0
	for _, r := range routes {
		for ri := range r.Spec.Rules {
			rule := &r.Spec.Rules[ri]
			matches := rule.Matches
			if len(matches) == 0 {
				matches = []gwv1.HTTPRouteMatch{{Path: &gwv1.HTTPPathMatch{Type: ptr(gwv1.PathMatchPathPrefix), Value: ptr("/")}}}
			}
			for mi := range matches {
				order++
				rank := pathRank(matches[mi].Path, path)
				if rank > bestRank {
					best, bestRank = &candidate{r, rule, &matches[mi], order}, rank
				}
			}
		}
	}
	if best == nil {
		return Result{Status: 404}
	}
	res := Result{Set: map[string]string{}}
	newPath := path
	for _, f := range best.rule.Filters {
		switch f.Type {
		case gwv1.HTTPRouteFilterRequestRedirect:
			return redirect(f.RequestRedirect, req, listener)
		case gwv1.HTTPRouteFilterURLRewrite:
			if p := f.URLRewrite.Path; p != nil {
				switch p.Type {
				case gwv1.PrefixMatchHTTPPathModifier:
					newPath = replacePrefix(path, *best.match.Path.Value, *p.ReplacePrefixMatch)
				case gwv1.FullPathHTTPPathModifier:
					newPath = *p.ReplaceFullPath
				}
			}
		case gwv1.HTTPRouteFilterRequestHeaderModifier:
			for _, h := range f.RequestHeaderModifier.Set {
				res.Set[canonical(string(h.Name))] = h.Value
			}
			for _, h := range f.RequestHeaderModifier.Remove {
				res.Removed = append(res.Removed, canonical(h))
			}
		}
	}
	if len(best.rule.BackendRefs) == 0 {
		return Result{Status: 500, Location: "no backend"}
	}
	b := best.rule.BackendRefs[0]
	res.Service = string(b.Name)
	if b.Port != nil {
		res.Port = int(*b.Port)
	}
	res.URI = req.uri(newPath)
	return res
}

func ptr[T any](v T) *T { return &v }

// attached reports whether route is attached to the listener.
func attached(r *gwv1.HTTPRoute, gw *gwv1.Gateway, l *gwv1.Listener) bool {
	for _, p := range r.Spec.ParentRefs {
		if string(p.Name) != gw.Name || p.Namespace != nil && string(*p.Namespace) != gw.Namespace {
			continue
		}
		if p.SectionName == nil || *p.SectionName == l.Name {
			return true
		}
	}
	return false
}

// hostScore ranks how specifically hostnames match host: -1 not at all,
// 0 no hostnames (every host), else the matching name's length, exact
// names above wildcards.
func hostScore(hostnames []gwv1.Hostname, host string) int {
	if len(hostnames) == 0 {
		return 0
	}
	best := -1
	for _, h := range hostnames {
		s := string(h)
		if !hostMatches(s, host) {
			continue
		}
		score := len(s)
		if !strings.HasPrefix(s, "*.") {
			score += 1000
		}
		best = max(best, score)
	}
	return best
}

// pathRank ranks a path match against path: -1 no match, Exact above every
// prefix, longer prefixes above shorter ones.
func pathRank(m *gwv1.HTTPPathMatch, path string) int {
	typ, value := gwv1.PathMatchPathPrefix, "/"
	if m != nil {
		if m.Type != nil {
			typ = *m.Type
		}
		if m.Value != nil {
			value = *m.Value
		}
	}
	switch typ {
	case gwv1.PathMatchExact:
		if path == value {
			return 1 << 20
		}
	case gwv1.PathMatchPathPrefix:
		if prefixMatches(value, path) {
			return len(strings.TrimSuffix(value, "/"))
		}
	}
	return -1
}

// replacePrefix is ReplacePrefixMatch, as the API's table of examples has it.
func replacePrefix(path, prefix, replacement string) string {
	prefix = strings.TrimSuffix(prefix, "/")
	rest := strings.TrimPrefix(path, prefix) // "" or "/..."
	out := strings.TrimSuffix(replacement, "/") + rest
	if rest == "" && strings.HasSuffix(replacement, "/") && replacement != "/" {
		out += "/"
	}
	if out == "" {
		out = "/"
	}
	return out
}

// redirect builds a RequestRedirect's answer: the port is the filter's, or
// the scheme's well-known one when the scheme changes, or the listener's;
// a well-known port is left out of the Location.
func redirect(f *gwv1.HTTPRequestRedirectFilter, req Request, l *gwv1.Listener) Result {
	scheme, host, port := req.Scheme, req.Host, int(l.Port)
	if f.Scheme != nil {
		scheme = *f.Scheme
		port = map[string]int{"http": 80, "https": 443}[scheme]
	}
	if f.Hostname != nil {
		host = string(*f.Hostname)
	}
	if f.Port != nil {
		port = int(*f.Port)
	}
	path := req.Path
	if f.Path != nil && f.Path.Type == gwv1.FullPathHTTPPathModifier {
		path = *f.Path.ReplaceFullPath
	}
	loc := scheme + "://" + host
	if !(scheme == "http" && port == 80 || scheme == "https" && port == 443) {
		loc += ":" + strconv.Itoa(port)
	}
	status := 302
	if f.StatusCode != nil {
		status = *f.StatusCode
	}
	return Result{Status: status, Location: loc + req.uri(path)}
}

// CheckCELRules checks the CRDs' CEL rules an output could break, which
// CheckSchema does not evaluate: ReplacePrefixMatch only with exactly one
// PathPrefix match, RequestRedirect never with backends nor with URLRewrite,
// no filter type twice in a rule, at most 128 matches in a route, TLS only
// on HTTPS listeners (and Terminate there), unique listener names, and
// every route's listener existing.
func CheckCELRules(m *Manifests) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	listeners := map[string]bool{}
	for _, gw := range m.Gateways {
		for _, l := range gw.Spec.Listeners {
			if listeners[string(l.Name)] {
				bad("Gateway %s: listener %s twice", gw.Name, l.Name)
			}
			listeners[string(l.Name)] = true
			switch {
			case l.Protocol == gwv1.HTTPProtocolType && l.TLS != nil:
				bad("Gateway %s: listener %s: tls on HTTP", gw.Name, l.Name)
			case l.Protocol == gwv1.HTTPSProtocolType && (l.TLS == nil || l.TLS.Mode != nil && *l.TLS.Mode != gwv1.TLSModeTerminate):
				bad("Gateway %s: listener %s: HTTPS needs tls mode Terminate", gw.Name, l.Name)
			}
		}
	}
	for _, r := range m.Routes {
		total := 0
		for _, p := range r.Spec.ParentRefs {
			if p.SectionName != nil && !listeners[string(*p.SectionName)] {
				bad("HTTPRoute %s: no listener %s", r.Name, *p.SectionName)
			}
		}
		for i, rule := range r.Spec.Rules {
			where := fmt.Sprintf("HTTPRoute %s rule %d", r.Name, i)
			total += len(rule.Matches)
			for _, m := range rule.Matches {
				if m.Path != nil && m.Path.Value != nil && (m.Path.Type == nil || *m.Path.Type != gwv1.PathMatchRegularExpression) {
					if msg := pathValueProblem(*m.Path.Value); msg != "" {
						bad("%s: path %q: %s", where, *m.Path.Value, msg)
					}
				}
			}
			seen := map[gwv1.HTTPRouteFilterType]bool{}
			for _, f := range rule.Filters {
				if seen[f.Type] {
					bad("%s: filter %s twice", where, f.Type)
				}
				seen[f.Type] = true
				if f.URLRewrite != nil && f.URLRewrite.Path != nil && f.URLRewrite.Path.Type == gwv1.PrefixMatchHTTPPathModifier &&
					(len(rule.Matches) != 1 || rule.Matches[0].Path == nil || rule.Matches[0].Path.Type == nil || *rule.Matches[0].Path.Type != gwv1.PathMatchPathPrefix) {
					bad("%s: ReplacePrefixMatch needs exactly one PathPrefix match", where)
				}
			}
			if seen[gwv1.HTTPRouteFilterRequestRedirect] && (len(rule.BackendRefs) > 0 || seen[gwv1.HTTPRouteFilterURLRewrite]) {
				bad("%s: RequestRedirect with backends or URLRewrite", where)
			}
		}
		if total > 128 {
			bad("HTTPRoute %s: %d matches, at most 128", r.Name, total)
		}
	}
	return problems
}

// pathValuePattern and the checks of pathValueProblem are the CRD's CEL
// rules for an Exact or PathPrefix value.
var pathValuePattern = lazyregexp.New(`^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$`)

func pathValueProblem(v string) string {
	switch {
	case !strings.HasPrefix(v, "/"):
		return "must be an absolute path"
	case strings.Contains(v, "//"), strings.Contains(v, "/./"), strings.Contains(v, "/../"),
		strings.Contains(strings.ToLower(v), "%2f"), strings.Contains(v, "#"),
		strings.HasSuffix(v, "/.."), strings.HasSuffix(v, "/."):
		return "must not contain '//', '/./', '/../', '%2f' or '#' nor end in '/..' or '/.'"
	case !pathValuePattern().MatchString(v):
		return "holds characters a path value may not"
	}
	return ""
}
