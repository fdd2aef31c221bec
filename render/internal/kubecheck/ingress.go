package kubecheck

import (
	"fmt"
	"net"
	"regexp"
	"sort"
	"strconv"
	"strings"

	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"frontdoor/internal/lazyregexp"
)

// The ingress-nginx semantics RouteIngress follows (its documentation,
// "Ingress Path Matching", and the annotations' pages):
//   - a host's paths come from every Ingress with a rule for it; once one of
//     them sets use-regex (or rewrite-target), every path of the host is a
//     case-insensitive regex anchored at the start, and the paths are
//     ordered longest first, the first match winning;
//   - without regex, Exact paths win, then the longest Prefix (path
//     elements);
//   - rewrite-target replaces the whole URI with the target, $1... being the
//     path regex's groups; the query string is kept;
//   - app-root answers / with a 302 to it;
//   - a host with TLS redirects plain HTTP with 308 unless ssl-redirect is
//     "false";
//   - auth-tls-pass-certificate-to-upstream sets ssl-client-cert (a client's
//     own value is replaced).

const annotation = "nginx.ingress.kubernetes.io/"

type ingressPath struct {
	ing  *networkingv1.Ingress
	path networkingv1.HTTPIngressPath
}

// RouteIngress routes req through the Ingresses.
func RouteIngress(m *Manifests, req Request) Result {
	var paths []ingressPath
	var regex, tls bool
	appRoot := ""
	for i := range m.Ingresses {
		ing := &m.Ingresses[i]
		forHost := false
		for _, rule := range ing.Spec.Rules {
			if rule.HTTP == nil || !hostMatches(rule.Host, req.Host) {
				continue
			}
			forHost = true
			for _, p := range rule.HTTP.Paths {
				paths = append(paths, ingressPath{ing, p})
			}
		}
		if !forHost {
			continue
		}
		a := ing.Annotations
		if a[annotation+"use-regex"] == "true" || a[annotation+"rewrite-target"] != "" {
			regex = true
		}
		if root := a[annotation+"app-root"]; root != "" {
			appRoot = root
		}
		for _, t := range ing.Spec.TLS {
			for _, h := range t.Hosts {
				if hostMatches(h, req.Host) {
					tls = true
				}
			}
		}
	}
	if len(paths) == 0 {
		return Result{Status: 404}
	}
	uri := req.decodedPath()
	if appRoot != "" && uri == "/" { // server level: before any location
		return Result{Status: 302, Location: req.Scheme + "://" + req.Host + ":" + strconv.Itoa(req.Port) + appRoot}
	}
	var hit *ingressPath
	var groups []string
	if regex {
		sort.SliceStable(paths, func(i, j int) bool { return len(paths[i].path.Path) > len(paths[j].path.Path) })
		for i := range paths {
			re, err := regexp.Compile("(?i)^" + paths[i].path.Path)
			if err != nil {
				return Result{Status: 500, Location: fmt.Sprintf("path %q: %v", paths[i].path.Path, err)}
			}
			if g := re.FindStringSubmatch(uri); g != nil {
				hit, groups = &paths[i], g
				break
			}
		}
	} else {
		best := -1
		for i := range paths {
			p := paths[i].path
			switch {
			case p.PathType != nil && *p.PathType == networkingv1.PathTypeExact && p.Path == uri:
				hit, best = &paths[i], 1<<30
			case prefixMatches(p.Path, uri) && len(p.Path) > best:
				hit, best = &paths[i], len(p.Path)
			}
		}
	}
	if hit == nil || hit.path.Backend.Service == nil {
		return Result{Status: 404}
	}
	if req.Scheme == "http" && tls && hit.ing.Annotations[annotation+"ssl-redirect"] != "false" {
		return Result{Status: 308, Location: "https://" + req.Host + req.uri(req.Path)}
	}
	res := Result{Service: hit.path.Backend.Service.Name, Port: int(hit.path.Backend.Service.Port.Number), URI: req.uri(req.Path), Set: map[string]string{}}
	if target := hit.ing.Annotations[annotation+"rewrite-target"]; target != "" {
		res.URI = req.uri(expandGroups(target, groups))
	}
	if hit.ing.Annotations[annotation+"auth-tls-pass-certificate-to-upstream"] == "true" {
		res.Set[canonical("ssl-client-cert")] = "(the verified certificate)"
	}
	return res
}

// prefixMatches is the Prefix path type: whole path elements.
func prefixMatches(prefix, path string) bool {
	prefix = strings.TrimSuffix(prefix, "/")
	if prefix == "" {
		return true
	}
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}

var groupRef = lazyregexp.New(`\$(\d)`)

// expandGroups replaces $1..$9 in target with the regex's groups, as
// nginx's rewrite does.
func expandGroups(target string, groups []string) string {
	return groupRef().ReplaceAllStringFunc(target, func(ref string) string {
		n, _ := strconv.Atoi(ref[1:])
		if n < len(groups) {
			return groups[n]
		}
		return ""
	})
}

// CheckIngress reports what ingress-nginx (v1.12 and later) refuses:
// snippet annotations (off by default), regex characters in Prefix and
// Exact paths (strict path type validation), regex paths that RE2 cannot
// compile, and paths of one host listed twice.
func CheckIngress(m *Manifests) []string {
	var problems []string
	seen := map[string]string{}
	plain := regexp.MustCompile(`^/[A-Za-z0-9/._-]*$`)
	for _, ing := range m.Ingresses {
		for _, rule := range ing.Spec.Rules {
			problems = append(problems, hostProblems("Ingress "+ing.Name+" rule", rule.Host)...)
		}
		for _, tls := range ing.Spec.TLS {
			for _, h := range tls.Hosts {
				problems = append(problems, hostProblems("Ingress "+ing.Name+" tls", h)...)
			}
		}
		for k := range ing.Annotations {
			if strings.Contains(k, "snippet") {
				problems = append(problems, fmt.Sprintf("Ingress %s: snippet annotation %s", ing.Name, k))
			}
		}
		for _, rule := range ing.Spec.Rules {
			if rule.HTTP == nil {
				continue
			}
			for _, p := range rule.HTTP.Paths {
				where := fmt.Sprintf("Ingress %s host %s path %s", ing.Name, rule.Host, p.Path)
				if p.PathType == nil {
					problems = append(problems, where+": no pathType")
					continue
				}
				if *p.PathType != networkingv1.PathTypeImplementationSpecific && !plain.MatchString(p.Path) {
					problems = append(problems, where+": regex characters in a "+string(*p.PathType)+" path")
				}
				if _, err := regexp.Compile(p.Path); err != nil {
					problems = append(problems, fmt.Sprintf("%s: not an RE2 regex: %v", where, err))
				}
				key := strings.ToLower(rule.Host) + " " + p.Path
				if other, dup := seen[key]; dup {
					problems = append(problems, fmt.Sprintf("%s: also in Ingress %s", where, other))
				}
				seen[key] = ing.Name
			}
		}
	}
	return problems
}

// hostProblems is the API server's rule for an Ingress host: a lower-case
// DNS name, or a wildcard one, never an IP address.
func hostProblems(where, host string) []string {
	var errs []string
	if strings.HasPrefix(host, "*.") {
		errs = validation.IsWildcardDNS1123Subdomain(host)
	} else {
		errs = validation.IsDNS1123Subdomain(host)
	}
	if net.ParseIP(host) != nil {
		errs = append(errs, "an IP address")
	}
	var out []string
	for _, e := range errs {
		out = append(out, fmt.Sprintf("%s host %q: %s", where, host, e))
	}
	return out
}
