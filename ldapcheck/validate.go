package ldapcheck

import (
	"errors"
	"fmt"
	"frontdoor/finding"
	"frontdoor/internal/lazyregexp"
	"net"
	"strconv"
	"strings"
	"unicode"

	"github.com/go-ldap/ldap/v3"
)

// The LDAP validator reports in the shared finding shape.
type (
	Severity = finding.Severity
	Finding  = finding.Finding
	Findings = finding.Findings
)

const (
	Error   = finding.Error
	Warning = finding.Warning
)

// SettingPath is the finding path of settings[i], e.g. "ldap.settings[0]".
func SettingPath(i int) string { return fmt.Sprintf("ldap.settings[%d]", i) }

// GroupPath is the finding path of groups[i], e.g. "ldap.groups[0]".
func GroupPath(i int) string { return fmt.Sprintf("ldap.groups[%d]", i) }

// ForSetting returns the findings that matter when testing settings[i]:
// the setting itself and the group settings that refer to it.
// One pass over the findings (not one per group setting): a file with
// thousands of group settings, e.g. YAML aliases, stays linear.
func ForSetting(fs Findings, c Config, i int) Findings {
	out := fs.For(SettingPath(i))
	if i < 0 || i >= len(c.Settings) {
		return out
	}
	byGroup := map[int]Findings{}
	for _, f := range fs {
		if j, ok := groupIndex(f.Path); ok && j < len(c.Groups) && c.Groups[j].LDAPSetting == c.Settings[i].Key {
			byGroup[j] = append(byGroup[j], f)
		}
	}
	for j := range c.Groups { // in the order of the group settings, as before
		out = append(out, byGroup[j]...)
	}
	return out
}

// groupIndex reads j from a path that is GroupPath(j) or under it
// ("ldap.groups[3].name"); "ldap.groups[03]" is not groups[3].
func groupIndex(path string) (int, bool) {
	rest, ok := strings.CutPrefix(path, "ldap.groups[")
	end := strings.IndexByte(rest, ']')
	if !ok || end <= 0 {
		return 0, false
	}
	j, err := strconv.Atoi(rest[:end])
	if err != nil || j < 0 || strconv.Itoa(j) != rest[:end] {
		return 0, false
	}
	if after := rest[end+1:]; after != "" && after[0] != '.' && after[0] != '[' {
		return 0, false
	}
	return j, true
}

