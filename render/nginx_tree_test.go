package render

import (
	"io"
	"slices"
	"strings"

	crossplane "github.com/nginxinc/nginx-go-crossplane"
)

// parseNginxSnippet parses a sites-enabled snippet the way nginx includes it:
// inside the http block. Directives are checked against nginx 1.24 OSS (the
// oldest table crossplane has; Debian 12 ships 1.22, which `nginx -t`
// covers): unknown directives, wrong contexts and argument counts fail.
func parseNginxSnippet(snippet []byte) (crossplane.Directives, error) {
	conf := "http {\n" + string(snippet) + "\n}\n"
	payload, err := crossplane.Parse("nginx.conf", &crossplane.ParseOptions{
		Open:                     func(string) (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(conf)), nil },
		SingleFile:               true,
		StopParsingOnError:       true,
		ErrorOnUnknownDirectives: true,
		DirectiveSources:         []crossplane.MatchFunc{crossplane.MatchOss124},
	})
	if err != nil {
		return nil, err
	}
	if len(payload.Errors) > 0 {
		return nil, payload.Errors[0].Error
	}
	top := payload.Config[0].Parsed
	if len(top) != 1 || top[0].Directive != "http" {
		return nil, io.ErrUnexpectedEOF // the snippet closed the http block itself
	}
	return top[0].Block, nil
}

func named(ds crossplane.Directives, name string) crossplane.Directives {
	var out crossplane.Directives
	for _, d := range ds {
		if d.Directive == name {
			out = append(out, d)
		}
	}
	return out
}

// args returns the arguments of the only directive called name in ds ("" if none).
func args(t tb, ds crossplane.Directives, name string) []string {
	t.Helper()
	found := named(ds, name)
	switch len(found) {
	case 0:
		return nil
	case 1:
		return found[0].Args
	}
	t.Errorf("%s appears %d times in one block, want once", name, len(found))
	return found[0].Args
}

// walk visits every directive with the names of the blocks around it.
func walk(ds crossplane.Directives, ctx []string, visit func(d *crossplane.Directive, ctx []string)) {
	for _, d := range ds {
		visit(d, ctx)
		if d.IsBlock() {
			walk(d.Block, append(slices.Clone(ctx), d.Directive), visit)
		}
	}
}

func argsOf(ds crossplane.Directives) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Args...)
	}
	return out
}

func listens(srv *crossplane.Directive) [][]string {
	var out [][]string
	for _, l := range named(srv.Block, "listen") {
		out = append(out, l.Args)
	}
	return out
}

// mapEntries turns a map block into key → value.
func mapEntries(m *crossplane.Directive) map[string]string {
	out := map[string]string{}
	for _, e := range m.Block {
		out[e.Directive] = strings.Join(e.Args, " ")
	}
	return out
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
