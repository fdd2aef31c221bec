// Package ldapcheck holds frontdoor's LDAP settings, their validation, and the
// step-by-step test bind and search against a real directory.
package ldapcheck

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"reflect"
	"sort"
	"strings"
)

// Config is the `ldap:` section of frontdoor.yaml.
type Config struct {
	Settings []Setting      `yaml:"settings"`
	Groups   []GroupSetting `yaml:"groups,omitempty"`
}

// Setting is one LDAP connection (the vendor's ldapSettings entry).
// Passwords are never stored here: only a reference to where they live.
type Setting struct {
	Key                string `yaml:"key"`
	Enabled            bool   `yaml:"enabled"`
	URL                string `yaml:"url"`
	StartTLS           bool   `yaml:"startTls"`
	CAFile             string `yaml:"caFile"`
	InsecureSkipVerify bool   `yaml:"insecureSkipVerify"`
	UserDNPattern      string `yaml:"userDnPattern"`
	Search             Search `yaml:"search"`
	EmailAttribute     string `yaml:"emailAttribute"`
	AutoCreateUser     bool   `yaml:"autoCreateUser"`
}

// Search is how a user is looked up when no DN pattern binds them directly.
type Search struct {
	Filter              string `yaml:"filter"`
	Base                string `yaml:"base"`
	SubTree             bool   `yaml:"subTree"`
	ManagerDN           string `yaml:"managerDn"`
	ManagerPasswordEnv  string `yaml:"managerPasswordEnv,omitempty"`
	ManagerPasswordFile string `yaml:"managerPasswordFile,omitempty"`
}

// GroupSetting maps directory groups for one LDAP setting.
type GroupSetting struct {
	Name            string `yaml:"name"`
	LDAPSetting     string `yaml:"ldapSetting"`
	BaseDN          string `yaml:"baseDn"`
	NameAttribute   string `yaml:"nameAttribute"`
	MemberAttribute string `yaml:"memberAttribute"`
	SubTree         bool   `yaml:"subTree"`
	Filter          string `yaml:"filter"`
	Strategy        string `yaml:"strategy"`
}

// Defaults the vendor applies when a setting leaves them out.
const (
	DefaultEmailAttribute       = "mail"
	DefaultGroupNameAttribute   = "cn"
	DefaultGroupMemberAttribute = "uniqueMember"
	DefaultDynamicMemberOf      = "memberOf"
	DefaultStrategy             = StrategyStatic
)

// Group mapping strategies (the vendor spells them upper-case).
const (
	StrategyStatic       = "static"       // group entries list their members' DNs
	StrategyDynamic      = "dynamic"      // the user entry lists its groups (memberOf)
	StrategyHierarchical = "hierarchical" // the OUs in the user's own DN are the groups
)

// Strategies lists the strategies in the order the wizard offers them.
var Strategies = []string{StrategyStatic, StrategyDynamic, StrategyHierarchical}

// NewSetting returns a setting with the vendor's defaults, for "add" in the wizard.
func NewSetting(key string) Setting {
	return Setting{
		Key:            key,
		Enabled:        true,
		Search:         Search{SubTree: true},
		EmailAttribute: DefaultEmailAttribute,
		AutoCreateUser: true,
	}
}

// NewGroupSetting returns a static group mapping with the vendor's defaults.
func NewGroupSetting(name, ldapSetting string) GroupSetting {
	return GroupSetting{
		Name:            name,
		LDAPSetting:     ldapSetting,
		NameAttribute:   DefaultGroupNameAttribute,
		MemberAttribute: DefaultGroupMemberAttribute,
		SubTree:         true,
		Filter:          "(objectClass=groupOfUniqueNames)",
		Strategy:        DefaultStrategy,
	}
}

// UnmarshalYAML fills the vendor's defaults for keys the file leaves out
// (a bool left out cannot be told from false after decoding, hence here and
// not in an ApplyDefaults pass) and rejects unknown keys like the rest of
// frontdoor.yaml does.
//
// It has the callback form that both gopkg.in/yaml.v3 and its successor
// go.yaml.in/yaml/v3 call (the *yaml.Node form binds to one of them), so
// whichever YAML module decodes frontdoor.yaml gets the same defaults and
// the same strictness. Decoders with KnownFields name an unknown key with
// its line; others get the same error without it.
func (s *Setting) UnmarshalYAML(unmarshal func(any) error) error {
	p := yamlSetting(NewSetting(""))
	if _, err := decodeStrict(unmarshal, &p); err != nil {
		return err
	}
	*s = Setting(p)
	return nil
}

// UnmarshalYAML: see Setting.UnmarshalYAML.
func (s *Search) UnmarshalYAML(unmarshal func(any) error) error {
	p := yamlSearch(NewSetting("").Search)
	if _, err := decodeStrict(unmarshal, &p); err != nil {
		return err
	}
	*s = Search(p)
	return nil
}

