// Package importer adopts the reverse-proxy configuration an admin already
// has: it reads nginx or Apache configuration files (the vendor's generator
// output for Artifactory 6 or 7, the Helm chart's nginx, hand-written ones),
// recognises what frontdoor's settings express, and reports what it mapped,
// what it could not (each directive with file:line and why) and what will
// behave differently once frontdoor renders the imported settings: a
// semantic diff of the old configuration and the new one, both reduced to a
// semantic.Model.
//
//	res, err := importer.Import([]string{"/etc/nginx/sites-enabled/artifactory.conf"}, importer.Options{})
//	var bad *conftree.Error   // invalid input: exit 2, nothing written
//	res.Settings              // the proxy settings
//	res.Unmapped              // empty: everything mapped (exit 0), else exit 1
//	res.Changes               // the semantic diff
//	data, _ := res.SettingsFile() // frontdoor.yaml, each value's source in a comment
package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"frontdoor/finding"
	"frontdoor/importer/apacheconf"
	"frontdoor/importer/conftree"
	"frontdoor/importer/nginxconf"
	"frontdoor/importer/semantic"
	"frontdoor/render"
)

// Options tune Import.
type Options struct {
	// Provider is the web server the files are for; "" detects it.
	Provider render.Provider
	// SaveTarget is the file a save of the imported settings replaces
	// (save.target, else the detected one), when the caller knows it ("":
	// not known). Another site in that file goes with it: it is listed as
	// not mapped (dropped), not as left as it is.
	SaveTarget string
}

// Item is one line of the report: a setting and where it came from, or a
// directive and why it was not mapped.
type Item struct {
	Source    conftree.Pos `json:"source,omitzero"`
	Directive string       `json:"directive,omitempty"`
	Setting   string       `json:"setting,omitempty"`
	Value     string       `json:"value,omitempty"`
	Why       string       `json:"why,omitempty"`
}

// Result is what an import found.
type Result struct {
	Provider render.Provider `json:"provider"`
	Files    []string        `json:"files"` // every file read, includes too
	Settings render.Settings `json:"settings"`
	// Sources says where each setting came from, by settings path
	// ("proxy.https.certificate"); settings not in it kept their default.
	Sources map[string]conftree.Pos `json:"sources"`
	// Assumed says why a setting that no directive gives has the value it
	// has, when it matters (Artifactory 7's router port after a migration).
	Assumed map[string]string `json:"assumed,omitempty"`
	Mapped  []Item            `json:"mapped"`
	// Unmapped are the directives frontdoor's settings cannot express:
	// rendering the settings drops or changes them.
	Unmapped []Item `json:"unmapped"`
	// Outside are parts of the files that are not the Artifactory site's
	// (the web server's own settings, other sites): left as they are.
	Outside []Item `json:"outside"`
	// Notes say what the mapping decided (a migration, the nearest TLS
	// profile, a default assumed).
	Notes []string `json:"notes"`
	// Changes is the semantic diff of the old configuration and the one
	// frontdoor renders from Settings (nil when they do not render).
	Changes []semantic.Change `json:"changes"`
	// Findings are the validation of Settings as render and save do it
	// (render.ValidateHere: the certificate and key files read, the node
	// names looked up); with an error the settings are refused until fixed
	// (the file is written all the same).
	Findings finding.Findings `json:"findings"`
	// Migrated says an Artifactory 6 layout was migrated to 7.
	Migrated bool `json:"migrated"`
	// DockerKeysUnknown says the Docker method's repository keys are not
	// in the configuration (subdomain, repository path): add them.
	DockerKeysUnknown bool `json:"dockerKeysUnknown"`

	old    *semantic.Model
	rec    *recognition
	given  []string
	diffed bool // Changes were worked out (the settings render)
}

// Complete reports whether everything was mapped (exit 0): no directive
// left out, and every value the settings need recovered (the Docker keys).
func (r *Result) Complete() bool { return len(r.Unmapped) == 0 && !r.DockerKeysUnknown }

// Old is the old configuration's model (its Artifactory servers).
func (r *Result) Old() *semantic.Model { return r.old }

