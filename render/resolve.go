package render

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"time"
)

// NodeLookupTimeout bounds the lookup of one node name: a resolver that does
// not answer within it would stall the web server's start as well.
const NodeLookupTimeout = 2 * time.Second

// maxLookups is how many node names are looked up at once.
const maxLookups = 8

// CheckNodesResolve warns about every node name that does not resolve on
// this machine. nginx and HAProxy resolve server host names when they load
// their configuration, so `nginx -t` or `haproxy -c`, and with it a save,
// fails; Apache and Caddy load the configuration but answer 503 or 502 until
// the name resolves. IP addresses, names Validate rejects and the providers
// without nodes (Tomcat, Kubernetes) are skipped. The names are looked up concurrently,
// each within NodeLookupTimeout; when ctx ends first, the nodes not yet
// answered get no finding (the caller gave up, nothing was learnt).
//
// Unlike Validate it does network IO and can take up to NodeLookupTimeout:
// the wizard must run it in a tea.Cmd, never in Update or View, and drop
// results for node lists that changed meanwhile. The commands call it after
// Validate (validate, save, render).
func CheckNodesResolve(ctx context.Context, s *Settings) Findings {
	return checkNodesResolve(ctx, s, net.DefaultResolver)
}

func checkNodesResolve(ctx context.Context, s *Settings, r *net.Resolver) Findings {
	switch s.Provider {
	case Nginx, Apache, HAProxy, Caddy:
	default:
		return nil // no proxy, or Services instead of nodes
	}
	type lookup struct {
		index int
		name  string
		addrs []string
		err   error
	}
	var todo []*lookup
	seen := map[string]bool{}
	for i, node := range s.Nodes {
		n, ok := NormalizeNode(node)
		if !ok || seen[n] || looksNumeric(n) {
			continue // Validate reports it (a number not a dotted quad: an error)
		}
		seen[n] = true
		if _, err := netip.ParseAddr(n); err == nil || n[0] == '[' {
			continue // an address needs no lookup
		}
		todo = append(todo, &lookup{index: i, name: n})
	}
	if len(todo) == 0 {
		return nil
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, maxLookups)
	for _, lk := range todo {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			lctx, cancel := context.WithTimeout(ctx, NodeLookupTimeout)
			defer cancel()
			lk.addrs, lk.err = r.LookupHost(lctx, lk.name)
		}()
	}
	wg.Wait()
	var out Findings
	resolved := map[int][]netip.Addr{}
	for _, lk := range todo {
		if lk.err == nil {
			resolved[lk.index] = parseAddrs(lk.addrs)
		}
		if lk.err == nil || ctx.Err() != nil && !isNotFound(lk.err) {
			continue
		}
		out = append(out, Finding{
			Path:     "proxy.nodes[" + strconv.Itoa(lk.index) + "]",
			Severity: Warning,
			Message:  unresolvedMessage(s.Provider, lk.name, lk.err),
		})
	}
	return append(out, sameMachine(s.Nodes, resolved)...)
}

// sameMachine warns about a node name that resolves here to a machine an
// earlier node is already (an address in common, or this host for both),
// which Validate cannot know: a machine listed twice gets twice the
// requests and "fails over" to itself. Pairs Validate judges (addresses
// and localhost, or every node this host) are left to it.
func sameMachine(nodes []string, resolved map[int][]netip.Addr) Findings {
	if everyNodeLocal(nodes) {
		return nil // Validate says so
	}
	addrs := func(i int) []netip.Addr {
		if a, ok := resolved[i]; ok {
			return a
		}
		return knownAddrs(nodes[i])
	}
	var out Findings
	for i := range nodes {
		for j := range i {
			if resolved[i] == nil && resolved[j] == nil || knownAddrs(nodes[i]) != nil && knownAddrs(nodes[j]) != nil {
				continue // not resolved, or addresses and localhost: Validate's
			}
			a, b := addrs(j), addrs(i)
			why := sharedAddr(a, b)
			if why == "" && allLoopback(a) && allLoopback(b) {
				why = "both this host"
			}
			if why == "" {
				continue
			}
			out = append(out, Finding{
				Path:     "proxy.nodes[" + strconv.Itoa(i) + "]",
				Severity: Warning,
				Message:  fmt.Sprintf("%q and nodes[%d] %q are the same machine here (%s): list each node once", nodes[i], j, nodes[j], why),
			})
			break
		}
	}
	return out
}

func parseAddrs(list []string) []netip.Addr {
	var out []netip.Addr
	for _, s := range list {
		if a, err := netip.ParseAddr(s); err == nil {
			out = append(out, a.WithZone("").Unmap())
		}
	}
	return out
}

func allLoopback(addrs []netip.Addr) bool {
	for _, a := range addrs {
		if !a.IsLoopback() {
			return false
		}
	}
	return len(addrs) > 0
}

func isNotFound(err error) bool {
	var dns *net.DNSError
	return errors.As(err, &dns) && dns.IsNotFound
}

func unresolvedMessage(p Provider, name string, err error) string {
	why := "it does not resolve on this machine"
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns) && dns.IsNotFound:
	case errors.As(err, &dns) && dns.IsTimeout || errors.Is(err, context.DeadlineExceeded):
		why = fmt.Sprintf("its lookup on this machine got no answer within %v", NodeLookupTimeout)
	default:
		why = fmt.Sprintf("its lookup on this machine failed (%v)", err)
	}
	var effect string
	switch p {
	case Apache:
		effect = "Apache loads the configuration but answers 503 until the name resolves"
	case HAProxy:
		effect = "HAProxy refuses a configuration whose server address it cannot resolve (haproxy -c: could not resolve address), so the save would fail"
	case Caddy:
		effect = "Caddy loads the configuration but answers 502 until the name resolves"
	default:
		effect = "nginx refuses a configuration whose upstream it cannot resolve (nginx -t: host not found in upstream), so the save would fail"
	}
	return fmt.Sprintf("%q: %s: %s; add it to DNS or /etc/hosts on the proxy host, or give the node's IP address", name, why, effect)
}

// ValidateHere is everything that can be checked from this machine, for the
// commands (validate, render, save): Validate, the certificate, key and
// client-CA files (ValidateWithFiles), whether the node names resolve
// (CheckNodesResolve, at most NodeLookupTimeout) and, for Apache, the
// ports the server's configuration already listens on (CheckApacheListens).
// The wizard runs the same parts separately: Validate on every keystroke,
// the others in tea.Cmds.
func ValidateHere(ctx context.Context, s *Settings, now time.Time) (Findings, *CertInfo) {
	return ValidateHereUnder(ctx, s, now, "/")
}

// ValidateHereUnder is ValidateHere for a save into a copy of the server's
// configuration (save --root ROOT): the web server's configuration is read
// under root ("/" or "" for this machine's).
func ValidateHereUnder(ctx context.Context, s *Settings, now time.Time, root string) (Findings, *CertInfo) {
	if root == "" {
		root = "/"
	}
	fs, ci := ValidateWithFiles(s, now)
	fs = append(fs, CheckNodesResolve(ctx, s)...)
	return append(fs, CheckApacheListens(s, root)...), ci
}
