// Step 1: every name resolves; for Docker subdomains, every <key>.<server>
// does, and whether a wildcard record is what makes them.

package doorcheck

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"frontdoor/render"
)

func (r *runner) dnsTasks() []func() []Step {
	var tasks []func() []Step
	seen := r.dnsSeen // across runs: a followed redirect's door on the same host is not looked up twice
	var repoNames []Door
	for _, d := range r.plan.Doors {
		if isAddr(d.Host) || seen[d.Host] {
			continue
		}
		seen[d.Host] = true
		if d.Role == RoleDocker && r.plan.Method == render.DockerSubdomain {
			repoNames = append(repoNames, d)
			continue
		}
		tasks = append(tasks, func() []Step { return []Step{timed(func() Step { return r.dnsStep(d) })} })
	}
	if len(repoNames) > 0 {
		tasks = append(tasks, func() []Step { return []Step{timed(func() Step { return r.wildcardStep(repoNames) })} })
	}
	return tasks
}

func isAddr(host string) bool {
	_, err := netip.ParseAddr(host)
	return err == nil
}

func (r *runner) dnsStep(d Door) Step {
	st := Step{Kind: KindDNS, Name: "DNS " + d.Host, Target: d.Host}
	if c, ok := r.canceledStep(st.Kind, st.Name, st.Target); ok {
		return c
	}
	res := r.net.lookup(r.ctx, d.Host, d.Port)
	if res.err != nil {
		st.Status, st.Reason = StatusFail, ReasonDNS
		st.Detail = "does not resolve: " + shortErr(res.err)
		if reason, _ := netReason(res.err); reason == ReasonTimeout {
			st.Detail = "the DNS lookup did not answer within " + r.opt.Timeout.String()
		}
		return st
	}
	st.Status = StatusOK
	st.Detail = addrList(res.addrs)
	if res.via == "--resolve" {
		st.Detail += " (--resolve, DNS not asked)"
	}
	return st
}

// wildcardStep resolves every repository name, and one made-up name under
// the server: when that resolves too, a wildcard record is in place (a new
// repository needs no DNS change).
func (r *runner) wildcardStep(doors []Door) Step {
	parent := strings.TrimPrefix(doors[0].Host, doors[0].Repo+".")
	st := Step{Kind: KindDNS, Name: fmt.Sprintf("DNS *.%s (%d repository %s)", parent, len(doors), plural(len(doors), "name", "names")), Target: "*." + parent}
	if c, ok := r.canceledStep(st.Kind, st.Name, st.Target); ok {
		return c
	}
	var mu sync.Mutex
	var failed []string
	var via string
	r.each(len(doors), func(i int) {
		res := r.net.lookup(r.ctx, doors[i].Host, doors[i].Port)
		mu.Lock()
		defer mu.Unlock()
		if res.err != nil {
			failed = append(failed, doors[i].Host)
		} else if res.via == "--resolve" {
			via = " (--resolve, DNS not asked)"
		}
	})
	probe := r.net.lookup(r.ctx, "frontdoor-check-"+randomHex(4)+"."+parent, doors[0].Port)
	slices.Sort(failed)
	switch {
	case len(failed) > 0:
		st.Status, st.Reason = StatusFail, ReasonNoWildcardRecord
		st.Detail = fmt.Sprintf("%d of %d repository names do not resolve: %s", len(failed), len(doors), listSome(failed, 5))
	case probe.err == nil && probe.via == "--resolve":
		// --resolve '*.parent': DNS was not asked, so nothing is known of
		// a wildcard record there.
		st.Status = StatusOK
		st.Detail = "every repository name resolves (--resolve *." + parent + ", DNS not asked)"
	case probe.err == nil && via != "":
		st.Status = StatusOK
		st.Detail = "every repository name resolves" + via + "; DNS has a wildcard record *." + parent + " for new ones"
	case probe.err == nil:
		st.Status = StatusOK
		st.Detail = "every repository name resolves; a wildcard record covers new ones"
	case via != "":
		st.Status = StatusInfo
		st.Detail = "every repository name resolves" + via + "; DNS has no wildcard record *." + parent + ": a new repository needs a record of its own"
	default:
		st.Status = StatusInfo
		st.Detail = "every repository name resolves, by its own record: a new repository needs a new record (a wildcard *." + parent + " would cover them all)"
	}
	return st
}

func addrList(addrs []netip.Addr) string {
	s := make([]string, len(addrs))
	for i, a := range addrs {
		s[i] = a.String()
	}
	return listSome(s, 4)
}

// listSome joins at most n items and says how many more there are.
func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// since is the time since start for a detail: "1.2 s", "35 ms", "0.3 ms".
func since(start time.Time) string { return duration(time.Since(start)) }

// duration is a duration for a detail.
func duration(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d >= 10*time.Millisecond:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
}
