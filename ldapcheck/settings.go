// Package ldapcheck holds frontdoor's LDAP settings, their validation, and the
// step-by-step test bind and search against a real directory.
package ldapcheck

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
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
func (s *Setting) UnmarshalYAML(value *yaml.Node) error {
	type plain Setting // no methods: avoids recursing into this function
	p := plain(NewSetting(""))
	if err := decodeStrict(value, &p); err != nil {
		return err
	}
	*s = Setting(p)
	return nil
}

// UnmarshalYAML: see Setting.UnmarshalYAML.
func (s *Search) UnmarshalYAML(value *yaml.Node) error {
	type plain Search
	p := plain(NewSetting("").Search)
	if err := decodeStrict(value, &p); err != nil {
		return err
	}
	*s = Search(p)
	return nil
}

// UnmarshalYAML: see Setting.UnmarshalYAML. The member attribute default
// depends on the strategy, so it is filled after decoding.
func (g *GroupSetting) UnmarshalYAML(value *yaml.Node) error {
	type plain GroupSetting
	p := plain(NewGroupSetting("", ""))
	p.MemberAttribute, p.Filter = "", ""
	if err := decodeStrict(value, &p); err != nil {
		return err
	}
	if p.MemberAttribute == "" && !hasKey(value, "memberAttribute") {
		p.MemberAttribute = DefaultMemberAttribute(p.Strategy)
	}
	*g = GroupSetting(p)
	return nil
}

// DefaultMemberAttribute is the vendor's member attribute for a strategy:
// memberOf (on users) for dynamic, uniqueMember (on groups) otherwise.
func DefaultMemberAttribute(strategy string) string {
	if strings.EqualFold(strategy, StrategyDynamic) {
		return DefaultDynamicMemberOf
	}
	return DefaultGroupMemberAttribute
}

// decodeStrict decodes a mapping node into out, reporting keys that match no
// yaml tag of out's struct. yaml.v3 drops KnownFields inside custom
// unmarshalers, so the check is redone here.
func decodeStrict(value *yaml.Node, out any) error {
	var unknown []string
	if value.Kind == yaml.MappingNode {
		known := yamlKeys(reflect.TypeOf(out).Elem())
		for i := 0; i+1 < len(value.Content); i += 2 {
			k := value.Content[i]
			if !known[k.Value] {
				unknown = append(unknown, fmt.Sprintf("line %d: field %s not found in type ldapcheck.%s", k.Line, k.Value, reflect.TypeOf(out).Elem().Name()))
			}
		}
	}
	err := value.Decode(out)
	if len(unknown) == 0 {
		return err
	}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		unknown = append(unknown, te.Errors...)
	} else if err != nil {
		return err
	}
	return &yaml.TypeError{Errors: unknown}
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

func hasKey(value *yaml.Node, key string) bool {
	if value.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(value.Content); i += 2 {
		if value.Content[i].Value == key {
			return true
		}
	}
	return false
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
