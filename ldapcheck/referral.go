// Referrals: information, never followed by the test. The vendor's server
// follows them by default, so each referral's host is looked up: the admin
// learns whether the server could reach it.

package ldapcheck

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// maxReferralHosts bounds the look-ups one run makes for referrals.
const maxReferralHosts = 5

// reportReferrals says which references a search returned, with their
// hosts resolved (Active Directory adds DomainDnsZones and friends to
// searches from the domain root).
func (r *runner) reportReferrals(res *ldap.SearchResult) {
	if res == nil || len(res.Referrals) == 0 {
		return
	}
	notes, hint := r.referralHosts(res.Referrals)
	r.emit(Step{Kind: StepReferral, Name: "Referrals", Status: StatusInfo, Reason: ReasonReferral,
		Detail: "the server also returned references (not followed): " + strings.Join(res.Referrals, ", ") + notes, Hint: hint})
}

// referralHosts looks up the host of each referral URL once per run and
// says what it found.
func (r *runner) referralHosts(uris []string) (notes, hint string) {
	if r.resolved == nil {
		r.resolved = map[string]string{}
	}
	var parts []string
	unresolved := false
	seen := map[string]bool{}
	for _, raw := range uris {
		u, err := url.Parse(raw)
		if err != nil || u.Hostname() == "" || seen[u.Hostname()] {
			continue
		}
		host := u.Hostname()
		seen[host] = true
		if len(seen) > maxReferralHosts {
			break
		}
		note, ok := r.resolved[host]
		if !ok {
			note = r.resolveReferral(host)
			r.resolved[host] = note
		}
		if strings.Contains(note, "does not resolve") {
			unresolved = true
		}
		parts = append(parts, note)
	}
	if len(parts) == 0 {
		return "", ""
	}
	notes = "; " + strings.Join(parts, "; ")
	hint = "the vendor's server follows referrals by default, binding there as the manager: it must reach each referral host from where it runs"
	if unresolved {
		hint = "the vendor's server follows referrals by default: a referral host it cannot resolve or reach slows searches from the domain root down or fails them; " +
			"search from an OU (search.base) instead of the domain root, or use the global catalog (port 3268, or 3269 with TLS), which returns no referrals"
	}
	return notes, hint
}

func (r *runner) resolveReferral(host string) string {
	if ip := net.ParseIP(host); ip != nil {
		return host + " is an IP address"
	}
	limit := r.opt.ConnectTimeout
	if limit > 3*time.Second {
		limit = 3 * time.Second // information only: do not hold the run up
	}
	ctx, cancel := context.WithTimeout(r.ctx, limit)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupHost(ctx, host)
	if err != nil {
		return fmt.Sprintf("%s does not resolve from here (%v)", host, shortDNSError(err))
	}
	return fmt.Sprintf("%s resolves to %s", host, strings.Join(addrs, ", "))
}

func shortDNSError(err error) string {
	if de, ok := err.(*net.DNSError); ok {
		switch {
		case de.IsNotFound:
			return "no such host"
		case de.IsTimeout:
			return "no answer in time"
		}
		return de.Err
	}
	return err.Error()
}
