package importer

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"frontdoor/importer/conftree"
	"frontdoor/importer/semantic"
	"frontdoor/render"
)

// classify sorts every directive of the old configuration: mapped (the
// model accounts for it and the new configuration keeps what it does),
// unmapped (with why), or outside the Artifactory site.
func (r *Result) classify(x *extraction, missing []*conftree.Node, saveTarget string) {
	// Why, by directive position, each part the new configuration drops.
	lost := map[conftree.Pos][]string{}
	for _, u := range r.rec.unmapped {
		lost[u.Source] = append(lost[u.Source], u.Directive+": "+u.Why)
	}
	for _, c := range r.Changes {
		if c.Kind == semantic.Removed && c.Why == "" && !c.OldPos.IsZero() && len(lost[c.OldPos]) == 0 {
			lost[c.OldPos] = append(lost[c.OldPos], "not kept: "+strings.TrimPrefix(c.String(), semantic.Removed.Mark()+" "))
		}
	}
	inside := map[*conftree.Node]bool{}
	mark := func(n *conftree.Node) {
		conftree.Walk([]*conftree.Node{n}, func(c *conftree.Node) bool { inside[c] = true; return true })
	}
	art := map[*semantic.Server]bool{}
	for _, s := range r.rec.servers {
		art[s] = true
		mark(x.serverNode[s])
		for _, name := range x.uses[s] {
			if n := x.shared[name]; n != nil {
				mark(n)
			}
		}
	}
	other := map[*conftree.Node]*semantic.Server{}
	otherNodes := map[*conftree.Node]bool{}
	for _, s := range r.rec.others {
		other[x.serverNode[s]] = s
		conftree.Walk([]*conftree.Node{x.serverNode[s]}, func(c *conftree.Node) bool { otherNodes[c] = true; return true })
	}
	for n, whys := range x.lost {
		if !otherNodes[n] && (inside[n] || !x.main) {
			lost[n.Pos()] = append(lost[n.Pos()], whys...)
		}
	}
	seen := map[*conftree.Node]bool{}
	outsideCount := map[string]int{}
	var visit func(nodes []*conftree.Node, in bool)
	visit = func(nodes []*conftree.Node, in bool) {
		for _, n := range nodes {
			if seen[n] {
				continue
			}
			seen[n] = true
			if s, ok := other[n]; ok {
				if saveTarget != "" && sameFile(n.Pos().File, saveTarget) {
					r.Unmapped = append(r.Unmapped, Item{Source: n.Pos(), Directive: serverText(s),
						Why: "another site, in " + saveTarget + " which the save replaces: dropped with it (move it to a file of its own to keep it)"})
				} else {
					r.Outside = append(r.Outside, Item{Source: n.Pos(), Directive: serverText(s), Why: "another site: left as it is"})
				}
				conftree.Walk(n.Block, func(c *conftree.Node) bool { seen[c] = true; return true })
				continue
			}
			nin := in || inside[n]
			switch {
			case isInclude(n) && !slices.Contains(missing, n):
				// Transparent: what it included is judged.
			case len(lost[n.Pos()]) > 0:
				r.Unmapped = append(r.Unmapped, Item{Source: n.Pos(), Directive: n.Text(), Why: strings.Join(unique(lost[n.Pos()]), "; ")})
				delete(lost, n.Pos())
			case x.understood[n]:
			case nin:
				r.Unmapped = append(r.Unmapped, Item{Source: n.Pos(), Directive: n.Text(), Why: unmappedWhy(n)})
			default:
				outsideCount[n.File]++
			}
			visit(n.Block, nin)
		}
	}
	visit(x.roots, !x.main)
	for _, n := range missing {
		seen[n] = true
		why := "the file it names is not on this machine: its directives were not read"
		if vars := undefinedVars(n); r.Provider == render.Apache && len(vars) > 0 {
			why = setOutside(vars) + ", so the file it names is not known: its directives were not read"
		}
		r.Unmapped = append(r.Unmapped, Item{Source: n.Pos(), Directive: n.Text(), Why: why})
	}
	// Parts of the model no single directive stands for (a listener nginx
	// assumes) that the new configuration drops.
	for pos, whys := range lost {
		r.Unmapped = append(r.Unmapped, Item{Source: pos, Why: strings.Join(unique(whys), "; ")})
	}
	sort.SliceStable(r.Unmapped, func(i, j int) bool { return posLess(r.Unmapped[i].Source, r.Unmapped[j].Source) })
	files := make([]string, 0, len(outsideCount))
	for f := range outsideCount {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		what := "the web server's own configuration, not the Artifactory site's: left as it is"
		r.Outside = append(r.Outside, Item{Source: conftree.Pos{File: f}, Directive: fmt.Sprintf("%d directives", outsideCount[f]), Why: what})
	}
}

