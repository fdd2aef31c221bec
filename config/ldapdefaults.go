package config

import (
	"reflect"

	"go.yaml.in/yaml/v3"

	"frontdoor/ldapcheck"
)

// A list entry starts from the defaults the vendor applies to keys it leaves
// out, since a boolean left out cannot be told from false after decoding.
// Only the LDAP entries have such defaults (a Docker repository or a node
// starts empty). ldapcheck's UnmarshalYAML methods apply the same rules for
// whoever decodes its types with a YAML module; this decoder walks the node
// tree itself and does not call them. TestLDAPEntryDefaults holds the two
// to the same result.

var (
	settingType = reflect.TypeFor[ldapcheck.Setting]()
	groupType   = reflect.TypeFor[ldapcheck.GroupSetting]()
)

// newElem is the value a new list entry of type t starts from.
func newElem(t reflect.Type) reflect.Value {
	switch t {
	case settingType:
		return reflect.ValueOf(ldapcheck.NewSetting(""))
	case groupType:
		g := ldapcheck.NewGroupSetting("", "")
		g.MemberAttribute, g.Filter = "", "" // the member attribute follows the strategy: finishElem
		return reflect.ValueOf(g)
	}
	return reflect.Zero(t)
}

// finishElem fills the defaults that depend on other keys of the entry.
func finishElem(v reflect.Value, n *yaml.Node) {
	if v.Type() != groupType || n.Kind == yaml.MappingNode && lookup(n, "memberAttribute") != nil {
		return
	}
	g := v.Addr().Interface().(*ldapcheck.GroupSetting)
	if g.MemberAttribute == "" {
		g.MemberAttribute = ldapcheck.DefaultMemberAttribute(g.Strategy)
	}
}