// Validate checks the ldap section without touching the network or the disk:
// it runs on every keystroke in the wizard.
func Validate(c Config) Findings {
	var l finding.List
	keys := map[string]int{}
	enabled := 0
	for i, s := range c.Settings {
		p := SettingPath(i)
		switch {
		case strings.TrimSpace(s.Key) == "":
			l.Errorf(p+".key", "empty: give the setting a unique name, e.g. corp")
		case strings.ContainsFunc(s.Key, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
			l.Errorf(p+".key", "%s contains spaces or control characters: use letters, digits, - or _", Quote(s.Key))
		default:
			if first, dup := keys[s.Key]; dup {
				l.Errorf(p+".key", "%s is already the key of ldap.settings[%d]: keys must be unique", Quote(s.Key), first)
			} else {
				keys[s.Key] = i
			}
		}
		if s.Enabled {
			enabled++
		}
		validateSetting(&l, p, s)
	}
	if len(c.Settings) > 0 && enabled == 0 {
		l.Warnf("ldap.settings", "no setting is enabled: set enabled: true on the one the server should use")
	}
	names := map[string]int{}
	for j, g := range c.Groups {
		p := GroupPath(j)
		if strings.TrimSpace(g.Name) == "" {
			l.Errorf(p+".name", "empty: give the group setting a unique name, e.g. corp-groups")
		} else if first, dup := names[g.Name]; dup {
			l.Errorf(p+".name", "%s is already the name of ldap.groups[%d]: names must be unique", Quote(g.Name), first)
		} else {
			names[g.Name] = j
		}
		validateGroup(&l, p, g, c, keys)
	}
	return l.Out
}

// errUnprintable stands for a URL refused for a control character (the
// finding says so): the checks that need a parsed URL are left out.
var errUnprintable = errors.New("a control character")

// oneLine refuses a DN, filter or URL setting that holds a character Quote
// escapes (a newline, an escape, a right-to-left override, an invisible
// one): each is one line of printable text, and such a character would
// reach the directory as part of a name, or the terminal that prints the
// value. true when it refused (the field's other checks are then left out).
func oneLine(l *finding.List, path, value string) bool {
	c := firstUnprintable(value)
	if c == "" {
		return false
	}
	l.Errorf(path, "%s contains a control character (%s): write it on one line of printable text", Quote(value), c)
	return true
}

func validateSetting(l *finding.List, p string, s Setting) {
	base := ""
	var e Endpoint
	err := errUnprintable
	if !oneLine(l, p+".url", s.URL) {
		e, err = ParseURL(s.URL)
	}
	switch {
	case err == errUnprintable:
	case err != nil:
		l.Errorf(p+".url", "%v; write it as ldap://host:389/dc=example,dc=com or ldaps://host:636/dc=example,dc=com", err)
	default:
		validateEndpoint(l, p, s, e)
		base = e.BaseDN
	}
	if s.StartTLS && err == nil && e.TLS() {
		l.Errorf(p+".startTls", "ldaps:// is already TLS: set startTls: false, or use ldap:// with startTls: true")
	}
	tls := err == nil && (e.TLS() || s.StartTLS)
	if s.InsecureSkipVerify {
		if tls {
			l.Warnf(p+".insecureSkipVerify", "certificates are NOT verified: anyone on the path can read passwords; set caFile to the directory's CA instead")
		} else {
			l.Warnf(p+".insecureSkipVerify", "has no effect without ldaps:// or startTls: true")
		}
	}
	if s.CAFile != "" && err == nil && !tls {
		l.Warnf(p+".caFile", "unused without ldaps:// or startTls: true")
	}

	pattern := strings.TrimSpace(s.UserDNPattern) != ""
	filter := strings.TrimSpace(s.Search.Filter) != ""
	if pattern && !oneLine(l, p+".userDnPattern", s.UserDNPattern) {
		validatePattern(l, p+".userDnPattern", s.UserDNPattern, base)
	}
	if filter && !oneLine(l, p+".search.filter", s.Search.Filter) {
		validateFilter(l, p+".search.filter", s.Search.Filter, true)
	}
	switch {
	case !pattern && !filter:
		l.Errorf(p+".userDnPattern", "set a user DN pattern (e.g. uid={0},ou=people) or a search filter (e.g. (uid={0})): without either no user can log in")
	case pattern && filter:
		l.Warnf(p+".userDnPattern", "both a DN pattern and a search filter are set; they are usually exclusive (for Active Directory leave the DN pattern empty)")
	}

	if s.Search.Base != "" && !oneLine(l, p+".search.base", s.Search.Base) {
		bases := s.Search.SearchBases()
		for k, b := range bases {
			switch {
			case b == "" && len(bases) > 1:
				l.Warnf(p+".search.base", "base %d of %d is empty (stray |?): that search runs from the URL's base DN", k+1, len(bases))
			case b != strings.TrimSpace(b):
				l.Warnf(p+".search.base", "base %s has spaces around it; the server uses it as is: remove them", Quote(b))
			}
			if b == "" {
				continue
			}
			if _, err := parseDN(b); err != nil {
				l.Errorf(p+".search.base", "base %s is not a DN (%v); write it relative to the URL's base DN, e.g. ou=people, and separate several with |", Quote(b), err)
			}
		}
	}
	if s.Search.Base != "" && !filter {
		l.Warnf(p+".search.base", "unused without a search filter")
	}
	if s.Search.ManagerDN != "" {
		switch kind := ManagerNameKind(s.Search.ManagerDN); {
		case oneLine(l, p+".search.managerDn", s.Search.ManagerDN):
		case kind == ManagerUPN:
			l.Warnf(p+".search.managerDn", "note: %s is a user principal name, not a DN: Active Directory binds it as is (and the export keeps it); other directories want the full DN, e.g. cn=reader,dc=example,dc=com", Quote(s.Search.ManagerDN))
		case kind == ManagerDownLevel:
			l.Warnf(p+".search.managerDn", "note: %s is a down-level logon name (DOMAIN\\user), not a DN: Active Directory binds it as is (and the export keeps it); other directories want the full DN, e.g. cn=reader,dc=example,dc=com", Quote(s.Search.ManagerDN))
		default:
			if _, err := parseDN(s.Search.ManagerDN); err != nil {
				l.Errorf(p+".search.managerDn", "not a DN (%v); write the full DN, e.g. cn=reader,dc=example,dc=com (Active Directory also takes reader@corp.example.com or CORP\\reader)", err)
			}
		}
		switch {
		case s.Search.ManagerPasswordEnv != "" && s.Search.ManagerPasswordFile != "":
			l.Errorf(p+".search.managerPasswordEnv", "set managerPasswordEnv or managerPasswordFile, not both")
		case s.Search.ManagerPasswordEnv == "" && s.Search.ManagerPasswordFile == "":
			l.Warnf(p+".search.managerPasswordEnv", "no managerPasswordEnv or managerPasswordFile: the test cannot bind as the manager; name an environment variable (e.g. FRONTDOOR_LDAP_MANAGER_PASSWORD) or a file that holds the password")
		}
	} else if s.Search.ManagerPasswordEnv != "" || s.Search.ManagerPasswordFile != "" {
		l.Warnf(p+".search.managerDn", "a manager password is referenced but managerDn is empty: searches run anonymously")
	}
	if v := s.Search.ManagerPasswordEnv; v != "" && !envName().MatchString(v) {
		// Never echo the value: people paste the password itself here.
		l.Errorf(p+".search.managerPasswordEnv", "not an environment variable name: give the NAME of a variable (e.g. FRONTDOOR_LDAP_MANAGER_PASSWORD) that holds the password, never the password")
	}
	if s.EmailAttribute != "" && !attributeName().MatchString(s.EmailAttribute) {
		l.Errorf(p+".emailAttribute", "%s is not an attribute name (letters, digits and -, starting with a letter, e.g. mail)", Quote(s.EmailAttribute))
	}
}

func validateEndpoint(l *finding.List, p string, s Setting, e Endpoint) {
	u := p + ".url"
	if e.Host == "" {
		l.Errorf(u, "no host: write it as %s://host:%s/dc=example,dc=com", e.Scheme, e.Port)
	}
	if n, err := strconv.Atoi(e.Port); err != nil || n < 1 || n > 65535 {
		l.Errorf(u, "port %s is not a number from 1 to 65535 (389 for ldap://, 636 for ldaps://)", Quote(e.Port))
	}
	if raw := strings.SplitN(s.URL, "?", 2); len(raw) == 2 || strings.Contains(s.URL, "#") {
		l.Errorf(u, "remove the ?attributes?scope?filter or # part: the server only reads host, port and base DN")
	}
	if strings.Contains(s.URL, "@") {
		l.Errorf(u, "no user or password in the URL: use search.managerDn and managerPasswordEnv")
	}
	if strings.ContainsAny(s.URL, " \t") {
		// Spring's context source, which the vendor builds on, reads
		// whitespace in its URL setting as a separator between several
		// server URLs: "/o=Acme Corp,c=US" breaks in two there.
		l.Errorf(u, "contains a space: write spaces in the base DN as %%20 (e.g. /o=Acme%%20Corp,c=US); the server splits its URL at spaces")
	}
	switch {
	case strings.HasSuffix(e.BaseDN, "/"):
		// Everything after the host's slash is the base DN, a trailing
		// slash included: the directory then answers "invalid DN" or
		// "no such object" to every search.
		l.Errorf(u, "base DN %s ends with \"/\": remove the trailing slash (everything after the host's / is the base DN)", Quote(e.BaseDN))
	case e.BaseDN == "":
		l.Warnf(u, "no base DN after the host (e.g. /dc=example,dc=com): DN patterns and search bases are then absolute")
	default:
		if _, err := parseDN(e.BaseDN); err != nil {
			l.Errorf(u, "base DN %s is not a DN (%v); write it as /dc=example,dc=com (spaces as %%20)", Quote(e.BaseDN), err)
		}
	}
	switch {
	case !e.TLS() && (e.Port == "636" || e.Port == "3269"):
		l.Warnf(u, "port %s usually speaks TLS from the first byte (LDAPS%s): use ldaps://", e.Port, gcNote(e.Port))
	case e.TLS() && (e.Port == "389" || e.Port == "3268"):
		l.Warnf(u, "port %s usually speaks plain LDAP%s: ldaps:// needs the TLS port (%s), or use ldap:// with startTls: true", e.Port, gcNote(e.Port), tlsPortFor(e.Port))
	}
	if !e.TLS() && !s.StartTLS && !isLoopback(e.Host) && e.Host != "" {
		l.Warnf(u, "plain ldap:// without startTls sends passwords in clear text: use ldaps:// or startTls: true")
	}
}

// parseDN parses a DN as go-ldap does and also checks each attribute type,
// which go-ldap lets through (it takes "(uid" for a type): a directory would
// refuse such a DN at bind or search time, so say so while the user types.
func parseDN(s string) (*ldap.DN, error) {
	dn, err := ldap.ParseDN(s)
	if err != nil {
		return nil, err
	}
	for _, rdn := range dn.RDNs {
		for _, a := range rdn.Attributes {
			if !attributeName().MatchString(a.Type) {
				return nil, fmt.Errorf("%s is not an attribute type: letters, digits and '-', starting with a letter (e.g. uid, cn, ou)", Quote(a.Type))
			}
		}
	}
	return dn, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func validatePattern(l *finding.List, path, pattern, base string) {
	if !strings.Contains(pattern, "{0}") {
		l.Errorf(path, "must contain {0} where the username goes, e.g. uid={0},ou=people")
		return
	}
	dn := joinDN(strings.ReplaceAll(pattern, "{0}", "x"), base)
	if _, err := parseDN(dn); err != nil {
		l.Errorf(path, "is not a DN once {0} is filled in (%v); write it relative to the URL's base DN, e.g. uid={0},ou=people", err)
	}
}

// validateFilter compiles filter as the server would, with {0} filled in.
func validateFilter(l *finding.List, path, filter string, needsUser bool) {
	if needsUser && !strings.Contains(filter, "{0}") {
		l.Errorf(path, "must contain {0} where the username goes, e.g. (uid={0})")
		return
	}
	if err := compileFilter(strings.ReplaceAll(filter, "{0}", "x")); err != nil {
		l.Errorf(path, "does not compile (%v); e.g. (uid={0}) or (&(objectClass=person)(sAMAccountName={0}))", err)
	}
}

func compileFilter(filter string) error {
	_, err := ldap.CompileFilter(NormalizedFilter(filter))
	return err
}

func validateGroup(l *finding.List, p string, g GroupSetting, c Config, keys map[string]int) {
	switch i, ok := keys[g.LDAPSetting]; {
	case g.LDAPSetting == "":
		l.Errorf(p+".ldapSetting", "empty: name the key of the LDAP setting these groups come from")
	case !ok:
		l.Errorf(p+".ldapSetting", "%s is not the key of any ldap setting (%s)", Quote(g.LDAPSetting), strings.Join(settingKeys(c), ", "))
	case !c.Settings[i].Enabled:
		l.Warnf(p+".ldapSetting", "setting %s is disabled: these groups are not used until it is enabled", Quote(g.LDAPSetting))
	}
	strategy := strings.ToLower(g.Strategy)
	switch strategy {
	case StrategyStatic, StrategyDynamic, StrategyHierarchical:
	default:
		l.Errorf(p+".strategy", "%s is not a strategy: use static (groups list their members), dynamic (users list their groups, e.g. memberOf) or hierarchical (the OUs of the user's DN)", Quote(g.Strategy))
	}
	if g.BaseDN != "" && !oneLine(l, p+".baseDn", g.BaseDN) {
		if _, err := parseDN(g.BaseDN); err != nil {
			l.Errorf(p+".baseDn", "not a DN (%v); write it relative to the URL's base DN, e.g. ou=groups", err)
		}
	}
	if g.NameAttribute == "" {
		l.Errorf(p+".nameAttribute", "empty: the attribute that holds the group name, usually cn")
	} else if !attributeName().MatchString(g.NameAttribute) {
		l.Errorf(p+".nameAttribute", "%s is not an attribute name (e.g. cn)", Quote(g.NameAttribute))
	}
	_, rule, extensible := MatchingRule(g.MemberAttribute)
	switch {
	case g.MemberAttribute == "" && strategy != StrategyHierarchical:
		l.Errorf(p+".memberAttribute", "empty: for static use uniqueMember or member, for dynamic memberOf")
	case extensible && strategy != StrategyStatic:
		l.Errorf(p+".memberAttribute", "%s is a search with a matching rule, which only strategy static runs; with %s use memberOf", Quote(g.MemberAttribute), strategy)
	case extensible && rule != InChainRule:
		l.Warnf(p+".memberAttribute", "matching rule %s: for nested groups Active Directory's rule is %s (member:%s:)", rule, InChainRule, InChainRule)
	case extensible:
		// member:1.2.840.113556.1.4.1941:, Active Directory's nested
		// groups, as the vendor documents it: valid.
	case g.MemberAttribute != "" && !attributeName().MatchString(g.MemberAttribute):
		l.Errorf(p+".memberAttribute", "%s is not an attribute name (e.g. uniqueMember, member, memberOf; Active Directory nested groups: member:%s:)", Quote(g.MemberAttribute), InChainRule)
	case strategy == StrategyStatic && strings.EqualFold(g.MemberAttribute, "memberOf"):
		l.Warnf(p+".memberAttribute", "memberOf is on user entries: with it use strategy dynamic, or uniqueMember/member with static")
	case strategy == StrategyDynamic && (strings.EqualFold(g.MemberAttribute, "uniqueMember") || strings.EqualFold(g.MemberAttribute, "member")):
		// dynamic reads this attribute on the user's entry, where these
		// group attributes never are: no user would get a group.
		l.Warnf(p+".memberAttribute", "%s is on group entries: dynamic reads the user's entry, use memberOf (or strategy static with %s)", g.MemberAttribute, g.MemberAttribute)
	}
	if g.Filter != "" && !oneLine(l, p+".filter", g.Filter) {
		validateFilter(l, p+".filter", g.Filter, false)
		if strings.Contains(g.Filter, "{0}") && strategy != StrategyStatic {
			l.Warnf(p+".filter", "{0} (the user's DN) is filled in only by strategy static, which searches groups; %s does not use the filter", strategy)
		}
	}
}

// Forms a manager name can take besides a DN.
const (
	ManagerDN        = "dn"
	ManagerUPN       = "upn"        // svc-reader@corp.example.com
	ManagerDownLevel = "down-level" // CORP\svc-reader
)

// ManagerNameKind tells a DN from the two other names Active Directory
// binds: a user principal name (user@domain) and a down-level logon name
// (DOMAIN\user). Anything with an "=" is taken for a DN.
func ManagerNameKind(name string) string {
	switch {
	case strings.Contains(name, "="):
		return ManagerDN
	case upnName().MatchString(name):
		return ManagerUPN
	case downLevelName().MatchString(name):
		return ManagerDownLevel
	}
	return ManagerDN
}

// InChainRule is LDAP_MATCHING_RULE_IN_CHAIN: Active Directory follows
// nested groups for a filter such as (member:1.2.840.113556.1.4.1941:=DN).
const InChainRule = "1.2.840.113556.1.4.1941"

// MatchingRule splits a member attribute written with a matching rule, as
// the vendor documents for nested groups ("member:1.2.840.113556.1.4.1941:"),
// into the attribute and the rule's OID.
func MatchingRule(memberAttribute string) (attr, rule string, ok bool) {
	m := extensibleAttribute().FindStringSubmatch(memberAttribute)
	if m == nil {
		return memberAttribute, "", false
	}
	return m[1], m[2], true
}

func settingKeys(c Config) []string {
	var keys []string
	for _, s := range c.Settings {
		keys = append(keys, s.Key)
	}
	if len(keys) == 0 {
		return []string{"none defined"}
	}
	return keys
}

var (
	// RFC 4512 descr or numericoid; options (;binary, ;lang-x) allowed.
	attributeName = lazyregexp.New(`^([A-Za-z][A-Za-z0-9-]*|[0-9]+(\.[0-9]+)+)(;[A-Za-z0-9-]+)*$`)
	envName       = lazyregexp.New(`^[A-Za-z_][A-Za-z0-9_]*$`)
	// attr:OID: as the left side of an extensible match (RFC 4515).
	extensibleAttribute = lazyregexp.New(`^([A-Za-z][A-Za-z0-9-]*):([0-9]+(?:\.[0-9]+)+):$`)
	upnName             = lazyregexp.New(`^[^@\s\\,]+@[^@\s\\,]+\.[^@\s\\,]+$`)
	downLevelName       = lazyregexp.New(`^[^\\\s@,]+\\[^\\\s,]+$`)
)

func gcNote(port string) string {
	if port == "3268" || port == "3269" {
		return ", Active Directory's global catalog"
	}
	return ""
}

func tlsPortFor(port string) string {
	if port == "3268" {
		return "3269"
	}
	return "636"
}