// UnmarshalYAML: see Setting.UnmarshalYAML. The member attribute default
// depends on the strategy, so it is filled after decoding.
func (g *GroupSetting) UnmarshalYAML(unmarshal func(any) error) error {
	p := yamlGroupSetting(NewGroupSetting("", ""))
	p.MemberAttribute, p.Filter = "", ""
	keys, err := decodeStrict(unmarshal, &p)
	if err != nil {
		return err
	}
	if _, set := keys["memberAttribute"]; p.MemberAttribute == "" && !set {
		p.MemberAttribute = DefaultMemberAttribute(p.Strategy)
	}
	*g = GroupSetting(p)
	return nil
}

// The same fields without the UnmarshalYAML methods, which decoding into
// the real types would call again; their names appear in the decoder's
// "field X not found in type ldapcheck.yamlSetting".
type (
	yamlSetting      Setting
	yamlSearch       Search
	yamlGroupSetting GroupSetting
)

// DefaultMemberAttribute is the vendor's member attribute for a strategy:
// memberOf (on users) for dynamic, uniqueMember (on groups) otherwise.
func DefaultMemberAttribute(strategy string) string {
	if strings.EqualFold(strategy, StrategyDynamic) {
		return DefaultDynamicMemberOf
	}
	return DefaultGroupMemberAttribute
}

// decodeStrict decodes into out (a pointer to a yaml* struct already
// holding the defaults) and reports keys that match no yaml tag of it. The
// decoder checks them itself when KnownFields is on; the second look covers
// decoders without it. keys are the keys the mapping has.
func decodeStrict(unmarshal func(any) error, out any) (keys map[string]bool, err error) {
	if err := unmarshal(out); err != nil {
		return nil, err
	}
	var raw map[any]any
	if unmarshal(&raw) != nil {
		return nil, nil // not a mapping: the decode above has judged it
	}
	t := reflect.TypeOf(out).Elem()
	known := yamlKeys(t)
	keys = make(map[string]bool, len(raw))
	var unknown []string
	for k := range raw {
		name := fmt.Sprint(k)
		keys[name] = true
		if !known[name] {
			unknown = append(unknown, fmt.Sprintf("field %s not found in type ldapcheck.%s", name, strings.TrimPrefix(t.Name(), "yaml")))
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, errors.New(strings.Join(unknown, "; "))
	}
	return keys, nil
}

func yamlKeys(t reflect.Type) map[string]bool {
	keys := make(map[string]bool, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name == "" {
			name = strings.ToLower(t.Field(i).Name)
		}
		keys[name] = true
	}
	return keys
}

// Endpoint is what the URL of a setting says: where to connect and the base
// DN everything else is relative to.
type Endpoint struct {
	Scheme string // ldap or ldaps
	Host   string // without brackets for IPv6
	Port   string // the explicit port, or 389 / 636
	BaseDN string // the URL path, unescaped; "" when absent
}

// Address is host:port for dialing.
func (e Endpoint) Address() string { return net.JoinHostPort(e.Host, e.Port) }

// TLS reports whether the connection starts with TLS (ldaps://).
func (e Endpoint) TLS() bool { return e.Scheme == "ldaps" }

// ParseURL reads ldap://host:port/baseDN (RFC 4516; the ?attrs?scope?filter
// parts are not used by the vendor and are rejected by Validate).
func ParseURL(raw string) (Endpoint, error) {
	if strings.TrimSpace(raw) == "" {
		return Endpoint{}, errors.New("empty URL")
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the whole URL; the cause alone reads better.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return Endpoint{}, err
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "ldap" && scheme != "ldaps" {
		if u.Scheme == "" {
			return Endpoint{}, errors.New("no scheme: start with ldap:// or ldaps://")
		}
		return Endpoint{}, fmt.Errorf("scheme %q: use ldap:// or ldaps://", u.Scheme)
	}
	e := Endpoint{Scheme: scheme, Host: u.Hostname(), Port: u.Port()}
	if e.Port == "" {
		e.Port = "389"
		if scheme == "ldaps" {
			e.Port = "636"
		}
	}
	e.BaseDN = strings.TrimPrefix(u.Path, "/")
	return e, nil
}

// joinDN puts a DN relative to base in front of it.
func joinDN(relative, base string) string {
	switch {
	case relative == "":
		return base
	case base == "":
		return relative
	}
	return relative + "," + base
}

// SearchBases splits search.base on "|" exactly as the vendor does: as is,
// without trimming. An empty base is one search from the URL's base DN.
func (s Search) SearchBases() []string {
	return strings.Split(s.Base, "|")
}

// NormalizedFilter returns the filter with the parentheses the vendor lets
// people leave out ("uid={0}" becomes "(uid={0})").
func NormalizedFilter(filter string) string {
	f := strings.TrimSpace(filter)
	if f != "" && !strings.HasPrefix(f, "(") {
		f = "(" + f + ")"
	}
	return f
}