// Import reads the files (a main nginx.conf or apache2.conf with what it
// includes, or a site's own file) and maps them to settings. Input that
// cannot be used (unreadable, binary, too large, a syntax error, an include
// loop, no Artifactory server in it) is a *conftree.Error naming file and
// line; nothing else is an error.
func Import(paths []string, opts Options) (*Result, error) {
	if len(paths) == 0 {
		return nil, &conftree.Error{Message: "no configuration file given"}
	}
	files := make([]conftree.File, 0, len(paths))
	for _, p := range paths {
		data, err := conftree.ReadFile(p)
		if err != nil {
			return nil, err
		}
		files = append(files, conftree.File{Path: p, Data: data})
	}
	return ImportFiles(files, opts)
}

// ImportFiles is Import of files already read (by conftree.ReadFile).
func ImportFiles(files []conftree.File, opts Options) (*Result, error) {
	provider := opts.Provider
	if provider == "" {
		var ok bool
		if provider, ok = Detect(files[0].Data); !ok {
			return nil, &conftree.Error{Pos: conftree.Pos{File: files[0].Path}, Message: "neither an nginx nor an Apache configuration that frontdoor recognises: give --provider nginx or --provider apache"}
		}
	}
	if provider != render.Nginx && provider != render.Apache {
		return nil, &conftree.Error{Message: fmt.Sprintf("cannot import a %s configuration: nginx or apache", provider)}
	}
	cfg, err := load(provider, files)
	if err != nil {
		if opts.Provider != "" {
			if wrong := providerMismatch(opts.Provider, files[0]); wrong != nil {
				return nil, wrong
			}
		}
		return nil, err
	}
	x := extract(provider, cfg.roots)
	rec := recognise(x, provider, func(file string) headerHints {
		return readHints(conftree.File{Path: file, Data: cfg.data[file]})
	})
	if len(rec.servers) == 0 {
		if opts.Provider != "" {
			if wrong := providerMismatch(opts.Provider, files[0]); wrong != nil {
				return nil, wrong
			}
		}
		return nil, &conftree.Error{Pos: conftree.Pos{File: files[0].Path}, Message: "no server in it proxies Artifactory (a location or ProxyPass for / or /artifactory/, or a Docker rewrite): nothing to import"}
	}
	res := &Result{
		Provider: provider, Files: cfg.files, Settings: rec.settings, Sources: rec.sources, Assumed: rec.assumed, Notes: rec.notes,
		Migrated: rec.migrated, DockerKeysUnknown: rec.dockerKeysUnknown, old: &semantic.Model{Servers: rec.servers},
		rec: rec,
	}
	for _, f := range files {
		res.given = append(res.given, f.Path)
	}
	if rec.dockerKeysUnknown {
		res.Notes = append(res.Notes, fmt.Sprintf("the Docker %s method takes the repository from the request: the configuration names no repository keys; add the keys Docker clients use (frontdoor checks the certificate covers them)", rec.settings.Docker.Method))
	}
	// The findings are those render and save will give (the certificate
	// and key files read, node names looked up): one rule. The diff needs
	// only settings that render.
	res.Findings, _ = render.ValidateHere(context.Background(), &res.Settings, time.Now())
	if !render.Validate(&res.Settings).HasErrors() {
		changes, err := res.Rediff(&res.Settings)
		if err != nil {
			return nil, fmt.Errorf("reading back frontdoor's own snippet: %w (please report this)", err)
		}
		res.Changes, res.diffed = changes, true
	} else {
		res.Notes = append(res.Notes, "the imported settings do not validate yet (see the findings): fix them (`frontdoor` or an editor), then `frontdoor render` shows the snippet")
	}
	res.classify(x, cfg.missing, opts.SaveTarget)
	res.mapped()
	return res, nil
}

// loaded is what the web server's loader read: the directives, every file
// read (includes too) with its contents, and the includes not found.
type loaded struct {
	roots   []*conftree.Node
	files   []string
	data    map[string][]byte
	missing []*conftree.Node
}

