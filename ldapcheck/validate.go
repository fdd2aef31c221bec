package ldapcheck

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-ldap/ldap/v3"
)

// Severity says whether a finding blocks testing, saving and exporting.
// Same shape as render.Severity so the two can be merged later.
type Severity int

const (
	Error   Severity = iota // the setting cannot work as written
	Warning                 // it can work, but probably not as intended
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Finding is one validation result, tied to the settings key it is about
// (e.g. "ldap.settings[0].url") so the UI can show it beside the field.
type Finding struct {
	Path     string
	Severity Severity
	Message  string // what is wrong and how to fix it
}

// String formats a finding as one line: "PATH: error: MESSAGE".
func (f Finding) String() string {
	return fmt.Sprintf("%s: %s: %s", f.Path, f.Severity, f.Message)
}

// Findings is the result of validating settings.
type Findings []Finding

// HasErrors reports whether any finding is an error.
func (fs Findings) HasErrors() bool {
	for _, f := range fs {
		if f.Severity == Error {
			return true
		}
	}
	return false
}

// Errors returns only the errors.
func (fs Findings) Errors() Findings { return fs.filter(Error) }

// Warnings returns only the warnings.
func (fs Findings) Warnings() Findings { return fs.filter(Warning) }

func (fs Findings) filter(sev Severity) Findings {
	var out Findings
	for _, f := range fs {
		if f.Severity == sev {
			out = append(out, f)
		}
	}
	return out
}

// For returns the findings about path itself or anything under it
// ("ldap.settings[0]" matches "ldap.settings[0].url", not "ldap.settings[01]").
func (fs Findings) For(path string) Findings {
	var out Findings
	for _, f := range fs {
		if f.Path == path || strings.HasPrefix(f.Path, path+".") || strings.HasPrefix(f.Path, path+"[") {
			out = append(out, f)
		}
	}
	return out
}

// String renders the findings one per line.
func (fs Findings) String() string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// SettingPath is the finding path of settings[i], e.g. "ldap.settings[0]".
func SettingPath(i int) string { return fmt.Sprintf("ldap.settings[%d]", i) }

// GroupPath is the finding path of groups[i], e.g. "ldap.groups[0]".
func GroupPath(i int) string { return fmt.Sprintf("ldap.groups[%d]", i) }

// ForSetting returns the findings that matter when testing settings[i]:
// the setting itself and the group settings that refer to it.
func (fs Findings) ForSetting(c Config, i int) Findings {
	out := fs.For(SettingPath(i))
	if i < 0 || i >= len(c.Settings) {
		return out
	}
	for j, g := range c.Groups {
		if g.LDAPSetting == c.Settings[i].Key {
			out = append(out, fs.For(GroupPath(j))...)
		}
	}
	return out
}

type findingList struct{ out Findings }

func (l *findingList) errorf(path, format string, args ...any) {
	l.out = append(l.out, Finding{Path: path, Severity: Error, Message: fmt.Sprintf(format, args...)})
}

func (l *findingList) warnf(path, format string, args ...any) {
	l.out = append(l.out, Finding{Path: path, Severity: Warning, Message: fmt.Sprintf(format, args...)})
}

// Validate checks the ldap section without touching the network or the disk:
// it runs on every keystroke in the wizard.
func Validate(c Config) Findings {
	var l findingList
	keys := map[string]int{}
	enabled := 0
	for i, s := range c.Settings {
		p := SettingPath(i)
		switch {
		case strings.TrimSpace(s.Key) == "":
			l.errorf(p+".key", "empty: give the setting a unique name, e.g. corp")
		case strings.ContainsAny(s.Key, " \t\r\n"):
			l.errorf(p+".key", "%q contains spaces: use letters, digits, - or _", s.Key)
		default:
			if first, dup := keys[s.Key]; dup {
				l.errorf(p+".key", "%q is already the key of ldap.settings[%d]: keys must be unique", s.Key, first)
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
		l.warnf("ldap.settings", "no setting is enabled: set enabled: true on the one the server should use")
	}
	names := map[string]int{}
	for j, g := range c.Groups {
		p := GroupPath(j)
		if strings.TrimSpace(g.Name) == "" {
			l.errorf(p+".name", "empty: give the group setting a unique name, e.g. corp-groups")
		} else if first, dup := names[g.Name]; dup {
			l.errorf(p+".name", "%q is already the name of ldap.groups[%d]: names must be unique", g.Name, first)
		} else {
			names[g.Name] = j
		}
		validateGroup(&l, p, g, c, keys)
	}
	return l.out
}

func validateSetting(l *findingList, p string, s Setting) {
	base := ""
	e, err := ParseURL(s.URL)
	switch {
	case err != nil:
		l.errorf(p+".url", "%v; write it as ldap://host:389/dc=example,dc=com or ldaps://host:636/dc=example,dc=com", err)
	default:
		validateEndpoint(l, p, s, e)
		base = e.BaseDN
	}
	if s.StartTLS && err == nil && e.TLS() {
		l.errorf(p+".startTls", "ldaps:// is already TLS: set startTls: false, or use ldap:// with startTls: true")
	}
	tls := err == nil && (e.TLS() || s.StartTLS)
	if s.InsecureSkipVerify {
		if tls {
			l.warnf(p+".insecureSkipVerify", "certificates are NOT verified: anyone on the path can read passwords; set caFile to the directory's CA instead")
		} else {
			l.warnf(p+".insecureSkipVerify", "has no effect without ldaps:// or startTls: true")
		}
	}
	if s.CAFile != "" && err == nil && !tls {
		l.warnf(p+".caFile", "unused without ldaps:// or startTls: true")
	}

	pattern := strings.TrimSpace(s.UserDNPattern) != ""
	filter := strings.TrimSpace(s.Search.Filter) != ""
	if pattern {
		validatePattern(l, p+".userDnPattern", s.UserDNPattern, base)
	}
	if filter {
		validateFilter(l, p+".search.filter", s.Search.Filter, true)
	}
	switch {
	case !pattern && !filter:
		l.errorf(p+".userDnPattern", "set a user DN pattern (e.g. uid={0},ou=people) or a search filter (e.g. (uid={0})): without either no user can log in")
	case pattern && filter:
		l.warnf(p+".userDnPattern", "both a DN pattern and a search filter are set; they are usually exclusive (for Active Directory leave the DN pattern empty)")
	}

	if s.Search.Base != "" {
		bases := s.Search.SearchBases()
		for k, b := range bases {
			switch {
			case b == "" && len(bases) > 1:
				l.warnf(p+".search.base", "base %d of %d is empty (stray |?): that search runs from the URL's base DN", k+1, len(bases))
			case b != strings.TrimSpace(b):
				l.warnf(p+".search.base", "base %q has spaces around it; the server uses it as is: remove them", b)
			}
			if b == "" {
				continue
			}
			if _, err := ldap.ParseDN(b); err != nil {
				l.errorf(p+".search.base", "base %q is not a DN (%v); write it relative to the URL's base DN, e.g. ou=people, and separate several with |", b, err)
			}
		}
		if !filter {
			l.warnf(p+".search.base", "unused without a search filter")
		}
	}
	if s.Search.ManagerDN != "" {
		if _, err := ldap.ParseDN(s.Search.ManagerDN); err != nil {
			l.errorf(p+".search.managerDn", "not a DN (%v); write the full DN, e.g. cn=reader,dc=example,dc=com", err)
		}
		switch {
		case s.Search.ManagerPasswordEnv != "" && s.Search.ManagerPasswordFile != "":
			l.errorf(p+".search.managerPasswordEnv", "set managerPasswordEnv or managerPasswordFile, not both")
		case s.Search.ManagerPasswordEnv == "" && s.Search.ManagerPasswordFile == "":
			l.warnf(p+".search.managerPasswordEnv", "no managerPasswordEnv or managerPasswordFile: the test cannot bind as the manager; name an environment variable (e.g. FRONTDOOR_LDAP_MANAGER_PASSWORD) or a file that holds the password")
		}
	} else if s.Search.ManagerPasswordEnv != "" || s.Search.ManagerPasswordFile != "" {
		l.warnf(p+".search.managerDn", "a manager password is referenced but managerDn is empty: searches run anonymously")
	}
	if v := s.Search.ManagerPasswordEnv; v != "" && !envName.MatchString(v) {
		// Never echo the value: people paste the password itself here.
		l.errorf(p+".search.managerPasswordEnv", "not an environment variable name: give the NAME of a variable (e.g. FRONTDOOR_LDAP_MANAGER_PASSWORD) that holds the password, never the password")
	}
	if s.EmailAttribute != "" && !attributeName.MatchString(s.EmailAttribute) {
		l.errorf(p+".emailAttribute", "%q is not an attribute name (letters, digits and -, starting with a letter, e.g. mail)", s.EmailAttribute)
	}
}

func validateEndpoint(l *findingList, p string, s Setting, e Endpoint) {
	u := p + ".url"
	if e.Host == "" {
		l.errorf(u, "no host: write it as %s://host:%s/dc=example,dc=com", e.Scheme, e.Port)
	}
	if n, err := strconv.Atoi(e.Port); err != nil || n < 1 || n > 65535 {
		l.errorf(u, "port %q is not a number from 1 to 65535 (389 for ldap://, 636 for ldaps://)", e.Port)
	}
	if raw := strings.SplitN(s.URL, "?", 2); len(raw) == 2 || strings.Contains(s.URL, "#") {
		l.errorf(u, "remove the ?attributes?scope?filter or # part: the server only reads host, port and base DN")
	}
	if strings.Contains(s.URL, "@") {
		l.errorf(u, "no user or password in the URL: use search.managerDn and managerPasswordEnv")
	}
	if e.BaseDN == "" {
		l.warnf(u, "no base DN after the host (e.g. /dc=example,dc=com): DN patterns and search bases are then absolute")
	} else if _, err := ldap.ParseDN(e.BaseDN); err != nil {
		l.errorf(u, "base DN %q is not a DN (%v); write it as /dc=example,dc=com (spaces as %%20)", e.BaseDN, err)
	}
	if !e.TLS() && !s.StartTLS && !isLoopback(e.Host) && e.Host != "" {
		l.warnf(u, "plain ldap:// without startTls sends passwords in clear text: use ldaps:// or startTls: true")
	}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func validatePattern(l *findingList, path, pattern, base string) {
	if !strings.Contains(pattern, "{0}") {
		l.errorf(path, "must contain {0} where the username goes, e.g. uid={0},ou=people")
		return
	}
	dn := joinDN(strings.ReplaceAll(pattern, "{0}", "x"), base)
	if _, err := ldap.ParseDN(dn); err != nil {
		l.errorf(path, "is not a DN once {0} is filled in (%v); write it relative to the URL's base DN, e.g. uid={0},ou=people", err)
	}
}

// validateFilter compiles filter as the server would, with {0} filled in.
func validateFilter(l *findingList, path, filter string, needsUser bool) {
	if needsUser && !strings.Contains(filter, "{0}") {
		l.errorf(path, "must contain {0} where the username goes, e.g. (uid={0})")
		return
	}
	if err := compileFilter(strings.ReplaceAll(filter, "{0}", "x")); err != nil {
		l.errorf(path, "does not compile (%v); e.g. (uid={0}) or (&(objectClass=person)(sAMAccountName={0}))", err)
	}
}

func compileFilter(filter string) error {
	_, err := ldap.CompileFilter(NormalizedFilter(filter))
	return err
}

func validateGroup(l *findingList, p string, g GroupSetting, c Config, keys map[string]int) {
	switch i, ok := keys[g.LDAPSetting]; {
	case g.LDAPSetting == "":
		l.errorf(p+".ldapSetting", "empty: name the key of the LDAP setting these groups come from")
	case !ok:
		l.errorf(p+".ldapSetting", "%q is not the key of any ldap setting (%s)", g.LDAPSetting, strings.Join(settingKeys(c), ", "))
	case !c.Settings[i].Enabled:
		l.warnf(p+".ldapSetting", "setting %q is disabled: these groups are not used until it is enabled", g.LDAPSetting)
	}
	strategy := strings.ToLower(g.Strategy)
	switch strategy {
	case StrategyStatic, StrategyDynamic, StrategyHierarchical:
	default:
		l.errorf(p+".strategy", "%q is not a strategy: use static (groups list their members), dynamic (users list their groups, e.g. memberOf) or hierarchical (the OUs of the user's DN)", g.Strategy)
	}
	if g.BaseDN != "" {
		if _, err := ldap.ParseDN(g.BaseDN); err != nil {
			l.errorf(p+".baseDn", "not a DN (%v); write it relative to the URL's base DN, e.g. ou=groups", err)
		}
	}
	if g.NameAttribute == "" {
		l.errorf(p+".nameAttribute", "empty: the attribute that holds the group name, usually cn")
	} else if !attributeName.MatchString(g.NameAttribute) {
		l.errorf(p+".nameAttribute", "%q is not an attribute name (e.g. cn)", g.NameAttribute)
	}
	switch {
	case g.MemberAttribute == "" && strategy != StrategyHierarchical:
		l.errorf(p+".memberAttribute", "empty: for static use uniqueMember or member, for dynamic memberOf")
	case g.MemberAttribute != "" && !attributeName.MatchString(g.MemberAttribute):
		l.errorf(p+".memberAttribute", "%q is not an attribute name (e.g. uniqueMember, member, memberOf)", g.MemberAttribute)
	case strategy == StrategyStatic && strings.EqualFold(g.MemberAttribute, "memberOf"):
		l.warnf(p+".memberAttribute", "memberOf is on user entries: with it use strategy dynamic, or uniqueMember/member with static")
	}
	if g.Filter != "" {
		validateFilter(l, p+".filter", g.Filter, false)
	}
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
	attributeName = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9-]*|[0-9]+(\.[0-9]+)+)(;[A-Za-z0-9-]+)*$`)
	envName       = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)
