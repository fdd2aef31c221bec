package install

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"frontdoor/internal/apacheconf"
	"frontdoor/internal/lazyregexp"
)

// Where a web server's check places an error, file and line:
//
//	nginx:   … in /etc/nginx/nginx.conf:18
//	HAProxy: … parsing [/etc/haproxy/haproxy.cfg:18] : …
//	Caddy:   … /etc/caddy/Caddyfile:18: unrecognized directive …
//	Apache:  AH00526: Syntax error on line 18 of /etc/apache2/apache2.conf:
var (
	fileLinePattern   = lazyregexp.New(`(/[^\s:\[\]"'(),]+):(\d+)`)
	apacheLinePattern = lazyregexp.New(`[Ss]yntax error on line (\d+) of (/[^\s:]+)`)
)

// errorLocations are the places (FILE:LINE) a failed check's output puts
// its errors, in order, each once. Only paths of files that exist count, so
// neither a time stamp nor a URL is taken for one.
func errorLocations(output string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(file, line string) {
		if fi, err := os.Stat(file); err != nil || !fi.Mode().IsRegular() {
			return
		}
		if loc := file + ":" + line; !seen[loc] {
			seen[loc] = true
			out = append(out, loc)
		}
	}
	for _, l := range strings.Split(output, "\n") {
		if m := apacheLinePattern().FindStringSubmatch(l); m != nil {
			add(m[2], m[1])
			continue
		}
		for _, m := range fileLinePattern().FindAllStringSubmatch(l, -1) {
			add(m[1], m[2])
		}
	}
	return out
}

// errorsOutside says where a failed check's errors are when every one it
// places is in another file than ours (the saved file, by any of its
// names: the target, the file, the enable link): "the error is in
// /etc/nginx/nginx.conf:18, outside frontdoor's file". "" when the output
// places none, or any in ours: then the snippet may be at fault.
func errorsOutside(output string, ours ...string) string {
	locs := errorLocations(output)
	if len(locs) == 0 {
		return ""
	}
	for _, loc := range locs {
		if isOurs(loc[:strings.LastIndex(loc, ":")], ours) {
			return ""
		}
	}
	if len(locs) == 1 {
		return fmt.Sprintf("the error is in %s, outside frontdoor's file", locs[0])
	}
	return fmt.Sprintf("the errors are in %s, outside frontdoor's file", strings.Join(locs, ", "))
}

// SamePath reports whether a and b name one file: the same path, or
// through symlinks (a link in sites-enabled, as nginx names it).
func SamePath(a, b string) bool {
	return filepath.Clean(a) == filepath.Clean(b) || sameFile(a, b)
}

// apacheListenClash is Apache's refusal of a second Listen for one port.
const apacheListenClash = "Cannot define multiple Listeners"

// listenClash explains a check that failed on apacheListenClash, which
// names only the line Apache read second (usually the snippet's, since
// ports.conf is read first): the Listen at that line, and every Listen of
// the configuration the check reads (files, as CheckScope.Files) for all
// addresses of the same port outside ours: "Listen 5001 is also in
// /etc/apache2/ports.conf:12: Apache refuses two Listen lines for one
// port: remove it there (frontdoor's snippet declares the ports it uses)".
// "" for any other failure, or when the other line is not found.
func listenClash(output string, files []string, ours ...string) string {
	if !strings.Contains(output, apacheListenClash) {
		return ""
	}
	m := apacheLinePattern().FindStringSubmatch(output)
	if m == nil {
		return ""
	}
	line, _ := strconv.Atoi(m[1])
	port := ""
	for _, l := range apacheconf.Listens([]string{m[2]}) {
		if l.Line == line {
			port = l.Port
		}
	}
	if port == "" {
		return ""
	}
	var places []string
	for _, l := range apacheconf.Listens(files) {
		if l.Port == port && l.AllAddresses() && !isOurs(l.File, ours) {
			places = append(places, l.String())
		}
	}
	if len(places) == 0 {
		return ""
	}
	return fmt.Sprintf("Listen %s is also in %s: Apache refuses two Listen lines for one port: remove it there (frontdoor's snippet declares the ports it uses)", port, strings.Join(places, ", "))
}

func isOurs(file string, ours []string) bool {
	for _, o := range ours {
		if o != "" && SamePath(file, o) {
			return true
		}
	}
	return false
}