func load(p render.Provider, files []conftree.File) (loaded, error) {
	if p == render.Apache {
		cfg, err := apacheconf.Load(files...)
		if err != nil {
			return loaded{}, err
		}
		return loaded{cfg.Nodes, cfg.Files, cfg.Data, cfg.Missing}, nil
	}
	cfg, err := nginxconf.Load(files...)
	if err != nil {
		return loaded{}, err
	}
	return loaded{cfg.Nodes, cfg.Files, cfg.Data, cfg.Missing}, nil
}

func extract(p render.Provider, roots []*conftree.Node) *extraction {
	if p == render.Apache {
		return extractApache(roots)
	}
	return extractNginx(roots)
}

// renderedPath names frontdoor's rendered snippet in the new model's
// sources.
const renderedPath = "(frontdoor's snippet)"

// ModelOf renders settings and reduces the snippet to a model: the new
// side of the diff.
func ModelOf(s *render.Settings) (*semantic.Model, error) {
	out, err := render.Render(s)
	if err != nil {
		return nil, err
	}
	cfg, err := load(s.Provider, []conftree.File{{Path: renderedPath, Data: out}})
	if err != nil {
		return nil, err
	}
	x := extract(s.Provider, cfg.roots)
	return &x.model, nil
}

// Rediff is the semantic diff of the old configuration and what settings
// (the imported ones, or the wizard's edit of them) render: each change
// explained where the import meant it.
func (r *Result) Rediff(s *render.Settings) ([]semantic.Change, error) {
	m, err := ModelOf(s)
	if err != nil {
		return nil, err
	}
	changes := semantic.Diff(r.old, m)
	for i := range changes {
		changes[i].Why = r.explain(changes[i], s)
	}
	return changes, nil
}

// explain says why a change is intended, or "".
func (r *Result) explain(c semantic.Change, s *render.Settings) string {
	migrated := r.rec != nil && r.rec.migrated
	override := slices.Contains(overrideHeaders, c.Key)
	if why := riskWhy(c, s); why != "" {
		return why
	}
	if why := redirectWhy(c); why != "" {
		return why
	}
	switch {
	case migrated && (c.Aspect == semantic.Routes || c.Aspect == semantic.Redirects || c.Aspect == semantic.Upstreams || c.Aspect == semantic.Headers && override):
		return "Artifactory 6 layout migrated to 7"
	case c.Aspect == semantic.Headers && override && c.Kind == semantic.Changed:
		return "frontdoor's base URL: the client's scheme, name and port"
	case c.Aspect == semantic.Headers && override:
		return "Artifactory 7's base-URL header"
	case c.Aspect == semantic.Routes && c.Kind == semantic.Added && (c.Key == "/artifactory/" || c.Key == "/"):
		return "the Artifactory 7 layout: / to the router, /artifactory/ to Artifactory"
	case c.Aspect == semantic.Upstreams && c.Kind == semantic.Added:
		return "the Artifactory 7 layout: / to the router, /artifactory/ to Artifactory"
	case c.Aspect == semantic.Redirects && c.Kind == semantic.Added && (c.Key == "/" || c.Key == "/ui"):
		return "the Artifactory 7 UI is at /ui/"
	case c.Aspect == semantic.TLSAspect && (c.Key == "protocols" || c.Key == "ciphers"):
		return tlsWhy(c, s)
	case c.Aspect == semantic.TLSAspect && c.Key == "HSTS":
		return "frontdoor sends HSTS when every request is on HTTPS"
	case c.Aspect == semantic.TLSAspect && c.Key == "mTLS" && c.Kind == semantic.Changed:
		return "frontdoor's mTLS"
	case c.Aspect == semantic.Headers && c.Key == s.MTLS.Header && c.New == tokVerified:
		return "only verified client certificates are forwarded"
	case c.Aspect == semantic.Docker && c.Kind != semantic.Removed:
		return "frontdoor's form of the Docker " + string(s.Docker.Method) + " method"
	case c.Aspect == semantic.Names && strings.HasPrefix(c.Key, "{repository}.") && c.Kind != semantic.Changed:
		return "frontdoor's Docker subdomain names (<key>.<serverName>, with any port)"
	case c.Aspect == semantic.Tuning && clientTLSTuning(c.Key):
		return tlsWhy(c, s)
	case c.Aspect == semantic.Tuning:
		return "frontdoor's proxy tuning (big uploads stream, no size limit)"
	case c.Aspect == semantic.Headers && c.Kind == semantic.Added:
		return "frontdoor sends what Artifactory builds its URLs from"
	case c.Aspect == semantic.Headers && (c.Key == "X-Forwarded-Proto" || c.Key == "Host" || c.Key == "X-Forwarded-For"):
		return "frontdoor's forwarding headers"
	}
	return ""
}

