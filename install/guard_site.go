package install

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"frontdoor/internal/safefile"
	"frontdoor/render"
)

// A file that exists and that frontdoor did not write may be replaced by a
// snippet only when it is a site configuration of the provider: nginx -t
// passes with upstream and server blocks written over mime.types (both are
// valid inside http{}), so the check alone would let a save replace one of
// the server's own files and call it "saved and checked".

// siteConfigLimit bounds how much of a file the guard reads: a site
// configuration is a few kilobytes; a larger file is not one to replace.
const siteConfigLimit = 4 << 20

// siteRule is what a site configuration of a provider holds.
type siteRule struct {
	holds string         // "a server or upstream block", for the refusal
	match *regexp.Regexp // matched against the file without comments
}

var siteRules = map[render.Provider]siteRule{
	render.Nginx:   {"no server or upstream block", regexp.MustCompile(`(?m)^\s*(server\s*\{|upstream\s+\S+\s*\{)`)},
	render.Apache:  {"no <VirtualHost> section", regexp.MustCompile(`(?mi)^\s*<VirtualHost[\s>]`)},
	render.HAProxy: {"no frontend, backend or listen section", regexp.MustCompile(`(?m)^\s*(frontend|backend|listen)(\s|$)`)},
	render.Caddy:   {"no site block (ADDRESS {)", nil}, // caddySite: only a block at the top level is a site
}

// guardSite refuses an existing target that frontdoor did not write and
// that is not a site configuration of the detected provider. An empty file
// (or one of comments and blank lines only) holds nothing to lose.
func (d Destination) guardSite() error {
	if d.Path == "" || d.Detected.Manifest {
		return nil
	}
	rule, known := siteRules[render.Provider(d.Detected.Provider)]
	if !known {
		return nil
	}
	file := resolveExisting(d.Path)
	content, _, err := safefile.Read(file, siteConfigLimit)
	var tooLarge *safefile.TooLargeError
	switch {
	case errors.As(err, &tooLarge):
		return d.notSite(file, fmt.Sprintf("is larger than %d MiB", siteConfigLimit>>20))
	case err != nil || render.HasHeader(content):
		return nil // nothing there (or unreadable: the save says so), or frontdoor's
	}
	body := stripComments(content)
	if strings.TrimSpace(body) == "" {
		return nil
	}
	if rule.match != nil && rule.match.MatchString(body) || rule.match == nil && caddySite(body) {
		return nil
	}
	return d.notSite(file, "holds "+rule.holds)
}

// notSite is the refusal of a target that is not a site configuration.
func (d Destination) notSite(file, why string) error {
	shown := d.Path
	if file != filepath.Clean(d.Path) {
		shown += " (" + file + ")"
	}
	name := d.Detected.Provider
	if info, ok := render.Info(render.Provider(name)); ok {
		name = info.Label
	}
	return fmt.Errorf("the target %s %s: it is not a site configuration for %s that frontdoor could replace, nor a file frontdoor wrote, and %s the snippet there would replace what it holds; save to the snippet's own file%s",
		shown, why, name, d.writing(), d.suggestion(true))
}

// stripComments is content without its comments: from a # at the start of
// a line or after white space to the end of the line (the comment syntax of
// all four servers; a # inside a value, as in a URL fragment, stays).
func stripComments(content []byte) string {
	lines := strings.Split(string(content), "\n")
	for i, l := range lines {
		for j := 0; j < len(l); j++ {
			if l[j] == '#' && (j == 0 || l[j-1] == ' ' || l[j-1] == '\t') {
				lines[i] = l[:j]
				break
			}
		}
	}
	return strings.Join(lines, "\n")
}

// caddySite reports whether a Caddyfile holds a site block: at the top
// level, a line of addresses ending in "{" (not the global options block,
// a bare "{", nor a snippet, "(name) {").
func caddySite(body string) bool {
	depth := 0
	for _, l := range strings.Split(body, "\n") {
		l = strings.TrimSpace(l)
		if depth == 0 && strings.HasSuffix(l, "{") {
			head := strings.TrimSpace(strings.TrimSuffix(l, "{"))
			if head != "" && !strings.HasPrefix(head, "(") {
				return true
			}
		}
		depth += strings.Count(l, "{") - strings.Count(l, "}")
		depth = max(depth, 0)
	}
	return false
}
