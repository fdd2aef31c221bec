package ldapcheck

import (
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func decode(t *testing.T, src string) (Config, error) {
	t.Helper()
	var c Config
	dec := yaml.NewDecoder(strings.NewReader(src))
	dec.KnownFields(true) // as config.Parse does
	err := dec.Decode(&c)
	return c, err
}

func TestYAMLDefaultsForKeysLeftOut(t *testing.T) {
	c, err := decode(t, `
settings:
  - key: corp
    url: ldap://h/dc=x
    search: {filter: "uid={0}"}
groups:
  - {name: g, ldapSetting: corp}
  - {name: d, ldapSetting: corp, strategy: dynamic}
`)
	if err != nil {
		t.Fatal(err)
	}
	want := NewSetting("corp")
	want.URL, want.Search.Filter = "ldap://h/dc=x", "uid={0}"
	if !reflect.DeepEqual(c.Settings[0], want) {
		t.Errorf("setting:\n got %+v\nwant %+v", c.Settings[0], want)
	}
	g := c.Groups[0]
	if g.NameAttribute != "cn" || g.MemberAttribute != "uniqueMember" || !g.SubTree || g.Strategy != "static" || g.Filter != "" {
		t.Errorf("static group defaults: %+v", g)
	}
	if d := c.Groups[1]; d.MemberAttribute != "memberOf" {
		t.Errorf("dynamic group member attribute %q, want memberOf", d.MemberAttribute)
	}
}

func TestYAMLExplicitValuesWin(t *testing.T) {
	c, err := decode(t, `
settings:
  - key: corp
    enabled: false
    url: ldap://h/dc=x
    search: {filter: "uid={0}", subTree: false}
    emailAttribute: ""
    autoCreateUser: false
groups:
  - {name: g, ldapSetting: corp, subTree: false, memberAttribute: member, nameAttribute: ou}
`)
	if err != nil {
		t.Fatal(err)
	}
	s := c.Settings[0]
	if s.Enabled || s.Search.SubTree || s.EmailAttribute != "" || s.AutoCreateUser {
		t.Errorf("explicit values lost: %+v", s)
	}
	if g := c.Groups[0]; g.SubTree || g.MemberAttribute != "member" || g.NameAttribute != "ou" {
		t.Errorf("explicit group values lost: %+v", g)
	}
}

func TestYAMLUnknownKeysAreErrors(t *testing.T) {
	for name, src := range map[string]string{
		"setting": "settings:\n  - key: corp\n    urll: ldap://h\n",
		"search":  "settings:\n  - key: corp\n    search: {filtre: x}\n",
		"group":   "groups:\n  - {name: g, strategie: static}\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := decode(t, src)
			if err == nil || !strings.Contains(err.Error(), "not found in type") || !strings.Contains(err.Error(), "line ") {
				t.Errorf("err = %v, want an unknown-field error with its line", err)
			}
			// A decoder without KnownFields is as strict, without the line.
			var c Config
			if err := yaml.Unmarshal([]byte(src), &c); err == nil || !strings.Contains(err.Error(), "not found in type") {
				t.Errorf("yaml.Unmarshal: err = %v, want an unknown-field error", err)
			}
		})
	}
}

// The YAML keys are the public interface of frontdoor.yaml.
func TestYAMLRoundTrip(t *testing.T) {
	c := validConfig()
	c.Settings[0].CAFile = "/etc/ssl/ca.pem"
	out, err := yaml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"key:", "enabled:", "url:", "startTls:", "caFile:", "insecureSkipVerify:", "userDnPattern:",
		"filter:", "base:", "subTree:", "managerDn:", "managerPasswordEnv:", "emailAttribute:", "autoCreateUser:",
		"name:", "ldapSetting:", "baseDn:", "nameAttribute:", "memberAttribute:", "strategy:"} {
		if !strings.Contains(string(out), key) {
			t.Errorf("key %s missing from\n%s", key, out)
		}
	}
	back, err := decode(t, string(out))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, c) {
		t.Errorf("round trip:\n got %+v\nwant %+v", back, c)
	}
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		in   string
		want Endpoint
	}{
		{"ldap://h/dc=x", Endpoint{"ldap", "h", "389", "dc=x"}},
		{"ldaps://h/dc=x", Endpoint{"ldaps", "h", "636", "dc=x"}},
		{"LDAP://h:1389", Endpoint{"ldap", "h", "1389", ""}},
		{"ldap://[::1]:389/o=Example%20Corp", Endpoint{"ldap", "::1", "389", "o=Example Corp"}},
	}
	for _, tc := range tests {
		got, err := ParseURL(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
}

func TestSearchBasesSplitAsIs(t *testing.T) {
	got := Search{Base: "ou=a| ou=b||"}.SearchBases()
	if want := []string{"ou=a", " ou=b", "", ""}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