// clientTLSTuning reports whether a tuning directive is about the TLS
// clients speak to the door (nginx ssl_*, Apache SSL*), not about the
// proxy's own connection to Artifactory (SSLProxy*).
func clientTLSTuning(name string) bool {
	n := strings.ToLower(name)
	return strings.HasPrefix(n, "ssl") && !strings.HasPrefix(n, "sslproxy")
}

// tlsWhy explains a change of the clients' TLS: frontdoor writes the
// Mozilla profile the settings map to, and nothing else of TLS.
func tlsWhy(c semantic.Change, s *render.Settings) string {
	profile := "Mozilla's " + s.HTTPS.TLSProfile + " TLS profile"
	switch {
	case !s.HTTPS.Enabled:
		return "frontdoor serves no HTTPS with these settings"
	case c.Kind == semantic.Removed:
		return "not part of " + profile + " as frontdoor writes it"
	}
	return profile
}

// Detect tells an nginx configuration from an Apache one by the directives
// its first lines start with; ok is false when the data looks like
// neither (or is frontdoor's own settings file).
func Detect(data []byte) (p render.Provider, ok bool) {
	data = data[:min(len(data), detectBytes)]
	a, n := 0, 0
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		line = bytes.TrimLeft(line, " \t")
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		word := line
		if i := bytes.IndexAny(line, " \t>{;"); i >= 0 {
			word = line[:i]
		}
		nginxLike := bytes.ContainsAny(line, ";{")
		switch {
		case word[0] == '<':
			if apacheSections[strings.ToLower(string(bytes.TrimLeft(word, "</")))] {
				a++
			}
		case nginxLike:
			if nginxWords[string(word)] {
				n++
			}
		case apacheWords[strings.ToLower(string(word))]:
			a++
		}
	}
	switch {
	case a == 0 && n == 0:
		return "", false
	case a > n:
		return render.Apache, true
	}
	return render.Nginx, true
}

// detectBytes is how much of a file Detect reads: the start of a
// configuration says which server it is for.
const detectBytes = 16 << 10

// apacheWords and nginxWords are directives (and Apache sections) a
// reverse-proxy configuration of either server is made of.
var (
	apacheSections = wordSet("virtualhost", "ifmodule", "directory", "location", "proxy", "locationmatch", "ifdefine")
	apacheWords    = wordSet("servername", "serveralias", "proxypass",
		"proxypassreverse", "documentroot", "loadmodule", "rewriterule", "rewritecond", "rewriteengine", "sslengine",
		"sslcertificatefile", "requestheader", "listen", "proxypreservehost", "include", "includeoptional")
	nginxWords = wordSet("server", "http", "upstream", "events", "location", "map", "listen", "server_name", "proxy_pass",
		"ssl_certificate", "proxy_set_header", "rewrite", "return", "include", "user", "worker_processes")
)

func wordSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// WrittenByFrontdoor reports whether a snippet carries frontdoor's header
// (its first line names frontdoor as the author): render.HasHeader.
func WrittenByFrontdoor(data []byte) bool { return render.HasHeader(data) }

// Candidate says whether the file at path is a configuration the wizard
// should offer to import: a readable nginx or Apache configuration not
// written by frontdoor. It never fails: a file it cannot read is not one.
func Candidate(path string) (render.Provider, bool) {
	data, err := conftree.ReadFile(path)
	if err != nil || WrittenByFrontdoor(data) {
		return "", false
	}
	return Detect(data)
}

// IsInputError reports whether err is input the importer cannot use
// (exit 2).
func IsInputError(err error) bool {
	var e *conftree.Error
	return errors.As(err, &e)
}
