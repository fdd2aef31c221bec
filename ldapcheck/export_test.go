package ldapcheck

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func exportConfig() Config {
	c := validConfig()
	ad := NewSetting("ad")
	ad.Enabled = false
	ad.URL = "ldaps://dc1.corp.example:636/dc=corp,dc=example"
	ad.CAFile = "/etc/ssl/corp-ca.pem"
	ad.Search = Search{Filter: "sAMAccountName={0}", SubTree: true, ManagerDN: "cn=svc,ou=service,dc=corp,dc=example", ManagerPasswordFile: "/run/secrets/ad"}
	ad.EmailAttribute = "userPrincipalName"
	c.Settings = append(c.Settings, ad)
	dyn := NewGroupSetting("ad-groups", "ad")
	dyn.Strategy, dyn.MemberAttribute, dyn.Filter, dyn.BaseDN = "dynamic", "memberOf", "objectClass=group", "ou=groups"
	c.Groups = append(c.Groups, dyn)
	// Active Directory as its admins write it: the manager as a user
	// principal name, nested groups by the in-chain rule, as given.
	nested := NewSetting("ad-nested")
	nested.Enabled = false
	nested.URL = "ldaps://dc1.corp.example:3269/dc=corp,dc=example"
	nested.Search = Search{Filter: "(userPrincipalName={0})", SubTree: true, ManagerDN: "svc-reader@corp.example", ManagerPasswordEnv: "AD_READER_PW"}
	c.Settings = append(c.Settings, nested)
	chain := NewGroupSetting("ad-nested-groups", "ad-nested")
	chain.MemberAttribute, chain.Filter = "member:1.2.840.113556.1.4.1941:", "(objectClass=group)"
	form := NewGroupSetting("ad-nested-filter", "ad-nested")
	form.MemberAttribute, form.Filter = "member", "(member:1.2.840.113556.1.4.1941:={0})"
	c.Groups = append(c.Groups, chain, form)
	return c
}

func TestExportYAMLGolden(t *testing.T) {
	got, err := ExportYAML(exportConfig())
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "export.golden.yaml")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./ldapcheck -run Golden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("export differs from %s (-update to accept):\n%s", golden, got)
	}
	again, _ := ExportYAML(exportConfig())
	if !bytes.Equal(got, again) {
		t.Error("two exports of the same settings differ")
	}
}

func TestExportYAMLShape(t *testing.T) {
	out, err := ExportYAML(exportConfig())
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Security struct {
			LDAPSettings map[string]struct {
				Key     string `yaml:"key"`
				LDAPURL string `yaml:"ldapUrl"`
				Search  struct {
					SearchFilter    string `yaml:"searchFilter"`
					ManagerDN       string `yaml:"managerDn"`
					ManagerPassword string `yaml:"managerPassword"`
				} `yaml:"search"`
			} `yaml:"ldapSettings"`
			LDAPGroupSettings map[string]struct {
				EnabledLDAP     string `yaml:"enabledLdap"`
				Strategy        string `yaml:"strategy"`
				Filter          string `yaml:"filter"`
				MemberAttribute string `yaml:"groupMemberAttribute"`
			} `yaml:"ldapGroupSettings"`
		} `yaml:"security"`
	}
	if err := yaml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	corp := doc.Security.LDAPSettings["corp"]
	if corp.Key != "corp" || corp.LDAPURL != "ldap://ldap.example.com:389/dc=example,dc=com" || corp.Search.SearchFilter != "(uid={0})" {
		t.Errorf("corp: %+v", corp)
	}
	if corp.Search.ManagerPassword != "<set me: FRONTDOOR_LDAP_MANAGER_PASSWORD>" {
		t.Errorf("placeholder %q", corp.Search.ManagerPassword)
	}
	if ad := doc.Security.LDAPSettings["ad"]; ad.Search.SearchFilter != "(sAMAccountName={0})" || !strings.HasPrefix(ad.Search.ManagerPassword, "<set me") {
		t.Errorf("ad: %+v", ad)
	}
	if g := doc.Security.LDAPGroupSettings["ad-groups"]; g.Strategy != "DYNAMIC" || g.EnabledLDAP != "ad" || g.Filter != "(objectClass=group)" {
		t.Errorf("ad-groups: %+v", g)
	}
	// Active Directory's forms go out as given.
	if s := doc.Security.LDAPSettings["ad-nested"]; s.Search.ManagerDN != "svc-reader@corp.example" || s.Search.SearchFilter != "(userPrincipalName={0})" {
		t.Errorf("ad-nested: %+v", s)
	}
	if g := doc.Security.LDAPGroupSettings["ad-nested-groups"]; g.MemberAttribute != "member:1.2.840.113556.1.4.1941:" || g.Strategy != "STATIC" {
		t.Errorf("ad-nested-groups: %+v", g)
	}
	if g := doc.Security.LDAPGroupSettings["ad-nested-filter"]; g.Filter != "(member:1.2.840.113556.1.4.1941:={0})" || g.MemberAttribute != "member" {
		t.Errorf("ad-nested-filter: %+v", g)
	}
}

func TestExportYAMLNeverHoldsThePassword(t *testing.T) {
	t.Setenv("FRONTDOOR_LDAP_MANAGER_PASSWORD", "very-secret-value")
	out, err := ExportYAML(exportConfig())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "very-secret-value") {
		t.Error("the manager password is in the export")
	}
}

func TestExportYAMLRefusesInvalidSettings(t *testing.T) {
	c := validConfig()
	c.Settings[0].URL = "http://nope"
	_, err := ExportYAML(c)
	var inv *InvalidError
	if !errors.As(err, &inv) || !strings.Contains(err.Error(), "ldap.settings[0].url") {
		t.Errorf("err = %v, want an *InvalidError about the url", err)
	}
}

// The header comment fits the wizard's 80 columns: a comment line wrapped
// there would show its tail as a line of YAML.
func TestExportYAMLCommentFits80Columns(t *testing.T) {
	out, err := ExportYAML(exportConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "#") && len([]rune(line)) > 78 {
			t.Errorf("comment line of %d columns: %q", len([]rune(line)), line)
		}
	}
}
