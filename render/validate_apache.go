package render

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"

	"frontdoor/internal/apacheconf"
)

// CheckApacheListens warns about each port the Apache snippet declares with
// Listen that the Apache configuration under root ("/" for this machine)
// already listens on for every address: Apache refuses the second (apache2ctl
// -t: AH00526 "Cannot define multiple Listeners on the same IP:port") and
// names only the snippet's line, so the save fails with nothing pointing at
// ports.conf. Files frontdoor wrote (HeaderMarker) are left out: a save
// replaces its own. It reads the configuration (Include, IncludeOptional
// followed), so it is ValidateHere's, not Validate's; nothing when there is
// no Apache configuration under root or the provider is not Apache.
func CheckApacheListens(s *Settings, root string) Findings {
	if s.Provider != Apache {
		return nil
	}
	ports, listen443 := apacheListens(s, newView(s))
	if len(ports) == 0 && !listen443 {
		return nil
	}
	main, serverRoot, ok := apacheconf.Main(root)
	if !ok {
		return nil
	}
	var files []string
	for _, f := range apacheconf.Files(main, serverRoot) {
		if !writtenByFrontdoor(f) {
			files = append(files, f)
		}
	}
	taken := map[string][]apacheconf.Listen{}
	for _, l := range apacheconf.Listens(files) {
		if l.AllAddresses() {
			taken[l.Port] = append(taken[l.Port], l)
		}
	}
	var out Findings
	warn := func(port string, others []apacheconf.Listen) {
		places := make([]string, len(others))
		for i, o := range others {
			places[i] = o.String()
			if o.Conditional {
				// Whether the section applies (a module loaded, a Define
				// given) is not judged here: said, not assumed.
				places[i] += " (inside <IfModule> or <IfDefine>: if that section applies)"
			}
		}
		out = append(out, Finding{
			Path:     listenPortPath(s, port),
			Severity: Warning,
			Message: fmt.Sprintf("Listen %s is also in %s: Apache refuses two Listen lines for one port (apache2ctl -t: Cannot define multiple Listeners): remove it there (frontdoor's snippet declares the ports it uses)",
				port, strings.Join(places, ", ")),
		})
	}
	for _, p := range ports {
		if others := taken[p]; len(others) > 0 {
			warn(p, others)
		}
	}
	if listen443 { // the snippet's Listen 443 applies without an SSL module: only an unconditional one clashes
		var others []apacheconf.Listen
		for _, o := range taken["443"] {
			if !o.Conditional {
				others = append(others, o)
			}
		}
		if len(others) > 0 {
			warn("443", others)
		}
	}
	return out
}

// listenPortPath is the setting a Listen port comes from.
func listenPortPath(s *Settings, port string) string {
	switch {
	case s.HTTP.Enabled && strconv.Itoa(s.HTTP.Port) == port:
		return "proxy.http.port"
	case s.HTTPS.Enabled && strconv.Itoa(s.HTTPS.Port) == port:
		return "proxy.https.port"
	}
	for i, r := range s.Docker.Repositories {
		if strconv.Itoa(r.Port) == port {
			return fmt.Sprintf("proxy.docker.repositories[%d].port", i)
		}
	}
	return "proxy"
}

// writtenByFrontdoor reports whether file's first line carries HeaderMarker.
func writtenByFrontdoor(file string) bool {
	f, err := os.Open(file)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), 64*1024)
	return sc.Scan() && strings.HasSuffix(sc.Text(), HeaderMarker)
}
