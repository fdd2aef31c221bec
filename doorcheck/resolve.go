package doorcheck

import (
	"net/netip"
	"strings"
)

// ResolveAll sends every name a run of plan looks up to addr instead of
// DNS, as `--resolve NAME:ADDR` for each door's host and `--resolve
// '*.SERVER:ADDR'` for the names below the server name would: the Docker
// subdomains, and the made-up name the DNS step looks up to learn whether
// a wildcard record covers new repositories. Without the wildcard that one
// name would go to real DNS, and the step would judge DNS while every other
// name went to addr. A host that is an address needs nothing. The wizard's
// "Test against" and Verify (this machine's listeners) send names here.
func ResolveAll(plan Plan, addr netip.Addr) []Resolve {
	var out []Resolve
	var wild Resolve
	if name := strings.ToLower(plan.ServerName); name != "" && !isAddr(name) {
		wild = Resolve{Host: "*." + name, Addr: addr}
	}
	seen := map[string]bool{}
	for _, d := range plan.Doors {
		if isAddr(d.Host) || seen[d.Host] || (wild.Host != "" && wild.matches(d.Host, d.Port)) {
			continue
		}
		seen[d.Host] = true
		out = append(out, Resolve{Host: d.Host, Addr: addr})
	}
	if wild.Host != "" {
		out = append(out, wild)
	}
	return out
}