// sameFile reports whether two paths name one file (a link and what it
// names, sites-enabled/ and sites-available/), or would.
func sameFile(a, b string) bool {
	ia, err1 := os.Stat(a)
	ib, err2 := os.Stat(b)
	if err1 == nil && err2 == nil {
		return os.SameFile(ia, ib)
	}
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}

func isInclude(n *conftree.Node) bool {
	return !n.IsBlock && (n.Name == "include" || n.Is("Include") || n.Is("IncludeOptional"))
}

func posLess(a, b conftree.Pos) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	return a.Line < b.Line
}

func unique(ss []string) []string {
	var out []string
	for _, s := range ss {
		if len(out) == 0 || !containsString(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func serverText(s *semantic.Server) string {
	var names []string
	for _, n := range s.Names {
		names = append(names, n.Display())
	}
	var ports []string
	for _, l := range s.Listen {
		p := strconv.Itoa(l.Port)
		if l.Addr != "" {
			p = l.Addr + ":" + p
		}
		ports = append(ports, p)
	}
	return fmt.Sprintf("server for %s on port %s", orNone(strings.Join(names, ", ")), strings.Join(ports, ", "))
}

func orNone(s string) string {
	if s == "" {
		return "any name"
	}
	return s
}

// unmappedWhy says why a directive the model does not know is not mapped.
func unmappedWhy(n *conftree.Node) string {
	switch strings.ToLower(n.Name) {
	case "access_log", "error_log", "errorlog", "customlog", "loglevel", "transferlog", "log_format":
		return "logging: frontdoor's snippet logs to the web server's default logs"
	case "allow", "deny", "auth_basic", "auth_basic_user_file", "auth_request", "require", "authtype", "authname", "authuserfile", "satisfy", "order":
		return "access control: frontdoor's settings have none"
	case "location", "locationmatch", "directory", "files", "proxy":
		return "a block frontdoor does not write (what is inside it is listed too)"
	case "if":
		return "a condition frontdoor does not write"
	case "add_header", "header":
		return "a response header frontdoor does not send"
	case "proxy_set_header", "requestheader":
		return "a request header on a path other than /artifactory/: frontdoor sends one set of headers"
	case "root", "documentroot", "index", "try_files", "alias":
		return "files served by the web server itself: frontdoor's snippet only proxies"
	case "gzip", "gzip_types", "gzip_proxied", "addoutputfilterbytype", "setoutputfilter":
		return "compression: frontdoor's snippet leaves it to the web server's defaults"
	case "include":
		return "an include frontdoor does not write"
	}
	return "frontdoor's settings have no equivalent"
}

// settingsOrder lists the settings paths in the order the report and the
// settings file show them.
var settingsOrder = []string{
	"proxy.provider", "proxy.serverName", "proxy.nodes", "proxy.artifactoryPort", "proxy.routerPort",
	"proxy.http.enabled", "proxy.http.port", "proxy.http.redirectToHttps",
	"proxy.https.enabled", "proxy.https.port", "proxy.https.certificate", "proxy.https.key", "proxy.https.tlsProfile",
	"proxy.docker.method", "proxy.docker.repositories",
	"proxy.mtls.enabled", "proxy.mtls.clientCA", "proxy.mtls.verifyDepth", "proxy.mtls.header", "proxy.mtls.required",
	"proxy.overrideBaseUrlHeader", "proxy.public.scheme", "proxy.public.port",
}

// mapped lists every setting the import set from a directive, with its
// value and source.
func (r *Result) mapped() {
	for _, path := range settingsOrder {
		if path == "proxy.docker.repositories" {
			for i, repo := range r.Settings.Docker.Repositories {
				p := fmt.Sprintf("proxy.docker.repositories[%d]", i)
				v := repo.Key
				if repo.Port != 0 {
					v += " on port " + strconv.Itoa(repo.Port)
				}
				r.Mapped = append(r.Mapped, Item{Setting: p, Value: v, Source: r.Sources[p]})
			}
			continue
		}
		pos, ok := r.Sources[path]
		if !ok && path != "proxy.provider" {
			continue
		}
		r.Mapped = append(r.Mapped, Item{Setting: path, Value: settingText(&r.Settings, path), Source: pos})
	}
}

// settingText is a setting's value as the report shows it.
func settingText(s *render.Settings, path string) string {
	v := reflect.ValueOf(*s)
	for _, part := range strings.Split(strings.TrimPrefix(path, "proxy."), ".") {
		v = fieldByTag(v, part)
		if !v.IsValid() {
			return ""
		}
	}
	if v.Kind() == reflect.Slice {
		var parts []string
		for i := range v.Len() {
			parts = append(parts, fmt.Sprint(v.Index(i).Interface()))
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v.Interface())
}

func fieldByTag(v reflect.Value, tag string) reflect.Value {
	if v.Kind() != reflect.Struct {
		return reflect.Value{}
	}
	t := v.Type()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name == tag {
			return v.Field(i)
		}
	}
	return reflect.Value{}
}
