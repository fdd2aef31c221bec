package config

import (
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"frontdoor/ldapcheck"
)

// TestLDAPEntryDefaults holds this decoder's defaults for LDAP entries to
// ldapcheck's own UnmarshalYAML: the same section decodes to the same
// settings either way.
func TestLDAPEntryDefaults(t *testing.T) {
	sections := []string{
		"settings:\n  - key: corp\n    url: ldap://h/dc=x\n    search: {filter: \"uid={0}\"}\ngroups:\n  - {name: g, ldapSetting: corp}\n  - {name: d, ldapSetting: corp, strategy: dynamic}\n",
		"settings:\n  - key: corp\n    enabled: false\n    search: {subTree: false}\n    emailAttribute: \"\"\n    autoCreateUser: false\ngroups:\n  - {name: g, subTree: false, memberAttribute: member, nameAttribute: ou}\n  - {name: e, memberAttribute: \"\", strategy: DYNAMIC}\n",
		"settings:\n  - key: a\n  - key: b\n    search:\n",
		"groups:\n  - name: h\n    strategy: hierarchical\n",
	}
	for _, sec := range sections {
		var want ldapcheck.Config
		if err := yaml.Unmarshal([]byte(sec), &want); err != nil {
			t.Fatalf("ldapcheck: %v\n%s", err, sec)
		}
		f, err := Parse([]byte("ldap:\n  " + strings.ReplaceAll(strings.TrimSuffix(sec, "\n"), "\n", "\n  ") + "\n"))
		if err != nil {
			t.Fatal(err)
		}
		if !equalValues(reflect.ValueOf(f.LDAP), reflect.ValueOf(want)) {
			t.Errorf("section:\n%s\nconfig:    %+v\nldapcheck: %+v", sec, f.LDAP, want)
		}
	}
}
