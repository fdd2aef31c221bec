package importer

import (
	"strings"

	"frontdoor/importer/semantic"
	"frontdoor/internal/lazyregexp"
)

// everythingRedirect reads the listener fact of a server that redirects
// everything: "http, redirects everything (301) to https://{host}{uri}".
var everythingRedirect = lazyregexp.New(`redirects everything \(([0-9]+)\) to (\S+)`)

// Why a changed redirect of everything (HTTP to HTTPS) is intended.
const (
	whyRedirectTarget = "frontdoor redirects to the name and path the client asked for"
	whyRedirectStatus = "308 keeps the method: an upload (PUT, POST) sent to http:// stays an upload, where 301 and 302 let clients turn it into a GET"
)

// redirectWhy explains a listener whose redirect of everything changed
// (its target, its status, or both), "" when c is not one.
func redirectWhy(c semantic.Change) string {
	if c.Aspect != semantic.Listeners || c.Kind != semantic.Changed {
		return ""
	}
	old, new := everythingRedirect().FindStringSubmatch(c.Old), everythingRedirect().FindStringSubmatch(c.New)
	if old == nil || new == nil {
		return ""
	}
	var why []string
	if old[2] != new[2] {
		why = append(why, whyRedirectTarget)
	}
	if old[1] != new[1] && new[1] == "308" {
		why = append(why, whyRedirectStatus)
	}
	if len(why) == 0 { // changed elsewhere in the fact: the same kind of change as before
		return whyRedirectTarget
	}
	return strings.Join(why, "; ")
}
